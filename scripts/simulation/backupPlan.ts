/** A run of a backup plan's rule in the simulation: tag-based selection, a backup job per selected resource, a copy job per completed backup. */
import { BackupAndCopyJobs } from "./backupJobs";
import { ResourceStore, SimResource } from "./resourceStore";
import { JobLifecycle } from "./vaultLock";

/** One run of a backup rule (what AWS Backup does at the rule's scheduled time), see {@link BackupPlanRuns.run}. */
export interface BackupPlanRun {
  /** The plan's region: its selection takes resources of this region only, its backups go to its vault there. */
  readonly region: string;
  /** The rule's target vault, in {@link region}. */
  readonly vault: string;
  /** The selection's `ListOfTags` (STRINGEQUALS): a resource carrying any one of them is selected. */
  readonly selectionTags: Readonly<Record<string, string>>;
  /** The plan's id, the jobs' `CreatedBy.BackupPlanId` (API_BackupJob.html). @default `backup-plan` */
  readonly backupPlanId?: string;
  /** The selection's role. @default the fake account's `backup-role` */
  readonly iamRoleArn?: string;
  /** The rule's lifecycle, which the vault's lock judges. @default 35 days, within the project's default lock (3-97) */
  readonly lifecycle?: JobLifecycle;
  /** The rule's copy action: each completed backup is copied to this vault (ARN), with its lifecycle. @default no copy */
  readonly copyTo?: { readonly vaultArn: string; readonly lifecycle?: JobLifecycle };
}

/** What a run started: the backup job per selected resource. */
export interface BackupPlanRunResult {
  /** Selected resources' ARNs, with their backup job ids. */
  readonly backups: ReadonlyArray<{ readonly resourceArn: string; readonly backupJobId: string }>;
}

const DEFAULT_LIFECYCLE: JobLifecycle = { DeleteAfterDays: 35 };

/**
 * Whether a backup selection by tags takes `resource`: `ListOfTags` conditions are STRINGEQUALS on a tag
 * key and value, and "when you specify more than one condition, you assign all resources that match AT
 * LEAST ONE condition (using OR logic)" (AWS CloudFormation, AWS::Backup::BackupSelection
 * BackupSelectionResourceType, ListOfTags; AWS Backup API, Condition: "Condition only supports
 * StringEquals"; case sensitive).
 */
export function selectedByTags(
  resource: SimResource,
  selectionTags: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(selectionTags).some(([key, value]) => resource.tags[key] === value);
}

/**
 * Backup plans with a tag-based selection, as AWS Backup runs them (developer guide, "Assigning resources
 * to a backup plan", assigning-resources.html: resources assigned by tag are evaluated at each backup run,
 * so a resource tagged after the plan was made, or one that lost its tag, is in or out of the next run):
 * at each run, a backup job (the vault's lock judging its lifecycle) for every live resource of the
 * plan's region that carries a selection tag, and when a backup completes, the rule's copy action starts a
 * copy job of its recovery point (developer guide, "Creating backup copies across AWS Regions": the copy
 * starts after the backup completes), dated at the backup's completion (unsourced guess: AWS gives no delay).
 */
export class BackupPlanRuns {
  private readonly pendingCopies: Array<{
    readonly region: string;
    readonly backupJobId: string;
    readonly run: BackupPlanRun;
  }> = [];

  constructor(
    private readonly jobs: BackupAndCopyJobs,
    private readonly store: ResourceStore,
    private readonly defaultRoleArn: string,
  ) {}

  /** Starts one run of the rule now. */
  run(plan: BackupPlanRun): BackupPlanRunResult {
    const selected = this.store.list(plan.region).filter((r) => selectedByTags(r, plan.selectionTags));
    const backups = selected.map((resource) => {
      const started = this.jobs.startBackup(
        plan.region,
        {
          BackupVaultName: plan.vault,
          ResourceArn: resource.arn,
          IamRoleArn: plan.iamRoleArn ?? this.defaultRoleArn,
          Lifecycle: plan.lifecycle ?? DEFAULT_LIFECYCLE,
        },
        plan.backupPlanId ?? "backup-plan",
      );
      if (plan.copyTo) {
        this.pendingCopies.push({ region: plan.region, backupJobId: started.BackupJobId, run: plan });
      }
      return { resourceArn: resource.arn, backupJobId: started.BackupJobId };
    });
    return { backups };
  }

  /**
   * Starts the copy of every backup of a run that has completed since the last call (after the jobs
   * settled), dated at the backup's completion; true when it started any (settle the jobs again).
   */
  settle(): boolean {
    let started = false;
    for (const pending of [...this.pendingCopies]) {
      const backup = this.jobs.describeBackup(pending.region, pending.backupJobId);
      if (backup.State === "CREATED" || backup.State === "RUNNING") {
        continue;
      }
      this.pendingCopies.splice(this.pendingCopies.indexOf(pending), 1);
      const copyTo = pending.run.copyTo;
      if (backup.State === "COMPLETED" && copyTo) {
        this.jobs.startCopy(
          pending.region,
          {
            RecoveryPointArn: String(backup.RecoveryPointArn),
            SourceBackupVaultName: pending.run.vault,
            DestinationBackupVaultArn: copyTo.vaultArn,
            IamRoleArn: pending.run.iamRoleArn ?? this.defaultRoleArn,
            Lifecycle: copyTo.lifecycle ?? pending.run.lifecycle ?? DEFAULT_LIFECYCLE,
          },
          (backup.CompletionDate as Date).getTime(),
        );
        started = true;
      }
    }
    return started;
  }
}
