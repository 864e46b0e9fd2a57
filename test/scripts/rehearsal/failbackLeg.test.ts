import { spawn } from "child_process";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FailbackReport } from "../../../scripts/recovery/failback/report";
import { RunReport } from "../../../scripts/recovery/core/report";
import { tallyWrites } from "../../../scripts/rehearsal/abandonedWrites";
import { CycleReport, buildCycleReport } from "../../../scripts/rehearsal/cycleReport";
import { RehearsalEstate } from "../../../scripts/rehearsal/estate";
import { parseDaysInDr } from "../../../scripts/rehearsal/failbackLeg";
import { REHEARSAL_BANNER, checkPassthrough, runRehearsal } from "../../../scripts/rehearsal/rehearse";
import { ScaledClock } from "../../../scripts/rehearsal/scaledClock";
import { startFakeAws } from "../../../scripts/simulation/fakeAwsServer";
import { resourceArn } from "../../../scripts/simulation/resourceStore";
import { simPoint } from "../../../scripts/simulation/recoveryPoints";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const DR = path.join(ROOT, "scripts/bin/restorekit-dr.js");

const message = async (fn: () => unknown) => {
  try {
    await fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected an error");
};

/** The environment of a shell with nothing AWS or Pulumi in it (the rehearsal refuses some variables). */
function cleanEnv(): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && !k.startsWith("PULUMI_")),
  );
  return { ...base, NODE_NO_WARNINGS: "1" };
}

function rehearse(
  dir: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        DR,
        "--report-dir",
        path.join(dir, "reports"),
        "rehearse",
        "failback",
        "--speed",
        "1000",
        "--rehearsal-dir",
        path.join(dir, "state"),
        ...args,
      ],
      { cwd: ROOT, env: cleanEnv() },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The one JSON report of each kind the rehearsal wrote, each marked as a rehearsal. */
function reports(dir: string) {
  const files = fs.readdirSync(path.join(dir, "reports")).filter((f) => f.endsWith(".json"));
  const one = <T>(kind: string): T => {
    const mine = files.filter((f) => f.startsWith(`rehearsal-${kind}-`));
    expect(mine, kind).to.have.length(1);
    expect(fs.existsSync(path.join(dir, "reports", mine[0].replace(/\.json$/, ".md")))).to.equal(true);
    return JSON.parse(fs.readFileSync(path.join(dir, "reports", mine[0]), "utf8")) as T;
  };
  return {
    count: files.length,
    recover: () => one<RunReport>("recover"),
    failback: () => one<FailbackReport>("failback"),
    cycle: () => one<CycleReport>("cycle"),
  };
}

describe("dr rehearse failback: the whole cycle on one simulation, in a child process", function () {
  // Each child evaluates the prod and dr programs several times and runs ~4 simulated hours at 1000x.
  this.timeout(180_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-rehearse-failback-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("recovers, writes in DR for days, fails back: freeze window, no write lost, the newest data in prod", async () => {
    const result = await rehearse(dir, ["--days-in-dr", "1"]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout.split("\n")[0]).to.equal(REHEARSAL_BANNER);
    expect(result.stdout).to.include("\n$ dr recover --yes\n");
    expect(result.stdout).to.include("\n$ dr failback --yes --prod-stack prod\n");
    expect(result.stdout).to.match(/the primary region us-east-1 answers again/);
    // The DR servers log in to the restored database with the dr stack's secret, in the DR region.
    expect(result.stderr).to.not.include("credential could not be set");
    expect(result.stdout).to.match(
      /accepts the credential the servers read from arn:aws:secretsmanager:us-west-2:\d+:secret:dr-app-dr-app-db-credential-/,
    );
    // Prod's servers held at zero for the freeze, then all on the failed-back data before users follow the name.
    expect(result.stdout).to.include("freeze: ok (prod held at zero, no dr server in service");
    expect(result.stdout).to.include(
      "health: every server of prod-app-asg in service runs launch template version 2 (",
    );
    expect(result.stdout).to.match(/traffic: ok \(.*app\.rehearsal\.example resolves to 127\.0\.0\.1:\d+\)/);
    const written = reports(dir);
    expect(written.count).to.equal(3);
    const recovery = written.recover();
    const failback = written.failback();
    const cycle = written.cycle();
    expect(failback.outcome).to.equal("success");
    expect(failback.phases.map((p) => `${p.phase} ${p.outcome}`)).to.include.members([
      "freeze ok",
      "final-copy ok",
      "prod-data ok",
      "traffic ok",
      "standby ok",
    ]);

    expect(cycle.outcome).to.equal("success");
    expect(cycle.rehearsal).to.deep.equal({
      scenario: "all-fine",
      speed: 1000,
      compute: "Auto Scaling group dr-app-asg",
    });
    expect(cycle.daysInDr).to.equal(1);
    // The recovery's achieved RTO and RPO, as its own report measured them.
    expect(cycle.recovery.rto).to.deep.equal(recovery.rto);
    expect(cycle.recovery.rpo).to.deep.equal(recovery.rpo);
    expect(cycle.recovery.rto.measuredSeconds).to.be.greaterThan(0);
    expect(cycle.recovery.rpo.achievedMinutes).to.be.greaterThan(0);
    // The freeze window: it starts with the scale-down, the servers are gone later, it ends with traffic back.
    const freeze = cycle.freeze;
    expect(freeze?.durationSeconds).to.be.greaterThan(0);
    const [start, confirmed, end] = [freeze?.startedAt, freeze?.confirmedAt, freeze?.endedAt].map((t) =>
      Date.parse(t ?? ""),
    );
    expect(start).to.be.lessThan(confirmed);
    expect(confirmed).to.be.lessThan(end);
    expect(end).to.equal(Date.parse(failback.traffic?.at ?? ""));
    expect(cycle.switchState).to.equal("OK");
    // A day of writes every 15 minutes to the database, table, volume and bucket restored in DR.
    const writes = cycle.writes;
    expect(writes?.writtenInDr).to.be.greaterThan(4 * 96);
    expect(writes?.lost).to.equal(0);
    for (const r of writes?.resources.filter((x) => x.side === "dr" && x.resourceType !== "S3") ?? []) {
      expect(r.written, r.logicalName).to.be.greaterThan(96);
      // The final backup took every write, and prod's restore holds exactly that.
      expect(r.capturedByFinalBackup, r.logicalName).to.equal(r.written);
      expect(r.inPrimaryRestore, r.logicalName).to.equal(r.written);
    }
    expect(
      writes?.resources.filter((r) => r.side === "prod").map((r) => `${r.resourceType} ${r.lost}`),
    ).to.have.members(["RDS 0", "DynamoDB 0", "EBS 0"]);
    const markdown = fs.readFileSync(path.join(dir, "reports", `rehearsal-cycle-${cycle.runId}.md`), "utf8");
    expect(markdown.split("\n")[0]).to.equal(`# DR cycle rehearsal ${failback.runId}: success`);
    expect(markdown).to.include(`- Write freeze: ${freeze?.startedAt} to ${freeze?.endedAt} (`);
    expect(markdown).to.match(/- Writes lost: 0 of \d+ written in DR, and to prod's abandoned data/);
    expect(result.stdout).to.match(/rehearsal of the cycle \(recover, 1 day\(s\) in DR, failback\): SUCCESS/);
    // The last line: the cycle's verdict, with the recovery's objectives and the writes lost.
    expect(result.stdout.trimEnd().split("\n").pop()).to.match(
      /^rehearsal of the cycle \(recover, 1 day\(s\) in DR, failback\): SUCCESS; RPO met: [\d.]+ min, target 1800 min; RTO met: 3\dm \d\ds, target 480 min; writes lost met: 0, target 0; exit 0$/,
    );
  });

  it("failback-backup-fails: the failback stops at its pre-copy before the freeze, exits non-zero, never success", async () => {
    const result = await rehearse(dir, ["--scenario", "failback-backup-fails", "--days-in-dr", "0.5"]);
    expect(result.code).to.equal(3);
    const cycle = reports(dir).cycle();
    expect(cycle.outcome).to.equal("failed");
    expect(cycle.recovery.outcome).to.equal("success");
    expect(cycle.failback).to.include({ outcome: "failed", exitCode: 3, stoppedAt: "pre-copy" });
    expect(cycle.freeze).to.equal(undefined);
    expect(cycle.switchState).to.equal("ALARM");
    expect(cycle.writes).to.equal(undefined);
    expect(cycle.writesNotCounted).to.equal(
      "the failback stopped before prod took the restored data (at pre-copy): nothing was abandoned, every write is still in DR",
    );
    expect(result.stderr).to.include(
      "FAILED: Insufficient privileges to perform this action: the backup role cannot use the KMS key of the restored database",
    );
    expect(result.stdout).to.match(
      /rehearsal of the cycle \(recover, 0\.5 day\(s\) in DR, failback\): FAILED/,
    );
    expect(result.stdout.trimEnd().split("\n").pop()).to.match(
      /^rehearsal of the cycle \(recover, 0\.5 day\(s\) in DR, failback\): FAILED; .*; writes lost NOT MET \(failed run\): -, target 0; exit 3$/,
    );
  });
});

describe("dr rehearse failback: what the trainee may pass, checked before anything starts", () => {
  const options = {
    command: "recover" as const,
    scenario: "all-fine",
    speed: 100,
    passthrough: [],
    workDir: ROOT,
    rehearsalDir: "/nonexistent/rehearsal",
    realStateDir: "/nonexistent/.dr",
    reportDir: "/nonexistent/reports",
    stack: "dr",
  };
  const deps = {
    stdout: { write: () => true },
    stderr: { write: () => true },
    env: {},
    fetch: async () => ({ status: 200 }),
    cwd: ROOT,
    runCli: async () => 0,
  };

  it("takes the failback's own safe flags, and refuses the others naming the allowed ones", async () => {
    expect(() =>
      checkPassthrough("failback", [
        "--skip-pre-copy",
        "--freeze-timeout",
        "900",
        "--poll-max=20",
        "--dry-run",
      ]),
    ).to.not.throw();
    const allowed =
      "(allowed after --: --dry-run, --skip-pre-copy, --health-timeout, --freeze-timeout, --poll-initial, --poll-max)";
    for (const flag of [
      "--drill",
      "--keep",
      "--prod-stack",
      "--recovery-journal",
      "--health-url",
      "--iam-role-arn",
    ]) {
      expect(await message(() => checkPassthrough("failback", [flag, "x"]))).to.equal(
        `'${flag}' cannot be passed to the rehearsed 'failback' ${allowed}`,
      );
    }
  });

  it("checks a seconds flag's value with the failback's own message", async () => {
    expect(await message(() => checkPassthrough("failback", ["--freeze-timeout", "0"]))).to.equal(
      "--freeze-timeout '0' must be a positive number of seconds",
    );
    expect(await message(() => checkPassthrough("failback", ["--health-timeout=soon"]))).to.equal(
      "--health-timeout 'soon' must be a positive number of seconds",
    );
    expect(await message(() => checkPassthrough("failback", ["--poll-max"]))).to.equal(
      "'--poll-max' needs a number of seconds after it",
    );
    expect(await message(() => checkPassthrough("failback", ["--poll-initial", "--dry-run"]))).to.equal(
      "'--poll-initial' needs a number of seconds after it",
    );
  });

  it("takes --days-in-dr above 0 up to 30", async () => {
    expect(parseDaysInDr("2.5")).to.equal(2.5);
    expect(await message(() => parseDaysInDr("0"))).to.equal("--days-in-dr '0' must be a positive number");
    expect(await message(() => parseDaysInDr("a week"))).to.equal(
      "--days-in-dr 'a week' must be a positive number",
    );
    expect(await message(() => parseDaysInDr("31"))).to.equal("--days-in-dr '31' must be at most 30");
  });

  it("refuses --days-in-dr and a failback scenario with another command", async () => {
    const signal = new AbortController().signal;
    expect(await message(() => runRehearsal({ ...options, daysInDr: 3 }, deps, signal))).to.equal(
      "--days-in-dr applies to 'dr rehearse failback' (the days the application serves from DR before the failback), not to 'recover'",
    );
    expect(
      await message(() =>
        runRehearsal({ ...options, command: "drill", scenario: "failback-backup-fails" }, deps, signal),
      ),
    ).to.equal(
      "scenario 'failback-backup-fails' scripts the failback (failbackBackups): run it with 'dr rehearse failback'",
    );
  });
});

describe("dr rehearse failback: counting the writes lost with the simulation's counters", () => {
  const PRIMARY = "us-east-1";
  const DR_REGION = "us-west-2";
  const estate: RehearsalEstate = {
    primaryStack: "prod",
    primaryRegion: PRIMARY,
    drRegion: DR_REGION,
    primaryVaultName: "primary-vault",
    drVaultName: "dr-vault",
    backupRoleArn: "arn:aws:iam::111122223333:role/backup",
    copyRules: [],
    replicaBuckets: {},
    resources: [
      {
        logicalName: "app-db",
        pulumiType: "aws:rds/instance:Instance",
        resourceType: "RDS",
        name: "app-db-1",
        resourceArn: resourceArn("RDS", PRIMARY, "app-db-1"),
        restoreMinutes: 25,
        restoreMetadata: {},
      },
      {
        logicalName: "app-bucket",
        pulumiType: "aws:s3/bucket:Bucket",
        resourceType: "S3",
        name: "app-bucket-1",
        resourceArn: resourceArn("S3", PRIMARY, "app-bucket-1"),
        restoreMinutes: 30,
        restoreMetadata: {},
      },
    ],
  };

  it("counts writes after the final backup, objects not copied back, and writes to prod's abandoned data", async () => {
    const drDb = resourceArn("RDS", DR_REGION, "dr-app-db");
    const fake = await startFakeAws({
      points: [
        // The final backup of the DR database captured 5 writes; an older one 2.
        simPoint("RDS", "x", 1_000_000, 0, { resourceArn: drDb, state: { writes: 5 } }),
        simPoint("RDS", "x", 1_000_000, 60_000, { resourceArn: drDb, state: { writes: 2 } }),
      ],
      clock: { now: () => 1_000_000 },
      resources: [
        { type: "RDS", id: "dr-app-db", region: DR_REGION, state: { writes: 8 } },
        { type: "S3", id: "dr-app-bucket", region: DR_REGION },
        { type: "RDS", id: "app-db-1", region: PRIMARY },
        { type: "S3", id: "app-bucket-1", region: PRIMARY },
      ],
    });
    try {
      fake.write(estate.resources[0].resourceArn, 2);
      for (const key of ["a", "b", "c"]) {
        fake.putObject("dr-app-bucket", key, `{"${key}":1}`);
      }
      fake.putObject("app-bucket-1", "a", '{"a":1}');
      fake.putObject("app-bucket-1", "b", "another body");
      const origins = new Map([
        [drDb, estate.resources[0]],
        ["arn:aws:s3:::dr-app-bucket", estate.resources[1]],
      ]);
      const tally = tallyWrites(fake, estate, origins);
      expect(
        tally.resources.map(
          (r) => `${r.side} ${r.resourceType} ${r.written} ${r.capturedByFinalBackup ?? "-"} ${r.lost}`,
        ),
      ).to.deep.equal(["dr RDS 8 5 3", "dr S3 3 - 2", "prod RDS 2 - 2"]);
      expect(tally).to.include({ writtenInDr: 11, lost: 7 });
    } finally {
      await fake.close();
    }
  });

  it("a cycle is success only when both commands exit 0 and nothing is lost; a failed failback never is", () => {
    const recovery = {
      report: { runId: "r1", outcome: "success", rto: {}, rpo: {} } as RunReport,
      exitCode: 0,
    };
    const ok = {
      runId: "f1",
      outcome: "success",
      phases: [{ phase: "prod-data", startedAt: "t", outcome: "ok" }],
    } as unknown as FailbackReport;
    const tally = (lost: number) => ({ writtenInDr: 10, lost, resources: [], basis: [] });
    const cycle = (failback: { report?: FailbackReport; exitCode: number }, lost = 0) =>
      buildCycleReport({
        rehearsal: { scenario: "s", speed: 1 },
        daysInDr: 1,
        recovery,
        failback,
        writes: tally(lost),
      });
    expect(cycle({ report: ok, exitCode: 0 }).outcome).to.equal("success");
    expect(cycle({ report: ok, exitCode: 0 }, 2).outcome).to.equal("writes-lost");
    expect(cycle({ report: { ...ok, outcome: "failed" }, exitCode: 3 }).outcome).to.equal("failed");
    expect(cycle({ report: { ...ok, outcome: "success" }, exitCode: 130 }).outcome).to.equal("failed");
    expect(cycle({ exitCode: 0 }).outcome).to.equal("dry-run");
    expect(cycle({ exitCode: 0 }).writesNotCounted).to.equal(
      "the failback wrote no report (a dry run starts nothing)",
    );
  });
});

describe("dr rehearse: the scaled clock's days in DR", () => {
  it("advance moves simulated time forward at once; real time alone moves it no more (local processing is not simulated time)", () => {
    let real = 1_000;
    const clock = new ScaledClock(100, { now: () => real, sleep: async () => undefined });
    real += 10;
    expect(clock.now()).to.equal(1_000);
    clock.advance(86_400_000);
    expect(clock.now()).to.equal(86_401_000);
    real += 1;
    expect(clock.now()).to.equal(86_401_000);
  });
});
