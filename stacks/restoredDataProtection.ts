// The dr stack's protection of restored data: a backup plan in the DR vault, copying back to prod's vault.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  BackupRestoreDRArgs,
  BackupRuleArgs,
  computePosture,
  createJobAlerts,
  DEFAULT_COPY_LANDING_MINUTES,
  RegionPosture,
  toAwsPlanRules,
  validation,
} from "@restorekit/backup-restore-dr";

/**
 * What the prod stack exports for the dr stack's protection of restored data (its `restoredDataPlan`
 * output): prod's own rules and selection tags, so the dr stack types neither.
 */
export interface RestoredDataPlan {
  /** The rules of prod's plan, as given to BackupRestoreDR. */
  readonly rules: BackupRuleArgs[];
  /** Prod's selection tags: restored resources carry them (StartRestoreJob `CopySourceTagsToRestoredResource`). */
  readonly selectionTags: Record<string, string>;
  /** Minutes a cross-region copy takes to land, as prod counts it. */
  readonly copyLandingMinutes: number;
  /**
   * Prod's databases' windows, chosen from its plan: the recovery CLI gives them to restored databases
   * (through the dr stack's `restoredSettings` output). Absent from a prod stack deployed before they were.
   */
  readonly databaseWindows?: { readonly backupWindow: string; readonly maintenanceWindow: string };
}

/** The prod stack's {@link RestoredDataPlan}: from the arguments it gives BackupRestoreDR (`protectionArgs`). */
export function restoredDataPlan(args: BackupRestoreDRArgs): RestoredDataPlan {
  const windows = args.databaseWindows;
  return {
    rules: args.plan.rules,
    selectionTags: { ...args.selection.tags },
    copyLandingMinutes: args.objectives?.copyLandingMinutes ?? DEFAULT_COPY_LANDING_MINUTES,
    ...(windows?.backupWindow &&
      windows.maintenanceWindow && {
        databaseWindows: { backupWindow: windows.backupWindow, maintenanceWindow: windows.maintenanceWindow },
      }),
  };
}

/**
 * The types of prod's data (stacks/primary.ts). A recovery restores them in the DR region with prod's tags,
 * so the plan selects their restored copies (S3: the replica buckets the application uses, selected by
 * ARN); any other type AWS Backup supports there that carries a selection tag is selected too.
 */
export const RESTORED_DATA_TYPES = ["RDS", "DynamoDB", "EBS", "S3"] as const;

/** The AWS managed policies of the role: backups and copies (restores use prod's backup role). */
const ROLE_MANAGED_POLICIES = [
  "service-role/AWSBackupServiceRolePolicyForBackup",
  "AWSBackupServiceRolePolicyForS3Backup",
] as const;

/** The dr stack's posture for restored data: what is protected, where it goes, how often, from when. */
export interface RestoredDataProtection {
  /** Resources in the DR region carrying any of these tags are protected. */
  readonly selectionTags: Record<string, string>;
  /** Protected by ARN: the replicas of prod's buckets, which the application writes to in DR. */
  readonly selectedBucketArns: string[];
  /** The types of prod's data, whose restored copies carry the tags. */
  readonly resourceTypes: readonly string[];
  /** The DR vault the plan stores recovery points in. */
  readonly vaultName: string;
  /** The primary vault the rules with a DR copy in prod's plan copy to, from the DR region. */
  readonly copyVaultArn: string;
  /**
   * The recovery points in the DR vault: each rule, its retention, and the worst case between a restored
   * resource appearing and its first recovery point (`worstCaseRpoMinutes`: the longest gap between two
   * runs, plus the completion window).
   */
  readonly local: RegionPosture;
  /** The copies in the primary vault, once that region answers; `worstCaseRpoMinutes` adds the landing. */
  readonly copies: RegionPosture;
  /** From when a restored resource is protected. */
  readonly protectedFrom: string;
  /** What happens to the copies while the primary region is down. */
  readonly copiesWhilePrimaryDown: string;
}

/** Arguments of {@link defineRestoredDataProtection}. */
export interface RestoredDataProtectionArgs {
  /** The DR region: the plan's and the selection's. */
  readonly region: string;
  readonly primaryRegion: string;
  /** The prod stack, for messages. */
  readonly primaryStack: string;
  /** Prod's {@link RestoredDataPlan}, read through the StackReference. */
  readonly plan: pulumi.Output<RestoredDataPlan>;
  /** The DR vault (prod's BackupRestoreDR creates it). */
  readonly drVaultName: pulumi.Output<string>;
  /** The primary vault, the copies' destination. */
  readonly primaryVaultArn: pulumi.Output<string>;
  /**
   * ARNs of the replicas of prod's buckets: versioned (S3 backups need it), written by the application
   * in DR, and tagged with the stack's tags only, so the selection names them.
   */
  readonly replicaBucketArns: pulumi.Output<string[]>;
  /** The RPO objective, in minutes, for `meetsRpo`. */
  readonly rpoMinutes: pulumi.Output<number>;
  readonly tags: Record<string, string>;
}

/** What {@link defineRestoredDataProtection} creates and reports. */
export interface RestoredDataProtectionResources {
  readonly role: aws.iam.Role;
  readonly plan: aws.backup.Plan;
  readonly selection: aws.backup.Selection;
  /** Alerts on the plan's backup and copy jobs in the DR region ending FAILED, ABORTED or EXPIRED. */
  readonly alertTopic: aws.sns.Topic;
  readonly posture: pulumi.Output<RestoredDataProtection>;
}

/** Prod's plan as the dr stack received it, checked with the component's rules before anything uses it. */
function checkedPlan(plan: RestoredDataPlan, primaryStack: string): RestoredDataPlan {
  const issues = [
    ...validation.checkPlan({ rules: plan.rules }),
    ...validation.checkSelection({ tags: plan.selectionTags }),
  ];
  if (issues.length > 0) {
    throw new pulumi.RunError(
      `the ${primaryStack} stack's restoredDataPlan output is not a plan AWS Backup accepts: ` +
        issues.map(validation.formatIssue).join("; "),
    );
  }
  return plan;
}

/**
 * The protection of restored data while the dr stack serves: an AWS Backup plan in the DR region with
 * prod's rules, storing in the DR vault and copying to the primary vault where prod's rules copy to DR,
 * a selection by prod's selection tags and of the replica buckets the application writes to in DR, the
 * role it uses, and alerts on its failed backup and copy jobs. All of it exists in standby too (it selects
 * nothing until a recovery restores tagged resources), so a flip creates or changes none of it: the role
 * is IAM, whose control plane is in us-east-1.
 */
export function defineRestoredDataProtection(
  name: string,
  args: RestoredDataProtectionArgs,
): RestoredDataProtectionResources {
  const plan = args.plan.apply((received) => checkedPlan(received, args.primaryStack));
  const role = new aws.iam.Role(`${name}-restored-backup-role`, {
    namePrefix: `${name}-dr-backup-`,
    description: `AWS Backup role of the dr-app dr stack's plan for restored data (${args.region})`,
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    }),
    tags: args.tags,
  });
  const partition = validation.partitionOf(args.region);
  const attachments = ROLE_MANAGED_POLICIES.map(
    (policy) =>
      new aws.iam.RolePolicyAttachment(`${name}-restored-backup-${policy.split("/").pop()}`, {
        role: role.name,
        policyArn: `arn:${partition}:iam::aws:policy/${policy}`,
      }),
  );
  const backupPlan = new aws.backup.Plan(`${name}-restored-plan`, {
    region: args.region,
    rules: pulumi
      .all([plan, args.drVaultName, args.primaryVaultArn])
      .apply(([checked, targetVaultName, copyVaultArn]) =>
        toAwsPlanRules({ rules: checked.rules }, { targetVaultName, copyVaultArn }),
      ),
    tags: args.tags,
  });
  const selection = new aws.backup.Selection(
    `${name}-restored-selection`,
    {
      region: args.region,
      planId: backupPlan.id,
      iamRoleArn: role.arn,
      selectionTags: plan.apply((checked) =>
        Object.entries(checked.selectionTags).map(([key, value]) => ({ type: "STRINGEQUALS", key, value })),
      ),
      resources: args.replicaBucketArns,
      notResources: [],
    },
    // CreateBackupSelection checks that the role may call tag:GetResources; the provider retries while
    // IAM propagates (terraform-provider-aws internal/service/backup/selection.go), once the policies exist.
    { dependsOn: attachments },
  );
  // Copy jobs report in their source region only, this one; prod's monitoring watches copies from its own.
  const alertTopic = createJobAlerts(`${name}-restored`, {
    region: args.region,
    jobs: ["backup", "copy"],
    label: `restored data in ${args.region}`,
    tags: args.tags,
  });
  const posture = pulumi
    .all([plan, args.drVaultName, args.primaryVaultArn, args.rpoMinutes, args.replicaBucketArns])
    .apply(([checked, vaultName, copyVaultArn, rpoMinutes, selectedBucketArns]) =>
      describeProtection(checked, { ...args, vaultName, copyVaultArn, rpoMinutes, selectedBucketArns }),
    );
  return { role, plan: backupPlan, selection, alertTopic, posture };
}

/** The posture of the plan: the component's arithmetic with the regions' roles swapped. */
export function describeProtection(
  plan: RestoredDataPlan,
  where: {
    readonly region: string;
    readonly primaryRegion: string;
    readonly vaultName: string;
    readonly copyVaultArn: string;
    readonly rpoMinutes: number;
    readonly selectedBucketArns: string[];
  },
): RestoredDataProtection {
  const posture = computePosture({
    primaryRegion: where.region,
    drRegion: where.primaryRegion,
    plan: { rules: plan.rules },
    selection: { tags: plan.selectionTags },
    objectives: { rpoMinutes: where.rpoMinutes, copyLandingMinutes: plan.copyLandingMinutes },
  });
  const first = posture.primary.worstCaseRpoMinutes;
  return {
    selectionTags: plan.selectionTags,
    selectedBucketArns: where.selectedBucketArns,
    resourceTypes: RESTORED_DATA_TYPES,
    vaultName: where.vaultName,
    copyVaultArn: where.copyVaultArn,
    local: posture.primary,
    copies: posture.dr,
    protectedFrom:
      "the first scheduled run of a rule after the restored resource exists with a selection tag: the plan " +
      `and selection exist in standby, so the first recovery point is at most ${first ?? "(unbounded)"} min ` +
      "after the restore (the longest gap between runs plus the completion window); nothing is protected " +
      "before that but the recovery point it was restored from",
    copiesWhilePrimaryDown:
      `a copy to ${where.primaryRegion} that cannot start retries for 2 hours (CREATED), then fails; AWS ` +
      "Backup does not copy that recovery point again. The first run after the primary region answers " +
      "copies its own recovery point, and a failback copies the newest one on demand (StartCopyJob). " +
      "Recovery points in cold storage cannot be copied.",
  };
}
