// The data a failback moves back: what the recovery restored in DR (or a drill's stand-ins), bucket pairs.
import { DR_CONFIG_KEYS } from "../core/stackHandle";
import { DrError } from "../../errors";
import { RunJournal } from "../core/journal";
import { RecoveryPoint, SkippedPoint, selectRecoveryPoints } from "../core/recoveryPoints";
import { resourceOf } from "../resources/registry";
import { ResourceType, resourceNameFromArn } from "../resources/types";
import type { AppRole } from "../resources/resourceRecovery";
import { FailbackResource } from "./journal";
import { DrOutputs } from "../../dependencies";

/** The S3 bucket the application wrote to in DR, and the prod bucket its objects go back to. */
export interface BucketPair {
  readonly drBucket: string;
  readonly sourceBucket: string;
}

/** What a failback brings back: the restored resources and the bucket. */
export interface RecoveredData {
  readonly resources: FailbackResource[];
  readonly bucket?: BucketPair;
}

/** Buckets come back by object copy (only what was written in DR), not by a restore into a new bucket. */
function isBucket(type: ResourceType): boolean {
  return resourceOf(type).drConfig?.role === "bucket";
}

/** The dr config keys that name a restored resource by its id (not the database's endpoint). */
const ID_KEYS: readonly string[] = [
  DR_CONFIG_KEYS.restoredDbInstanceId,
  DR_CONFIG_KEYS.restoredTableName,
  DR_CONFIG_KEYS.restoredVolumeId,
];

/** The role a restored resource fills when the dr config names it (the keys its type's module feeds). */
function roleOf(
  type: ResourceType,
  resourceId: string,
  drConfig: Readonly<Record<string, string>>,
): AppRole | undefined {
  const config = resourceOf(type).drConfig;
  const keys = [config?.nameKey, config?.result?.key].filter((k) => k !== undefined);
  return config && keys.some((key) => drConfig[DR_CONFIG_KEYS[key]] === resourceId) ? config.role : undefined;
}

/**
 * The resources a failback brings back, from the recovery journal (which restore of which prod
 * resource created what) and the dr stack's config (which of them the application runs on). Every
 * restore that completed comes back, the ones the config names with their role; S3 comes back by
 * object copy, not by restore. A config value the journal does not explain is refused: the failback
 * could not say which prod resource it replaces.
 */
export function recoveredData(
  recovery: RunJournal,
  recoveryFile: string,
  drConfig: Readonly<Record<string, string>>,
  drOutputs: DrOutputs,
  drStackName: string,
): RecoveredData {
  if (recovery.state !== "finished") {
    throw new DrError(
      `recovery run ${recovery.runId} in ${recoveryFile} has not finished: finish it ('dr recover' resumes it) before failing back`,
    );
  }
  const completed = recovery.plan
    .map((plan) => ({ plan, record: recovery.jobs[plan.recoveryPointArn] }))
    .filter(({ record }) => record?.status === "COMPLETED" && record.createdResourceArn && record.resourceId);
  for (const key of ID_KEYS) {
    const value = drConfig[key];
    if (value !== undefined && !completed.some(({ record }) => record.resourceId === value)) {
      throw new DrError(
        `dr stack '${drStackName}' config ${key} '${value}' is not a resource recovery run ${recovery.runId} restored (${recoveryFile}): failback must know the prod resource it replaces; pass --recovery-journal <the run that restored it>`,
      );
    }
  }
  const resources: FailbackResource[] = completed
    .filter(({ plan }) => !isBucket(plan.resourceType))
    .map(({ plan, record }) => ({
      resourceType: plan.resourceType,
      drResourceArn: record.createdResourceArn as string,
      sourceArn: plan.resourceArn,
      sourceName: plan.resourceName,
      role: roleOf(plan.resourceType, record.resourceId as string, drConfig),
    }));

  const bucketKey = DR_CONFIG_KEYS.restoredBucketName;
  const drBucket = drConfig[bucketKey];
  let bucket: BucketPair | undefined;
  if (drBucket !== undefined) {
    const replicaOf = Object.entries(drOutputs.replicaBuckets).find(
      ([, replica]) => replica === drBucket,
    )?.[0];
    const restored = completed.find(
      ({ plan, record }) => isBucket(plan.resourceType) && record.resourceId === drBucket,
    );
    const sourceBucket = replicaOf ?? (restored ? resourceNameFromArn(restored.plan.resourceArn) : undefined);
    if (!sourceBucket) {
      throw new DrError(
        `dr stack '${drStackName}' config ${bucketKey} '${drBucket}' is neither a replica bucket of the dr stack's replicaBuckets output nor a bucket recovery run ${recovery.runId} restored: failback cannot tell which prod bucket its objects go back to`,
      );
    }
    bucket = { drBucket, sourceBucket };
  }
  if (resources.length === 0 && !bucket) {
    throw new DrError(
      `nothing to fail back: recovery run ${recovery.runId} (${recoveryFile}) completed no restore and dr stack '${drStackName}' names no bucket`,
    );
  }
  return { resources, bucket };
}

/** What a failback drill copies and restores, and what it leaves out. */
export interface DrillData extends RecoveredData {
  readonly skipped: SkippedPoint[];
}

/**
 * A failback drill's resources: the newest COMPLETED point of each resource in the DR vault, copied to
 * the primary vault as is. S3 points are left out (a failback copies objects, it does not restore a
 * bucket); the drill counts the objects of the first replica bucket instead.
 */
export function drillData(points: readonly RecoveryPoint[], drOutputs: DrOutputs): DrillData {
  const { selected, skipped } = selectRecoveryPoints(points);
  const resources: FailbackResource[] = [];
  for (const point of selected) {
    if (isBucket(point.resourceType)) {
      skipped.push({
        resourceArn: point.resourceArn,
        resourceTypeName: point.resourceTypeName,
        recoveryPointArn: point.recoveryPointArn,
        reason: "S3 comes back by object copy, not by restore: the drill counts the objects instead",
      });
      continue;
    }
    resources.push({
      resourceType: point.resourceType,
      drResourceArn: point.resourceArn,
      sourceArn: point.resourceArn,
      sourceName: point.resourceName,
      drRecoveryPointArn: point.recoveryPointArn,
      drRecoveryPointCreatedAt: point.creationDate.toISOString(),
    });
  }
  const [source, replica] = Object.entries(drOutputs.replicaBuckets)[0] ?? [];
  return {
    resources,
    skipped,
    bucket: source && replica ? { drBucket: replica, sourceBucket: source } : undefined,
  };
}
