import { expect } from "chai";
import { ofType, Registration } from "../helpers/mockEngine";
import { DATA_TYPES, evaluateStack, EvaluatedStack, inputsOf, PROD_OUTPUTS, userDataOf } from "./fixtures";

/** Outputs of the dr stack the recovery CLI reads (docs/CONTRACTS.md). */
const DR_CONTRACT_OUTPUTS = [
  "role",
  "mode",
  "region",
  "primaryRegion",
  "drVaultName",
  "primaryVaultName",
  "backupRoleArn",
  "vpcId",
  "privateSubnetIds",
  "publicSubnetIds",
  "availabilityZones",
  "appSecurityGroupId",
  "dbSecurityGroupId",
  "dbSubnetGroupName",
  "loadBalancerDnsName",
  "healthCheckUrl",
  "rpoMinutes",
  "rtoMinutes",
  "replicaBuckets",
  "dbCredentialSecretArn",
  "restoredSettings",
  "primaryAppData",
];

/** What the recovery CLI sets when it flips the dr stack to active (scripts/recovery/flip/drConfig.ts). */
const RESTORED = {
  restoredDbEndpoint: "dr-20261123-app-db.xyz789.us-west-2.rds.amazonaws.com:5432",
  restoredDbInstanceId: "dr-20261123-app-db",
  restoredTableName: "dr-20261123-app-table",
  restoredVolumeId: "vol-0123456789abcdef0",
};

const DNS = { route53ZoneId: "Z0123456789ABCDEFGHIJ", domainName: "api.example.com" };

function asgCapacity(registrations: Registration[]) {
  const asg = inputsOf(registrations, "aws:autoscaling/group:Group", "app-asg");
  return { minSize: asg.minSize, desiredCapacity: asg.desiredCapacity, maxSize: asg.maxSize };
}

describe("dr stack in standby (role dr, us-west-2)", () => {
  let dr: EvaluatedStack;
  let registrations: Registration[];

  before(async () => {
    dr = await evaluateStack("dr", DNS);
    registrations = dr.registrations;
  });

  it("builds the same environment in us-west-2 with no NAT gateway", () => {
    const vpc = inputsOf(registrations, "awsx:ec2:Vpc", "app-vpc");
    expect(vpc).to.deep.include({
      region: "us-west-2",
      cidrBlock: "10.1.0.0/16",
      availabilityZoneNames: ["us-west-2a", "us-west-2b"],
      natGateways: { strategy: "None" },
    });
    expect(inputsOf(registrations, "awsx:lb:ApplicationLoadBalancer", "app-alb").region).to.equal(
      "us-west-2",
    );
    expect(
      inputsOf(registrations, "aws:rds/subnetGroup:SubnetGroup", "app-db-subnets").subnetIds,
    ).to.deep.equal(["subnet-us-west-2-private-1", "subnet-us-west-2-private-2"]);
  });

  it("holds the Auto Scaling group at zero, without waiting for capacity", () => {
    expect(asgCapacity(registrations)).to.deep.equal({ minSize: 0, desiredCapacity: 0, maxSize: 0 });
    expect(inputsOf(registrations, "aws:autoscaling/group:Group", "app-asg").waitForCapacityTimeout).to.equal(
      "0",
    );
  });

  it("puts every regional resource in us-west-2", () => {
    const regional = registrations.filter(
      (r) => r.type.startsWith("aws") && !/^aws:(iam|route53)\//.test(r.type),
    );
    expect(regional).to.not.have.length(0);
    expect(regional.filter((r) => r.inputs.region !== "us-west-2").map((r) => r.name)).to.deep.equal([]);
  });

  it("holds no data, vault or key of its own (prod's): only the plan for what a recovery restores, and its region's settings", () => {
    expect(registrations.filter((r) => DATA_TYPES.includes(r.type)).map((r) => r.name)).to.deep.equal([]);
    expect(ofType(registrations, "backup-restore-dr:index:BackupRestoreDR")).to.have.length(0);
    expect(
      registrations.filter((r) => r.type.startsWith("aws:backup/")).map((r) => `${r.type} ${r.name}`),
    ).to.deep.equal([
      "aws:backup/regionSettings:RegionSettings app-backup-region-settings",
      "aws:backup/plan:Plan app-restored-plan",
      "aws:backup/selection:Selection app-restored-selection",
    ]);
  });

  it("owns the SECONDARY failover record of the public name from standby on", () => {
    expect(ofType(registrations, "aws:route53/record:Record").map((r) => r.name)).to.deep.equal(["app-dns"]);
    expect(dr.outputs.dnsName).to.equal(DNS.domainName);
  });

  it("reads the vaults, backup role, replicas and objectives from prod through a StackReference", () => {
    expect(ofType(registrations, "pulumi:pulumi:StackReference").map((r) => r.inputs.name)).to.deep.equal([
      "prod",
    ]);
    expect(dr.outputs).to.deep.include({
      drVaultName: PROD_OUTPUTS.drVaultName,
      primaryVaultName: PROD_OUTPUTS.primaryVaultName,
      backupRoleArn: PROD_OUTPUTS.backupRoleArn,
      replicaBuckets: PROD_OUTPUTS.replicaBuckets,
      rpoMinutes: 1800,
      rtoMinutes: 480,
      rtoForecast: PROD_OUTPUTS.posture.rtoForecast,
    });
    const db = inputsOf(registrations, "aws:ec2/securityGroup:SecurityGroup", "app-db-sg");
    expect(db.ingress[0]).to.deep.include({ fromPort: 5432, toPort: 5432 });
  });

  it("points the servers at the replica of prod's bucket and lets them decrypt it", () => {
    expect(dr.outputs.appBucketName).to.equal("app-replica-0-20261123");
    const policy = JSON.parse(
      inputsOf(registrations, "aws:iam/rolePolicy:RolePolicy", "app-instance-data").policy,
    );
    const resources = policy.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
    expect(resources).to.include.members([
      "arn:aws:s3:::app-replica-0-20261123",
      "arn:aws:s3:::app-replica-0-20261123/*",
      PROD_OUTPUTS.drKeyArn,
    ]);
  });

  it("exports every output of the contract", () => {
    expect(dr.outputs).to.include.keys(...DR_CONTRACT_OUTPUTS);
    expect(dr.outputs).to.deep.include({
      role: "dr",
      mode: "standby",
      region: "us-west-2",
      primaryRegion: "us-east-1",
      vpcId: "vpc-us-west-2",
      availabilityZones: ["us-west-2a", "us-west-2b"],
      dbSubnetGroupName: "app-db-subnets-a1b2c3d",
      appSecurityGroupId: "app-sg-id",
      dbSecurityGroupId: "app-db-sg-id",
      loadBalancerDnsName: "app-alb-1.us-west-2.elb.amazonaws.com",
      healthCheckUrl: "http://app-alb-1.us-west-2.elb.amazonaws.com/health",
    });
  });

  it("exports the data prod's servers use, as the prod stack reports it, for the next recovery's choice (issue 19, finding 11)", () => {
    expect(dr.outputs.primaryAppData).to.deep.equal(PROD_OUTPUTS.appData);
  });

  it("exports prod's selection tags and database windows for what the recovery CLI restores (issue 19, finding 10)", () => {
    expect(dr.outputs.restoredSettings).to.deep.equal({
      selectionTags: { backup: "true" },
      backupWindow: "00:10-00:40",
      maintenanceWindow: "sun:02:10-sun:02:40",
    });
  });
});

describe("dr stack in active mode", () => {
  let standby: EvaluatedStack;
  let active: EvaluatedStack;

  before(async () => {
    standby = await evaluateStack("dr", DNS);
    active = await evaluateStack("dr", { ...DNS, mode: "active", ...RESTORED });
  });

  it("runs the guide's capacity: MinSize 2, Desired 3, MaxSize 10", () => {
    expect(asgCapacity(active.registrations)).to.deep.equal({ minSize: 2, desiredCapacity: 3, maxSize: 10 });
    expect(active.outputs.capacity).to.deep.equal({ minSize: 2, desiredCapacity: 3, maxSize: 10 });
  });

  it("runs the configured active capacity instead when set", async () => {
    const sized = await evaluateStack("dr", {
      mode: "active",
      drActiveMinSize: "1",
      drActiveDesiredCapacity: "1",
      drActiveMaxSize: "4",
    });
    expect(asgCapacity(sized.registrations)).to.deep.equal({ minSize: 1, desiredCapacity: 1, maxSize: 4 });
  });

  it("tells the servers the restored endpoints", () => {
    const userData = userDataOf(
      inputsOf(active.registrations, "aws:ec2/launchTemplate:LaunchTemplate", "app-launch-template"),
    );
    expect(userData).to.contain(`APP_DB_ENDPOINT=${RESTORED.restoredDbEndpoint}`);
    expect(userData).to.contain(`APP_DB_INSTANCE_ID=${RESTORED.restoredDbInstanceId}`);
    expect(userData).to.contain(`APP_TABLE_NAME=${RESTORED.restoredTableName}`);
    expect(userData).to.contain(`APP_DATA_VOLUME_ID=${RESTORED.restoredVolumeId}`);
    expect(userData).to.contain("APP_BUCKET_NAME=app-replica-0-20261123");
  });

  it("warns when active without a restored database endpoint, as while the restore runs", async () => {
    const early = await evaluateStack("dr", { mode: "active" });
    expect(early.warnings.join("\n")).to.contain("restoredData names no restored resource");
    expect(standby.warnings.join("\n")).not.to.contain("restoredDbEndpoint");
  });

  it("grants the restored tables and buckets by the recovery CLI's name prefixes, in standby already", () => {
    const statements = (stack: EvaluatedStack) =>
      JSON.parse(inputsOf(stack.registrations, "aws:iam/rolePolicy:RolePolicy", "app-instance-data").policy)
        .Statement as { Sid: string; Resource: string | string[] }[];
    const resources = (stack: EvaluatedStack, sid: string) =>
      statements(stack).find((statement) => statement.Sid === sid)?.Resource;
    expect(resources(standby, "UseAppTables")).to.deep.equal([
      "arn:aws:dynamodb:us-west-2:*:table/dr-*",
      "arn:aws:dynamodb:us-west-2:*:table/drill-*",
      "arn:aws:dynamodb:us-west-2:*:table/dr-*/index/*",
      "arn:aws:dynamodb:us-west-2:*:table/drill-*/index/*",
    ]);
    expect(resources(standby, "ListAppBuckets")).to.deep.equal([
      "arn:aws:s3:::app-replica-0-20261123",
      "arn:aws:s3:::dr-*",
      "arn:aws:s3:::drill-*",
    ]);
    expect(resources(standby, "AttachDataVolume")).to.equal("arn:aws:ec2:us-west-2:*:volume/*");
    expect(statements(standby).find((s) => s.Sid === "AttachToOwnServers")).to.deep.include({
      Condition: { StringEquals: { "ec2:ResourceTag/Name": "app-dr" } },
    });
    expect(statements(active)).to.deep.equal(statements(standby));
  });

  it("creates the servers' log group in standby, named for the role", () => {
    for (const stack of [standby, active]) {
      expect(inputsOf(stack.registrations, "aws:cloudwatch/logGroup:LogGroup", "app-logs")).to.deep.include({
        region: "us-west-2",
        name: "/dr-app/dr/app",
        retentionInDays: 30,
      });
    }
  });
});

describe("dr stack with interfaceEndpoints (Session Manager and logs without a NAT gateway)", () => {
  let registrations: Registration[];

  before(async () => {
    registrations = (await evaluateStack("dr", { interfaceEndpoints: "true" })).registrations;
  });

  it("creates the ssm, ssmmessages, ec2messages and logs interface endpoints in the private subnets", () => {
    const endpoints = ofType(registrations, "aws:ec2/vpcEndpoint:VpcEndpoint").filter(
      (r) => r.inputs.vpcEndpointType === "Interface" && r.name !== "app-secretsmanager-endpoint",
    );
    expect(endpoints.map((r) => r.inputs.serviceName)).to.deep.equal([
      "com.amazonaws.us-west-2.ssm",
      "com.amazonaws.us-west-2.ssmmessages",
      "com.amazonaws.us-west-2.ec2messages",
      "com.amazonaws.us-west-2.logs",
      "com.amazonaws.us-west-2.ec2",
    ]);
    for (const endpoint of endpoints.filter((r) => r.name !== "app-ec2-endpoint")) {
      // vpc_endpoint.go: vpc_endpoint_type defaults to Gateway; subnets and security groups are the Interface's.
      expect(endpoint.inputs).to.deep.include({
        region: "us-west-2",
        vpcId: "vpc-us-west-2",
        subnetIds: ["subnet-us-west-2-private-1", "subnet-us-west-2-private-2"],
        securityGroupIds: ["app-endpoints-sg-id"],
        privateDnsEnabled: true,
      });
      expect(endpoint.inputs).to.not.have.any.keys(
        "routeTableIds",
        "resourceConfigurationArn",
        "serviceNetworkArn",
      );
    }
  });

  it("lets only the application servers reach them, over HTTPS", () => {
    expect(
      inputsOf(registrations, "aws:ec2/securityGroup:SecurityGroup", "app-endpoints-sg").ingress,
    ).to.deep.equal([
      {
        protocol: "tcp",
        fromPort: 443,
        toPort: 443,
        securityGroups: ["app-sg-id"],
        description: "From the application servers",
      },
    ]);
  });

  it("creates none by default, they bill by the hour: only the EC2 API's (the data volume) and Secrets Manager's (the database credential)", async () => {
    const { registrations: standby } = await evaluateStack("dr");
    expect(
      ofType(standby, "aws:ec2/vpcEndpoint:VpcEndpoint").map((r) => [
        r.inputs.vpcEndpointType,
        r.inputs.serviceName,
      ]),
    ).to.have.deep.members([
      ["Gateway", "com.amazonaws.us-west-2.s3"],
      ["Gateway", "com.amazonaws.us-west-2.dynamodb"],
      ["Interface", "com.amazonaws.us-west-2.ec2"],
      ["Interface", "com.amazonaws.us-west-2.secretsmanager"],
    ]);
  });
});

describe("role comes from config, not from the stack's name", () => {
  it("builds the dr side for a stack named prod whose config says role dr", async () => {
    const { registrations, outputs } = await evaluateStack("dr", {}, "prod");
    expect(outputs.role).to.equal("dr");
    expect(ofType(registrations, "aws:rds/instance:Instance")).to.have.length(0);
  });

  it("builds the primary side for a stack named dr whose config says role primary", async () => {
    const { outputs } = await evaluateStack("prod", {}, "dr");
    expect(outputs.role).to.equal("primary");
  });
});
