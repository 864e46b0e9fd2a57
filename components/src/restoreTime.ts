// The restore-time model per resource kind: time until a restored copy is usable, and until full performance.

/** The kinds of resource whose restore time the forecast models, spelled as AWS Backup's `ResourceType`. */
export const RestoreTimeKind = {
  RDS: "RDS",
  Aurora: "Aurora",
  EC2: "EC2",
  EBS: "EBS",
  DynamoDB: "DynamoDB",
  EFS: "EFS",
  S3: "S3",
} as const;
/** The kinds of resource whose restore time the forecast models. */
export type RestoreTimeKind = (typeof RestoreTimeKind)[keyof typeof RestoreTimeKind];

/** Every kind the model knows, for checks at run time. */
export const RESTORE_TIME_KINDS: readonly RestoreTimeKind[] = Object.values(RestoreTimeKind);

/** One resource a recovery restores, as deploy time knows it. */
export interface RestoreEstimateArgs {
  /** The resource's kind, e.g. `RDS`. */
  readonly kind: RestoreTimeKind;
  /** A name to show in the forecast, e.g. the database identifier. */
  readonly name: string;
  /**
   * Size of the data, in GiB: allocated storage, volume size, or a declared estimate where AWS cannot be
   * asked offline (a DynamoDB table's size).
   */
  readonly sizeGiB: number;
  /**
   * Rejected: the recovery restores EBS volumes without a provisioned initialization rate (AWS Backup's EBS
   * restore metadata has none), so the forecast may not count on one. Kept so that a caller who sets it
   * is told so. Default: unset.
   */
  readonly initializationRateMiBps?: number;
  /**
   * Rejected: nothing enables fast snapshot restore on the DR region's copies, and where it is enabled it
   * holds per snapshot and per availability zone, is usable only once the snapshot is optimized (about 60
   * minutes per TiB) and only while volume-creation credits last. Kept so that a caller who sets it is
   * told so. Default: unset.
   */
  readonly fastSnapshotRestore?: boolean;
  /**
   * A declared time until usable, in minutes, replacing the model's (from a measured restore or a drill).
   * Default: the model's.
   */
  readonly usableMinutes?: number;
  /**
   * A declared time until full performance, in minutes, replacing the model's; at least `usableMinutes`.
   * Default: the model's.
   */
  readonly fullPerformanceMinutes?: number;
}

/** The documented terms of one kind's restore, with their sources; unsourced values say they are guesses. */
export interface RestoreTimeTerms {
  /** Minutes from the restore job's start until data moves: the job's queue and the resource's creation. */
  readonly setupMinutes: number;
  /** GiB per minute copied before the copy is usable; unset when usable before the data is loaded (lazily). */
  readonly copyGiBPerMinute?: number;
  /** MiB/s the data loads at after the copy is usable; unset when it is fully loaded when usable. */
  readonly hydrationMiBPerSecond?: number;
  /**
   * Minutes to create a DB instance in the restored cluster once it is available (Aurora: AWS Backup
   * restores the cluster only, and the cluster serves nothing without an instance); unset when none.
   */
  readonly instanceMinutes?: number;
  /** Restores of this kind the service runs at once per account; unset when no quota is documented. */
  readonly concurrentRestores?: number;
  /** Where the terms come from. */
  readonly source: string;
}

/**
 * EBS's default initialization rate is not published ("fluctuates throughout the initialization process",
 * EBS user guide, Initialize Amazon EBS volumes): 50 MiB/s is a guess below the provisioned rate's
 * documented 100-300 MiB/s, for calibration to correct.
 */
const DEFAULT_HYDRATION_MIB_PER_SECOND = 50;

/** The model's terms per kind, before calibration. */
export const RESTORE_TIME_TERMS: { readonly [K in RestoreTimeKind]: RestoreTimeTerms } = {
  RDS: {
    setupMinutes: 15,
    hydrationMiBPerSecond: DEFAULT_HYDRATION_MIB_PER_SECOND,
    source:
      "RDS user guide, Restoring to a DB instance: usable once available, the data loads in the background " +
      "(lazy loading); 15 min to available and the load rate are guesses",
  },
  Aurora: {
    setupMinutes: 30,
    instanceMinutes: 10,
    source:
      'Aurora knowledge center, snapshot restore options: the cluster volume is loaded before it is available (no lazy loading), restores "can take up to a few hours" and a "larger data set takes only a little longer": the model takes no size term, 30 min to the cluster is a guess; AWS Backup restores the cluster without a DB instance (AWS Backup developer guide, Restore an Aurora cluster), so the dr stack adds one after it: 10 min is a guess',
  },
  EC2: {
    setupMinutes: 10,
    hydrationMiBPerSecond: DEFAULT_HYDRATION_MIB_PER_SECOND,
    source:
      "EBS user guide, Initialize Amazon EBS volumes: the instance's volumes load lazily from S3 after launch; 10 min to running is a guess",
  },
  EBS: {
    setupMinutes: 5,
    hydrationMiBPerSecond: DEFAULT_HYDRATION_MIB_PER_SECOND,
    source:
      "EBS user guide, Initialize Amazon EBS volumes: usable at creation, full performance once every block is downloaded; provisioned rate 100-300 MiB/s; fast snapshot restore fully initialized at creation; 5 min to available is a guess",
  },
  DynamoDB: {
    setupMinutes: 5,
    copyGiBPerMinute: 1,
    concurrentRestores: 50,
    source:
      'DynamoDB API reference, RestoreTableFromBackup: "up to 50 concurrent restores (any type of restore) in a given account"; restore time grows with table size (developer guide, Restoring a DynamoDB table from a backup); 1 GiB/min is a guess',
  },
  EFS: {
    setupMinutes: 5,
    copyGiBPerMinute: 1,
    source:
      "AWS Backup developer guide, Restoring an Amazon EFS file system: the job copies the data before it completes; 1 GiB/min is a guess",
  },
  S3: {
    setupMinutes: 5,
    copyGiBPerMinute: 1,
    source:
      "AWS Backup developer guide, Restoring S3 data: the job copies the objects before it completes; 1 GiB/min is a guess",
  },
};

/** One resource's restore, as the model sees it. */
export interface RestoreEstimate {
  readonly kind: RestoreTimeKind;
  readonly name: string;
  /** Minutes from the restore's start until the copy is usable. */
  readonly usableMinutes: number;
  /** Minutes from the restore's start until full performance; equal to `usableMinutes` when nothing loads after. */
  readonly fullPerformanceMinutes: number;
  /** How `usableMinutes` is reached, term by term. */
  readonly arithmetic: string;
}

/** Minutes rounded up to a tenth: forecasts never round a term down. */
function tenths(value: number): number {
  return Math.ceil(value * 10 - 1e-9) / 10;
}

/**
 * The model's estimate for one resource: `setup + size / copy rate + instance creation` until usable, then
 * `size / load rate` until full performance; declared minutes replace the model's.
 */
export function estimateRestore(
  resource: RestoreEstimateArgs,
  terms: RestoreTimeTerms = RESTORE_TIME_TERMS[resource.kind],
): RestoreEstimate {
  const copy = terms.copyGiBPerMinute === undefined ? 0 : tenths(resource.sizeGiB / terms.copyGiBPerMinute);
  const instance = terms.instanceMinutes ?? 0;
  const modelUsable = tenths(terms.setupMinutes + copy + instance);
  const rate = terms.hydrationMiBPerSecond;
  const load = rate === undefined ? 0 : tenths((resource.sizeGiB * 1024) / rate / 60);
  const usableMinutes = resource.usableMinutes ?? modelUsable;
  const fullPerformanceMinutes = resource.fullPerformanceMinutes ?? tenths(usableMinutes + load);
  const arithmetic =
    resource.usableMinutes !== undefined
      ? `${usableMinutes} (declared)`
      : terms.instanceMinutes !== undefined
        ? `${terms.setupMinutes} (cluster restore, any size) + ${instance} (${resource.kind} DB instance creation)`
        : terms.copyGiBPerMinute === undefined
          ? `${terms.setupMinutes} (setup; data loads after)`
          : `${terms.setupMinutes} (setup) + ${copy} (${resource.sizeGiB} GiB at ${terms.copyGiBPerMinute} GiB/min)`;
  return { kind: resource.kind, name: resource.name, usableMinutes, fullPerformanceMinutes, arithmetic };
}
