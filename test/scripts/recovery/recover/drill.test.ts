import { DeleteTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { DeleteFileSystemCommand, DescribeFileSystemsCommand } from "@aws-sdk/client-efs";
import { DeleteDBClusterCommand, DeleteDBInstanceCommand } from "@aws-sdk/client-rds";
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
} from "@aws-sdk/client-s3";
import { forecastRto } from "@restorekit/backup-restore-dr";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { createAwsClients } from "../../../../scripts/aws/clients";
import { deleteRestored } from "../../../../scripts/recovery/core/restoredResources";
import { RunReport } from "../../../../scripts/recovery/core/report";
import { Harness, HarnessOptions } from "../../../fakes/harness";
import { SimPoint, simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { awsError } from "../../../fakes/sdkBackup";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;
const RUN = "20260412t090000a7";
const PREFIX = `drill-${RUN}-`;

function vault(): SimPoint[] {
  return [
    simPoint("RDS", "production-db", NOW, 50 * MIN, { restoreMs: 35 * MIN }),
    simPoint("Aurora", "analytics", NOW, 50 * MIN, { restoreMs: 30 * MIN }),
    simPoint("DynamoDB", "Orders", NOW, 40 * MIN, { restoreMs: 18 * MIN }),
    simPoint("EBS", "vol-0data", NOW, 30 * MIN, { restoreMs: 8 * MIN }),
    simPoint("EC2", "i-0app", NOW, 30 * MIN, { restoreMs: 12 * MIN }),
    simPoint("EFS", "fs-0shared", NOW, 45 * MIN, { restoreMs: 25 * MIN }),
    simPoint("S3", "app-data", NOW, 55 * MIN, { restoreMs: 30 * MIN }),
  ];
}

interface ResourceMockOptions {
  tableStatus?: string;
  failDelete?: "DeleteVolume";
}

/** EC2, DynamoDB, EFS and S3 answering the drill's checks and deletions (RDS answers from the harness). */
function mockResources(h: Harness, options: ResourceMockOptions = {}): void {
  h.ec2.on(DescribeInstancesCommand).callsFake(async (input: { InstanceIds: string[] }) => ({
    Reservations: [{ Instances: [{ InstanceId: input.InstanceIds[0], State: { Name: "running" } }] }],
  }));
  h.ec2.on(DescribeVolumesCommand).callsFake(async (input: { VolumeIds: string[] }) => ({
    Volumes: [{ VolumeId: input.VolumeIds[0], State: "available" }],
  }));
  h.ec2.on(TerminateInstancesCommand).resolves({});
  if (options.failDelete === "DeleteVolume") {
    h.ec2.on(DeleteVolumeCommand).rejectsOnce(awsError("VolumeInUse", "Volume is in use")).resolves({});
  } else {
    h.ec2.on(DeleteVolumeCommand).resolves({});
  }
  h.dynamodb.on(DescribeTableCommand).callsFake(async (input: { TableName: string }) => ({
    Table: { TableName: input.TableName, TableStatus: options.tableStatus ?? "ACTIVE" },
  }));
  h.dynamodb.on(DeleteTableCommand).resolves({});
  h.efs.on(DescribeFileSystemsCommand).callsFake(async (input: { FileSystemId: string }) => ({
    FileSystems: [{ FileSystemId: input.FileSystemId, LifeCycleState: "available" }],
  }));
  h.efs.on(DeleteFileSystemCommand).resolves({});
  h.s3.on(HeadBucketCommand).resolves({});
  h.s3
    .on(ListObjectVersionsCommand)
    .resolvesOnce({
      IsTruncated: true,
      NextKeyMarker: "k2",
      NextVersionIdMarker: "v2",
      Versions: [
        { Key: "k1", VersionId: "v1" },
        { Key: "k2", VersionId: "v2" },
      ],
    })
    .resolvesOnce({ IsTruncated: false, DeleteMarkers: [{ Key: "k1", VersionId: "dm1" }] });
  h.s3.on(DeleteObjectsCommand).resolves({});
  h.s3.on(DeleteBucketCommand).resolves({});
  h.rds.on(DeleteDBInstanceCommand).resolves({});
  h.rds.on(DeleteDBClusterCommand).resolves({});
}

describe("dr drill", () => {
  let h: Harness;
  const make = (options: Partial<HarnessOptions> = {}, resources: ResourceMockOptions = {}) => {
    h = new Harness({ points: vault(), stack: { upMs: [5 * MIN] }, primaryUp: true, ...options });
    mockResources(h, resources);
    return h;
  };
  afterEach(() => h?.dispose());

  it("restores into drill-named resources, checks they came up, reports, then deletes exactly what it restored", async () => {
    make();
    const code = await h.run(["drill", "--yes"]);

    expect(code, h.stderr.text).to.equal(0);
    // Drills run while the primary is up: no primary check, no flip.
    expect(h.stdout.text).not.to.contain("primary region");
    expect(h.stack.ops()).to.deep.equal(["outputs"]);
    const names = h.sim.startCalls.map((c) =>
      [
        "DBInstanceIdentifier",
        "DBClusterIdentifier",
        "targetTableName",
        "CreationToken",
        "DestinationBucketName",
      ]
        .map((k) => c.metadata[k])
        .find(Boolean),
    );
    expect(names.filter(Boolean).sort()).to.deep.equal([
      `${PREFIX}Orders`,
      `${PREFIX}analytics`,
      `${PREFIX}app-data`,
      `${PREFIX}fs-0shared`,
      `${PREFIX}production-db`,
    ]);

    const journal = h.journal("drill");
    const created = (type: string) => {
      const plan = journal.plan.find((p) => p.resourceType === type);
      return journal.jobs[plan?.recoveryPointArn ?? ""].resourceId as string;
    };
    expect(h.rds.commandCalls(DeleteDBInstanceCommand).map((c) => c.args[0].input)).to.deep.equal([
      {
        DBInstanceIdentifier: `${PREFIX}production-db`,
        SkipFinalSnapshot: true,
        DeleteAutomatedBackups: true,
      },
    ]);
    expect(h.rds.commandCalls(DeleteDBClusterCommand).map((c) => c.args[0].input)).to.deep.equal([
      { DBClusterIdentifier: `${PREFIX}analytics`, SkipFinalSnapshot: true },
    ]);
    expect(h.ec2.commandCalls(TerminateInstancesCommand).map((c) => c.args[0].input)).to.deep.equal([
      { InstanceIds: [created("EC2")] },
    ]);
    expect(created("EC2")).to.match(/^i-/).and.not.equal("i-0app");
    expect(h.ec2.commandCalls(DeleteVolumeCommand).map((c) => c.args[0].input)).to.deep.equal([
      { VolumeId: created("EBS") },
    ]);
    expect(created("EBS")).not.to.equal("vol-0data");
    expect(h.dynamodb.commandCalls(DeleteTableCommand).map((c) => c.args[0].input)).to.deep.equal([
      { TableName: `${PREFIX}Orders` },
    ]);
    expect(h.efs.commandCalls(DeleteFileSystemCommand).map((c) => c.args[0].input)).to.deep.equal([
      { FileSystemId: created("EFS") },
    ]);
    expect(created("EFS")).not.to.equal("fs-0shared");
    // S3: every version and delete marker, page by page, then the bucket.
    expect(h.s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input)).to.deep.equal([
      { Bucket: `${PREFIX}app-data`, KeyMarker: undefined, VersionIdMarker: undefined },
      { Bucket: `${PREFIX}app-data`, KeyMarker: "k2", VersionIdMarker: "v2" },
    ]);
    expect(h.s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete?.Objects)).to.deep.equal(
      [
        [
          { Key: "k1", VersionId: "v1" },
          { Key: "k2", VersionId: "v2" },
        ],
        [{ Key: "k1", VersionId: "dm1" }],
      ],
    );
    expect(h.s3.commandCalls(DeleteBucketCommand).map((c) => c.args[0].input)).to.deep.equal([
      { Bucket: `${PREFIX}app-data` },
    ]);

    const report: RunReport = JSON.parse(
      fs.readFileSync(path.join(h.reportDir, `drill-${RUN}.json`), "utf8"),
    );
    expect(report.outcome).to.equal("success");
    expect(report.cleanup).to.deep.equal({ kept: false, deleted: 7, failed: 0 });
    expect(report.jobs.every((j) => j.verification?.ok && j.deletion?.ok)).to.equal(true);
    expect(fs.readFileSync(path.join(h.reportDir, `drill-${RUN}.md`), "utf8")).to.contain(
      "## Drill checks and cleanup",
    );
  });

  it("GIVEN prod's RTO forecast THEN the report shows predicted against measured per restore and for the run", async () => {
    // The stack names its database by role; AWS calls it production-db: the only RDS resource of the forecast.
    const rtoForecast = forecastRto({ resources: [{ kind: "RDS", name: "database", sizeGiB: 20 }] }, 240);
    make({ stack: { upMs: [5 * MIN], outputs: { rtoForecast } } });
    expect(await h.run(["drill", "--yes"]), h.stderr.text).to.equal(0);
    const report = JSON.parse(
      fs.readFileSync(path.join(h.reportDir, `drill-${RUN}.json`), "utf8"),
    ) as RunReport;
    // The run ends at healthy servers: it is compared with the forecast less DNS (36 - 3), DNS shown apart.
    expect(report.forecast?.predictedMinutes).to.equal(33);
    expect(report.forecast?.trafficMinutes).to.equal(3);
    const rds = report.forecast?.restores.find((r) => r.resourceType === "RDS");
    const job = report.jobs.find((j) => j.resourceType === "RDS");
    // No inventory entry claims it (the stack exports none): its kind stands in, and the report says so.
    expect(rds).to.deep.equal({
      resourceType: "RDS",
      resourceName: "production-db",
      matchedBy: "kind",
      predictedMinutes: 15,
      measuredMinutes: Math.round(((job?.durationSeconds ?? NaN) / 60) * 10) / 10,
    });
    // Kinds the forecast does not declare have no prediction.
    expect(report.forecast?.restores.find((r) => r.resourceType === "DynamoDB")).not.to.have.property(
      "predictedMinutes",
    );
    const markdown = fs.readFileSync(path.join(h.reportDir, `drill-${RUN}.md`), "utf8");
    expect(markdown).to.contain("## Forecast against measured");
    expect(markdown).to.match(
      /\| RDS \| production-db \| 15 min \| [0-9.]+ min \| its kind: no inventory entry claims it, the forecast's only RDS \|/,
    );
    expect(markdown).to.contain("| **Whole run** | start to healthy | 33 min | - |");
    expect(markdown).to.contain(
      "| After the run | operator's switch and DNS | 3 min | not measured: the run does not move DNS |",
    );
  });

  it("GIVEN two tables of different sizes in the inventory THEN each restore is compared with its own entry's forecast", async () => {
    const orders = simPoint("DynamoDB", "Orders", NOW, 40 * MIN, { restoreMs: 18 * MIN });
    const ledger = simPoint("DynamoDB", "Ledger", NOW, 40 * MIN, { restoreMs: 100 * MIN });
    const shared = simPoint("EFS", "fs-0shared", NOW, 45 * MIN, { restoreMs: 25 * MIN });
    const production = simPoint("RDS", "production-db", NOW, 50 * MIN, { restoreMs: 35 * MIN });
    const volume = simPoint("EBS", "vol-0data", NOW, 30 * MIN, { restoreMs: 8 * MIN });
    // Listed in the forecast in the order opposite to AWS's names, so a match by kind or order would swap them.
    const rtoForecast = forecastRto(
      {
        resources: [
          { kind: "DynamoDB", name: "ledger", sizeGiB: 100 },
          { kind: "DynamoDB", name: "orders", sizeGiB: 10 },
          { kind: "RDS", name: "database", sizeGiB: 20 },
          { kind: "EBS", name: "vol-0data", sizeGiB: 8 },
        ],
      },
      240,
    );
    const entry = (name: string, kind: string, point: SimPoint, sourceId: string) => ({
      name,
      kind,
      sourceArn: point.resourceArn,
      sourceId,
    });
    make({
      points: [orders, ledger, shared, production, volume],
      stack: {
        upMs: [5 * MIN],
        outputs: {
          rtoForecast,
          dataInventory: [
            entry("orders", "dynamodb", orders, "Orders"),
            entry("ledger", "dynamodb", ledger, "Ledger"),
            entry("shared", "efs", shared, "fs-0shared"),
          ],
        },
      },
    });
    expect(await h.run(["drill", "--yes"]), h.stderr.text).to.equal(0);
    const report = JSON.parse(
      fs.readFileSync(path.join(h.reportDir, `drill-${RUN}.json`), "utf8"),
    ) as RunReport;
    const byName = Object.fromEntries(
      (report.forecast?.restores ?? []).map((r) => [
        r.resourceName,
        [r.entryName, r.matchedBy, r.predictedMinutes, r.measuredMinutes],
      ]),
    );
    // 5 (setup) + 10 GiB and 100 GiB at 1 GiB/min.
    expect(byName).to.deep.equal({
      Orders: ["orders", "entry", 15, 18],
      Ledger: ["ledger", "entry", 105, 100],
      "fs-0shared": ["shared", undefined, undefined, 25],
      "production-db": [undefined, "kind", 15, 35],
      "vol-0data": [undefined, "name", 5, 8],
    });
    const markdown = fs.readFileSync(path.join(h.reportDir, `drill-${RUN}.md`), "utf8");
    const lines = markdown.split("\n");
    expect(lines).to.include.members([
      "| DynamoDB | Orders | 15 min | 18 min | inventory entry 'orders' |",
      "| DynamoDB | Ledger | 105 min | 100 min | inventory entry 'ledger' |",
      "| EFS | fs-0shared | - | 25 min | inventory entry 'shared': not in the forecast |",
      "| RDS | production-db | 15 min | 35 min | its kind: no inventory entry claims it, the forecast's only RDS |",
      "| EBS | vol-0data | 5 min | 8 min | its name: no inventory entry claims it |",
    ]);
  });

  it("--keep keeps what was restored; 'drill --cleanup' deletes it later", async () => {
    make();
    expect(await h.run(["drill", "--yes", "--keep"])).to.equal(0);
    expect(h.rds.commandCalls(DeleteDBInstanceCommand)).to.have.length(0);
    expect(h.stdout.text).to.contain("resources kept (--keep): delete them with 'dr drill --cleanup'");

    expect(await h.run(["drill", "--yes", "--cleanup"])).to.equal(0);
    expect(h.rds.commandCalls(DeleteDBInstanceCommand)).to.have.length(1);
    expect(h.dynamodb.commandCalls(DeleteTableCommand)).to.have.length(1);
    expect(h.sim.startCalls).to.have.length(7);
  });

  it("--flip flips the dr stack, checks health, and puts its config back before deleting", async () => {
    make({
      stack: {
        upMs: [5 * MIN],
        config: { "dr-app:mode": "standby", "dr-app:restoredBucketName": "old-bucket" },
      },
    });
    expect(await h.run(["drill", "--yes", "--flip", "--only", "DynamoDB", "--only", "RDS"])).to.equal(0);

    expect(h.stack.ops()).to.deep.equal([
      "outputs",
      "getConfig",
      "setConfig",
      "removeConfig",
      "up",
      "setConfig",
      "removeConfig",
      "up",
      "setConfig",
      "removeConfig",
      "up",
    ]);
    expect(h.stack.calls[8].args).to.deep.equal({
      "dr-app:mode": "standby",
      "dr-app:restoredBucketName": "old-bucket",
    });
    // The flip sets the mode and the identifiers, nothing that moves DNS: that is the operator's switch.
    // The old single-valued keys go at once (old-bucket is not used while the drill restores), and
    // restoredData names the drill's copies once they exist; the revert puts the old value back.
    expect(h.stack.calls[2].args).to.deep.equal({ "dr-app:mode": "active" });
    expect(h.stack.calls[3].args).to.include("dr-app:restoredBucketName");
    const data = JSON.parse((h.stack.calls[5].args as Record<string, string>)["dr-app:restoredData"]);
    expect(Object.keys(data)).to.deep.equal(["db", "table", "bucket"]);
    expect(data["table"]).to.deep.include({ kind: "dynamodb", id: "drill-20260412t090000a7-Orders" });
    expect(h.stack.calls[9].args).to.deep.equal(["dr-app:restoredData"]);
    expect(h.stack.config).to.deep.equal({
      "dr-app:mode": "standby",
      "dr-app:restoredBucketName": "old-bucket",
    });
    expect(h.healthCalls.length).to.be.greaterThan(0);
    // The stack no longer points at the drill's resources when they are deleted.
    const journal = h.journal("drill");
    const revert = journal.flips.find((f) => f.phase === "revert");
    expect(revert?.ok).to.equal(true);
    const deletions = Object.values(journal.jobs).map((j) => Date.parse(j.deletion?.at ?? ""));
    expect(Math.min(...deletions)).to.be.at.least(Date.parse(revert?.endedAt ?? ""));
    expect(h.rds.commandCalls(DeleteDBInstanceCommand)).to.have.length(1);
  });

  it("GIVEN an active dr stack THEN --flip is refused before anything starts; without --flip the drill runs", async () => {
    make({
      stack: {
        config: { "dr-app:mode": "active", "dr-app:restoredTableName": "dr-20260411t020000a1-Orders" },
      },
    });
    expect(await h.run(["drill", "--yes", "--flip"])).to.equal(2);
    expect(h.stderr.text).to.equal(
      "error: dr stack 'dr' is active: 'drill --flip' would point the application it serves at the drill's copies " +
        "and then put the stack back to standby. Run 'dr drill' without --flip, or drill once the dr stack is back in standby\n",
    );
    expect(h.stack.ops()).to.deep.equal(["outputs"]);
    expect(h.sim.startCalls).to.have.length(0);
    expect(await h.run(["drill", "--yes", "--only", "DynamoDB"])).to.equal(0);
    expect(h.stack.ops()).to.deep.equal(["outputs", "outputs"]);
    expect(h.stack.config["dr-app:restoredTableName"]).to.equal("dr-20260411t020000a1-Orders");
  });

  it("a resource that did not come up makes the drill partial (exit 1), and is still deleted", async () => {
    make({}, { tableStatus: "CREATING" });
    expect(await h.run(["drill", "--yes"])).to.equal(1);
    expect(h.stderr.text).to.contain(`DynamoDB Orders: did not come up: table ${PREFIX}Orders is CREATING`);
    expect(h.dynamodb.commandCalls(DeleteTableCommand)).to.have.length(1);
  });

  it("a failed deletion is reported (exit 1); '--cleanup' retries only what is left", async () => {
    make({}, { failDelete: "DeleteVolume" });
    expect(await h.run(["drill", "--yes"])).to.equal(1);
    expect(h.stderr.text).to.contain("cleanup: EBS vol-");
    expect(h.stderr.text).to.contain("VolumeInUse: Volume is in use");

    expect(await h.run(["drill", "--yes", "--cleanup"])).to.equal(0);
    expect(h.ec2.commandCalls(DeleteVolumeCommand)).to.have.length(2);
    expect(h.rds.commandCalls(DeleteDBInstanceCommand)).to.have.length(1);
    expect(h.ec2.commandCalls(TerminateInstancesCommand)).to.have.length(1);
  });

  it("--cleanup without a previous drill is an error", async () => {
    make();
    expect(await h.run(["drill", "--yes", "--cleanup"])).to.equal(2);
    expect(h.stderr.text).to.match(/^error: --cleanup: no previous drill run in .*drill\.json\n$/);
  });

  it("--cleanup of a drill that has not finished is refused: re-running the drill resumes and cleans up", async () => {
    make();
    const controller = new AbortController();
    void h.clock.sleep(10 * MIN).then(() => controller.abort());
    expect(await h.run(["drill", "--yes"], controller.signal)).to.equal(130);
    const runId = h.journal("drill").runId;
    h.stderr.text = "";
    expect(await h.run(["drill", "--yes", "--cleanup"])).to.equal(2);
    expect(h.stderr.text).to.equal(
      `error: --cleanup: drill run ${runId} has not finished: run 'dr drill' again to resume it (it cleans up at the end)\n`,
    );
  });

  it("--dry-run shows the drill names and starts nothing", async () => {
    make();
    expect(await h.run(["drill", "--dry-run", "--only", "rds"])).to.equal(0);
    expect(h.stdout.text).to.contain(`DBInstanceIdentifier: ${PREFIX}production-db`);
    expect(h.sim.startCalls).to.have.length(0);
  });

  it("resumes after an interruption and still cleans up", async () => {
    make();
    const controller = new AbortController();
    void h.clock.sleep(10 * MIN).then(() => controller.abort());
    expect(await h.run(["drill", "--yes"], controller.signal)).to.equal(130);
    expect(h.rds.commandCalls(DeleteDBInstanceCommand)).to.have.length(0);

    expect(await h.run(["drill", "--yes"])).to.equal(0);
    expect(h.sim.startCalls).to.have.length(7);
    expect(h.rds.commandCalls(DeleteDBInstanceCommand)).to.have.length(1);
  });
});

describe("dr drill: the state of the last drill, from its journal in order (review 6, 7)", () => {
  let h: Harness;
  const make = (options: Partial<HarnessOptions> = {}, resources: ResourceMockOptions = {}) => {
    h = new Harness({ points: vault(), stack: { upMs: [5 * MIN] }, primaryUp: true, ...options });
    mockResources(h, resources);
    return h;
  };
  afterEach(() => h?.dispose());
  const STANDBY = { "dr-app:mode": "standby", "dr-app:restoredBucketName": "old-bucket" };
  const failingOrders = () =>
    vault().map((p) =>
      p.resourceType === "DynamoDB"
        ? {
            ...p,
            outcome: "FAILED" as const,
            failureMessage: "Internal failure",
            failsUntil: "retry" as const,
          }
        : p,
    );

  it("--retry-failed on a drill whose clean-up put the stack back and deleted its copies is refused: start a new drill", async () => {
    make({ points: failingOrders(), stack: { upMs: [5 * MIN], config: { ...STANDBY } } });
    expect(await h.run(["drill", "--yes", "--flip", "--only", "DynamoDB", "--only", "RDS"])).to.equal(1);
    expect(h.rds.commandCalls(DeleteDBInstanceCommand)).to.have.length(1);
    const starts = h.sim.startCalls.length;
    const ops = h.stack.ops().length;
    h.stderr.text = "";

    expect(await h.run(["drill", "--yes", "--flip", "--retry-failed"])).to.equal(2);
    expect(h.stderr.text).to.equal(
      `error: --retry-failed: drill run ${RUN} was cleaned up (the dr stack put back, 1 copy deleted): ` +
        "its restores cannot be retried beside copies that are gone; start a new drill with 'dr drill'\n",
    );
    expect(h.sim.startCalls).to.have.length(starts);
    // Refused before the dr stack is opened.
    expect(h.stack.ops()).to.have.length(ops);
    expect(h.stack.config).to.deep.equal(STANDBY);
  });

  it("a flip phase run again after the clean-up reverted it flips again, and the clean-up reverts again: no drill key is left", async () => {
    const controller = new AbortController();
    make({
      stack: {
        upMs: [5 * MIN],
        config: { ...STANDBY },
        // The data update fails; Ctrl-C lands while the clean-up's revert runs, before the report is out.
        failUp: 2,
        onUp: (stack) => {
          if (stack.ops().filter((op) => op === "up").length === 3) {
            controller.abort();
          }
        },
      },
    });
    expect(
      await h.run(["drill", "--yes", "--flip", "--only", "DynamoDB", "--only", "RDS"], controller.signal),
    ).to.equal(130);
    const first = h.journal("drill");
    expect(first.state).to.equal("running");
    expect(first.flips.map((f) => [f.phase, f.ok])).to.deep.equal([
      ["infrastructure", true],
      ["data", false],
      ["revert", true],
    ]);
    h.stdout.text = "";

    await h.run(["drill", "--yes", "--flip"]);
    expect(h.stdout.text).not.to.contain("update already applied");
    expect(h.journal("drill").flips.map((f) => [f.phase, f.ok])).to.deep.equal([
      ["infrastructure", true],
      ["data", false],
      ["revert", true],
      ["infrastructure", true],
      ["data", true],
      ["revert", true],
    ]);
    expect(h.stack.config).to.deep.equal(STANDBY);
    expect(h.sim.startCalls).to.have.length(2);
  });

  for (const [name, first, resources] of [
    ["--keep", ["--keep"], {}],
    ["a failed deletion", [], { failDelete: "DeleteVolume" }],
  ] as const) {
    it(`a new drill after ${name} is refused while the last drill's copies are undeleted; 'drill --cleanup' deletes them, then a new drill runs`, async () => {
      make({}, resources);
      await h.run(["drill", "--yes", ...first]);
      const left = Object.values(h.journal("drill").jobs).filter((j) => !j.deletion?.ok);
      const starts = h.sim.startCalls.length;
      h.stderr.text = "";

      for (const args of [[], ["--new-run"]]) {
        expect(await h.run(["drill", "--yes", ...args])).to.equal(2);
        expect(h.stderr.lines()).to.have.length(1);
        expect(h.stderr.text).to.match(
          new RegExp(
            `^error: drill run ${RUN} still has ${left.length} cop(y|ies) undeleted \\(.*\\): delete them with 'dr drill --cleanup' before a new drill\n$`,
          ),
        );
        for (const record of left) {
          expect(h.stderr.text).to.contain(record.resourceId as string);
        }
        h.stderr.text = "";
      }
      expect(h.sim.startCalls).to.have.length(starts);

      expect(await h.run(["drill", "--yes", "--cleanup"])).to.equal(0);
      expect(h.journal("drill").runId).to.equal(RUN);
      expect(Object.values(h.journal("drill").jobs).every((j) => j.deletion?.ok)).to.equal(true);
      h.clock.advance(MIN);
      // It runs (not refused): by now the harness's points are past its 60-minute RPO, which the verdict says.
      expect(await h.run(["drill", "--yes", "--only", "DynamoDB"]), h.stderr.text).to.equal(1);
      expect(h.stdout.text.trimEnd().split("\n").pop()).to.match(
        /: RPO OBJECTIVE MISSED; RPO MISSED: \d+ min, target 60 min;/,
      );
      expect(h.journal("drill").runId).not.to.equal(RUN);
    });
  }

  it("--new-run over a drill that has not finished is refused while its restores may hold copies", async () => {
    make();
    const controller = new AbortController();
    void h.clock.sleep(20 * MIN).then(() => controller.abort());
    expect(await h.run(["drill", "--yes"], controller.signal)).to.equal(130);
    const starts = h.sim.startCalls.length;
    h.stderr.text = "";
    expect(await h.run(["drill", "--yes", "--new-run"])).to.equal(2);
    expect(h.stderr.text).to.equal(
      `error: --new-run: drill run ${RUN} has not finished and its 7 restore(s) make copies: run 'dr drill' to resume it (it deletes them at the end), then start a new drill\n`,
    );
    expect(h.sim.startCalls).to.have.length(starts);
  });

  it("a drill that could not follow a job to the end says to re-run it to resume waiting", async () => {
    make();
    h.sim.beforeCall.push((command) => {
      if (command === "ListRestoreJobs" || command === "DescribeRestoreJob") {
        throw awsError("AccessDeniedException", "not authorized to perform: backup:ListRestoreJobs", 400);
      }
    });
    // No job followed to the end, none completed: the drill failed (exit 3), and stays open for a re-run.
    expect(await h.run(["drill", "--yes", "--only", "DynamoDB"])).to.equal(3);
    expect(h.stdout.text).to.contain(
      "note: 1 restore job(s) could not be followed to the end: re-run 'dr drill' to resume waiting",
    );
    expect(h.journal("drill").state).to.equal("running");
  });
});

describe("deleteRestored", () => {
  let h: Harness;
  afterEach(() => h?.dispose());

  it("refuses to delete a named resource without the drill's prefix, and calls nothing", async () => {
    h = new Harness({ points: [] });
    mockResources(h);
    const clients = createAwsClients({ region: "us-west-2" });
    for (const [type, id] of [
      ["RDS", "production-db"],
      ["Aurora", "analytics"],
      ["DynamoDB", "Orders"],
      ["S3", "app-data"],
    ] as const) {
      const result = await deleteRestored(clients, type, id, PREFIX);
      expect(result).to.deep.equal({
        ok: false,
        detail: `refused to delete ${type} ${id}: its name does not start with ${PREFIX}`,
      });
    }
    expect(h.rds.calls()).to.have.length(0);
    expect(h.dynamodb.calls()).to.have.length(0);
    expect(h.s3.calls()).to.have.length(0);
  });

  it("counts a resource that is already gone as deleted", async () => {
    h = new Harness({ points: [] });
    h.dynamodb
      .on(DeleteTableCommand)
      .rejects(awsError("ResourceNotFoundException", "Requested resource not found", 400));
    const result = await deleteRestored(
      createAwsClients({ region: "us-west-2" }),
      "DynamoDB",
      `${PREFIX}Orders`,
      PREFIX,
    );
    expect(result).to.deep.equal({ ok: true, detail: `DynamoDB ${PREFIX}Orders already gone` });
  });
});
