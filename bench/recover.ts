/**
 * Benchmark of `dr recover` against simulated restore jobs (`npm run bench:recover`).
 *
 * 40 resources of mixed types get restore durations like AWS's (minutes to an hour), and the whole
 * CLI runs unmodified (`main()`: preflight, planning, journal, parallel restores, the two-phase
 * dr stack update, health check, report) on a clock that compresses AWS time: every sleep and
 * every duration, the CLI's poll intervals included, is scaled by the same factor. In the same run
 * a seed-style baseline restores the same points one at a time, polling every 30 s, then updates
 * the stack and checks health. Both are reported as wall time / critical path, where the critical
 * path is the longest restore plus what cannot overlap it:
 *   max(longest restore, max(database/volume restore, infrastructure update) + data update + time to healthy)
 *
 * The CLI runs at 1 simulated minute = 100 ms (its forty jobs poll every few real milliseconds; more
 * compression would measure the host's CPU, not the orchestration). The baseline, one job at a
 * time, runs at 5 ms per minute so the whole benchmark takes about a quarter of a minute; its
 * ratio does not depend on the scale.
 *
 * Flags: --minute-ms <n> (CLI, default 100), --baseline-minute-ms <n> (default 5), --seed <n>,
 * --verbose (print the CLI's output).
 */
import { BackupClient, DescribeRestoreJobCommand, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { DescribeDBInstancesCommand, DescribeDBClustersCommand, RDSClient } from "@aws-sdk/client-rds";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { MetadataBearer } from "@smithy/types";
import { AwsStub, mockClient } from "aws-sdk-client-mock";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { createAwsClients, destroyAwsClients } from "../scripts/aws/clients";
import { main } from "../scripts/cli";
import { Clock } from "../scripts/clock";
import { parseDrOutputs } from "../scripts/recovery/core/stackHandle";
import { JournalStore, RunJournal } from "../scripts/recovery/core/journal";
import { Output } from "../scripts/output";
import { buildPlan } from "../scripts/recovery/recover/select/plan";
import { RunReport } from "../scripts/recovery/core/report";
import { runRestoreJobs } from "../scripts/recovery/core/restoreRun";
import { DR_OUTPUTS } from "../scripts/simulation/fixtures";
import { SimPoint, simPoint } from "../scripts/simulation/recoveryPoints";
import { ScaledClock } from "../scripts/rehearsal/scaledClock";
import { testDeps } from "../test/fakes/deps";
import { FakeDrStack } from "../test/fakes/fakeStack";
import { SimulatedBackup } from "../test/fakes/sdkBackup";
import { flag, random } from "./scenarioInputs";

const MIN = 60_000;

const MINUTE_MS = flag("--minute-ms", 100);
const BASELINE_MINUTE_MS = flag("--baseline-minute-ms", 5);
const SEED = flag("--seed", 7);
const VERBOSE = process.argv.includes("--verbose");
const LATENCY_MS = flag("--latency-ms", 40);

/** Restore durations in minutes, by type, as AWS Backup typically takes for modest resources. */
const MIX: Array<{ type: string; count: number; min: number; max: number; name: string }> = [
  { type: "RDS", count: 4, min: 25, max: 45, name: "db" },
  { type: "Aurora", count: 2, min: 30, max: 50, name: "cluster" },
  { type: "EC2", count: 10, min: 8, max: 20, name: "i-0app" },
  { type: "EBS", count: 10, min: 3, max: 12, name: "vol-0data" },
  { type: "DynamoDB", count: 6, min: 10, max: 40, name: "table" },
  { type: "EFS", count: 4, min: 10, max: 30, name: "fs-0share" },
  { type: "S3", count: 4, min: 15, max: 55, name: "bucket" },
];
const INFRA_UP = 8 * MIN;
const DATA_UP = 1.5 * MIN;
const TO_HEALTHY = 1 * MIN;

function scenario(nowMs: number): SimPoint[] {
  const rnd = random(SEED);
  const points: SimPoint[] = [];
  for (const m of MIX) {
    for (let i = 0; i < m.count; i++) {
      const minutes = m.min + rnd() * (m.max - m.min);
      points.push(
        simPoint(m.type, `${m.name}-${i}`, nowMs, (20 + rnd() * 30) * MIN, {
          restoreMs: Math.round(minutes * MIN),
        }),
      );
    }
  }
  return points;
}

/**
 * The dr stack: the infrastructure update and a config-only data update take AWS-like times (`upMs`), and
 * the application serves `TO_HEALTHY` after an update gives it its database endpoint (the load balancer
 * sees it then).
 */
function drStack(clock: Clock, upMs: number[]): { stack: FakeDrStack; healthy: () => boolean } {
  let healthyAt = Number.POSITIVE_INFINITY;
  const stack = new FakeDrStack(clock, {
    upMs,
    onUp: ({ config }) => {
      if (config["dr-app:restoredDbEndpoint"]) {
        healthyAt = Math.min(healthyAt, clock.now() + TO_HEALTHY);
      }
    },
  });
  return { stack, healthy: () => clock.now() >= healthyAt };
}

type Stub = AwsStub<object, MetadataBearer, object>;

function mockAws(
  clock: Clock,
  points: SimPoint[],
  latencyMs = 0,
): { sim: SimulatedBackup; restore: () => void } {
  const backup = mockClient(BackupClient) as unknown as Stub;
  const sts = mockClient(STSClient) as unknown as Stub;
  const rds = mockClient(RDSClient) as unknown as Stub;
  const sim = new SimulatedBackup({ clock, points, pageSize: 100, downRegion: "us-east-1", latencyMs });
  sim.install(backup);
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: "111122223333", Arn: "arn:aws:sts::111122223333:assumed-role/bench/bench" });
  rds.on(DescribeDBInstancesCommand).callsFake(async (input: { DBInstanceIdentifier: string }) => ({
    DBInstances: [
      { Endpoint: { Address: `${input.DBInstanceIdentifier}.bench.rds.amazonaws.com`, Port: 5432 } },
    ],
  }));
  rds.on(DescribeDBClustersCommand).callsFake(async (input: { DBClusterIdentifier: string }) => ({
    DBClusters: [{ Endpoint: `${input.DBClusterIdentifier}.cluster.bench.rds.amazonaws.com`, Port: 5432 }],
  }));
  return { sim, restore: () => [backup, sts, rds].forEach((s) => s.restore()) };
}

const sink = { write: (text: string) => (VERBOSE ? process.stdout.write(text) : true) };

async function runCli(
  clock: Clock,
  points: SimPoint[],
  dir: string,
): Promise<{ wallMs: number; report: RunReport }> {
  const aws = mockAws(clock, points);
  const { stack, healthy } = drStack(clock, [INFRA_UP, DATA_UP]);
  const deps = testDeps({
    stdout: sink,
    stderr: sink,
    clock,
    openStack: async () => stack,
    fetch: async () => ({ status: healthy() ? 200 : 503 }),
    runIdSuffix: () => "b1",
  });
  try {
    const start = clock.now();
    const code = await main(
      [
        "--work-dir",
        dir,
        "--state-dir",
        path.join(dir, ".dr"),
        "--report-dir",
        path.join(dir, "reports"),
        "recover",
        "--yes",
        "--app-resource",
        "db-0",
        "--app-resource",
        "table-0",
        "--app-resource",
        "vol-0data-0",
        "--app-resource",
        "bucket-0",
      ],
      deps,
    );
    const wallMs = clock.now() - start;
    if (code !== 0) {
      throw new Error(`dr recover exited ${code}`);
    }
    const file = fs.readdirSync(path.join(dir, "reports")).find((f) => f.endsWith(".json")) as string;
    return {
      wallMs,
      report: JSON.parse(fs.readFileSync(path.join(dir, "reports", file), "utf8")) as RunReport,
    };
  } finally {
    aws.restore();
  }
}

/** The seed's procedure: one restore at a time, status every 30 s, then the stack, then health. */
async function runSequential(clock: Clock, points: SimPoint[]): Promise<number> {
  const aws = mockAws(clock, points);
  const { stack, healthy } = drStack(clock, [INFRA_UP]);
  const clients = createAwsClients({ region: "us-west-2" });
  try {
    const start = clock.now();
    // Same work as the CLI (the seed itself lists only the first 20 points and would miss half).
    const { plan } = await buildPlan({
      clients,
      vaultName: "dr-vault",
      region: "us-west-2",
      kind: "recover",
      runId: "seq",
      only: [],
      overrides: new Map(),
      iamRoleArn: DR_OUTPUTS.backupRoleArn,
      network: parseDrOutputs(DR_OUTPUTS),
    });
    for (const item of plan) {
      const { RestoreJobId } = await clients.backup.send(
        new StartRestoreJobCommand({
          RecoveryPointArn: item.recoveryPointArn,
          IamRoleArn: item.iamRoleArn,
          Metadata: item.metadata,
        }),
      );
      for (;;) {
        const job = await clients.backup.send(new DescribeRestoreJobCommand({ RestoreJobId }));
        if (job.Status === "COMPLETED" || job.Status === "FAILED") {
          break;
        }
        await clock.sleep(30_000);
      }
    }
    await stack.setConfig({ "dr-app:mode": "active", "dr-app:restoredDbEndpoint": "db-0.bench" });
    await stack.up(() => undefined);
    while (!healthy()) {
      await clock.sleep(30_000);
    }
    return clock.now() - start;
  } finally {
    clients.backup.destroy();
    aws.restore();
  }
}

function criticalPathMs(points: SimPoint[]): { ms: number; longest: SimPoint } {
  const longest = points.reduce((a, b) => ((a.restoreMs ?? 0) >= (b.restoreMs ?? 0) ? a : b));
  const late = points
    .filter((p) => /:db:db-0$|volume\/vol-0data-0$/.test(p.resourceArn))
    .reduce((m, p) => Math.max(m, p.restoreMs ?? 0), 0);
  const ms = Math.max(longest.restoreMs ?? 0, Math.max(late, INFRA_UP) + DATA_UP + TO_HEALTHY);
  return { ms, longest };
}

/** Today's schedule before ListRestoreJobs: one DescribeRestoreJob per job at 2 s, x1.6, up to 15 s. */
function oldSchedule(durationsMs: number[]): { wallMs: number; calls: number } {
  let wallMs = 0;
  let calls = 0;
  for (const duration of durationsMs) {
    let at = 0;
    for (let poll = 0; at < duration; poll++) {
      at += Math.min(15_000, 2_000 * Math.pow(1.6, poll));
      calls++;
    }
    wallMs = Math.max(wallMs, at);
  }
  return { wallMs, calls: calls + durationsMs.length };
}

interface RealTimeResult {
  readonly label: string;
  readonly target: number;
  readonly ratio: number;
  readonly wallMs: number;
  readonly longestMs: number;
  readonly callsPerMinute: number;
  readonly old: { ratio: number; callsPerMinute: number };
}

/**
 * The restore phase alone (start every job, follow each to its end) at real time: no compressed
 * clock, each Backup call taking `LATENCY_MS` like a round trip to the regional endpoint.
 */
async function restorePhaseAtRealTime(
  label: string,
  minMs: number,
  maxMs: number,
  target: number,
  dir: string,
): Promise<RealTimeResult> {
  const clock = new ScaledClock(1);
  const rnd = random(SEED + minMs);
  const types = ["DynamoDB", "EBS", "EC2", "EFS", "S3"];
  const points = Array.from({ length: 40 }, (_, i) =>
    simPoint(types[i % types.length], `rt-${i}`, clock.now(), 30 * MIN, {
      restoreMs: Math.round(minMs + rnd() * (maxMs - minMs)),
    }),
  );
  const aws = mockAws(clock, points, LATENCY_MS);
  const clients = createAwsClients({ region: "us-west-2" });
  try {
    const { plan } = await buildPlan({
      clients,
      vaultName: "dr-vault",
      region: "us-west-2",
      kind: "recover",
      runId: `rt${minMs}`,
      only: [],
      overrides: new Map(),
      iamRoleArn: DR_OUTPUTS.backupRoleArn,
      network: parseDrOutputs(DR_OUTPUTS),
    });
    const journal: RunJournal = {
      version: 1,
      kind: "recover",
      runId: `rt${minMs}`,
      startedAt: new Date(clock.now()).toISOString(),
      state: "running",
      stackName: "dr",
      region: "us-west-2",
      vaultName: "dr-vault",
      plan,
      skipped: [],
      jobs: {},
      flips: [],
      resumedAt: [],
    };
    const before = [...aws.sim.calls.values()].reduce((a, b) => a + b, 0);
    const start = performance.now();
    await runRestoreJobs(journal, {
      clients,
      clock,
      store: new JournalStore(path.join(dir, `rt-${minMs}`), "recover"),
      out: new Output(sink, sink),
    });
    const wallMs = performance.now() - start;
    const calls = [...aws.sim.calls.values()].reduce((a, b) => a + b, 0) - before;
    const durations = points.map((p) => p.restoreMs ?? 0);
    const longestMs = Math.max(...durations);
    const old = oldSchedule(durations);
    return {
      label,
      target,
      ratio: wallMs / longestMs,
      wallMs,
      longestMs,
      callsPerMinute: calls / (wallMs / MIN),
      old: { ratio: old.wallMs / longestMs, callsPerMinute: old.calls / (old.wallMs / MIN) },
    };
  } finally {
    destroyAwsClients(clients);
    aws.restore();
  }
}

async function bench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-bench-"));
  try {
    const cliClock = new ScaledClock(MIN / MINUTE_MS);
    const points = scenario(cliClock.now());
    const cp = criticalPathMs(points);
    const sumMs = points.reduce((s, p) => s + (p.restoreMs ?? 0), 0);
    const minutes = (ms: number) => (ms / MIN).toFixed(1);

    console.log(
      `scenario: ${points.length} restores (${MIX.map((m) => `${m.type} ${m.count}`).join(", ")}), ` +
        `${minutes(Math.min(...points.map((p) => p.restoreMs ?? 0)))}-${minutes(cp.longest.restoreMs ?? 0)} min each, ${minutes(sumMs)} min in total`,
    );
    console.log(
      `dr stack: infrastructure update ${minutes(INFRA_UP)} min, data update ${minutes(DATA_UP)} min, healthy ${minutes(TO_HEALTHY)} min later; ` +
        `time scaled: 1 simulated minute = ${MINUTE_MS} ms (baseline ${BASELINE_MINUTE_MS} ms)`,
    );
    console.log(
      `critical path: ${minutes(cp.ms)} min (longest restore: ${cp.longest.resourceType} ${cp.longest.resourceArn.split(/[:/]/).pop()}, ${minutes(cp.longest.restoreMs ?? 0)} min)`,
    );

    const realStart = performance.now();
    const cli = await runCli(cliClock, points, dir);
    const cliReal = performance.now() - realStart;
    const seqClock = new ScaledClock(MIN / BASELINE_MINUTE_MS);
    const seqStart = performance.now();
    const seqMs = await runSequential(seqClock, scenario(seqClock.now()));
    const seqReal = performance.now() - seqStart;

    const ratio = cli.wallMs / cp.ms;
    const rows = [
      ["", "wall (sim. min)", "wall / critical path", "real time"],
      ["dr recover (CLI)", minutes(cli.wallMs), ratio.toFixed(3), `${(cliReal / 1000).toFixed(1)} s`],
      [
        "sequential, seed-style",
        minutes(seqMs),
        (seqMs / cp.ms).toFixed(3),
        `${(seqReal / 1000).toFixed(1)} s`,
      ],
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    console.log("");
    for (const row of rows) {
      console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("   "));
    }
    console.log("");
    console.log(
      `CLI report: measured RTO ${minutes((cli.report.rto.measuredSeconds ?? 0) * 1000)} min, data restored after ${minutes(
        (cli.report.rto.dataRestoredSeconds ?? 0) * 1000,
      )} min, achieved RPO ${cli.report.rpo.achievedMinutes} min`,
    );
    let pass = ratio <= 1.05;
    console.log(
      `target: CLI wall / critical path <= 1.05: ${pass ? "met" : "NOT met"} (${ratio.toFixed(3)}); speed-up over sequential ${(seqMs / cli.wallMs).toFixed(1)}x`,
    );

    console.log("");
    console.log(
      `restore phase at real time (40 jobs, ${LATENCY_MS} ms per Backup call), against today's schedule (one DescribeRestoreJob per job, 2 s x1.6 up to 15 s):`,
    );
    const realTime = [
      await restorePhaseAtRealTime("40 jobs of 1-8 s", 1_000, 8_000, 1.1, dir),
      await restorePhaseAtRealTime("40 jobs of 10-40 s", 10_000, 40_000, 1.03, dir),
    ];
    const table = [
      ["", "wall / longest job", "target", "Backup calls/min", "old: wall / longest", "old: calls/min"],
      ...realTime.map((r) => [
        r.label,
        `${r.ratio.toFixed(3)} (${(r.wallMs / 1000).toFixed(1)} s / ${(r.longestMs / 1000).toFixed(1)} s)`,
        `<= ${r.target.toFixed(2)} ${r.ratio <= r.target ? "met" : "NOT met"}`,
        r.callsPerMinute.toFixed(0),
        r.old.ratio.toFixed(3),
        r.old.callsPerMinute.toFixed(0),
      ]),
    ];
    const colWidths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
    for (const row of table) {
      console.log(
        row.map((c, i) => (i === 0 ? c.padEnd(colWidths[i]) : c.padStart(colWidths[i]))).join("   "),
      );
    }
    pass = pass && realTime.every((r) => r.ratio <= r.target);
    process.exitCode = pass ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

bench().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
