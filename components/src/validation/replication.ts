// Replication's checks: bucket names valid and distinct, a replica storage class S3 accepts, KMS ARNs.
import { REPLICA_STORAGE_CLASSES, S3ReplicationArgs } from "../replication";
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
