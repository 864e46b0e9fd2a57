// Replication's checks: bucket names valid and distinct, a replica storage class S3 accepts, KMS ARNs.
import {
  OBJECT_LOCK_MODES,
  REPLICA_STORAGE_CLASSES,
  ReplicaObjectLockArgs,
  S3ReplicationArgs,
} from "../replication";
import { BackupRuleArgs, copyLifecycle } from "../rule";
import { isKnown, ValidationIssue } from "./issue";
import { knownIssues, sourceBucketCheck, sourceKeyCheck } from "./inputChecks";
import { BUCKET_NAME_PATTERN, checkName } from "./names";

/**
 * Bucket names valid and distinct, replica names valid, a storage class S3 accepts for replicas, and
 * source KMS keys that are KMS ARNs. Values not known yet are checked when they are (see
 * `replicationInputChecks`).
 */
export function checkReplication(replication: S3ReplicationArgs): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (replication.buckets.length === 0) {
    issues.push({
      field: "replication.buckets",
      value: [],
      rule: "must list at least one bucket; leave replication unset to replicate nothing.",
    });
  }
  const sources = new Map<string, number>();
  replication.buckets.forEach((bucket, index) => {
    const field = `replication.buckets[${index}]`;
    issues.push(...knownIssues(sourceBucketCheck(bucket, index)));
    if (isKnown(bucket.sourceBucket)) {
      const first = sources.get(bucket.sourceBucket);
      if (first !== undefined) {
        issues.push({
          field: `${field}.sourceBucket`,
          value: bucket.sourceBucket,
          rule: `must be listed once: replication.buckets[${first}] replicates the same bucket, and a bucket has one replication configuration.`,
        });
      } else {
        sources.set(bucket.sourceBucket, index);
      }
    }
    if (bucket.replicaBucketName !== undefined) {
      issues.push(...checkName(`${field}.replicaBucketName`, bucket.replicaBucketName, BUCKET_NAME_PATTERN));
    }
    issues.push(...knownIssues(sourceKeyCheck(bucket, index)));
  });
  const storageClass = replication.replicaStorageClass;
  if (storageClass !== undefined && !(REPLICA_STORAGE_CLASSES as readonly string[]).includes(storageClass)) {
    issues.push({
      field: "replication.replicaStorageClass",
      value: storageClass,
      rule: `must be one of ${REPLICA_STORAGE_CLASSES.join(", ")}.`,
    });
  }
  return issues;
}

/**
 * The replicas' Object Lock: a mode S3 knows (PutObjectLockConfiguration `DefaultRetention.Mode`), and
 * whole days from 1 to the plan's longest retention, rule or copy: a COMPLIANCE lock cannot be shortened
 * by anyone, so a version locked longer than any recovery point is kept is storage no one can remove.
 */
export function checkReplicaObjectLock(
  objectLock: ReplicaObjectLockArgs,
  rules: readonly BackupRuleArgs[],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (objectLock.mode !== undefined && !(OBJECT_LOCK_MODES as readonly string[]).includes(objectLock.mode)) {
    issues.push({
      field: "replication.objectLock.mode",
      value: objectLock.mode,
      rule: `must be one of ${OBJECT_LOCK_MODES.join(", ")} (S3 Object Lock retention modes).`,
    });
  }
  const longest = Math.max(
    ...rules.flatMap((rule) => [rule.lifecycle.deleteAfterDays, copyLifecycle(rule)?.deleteAfterDays ?? 0]),
  );
  if (!Number.isInteger(objectLock.days) || objectLock.days < 1 || objectLock.days > longest) {
    issues.push({
      field: "replication.objectLock.days",
      value: objectLock.days,
      rule: `must be a whole number of days from 1 to ${longest}, the plan's longest retention: S3 takes a positive number of days, and a replica version locked longer than any recovery point is kept is storage no one can remove.`,
    });
  }
  return issues;
}
