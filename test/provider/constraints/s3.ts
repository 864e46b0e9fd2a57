// The AWS provider's argument constraints for buckets: policies, encryption, versioning, replication.
import {
  DeleteMarkerReplicationStatus,
  ExistingObjectReplicationStatus,
  MetricsStatus,
  MFADelete,
  ObjectLockEnabled,
  ObjectLockRetentionMode,
  ReplicationRuleStatus,
  ReplicationTimeStatus,
  ServerSideEncryption,
  SseKmsEncryptedObjectsStatus,
  StorageClass,
} from "@aws-sdk/client-s3";
import { TypeConstraints } from "../rules";

const BUCKET = { kind: "StringLenBetween", path: "bucket", min: 1, max: 63 } as const;

/** S3: internal/service/s3/. Enumerations come from the S3 service model, as the provider's do. */
export const S3: readonly TypeConstraints[] = [
  {
    type: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    file: "internal/service/s3/bucket_object_lock_configuration.go",
    rules: [
      BUCKET,
      { kind: "StringInSlice", path: "objectLockEnabled", values: Object.values(ObjectLockEnabled) },
      {
        kind: "StringInSlice",
        path: "rule.defaultRetention.mode",
        values: Object.values(ObjectLockRetentionMode),
      },
      { kind: "ConflictsWith", path: "rule.defaultRetention.days", with: ["rule.defaultRetention.years"] },
    ],
    note: "delete puts the configuration back without a rule (Object Lock itself cannot be turned off); the component keeps it on delete",
  },
  {
    type: "aws:s3/bucket:Bucket",
    file: "internal/service/s3/bucket.go",
    rules: [
      { kind: "ConflictsWith", path: "bucket", with: ["bucketPrefix"] },
      { kind: "StringLenBetween", path: "bucket", min: 0, max: 63 },
      // 63 less the 26 characters of the provider's unique suffix (resource.UniqueIDSuffixLength).
      { kind: "StringLenBetween", path: "bucketPrefix", min: 0, max: 37 },
    ],
  },
  {
    type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    file: "internal/service/s3/bucket_replication_configuration.go",
    rules: [
      BUCKET,
      { kind: "ValidARN", path: "role" },
      { kind: "StringLenBetween", path: "rules[].id", min: 0, max: 255 },
      { kind: "StringLenBetween", path: "rules[].prefix", min: 0, max: 1024 },
      { kind: "StringLenBetween", path: "rules[].filter.prefix", min: 0, max: 1024 },
      { kind: "StringLenBetween", path: "rules[].filter.and.prefix", min: 0, max: 1024 },
      { kind: "StringInSlice", path: "rules[].status", values: Object.values(ReplicationRuleStatus) },
      {
        kind: "StringInSlice",
        path: "rules[].deleteMarkerReplication.status",
        values: Object.values(DeleteMarkerReplicationStatus),
      },
      {
        kind: "StringInSlice",
        path: "rules[].existingObjectReplication.status",
        values: Object.values(ExistingObjectReplicationStatus),
      },
      { kind: "ValidARN", path: "rules[].destination.bucket" },
      {
        kind: "StringInSlice",
        path: "rules[].destination.storageClass",
        values: Object.values(StorageClass),
      },
      { kind: "ValidARN", path: "rules[].destination.encryptionConfiguration.replicaKmsKeyId" },
      {
        kind: "StringInSlice",
        path: "rules[].destination.replicationTime.status",
        values: Object.values(ReplicationTimeStatus),
      },
      { kind: "IntBetween", path: "rules[].destination.replicationTime.time.minutes", min: 0 },
      {
        kind: "StringInSlice",
        path: "rules[].destination.metrics.status",
        values: Object.values(MetricsStatus),
      },
      { kind: "IntBetween", path: "rules[].destination.metrics.eventThreshold.minutes", min: 0 },
      {
        kind: "StringInSlice",
        path: "rules[].sourceSelectionCriteria.sseKmsEncryptedObjects.status",
        values: Object.values(SseKmsEncryptedObjectsStatus),
      },
    ],
  },
  {
    type: "aws:s3/bucketPolicy:BucketPolicy",
    file: "internal/service/s3/bucket_policy.go",
    rules: [{ kind: "StringIsJSON", path: "policy" }],
    note: "bucket has no validator; policy is IAMPolicyDocumentSchemaRequired (JSON)",
  },
  {
    type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    file: "internal/service/s3/bucket_public_access_block.go",
    rules: [],
    note: "no cross-argument constraints beyond types: four optional booleans and a required bucket without validator",
  },
  {
    type: "aws:s3/bucketVersioning:BucketVersioning",
    file: "internal/service/s3/bucket_versioning.go",
    rules: [
      BUCKET,
      // BucketVersioningStatus_Values() in the provider adds "Disabled" to the service's Enabled/Suspended.
      {
        kind: "StringInSlice",
        path: "versioningConfiguration.status",
        values: ["Enabled", "Suspended", "Disabled"],
      },
      { kind: "StringInSlice", path: "versioningConfiguration.mfaDelete", values: Object.values(MFADelete) },
    ],
  },
  {
    type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    file: "internal/service/s3/bucket_server_side_encryption_configuration.go",
    rules: [
      BUCKET,
      {
        kind: "StringInSlice",
        path: "rules[].applyServerSideEncryptionByDefault.sseAlgorithm",
        values: Object.values(ServerSideEncryption),
      },
    ],
  },
];
