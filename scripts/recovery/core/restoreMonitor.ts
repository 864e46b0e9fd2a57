// The restore monitor: one ListRestoreJobs call a poll for every job of a run, each job's state and progress.
import {
  BackupClient,
  DescribeRestoreJobCommand,
  RestoreJobsListMember,
  paginateListRestoreJobs,
} from "@aws-sdk/client-backup";
import { Clock } from "../../clock";
import { InterruptedError } from "../../errors";
import { JobSnapshot, PollOptions, isFinalStatus, percentDone } from "./restoreJobs";
import { describeAwsError, isTransientError } from "../../aws/errors";
import { JobTrack, ProgressSample, awsExpectedEnd, progressEnd } from "./eta";

/** Options of {@link RestoreJobMonitor}. */
export interface MonitorOptions {
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  readonly poll?: PollOptions;
}

/**
 * A job as a listing (or a describe call) shows it. ListRestoreJobs' RestoreJobsListMember and
 * DescribeRestoreJob's answer carry the same fields used here (AWS Backup API reference): Status,
 * StatusMessage, PercentDone (a string), CreatedResourceArn, CompletionDate, ExpectedCompletionTimeMinutes.
 */
export interface ListedJob extends JobSnapshot {
  readonly id: string;
  /** AWS's estimate of the job's duration, in minutes, when it gives one (optional in the API). */
  readonly expectedMinutes?: number;
}

/**
 * A kind of AWS Backup job the monitor follows (restore, backup, copy): how one call lists the jobs
 * created since a time, page by page, and how one job is asked for directly.
 */
export interface MonitoredJobKind {
  /** The listing call, for error messages (`ListRestoreJobs`). */
  readonly listCall: string;
  readonly describeCall: string;
  list(client: BackupClient, since: Date): AsyncIterable<readonly ListedJob[]>;
  describe(client: BackupClient, id: string): Promise<ListedJob>;
}

function listedRestoreJob(member: RestoreJobsListMember): ListedJob {
  return {
    id: member.RestoreJobId ?? "",
    status: (member.Status ?? "PENDING") as JobSnapshot["status"],
    statusMessage: member.StatusMessage,
    percentDone: member.PercentDone,
    createdResourceArn: member.CreatedResourceArn,
    completionDate: member.CompletionDate ? new Date(member.CompletionDate) : undefined,
    expectedMinutes: member.ExpectedCompletionTimeMinutes,
  };
}

/** Restore jobs: ListRestoreJobs (pages of 1000), DescribeRestoreJob. */
export const RESTORE_JOBS: MonitoredJobKind = {
  listCall: "ListRestoreJobs",
  describeCall: "DescribeRestoreJob",
  async *list(client, since) {
    for await (const page of paginateListRestoreJobs({ client, pageSize: 1000 }, { ByCreatedAfter: since })) {
      yield (page.RestoreJobs ?? []).map(listedRestoreJob);
    }
  },
  describe: async (client, id) =>
    listedRestoreJob(await client.send(new DescribeRestoreJobCommand({ RestoreJobId: id }))),
};

/** A job being followed. */
interface Watched {
  readonly id: string;
  /** When the job was created (its start answered), by the CLI's clock. */
  readonly createdAt: number;
  readonly addedAt: number;
  readonly onChange?: (snapshot: JobSnapshot) => void;
  readonly resolve: (snapshot: JobSnapshot) => void;
  readonly reject: (err: unknown) => void;
  last?: JobSnapshot;
  /** First and latest (time, PercentDone) seen while RUNNING: the job's observed speed. */
  firstProgress?: ProgressSample;
  lastProgress?: ProgressSample;
  expectedMinutes?: number;
  /** Consecutive listings the job was missing from (eventual consistency right after a start). */
  misses: number;
}

/** Share of a job's age to wait between polls when nothing says when it will end. */
const AGE_FRACTION = 0.08;
/** The same once a job is past its expected end: it is about to finish. */
const OVERDUE_FRACTION = 0.02;
/** Polled a little after the expected end, not at it, so the job is done when asked. */
const AFTER_EXPECTED_MS = 50;
/** A job missing from this many listings in a row is asked for directly (DescribeRestoreJob). */
const MISSES_BEFORE_DESCRIBE = 3;

/**
 * Follows every restore job of a run with ListRestoreJobs (or, with another {@link MonitoredJobKind},
 * its backup or copy jobs with their listing): one call (per page of up to 1000 jobs,
 * filtered to jobs created since the run's first start) answers for all of them, where
 * DescribeRestoreJob costs one call per job. Polls are scheduled per job and the earliest wins:
 * shortly after a job starts; at the end AWS expects (`ExpectedCompletionTimeMinutes`) or that its
 * `PercentDone` progress predicts; otherwise at a fraction of the job's age, so a job's end is
 * noticed within a few percent of its duration. Polls are at least `minIntervalMs` apart and at most
 * `maxDelayMs`.
 */
export class RestoreJobMonitor {
  private readonly watched = new Map<string, Watched>();
  private loop: Promise<void> | undefined;
  private wake: AbortController | undefined;
  private plannedAt = Number.POSITIVE_INFINITY;
  private lastCallAt = Number.NEGATIVE_INFINITY;
  /** ListRestoreJobs pages and DescribeRestoreJob calls made. */
  calls = 0;

  constructor(
    private readonly backup: BackupClient,
    private readonly options: MonitorOptions,
    private readonly kind: MonitoredJobKind = RESTORE_JOBS,
  ) {}

  private get initialDelay(): number {
    return this.options.poll?.initialDelayMs ?? 2_000;
  }

  private get maxDelay(): number {
    return this.options.poll?.maxDelayMs ?? 15_000;
  }

  private get minInterval(): number {
    return Math.min(this.options.poll?.minIntervalMs ?? 1_000, this.maxDelay);
  }

  /**
   * What is known of a followed job's speed, for its estimate (eta.ts); undefined once it has ended or
   * when it is not followed.
   */
  track(jobId: string): JobTrack | undefined {
    const job = this.watched.get(jobId);
    return (
      job && {
        createdAt: job.createdAt,
        expectedMinutes: job.expectedMinutes,
        pending: job.last?.status === "PENDING",
        firstProgress: job.firstProgress,
        lastProgress: job.lastProgress,
      }
    );
  }

  /**
   * Resolves with the job's final state; `onChange` sees each new status or percentage, after
   * {@link track} has taken it in.
   */
  follow(jobId: string, createdAt: number, onChange?: (snapshot: JobSnapshot) => void): Promise<JobSnapshot> {
    return new Promise<JobSnapshot>((resolve, reject) => {
      const now = this.options.clock.now();
      this.watched.set(jobId, { id: jobId, createdAt, addedAt: now, onChange, resolve, reject, misses: 0 });
      if (this.options.signal?.aborted) {
        this.failAll(new InterruptedError());
        return;
      }
      if (now + this.initialDelay < this.plannedAt) {
        // The loop sleeps longer than this new job should wait for its first poll.
        this.wake?.abort();
      }
      this.ensureLoop();
    });
  }

  private ensureLoop(): void {
    this.loop ??= this.run().finally(() => {
      this.loop = undefined;
      // A job added while the loop was returning would otherwise never be polled.
      if (this.watched.size > 0) {
        this.ensureLoop();
      }
    });
  }

  private async run(): Promise<void> {
    const maxErrors = this.options.poll?.maxConsecutiveErrors ?? 20;
    let consecutiveErrors = 0;
    while (this.watched.size > 0) {
      const now = this.options.clock.now();
      const due = Math.max(this.nextPollAt(now), this.lastCallAt + this.minInterval);
      this.plannedAt = due;
      this.wake = new AbortController();
      const signals = [this.wake.signal, ...(this.options.signal ? [this.options.signal] : [])];
      try {
        await this.options.clock.sleep(Math.max(0, due - now), AbortSignal.any(signals));
      } catch {
        if (this.options.signal?.aborted) {
          this.failAll(new InterruptedError());
          return;
        }
        continue; // woken early for a new job: plan again
      } finally {
        this.plannedAt = Number.POSITIVE_INFINITY;
      }
      this.lastCallAt = this.options.clock.now();
      try {
        await this.pollOnce();
        consecutiveErrors = 0;
      } catch (err) {
        if (this.options.signal?.aborted) {
          this.failAll(new InterruptedError());
          return;
        }
        consecutiveErrors++;
        if (!isTransientError(err) || consecutiveErrors > maxErrors) {
          this.failAll(new Error(`${this.kind.listCall}: ${describeAwsError(err)}`));
          return;
        }
      }
    }
  }

  /** When the earliest of the watched jobs wants its next poll. */
  private nextPollAt(now: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const job of this.watched.values()) {
      next = Math.min(next, this.jobPollAt(job, now));
    }
    return next;
  }

  private jobPollAt(job: Watched, now: number): number {
    if (!job.last) {
      return job.addedAt + this.initialDelay;
    }
    const clamp = (ms: number) => Math.min(this.maxDelay, Math.max(this.minInterval, ms));
    const age = Math.max(0, now - job.createdAt);
    const byAge = clamp(AGE_FRACTION * age);
    const expected = this.expectedEnd(job);
    if (expected === undefined) {
      return now + byAge;
    }
    if (expected.at + AFTER_EXPECTED_MS > now) {
      const untilEnd = clamp(expected.at + AFTER_EXPECTED_MS - now);
      // AWS's estimate is in whole minutes: a bound, not a prediction to sleep on.
      return now + (expected.fromProgress ? untilEnd : Math.min(untilEnd, byAge));
    }
    return now + clamp(OVERDUE_FRACTION * age);
  }

  /**
   * When to expect the job's end, to poll then: its own progress first (AWS's estimate is in whole
   * minutes), else AWS's estimate.
   */
  private expectedEnd(job: Watched): { at: number; fromProgress: boolean } | undefined {
    const byProgress = progressEnd(job);
    if (byProgress !== undefined) {
      return { at: byProgress, fromProgress: true };
    }
    const byAws = awsExpectedEnd(job);
    return byAws !== undefined ? { at: byAws, fromProgress: false } : undefined;
  }

  private async pollOnce(): Promise<void> {
    const since = Math.min(...[...this.watched.values()].map((j) => j.createdAt)) - 5 * 60_000;
    const seen = new Set<string>();
    for await (const page of this.kind.list(this.backup, new Date(since))) {
      this.calls++;
      for (const listed of page) {
        const job = this.watched.get(listed.id);
        if (job) {
          seen.add(job.id);
          this.observe(job, listed);
        }
      }
    }
    for (const job of [...this.watched.values()]) {
      if (seen.has(job.id) || ++job.misses < MISSES_BEFORE_DESCRIBE) {
        continue;
      }
      this.calls++;
      try {
        this.observe(job, await this.kind.describe(this.backup, job.id));
      } catch (err) {
        if (!isTransientError(err)) {
          this.watched.delete(job.id);
          job.reject(new Error(`${this.kind.describeCall} ${job.id}: ${describeAwsError(err)}`));
        }
      }
    }
  }

  private observe(job: Watched, listed: ListedJob): void {
    job.misses = 0;
    const snapshot: JobSnapshot = {
      status: listed.status,
      statusMessage: listed.statusMessage,
      percentDone: listed.percentDone,
      createdResourceArn: listed.createdResourceArn,
      completionDate: listed.completionDate,
    };
    const now = this.options.clock.now();
    const percent = percentDone(listed.percentDone);
    if (snapshot.status === "RUNNING" && percent !== undefined && percent > 0) {
      job.firstProgress ??= { at: now, percent };
      job.lastProgress = { at: now, percent };
    }
    job.expectedMinutes = listed.expectedMinutes ?? job.expectedMinutes;
    const changed =
      !job.last || job.last.status !== snapshot.status || job.last.percentDone !== snapshot.percentDone;
    job.last = snapshot;
    if (changed) {
      job.onChange?.(snapshot);
    }
    if (isFinalStatus(snapshot.status)) {
      this.watched.delete(job.id);
      job.resolve(snapshot);
    }
  }

  private failAll(err: unknown): void {
    for (const job of this.watched.values()) {
      job.reject(err);
    }
    this.watched.clear();
  }
}
