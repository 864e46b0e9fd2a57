import { expect } from "chai";
import { backupPlanByName, chooseDatabaseWindows, validation } from "@restorekit/backup-restore-dr";
import { ofType, Registration, settled, useMockEngine } from "../helpers/mockEngine";
import {
  DATA_TYPES,
  evaluateStack,
  EvaluatedStack,
  inputsOf,
  stackConfig,
  stackMockOutputs,
  userDataOf,
} from "./fixtures";

/** Outputs of the prod stack the dr stack and the recovery CLI rely on (docs/CONTRACTS.md). */
const PROD_CONTRACT_OUTPUTS = [
  "role",
  "region",
  "drRegion",
  "primaryVaultName",
  "primaryVaultArn",
  "drVaultName",
  "drVaultArn",
  "backupRoleArn",
  "planId",
  "replicaBuckets",
  "replicaBucketArns",
  "rpoMinutes",
  "rtoMinutes",
  "posture",
];

describe("prod stack (role primary, us-east-1)", () => {
  let prod: EvaluatedStack;
  let registrations: Registration[];

  before(async () => {
    prod = await evaluateStack("prod");
    registrations = prod.registrations;
  });

  it("builds the environment in us-east-1: a two-AZ VPC with a single NAT gateway and an ALB", () => {
    const vpc = inputsOf(registrations, "awsx:ec2:Vpc", "app-vpc");
    expect(vpc).to.deep.include({
      region: "us-east-1",
      cidrBlock: "10.0.0.0/16",
      availabilityZoneNames: ["us-east-1a", "us-east-1b"],
      natGateways: { strategy: "Single" },
    });
    const alb = inputsOf(registrations, "awsx:lb:ApplicationLoadBalancer", "app-alb");
    expect(alb.region).to.equal("us-east-1");
    expect(alb.subnetIds).to.deep.equal(["subnet-us-east-1-public-1", "subnet-us-east-1-public-2"]);
    expect(alb.defaultTargetGroup).to.deep.include({ port: 80, protocol: "HTTP" });
    expect(alb.defaultTargetGroup.healthCheck.path).to.equal("/health");
  });

  it("runs the servers at the configured capacity behind the ALB's default target group", () => {
    const asg = inputsOf(registrations, "aws:autoscaling/group:Group", "app-asg");
    expect(asg).to.deep.include({ region: "us-east-1", minSize: 2, desiredCapacity: 3, maxSize: 10 });
    expect(asg.targetGroupArns).to.deep.equal([
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app-tg/1",
    ]);
    expect(asg.vpcZoneIdentifiers).to.deep.equal([
      "subnet-us-east-1-private-1",
      "subnet-us-east-1-private-2",
    ]);
    expect(asg.waitForCapacityTimeout, "prod waits for healthy capacity").to.equal(undefined);
    const template = inputsOf(registrations, "aws:ec2/launchTemplate:LaunchTemplate", "app-launch-template");
    expect(template.instanceType).to.equal("t3.small");
    expect(template.metadataOptions.httpTokens).to.equal("required");
  });

  it("tells the servers where prod's own data is", () => {
    const userData = userDataOf(
      inputsOf(registrations, "aws:ec2/launchTemplate:LaunchTemplate", "app-launch-template"),
    );
    expect(userData).to.contain("APP_ROLE=primary");
    expect(userData).to.contain("APP_DB_ENDPOINT=app-db.abc123.us-east-1.rds.amazonaws.com:5432");
    expect(userData).to.match(/APP_TABLE_NAME=app-table-/);
  });

  it("chains security groups: internet -> ALB -> servers -> database port", () => {
    const alb = inputsOf(registrations, "aws:ec2/securityGroup:SecurityGroup", "app-alb-sg");
    expect(alb.ingress[0]).to.deep.include({ fromPort: 80, cidrBlocks: ["0.0.0.0/0"] });
    const app = inputsOf(registrations, "aws:ec2/securityGroup:SecurityGroup", "app-sg");
    expect(app.ingress[0].securityGroups).to.deep.equal(["app-alb-sg-id"]);
    const db = inputsOf(registrations, "aws:ec2/securityGroup:SecurityGroup", "app-db-sg");
    expect(db.ingress[0]).to.deep.include({ fromPort: 5432, toPort: 5432, securityGroups: ["app-sg-id"] });
  });

  it("holds the data the guide protects in us-east-1, each tagged backup=true", () => {
    for (const [type, name] of [
      ["aws:rds/instance:Instance", "app-db"],
      ["aws:dynamodb/table:Table", "app-table"],
      ["aws:ebs/volume:Volume", "app-volume"],
      ["aws:s3/bucket:Bucket", "app-bucket"],
    ]) {
      const inputs = inputsOf(registrations, type, name);
      expect(inputs.region, name).to.equal("us-east-1");
      expect(inputs.tags.backup, name).to.equal("true");
    }
    const db = inputsOf(registrations, "aws:rds/instance:Instance", "app-db");
    expect(db).to.deep.include({
      engine: "postgres",
      instanceClass: "db.t3.medium",
      allocatedStorage: 20,
      storageEncrypted: true,
      deletionProtection: true,
      dbSubnetGroupName: "app-db-subnets-a1b2c3d",
      vpcSecurityGroupIds: ["app-db-sg-id"],
    });
    expect(inputsOf(registrations, "aws:ebs/volume:Volume", "app-volume").availabilityZone).to.equal(
      "us-east-1a",
    );
  });

  it("lets RDS manage the master password when dbPassword is unset, with no warning: DR has its own credential", () => {
    const db = inputsOf(registrations, "aws:rds/instance:Instance", "app-db");
    expect(db.manageMasterUserPassword).to.equal(true);
    expect(db.password).to.equal(undefined);
    expect(prod.warnings.join("\n")).to.not.contain("dbPassword");
  });

  it("protects the data with BackupRestoreDR: the seed plan, selection by backup=true, copies to us-west-2", () => {
    expect(ofType(registrations, "backup-restore-dr:index:BackupRestoreDR").map((r) => r.name)).to.deep.equal(
      ["app"],
    );
    const plan = inputsOf(registrations, "aws:backup/plan:Plan", "app-plan");
    expect(plan.region).to.equal("us-east-1");
    expect(plan.rules.map((rule: { ruleName: string }) => rule.ruleName)).to.deep.equal([
      "daily-backup",
      "hourly-backup",
    ]);
    expect(plan.rules[0].copyActions[0].destinationVaultArn).to.match(/^arn:aws:backup:us-west-2:/);
    const selection = inputsOf(registrations, "aws:backup/selection:Selection", "app-selection");
    expect(selection.selectionTags).to.deep.equal([{ type: "STRINGEQUALS", key: "backup", value: "true" }]);
    expect(inputsOf(registrations, "aws:backup/vault:Vault", "app-dr-vault").region).to.equal("us-west-2");
  });

  it("replicates the application bucket to a replica in us-west-2", () => {
    const replication = inputsOf(
      registrations,
      "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
      "app-source-0-replication",
    );
    expect(replication.region).to.equal("us-east-1");
    expect(replication.bucket).to.match(/^app-bucket-/);
    expect(inputsOf(registrations, "aws:s3/bucket:Bucket", "app-replica-0").region).to.equal("us-west-2");
    const replicas = prod.outputs.replicaBuckets as Record<string, string>;
    expect(Object.keys(replicas)).to.deep.equal([prod.outputs.appBucketName]);
  });

  it("gives every regional resource an explicit region", () => {
    const regional = registrations.filter(
      (r) => r.type.startsWith("aws:") && !/^aws:(iam|route53)\//.test(r.type),
    );
    expect(
      regional.filter((r) => r.inputs.region === undefined).map((r) => `${r.type} ${r.name}`),
    ).to.deep.equal([]);
  });

  it("exports every output of the contract, with the objectives and the posture", () => {
    expect(prod.outputs).to.include.keys(...PROD_CONTRACT_OUTPUTS);
    expect(prod.outputs).to.deep.include({ role: "primary", region: "us-east-1", drRegion: "us-west-2" });
    expect(prod.outputs).to.deep.include({ rpoMinutes: 1800, rtoMinutes: 480, dbPort: 5432 });
    const posture = prod.outputs.posture as {
      primary: { worstCaseRpoMinutes: number };
      dr: { worstCaseRpoMinutes: number };
    };
    expect(posture.primary.worstCaseRpoMinutes).to.equal(180);
    expect(posture.dr.worstCaseRpoMinutes).to.equal(1680);
  });

  it("creates no DNS record without a Route 53 zone", () => {
    expect(ofType(registrations, "aws:route53/record:Record")).to.have.length(0);
  });

  it("holds data only in the stack's region and, for replicas and the DR vault, in the DR region", () => {
    const data = registrations.filter((r) => DATA_TYPES.includes(r.type));
    expect(new Set(data.map((r) => r.inputs.region))).to.deep.equal(new Set(["us-east-1", "us-west-2"]));
  });
});

describe("prod stack variations", () => {
  it("uses the Pulumi secret dbPassword when set, and no RDS-managed password", async () => {
    const { registrations, warnings } = await evaluateStack("prod", { dbPassword: "correct-horse-battery" });
    const db = inputsOf(registrations, "aws:rds/instance:Instance", "app-db");
    expect(db.manageMasterUserPassword).to.equal(undefined);
    // The engine receives it wrapped as a secret.
    expect(db.password).to.deep.include({ value: "correct-horse-battery" });
    expect(JSON.stringify(db.password)).to.contain("1b47061264138c4ac30d75fd1eb44270");
    expect(warnings.join("\n")).not.to.contain("dbPassword is unset");
  });

  it("replicates further existing buckets listed in replicatedBuckets", async () => {
    const { registrations, outputs } = await evaluateStack("prod", {
      replicatedBuckets: JSON.stringify(["legacy-reports", "customer-uploads"]),
    });
    expect(ofType(registrations, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")).to.have.length(3);
    expect(Object.keys(outputs.replicaBuckets as object)).to.include.members([
      "legacy-reports",
      "customer-uploads",
    ]);
  });

  it("lets the role decrypt a replicated bucket's SSE-KMS objects with the key named in replicatedBucketKmsKeys", async () => {
    const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const { registrations } = await evaluateStack("prod", {
      replicatedBuckets: JSON.stringify(["legacy-reports", "customer-uploads"]),
      replicatedBucketKmsKeys: JSON.stringify([`legacy-reports=${key}`]),
    });
    const policy = JSON.parse(
      inputsOf(registrations, "aws:iam/rolePolicy:RolePolicy", "app-replication-policy").policy,
    );
    expect(policy.Statement.find((s: { Sid: string }) => s.Sid === "DecryptSources")).to.deep.include({
      Action: ["kms:Decrypt"],
      Resource: [key],
    });
    const legacy = ofType(registrations, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").find(
      (r) => r.inputs.bucket === "legacy-reports",
    );
    // SSE-KMS objects replicate only when selected, re-encrypted under the replica key (the DR key).
    expect(legacy?.inputs.rules[0].sourceSelectionCriteria).to.deep.equal({
      sseKmsEncryptedObjects: { status: "Enabled" },
    });
    expect(legacy?.inputs.rules[0].destination.encryptionConfiguration.replicaKmsKeyId).to.match(
      /^arn:aws:kms:us-west-2:/,
    );
  });

  it("exempts the configured break-glass principals from the vaults' deny-deletion policy", async () => {
    const breakGlass = "arn:aws:iam::123456789012:role/break-glass";
    const { registrations } = await evaluateStack("prod", {
      breakGlassPrincipalArns: JSON.stringify([breakGlass]),
    });
    for (const role of ["primary", "dr"]) {
      const policy = JSON.parse(
        inputsOf(registrations, "aws:backup/vaultPolicy:VaultPolicy", `app-${role}-vault-policy`).policy,
      );
      expect(policy.Statement[0].Condition).to.deep.equal({
        ArnNotLike: { "aws:PrincipalArn": [breakGlass] },
      });
    }
  });

  it("locks both vaults in governance mode by default, within the shortest and longest retention of the plan", async () => {
    for (const [backupPlan, minRetentionDays, maxRetentionDays] of [
      ["seed", 3, 97],
      ["daily", 97, 97],
    ] as const) {
      const { registrations, outputs } = await evaluateStack("prod", { backupPlan });
      const locks = ofType(registrations, "aws:backup/vaultLockConfiguration:VaultLockConfiguration");
      expect(
        locks.map((l) => [l.inputs.region, l.inputs.minRetentionDays, l.inputs.maxRetentionDays]),
      ).to.have.deep.members([
        ["us-east-1", minRetentionDays, maxRetentionDays],
        ["us-west-2", minRetentionDays, maxRetentionDays],
      ]);
      expect(
        locks.every((l) => l.inputs.changeableForDays === undefined),
        "governance: no changeableForDays",
      ).to.equal(true);
      const posture = outputs.posture as { primary: { lock?: object } };
      expect(posture.primary.lock).to.deep.include({
        mode: "governance",
        minRetentionDays,
        maxRetentionDays,
      });
    }
  });

  it("sets the database's backup and maintenance windows from the plan and has the component check them", async () => {
    for (const backupPlan of ["seed", "daily"] as const) {
      const { registrations } = await evaluateStack("prod", { backupPlan });
      const plan = backupPlanByName(backupPlan)!;
      const windows = chooseDatabaseWindows(plan);
      const db = inputsOf(registrations, "aws:rds/instance:Instance", "app-db");
      expect(db).to.deep.include({
        backupWindow: windows.backupWindow,
        maintenanceWindow: windows.maintenanceWindow,
      });
      // Without them RDS draws both in 03:00-11:00 UTC (us-east-1), where the daily rule copied to DR starts.
      for (const rule of plan.rules.filter((r) => r.copyToDr)) {
        expect(validation.databaseWindowOverlapMinutes(rule, windows), rule.name).to.equal(0);
      }
      expect(validation.checkDatabaseWindows(windows, plan.rules)).to.deep.equal([]);
    }
  });

  it("leaves the vaults unlocked with vaultLock none", async () => {
    const { registrations } = await evaluateStack("prod", { vaultLock: "none" });
    expect(ofType(registrations, "aws:backup/vaultLockConfiguration:VaultLockConfiguration")).to.deep.equal(
      [],
    );
  });

  it("puts a Vault Lock on both vaults when asked", async () => {
    const { registrations } = await evaluateStack("prod", {
      vaultLock: "compliance",
      vaultLockMaxRetentionDays: "400",
    });
    const locks = ofType(registrations, "aws:backup/vaultLockConfiguration:VaultLockConfiguration");
    expect(locks.map((l) => l.inputs.region).sort()).to.deep.equal(["us-east-1", "us-west-2"]);
    expect(locks[0].inputs).to.deep.include({
      minRetentionDays: 3,
      maxRetentionDays: 400,
      changeableForDays: 3,
    });
  });
});

describe("stacks/index.ts, the entry point Pulumi.yaml names", () => {
  it("exports the program's outputs as the stack outputs", async () => {
    const registrations = useMockEngine({
      stack: "prod",
      config: stackConfig("prod"),
      outputs: stackMockOutputs,
    });
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require("../../stacks/index") as Record<string, unknown>;
      expect(exported).to.include.keys(...PROD_CONTRACT_OUTPUTS);
      expect(exported.role).to.equal("primary");
      await settled(registrations);
    } finally {
      console.warn = warn;
    }
  });
});
