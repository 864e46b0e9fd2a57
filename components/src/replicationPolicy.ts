/** What one replication role may touch: its source buckets and their keys, their replicas, the DR key. */
export interface ReplicationPolicyScope {
  /** The primary region's partition, e.g. `aws`. */
  readonly partition: string;
  /** The primary region: the source buckets' and their AWS managed key's (`aws/s3`). */
  readonly primaryRegion: string;
  /** Names of the source buckets, in the primary region. */
  readonly sourceBuckets: readonly string[];
  /** ARNs of the replica buckets, in the DR region. */
  readonly replicaBucketArns: readonly string[];
  /** ARN of the DR key that encrypts the replicas of SSE-KMS objects. */
  readonly drKeyArn: string;
  /** ARNs of customer managed KMS keys that encrypt SSE-KMS objects in the source buckets. */
  readonly sourceKmsKeyArns: readonly string[];
}

/** IAM's policy variable for the account of the principal the policy is attached to. */
const OWN_ACCOUNT = "${aws:PrincipalAccount}";

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
      {
        // The role must be able to decrypt each source object's key (S3 user guide, "Replicating encrypted
        // objects": "You must grant the kms:Decrypt permission for the AWS KMS key that's used to decrypt
        // the source object"), the AWS managed key aws/s3 included. An IAM policy names a key only by its
        // key ARN, never by alias (KMS developer guide, "Specifying KMS keys in IAM policy statements"), and
        // aws/s3's key id is unknown until S3 first creates it; so: any key of the role's own account (the
        // policy variable; IAM user guide, "IAM policy elements: Variables and tags") in the source region,
        // used by S3 there. The role reads only the source buckets' objects (statements above), and aws/s3's
        // key policy lets the account's principals use it through S3.
        Sid: "DecryptSourcesThroughS3",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [`arn:${scope.partition}:kms:${scope.primaryRegion}:${OWN_ACCOUNT}:key/*`],
        Condition: { StringLike: { "kms:ViaService": `s3.${scope.primaryRegion}.*` } },
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
