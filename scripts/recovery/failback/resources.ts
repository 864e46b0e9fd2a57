// The data a failback moves back: what the recovery restored in DR (or a drill's stand-ins), each bucket paired with prod's.
import type { DataKind, RestoredData, RestoredDataEntry } from "../../../stacks/drContract";
import { DR_CONFIG_KEYS, LEGACY_DATA_KEYS, RESTORED_DATA_KEY } from "../core/stackHandle";
import { DrError } from "../../errors";
import { JobRecord, PlannedRestore, RunJournal } from "../core/journal";
import { RecoveryPoint, SkippedPoint, selectRecoveryPoints } from "../core/recoveryPoints";
import { kindOfRole, resourceOf, roleOfKind } from "../resources/registry";
import { ResourceType, resourceNameFromArn } from "../resources/types";
import { BucketPair, FailbackResource } from "./journal";
import { DrOutputs } from "../../dependencies";

/** What a failback brings back: the restored resources and every bucket, each paired with its prod bucket. */
export interface RecoveredData {
  readonly resources: FailbackResource[];
  readonly buckets: BucketPair[];
}

/** Buckets come back by object copy (only what was written in DR), not by a restore into a new bucket. */
function isBucket(type: ResourceType): boolean {
  return resourceOf(type).drConfig?.role === "bucket";
}

/**
 * What the dr stack's config points the application at, per logical name: its `restoredData`, or, on a stack a
 * CLI before it flipped, the five single-valued keys read as the default example's entries (by role).
 */
function restoredDataOf(
  drConfig: Readonly<Record<string, string>>,
  completed: readonly { plan: PlannedRestore; record: JobRecord }[],
  drStackName: string,
  /** The recovery run, as messages name it: `recovery run <id>` and its journal file. */
  run: { readonly runId: string; readonly file: string },
): RestoredData {
  const raw = drConfig[RESTORED_DATA_KEY];
  if (raw !== undefined) {
    try {
      return JSON.parse(raw) as RestoredData;
    } catch {
      throw new DrError(`dr stack '${drStackName}' config ${RESTORED_DATA_KEY} is not JSON: ${raw}`);
    }
  }
  const legacy: Record<string, RestoredDataEntry> = {};
  const byId = (id: string | undefined) => completed.find(({ record }) => record.resourceId === id);
  for (const [key, name] of LEGACY_DATA_KEYS) {
    const id = drConfig[key];
    if (id === undefined) continue;
    const restored = byId(id);
    const kind = restored ? resourceOf(restored.plan.resourceType).dataKind : undefined;
    if (!restored && key !== DR_CONFIG_KEYS.restoredBucketName) {
      throw new DrError(
        `dr stack '${drStackName}' config ${key} '${id}' is not a resource recovery run ${run.runId} restored (${run.file}): failback must know the prod resource it replaces; pass --recovery-journal <the run that restored it>`,
      );
    }
    const bucketKind = kindOfRole("bucket");
    if (kind ?? bucketKind) {
      legacy[name] = { kind: (kind ?? bucketKind) as DataKind, id };
    }
  }
  return legacy;
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
  const restoredData = restoredDataOf(
    drConfig,
    completed as { plan: PlannedRestore; record: JobRecord }[],
    drStackName,
    { runId: recovery.runId, file: recoveryFile },
  );
  const nameOf = new Map<string, string>();
  const buckets: [string, RestoredDataEntry][] = [];
  for (const [name, entry] of Object.entries(restoredData)) {
    if (roleOfKind(entry.kind) === "bucket") {
      buckets.push([name, entry]);
    } else if (completed.some(({ record }) => record.resourceId === entry.id)) {
      nameOf.set(entry.id, name);
    } else {
      throw new DrError(
        `dr stack '${drStackName}' config ${RESTORED_DATA_KEY} '${name}' (${entry.kind} ${entry.id}) is not a resource recovery run ${recovery.runId} restored (${recoveryFile}): failback must know the prod resource it replaces; pass --recovery-journal <the run that restored it>`,
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
      dataName: nameOf.get(record.resourceId as string),
    }));

  const pairs = buckets.map(([name, { id: drBucket }]): BucketPair => {
    const replicaOf = Object.entries(drOutputs.replicaBuckets).find(
      ([, replica]) => replica === drBucket,
    )?.[0];
    const restored = completed.find(
      ({ plan, record }) => isBucket(plan.resourceType) && record.resourceId === drBucket,
    );
    const sourceBucket = replicaOf ?? (restored ? resourceNameFromArn(restored.plan.resourceArn) : undefined);
    if (!sourceBucket) {
      throw new DrError(
        `dr stack '${drStackName}' config ${RESTORED_DATA_KEY} '${name}' bucket '${drBucket}' is neither a replica bucket of the dr stack's replicaBuckets output nor a bucket recovery run ${recovery.runId} restored: failback cannot tell which prod bucket its objects go back to`,
      );
    }
    // A restored bucket's objects are dated by the restore (S3 sets LastModified when it stores an object):
    // the application's writes are the ones after the restore job completed.
    return restored && !replicaOf
      ? {
          drBucket,
          sourceBucket,
          restored: {
            // A journal without the completion time: the first flip, which came after every restore.
            completedAt: restored.record.completedAt ?? recovery.flips[0]?.startedAt ?? recovery.startedAt,
            recoveryPointCreatedAt: restored.plan.recoveryPointCreatedAt,
          },
        }
      : { drBucket, sourceBucket };
  });
  checkOnePairEach(pairs, buckets, { drStackName });
  if (resources.length === 0 && pairs.length === 0) {
    throw new DrError(
      `nothing to fail back: recovery run ${recovery.runId} (${recoveryFile}) completed no restore and dr stack '${drStackName}' names no bucket`,
    );
  }
  return { resources, buckets: pairs };
}

/**
 * Refuses two logical names on one DR bucket (its objects would be copied back twice) and two DR buckets
 * going back into one prod bucket (the second copy would overwrite the first's keys, and each one's deletes
 * would delete the other's objects): a failback copies each DR bucket into its own prod bucket.
 */
function checkOnePairEach(
  pairs: readonly BucketPair[],
  entries: readonly [string, RestoredDataEntry][],
  names: { readonly drStackName: string },
): void {
  for (const [field, what] of [
    ["drBucket", "DR bucket"],
    ["sourceBucket", "prod bucket"],
  ] as const) {
    const seen = new Map<string, number>();
    pairs.forEach((pair, i) => {
      const first = seen.get(pair[field]);
      if (first !== undefined) {
        throw new DrError(
          `dr stack '${names.drStackName}' config ${RESTORED_DATA_KEY} '${entries[first][0]}' (${pairs[first].drBucket}) and '${entries[i][0]}' (${pair.drBucket}) both go back to ${what} '${pair[field]}': a failback copies each DR bucket back into its own prod bucket; correct ${RESTORED_DATA_KEY} so each bucket appears once`,
        );
      }
      seen.set(pair[field], i);
    });
  }
}

/** What a failback drill copies and restores, and what it leaves out. */
export interface DrillData extends RecoveredData {
  readonly skipped: SkippedPoint[];
}

/**
 * A failback drill's resources: the newest COMPLETED point of each resource in the DR vault, copied to
 * the primary vault as is. S3 points are left out (a failback copies objects, it does not restore a
 * bucket); the drill counts the objects of every replica bucket instead.
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
  return {
    resources,
    skipped,
    buckets: Object.entries(drOutputs.replicaBuckets)
      .filter(([source, replica]) => source && replica)
      .map(([sourceBucket, drBucket]) => ({ drBucket, sourceBucket })),
  };
}
