import { expect } from "chai";
import { BackupRestoreDR } from "@restorekit/backup-restore-dr";
import { seedArgs } from "../helpers/componentArgs";
import { MOCK_AUTONAME_SUFFIX, Registration, settled, useMockEngine, valueOf } from "../helpers/mockEngine";

/** A 60-character component name with dots, as a team's naming scheme gives. */
const LONG_DOTTED = "Acme.Payments.Service.Settlement.Backups.Production.Primary1";

/** The name each AWS API accepts, per resource type that has one (pattern and length). */
const NAME_RULES: Record<string, { pattern: RegExp; source: string }> = {
  "aws:sns/topic:Topic": {
    pattern: /^[A-Za-z0-9_-]{1,256}$/,
    source: "SNS CreateTopic: up to 256 letters, digits, '-' and '_'",
  },
  "aws:cloudwatch/eventRule:EventRule": {
    pattern: /^[.\-_A-Za-z0-9]{1,64}$/,
    source: "EventBridge PutRule: 1-64 of [.-_A-Za-z0-9]",
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": {
    pattern: /^[^\p{Cc}]{1,255}$/u,
    source: "CloudWatch PutMetricAlarm: 1-255 characters, no control characters",
  },
  "aws:backup/vault:Vault": { pattern: /^[a-zA-Z0-9\-_]{2,50}$/, source: "AWS Backup CreateBackupVault" },
  "aws:backup/plan:Plan": { pattern: /^[a-zA-Z0-9\-_.]{1,50}$/, source: "AWS Backup BackupPlanName" },
  "aws:backup/selection:Selection": {
    pattern: /^[a-zA-Z0-9\-_.]{1,50}$/,
    source: "AWS Backup SelectionName",
  },
  "aws:backup/restoreTestingPlan:RestoreTestingPlan": {
    pattern: /^[0-9A-Za-z_]{1,50}$/,
    source: "AWS Backup RestoreTestingPlanName",
  },
  "aws:backup/restoreTestingSelection:RestoreTestingSelection": {
    pattern: /^[0-9A-Za-z_]{1,50}$/,
    source: "AWS Backup RestoreTestingSelectionName",
  },
  "aws:iam/role:Role": { pattern: /^[\w+=,.@-]{1,64}$/, source: "IAM CreateRole: up to 64 of [\\w+=,.@-]" },
  "aws:iam/rolePolicy:RolePolicy": {
    pattern: /^[\w+=,.@-]{1,128}$/,
    source: "IAM PutRolePolicy: up to 128 of [\\w+=,.@-]",
  },
  "aws:s3/bucket:Bucket": {
    pattern: /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    source: "S3 bucket naming rules",
  },
};

/** Types that have no name of their own (they attach to a named resource, or AWS assigns an id). */
const UNNAMED = new Set([
  "backup-restore-dr:index:BackupRestoreDR",
  "aws:kms/key:Key",
  "aws:kms/keyPolicy:KeyPolicy",
  "aws:backup/vaultPolicy:VaultPolicy",
  "aws:backup/vaultNotifications:VaultNotifications",
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  "aws:cloudwatch/eventTarget:EventTarget",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:sns/topicSubscription:TopicSubscription",
]);

/** The name AWS would get: the one given, or what the provider makes of a prefix or of auto-naming. */
function physicalName(registration: Registration): string {
  const { inputs, name, type } = registration;
  const uniqueSuffix = "20261123000000000000000001"; // the provider's 26-character unique suffix
  if (type === "aws:s3/bucket:Bucket") return inputs.bucket ?? `${inputs.bucketPrefix}${uniqueSuffix}`;
  if (inputs.name !== undefined) return inputs.name;
  if (inputs.namePrefix !== undefined) return `${inputs.namePrefix}${uniqueSuffix}`;
  return `${name}${MOCK_AUTONAME_SUFFIX}`; // Pulumi's auto-naming: the logical name, '-', 7 characters
}

describe("physical names of a component with a long dotted name", () => {
  it("fit AWS's rule for every named resource type", async () => {
    expect(LONG_DOTTED).to.have.length(60);
    const registrations = useMockEngine();
    const component = new BackupRestoreDR(
      LONG_DOTTED,
      seedArgs({
        replication: { buckets: [{ sourceBucket: "app-data-us-east-1" }] },
        monitoring: { emailAddresses: ["oncall@example.com"] },
        restoreTesting: { selections: [{ resourceType: "RDS" }] },
        vaults: { lock: { minRetentionDays: 3 } },
      }),
    );
    await valueOf(component.replicaBucketArns);
    await valueOf(component.alertTopicArns);
    await settled(registrations);
    const broken = registrations.flatMap((registration) => {
      if (UNNAMED.has(registration.type)) return [];
      const rule = NAME_RULES[registration.type];
      if (!rule) return [`${registration.type} ${registration.name}: no name rule known; add one`];
      const physical = physicalName(registration);
      return rule.pattern.test(physical) ? [] : [`${registration.type} "${physical}" breaks ${rule.source}`];
    });
    expect(broken).to.deep.equal([]);
    const types = new Set(registrations.map((r) => r.type));
    expect([...types].filter((type) => NAME_RULES[type]).length, "named types checked").to.equal(
      Object.keys(NAME_RULES).length,
    );
  });
});
