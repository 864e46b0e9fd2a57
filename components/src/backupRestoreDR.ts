// The BackupRestoreDR component: its arguments checked, then vaults, plan, selection, replication and alerts.
import * as pulumi from "@pulumi/pulumi";
import { auditedDeployment, createAuditFramework } from "./auditFramework";
import { BackupRestoreDRArgs } from "./backupRestoreDRArgs";
import { ComponentContext } from "./context";
import { createIsolatedVault, isolatedVaultOutputs, isolationEnabled } from "./isolatedVault";
import { createMonitoring } from "./monitoring";
import { computePosture, DrPosture } from "./posture";
import { createPlan } from "./plan";
import { createReplication } from "./replication";
import { createRestoreTesting } from "./restoreTesting";
import { createSelection } from "./selection";
import { validateArgs } from "./validation/args";
import { inputChecks, validationGate } from "./validation/inputChecks";
import { formatIssue, isKnown, throwIfInvalid } from "./validation/issue";
import { checkRpo } from "./validation/objectives";
import { checkRto } from "./validation/rtoForecast";
import { createVaultPair } from "./vaultPair";

/**
 * Backup-and-restore disaster recovery for AWS: an AWS Backup vault in the primary and in the DR region,
 * each with its KMS key, optional Vault Lock and a policy that denies deleting recovery points; a backup
 * plan whose rules copy recovery points to the DR vault; a selection of the resources to protect; and S3
 * cross-region replication into replica buckets in the DR region; optionally a logically air-gapped vault in
 * the DR region that receives a second copy no one in the account can delete (`isolation`).
 *
 * Arguments are checked against AWS's rules before anything is registered: a mistake fails `pulumi
 * preview` with a message naming the argument, its value and the rule. Vaults, keys and replica buckets
 * are kept when they leave the stack unless `retainOnDelete` is false.
 */
export class BackupRestoreDR extends pulumi.ComponentResource {
  /** Name of the vault in the primary region. */
  public readonly primaryVaultName: pulumi.Output<string>;
  /** ARN of the vault in the primary region. */
  public readonly primaryVaultArn: pulumi.Output<string>;
  /** Name of the vault in the DR region. */
  public readonly drVaultName: pulumi.Output<string>;
  /** ARN of the vault in the DR region, the destination of every copy. */
  public readonly drVaultArn: pulumi.Output<string>;
  /** Name of the logically air-gapped vault in the DR region, when `isolation` is on. */
  public readonly isolatedVaultName: pulumi.Output<string | undefined>;
  /** ARN of the logically air-gapped vault in the DR region, when `isolation` is on. */
  public readonly isolatedVaultArn: pulumi.Output<string | undefined>;
  /** ARN of the KMS key encrypting the primary vault. */
  public readonly primaryKeyArn: pulumi.Output<string>;
  /** ARN of the KMS key encrypting the DR vault and the S3 replicas. */
  public readonly drKeyArn: pulumi.Output<string>;
  /** Id of the backup plan. */
  public readonly planId: pulumi.Output<string>;
  /** ARN of the backup plan. */
  public readonly planArn: pulumi.Output<string>;
  /** Id of the backup selection. */
  public readonly selectionId: pulumi.Output<string>;
  /** ARN of the IAM role AWS Backup assumes for backups and restores. */
  public readonly backupRoleArn: pulumi.Output<string>;
  /** Worst-case RPO per region with its arithmetic, retention, cold storage, copies, lock and objectives. */
  public readonly posture: pulumi.Output<DrPosture>;
  /** ARNs of the alert topics, primary region first; empty when monitoring is off. */
  public readonly alertTopicArns: pulumi.Output<string[]>;
  /** Name of the restore testing plan in the DR region, when restore testing is on. */
  public readonly restoreTestingPlanName: pulumi.Output<string | undefined>;
  /**
   * ARN of the restore testing plan in the DR region, when restore testing is on: `dr status` lists the
   * restore jobs of this plan only (ListRestoreJobs `ByRestoreTestingPlanArn`).
   */
  public readonly restoreTestingPlanArn: pulumi.Output<string | undefined>;
  /** ARN of the AWS Backup Audit Manager framework in the primary region, when `auditFramework` is set. */
  public readonly auditFrameworkArn: pulumi.Output<string | undefined>;
  /** Names of the replica buckets in the DR region, in the order of `replication.buckets`. */
  public readonly replicaBucketNames: pulumi.Output<string[]>;
  /** ARNs of the replica buckets in the DR region, in the order of `replication.buckets`. */
  public readonly replicaBucketArns: pulumi.Output<string[]>;

  /**
   * @param name The unique name of this component; children's names start with it.
   * @param args The vaults, plan, selection and replication to create.
   * @param opts Options for the component.
   */
  constructor(name: string, args: BackupRestoreDRArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfInvalid(name, validateArgs(args));
    const posture = computePosture(args);
    const unmetObjectives = [...checkRpo(posture), ...checkRto(posture)];
    const warnOnly = args.objectives?.enforcement === "warn";
    if (!warnOnly) {
      throwIfInvalid(name, unmetObjectives);
    }
    super("backup-restore-dr:index:BackupRestoreDR", name, {}, opts);
    if (warnOnly) {
      unmetObjectives.forEach((issue) => pulumi.log.warn(formatIssue(issue), this));
    }

    const validated = validationGate(
      name,
      inputChecks(args).filter(({ value }) => !isKnown(value)),
    );
    const ctx: ComponentContext = {
      name,
      parent: this,
      primaryRegion: args.primaryRegion,
      drRegion: args.drRegion,
      tags: args.tags ?? {},
      keep: { parent: this, retainOnDelete: args.retainOnDelete ?? true, dependsOn: validated },
      child: { parent: this, dependsOn: validated },
    };
    const vaults = createVaultPair(ctx, args.vaults ?? {});
    const isolated = isolationEnabled(args.isolation)
      ? createIsolatedVault(ctx, args.isolation, args.plan.rules)
      : undefined;
    const plan = createPlan(
      ctx,
      args.plan,
      vaults.primary.vault.name,
      vaults.dr.vault.arn,
      isolated?.vault.arn,
    );
    const selection = createSelection(ctx, args.selection, plan.id);
    const replicas = args.replication ? createReplication(ctx, args.replication, vaults.dr.keyArn) : [];
    const monitoring = args.monitoring ?? {};
    const alertTopicArns =
      (monitoring.enabled ?? true)
        ? createMonitoring(ctx, monitoring, [
            { role: "primary", region: ctx.primaryRegion, vaultName: vaults.primary.vault.name },
            { role: "dr", region: ctx.drRegion, vaultName: vaults.dr.vault.name },
          ])
        : [];
    const restoreTesting = args.restoreTesting
      ? createRestoreTesting(
          ctx,
          args.restoreTesting,
          vaults.dr.vault.arn,
          selection.roleArn,
          args.selection.tags,
        )
      : undefined;

    this.primaryVaultName = vaults.primary.vault.name;
    this.primaryVaultArn = vaults.primary.vault.arn;
    this.drVaultName = vaults.dr.vault.name;
    this.drVaultArn = vaults.dr.vault.arn;
    const isolatedOutputs = isolatedVaultOutputs(isolated);
    this.isolatedVaultName = isolatedOutputs.name;
    this.isolatedVaultArn = isolatedOutputs.arn;
    this.primaryKeyArn = vaults.primary.keyArn;
    this.drKeyArn = vaults.dr.keyArn;
    this.planId = plan.id;
    this.planArn = plan.arn;
    this.selectionId = selection.selection.id;
    this.backupRoleArn = selection.roleArn;
    this.posture = pulumi.output(posture);
    this.alertTopicArns = pulumi.all(alertTopicArns);
    this.restoreTestingPlanName = restoreTesting ? restoreTesting.name : pulumi.output(undefined);
    this.restoreTestingPlanArn = restoreTesting ? restoreTesting.arn : pulumi.output(undefined);
    this.auditFrameworkArn = args.auditFramework
      ? createAuditFramework(ctx, auditedDeployment(args), args.auditFramework).arn
      : pulumi.output(undefined);
    this.replicaBucketNames = pulumi.all(replicas.map((replica) => replica.bucket.bucket));
    this.replicaBucketArns = pulumi.all(replicas.map((replica) => replica.bucket.arn));

    this.registerOutputs({
      primaryVaultName: this.primaryVaultName,
      primaryVaultArn: this.primaryVaultArn,
      drVaultName: this.drVaultName,
      drVaultArn: this.drVaultArn,
      isolatedVaultName: this.isolatedVaultName,
      isolatedVaultArn: this.isolatedVaultArn,
      primaryKeyArn: this.primaryKeyArn,
      drKeyArn: this.drKeyArn,
      planId: this.planId,
      planArn: this.planArn,
      selectionId: this.selectionId,
      backupRoleArn: this.backupRoleArn,
      posture: this.posture,
      alertTopicArns: this.alertTopicArns,
      auditFrameworkArn: this.auditFrameworkArn,
      restoreTestingPlanName: this.restoreTestingPlanName,
      restoreTestingPlanArn: this.restoreTestingPlanArn,
      replicaBucketNames: this.replicaBucketNames,
      replicaBucketArns: this.replicaBucketArns,
    });
  }
}
