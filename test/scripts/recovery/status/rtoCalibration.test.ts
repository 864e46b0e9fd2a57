// dr status's RTO section: restore testing's jobs and past drills' restores calibrate prod's forecast.
import { ListRestoreJobsCommand } from "@aws-sdk/client-backup";
import { forecastRto, RtoForecastArgs } from "@restorekit/backup-restore-dr";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { StatusReport } from "../../../../scripts/recovery/status/status";
import { simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { Harness } from "../../../fakes/harness";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;
const PLAN = "arn:aws:backup:us-west-2:111122223333:restore-testing-plan:app_restore_testing-abc";
const OTHER_PLAN = "arn:aws:backup:us-west-2:111122223333:restore-testing-plan:other_restore_testing-def";
// Prod's stack names its resources by the inventory's logical names; the inventory ties them to AWS's ARNs.
const INPUTS: RtoForecastArgs = {
  resources: [
    { kind: "RDS", name: "database", sizeGiB: 20 },
    { kind: "DynamoDB", name: "table", sizeGiB: 1 },
  ],
};

/** Prod's data inventory as the dr stack re-exports it: restore testing's jobs are matched by source ARN. */
const INVENTORY = [
  {
    name: "database",
    kind: "rds",
    sourceArn: simPoint("RDS", "production-db", NOW, 0).resourceArn,
    sourceId: "production-db",
  },
  {
    name: "table",
    kind: "dynamodb",
    sourceArn: simPoint("DynamoDB", "Orders", NOW, 0).resourceArn,
    sourceId: "Orders",
  },
];

/** The primary vault, with a point of each resource. */
const PRIMARY = {
  primary: {
    region: "us-east-1",
    vaultName: "primary-vault",
    points: [simPoint("RDS", "production-db", NOW, 5 * MIN), simPoint("DynamoDB", "Orders", NOW, 5 * MIN)],
  },
};

/** A drill's JSON report with one completed restore, as report.ts writes it. */
function drillReport(dir: string, runId: string, extra: Record<string, unknown> = {}): void {
  fs.mkdirSync(dir, { recursive: true });
  const report = {
    kind: "drill",
    runId,
    stack: "dr",
    startedAt: "2026-04-01T09:00:00.000Z",
    outcome: "success",
    jobs: [{ resourceType: "DynamoDB", resourceName: "Orders", status: "COMPLETED", durationSeconds: 600 }],
    ...extra,
  };
  fs.writeFileSync(path.join(dir, `drill-${runId}.json`), JSON.stringify(report));
}

describe("dr status: the RTO forecast against measured restores", () => {
  let h: Harness;
  afterEach(() => h?.dispose());

  /**
   * Three restore tests of prod's database taking 40 min each; not measurements of it: one restore outside
   * restore testing, one of another plan, one of the plan of a resource prod does not hold.
   */
  async function harness(rtoMinutes: number, outputs: Record<string, unknown> = {}): Promise<Harness> {
    const db = simPoint("RDS", "production-db", NOW, 30 * MIN, { restoreMs: 40 * MIN });
    const stranger = simPoint("RDS", "someone-elses-db", NOW, 30 * MIN, { restoreMs: 400 * MIN });
    h = new Harness({
      points: [db, simPoint("DynamoDB", "Orders", NOW, 30 * MIN), stranger],
      primaryUp: true,
      sim: PRIMARY,
      stack: {
        outputs: {
          rpoMinutes: 10_000,
          rtoMinutes,
          rtoForecast: forecastRto(INPUTS, rtoMinutes),
          restoreTestingPlanArn: PLAN,
          dataInventory: INVENTORY,
          ...outputs,
        },
      },
    });
    for (let i = 0; i < 3; i++) {
      h.sim.model.restores.start("us-west-2", { RecoveryPointArn: db.recoveryPointArn, Metadata: {} }, PLAN);
      h.clock.advance(41 * MIN);
    }
    h.sim.model.restores.start("us-west-2", { RecoveryPointArn: db.recoveryPointArn, Metadata: {} });
    h.sim.model.restores.start(
      "us-west-2",
      { RecoveryPointArn: db.recoveryPointArn, Metadata: {} },
      OTHER_PLAN,
    );
    h.sim.model.restores.start(
      "us-west-2",
      { RecoveryPointArn: stranger.recoveryPointArn, Metadata: {} },
      PLAN,
    );
    h.clock.advance(401 * MIN);
    drillReport(h.reportDir, "20260401t090000a1");
    drillReport(h.reportDir, "20260402t090000b2", { rehearsal: { scenario: "all-fine" } });
    return h;
  }

  it("GIVEN measurements within the RTO THEN it shows forecast, calibrated forecast and measured per resource, exit 0", async () => {
    await harness(240);
    const code = await h.run(["status"]);
    expect(code, h.stderr.text).to.equal(0);
    const out = h.stdout.text;
    expect(out).to.contain(
      "RTO forecast (objective 240 min): model 36 min, calibrated by 4 measured restore(s) 61 min",
    );
    // RDS: 3 restore tests of 40 min against the model's 15; DynamoDB: the drill's 10 min against 6.
    expect(out).to.contain(
      "  40 (RDS \"database\" usable: 40 (calibrated: the model's 15 x 2.67 from 3 own measurement(s))) + 10 (flip) + 5 (servers' boot) + 3 (health checks) + 3 (DNS) = 61 min",
    );
    expect(out).to.match(/RDS\s+database\s+15 min\s+40 min\s+3\s+40m 00s/);
    expect(out).to.match(/DynamoDB\s+table\s+6 min\s+10 min\s+1\s+10m 00s/);
    expect(out).to.contain("status: OK");
    // Only the plan's COMPLETED jobs are asked for; of those, only prod's resources' are measurements.
    const queries = h.backup.commandCalls(ListRestoreJobsCommand).map((c) => c.args[0].input);
    expect(queries.length).to.be.greaterThan(0);
    expect(queries.every((q) => q.ByStatus === "COMPLETED" && q.ByRestoreTestingPlanArn === PLAN)).to.equal(
      true,
    );
  });

  it("GIVEN a restore and the calibrated forecast beyond the RTO THEN both are problems, exit 1", async () => {
    await harness(30);
    expect(await h.run(["status", "--json"])).to.equal(1);
    const report = JSON.parse(h.stdout.text) as StatusReport;
    expect(report.rto?.calibratedMinutes).to.equal(61);
    expect(report.problems).to.deep.equal([
      "RDS database took 40m 00s to restore (restore testing (app_restore_testing-abc)), beyond the RTO (30 min)",
      "RDS database took 40m 00s to restore (restore testing (app_restore_testing-abc)), beyond the RTO (30 min)",
      "RDS database took 40m 00s to restore (restore testing (app_restore_testing-abc)), beyond the RTO (30 min)",
      "calibrated RTO forecast 61 min misses the RTO (30 min): 40 (RDS \"database\" usable: 40 (calibrated: the model's 15 x 2.67 from 3 own measurement(s))) + 10 (flip) + 5 (servers' boot) + 3 (health checks) + 3 (DNS) = 61 min",
    ]);
  });

  it("GIVEN a restore test of a resource prod does not name THEN it is no measurement of a resource of its kind", async () => {
    await harness(240, {
      dataInventory: [INVENTORY[1]],
      rtoForecast: forecastRto({ resources: [{ kind: "RDS", name: "database", sizeGiB: 20 }] }, 240),
    });
    expect(await h.run(["status", "--json"])).to.equal(0);
    const report = JSON.parse(h.stdout.text) as StatusReport;
    expect(report.rto?.measurements.filter((m) => m.source.startsWith("restore testing"))).to.deep.equal([]);
    expect(report.rto?.restores[0].measuredMinutes).to.deep.equal([]);
  });

  it("GIVEN two tables of one kind and different sizes THEN past drills calibrate a measured one by its inventory entry, an unmeasured one by its kind, and status shows which", async () => {
    const orders = simPoint("DynamoDB", "Orders", NOW, 30 * MIN);
    const ledger = simPoint("DynamoDB", "Ledger", NOW, 30 * MIN);
    const inputs: RtoForecastArgs = {
      resources: [
        { kind: "DynamoDB", name: "orders", sizeGiB: 10 },
        { kind: "DynamoDB", name: "ledger", sizeGiB: 400 },
      ],
    };
    h = new Harness({
      points: [orders, ledger],
      primaryUp: true,
      sim: {
        primary: {
          region: "us-east-1",
          vaultName: "primary-vault",
          points: [
            simPoint("DynamoDB", "Orders", NOW, 5 * MIN),
            simPoint("DynamoDB", "Ledger", NOW, 5 * MIN),
          ],
        },
      },
      stack: {
        outputs: {
          rpoMinutes: 10_000,
          rtoMinutes: 600,
          rtoForecast: forecastRto(inputs, 600),
          dataInventory: [
            { name: "orders", kind: "dynamodb", sourceArn: orders.resourceArn, sourceId: "Orders" },
            { name: "ledger", kind: "dynamodb", sourceArn: ledger.resourceArn, sourceId: "Ledger" },
          ],
        },
      },
    });
    const job = (point: typeof orders, minutes: number) => ({
      resourceType: "DynamoDB",
      resourceName: point.resourceArn.split("/").pop(),
      resourceArn: point.resourceArn,
      status: "COMPLETED",
      durationSeconds: minutes * 60,
    });
    // Three drills restored the ledger (215 min against the model's 405), none the orders table; a restore of a
    // table no entry claims is no entry's, and with two tables of its kind in the forecast nothing tells its
    // size: it is left out.
    for (const runId of ["20260401t090000a1", "20260402t090000b2", "20260403t090000c3"]) {
      drillReport(h.reportDir, runId, { jobs: [job(ledger, 215)] });
    }
    drillReport(h.reportDir, "20260404t090000d4", {
      jobs: [{ ...job(orders, 20), resourceName: "Archive", resourceArn: "arn:other" }],
    });
    expect(await h.run(["status", "--json"])).to.equal(0);
    const report = JSON.parse(h.stdout.text) as StatusReport;
    expect(
      report.rto?.restores.map((r) => [r.name, r.basis, r.basisMeasurements, r.measuredMinutes]),
    ).to.deep.equal([
      ["orders", "kind", 3, []],
      ["ledger", "entry", 3, [215, 215, 215]],
    ]);
    expect(await h.run(["status"])).to.equal(0);
    expect(h.stdout.text).to.match(/DynamoDB\s+ledger\s+405 min\s+215 min\s+3\s+3h 35m\s+entry: 3/);
    expect(h.stdout.text).to.match(/DynamoDB\s+orders\s+15 min\s+8 min\s+0\s+-\s+kind: 3 \(own 0\)/);
  });

  it("GIVEN no restore testing plan in the dr stack's outputs THEN no restore job is listed", async () => {
    await harness(240, { restoreTestingPlanArn: undefined });
    expect(await h.run(["status"])).to.equal(0);
    expect(h.backup.commandCalls(ListRestoreJobsCommand)).to.deep.equal([]);
    expect(h.stdout.text).to.contain("calibrated by 1 measured restore(s)");
  });

  it("GIVEN the restore job listing fails THEN status warns and goes on, exit 0 when all else is fine", async () => {
    await harness(240);
    h.backup
      .on(ListRestoreJobsCommand)
      .rejects(Object.assign(new Error("not allowed"), { name: "AccessDeniedException" }));
    expect(await h.run(["status"])).to.equal(0);
    expect(h.stderr.text).to.contain(
      "restore testing's restore jobs not read (AccessDeniedException: not allowed): the RTO is calibrated without them",
    );
    expect(h.stdout.text).to.contain("status: OK");
  });

  it("GIVEN a completed restore test without a SourceResourceArn (optional in the API) THEN status warns how many were left unmeasured", async () => {
    await harness(240);
    const completed = new Date(NOW);
    h.backup.on(ListRestoreJobsCommand).resolves({
      RestoreJobs: [
        {
          RestoreJobId: "job-without-source",
          ResourceType: "RDS",
          Status: "COMPLETED",
          CreationDate: new Date(NOW - 30 * MIN),
          CompletionDate: completed,
        },
      ],
    });
    expect(await h.run(["status"])).to.equal(0);
    expect(h.stderr.text).to.contain(
      "1 completed restore job(s) of restore testing plan app_restore_testing-abc name no SourceResourceArn: not tied to an inventory entry, not measured",
    );
  });

  it("GIVEN a dr stack without a forecast THEN status says nothing of it", async () => {
    h = new Harness({
      points: [simPoint("RDS", "production-db", NOW, 30 * MIN)],
      primaryUp: true,
      sim: PRIMARY,
    });
    expect(await h.run(["status"])).to.equal(0);
    expect(h.stdout.text).not.to.contain("RTO forecast");
    expect(h.backup.commandCalls(ListRestoreJobsCommand)).to.deep.equal([]);
  });
});
