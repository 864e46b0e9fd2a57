/** What one replication role may touch: its source buckets and their keys, their replicas, the DR key. */
export interface ReplicationPolicyScope {
  /** The primary region's partition, e.g. `aws`. */
  readonly partition: string;
  /** Names of the source buckets, in the primary region. */
  readonly sourceBuckets: readonly string[];
  /** ARNs of the replica buckets, in the DR region. */
  readonly replicaBucketArns: readonly string[];
  /** ARN of the DR key that encrypts the replicas of SSE-KMS objects. */
  readonly drKeyArn: string;
  /** ARNs of the KMS keys that encrypt SSE-KMS objects in the source buckets. */
  readonly sourceKmsKeyArns: readonly string[];
}

/**
 * The replication role's inline policy, scoped to exactly these buckets and keys. Its JSON counts against
 * IAM's 10,240-character limit for a role's inline policies, which is why buckets are split over roles.
 */
export function replicationPolicyDocument(scope: ReplicationPolicyScope) {
  const sourceArns = scope.sourceBuckets.map((bucket) => `arn:${scope.partition}:s3:::${bucket}`);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadSourceConfiguration",
        Effect: "Allow",
        Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
        Resource: sourceArns,
      },
      {
        Sid: "ReadSourceVersions",
        Effect: "Allow",
        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        Resource: sourceArns.map((arn) => `${arn}/*`),
      },
      {
        Sid: "WriteReplicas",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
        Resource: scope.replicaBucketArns.map((arn) => `${arn}/*`),
      },
      {
        Sid: "EncryptReplicas",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: [scope.drKeyArn],
      },
      ...(scope.sourceKmsKeyArns.length > 0
        ? [
            {
              Sid: "DecryptSources",
              Effect: "Allow",
              Action: ["kms:Decrypt"],
              Resource: scope.sourceKmsKeyArns,
            },
          ]
        : []),
    ],
  };
}
