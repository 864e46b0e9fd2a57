// A failback's journal on disk: its phases, its backup, copy and restore jobs, the freeze, the S3 copy of each bucket.
import { JobAttempt, RunJournal } from "../core/journal";
import { PhaseRecord } from "../core/phaseRunner";
import { ResourceType } from "../resources/types";

/** A failback (`dr failback`) or a failback drill (`dr failback --drill`); each keeps its own journal. */
export type FailbackKind = "failback" | "failback-drill";

/**
 * The phases of a failback, in order (a drill runs `copy`, `restore`, `verify`, `s3`, `cleanup`,
 * `report`). Each is journaled when it starts and when it ends; a re-run resumes at the first that
 * has not ended. The S3 copy-back comes before prod-data, while prod's servers are still held at zero:
 * once prod-data lifts the hold Route 53 may send users to prod (with dr at zero both failover records
 * are unhealthy and it answers the PRIMARY), who must find every object there and whose writes the
 * copy-back must not overwrite. A journal of the earlier order (prod-data before s3-copy) resumes by
 * phase name: each phase that ended is not run again, the others run in this order.
 */
export const FAILBACK_PHASES = [
  "pre-copy",
  "freeze",
  "final-copy",
  "restore",
  "s3-copy",
  "prod-data",
  "health",
  "traffic",
  "standby",
  "report",
] as const;

/** The phases of a failback drill, in order. */
export const FAILBACK_DRILL_PHASES = ["copy", "restore", "verify", "s3-copy", "cleanup", "report"] as const;

export type FailbackPhase = (typeof FAILBACK_PHASES)[number] | (typeof FAILBACK_DRILL_PHASES)[number];

/** The phases whose backups and copies bring the data to the primary vault. */
export type TransferPhase = "pre-copy" | "final-copy" | "copy";

/** One resource the failback brings back to the primary region. */
export interface FailbackResource {
  readonly resourceType: ResourceType;
  /** What is backed up: the restored resource in the DR region (failback), or the resource of the DR vault's point (drill). */
  readonly drResourceArn: string;
  /** The prod resource it came from, named as in prod. */
  readonly sourceArn: string;
  readonly sourceName: string;
  /** Drill: the DR vault's newest COMPLETED recovery point of the resource, copied as is. */
  readonly drRecoveryPointArn?: string;
  readonly drRecoveryPointCreatedAt?: string;
  /** The name the primary-region restore gets (`fb-<runId>-<source>`, `fbdrill-<runId>-<source>`); EC2 and EBS get ids. */
  readonly targetName?: string;
  /**
   * The data inventory's logical name it fills for the application (the dr stack's `restoredData` names it),
   * so the prod `restoredData` entry it feeds.
   */
  readonly dataName?: string;
}

/** One backup or copy job of a failback (a new attempt per re-run after it failed). */
export interface TransferJob extends JobAttempt {
  jobId?: string;
  /**
   * Why its start failed, when AWS never took the job: `transient` (throttling, 5xx, no answer: AWS's
   * side, scripts/aws/errors.ts isTransientError) or `rejected` (AWS refused the request).
   */
  startFailure?: "transient" | "rejected";
  /** Backup: the new recovery point in the DR vault; copy: the recovery point in the primary vault. */
  recoveryPointArn?: string;
}

/** The backup (not in a drill) and the copy of one resource in one phase. */
export interface TransferRecord {
  readonly phase: TransferPhase;
  readonly drResourceArn: string;
  backup?: TransferJob;
  copy?: TransferJob;
}

/** The write freeze: the dr stack's servers at zero, from when until when. */
export interface FreezeRecord {
  /** ISO time the scale-down was started: the application stops taking writes from here. */
  readonly startedAt: string;
  /** ISO time no prod server was left: prod held at zero before dr's servers go (prodServers.ts). */
  prodHeldAt?: string;
  /** ISO time no dr server was in service any more. */
  confirmedAt?: string;
  /** ISO time traffic went back to prod (or prod was healthy, without a switch): the freeze's end. */
  endedAt?: string;
  /**
   * Each time a resumed run found dr serving again after `confirmedAt` (its capacity set back, or a
   * server in service) before any restore began: the freeze was applied again and the final backups
   * taken anew (freeze.ts recheckFreeze).
   */
  reapplied?: Array<{ readonly at: string; readonly reason: string }>;
}

/** An S3 bucket the application wrote to in DR, and the prod bucket its objects go back to. */
export interface BucketPair {
  readonly drBucket: string;
  readonly sourceBucket: string;
}

/** S3 objects written to one DR bucket while it was active, copied back to its source bucket. */
export interface S3CopyRecord {
  /** The DR bucket and its source bucket (absent in a journal before several buckets: its one bucket's). */
  readonly drBucket?: string;
  readonly sourceBucket?: string;
  /** Objects modified at or after this time (the recovery's start) were written in DR. */
  readonly since: string;
  /** ISO time the DR bucket was listed for the copy. */
  listedAt?: string;
  /** Objects of the DR bucket modified since `since`. */
  written?: number;
  /** Of those, already in the source bucket (same size, not older) before the copy. */
  alreadyThere?: number;
  copied?: number;
  /** Of the written objects, found in the source bucket after the copy. */
  verified?: number;
  /** Keys written in DR and not in the source bucket after the copy (the first 20). */
  missing?: string[];
  /**
   * Versions of the DR bucket modified after `listedAt` (written during or after the copy), the
   * replicas of what this run wrote into the source bucket not counted.
   */
  writtenAfterListing?: number;
  /** Versions of the DR bucket after `listedAt` that are replicas of this run's copies and deletes. */
  replicasOfCopies?: number;
  /** Keys of the DR bucket whose current version is a delete marker made since `since`. */
  deletedInDr?: number;
  /** Of those, keys the source bucket holds as written before `since`: deleted there (a delete marker). */
  deletesToCarry?: number;
  /** Of those, gone from the source bucket's current objects after the deletes. */
  deletesCarried?: number;
  /** Keys deleted in DR that the source bucket holds as written since `since`: kept (the first 20). */
  keptInProd?: string[];
  /** Drill: only counted, nothing copied. */
  countOnly?: boolean;
  /**
   * ISO time this bucket's copy back ended verified (a drill: counted): a re-run of the phase leaves it alone,
   * so no bucket is copied twice; a bucket without it (interrupted, failed) is listed and copied again.
   */
  doneAt?: string;
}

/** The failover switch's data point that moved traffic back to prod. */
export interface TrafficRecord {
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly value: number;
  /** ISO time of the first data point. */
  at?: string;
  /** Data points published so far: the switch is republished until the name moves. */
  published?: number;
  /** ISO time DescribeAlarms first answered the switch's alarm OK. */
  alarmOkAt?: string;
  /** ISO time the public name first resolved to prod's load balancer (with the alarm OK). */
  resolvedAt?: string;
  ok?: boolean;
  detail?: string;
}

/** What a failback journal holds beyond a recovery's: every phase, backup, copy and the freeze. */
export interface FailbackState {
  readonly prodStackName: string;
  readonly drRegion: string;
  readonly drVaultName: string;
  readonly primaryVaultArn: string;
  /** Role the backup and copy jobs run with (the dr stack's `backupRoleArn`). */
  readonly backupRoleArn: string;
  /** The recovery run whose restored resources come back, and when it started. */
  readonly recoveryRunId?: string;
  readonly recoveryStartedAt?: string;
  readonly skipPreCopy: boolean;
  readonly resources: FailbackResource[];
  /** Every bucket the application wrote to in DR, each with the prod bucket its objects go back to. */
  readonly buckets: BucketPair[];
  readonly phases: PhaseRecord<FailbackPhase>[];
  readonly transfers: TransferRecord[];
  freeze?: FreezeRecord;
  /** The dr stack's capacity keys before the freeze, put back with standby. */
  previousDrConfig?: Record<string, string>;
  /** The S3 copy back of each bucket of {@link buckets}, as far as it went. */
  s3?: S3CopyRecord[];
  traffic?: TrafficRecord;
}

/**
 * The journal of a failback: a recovery journal (its `plan` and `jobs` are the primary-region restores,
 * its `flips` the stack updates, `health` prod's health check) plus {@link FailbackState}.
 */
export interface FailbackJournal extends RunJournal {
  readonly kind: FailbackKind;
  readonly failback: FailbackState;
}

/** What a journal written before a failback copied several buckets holds instead of `buckets` and `s3`. */
interface OneBucketState {
  bucket?: BucketPair;
  s3?: S3CopyRecord | S3CopyRecord[];
}

/**
 * A loaded journal in today's form: one written when a failback copied one bucket back (`bucket`, and `s3`
 * its copy's record) gets that bucket as its only one, and its record as that bucket's, so a run of the
 * earlier version resumes where it stopped.
 */
export function upgradeFailbackJournal(journal: FailbackJournal): FailbackJournal {
  const state = journal.failback as unknown as OneBucketState & { buckets?: BucketPair[] };
  if (state.buckets === undefined) {
    const bucket = state.bucket;
    const s3 = state.s3;
    delete state.bucket;
    Object.assign(state, {
      buckets: bucket ? [bucket] : [],
      s3: s3 && !Array.isArray(s3) ? [{ ...s3, ...bucket }] : s3,
    });
  }
  return journal;
}
