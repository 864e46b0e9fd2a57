import { BackupClient, StartBackupJobCommand, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import {
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UpdateContinuousBackupsCommand,
} from "@aws-sdk/client-dynamodb";
import {
  AddTagsToResourceCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  ListTagsForResourceCommand,
  ModifyDBInstanceCommand,
} from "@aws-sdk/client-rds";
import { expect } from "chai";
import { AwsClients, createAwsClients, destroyAwsClients } from "../../../scripts/aws/clients";
import { resourceOf } from "../../../scripts/recovery/resources/registry";
import { applyEnvironment, rehearsalEnvironment } from "../../../scripts/rehearsal/isolation";
import { FakeAws, startFakeAws } from "../../../scripts/simulation/fakeAwsServer";
import { ACCOUNT } from "../../../scripts/simulation/fixtures";
import { resourceArn } from "../../../scripts/simulation/resourceStore";
import { simPoint } from "../../../scripts/simulation/recoveryPoints";

const ROLE = `arn:aws:iam::${ACCOUNT}:role/r`;
const PROD_TAGS = { backup: "true", app: "dr-app" };

/**
 * Tags and deletion protection on what the simulation restores, as AWS Backup, RDS and DynamoDB treat them
 * (scripts/simulation/restoredResources.ts and dataPlanes.ts cite the pages).
 */
describe("simulation: restored resources' tags and deletion protection", function () {
  this.timeout(30_000);
  let fake: FakeAws;
  let clients: AwsClients;
  let backup: BackupClient;
  let restoreEnv: () => void;
  let time = Date.parse("2026-04-12T09:00:00Z");
  const clock = { now: () => time };
  const points = [
    simPoint("RDS", "app-db", time, 3_600_000, {
      restoreMs: 60_000,
      tags: PROD_TAGS,
      restoreMetadata: { DBInstanceIdentifier: "app-db", DeletionProtection: "true", Port: "5432" },
    }),
    simPoint("DynamoDB", "app-table", time, 3_600_000, {
      restoreMs: 60_000,
      tags: PROD_TAGS,
      restoreMetadata: { targetTableName: "app-table", deletionProtection: "true" },
    }),
    simPoint("EBS", "vol-0data", time, 3_600_000, { restoreMs: 60_000, tags: PROD_TAGS }),
  ];
  const [rdsPoint, tablePoint, volumePoint] = points;

  const restore = async (
    point: (typeof points)[number],
    metadata: Record<string, string>,
    copyTags: boolean | undefined,
  ) => {
    await backup.send(
      new StartRestoreJobCommand({
        RecoveryPointArn: point.recoveryPointArn,
        IamRoleArn: ROLE,
        Metadata: metadata,
        ...(copyTags !== undefined && { CopySourceTagsToRestoredResource: copyTags }),
      }),
    );
  };
  const arn = (type: string, id: string) => resourceArn(type, "us-west-2", id);

  before(async () => {
    fake = await startFakeAws({
      points,
      clock,
      resources: [{ type: "DynamoDB", id: "prod-table", region: "us-west-2", tags: PROD_TAGS }],
    });
    restoreEnv = applyEnvironment(rehearsalEnvironment(fake.url, "us-west-2", "/nonexistent"));
    clients = createAwsClients({ region: "us-west-2", maxAttempts: 1 });
    backup = new BackupClient({ region: "us-west-2", maxAttempts: 1 });
    await restore(rdsPoint, { DBInstanceIdentifier: "dr-x-db", DeletionProtection: "true" }, true);
    await restore(rdsPoint, { DBInstanceIdentifier: "drill-x-db", DeletionProtection: "false" }, undefined);
    await restore(tablePoint, { targetTableName: "dr-x-table", deletionProtection: "true" }, true);
    await restore(tablePoint, { targetTableName: "drill-x-table", deletionProtection: "false" }, false);
    await restore(volumePoint, { availabilityZone: "us-west-2a" }, true);
    await restore(volumePoint, { availabilityZone: "us-west-2a" }, false);
    time += 120_000;
  });

  after(async () => {
    backup.destroy();
    destroyAwsClients(clients);
    restoreEnv();
    await fake.close();
  });

  it("copies the point's tags to a restored DB instance and volume only with CopySourceTagsToRestoredResource", () => {
    expect(fake.resource(arn("RDS", "dr-x-db"))?.tags).to.deep.equal(PROD_TAGS);
    expect(fake.resource(arn("RDS", "drill-x-db"))?.tags).to.deep.equal({});
    const volumes = fake.resources("us-west-2").filter((r) => r.type === "EBS");
    expect(volumes.map((v) => v.tags)).to.have.deep.members([PROD_TAGS, {}]);
  });

  it("never copies tags to a restored DynamoDB table, even when asked: the caller must tag it", async () => {
    expect(fake.resource(arn("DynamoDB", "dr-x-table"))?.tags).to.deep.equal({});
    await clients.dynamodb.send(
      new TagResourceCommand({
        ResourceArn: arn("DynamoDB", "dr-x-table"),
        Tags: [{ Key: "backup", Value: "true" }],
      }),
    );
    const listed = await clients.dynamodb.send(
      new ListTagsOfResourceCommand({ ResourceArn: arn("DynamoDB", "dr-x-table") }),
    );
    expect(listed.Tags).to.deep.equal([{ Key: "backup", Value: "true" }]);
  });

  it("a backup captures the resource's tags; a restore of that point carries them (RDS)", async () => {
    const job = await backup.send(
      new StartBackupJobCommand({
        BackupVaultName: "dr-vault",
        ResourceArn: arn("RDS", "dr-x-db"),
        IamRoleArn: ROLE,
        Lifecycle: { DeleteAfterDays: 7 },
      }),
    );
    time += 60 * 60_000;
    const point = fake
      .vault("us-west-2", "dr-vault")
      ?.points.find((p) => p.recoveryPointArn === job.RecoveryPointArn);
    expect(point?.tags).to.deep.equal(PROD_TAGS);
  });

  it("refuses DeleteDBInstance of a protected instance with InvalidParameterCombination until ModifyDBInstance turns it off", async () => {
    const err = await clients.rds
      .send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "dr-x-db", SkipFinalSnapshot: true }))
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(err?.name).to.equal("InvalidParameterCombination");
    expect(err?.message).to.equal(
      "Cannot delete protected DB Instance, please disable deletion protection and try again.",
    );
    expect(fake.resource(arn("RDS", "dr-x-db"))).to.not.equal(undefined);
    await clients.rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: "dr-x-db",
        DeletionProtection: false,
        ApplyImmediately: true,
      }),
    );
    await clients.rds.send(
      new DeleteDBInstanceCommand({ DBInstanceIdentifier: "dr-x-db", SkipFinalSnapshot: true }),
    );
    expect(fake.resource(arn("RDS", "dr-x-db"))).to.equal(undefined);
  });

  it("refuses DeleteTable of a protected table", async () => {
    const err = await clients.dynamodb.send(new DeleteTableCommand({ TableName: "dr-x-table" })).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.name).to.equal("ValidationException");
    expect(err?.message).to.equal(
      "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
    );
  });

  it("the drill's copies, restored with deletion protection false, are deleted by the CLI's cleanup", async () => {
    expect(await resourceOf("RDS").delete(clients, "drill-x-db")).to.equal("DB instance drill-x-db deleting");
    expect(await resourceOf("DynamoDB").delete(clients, "drill-x-table")).to.equal(
      "table drill-x-table deleting",
    );
  });

  it("the CLI's delete turns deletion protection off first when a copy came up protected", async () => {
    expect(await resourceOf("DynamoDB").delete(clients, "dr-x-table")).to.equal(
      "table dr-x-table deleting (deletion protection turned off first)",
    );
    expect(fake.resource(arn("DynamoDB", "dr-x-table"))).to.equal(undefined);
  });

  it("ModifyDBInstance sets the windows DescribeDBInstances reports; AddTagsToResource and ListTagsForResource tag a DB", async () => {
    await restore(rdsPoint, { DBInstanceIdentifier: "dr-y-db" }, false);
    time += 120_000;
    await clients.rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: "dr-y-db",
        PreferredBackupWindow: "05:10-05:40",
        PreferredMaintenanceWindow: "sun:06:10-sun:06:40",
        ApplyImmediately: true,
      }),
    );
    const db = (await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "dr-y-db" })))
      .DBInstances?.[0];
    expect([db?.PreferredBackupWindow, db?.PreferredMaintenanceWindow, db?.DeletionProtection]).to.deep.equal(
      ["05:10-05:40", "sun:06:10-sun:06:40", false],
    );
    await clients.rds.send(
      new AddTagsToResourceCommand({
        ResourceName: arn("RDS", "dr-y-db"),
        Tags: [{ Key: "backup", Value: "true" }],
      }),
    );
    const tags = await clients.rds.send(
      new ListTagsForResourceCommand({ ResourceName: arn("RDS", "dr-y-db") }),
    );
    expect(tags.TagList).to.deep.equal([{ Key: "backup", Value: "true" }]);
  });

  it("UpdateContinuousBackups turns point-in-time recovery on, as DescribeContinuousBackups reports", async () => {
    const describe = async () =>
      (await clients.dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: "prod-table" })))
        .ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus;
    expect(await describe()).to.equal("DISABLED");
    await clients.dynamodb.send(
      new UpdateContinuousBackupsCommand({
        TableName: "prod-table",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    expect(await describe()).to.equal("ENABLED");
  });
});
