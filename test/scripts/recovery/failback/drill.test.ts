import { StartBackupJobCommand, StartCopyJobCommand, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DeleteTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { DeleteVolumeCommand, DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import { DeleteDBInstanceCommand } from "@aws-sdk/client-rds";
import { CopyObjectCommand } from "@aws-sdk/client-s3";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { FailbackReport } from "../../../../scripts/recovery/failback/report";
import { simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { FailbackAws } from "../../../fakes/failbackAws";
import { failbackHarness } from "../../../fakes/failbackFixture";
import { FakeDrStack } from "../../../fakes/fakeStack";
import { Harness } from "../../../fakes/harness";

const RUN = "20260412t090000a7";
const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;

describe("dr failback --drill (in process): copies of the DR vault's newest points restored in the primary region, checked, deleted", () => {
  let h: Harness;
  let aws: FailbackAws;
  let dr: () => FakeDrStack;
  let prod: () => FakeDrStack;
  afterEach(() => {
    aws?.dispose();
    h?.dispose();
  });

  const vault = () => [
    simPoint("RDS", "app-db", NOW, 30 * MIN),
    simPoint("RDS", "app-db", NOW, 5 * MIN, { status: "PARTIAL", statusMessage: "snapshot interrupted" }),
    simPoint("RDS", "app-db", NOW, 24 * 60 * MIN),
    simPoint("DynamoDB", "Orders", NOW, 40 * MIN),
    simPoint("EBS", "vol-0data", NOW, 50 * MIN),
    simPoint("S3", "app-data", NOW, 55 * MIN),
  ];

  const setUp = () => {
    const points = vault();
    // The dr stack in standby: a drill needs no recovery, and changes no stack.
    const made = failbackHarness({ points, drConfig: { "dr-app:mode": "standby" }, recovery: false });
    ({ h, dr, prod } = made);
    aws = new FailbackAws(h, made.points, () => dr().config, NOW - 60 * MIN, {
      drObjects: { "a.json": 10, "b.json": 20 },
      sourceObjects: { "a.json": 30 },
    });
    h.dynamodb.on(DescribeTableCommand).callsFake(async (input: { TableName: string }) => ({
      Table: { TableName: input.TableName, TableStatus: "ACTIVE" },
    }));
    h.dynamodb.on(DeleteTableCommand).resolves({});
    h.ec2.on(DescribeVolumesCommand).callsFake(async (input: { VolumeIds: string[] }) => ({
      Volumes: [{ VolumeId: input.VolumeIds[0], State: "available" }],
    }));
    h.ec2.on(DeleteVolumeCommand).resolves({});
    h.rds.on(DeleteDBInstanceCommand).resolves({});
    return points;
  };

  it("--dry-run shows copies of the newest COMPLETED points into fbdrill- names, no freeze, no prod change", async () => {
    setUp();
    expect(await h.run(["failback", "--drill", "--dry-run"]), h.stderr.text).to.equal(0);
    const out = h.stdout.text;
    expect(out).to.contain("Failback drill from us-west-2 to us-east-1:");
    expect(out).to.contain("2. Copies of the DR vault's newest points");
    expect(out).to.match(new RegExp(`RDS\\s+app-db\\s+2026-04-12T08:30:00.000Z\\s+fbdrill-${RUN}-app-db`));
    expect(out).to.contain("prod's tags copied: no");
    expect(out).to.contain(
      "skipped S3 arn:aws:s3:::app-data: S3 comes back by object copy, not by restore: the drill counts the objects instead",
    );
    expect(out).to.contain("No freeze, no change to prod stack 'prod', no traffic switch");
    expect(out).not.to.contain("Write freeze:");
  });

  it("--yes copies, restores, checks and deletes exactly what it restored; touches no stack, no switch, no prod data", async () => {
    const points = setUp();
    const code = await h.run(["failback", "--drill", "--yes"]);
    expect(code, h.stderr.text).to.equal(0);

    // Copies of the newest COMPLETED point of each resource (not the PARTIAL, not the day-old), no backups.
    expect(h.backup.commandCalls(StartBackupJobCommand)).to.have.length(0);
    const copied = h.backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input.RecoveryPointArn);
    expect(copied.sort()).to.deep.equal(
      [points[0], points[3], points[4]].map((p) => p.recoveryPointArn).sort(),
    );
    // Restores from the copies, named fbdrill-, without prod's tags.
    const restores = h.backup.commandCalls(StartRestoreJobCommand).map((c) => c.args[0].input);
    expect(restores).to.have.length(3);
    expect(restores.every((r) => r.CopySourceTagsToRestoredResource === undefined)).to.equal(true);
    expect(restores.find((r) => r.ResourceType === "RDS")?.Metadata?.DBInstanceIdentifier).to.equal(
      `fbdrill-${RUN}-app-db`,
    );
    // Deleted: the three it restored, by the ids its journal holds.
    expect(
      h.rds.commandCalls(DeleteDBInstanceCommand).map((c) => c.args[0].input.DBInstanceIdentifier),
    ).to.deep.equal([`fbdrill-${RUN}-app-db`]);
    expect(h.dynamodb.commandCalls(DeleteTableCommand).map((c) => c.args[0].input.TableName)).to.deep.equal([
      `fbdrill-${RUN}-Orders`,
    ]);
    expect(h.ec2.commandCalls(DeleteVolumeCommand)).to.have.length(1);
    // Nothing of prod's, no stack change, no switch.
    expect(h.s3.commandCalls(CopyObjectCommand)).to.have.length(0);
    expect(aws.cloudwatch.commandCalls(PutMetricDataCommand)).to.have.length(0);
    for (const stack of [dr(), prod()]) {
      expect(
        stack.ops().filter((op) => op === "setConfig" || op === "up" || op === "removeConfig"),
      ).to.deep.equal([]);
    }

    const report = JSON.parse(
      fs.readFileSync(path.join(h.reportDir, `failback-drill-${RUN}.json`), "utf8"),
    ) as FailbackReport;
    expect(report.outcome).to.equal("success");
    expect(report.phases.map((p) => `${p.phase}:${p.outcome}`)).to.deep.equal([
      "copy:ok",
      "restore:ok",
      "verify:ok",
      "s3-copy:ok",
      "cleanup:ok",
    ]);
    expect(report.cleanup).to.deep.equal({ kept: false, deleted: 3, failed: 0 });
    expect(report.s3?.[0]).to.deep.include({ written: 2, alreadyThere: 1, countOnly: true });
    expect(report.writesLost).to.equal(undefined);
    expect(report.failbackSeconds).to.be.greaterThan(0);
    const md = fs.readFileSync(path.join(h.reportDir, `failback-drill-${RUN}.md`), "utf8");
    expect(md).to.contain(`# DR failback drill ${RUN}: success`);
    expect(md).to.contain("- 3 deleted, 0 failed.");
  });

  it("--keep keeps what it restored", async () => {
    setUp();
    expect(await h.run(["failback", "--drill", "--yes", "--keep"]), h.stderr.text).to.equal(0);
    expect(h.rds.commandCalls(DeleteDBInstanceCommand)).to.have.length(0);
    const report = JSON.parse(
      fs.readFileSync(path.join(h.reportDir, `failback-drill-${RUN}.json`), "utf8"),
    ) as FailbackReport;
    expect(report.cleanup).to.deep.equal({ kept: true, deleted: 0, failed: 0 });
  });
});
