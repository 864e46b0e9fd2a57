import { expect } from "chai";
import fc from "fast-check";
import { DrError } from "../../../../scripts/errors";
import { namePrefix, newRunId, restoredName } from "../../../../scripts/recovery/core/naming";
import { RestoreNetwork } from "../../../../scripts/recovery/resources/metadata";
import { resourceOf } from "../../../../scripts/recovery/resources/registry";
import { NameRule } from "../../../../scripts/recovery/resources/resourceRecovery";
import { ResourceType } from "../../../../scripts/recovery/resources/types";
import {
  buildRestoreMetadata,
  parseMetadataOverrides,
} from "../../../../scripts/recovery/core/restoreMetadata";
import { defaultRestoreMetadata } from "../../../../scripts/simulation/recoveryPoints";

const network: RestoreNetwork = {
  vpcId: "vpc-0dr",
  privateSubnetIds: ["subnet-0dra", "subnet-0drb"],
  availabilityZones: ["us-west-2a", "us-west-2b"],
  appSecurityGroupId: "sg-0appdr",
  dbSecurityGroupId: "sg-0dbdr",
  dbSubnetGroupName: "dr-app-db-subnets",
};

function build(
  type: Parameters<typeof buildRestoreMetadata>[0]["resourceType"],
  overrides?: Array<[string, string]>,
) {
  return buildRestoreMetadata({
    resourceType: type,
    base: defaultRestoreMetadata(type, "source"),
    targetName: "drill-20260412t090000a7-source",
    region: "us-west-2",
    network,
    overrides,
  });
}

describe("restore metadata", () => {
  it("RDS: new identifier, DR DB subnet group and security group; the source AZ removed", () => {
    const { metadata, notes } = build("RDS");
    expect(metadata).to.deep.equal({
      DBInstanceIdentifier: "drill-20260412t090000a7-source",
      DBInstanceClass: "db.r5.large",
      Engine: "postgres",
      MultiAZ: "false",
      Port: "5432",
      DBSubnetGroupName: "dr-app-db-subnets",
      VpcSecurityGroupIds: '["sg-0dbdr"]',
    });
    expect(notes).to.deep.equal(["AvailabilityZone removed: the source region's availability zone"]);
  });

  it("Aurora: new cluster identifier, DR network, and the note that instances must be added", () => {
    const { metadata, notes } = build("Aurora");
    expect(metadata).to.include({
      DBClusterIdentifier: "drill-20260412t090000a7-source",
      DBSubnetGroupName: "dr-app-db-subnets",
    });
    expect(metadata).not.to.have.property("AvailabilityZones");
    expect(notes[1]).to.match(/without DB instances/);
  });

  it("EC2: DR subnet and security group; source network interfaces and placement removed", () => {
    const { metadata } = build("EC2");
    expect(metadata).to.deep.equal({
      InstanceType: "c5.xlarge",
      SubnetId: "subnet-0dra",
      SecurityGroupIds: '["sg-0appdr"]',
      Placement: '{"Tenancy":"default"}',
      IamInstanceProfileName: "app",
    });
  });

  // Region-bound keys of an EC2 restore, per "Restoring an Amazon EC2 instance"
  // (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ec2.html): key pairs,
  // placement groups, zones, hosts, capacity reservations, subnets, security groups and VPCs
  // exist in one region; instance profiles are IAM, which is global.
  it("EC2: every region-bound key is replaced or removed; the instance profile (IAM, global) is kept", () => {
    const { metadata, notes } = buildRestoreMetadata({
      resourceType: "EC2",
      base: {
        InstanceType: "m6i.large",
        SubnetId: "subnet-0prod",
        SecurityGroupIds: '["sg-0appprod"]',
        vpcId: "vpc-0prod",
        KeyName: "prod-ops",
        IamInstanceProfileName: "app",
        Placement:
          '{"AvailabilityZone":"us-east-1a","GroupName":"prod-cluster","HostResourceGroupArn":"","Tenancy":"dedicated"}',
        CapacityReservationSpecification:
          '{"CapacityReservationPreference":"open","CapacityReservationTarget":{"CapacityReservationId":"cr-0prod"}}',
        LicenseSpecifications:
          '[{"LicenseConfigurationArn":"arn:aws:license-manager:us-east-1:111122223333:license-configuration:lic-0prod"}]',
      },
      targetName: "",
      region: "us-west-2",
      network,
    });
    expect(metadata).to.deep.equal({
      InstanceType: "m6i.large",
      SubnetId: "subnet-0dra",
      SecurityGroupIds: '["sg-0appdr"]',
      vpcId: "vpc-0dr",
      IamInstanceProfileName: "app",
      Placement: '{"Tenancy":"dedicated"}',
      CapacityReservationSpecification: '{"CapacityReservationPreference":"open"}',
    });
    expect(notes).to.deep.equal([
      "KeyName 'prod-ops' removed: key pairs are regional, the instance starts without one (pass --metadata ec2.KeyName=<a key pair in us-west-2> to set one)",
      "Placement: AvailabilityZone, GroupName removed (placement of the source region), Tenancy kept",
      "CapacityReservationSpecification: CapacityReservationTarget removed (a capacity reservation of the source region), CapacityReservationPreference kept",
      "IamInstanceProfileName 'app' kept: IAM is global; the restore role needs iam:PassRole on its role",
      "LicenseSpecifications removed: it refers to arn:aws:license-manager:us-east-1:111122223333:license-configuration:lic-0prod, of us-east-1, not usable in us-west-2",
    ]);
  });

  it("EC2: a key pair named with --metadata is used", () => {
    const { metadata } = build("EC2", [["KeyName", "dr-ops"]]);
    expect(metadata.KeyName).to.equal("dr-ops");
  });

  it("RDS and Aurora: custom parameter and option groups of the source region removed, default groups kept", () => {
    const rds = buildRestoreMetadata({
      resourceType: "RDS",
      base: {
        ...defaultRestoreMetadata("RDS", "source"),
        DBParameterGroupName: "prod-postgres16",
        OptionGroupName: "default:postgres-16",
      },
      targetName: "dr-1-db",
      region: "us-west-2",
      network,
    });
    expect(rds.metadata).not.to.have.property("DBParameterGroupName");
    expect(rds.metadata.OptionGroupName).to.equal("default:postgres-16");
    expect(rds.notes).to.include(
      "DBParameterGroupName 'prod-postgres16' removed: a group of the source region; the restore uses the engine default (create the group in the DR region and pass it with --metadata)",
    );
    const aurora = buildRestoreMetadata({
      resourceType: "Aurora",
      base: {
        ...defaultRestoreMetadata("Aurora", "source"),
        DBClusterParameterGroupName: "default.aurora-postgresql16",
      },
      targetName: "dr-1-cluster",
      region: "us-west-2",
      network,
    });
    expect(aurora.metadata.DBClusterParameterGroupName).to.equal("default.aurora-postgresql16");
  });

  it("EBS: a DR availability zone (key spelling kept); a single-region KMS key of the source region dropped", () => {
    const { metadata, notes } = build("EBS");
    expect(metadata).to.deep.equal({
      availabilityZone: "us-west-2a",
      volumeType: "gp3",
      volumeSize: "100",
      encrypted: "true",
    });
    expect(notes).to.deep.equal(["kmsKeyId removed: KMS key of us-east-1 is not usable in us-west-2"]);
  });

  it("a multi-Region KMS key is pointed at its replica in the DR region", () => {
    const { metadata } = buildRestoreMetadata({
      resourceType: "EFS",
      base: {
        "file-system-id": "fs-1",
        Encrypted: "true",
        KmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/mrk-1234",
      },
      targetName: "dr-x-fs-1",
      region: "us-west-2",
      network,
    });
    expect(metadata.KmsKeyId).to.equal("arn:aws:kms:us-west-2:111122223333:key/mrk-1234");
  });

  it("DynamoDB: targetTableName; EFS: newFileSystem and CreationToken; S3: DestinationBucketName and NewBucket", () => {
    expect(build("DynamoDB").metadata).to.deep.equal({
      targetTableName: "drill-20260412t090000a7-source",
      encryptionType: "Default",
    });
    expect(build("EFS").metadata).to.deep.equal({
      "file-system-id": "source",
      Encrypted: "true",
      PerformanceMode: "generalPurpose",
      newFileSystem: "true",
      CreationToken: "drill-20260412t090000a7-source",
    });
    expect(build("S3").metadata).to.deep.include({
      DestinationBucketName: "drill-20260412t090000a7-source",
      NewBucket: "true",
    });
  });

  it("keeps a comma-separated list format when AWS used one", () => {
    const { metadata } = buildRestoreMetadata({
      resourceType: "RDS",
      base: { dbinstanceidentifier: "db", vpcsecuritygroupids: "sg-a,sg-b" },
      targetName: "dr-1-db",
      region: "us-west-2",
      network,
    });
    expect(metadata).to.deep.include({ dbinstanceidentifier: "dr-1-db", vpcsecuritygroupids: "sg-0dbdr" });
  });

  it("applies --metadata overrides last; an empty value removes the key", () => {
    const { metadata, notes } = build("RDS", [
      ["DBInstanceClass", "db.r6g.large"],
      ["MultiAZ", ""],
    ]);
    expect(metadata.DBInstanceClass).to.equal("db.r6g.large");
    expect(metadata).not.to.have.property("MultiAZ");
    expect(notes).to.include.members([
      "DBInstanceClass=db.r6g.large (--metadata)",
      "MultiAZ removed (--metadata)",
    ]);
  });

  it("fails with the missing dr stack output named", () => {
    expect(() =>
      buildRestoreMetadata({
        resourceType: "RDS",
        base: {},
        targetName: "x",
        region: "us-west-2",
        network: { privateSubnetIds: [], availabilityZones: [] },
      }),
    ).to.throw("the dr stack has no 'dbSubnetGroupName' output, needed to restore RDS into the DR network");
  });

  describe("parseMetadataOverrides", () => {
    it("groups by type, case-insensitive type, key case kept, '=' allowed in values", () => {
      const parsed = parseMetadataOverrides([
        "rds.DBInstanceClass=db.r6g.large",
        "EC2.UserData=a=b",
        "ec2.KeyName=",
      ]);
      expect(parsed.get("RDS")).to.deep.equal([["DBInstanceClass", "db.r6g.large"]]);
      expect(parsed.get("EC2")).to.deep.equal([
        ["UserData", "a=b"],
        ["KeyName", ""],
      ]);
    });

    it("rejects malformed values and unknown types with one line", () => {
      expect(() => parseMetadataOverrides(["DBInstanceClass=db.r6g.large"])).to.throw(
        DrError,
        /must look like <type>.<key>=<value> or <type>\[<source name or ARN>\].<key>=<value>/,
      );
      expect(() => parseMetadataOverrides(["redis.Foo=bar"])).to.throw(
        "--metadata 'redis.Foo=bar': unknown resource type 'redis'; supported types: RDS, Aurora, EC2, EBS, DynamoDB, EFS, S3",
      );
    });

    it("refuses a key AWS Backup does not read for the type, listing the known keys (finding 4)", () => {
      expect(() => parseMetadataOverrides(["dynamodb.bogusKey=1"])).to.throw(
        DrError,
        "--metadata 'dynamodb.bogusKey=1': 'bogusKey' is not a restore metadata key of DynamoDB; known keys: deletionProtection, encryptionType, kmsMasterKeyArn, originalTableName, targetTableName",
      );
      expect(() => parseMetadataOverrides(["rds.DBInstanceClas=db.r6g.large"])).to.throw(
        /'DBInstanceClas' is not a restore metadata key of RDS; known keys: AllocatedStorage, /,
      );
      // Known keys are matched as AWS matches them: without regard to case.
      expect(parseMetadataOverrides(["efs.performancemode=maxIO"]).get("EFS")).to.deep.equal([
        ["performancemode", "maxIO"],
      ]);
    });
  });
});

/** The naming rule of a type whose restored copies the CLI names. */
function ruleOf(type: ResourceType): NameRule {
  const rule = resourceOf(type).nameRule;
  if (!rule) {
    throw new Error(`${type} copies are named by AWS`);
  }
  return rule;
}

describe("naming", () => {
  it("run ids are UTC time stamps plus a random suffix", () => {
    expect(newRunId(Date.parse("2026-04-12T09:30:05.123Z"), () => "a7")).to.equal("20260412t093005a7");
  });

  it("drill names are prefixed drill-<runId>-, recovery names dr-<runId>-", () => {
    expect(restoredName(ruleOf("RDS"), namePrefix("drill", "20260412t093005a7"), "Production_DB")).to.equal(
      "drill-20260412t093005a7-production-db",
    );
    expect(restoredName(ruleOf("DynamoDB"), namePrefix("recover", "r1"), "Orders")).to.equal("dr-r1-Orders");
    expect(restoredName(ruleOf("S3"), namePrefix("drill", "r1"), "app.data.example.com")).to.equal(
      "drill-r1-app-data-example-com",
    );
  });

  it("shortens long names with a hash so two long sources stay distinct", () => {
    const a = restoredName(ruleOf("RDS"), "drill-20260412t093005a7-", "a".repeat(60) + "-one");
    const b = restoredName(ruleOf("RDS"), "drill-20260412t093005a7-", "a".repeat(60) + "-two");
    expect(a).to.have.length.at.most(63);
    expect(a).not.to.equal(b);
  });

  it("property: RDS identifiers and S3 bucket names are always valid for the service", () => {
    const rdsRule = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
    const s3Rule = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 120 }),
        fc.constantFrom("drill", "recover" as const),
        (source, kind) => {
          const prefix = namePrefix(kind as "drill" | "recover", "20260412t093005a7");
          const rds = restoredName(ruleOf("RDS"), prefix, source);
          const s3 = restoredName(ruleOf("S3"), prefix, source);
          return (
            rds.length <= 63 &&
            rdsRule.test(rds) &&
            s3.length <= 63 &&
            s3Rule.test(s3) &&
            rds.startsWith(prefix.slice(0, -1))
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
