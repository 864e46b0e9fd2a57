// Restore jobs: the start call (idempotent, journaled intent) and the polling schedule.
import { BackupClient, StartRestoreJobCommand, paginateListRestoreJobs } from "@aws-sdk/client-backup";
import { createHash } from "crypto";
import { Clock } from "../../clock";
import { InterruptedError } from "../../errors";
import { JobStatus, PlannedRestore } from "./journal";
import { isTransientError } from "../../aws/errors";

/**
 * The idempotency token of a restore: a UUID-shaped hash of run id, recovery point and attempt.
 * Deterministic, so a start retried after a time-out, a crash or Ctrl-C sends the same token and
 * AWS Backup answers with the job it already started instead of starting a second one.
 */
export function idempotencyToken(runId: string, recoveryPointArn: string, attempt: number): string {
  const hex = createHash("sha256").update(`${runId}\n${recoveryPointArn}\n${attempt}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Polling schedule of {@link waitForRestoreJob}. */
export interface PollOptions {
  /** Delay before the first DescribeRestoreJob. Default 2 s: the operator sees PENDING -> RUNNING at once. */
  readonly initialDelayMs?: number;
  /** Cap of the delay. Default 15 s: twice as often as the seed's fixed 30 s, 40 jobs stay under 3 calls/s. */
  readonly maxDelayMs?: number;
  /** Growth of the delay per poll. Default 1.6. */
  readonly factor?: number;
  /** Random spread of each delay, as a fraction (0.2 = ±20 %), so 40 jobs do not poll in lock-step. Default 0.2. */
  readonly jitter?: number;
  /**
   * Least time between two polls (ListRestoreJobs answers for every job at once, so one call a
   * second costs less than the old one call per job every 2-15 s). Default 1 s, at most `maxDelayMs`.
   */
  readonly minIntervalMs?: number;
  /** Consecutive throttling / network failures tolerated before giving up on a job. Default 20. */
  readonly maxConsecutiveErrors?: number;
  /** Random source in [0, 1). Default Math.random. */
  readonly random?: () => number;
}

/** The next delay: exponential growth capped at `maxDelayMs`, with ±jitter. */
export function nextPollDelay(attempt: number, options: PollOptions = {}): number {
  const initial = options.initialDelayMs ?? 2_000;
  const max = options.maxDelayMs ?? 15_000;
  const factor = options.factor ?? 1.6;
  const jitter = options.jitter ?? 0.2;
  const random = options.random ?? Math.random;
  const base = Math.min(max, initial * Math.pow(factor, attempt));
  const spread = base * jitter * (random() * 2 - 1);
  return Math.max(1, Math.round(Math.min(max, base + spread)));
}

/** What one DescribeRestoreJob said. */
export interface JobSnapshot {
  readonly status: Exclude<JobStatus, "STARTING">;
  readonly statusMessage?: string;
  readonly percentDone?: string;
  readonly createdResourceArn?: string;
  readonly completionDate?: Date;
}

/**
 * AWS's `PercentDone` as a number: the API returns a string, in practice with a trailing `%`
 * ("42.00%"), so both forms are read. Undefined when absent or not a number.
 */
export function percentDone(value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const parsed = Number.parseFloat(value.trim().replace(/%$/, ""));
  return Number.isFinite(parsed) ? Math.round(parsed * 100) / 100 : undefined;
}

/** True for the states a restore job never leaves. */
export function isFinalStatus(status: JobStatus): boolean {
  return status === "COMPLETED" || status === "FAILED" || status === "ABORTED";
}

/** Options shared by the calls below. */
export interface JobCallOptions {
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  readonly poll?: PollOptions;
}

/**
 * Starts the restore of one planned recovery point. Throttling and network errors are retried
 * with the same idempotency token, so a retried start is a no-op on AWS's side.
 */
export async function startRestoreJob(
  backup: BackupClient,
  plan: PlannedRestore,
  token: string,
  options: JobCallOptions,
): Promise<string> {
  const command = new StartRestoreJobCommand({
    RecoveryPointArn: plan.recoveryPointArn,
    IamRoleArn: plan.iamRoleArn,
    Metadata: plan.metadata,
    ResourceType: plan.resourceType,
    IdempotencyToken: token,
    ...(plan.copySourceTags ? { CopySourceTagsToRestoredResource: true } : {}),
  });
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await backup.send(command, { abortSignal: options.signal });
      if (!response.RestoreJobId) {
        throw new Error("StartRestoreJob returned no RestoreJobId");
      }
      return response.RestoreJobId;
    } catch (err) {
      if (options.signal?.aborted) {
        throw new InterruptedError();
      }
      if (!isTransientError(err) || attempt >= 5) {
        throw err;
      }
      await options.clock.sleep(
        nextPollDelay(attempt, {
          initialDelayMs: 1_000,
          maxDelayMs: 10_000,
          random: options.clock.random?.bind(options.clock),
        }),
        options.signal,
      );
    }
  }
}

/**
 * Finds a restore job already started for a recovery point since `since` (ListRestoreJobs, all
 * pages). Used when a previous run was interrupted between StartRestoreJob and writing its answer
 * to the journal: idempotency tokens only last an hour, the job list does not expire.
 */
export async function findRestoreJob(
  backup: BackupClient,
  recoveryPointArn: string,
  since: Date,
  excludeJobIds: readonly string[] = [],
): Promise<string | undefined> {
  let found: { id: string; created: number } | undefined;
  const pages = paginateListRestoreJobs({ client: backup }, { ByCreatedAfter: since });
  for await (const page of pages) {
    for (const job of page.RestoreJobs ?? []) {
      if (
        job.RecoveryPointArn !== recoveryPointArn ||
        !job.RestoreJobId ||
        excludeJobIds.includes(job.RestoreJobId)
      ) {
        continue;
      }
      const created = job.CreationDate ? new Date(job.CreationDate).getTime() : 0;
      if (!found || created > found.created) {
        found = { id: job.RestoreJobId, created };
      }
    }
  }
  return found?.id;
}
