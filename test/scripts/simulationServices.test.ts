import { BackupClient, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { expect } from "chai";
import * as path from "path";
import { AwsClients, createAwsClients, destroyAwsClients } from "../../scripts/aws/clients";
import { DR_CONFIG_KEYS } from "../../scripts/recovery/drStack";
import { applyEnvironment, rehearsalEnvironment } from "../../scripts/rehearsal/isolation";
import { OfflineDrStack } from "../../scripts/rehearsal/offlineStack";
import { deleteRestored, verifyRestored } from "../../scripts/recovery/verify/restoredResources";
import { resourceOf } from "../../scripts/recovery/resources/registry";
import { ResourceType } from "../../scripts/recovery/resources/types";
import { dataPlaneServices, restoredResources } from "../../scripts/simulation/dataPlanes";
import { FakeAws, startFakeAws } from "../../scripts/simulation/fakeAwsServer";
import { simPoint } from "../../scripts/simulation/simulatedBackup";

const ROOT = path.resolve(__dirname, "../..");

describe("simulation: the data planes of what restore jobs created, over the SDK", function () {
  this.timeout(30_000);
  let fake: FakeAws;
  let clients: AwsClients;
  let restoreEnv: () => void;
  let time = Date.parse("2026-04-12T09:00:00Z");
  const clock = { now: () => time };
  const types: ResourceType[] = ["RDS", "Aurora", "EC2", "EBS", "DynamoDB", "EFS", "S3"];
  const points = types.map((type) =>
    simPoint(type, `src-${type.toLowerCase()}`, time, 3_600_000, { restoreMs: 60_000 }),
  );
  const ids = new Map<ResourceType, string>();

  before(async () => {
    const running: { fake?: FakeAws } = {};
    fake = await startFakeAws({
      points,
      clock,
      services: dataPlaneServices(() => (running.fake ? restoredResources(running.fake) : [])),
    });
    running.fake = fake;
    restoreEnv = applyEnvironment(rehearsalEnvironment(fake.url, "us-west-2", "/nonexistent"));
    clients = createAwsClients({ region: "us-west-2", maxAttempts: 1 });
    const backup = new BackupClient({ region: "us-west-2" });
    const names: Record<string, Record<string, string>> = {
      RDS: { DBInstanceIdentifier: "drill-x-db", Port: "5432" },
      Aurora: { DBClusterIdentifier: "drill-x-cluster" },
      DynamoDB: { targetTableName: "drill-x-table" },
      S3: { DestinationBucketName: "drill-x-bucket" },
    };
    for (const point of points) {
      await backup.send(
        new StartRestoreJobCommand({
          RecoveryPointArn: point.recoveryPointArn,
          IamRoleArn: "arn:aws:iam::111122223333:role/r",
          Metadata: names[point.resourceType] ?? {},
        }),
      );
    }
    backup.destroy();
  });

  after(async () => {
    destroyAwsClients(clients);
    restoreEnv();
    await fake.close();
  });

  it("has nothing before the restore jobs complete", async () => {
    expect(restoredResources(fake)).to.deep.equal([]);
    const check = await verifyRestored(clients, "DynamoDB", "drill-x-table");
    expect(check.ok).to.equal(false);
    expect(check.detail).to.match(/ResourceNotFoundException/);
  });

  it("serves every type once its job completed: verify, the RDS endpoint, delete, then gone", async () => {
    time += 61_000;
    for (const resource of restoredResources(fake)) {
      ids.set(resource.type as ResourceType, resource.id);
    }
    expect([...ids.keys()].sort()).to.deep.equal([...types].sort());
    const endpoint = (type: ResourceType, id: string) => resourceOf(type).lookUpEndpoint?.(clients, id);
    expect(await endpoint("RDS", "drill-x-db")).to.equal(
      "drill-x-db.c9akciq32.us-west-2.rds.amazonaws.com:5432",
    );
    expect(await endpoint("Aurora", "drill-x-cluster")).to.match(/^drill-x-cluster\..*:5432$/);
    for (const type of types) {
      const id = ids.get(type) as string;
      expect(await verifyRestored(clients, type, id), type).to.include({ ok: true });
      expect(await deleteRestored(clients, type, id, "drill-x-"), type).to.include({ ok: true });
      const after = await verifyRestored(clients, type, id);
      expect(after.ok, `${type} after deletion: ${after.detail}`).to.equal(false);
    }
    const services = new Set(fake.requests.map((r) => r.service));
    expect([...services].sort()).to.deep.equal([
      "backup",
      "dynamodb",
      "ec2",
      "elasticfilesystem",
      "rds",
      "s3",
    ]);
  });
});

describe("rehearsal: the dr stack on the mock engine", function () {
  this.timeout(60_000);
  const clock = { now: () => Date.parse("2026-04-12T10:00:00Z"), sleep: async () => undefined };
  const deployed = { drVaultName: "dr-vault-r", healthCheckUrl: "http://127.0.0.1:1/health" };

  it("reads its stack file, reports deployed outputs, and prints what up changes", async () => {
    const stack = new OfflineDrStack({ projectDir: ROOT, deployed, clock });
    expect(await stack.getConfig([DR_CONFIG_KEYS.mode, DR_CONFIG_KEYS.restoredTableName])).to.deep.equal({
      "dr-app:mode": "standby",
    });
    const outputs = await stack.outputs();
    expect(outputs).to.include({ mode: "standby", region: "us-west-2", drVaultName: "dr-vault-r" });
    await stack.setConfig({ [DR_CONFIG_KEYS.mode]: "active" });
    const lines: string[] = [];
    const result = await stack.up((line) => lines.push(line));
    expect(result.result).to.equal("succeeded");
    expect(result.outputs.mode).to.equal("active");
    expect(lines).to.include("  ~ aws:autoscaling/group:Group app-asg update");
    expect(lines).to.include("      desiredCapacity: 0 => 3");
    expect(stack.activeSince).to.equal(clock.now());
  });

  it("fails an up whose config the program rejects, as pulumi would, and keeps the last applied state", async () => {
    const stack = new OfflineDrStack({ projectDir: ROOT, deployed, clock });
    await stack.setConfig({ [DR_CONFIG_KEYS.mode]: "active", [DR_CONFIG_KEYS.restoredVolumeId]: "vol-1" });
    const lines: string[] = [];
    let error: Error | undefined;
    await stack.up((line) => lines.push(line)).catch((err: Error) => (error = err));
    expect(error?.message).to.match(
      /^pulumi up failed: Configuration 'dr-app:restoredVolumeId' value 'vol-1' must be an EBS volume id/,
    );
    expect(stack.activeSince).to.equal(undefined);
    await stack.removeConfig([DR_CONFIG_KEYS.restoredVolumeId]);
    expect(await stack.getConfig([DR_CONFIG_KEYS.restoredVolumeId])).to.deep.equal({});
  });
});
