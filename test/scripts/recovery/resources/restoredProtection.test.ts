import { restoredDataOf } from "../../../fakes/fakeStack";
import {
  DescribeTableCommand,
  TagResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import { StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { AddTagsToResourceCommand, ModifyDBInstanceCommand } from "@aws-sdk/client-rds";
import { expect } from "chai";
import { DR_OUTPUTS } from "../../../../scripts/simulation/fixtures";
import { resourceArn } from "../../../../scripts/simulation/resourceStore";
import { SimPoint, simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { FailbackAws } from "../../../fakes/failbackAws";
import { RECOVERY_STARTED, failbackHarness } from "../../../fakes/failbackFixture";
import { Harness } from "../../../fakes/harness";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;
const RUN = "20260412t090000a7";

/** Prod's data as the vault holds it: a database and a table, both deletion-protected at backup time. */
function vault(): SimPoint[] {
  return [
    simPoint("RDS", "production-db", NOW, 50 * MIN, {
      restoreMs: 20 * MIN,
      restoreMetadata: { DBInstanceIdentifier: "production-db", DeletionProtection: "true", Port: "5432" },
    }),
    simPoint("DynamoDB", "Orders", NOW, 40 * MIN, {
      restoreMs: 10 * MIN,
      restoreMetadata: { targetTableName: "Orders", deletionProtection: "true" },
    }),
  ];
}

/**
 * Issue 19, findings 1, 10 and 12: what a recovery restores is protected as prod's data is (selection tag,
 * PITR, the databases' windows), and what a drill restores is deletable and never backed up.
 */
describe("restored copies: prod's tags and settings for a recovery, deletable and untagged for a drill", () => {
  let h: Harness;
  afterEach(() => h?.dispose());

  it("recover: every restore copies the backup's tags (CopySourceTagsToRestoredResource)", async () => {
    h = new Harness({ points: vault(), stack: { upMs: [MIN, MIN] } });
    expect(await h.run(["recover", "--yes"]), h.stderr.text).to.equal(0);
    expect(h.sim.startCalls.map((c) => c.copySourceTags)).to.deep.equal([true, true]);
  });

  it("recover: the table is tagged with prod's selection tag and gets PITR; the database gets prod's windows and tag, in the DR region", async () => {
    h = new Harness({ points: vault(), stack: { upMs: [MIN, MIN] } });
    expect(await h.run(["recover", "--yes"]), h.stderr.text).to.equal(0);

    const table = `dr-${RUN}-Orders`;
    expect(h.dynamodb.commandCalls(TagResourceCommand).map((c) => c.args[0].input)).to.deep.equal([
      { ResourceArn: resourceArn("DynamoDB", "us-west-2", table), Tags: [{ Key: "backup", Value: "true" }] },
    ]);
    expect(h.dynamodb.commandCalls(UpdateContinuousBackupsCommand).map((c) => c.args[0].input)).to.deep.equal(
      [{ TableName: table, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }],
    );
    const db = `dr-${RUN}-production-db`;
    expect(h.rds.commandCalls(ModifyDBInstanceCommand).map((c) => c.args[0].input)).to.deep.equal([
      {
        DBInstanceIdentifier: db,
        ApplyImmediately: true,
        PreferredBackupWindow: DR_OUTPUTS.restoredSettings.backupWindow,
        PreferredMaintenanceWindow: DR_OUTPUTS.restoredSettings.maintenanceWindow,
      },
    ]);
    expect(h.rds.commandCalls(AddTagsToResourceCommand).map((c) => c.args[0].input)).to.deep.equal([
      { ResourceName: resourceArn("RDS", "us-west-2", db), Tags: [{ Key: "backup", Value: "true" }] },
    ]);
    // Only the DR region's clients: static stability.
    for (const call of [
      ...h.dynamodb.commandCalls(TagResourceCommand),
      ...h.rds.commandCalls(ModifyDBInstanceCommand),
    ]) {
      expect(
        await (call.thisValue as { config: { region: () => Promise<string> } }).config.region(),
      ).to.equal("us-west-2");
    }
    const journal = h.journal("recover");
    expect(Object.values(journal.jobs).map((j) => j.protection?.ok)).to.deep.equal([true, true]);
    expect(h.stdout.text).to.contain(`table ${table} tagged backup=true, point-in-time recovery on`);
  });

  it("recover on a dr stack without the restoredSettings output: restores, and warns that the copies lack prod's tags and windows", async () => {
    h = new Harness({
      points: vault(),
      stack: { upMs: [MIN, MIN], outputs: { restoredSettings: undefined } },
    });
    expect(await h.run(["recover", "--yes"]), h.stderr.text).to.equal(0);
    expect(h.stderr.text).to.contain(
      "the dr stack has no 'restoredSettings' output: restored tables and databases will not get prod's selection tags, point-in-time recovery or windows (run 'pulumi up' on the dr stack)",
    );
    expect(h.dynamodb.commandCalls(TagResourceCommand)).to.have.length(0);
  });

  it("drill: restores without deletion protection and without the backup's tags, tags nothing, and deletes its copies", async () => {
    h = new Harness({ points: vault() });
    h.dynamodb.on(DescribeTableCommand).resolves({ Table: { TableStatus: "ACTIVE" } });
    expect(await h.run(["drill", "--yes"]), h.stderr.text).to.equal(0);
    expect(h.sim.startCalls.map((c) => c.copySourceTags)).to.deep.equal([undefined, undefined]);
    const byType = (key: string) => h.sim.startCalls.find((c) => key in c.metadata)?.metadata;
    expect(byType("DBInstanceIdentifier")).to.include({ DeletionProtection: "false" });
    expect(byType("targetTableName")).to.include({ deletionProtection: "false" });
    expect(h.dynamodb.commandCalls(TagResourceCommand)).to.have.length(0);
    expect(h.dynamodb.commandCalls(UpdateContinuousBackupsCommand)).to.have.length(0);
    expect(h.rds.commandCalls(AddTagsToResourceCommand)).to.have.length(0);
    expect(h.rds.commandCalls(ModifyDBInstanceCommand)).to.have.length(0);
    expect(h.dynamodb.commandCalls(UpdateTableCommand)).to.have.length(0);
    expect(Object.values(h.journal("drill").jobs).map((j) => j.deletion?.ok)).to.deep.equal([true, true]);
  });
});

/** Issue 19, finding 11: the DR vault after recover -> days in DR -> failback, as AWS lists it. */
describe("recover after a failback: prod's primary-region resources only, the failed-back copy wired", () => {
  let h: Harness;
  afterEach(() => h?.dispose());
  const DAY = 24 * 60 * MIN;
  const FIRST = "20260401t120000b2";
  const FAILBACK = "20260405t180000c4";
  const inDr = (type: string, name: string, ageMs: number) =>
    simPoint(type, name, NOW, ageMs, {
      resourceArn: resourceArn(type, "us-west-2", name),
      recoveryPointArn: `arn:aws:backup:us-west-2:111122223333:recovery-point:dr-${name}-${ageMs}`,
    });
  const afterFailback = (): SimPoint[] => [
    // Prod before the disaster: last backed up then, untagged since the failback.
    simPoint("RDS", "production-db", NOW, 11 * DAY),
    simPoint("DynamoDB", "Orders", NOW, 11 * DAY),
    // The recovery's copies in DR, backed up by the dr stack's plan and by the failback.
    inDr("RDS", `dr-${FIRST}-production-db`, 7 * DAY),
    inDr("RDS", `dr-${FIRST}-production-db`, 8 * DAY),
    inDr("DynamoDB", `dr-${FIRST}-Orders`, 7 * DAY),
    // What prod runs on since the failback, backed up by prod's plan and copied to DR.
    simPoint("RDS", `fb-${FAILBACK}-production-db`, NOW, 30 * MIN, { restoreMs: 20 * MIN }),
    simPoint("DynamoDB", `fb-${FAILBACK}-Orders`, NOW, 30 * MIN, { restoreMs: 10 * MIN }),
  ];

  it("plans only the primary region's resources and wires the fb- copies without --app-resource", async () => {
    h = new Harness({ points: afterFailback(), stack: { upMs: [MIN, MIN] } });
    // Prod's pre-disaster resources, abandoned at the failback, are restored too, from 11-day-old points:
    // the achieved RPO (the oldest point restored) is past the objective, and the verdict says so (exit 1).
    expect(await h.run(["recover", "--yes"]), h.stderr.text).to.equal(1);
    expect(h.stdout.text.trimEnd().split("\n").pop()).to.match(/: RPO OBJECTIVE MISSED; RPO MISSED: /);
    const plan = h.journal("recover").plan;
    expect(plan.map((p) => p.resourceArn).every((arn) => arn.includes(":us-east-1:"))).to.equal(true);
    expect(plan.map((p) => p.resourceName)).to.have.members([
      "production-db",
      "Orders",
      `fb-${FAILBACK}-production-db`,
      `fb-${FAILBACK}-Orders`,
    ]);
    expect(h.journal("recover").skipped.map((s) => s.reason)).to.include(
      "a resource of us-west-2, not of the primary region us-east-1: restored data backed up in DR, not prod's",
    );
    expect(restoredDataOf(h.stack.config)["db"]?.id).to.equal(`dr-${RUN}-fb-${FAILBACK}-production-db`);
    expect(restoredDataOf(h.stack.config)["table"]?.id).to.equal(`dr-${RUN}-fb-${FAILBACK}-Orders`);
  });

  it("wires the volume prod runs on since the failback, which has no name, by the prod data the dr stack reports", async () => {
    const volumes = [
      // Prod's own volume before the disaster, and the failback's copy (AWS gave it a new id) prod runs on since.
      simPoint("EBS", "vol-0prod", NOW, 11 * DAY),
      simPoint("EBS", "vol-0failedback", NOW, 30 * MIN, { restoreMs: 5 * MIN }),
    ];
    const primaryAppData = {
      dbInstanceId: `fb-${FAILBACK}-production-db`,
      tableName: `fb-${FAILBACK}-Orders`,
      volumeId: "vol-0failedback",
    };
    h = new Harness({
      points: [...afterFailback(), ...volumes],
      stack: { upMs: [MIN, MIN], outputs: { primaryAppData } },
    });
    // As above: the abandoned pre-disaster resources' old points miss the RPO objective (exit 1).
    expect(await h.run(["recover", "--yes"]), h.stderr.text).to.equal(1);
    const restoredVolume = h.journal("recover").jobs[volumes[1].recoveryPointArn]?.resourceId;
    expect(restoredVolume).to.be.a("string");
    expect(restoredDataOf(h.stack.config)["volume"]?.id).to.equal(restoredVolume);
    expect(restoredDataOf(h.stack.config)["db"]?.id).to.equal(`dr-${RUN}-fb-${FAILBACK}-production-db`);
  });

  it("without the prod data the dr stack reports, still asks for --app-resource between the two volumes", async () => {
    h = new Harness({
      points: [
        ...afterFailback(),
        simPoint("EBS", "vol-0prod", NOW, 11 * DAY),
        simPoint("EBS", "vol-0failedback", NOW, 30 * MIN),
      ],
      stack: { upMs: [MIN, MIN] },
    });
    expect(await h.run(["recover", "--yes"])).to.equal(2);
    expect(h.stderr.text).to.contain(
      "2 EBS resources will be restored but the dr stack takes one restoredVolumeId: name one with --app-resource <arn|name>",
    );
  });

  it("still asks for --app-resource between two databases neither of which replaced the other", async () => {
    h = new Harness({
      points: [...afterFailback(), simPoint("RDS", "reporting-db", NOW, 30 * MIN)],
      stack: { upMs: [MIN, MIN] },
    });
    expect(await h.run(["recover", "--yes"])).to.equal(2);
    expect(h.stderr.text).to.contain(
      "2 RDS/Aurora resources will be restored but the dr stack takes one restoredDbEndpoint / restoredDbInstanceId",
    );
    expect(h.stderr.text).to.contain(`fb-${FAILBACK}-production-db`);
    expect(h.stderr.text).to.not.contain(
      "production-db (arn:aws:rds:us-east-1:111122223333:db:production-db)",
    );
  });
});

/** Issue 19, findings 1, 10 and 12 on the way back: the fb- copies prod runs on are protected like its own data. */
describe("failback: its fb- copies made like prod's data; a failback drill's copies deletable and untagged", () => {
  let h: Harness;
  let aws: FailbackAws;
  afterEach(() => {
    aws?.dispose();
    h?.dispose();
  });

  it("failback: the fb- table tagged with prod's selection tag and PITR on, the fb- database given prod's windows, in the primary region", async () => {
    const made = failbackHarness({ prodConfig: { "dr-app:domainName": "api.example.com" } });
    h = made.h;
    aws = new FailbackAws(h, made.points, () => made.dr().config, Date.parse(RECOVERY_STARTED), {
      drObjects: { "orders/1.json": 30 },
      sourceObjects: {},
    });
    expect(await h.run(["failback", "--yes", "--poll-max", "30"]), h.stderr.text).to.equal(0);
    const fbTable = h.dynamodb
      .commandCalls(TagResourceCommand)
      .map((c) => c.args[0].input as { ResourceArn: string; Tags: unknown });
    expect(fbTable).to.have.length(1);
    expect(fbTable[0].ResourceArn).to.match(
      /^arn:aws:dynamodb:us-east-1:\d+:table\/fb-20260412t090000a7-Orders$/,
    );
    expect(fbTable[0].Tags).to.deep.equal([{ Key: "backup", Value: "true" }]);
    const modified = h.rds.commandCalls(ModifyDBInstanceCommand);
    expect(modified.map((c) => c.args[0].input)).to.deep.equal([
      {
        DBInstanceIdentifier: "fb-20260412t090000a7-app-db",
        ApplyImmediately: true,
        PreferredBackupWindow: DR_OUTPUTS.restoredSettings.backupWindow,
        PreferredMaintenanceWindow: DR_OUTPUTS.restoredSettings.maintenanceWindow,
      },
    ]);
    expect(
      await (modified[0].thisValue as { config: { region: () => Promise<string> } }).config.region(),
    ).to.equal("us-east-1");
    expect(h.dynamodb.commandCalls(UpdateContinuousBackupsCommand)).to.have.length(1);
  });

  it("failback --drill: restores with deletion protection off and without tags, and sets nothing on its copies", async () => {
    const made = failbackHarness({
      points: [
        simPoint("RDS", "app-db", NOW, 30 * MIN, {
          restoreMetadata: { DBInstanceIdentifier: "app-db", DeletionProtection: "true" },
        }),
        simPoint("DynamoDB", "Orders", NOW, 40 * MIN, {
          restoreMetadata: { targetTableName: "Orders", deletionProtection: "true" },
        }),
      ],
      drConfig: { "dr-app:mode": "standby" },
      recovery: false,
    });
    h = made.h;
    aws = new FailbackAws(h, made.points, () => made.dr().config, NOW - 60 * MIN, {});
    h.dynamodb.on(DescribeTableCommand).resolves({ Table: { TableStatus: "ACTIVE" } });
    expect(await h.run(["failback", "--drill", "--yes"]), h.stderr.text).to.equal(0);
    const restores = h.backup
      .commandCalls(StartRestoreJobCommand)
      .map(
        (c) =>
          c.args[0].input as { Metadata: Record<string, string>; CopySourceTagsToRestoredResource?: boolean },
      );
    expect(restores.map((r) => r.CopySourceTagsToRestoredResource)).to.deep.equal([undefined, undefined]);
    expect(restores.map((r) => r.Metadata.DeletionProtection ?? r.Metadata.deletionProtection)).to.deep.equal(
      ["false", "false"],
    );
    expect(h.dynamodb.commandCalls(TagResourceCommand)).to.have.length(0);
    expect(h.rds.commandCalls(ModifyDBInstanceCommand)).to.have.length(0);
  });
});
