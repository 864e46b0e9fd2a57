// Every component configuration the tests build, which the provider constraint suite also checks.
import {
  BackupPlanPresets,
  BackupRestoreDRArgs,
  BackupSelectionArgs,
  S3ReplicationArgs,
} from "@restorekit/backup-restore-dr";
import { BUCKETS_PER_REPLICATION_ROLE } from "../../components/src/replication";
import { seedArgs } from "./componentArgs";

/** One way of configuring the component that a test builds: a logical name and the arguments. */
export interface ComponentVariant {
  /** What the variant exercises, for messages and tables. */
  readonly label: string;
  /** The component's logical name. */
  readonly name: string;
  readonly args: BackupRestoreDRArgs;
}

const KEY = "arn:aws:kms:us-east-1:123456789012:key/source";

/** A selection by every kind of tag condition, with an exclusion. */
export const CONDITION_SELECTION: BackupSelectionArgs = {
  conditions: {
    stringEquals: [{ key: "backup", value: "true" }],
    stringLike: [{ key: "env", value: "prod*" }],
    stringNotEquals: [{ key: "aws:ResourceTag/tier", value: "scratch" }],
    stringNotLike: [{ key: "owner", value: "*-test" }],
  },
  notResources: ["arn:aws:ec2:*:*:volume/vol-0123456789abcdef0"],
};

/** A bucket name of 63 characters, the longest S3 allows, numbered. */
export function longBucketName(index: number): string {
  return `${"b".repeat(59)}${String(index).padStart(4, "0")}`;
}

/** Replication of `count` buckets of the longest names, each under its own KMS key. */
export function replicationOfLongBuckets(count: number): S3ReplicationArgs {
  return {
    buckets: Array.from({ length: count }, (_, i) => ({
      sourceBucket: longBucketName(i),
      replicaBucketName: `r${longBucketName(i).slice(1)}`,
      sourceKmsKeyArn: `arn:aws:kms:us-east-1:123456789012:key/${"0".repeat(32)}${String(i).padStart(4, "0")}`,
    })),
  };
}

/**
 * The component configurations the component tests build, in one list: each resource graph they
 * register is checked against the provider's argument constraints (test/provider). A test of a new
 * option adds its configuration here so the constraint suite sees it too.
 */
export const COMPONENT_VARIANTS: readonly ComponentVariant[] = [
  { label: "the guide's setup", name: "app", args: seedArgs() },
  {
    label: "app bucket replicated, email alerts",
    name: "app",
    args: seedArgs({
      replication: { buckets: [{ sourceBucket: "app-data-us-east-1" }] },
      monitoring: { emailAddresses: ["oncall@example.com"] },
    }),
  },
  {
    label: "isolated copy shared with a recovery account, break-glass keys, replicas under Object Lock",
    name: "app",
    args: seedArgs({
      isolation: {
        enabled: true,
        minRetentionDays: 97,
        maxRetentionDays: 97,
        recoveryAccountIds: ["210987654321"],
      },
      replication: { buckets: [{ sourceBucket: "app-data-us-east-1" }], objectLock: { days: 30 } },
      vaults: { breakGlassPrincipalArns: ["arn:aws:iam::123456789012:role/BreakGlass"] },
    }),
  },
  {
    label: "restore testing with selection tags",
    name: "app",
    args: seedArgs({
      restoreTesting: {
        selections: [
          { resourceType: "RDS", restoreMetadataOverrides: { dbSubnetGroupName: "dr-db" } },
          { resourceType: "DynamoDB", validationWindowHours: 4 },
        ],
      },
    }),
  },
  {
    label: "restore testing without selection tags",
    name: "app",
    args: seedArgs({
      selection: { resources: ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"] },
      restoreTesting: { selections: [{ resourceType: "DynamoDB" }] },
    }),
  },
  {
    label: "own keys and backup role, no replication",
    name: "byo",
    args: seedArgs({
      vaults: {
        primaryKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/primary",
        drKmsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/dr",
      },
      selection: { tags: { backup: "true" }, roleArn: "arn:aws:iam::123456789012:role/MyBackupRole" },
    }),
  },
  {
    label: "audit framework on the objectives, with a lock",
    name: "audited",
    args: seedArgs({
      objectives: { rpoMinutes: 1800, rtoMinutes: 480 },
      vaults: { lock: { minRetentionDays: 1, maxRetentionDays: 365 } },
      auditFramework: {},
    }),
  },
  {
    label: "governance Vault Lock",
    name: "gov",
    args: seedArgs({ vaults: { lock: { minRetentionDays: 1, maxRetentionDays: 365 } } }),
  },
  {
    label: "compliance Vault Lock",
    name: "comp",
    args: seedArgs({ vaults: { lock: { minRetentionDays: 3, changeableForDays: 3 } } }),
  },
  {
    label: "break-glass principals",
    name: "bg",
    args: seedArgs({ vaults: { breakGlassPrincipalArns: ["arn:aws:iam::123456789012:role/BreakGlass"] } }),
  },
  {
    label: "no deny policy, nothing retained, no alarms",
    name: "tmp",
    args: seedArgs({
      vaults: { denyRecoveryPointDeletion: false },
      retainOnDelete: false,
      monitoring: { alarms: false },
    }),
  },
  { label: "monitoring off", name: "quiet", args: seedArgs({ monitoring: { enabled: false } }) },
  {
    label: "replication with RTC, a prefix, a named replica and a storage class",
    name: "rtc",
    args: seedArgs({
      replication: {
        buckets: [{ sourceBucket: "logs-bucket", prefix: "app/", replicaBucketName: "logs-bucket-replica" }],
        replicationTimeControl: true,
        deleteMarkerReplication: false,
        replicaStorageClass: "STANDARD_IA",
      },
    }),
  },
  {
    label: "replication of a bucket under a source KMS key",
    name: "kms",
    args: seedArgs({ replication: { buckets: [{ sourceBucket: "secure-bucket", sourceKmsKeyArn: KEY }] } }),
  },
  {
    label: "selection by tag conditions and exclusions",
    name: "sel",
    args: seedArgs({ selection: CONDITION_SELECTION }),
  },
  {
    label: "the guide's plan by its own names",
    name: "seed",
    args: seedArgs({
      plan: { ...BackupPlanPresets.seed(), name: "dr-backup-plan" },
      selection: { name: "tagged-resources", tags: { backup: "true" } },
      tags: { team: "payments", "cost-center": "1234" },
    }),
  },
  { label: "the daily plan", name: "daily", args: seedArgs({ plan: BackupPlanPresets.daily() }) },
  {
    label: "a long component name with dots",
    name: "a-very-long-component-name-for-the-payments-platform-team.prod",
    args: seedArgs({ replication: { buckets: [{ sourceBucket: "app-data-us-east-1" }] } }),
  },
  {
    label: "one bucket more than a replication role holds, under source keys",
    name: "many",
    args: seedArgs({ replication: replicationOfLongBuckets(BUCKETS_PER_REPLICATION_ROLE + 1) }),
  },
];
