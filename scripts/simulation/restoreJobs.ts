/** AWS Backup's restore jobs of every region: StartRestoreJob, DescribeRestoreJob, ListRestoreJobs. */
import { BACKUP_DEFAULTS, pendingMs } from "./backupDefaults";
import { FakeApiError } from "./backupJobs";
import { percentText } from "./jobListing";
import type { SimPoint } from "./recoveryPoints";
import { resourceArn, restoredId } from "./resourceStore";

/** A restore job: what StartRestoreJob was given, where and when. */
export interface RestoreJob {
  readonly id: string;
  readonly recoveryPointArn: string;
  readonly token?: string;
  readonly startedAt: number;
  readonly metadata: Record<string, string>;
  /** The region of the StartRestoreJob call: the restore creates its resource there. */
  readonly region: string;
  readonly point: SimPoint;
  /** StartRestoreJob's CopySourceTagsToRestoredResource (absent: false). */
  readonly copySourceTags: boolean;
  /** The restore testing plan that started the job; absent for a StartRestoreJob call. */
  readonly restoreTestingPlanArn?: string;
}

/** A restore job as DescribeRestoreJob and ListRestoreJobs answer it. */
export interface RestoreJobRecord {
  readonly RestoreJobId: string;
  readonly RecoveryPointArn: string;
  readonly CreationDate: Date;
  readonly ResourceType: string;
  readonly ExpectedCompletionTimeMinutes: number;
  readonly Status: string;
  readonly PercentDone?: string;
  readonly StatusMessage?: string;
  readonly CompletionDate?: Date;
  readonly CreatedResourceArn?: string;
  /** The resource the recovery point was taken of (RestoreJobsListMember.SourceResourceArn). */
  readonly SourceResourceArn: string;
  /** The restore testing plan that started the job (RestoreJobCreator), when one did. */
  readonly CreatedBy?: { readonly RestoreTestingPlanArn: string };
}

/** StartRestoreJob's input, as the model takes it. */
export interface StartRestoreInput {
  readonly RecoveryPointArn: string;
  readonly IdempotencyToken?: string;
  readonly Metadata: Record<string, string>;
  readonly CopySourceTagsToRestoredResource?: boolean;
}

/**
 * Restore jobs: PENDING (the first tenth of the point's `restoreMs`, at most a minute) -> RUNNING
 * (PercentDone) -> the point's outcome (COMPLETED, FAILED or ABORTED) when `restoreMs` has passed; the
 * same idempotency token answers the same job. Each job belongs to the region of its call.
 */
export class RestoreJobs {
  /** Every restore job, by id. */
  readonly jobs = new Map<string, RestoreJob>();
  /** StartRestoreJob calls per recovery point ARN, idempotent repeats included. */
  readonly starts = new Map<string, number>();
  private nextJob = 1;

  constructor(
    private readonly deps: {
      readonly now: () => number;
      /** The recovery point `arn` of a vault of `region`, or undefined. */
      readonly findPoint: (region: string, arn: string) => SimPoint | undefined;
      /** Restore job ids by their number. Default {@link BACKUP_DEFAULTS.restoreJobId}. */
      readonly restoreJobId?: (n: number) => string;
    },
  ) {}

  /**
   * StartRestoreJob in `region` (API_StartRestoreJob.html): a retry with the same IdempotencyToken
   * answers the job the token started.
   */
  start(
    region: string,
    input: StartRestoreInput,
    restoreTestingPlanArn?: string,
  ): { RestoreJobId: string; RecoveryPointArn: string } {
    this.starts.set(input.RecoveryPointArn, (this.starts.get(input.RecoveryPointArn) ?? 0) + 1);
    const existing = input.IdempotencyToken
      ? [...this.jobs.values()].find((j) => j.token === input.IdempotencyToken)
      : undefined;
    if (existing) {
      return { RestoreJobId: existing.id, RecoveryPointArn: input.RecoveryPointArn };
    }
    const point = this.deps.findPoint(region, input.RecoveryPointArn);
    if (!point) {
      throw new FakeApiError(
        404,
        "ResourceNotFoundException",
        `Recovery point ${input.RecoveryPointArn} not found`,
      );
    }
    const id = (this.deps.restoreJobId ?? BACKUP_DEFAULTS.restoreJobId)(this.nextJob++);
    this.jobs.set(id, {
      id,
      recoveryPointArn: input.RecoveryPointArn,
      token: input.IdempotencyToken,
      startedAt: this.deps.now(),
      metadata: input.Metadata,
      region,
      point,
      copySourceTags: input.CopySourceTagsToRestoredResource === true,
      ...(restoreTestingPlanArn !== undefined && { restoreTestingPlanArn }),
    });
    return { RestoreJobId: id, RecoveryPointArn: input.RecoveryPointArn };
  }

  /** DescribeRestoreJob in `region`: a job of another region is not found, as AWS's API is regional. */
  describe(region: string, id: string): RestoreJobRecord {
    const job = this.jobs.get(id);
    if (!job || job.region !== region) {
      throw new FakeApiError(404, "ResourceNotFoundException", `Restore job ${id} not found`);
    }
    return this.record(job);
  }

  /** A restore job as DescribeRestoreJob answers it now, whatever its region; undefined when there is none. */
  peek(id: string): RestoreJobRecord | undefined {
    const job = this.jobs.get(id);
    return job && this.record(job);
  }

  /**
   * Every restore job of `region`, as ListRestoreJobs lists them (API_ListRestoreJobs.html; the Backup
   * model filters and pages them).
   */
  list(region: string): RestoreJobRecord[] {
    return [...this.jobs.values()].filter((j) => j.region === region).map((j) => this.record(j));
  }

  /**
   * How the job ends: its point's outcome, unless the point's failure is one a later attempt gets past
   * ({@link SimPoint.failsUntil}): a retry of a transient failure, or a start with other restore metadata
   * (another instance class or Availability Zone after a capacity failure, another name after a conflict:
   * one of {@link SimPoint.fixKeys} changed; a change of another key fails the same way).
   */
  private outcomeOf(job: RestoreJob): "COMPLETED" | "FAILED" | "ABORTED" {
    const outcome = job.point.outcome ?? "COMPLETED";
    const first = [...this.jobs.values()].find((j) => j.recoveryPointArn === job.recoveryPointArn);
    if (outcome === "COMPLETED" || !first || first === job) {
      return outcome;
    }
    if (job.point.failsUntil === "retry") {
      return "COMPLETED";
    }
    if (job.point.failsUntil === "new-metadata" && changedFix(job.point, first.metadata, job.metadata)) {
      return "COMPLETED";
    }
    return outcome;
  }

  /**
   * A job at the clock's time. ExpectedCompletionTimeMinutes is AWS's estimate, which DescribeRestoreJob
   * and ListRestoreJobs return (API_DescribeRestoreJob.html, API_RestoreJobsListMember.html); in whole
   * minutes, at least one.
   */
  private record(job: RestoreJob): RestoreJobRecord {
    const point = job.point;
    const duration = point.restoreMs ?? BACKUP_DEFAULTS.restoreMs;
    const elapsed = this.deps.now() - job.startedAt;
    const base = {
      RestoreJobId: job.id,
      RecoveryPointArn: job.recoveryPointArn,
      CreationDate: new Date(job.startedAt),
      ResourceType: point.resourceType,
      ExpectedCompletionTimeMinutes: Math.max(1, Math.ceil(duration / 60_000)),
      SourceResourceArn: point.resourceArn,
      ...(job.restoreTestingPlanArn !== undefined && {
        CreatedBy: { RestoreTestingPlanArn: job.restoreTestingPlanArn },
      }),
    };
    if (elapsed < pendingMs(duration)) {
      return { ...base, Status: "PENDING" };
    }
    if (elapsed < duration) {
      return { ...base, Status: "RUNNING", PercentDone: percentText((100 * elapsed) / duration) };
    }
    const outcome = this.outcomeOf(job);
    if (outcome !== "COMPLETED") {
      return {
        ...base,
        Status: outcome,
        StatusMessage: point.failureMessage ?? "Restore failed",
        CompletionDate: new Date(job.startedAt + duration),
      };
    }
    return {
      ...base,
      Status: "COMPLETED",
      PercentDone: "100.00%",
      CompletionDate: new Date(job.startedAt + duration),
      // A restore creates its resource in the region it runs in (StartRestoreJob is regional).
      CreatedResourceArn: resourceArn(
        point.resourceType,
        job.region,
        restoredId(point.resourceType, job.id, job.metadata),
      ),
    };
  }
}

/**
 * The key of the copy's name, per type, as the restore metadata of each names it (restoredId in
 * resourceStore.ts reads the same keys): what a name conflict is got past by.
 */
const NAME_KEYS: Readonly<Record<string, string>> = {
  RDS: "DBInstanceIdentifier",
  Aurora: "DBClusterIdentifier",
  DynamoDB: "targetTableName",
  S3: "DestinationBucketName",
  EFS: "CreationToken",
};

/**
 * Whether a later attempt changed one of the keys that fix the point's failure ({@link SimPoint.fixKeys},
 * by default the name key); AWS reads the keys case-insensitively (restoring-a-backup.html).
 */
function changedFix(
  point: SimPoint,
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const fixes = point.fixKeys ?? (NAME_KEYS[point.resourceType] ? [NAME_KEYS[point.resourceType]] : []);
  const valueOf = (m: Readonly<Record<string, string>>, key: string) =>
    Object.entries(m).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  return fixes.some((key) => valueOf(a, key) !== valueOf(b, key));
}
