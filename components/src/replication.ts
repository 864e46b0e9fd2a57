// S3 cross-region replication: replica buckets in the DR region, V2 replication rules, scoped roles.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext } from "./context";
import { IAM_NAME_CHAR, IAM_ROLE_NAME_PREFIX_MAX, namePrefix } from "./naming";
import { partitionOf } from "./validation/regions";
import { replicationPolicyDocument } from "./replicationPolicy";

/** One existing bucket in the primary region to replicate into a new replica bucket in the DR region. */
export interface ReplicatedBucketArgs {
  /** Name of the existing source bucket, in the primary region. Versioning is turned on for it. */
  readonly sourceBucket: pulumi.Input<string>;
  /**
   * Name of the replica bucket created in the DR region: 3-63 lower-case letters, digits, `-` and `.`.
   * Default: a unique name starting with the component name.
   */
  readonly replicaBucketName?: string;
  /**
   * Replicate only keys starting with this prefix.
   * Default: "" (the whole bucket).
   */
  readonly prefix?: string;
  /**
   * Customer managed KMS key that encrypts SSE-KMS objects in the source bucket, needed when it belongs to
   * another account (its key policy must also let the replication role decrypt). The replication role may
   * always decrypt, through S3 in the primary region, with any key of the role's own account there: the AWS
   * managed key `aws/s3` and the account's own customer managed keys (whose key policies must allow IAM
   * policies, as the default key policy does). S3 writes SSE-KMS replicas under the DR key; objects under a
   * key the role cannot use do not replicate (status FAILED). SSE-S3 objects (S3's default) replicate as
   * SSE-S3: a destination bucket's default encryption does not apply to replicas (Amazon S3 User Guide,
   * "Replicating encrypted objects").
   * Default: none (objects use SSE-S3, `aws/s3` or a key of the role's account in the primary region).
   */
  readonly sourceKmsKeyArn?: pulumi.Input<string>;
}

/** S3 cross-region replication (V2 configuration) of buckets that AWS Backup's copies do not cover. */
export interface S3ReplicationArgs {
  /** The buckets to replicate. */
  readonly buckets: ReplicatedBucketArgs[];
  /**
   * Replicate delete markers, so a delete in the primary hides the object in the replica too (previous
   * versions stay). AWS disallows it for tag-filtered rules, which this component does not create.
   * Default: true.
   */
  readonly deleteMarkerReplication?: boolean;
  /**
   * S3 Replication Time Control: 99.99% of objects replicated within 15 minutes, with replication
   * metrics (both at extra cost).
   * Default: false.
   */
  readonly replicationTimeControl?: boolean;
  /**
   * Storage class of the replicas, e.g. `STANDARD_IA` to pay less for copies that are rarely read.
   * Default: "STANDARD".
   */
  readonly replicaStorageClass?: string;
  /**
   * S3 Object Lock on every replica bucket, with a default retention each replicated object version gets:
   * in COMPLIANCE mode no one, the account's root user included, deletes a version or shortens its
   * retention before it ends; in GOVERNANCE mode only principals with `s3:BypassGovernanceRetention` can.
   * Chosen over backing the replicas up into the logically air-gapped vault because it protects every
   * replicated version as it lands, at no storage cost beyond the versions kept, with no backup schedule
   * (and so no RPO) in between. Object Lock cannot be turned off once on, and keeps versioning on.
   * Default: none: replica versions can be deleted by whoever IAM allows.
   */
  readonly objectLock?: ReplicaObjectLockArgs;
}

/** The retention modes of S3 Object Lock. */
export const OBJECT_LOCK_MODES = ["GOVERNANCE", "COMPLIANCE"] as const;

/** S3 Object Lock default retention on the replica buckets. */
export interface ReplicaObjectLockArgs {
  /**
   * `COMPLIANCE` (no one can delete a locked version early) or `GOVERNANCE` (principals with
   * `s3:BypassGovernanceRetention` can).
   * Default: "COMPLIANCE".
   */
  readonly mode?: string;
  /**
   * Days each replicated version is locked from its creation: at least 1, and at most the plan's longest
   * retention (a version locked longer than any recovery point is kept is storage no one can remove).
   */
  readonly days: number;
}

/** Storage classes S3 accepts for a replication destination (FSX_OPENZFS is in the enum but rejected). */
export const REPLICA_STORAGE_CLASSES = [
  "STANDARD",
  "REDUCED_REDUNDANCY",
  "STANDARD_IA",
  "ONEZONE_IA",
  "INTELLIGENT_TIERING",
  "GLACIER",
  "DEEP_ARCHIVE",
  "GLACIER_IR",
] as const;

/** A replica bucket and its replication configuration. */
export interface ReplicaBucket {
  readonly sourceBucket: pulumi.Output<string>;
  readonly bucket: aws.s3.Bucket;
  readonly configuration: aws.s3.BucketReplicationConfig;
}

/**
 * Buckets per replication role. A role's inline policies may total 10,240 characters; with 63-character
 * bucket names and a source KMS key each, 25 buckets' statements stay well under it.
 */
export const BUCKETS_PER_REPLICATION_ROLE = 25;

/** Longest `bucketPrefix` S3 accepts (63 characters less the 26-character unique suffix). */
export const BUCKET_PREFIX_MAX = 37;

/**
 * Creates, for each source bucket: versioning on the source, a replica bucket in the DR region
 * (versioned, default encryption SSE-KMS with the DR key for objects written to it directly, public
 * access blocked, TLS required, kept on delete) and a V2
 * replication configuration; and replication roles (one per 25 buckets) scoped to exactly these buckets
 * and keys.
 */
export function createReplication(
  ctx: ComponentContext,
  replication: S3ReplicationArgs,
  drKeyArn: pulumi.Output<string>,
): ReplicaBucket[] {
  const sources = replication.buckets.map((bucket) => pulumi.output(bucket.sourceBucket));
  const replicas = replication.buckets.map((bucket, index) =>
    createReplicaBucket(ctx, bucket, index, drKeyArn, replication.objectLock),
  );
  const sourceKeys = replication.buckets.map((bucket) =>
    bucket.sourceKmsKeyArn === undefined ? undefined : pulumi.output(bucket.sourceKmsKeyArn),
  );
  const roles: aws.iam.Role[] = [];
  for (let first = 0; first < replication.buckets.length; first += BUCKETS_PER_REPLICATION_ROLE) {
    const group = replication.buckets.slice(first, first + BUCKETS_PER_REPLICATION_ROLE).map((_, offset) => ({
      source: sources[first + offset],
      replicaArn: replicas[first + offset].bucket.arn,
      sourceKmsKeyArn: sourceKeys[first + offset],
    }));
    roles.push(createReplicationRole(ctx, roles.length, group, drKeyArn));
  }
  return replication.buckets.map((bucket, index) => {
    const role = roles[Math.floor(index / BUCKETS_PER_REPLICATION_ROLE)];
    const source = sources[index];
    const sourceVersioning = new aws.s3.BucketVersioning(
      `${ctx.name}-source-${index}-versioning`,
      { region: ctx.primaryRegion, bucket: source, versioningConfiguration: { status: "Enabled" } },
      ctx.keep,
    );
    const replica = replicas[index];
    const rtc = replication.replicationTimeControl ?? false;
    const configuration = new aws.s3.BucketReplicationConfig(
      `${ctx.name}-source-${index}-replication`,
      {
        region: ctx.primaryRegion,
        bucket: source,
        role: role.arn,
        rules: [
          {
            id: "backup-restore-dr",
            status: "Enabled",
            priority: 1,
            filter: { prefix: bucket.prefix ?? "" },
            deleteMarkerReplication: {
              status: (replication.deleteMarkerReplication ?? true) ? "Enabled" : "Disabled",
            },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: {
              bucket: replica.bucket.arn,
              storageClass: replication.replicaStorageClass ?? "STANDARD",
              encryptionConfiguration: { replicaKmsKeyId: drKeyArn },
              ...(rtc && {
                replicationTime: { status: "Enabled", time: { minutes: 15 } },
                metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
              }),
            },
          },
        ],
      },
      { ...ctx.child, dependsOn: [sourceVersioning, replica.versioning] },
    );
    return { sourceBucket: source, bucket: replica.bucket, configuration };
  });
}

function createReplicaBucket(
  ctx: ComponentContext,
  args: ReplicatedBucketArgs,
  index: number,
  drKeyArn: pulumi.Output<string>,
  objectLock: ReplicaObjectLockArgs | undefined,
) {
  const region = ctx.drRegion;
  const prefix = `${ctx.name}-replica-${index}`;
  const bucket = new aws.s3.Bucket(
    prefix,
    {
      region,
      ...(args.replicaBucketName !== undefined
        ? { bucket: args.replicaBucketName }
        : { bucketPrefix: namePrefix(prefix, BUCKET_PREFIX_MAX, /[a-z0-9-]/, true) }),
      tags: ctx.tags,
    },
    ctx.keep,
  );
  const versioning = new aws.s3.BucketVersioning(
    `${prefix}-versioning`,
    { region, bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    ctx.keep,
  );
  if (objectLock) {
    // Object Lock can be enabled on an existing, versioned bucket (S3 user guide, "Configuring S3 Object
    // Lock": enable Object Lock on an existing bucket).
    new aws.s3.BucketObjectLockConfiguration(
      `${prefix}-object-lock`,
      {
        region,
        bucket: bucket.id,
        objectLockEnabled: "Enabled",
        rule: { defaultRetention: { mode: objectLock.mode ?? "COMPLIANCE", days: objectLock.days } },
      },
      { ...ctx.keep, dependsOn: [versioning] },
    );
  }
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${prefix}-encryption`,
    {
      region,
      bucket: bucket.id,
      rules: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: drKeyArn },
          bucketKeyEnabled: true,
        },
      ],
    },
    ctx.keep,
  );
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    `${prefix}-public-access-block`,
    {
      region,
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    ctx.keep,
  );
  new aws.s3.BucketPolicy(
    `${prefix}-tls-only`,
    {
      region,
      bucket: bucket.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    },
    { ...ctx.keep, dependsOn: [publicAccessBlock] },
  );
  return { bucket, versioning };
}

/** The buckets one replication role serves. */
interface ReplicationGroupMember {
  readonly source: pulumi.Output<string>;
  readonly replicaArn: pulumi.Output<string>;
  readonly sourceKmsKeyArn?: pulumi.Output<string>;
}

function createReplicationRole(
  ctx: ComponentContext,
  groupIndex: number,
  group: ReplicationGroupMember[],
  drKeyArn: pulumi.Output<string>,
): aws.iam.Role {
  const suffix = groupIndex === 0 ? "" : `-${groupIndex}`;
  const partition = partitionOf(ctx.primaryRegion);
  const sources = group.map((member) => member.source);
  const replicaArns = group.map((member) => member.replicaArn);
  const sourceKeys = group.flatMap((member) => (member.sourceKmsKeyArn ? [member.sourceKmsKeyArn] : []));
  const role = new aws.iam.Role(
    `${ctx.name}-replication-role${suffix}`,
    {
      namePrefix: namePrefix(`${ctx.name}-replication`, IAM_ROLE_NAME_PREFIX_MAX, IAM_NAME_CHAR),
      description: `S3 cross-region replication for ${ctx.name}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
      tags: ctx.tags,
    },
    ctx.child,
  );
  new aws.iam.RolePolicy(
    `${ctx.name}-replication-policy${suffix}`,
    {
      role: role.id,
      policy: pulumi
        .all([pulumi.all(sources), pulumi.all(replicaArns), drKeyArn, pulumi.all(sourceKeys)])
        .apply(([sourceBuckets, replicaBucketArns, drKey, sourceKmsKeyArns]) =>
          JSON.stringify(
            replicationPolicyDocument({
              partition,
              primaryRegion: ctx.primaryRegion,
              sourceBuckets,
              replicaBucketArns,
              drKeyArn: drKey,
              sourceKmsKeyArns,
            }),
          ),
        ),
    },
    ctx.child,
  );
  return role;
}
