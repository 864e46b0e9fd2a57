import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { BackupRestoreDR, BackupRestoreDRArgs } from "@restorekit/backup-restore-dr";
import { BUCKETS_PER_REPLICATION_ROLE } from "../../components/src/replication";
import { seedArgs as guideArgs } from "../helpers/componentArgs";
import { CONDITION_SELECTION, longBucketName, replicationOfLongBuckets } from "../helpers/componentVariants";
import {
  identityInvoke,
  invokes,
  MOCK_DEPLOYER_ROLE_ARN,
  MOCK_DEPLOYER_SESSION_ARN,
  MOCK_AUTONAME_SUFFIX,
  named,
  ofType,
  Registration,
  settled,
  useMockEngine,
  valueOf,
} from "../helpers/mockEngine";

const VAULT_NAME = /^[a-zA-Z0-9\-_]{2,50}$/;

/** The guide's setup with its app bucket replicated. */
function seedArgs(overrides: Partial<BackupRestoreDRArgs> = {}): BackupRestoreDRArgs {
  return guideArgs({ replication: { buckets: [{ sourceBucket: "app-data-us-east-1" }] }, ...overrides });
}

/** Builds the component and records every child's options through a (client-side) transformation. */
async function build(name: string, args: BackupRestoreDRArgs) {
  const registrations = useMockEngine();
  const options = new Map<string, pulumi.ResourceOptions>();
  const component = new BackupRestoreDR(name, args, {
    transformations: [
      (t) => {
        options.set(t.name, t.opts);
        return undefined;
      },
    ],
  });
  await valueOf(component.replicaBucketArns);
  await valueOf(component.selectionId);
  await settled(registrations);
  return { component, registrations, options };
}

describe("BackupRestoreDR resource graph", () => {
  let registrations: Registration[];
  let options: Map<string, pulumi.ResourceOptions>;
  let component: BackupRestoreDR;
  let invokedTokens: string[];

  before(async () => {
    ({ component, registrations, options } = await build("app", seedArgs()));
    invokedTokens = invokes.map((invoke) => invoke.token);
  });

  it("registers itself under the package's type token", () => {
    expect(named(registrations, "app").type).to.equal("backup-restore-dr:index:BackupRestoreDR");
  });

  it("creates a rotating KMS key and a vault encrypted with it in each region", () => {
    for (const [role, region] of [
      ["primary", "us-east-1"],
      ["dr", "us-west-2"],
    ]) {
      const key = named(registrations, `app-${role}-key`);
      expect(key.type).to.equal("aws:kms/key:Key");
      expect(key.inputs.region).to.equal(region);
      expect(key.inputs.enableKeyRotation).to.equal(true);
      const vault = named(registrations, `app-${role}-vault`);
      expect(vault.type).to.equal("aws:backup/vault:Vault");
      expect(vault.inputs.region).to.equal(region);
      expect(vault.inputs.kmsKeyArn).to.equal(`arn:aws:kms:${region}:123456789012:key/app-${role}-key`);
    }
  });

  it("keeps vaults, keys and replica buckets on destroy by default", () => {
    for (const name of [
      "app-primary-key",
      "app-primary-vault",
      "app-dr-key",
      "app-dr-vault",
      "app-replica-0",
    ]) {
      expect(options.get(name)?.retainOnDelete, name).to.equal(true);
    }
    expect(options.get("app-plan")?.retainOnDelete, "the plan is not data").to.equal(undefined);
  });

  it("auto-names vaults with valid AWS names", async () => {
    expect(named(registrations, "app-primary-vault").inputs.name).to.equal(undefined);
    expect(await valueOf(component.primaryVaultName)).to.match(VAULT_NAME);
    expect(await valueOf(component.drVaultName)).to.match(VAULT_NAME);
  });

  it("denies deleting recovery points, the lock and the vault to everyone, and leaves the policy to IAM, when no deployer is named", () => {
    for (const role of ["primary", "dr"]) {
      const policy = JSON.parse(named(registrations, `app-${role}-vault-policy`).inputs.policy);
      expect(policy.Statement).to.deep.equal([
        {
          Sid: "DenyRecoveryPointDeletion",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: [
            "backup:DeleteRecoveryPoint",
            "backup:UpdateRecoveryPointLifecycle",
            "backup:DeleteBackupVaultLockConfiguration",
            "backup:DeleteBackupVault",
          ],
          Resource: "*",
        },
      ]);
    }
  });

  it("asks nobody who deploys it: the policy is the same whoever runs `pulumi up`", () => {
    expect(invokedTokens).to.deep.equal([]);
  });

  it("creates the selection after its role's policy attachments (CreateBackupSelection checks the role's rights)", async () => {
    const dependsOn = (await valueOf(
      options.get("app-selection")?.dependsOn as pulumi.Output<pulumi.Resource[]>,
    )) as unknown as { __name: string }[];
    expect(dependsOn.map((resource) => resource.__name)).to.have.members([
      "app-backup-role-AWSBackupServiceRolePolicyForBackup",
      "app-backup-role-AWSBackupServiceRolePolicyForRestores",
      "app-backup-role-AWSBackupServiceRolePolicyForS3Backup",
      "app-backup-role-AWSBackupServiceRolePolicyForS3Restore",
    ]);
  });

  it("creates the plan in the primary region, targeting the primary vault and copying to the DR vault ARN", async () => {
    const plan = named(registrations, "app-plan");
    expect(plan.type).to.equal("aws:backup/plan:Plan");
    expect(plan.inputs.region).to.equal("us-east-1");
    const [daily, hourly] = plan.inputs.rules;
    const primaryVaultName = await valueOf(component.primaryVaultName);
    expect(daily).to.deep.include({
      ruleName: "daily-backup",
      targetVaultName: primaryVaultName,
      schedule: "cron(0 3 * * ? *)",
      scheduleExpressionTimezone: "Etc/UTC",
      startWindow: 60,
      completionWindow: 180,
      enableContinuousBackup: false,
      lifecycle: { coldStorageAfter: 7, deleteAfter: 97 },
    });
    expect(daily.copyActions).to.deep.equal([
      {
        destinationVaultArn: await valueOf(component.drVaultArn),
        lifecycle: { coldStorageAfter: 7, deleteAfter: 97 },
      },
    ]);
    expect(daily.copyActions[0].destinationVaultArn).to.match(
      /^arn:aws:backup:us-west-2:\d{12}:backup-vault:/,
    );
    expect(hourly).to.deep.include({
      ruleName: "hourly-backup",
      schedule: "cron(0 * * * ? *)",
      lifecycle: { deleteAfter: 3 },
      copyActions: [],
    });
  });

  it("selects resources tagged backup=true with a role AWS Backup can assume", async () => {
    const selection = named(registrations, "app-selection");
    expect(selection.inputs.region).to.equal("us-east-1");
    expect(selection.inputs.planId).to.equal("app-plan-id");
    expect(selection.inputs.iamRoleArn).to.equal(await valueOf(component.backupRoleArn));
    expect(selection.inputs.selectionTags).to.deep.equal([
      { type: "STRINGEQUALS", key: "backup", value: "true" },
    ]);
    const role = named(registrations, "app-backup-role");
    expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({
      Service: "backup.amazonaws.com",
    });
    expect(
      ofType(registrations, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map(
        (r) => r.inputs.policyArn,
      ),
    ).to.have.members([
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
      "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
      "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
    ]);
  });

  it("replicates the source bucket into a locked-down replica in the DR region with the DR key", async () => {
    const replica = named(registrations, "app-replica-0");
    expect(replica.inputs.region).to.equal("us-west-2");
    expect(named(registrations, "app-source-0-versioning").inputs).to.deep.include({
      region: "us-east-1",
      bucket: "app-data-us-east-1",
      versioningConfiguration: { status: "Enabled" },
    });
    expect(named(registrations, "app-replica-0-versioning").inputs.versioningConfiguration).to.deep.equal({
      status: "Enabled",
    });
    const drKeyArn = await valueOf(component.drKeyArn);
    expect(named(registrations, "app-replica-0-encryption").inputs.rules).to.deep.equal([
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: drKeyArn },
        bucketKeyEnabled: true,
      },
    ]);
    expect(named(registrations, "app-replica-0-public-access-block").inputs).to.deep.include({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const tls = JSON.parse(named(registrations, "app-replica-0-tls-only").inputs.policy);
    expect(tls.Statement[0]).to.deep.include({
      Effect: "Deny",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });

    const config = named(registrations, "app-source-0-replication");
    expect(config.inputs.region).to.equal("us-east-1");
    expect(config.inputs.bucket).to.equal("app-data-us-east-1");
    const [rule] = config.inputs.rules;
    expect(rule).to.deep.include({
      status: "Enabled",
      priority: 1,
      filter: { prefix: "" },
      deleteMarkerReplication: { status: "Enabled" },
      sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
    });
    const [replicaArn] = await valueOf(component.replicaBucketArns);
    expect(rule.destination).to.deep.equal({
      bucket: replicaArn,
      storageClass: "STANDARD",
      encryptionConfiguration: { replicaKmsKeyId: drKeyArn },
    });
  });

  it("scopes the replication role to exactly the source, the replica, the DR key and decrypting through S3 in the source region", async () => {
    const policy = JSON.parse(named(registrations, "app-replication-policy").inputs.policy);
    const [replicaArn] = await valueOf(component.replicaBucketArns);
    const resources = policy.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
    expect(resources).to.have.members([
      "arn:aws:s3:::app-data-us-east-1",
      "arn:aws:s3:::app-data-us-east-1/*",
      `${replicaArn}/*`,
      await valueOf(component.drKeyArn),
      "arn:aws:kms:us-east-1:${aws:PrincipalAccount}:key/*",
    ]);
    expect(
      JSON.parse(named(registrations, "app-replication-role").inputs.assumeRolePolicy).Statement[0].Principal,
    ).to.deep.equal({ Service: "s3.amazonaws.com" });
  });

  it("exposes every output", async () => {
    expect(await valueOf(component.primaryVaultArn)).to.match(/^arn:aws:backup:us-east-1:/);
    expect(await valueOf(component.primaryKeyArn)).to.match(/^arn:aws:kms:us-east-1:/);
    expect(await valueOf(component.planId)).to.equal("app-plan-id");
    expect(await valueOf(component.planArn)).to.match(/^arn:aws:backup:us-east-1:/);
    expect(await valueOf(component.selectionId)).to.equal("app-selection-id");
    expect(await valueOf(component.replicaBucketNames)).to.have.length(1);
  });
});

describe("BackupRestoreDR options", () => {
  it("uses given keys and role instead of creating them", async () => {
    const { registrations, component } = await build(
      "byo",
      seedArgs({
        vaults: {
          primaryKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/primary",
          drKmsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/dr",
        },
        selection: { tags: { backup: "true" }, roleArn: "arn:aws:iam::123456789012:role/MyBackupRole" },
        replication: undefined,
      }),
    );
    expect(ofType(registrations, "aws:kms/key:Key")).to.have.length(0);
    expect(ofType(registrations, "aws:iam/role:Role")).to.have.length(0);
    expect(named(registrations, "byo-dr-vault").inputs.kmsKeyArn).to.equal(
      "arn:aws:kms:us-west-2:123456789012:key/dr",
    );
    expect(named(registrations, "byo-selection").inputs.iamRoleArn).to.equal(
      "arn:aws:iam::123456789012:role/MyBackupRole",
    );
    expect(await valueOf(component.backupRoleArn)).to.equal("arn:aws:iam::123456789012:role/MyBackupRole");
    expect(await valueOf(component.replicaBucketNames)).to.deep.equal([]);
  });

  it("locks both vaults: governance without changeableForDays, compliance with it", async () => {
    const governance = await build(
      "gov",
      seedArgs({ vaults: { lock: { minRetentionDays: 1, maxRetentionDays: 365 } } }),
    );
    for (const role of ["primary", "dr"]) {
      const lock = named(governance.registrations, `gov-${role}-vault-lock`);
      expect(lock.inputs).to.deep.include({ minRetentionDays: 1, maxRetentionDays: 365 });
      expect(lock.inputs.changeableForDays).to.equal(undefined);
    }
    const compliance = await build(
      "comp",
      seedArgs({ vaults: { lock: { minRetentionDays: 3, changeableForDays: 3 } } }),
    );
    expect(named(compliance.registrations, "comp-dr-vault-lock").inputs).to.deep.include({
      region: "us-west-2",
      changeableForDays: 3,
    });
  });

  it("exempts the named deployers and break-glass principals, and then denies changing the policy to all others", async () => {
    const { registrations } = await build(
      "bg",
      seedArgs({
        vaults: {
          deployerPrincipalArns: ["arn:aws:iam::123456789012:role/ci"],
          breakGlassPrincipalArns: ["arn:aws:iam::123456789012:role/BreakGlass"],
        },
      }),
    );
    const [statement] = JSON.parse(named(registrations, "bg-dr-vault-policy").inputs.policy).Statement;
    expect(statement.Action).to.deep.equal([
      "backup:DeleteRecoveryPoint",
      "backup:UpdateRecoveryPointLifecycle",
      "backup:PutBackupVaultAccessPolicy",
      "backup:DeleteBackupVaultAccessPolicy",
      "backup:DeleteBackupVaultLockConfiguration",
      "backup:DeleteBackupVault",
    ]);
    expect(statement.Condition).to.deep.equal({
      ArnNotLike: {
        "aws:PrincipalArn": [
          "arn:aws:iam::123456789012:role/ci",
          "arn:aws:iam::123456789012:role/BreakGlass",
        ],
      },
    });
  });

  it("renders the same policy whichever principal deploys it", async () => {
    const rendered = [];
    for (const caller of ["arn:aws:iam::123456789012:user/ci", MOCK_DEPLOYER_SESSION_ARN]) {
      const registrations = useMockEngine({
        calls: (token, inputs) =>
          token === "aws:index/getCallerIdentity:getCallerIdentity"
            ? { accountId: "123456789012", arn: caller, userId: "AIDAEXAMPLE" }
            : identityInvoke(token, inputs),
      });
      const component = new BackupRestoreDR(
        "same",
        seedArgs({ vaults: { deployerPrincipalArns: [MOCK_DEPLOYER_ROLE_ARN] } }),
      );
      await valueOf(component.selectionId);
      await settled(registrations);
      rendered.push(ofType(registrations, "aws:backup/vaultPolicy:VaultPolicy").map((r) => r.inputs));
    }
    expect(rendered[0]).to.have.length(2);
    expect(rendered[1]).to.deep.equal(rendered[0]);
  });

  it("can skip the deny policy and let vaults and keys go on destroy, when asked explicitly", async () => {
    const { registrations, options } = await build(
      "tmp",
      seedArgs({ vaults: { denyRecoveryPointDeletion: false }, retainOnDelete: false }),
    );
    expect(ofType(registrations, "aws:backup/vaultPolicy:VaultPolicy")).to.have.length(0);
    expect(options.get("tmp-dr-vault")?.retainOnDelete).to.equal(false);
    expect(options.get("tmp-replica-0")?.retainOnDelete).to.equal(false);
  });

  it("turns on Replication Time Control with metrics, and can keep delete markers from replicating", async () => {
    const { registrations } = await build(
      "rtc",
      seedArgs({
        replication: {
          buckets: [
            { sourceBucket: "logs-bucket", prefix: "app/", replicaBucketName: "logs-bucket-replica" },
          ],
          replicationTimeControl: true,
          deleteMarkerReplication: false,
          replicaStorageClass: "STANDARD_IA",
        },
      }),
    );
    expect(named(registrations, "rtc-replica-0").inputs.bucket).to.equal("logs-bucket-replica");
    const [rule] = named(registrations, "rtc-source-0-replication").inputs.rules;
    expect(rule.filter).to.deep.equal({ prefix: "app/" });
    expect(rule.deleteMarkerReplication).to.deep.equal({ status: "Disabled" });
    expect(rule.destination).to.deep.include({
      storageClass: "STANDARD_IA",
      replicationTime: { status: "Enabled", time: { minutes: 15 } },
      metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
    });
  });

  it("lets a source KMS key be decrypted by the replication role", async () => {
    const key = "arn:aws:kms:us-east-1:123456789012:key/source";
    const { registrations } = await build(
      "kms",
      seedArgs({ replication: { buckets: [{ sourceBucket: "secure-bucket", sourceKmsKeyArn: key }] } }),
    );
    const policy = JSON.parse(named(registrations, "kms-replication-policy").inputs.policy);
    expect(policy.Statement).to.deep.include({
      Sid: "DecryptSources",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [key],
    });
  });

  it("lets the replication role decrypt objects under the AWS managed key aws/s3 of its own account, asking nobody who deploys", async () => {
    const { registrations } = await build("awsmanaged", seedArgs());
    expect(invokes).to.deep.equal([]);
    const policy = JSON.parse(named(registrations, "awsmanaged-replication-policy").inputs.policy);
    expect(policy.Statement).to.deep.include({
      Sid: "DecryptSourcesThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: ["arn:aws:kms:us-east-1:${aws:PrincipalAccount}:key/*"],
      Condition: { StringLike: { "kms:ViaService": "s3.us-east-1.*" } },
    });
  });

  it("selects by tag conditions, explicit ARNs and exclusions", async () => {
    const { registrations } = await build("sel", seedArgs({ selection: CONDITION_SELECTION }));
    const selection = named(registrations, "sel-selection");
    expect(selection.inputs.conditions).to.deep.equal([
      {
        stringEquals: [{ key: "aws:ResourceTag/backup", value: "true" }],
        stringLikes: [{ key: "aws:ResourceTag/env", value: "prod*" }],
        stringNotEquals: [{ key: "aws:ResourceTag/tier", value: "scratch" }],
        stringNotLikes: [{ key: "aws:ResourceTag/owner", value: "*-test" }],
      },
    ]);
    expect(selection.inputs.resources, "conditions alone filter every resource").to.deep.equal(["*"]);
    expect(selection.inputs.notResources).to.deep.equal(["arn:aws:ec2:*:*:volume/vol-0123456789abcdef0"]);

    const byArn = await build(
      "arns",
      seedArgs({ selection: { resources: ["arn:aws:dynamodb:us-east-1:123456789012:table/orders"] } }),
    );
    expect(named(byArn.registrations, "arns-selection").inputs.resources).to.deep.equal([
      "arn:aws:dynamodb:us-east-1:123456789012:table/orders",
    ]);
  });

  it("gives valid vault, plan and role names for a long component name", async () => {
    const longName = "a-very-long-component-name-for-the-payments-platform-team.prod";
    const { registrations, component } = await build(longName, seedArgs());
    const primary = await valueOf(component.primaryVaultName);
    const dr = await valueOf(component.drVaultName);
    expect(primary).to.match(VAULT_NAME);
    expect(dr).to.match(VAULT_NAME);
    expect(primary).to.not.equal(dr);
    expect(named(registrations, `${longName}-plan`).inputs.name).to.match(/^[a-zA-Z0-9\-_.]{1,50}$/);
    expect(named(registrations, `${longName}-backup-role`).inputs.namePrefix.length).to.be.at.most(38);
    expect(named(registrations, `${longName}-replica-0`).inputs.bucketPrefix).to.match(/^[a-z0-9-]{1,37}$/);
  });

  it("gives valid SNS topic and EventBridge rule names for a long component name with dots", async () => {
    const longName = "Acme.Payments.Service.prod.a-very-long-component-name-60char";
    const { registrations } = await build(longName, seedArgs());
    // What AWS receives: the name given, or the one Pulumi's auto-naming makes from the logical name.
    const nameOf = (r: Registration) =>
      (r.inputs.name as string | undefined) ?? `${r.name}${MOCK_AUTONAME_SUFFIX}`;
    const topics = ofType(registrations, "aws:sns/topic:Topic");
    const rules = ofType(registrations, "aws:cloudwatch/eventRule:EventRule");
    expect(topics).to.have.length(2);
    expect(rules).to.have.length(9);
    // CreateTopic: letters, digits, - and _, at most 256; PutRule: letters, digits, . - _, at most 64.
    for (const topic of topics) expect(nameOf(topic)).to.match(/^[0-9A-Za-z_-]{1,256}$/);
    for (const rule of rules) expect(nameOf(rule)).to.match(/^[0-9A-Za-z._-]{1,64}$/);
    expect(new Set(rules.map(nameOf)).size, "distinct rule names").to.equal(9);
    for (const target of ofType(registrations, "aws:cloudwatch/eventTarget:EventTarget")) {
      expect(rules.map(nameOf)).to.include(target.inputs.rule);
    }
  });

  it("splits replication over roles of 25 buckets so each inline policy stays under IAM's 10,240 characters", async () => {
    // The worst-case size of a full role's policy is checked without the engine (replicationPolicy.test.ts);
    // here, one bucket past a full role shows the split.
    const bucketCount = BUCKETS_PER_REPLICATION_ROLE + 1;
    const { registrations } = await build(
      "many",
      seedArgs({ replication: replicationOfLongBuckets(bucketCount) }),
    );
    const policies = ofType(registrations, "aws:iam/rolePolicy:RolePolicy").filter((r) =>
      r.name.startsWith("many-replication-policy"),
    );
    expect(policies.map((p) => p.name)).to.deep.equal([
      "many-replication-policy",
      "many-replication-policy-1",
    ]);
    for (const policy of policies) {
      expect(policy.inputs.policy.length).to.be.below(10_240);
    }
    const sourcesOf = (name: string) =>
      JSON.parse(named(registrations, name).inputs.policy).Statement[0].Resource as string[];
    expect(sourcesOf("many-replication-policy")).to.have.length(BUCKETS_PER_REPLICATION_ROLE);
    expect(sourcesOf("many-replication-policy-1")).to.deep.equal([
      `arn:aws:s3:::${longBucketName(bucketCount - 1)}`,
    ]);
  });
});
