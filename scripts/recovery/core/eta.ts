// When AWS Backup jobs and the run that waits on them should end: from AWS's figures, a job's own progress, the run's.
import { approxDuration } from "../../time";

/*
 * What AWS gives (AWS Backup API reference, "DescribeRestoreJob" and "RestoreJobsListMember": the same
 * fields on both calls):
 *   - CreationDate (timestamp): when the job was created.
 *   - ExpectedCompletionTimeMinutes (integer, optional): "the amount of time in minutes that a job
 *     restoring a recovery point is expected to take". The page does not say from when the minutes count:
 *     the end as CreationDate plus that is this code's interpretation (unsourced). And the code does not read
 *     CreationDate: a job's `createdAt` is when the CLI's StartRestoreJob call answered (the journal's
 *     `startedAt`), a little after AWS created the job; for a job adopted after a crash, when it was adopted,
 *     later still, so the expected end drawn from it errs late.
 *   - PercentDone (string, optional): "an estimated percentage ... complete of a job at the time the job
 *     status was queried"; a string, in practice "42.00%".
 * Backup jobs ("DescribeBackupJob", "BackupJob" of ListBackupJobs) give PercentDone, ExpectedCompletionDate
 * (a time, not minutes) and StartBy (the latest the job may start, from the plan's start window); copy jobs
 * ("CopyJob") give none of the three. Restore jobs have no StartBy.
 * Which resource types fill ExpectedCompletionTimeMinutes and PercentDone, how early, and how steadily the
 * percentage moves is not documented (unsourced): both are optional in the API, so every estimate below
 * falls back to the next and ends in "unknown" rather than a guess.
 */

/** One reading of a job's PercentDone: when it was read (ms) and the percentage. */
export interface ProgressSample {
  readonly at: number;
  readonly percent: number;
}

/** What is known of one job's speed. */
export interface JobTrack {
  /** When the job was created, as the CLI knows it: when its start call answered (or it was adopted), ms. */
  readonly createdAt: number;
  /** AWS's ExpectedCompletionTimeMinutes, when it gave one. */
  readonly expectedMinutes?: number;
  /**
   * AWS has the job but has not started running it (PENDING): it may wait for a slot of a service quota
   * (Timestream's developer guide: "one concurrent restore per account"; most services document none).
   */
  readonly pending?: boolean;
  /** The first and the latest PercentDone above 0 read while the job ran. */
  readonly firstProgress?: ProgressSample;
  readonly lastProgress?: ProgressSample;
}

/** Where an estimate comes from: AWS's figure, the job's own progress, or the run's other jobs of its type. */
export type EtaSource = "aws" | "progress" | "run";

/** An expected end (ms) and where it comes from. */
export interface Eta {
  readonly at: number;
  readonly source: EtaSource;
}

/** The end AWS expects, as read here: the job's `createdAt` (see above) + ExpectedCompletionTimeMinutes. */
export function awsExpectedEnd(track: JobTrack): number | undefined {
  return track.expectedMinutes !== undefined ? track.createdAt + track.expectedMinutes * 60_000 : undefined;
}

/** The end the job's progress predicts between two readings, at the speed between them. */
export function progressEnd(track: JobTrack): number | undefined {
  const first = track.firstProgress;
  const last = track.lastProgress;
  if (!first || !last || last.at <= first.at || last.percent <= first.percent) {
    return undefined;
  }
  const rate = (last.percent - first.percent) / (last.at - first.at);
  return last.at + (100 - last.percent) / rate;
}

/** With one reading only: the percentage done in the time since the job was created, at the same speed. */
function elapsedEnd(track: JobTrack): number | undefined {
  const last = track.lastProgress;
  if (!last || last.percent <= 0 || last.at <= track.createdAt) {
    return undefined;
  }
  return track.createdAt + ((last.at - track.createdAt) * 100) / last.percent;
}

/**
 * A job's expected end at `now`: AWS's ExpectedCompletionTimeMinutes while that end is still ahead (a job
 * still PENDING past it is queued: it takes that long from now); else the job's PercentDone over time (two
 * readings, else one reading and the time since its creation); else `typicalMs` (how long the run's jobs
 * of its type take) after its creation; else undefined (unknown). An estimate already past is never shown
 * as such: the next one is tried.
 */
export function jobEta(track: JobTrack, now: number, typicalMs?: number): Eta | undefined {
  const aws = awsExpectedEnd(track);
  if (aws !== undefined && aws > now) {
    return { at: aws, source: "aws" };
  }
  if (aws !== undefined && track.pending) {
    return { at: now + (track.expectedMinutes as number) * 60_000, source: "aws" };
  }
  const byProgress = progressEnd(track) ?? elapsedEnd(track);
  if (byProgress !== undefined) {
    return { at: Math.max(now, byProgress), source: "progress" };
  }
  if (typicalMs !== undefined && track.createdAt + typicalMs > now) {
    return { at: track.createdAt + typicalMs, source: "run" };
  }
  return undefined;
}

/** A job of a run as the run's estimate sees it. */
export interface RunJobEta {
  /** Started in AWS (it has a job id), or its StartRestoreJob is still to be answered. */
  readonly started: boolean;
  /** A started job's expected end; undefined: unknown. */
  readonly eta?: Eta;
  /** A job not started yet: how long it should take once started (the run's jobs of its type); undefined: unknown. */
  readonly expectedMs?: number;
}

/** The run's expected end: the latest of its unfinished jobs', and how many of them have no estimate. */
export interface RunEta {
  readonly at?: number;
  readonly unknown: number;
}

/**
 * When the last unfinished job of a run should end: the latest expected end; a job not started yet
 * adds its whole expected duration from `now`.
 */
export function runEta(jobs: readonly RunJobEta[], now: number): RunEta {
  const ends = jobs.map((job) =>
    job.started ? job.eta?.at : job.expectedMs !== undefined ? now + job.expectedMs : undefined,
  );
  const known = ends.filter((at): at is number => at !== undefined);
  return {
    at: known.length > 0 ? Math.max(now, ...known) : undefined,
    unknown: ends.length - known.length,
  };
}

/**
 * An estimate for a progress line, its time in the line's zone (`clockTime`): `eta 14:32 (in ~18 min)`;
 * from the job's progress or the run's other jobs it says so; without one, `eta unknown`.
 */
export function etaText(eta: Eta | undefined, now: number, clockTime: (at: number) => string): string {
  if (!eta) {
    return "eta unknown";
  }
  const from =
    eta.source === "progress"
      ? ", from its progress"
      : eta.source === "run"
        ? ", as this run's others of its type"
        : "";
  return `eta ${clockTime(eta.at)} (in ${approxDuration(eta.at - now)}${from})`;
}

/** The run's estimate for its summary line: `eta 14:32 (in ~18 min)`, `eta 14:32 (in ~18 min; 1 job without an estimate)`. */
export function runEtaText(run: RunEta, now: number, clockTime: (at: number) => string): string {
  if (run.at === undefined) {
    return "eta unknown";
  }
  const unknown = run.unknown > 0 ? `; ${run.unknown} job(s) without an estimate` : "";
  return `eta ${clockTime(run.at)} (in ${approxDuration(run.at - now)}${unknown})`;
}
