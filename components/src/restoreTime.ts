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
   * EBS and EC2 only: the Amazon EBS Provisioned Rate for Volume Initialization the restore asks for, in
   * MiB/s (100-300). It takes precedence over fast snapshot restore, as AWS gives it.
   * Default: none: the volume initializes at the default rate.
   */
  readonly initializationRateMiBps?: number;
  /**
   * EBS and EC2 only: the snapshot has fast snapshot restore enabled in the DR region's zone, so the volume
   * is fully initialized when created.
   * Default: false.
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
    setupMinutes: 20,
    copyGiBPerMinute: 2,
    source:
      'Aurora knowledge center, snapshot restore options: the cluster volume is loaded before it is available (no lazy loading), restores "can take up to a few hours" and are non-linear in size; the linear 2 GiB/min is a guess',
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

/** The rate at which a volume of `resource` loads after it is usable, or undefined when it is loaded at once. */
function hydrationRate(resource: RestoreEstimateArgs, terms: RestoreTimeTerms): number | undefined {
  if (resource.initializationRateMiBps !== undefined) return resource.initializationRateMiBps;
  if (resource.fastSnapshotRestore) return undefined;
  return terms.hydrationMiBPerSecond;
}

/**
 * The model's estimate for one resource: `setup + size / copy rate` until usable, then `size / load rate`
 * until full performance; declared minutes replace the model's.
 */
export function estimateRestore(
  resource: RestoreEstimateArgs,
  terms: RestoreTimeTerms = RESTORE_TIME_TERMS[resource.kind],
): RestoreEstimate {
  const copy = terms.copyGiBPerMinute === undefined ? 0 : tenths(resource.sizeGiB / terms.copyGiBPerMinute);
  const modelUsable = tenths(terms.setupMinutes + copy);
  const rate = hydrationRate(resource, terms);
  const load = rate === undefined ? 0 : tenths((resource.sizeGiB * 1024) / rate / 60);
  const usableMinutes = resource.usableMinutes ?? modelUsable;
  const fullPerformanceMinutes = resource.fullPerformanceMinutes ?? tenths(usableMinutes + load);
  const arithmetic =
    resource.usableMinutes !== undefined
      ? `${usableMinutes} (declared)`
      : terms.copyGiBPerMinute === undefined
        ? `${terms.setupMinutes} (setup; data loads after)`
        : `${terms.setupMinutes} (setup) + ${copy} (${resource.sizeGiB} GiB at ${terms.copyGiBPerMinute} GiB/min)`;
  return { kind: resource.kind, name: resource.name, usableMinutes, fullPerformanceMinutes, arithmetic };
}
