/**
 * Benchmark of `dr failback --yes` against the local AWS fake (`npm run bench:failback`).
 *
 * The whole cycle runs through the CLI (`main()`, in process) on a clock that compresses AWS time
 * (1 simulated minute = `--minute-ms`, default 100 ms), AWS served over the wire by
 * scripts/simulation's fake through the real SDK clients, the dr and prod stacks in memory with
 * AWS-like update times: `dr recover --yes` while the primary region is down restores prod's
 * databases, tables, volumes and file systems in the DR region; the primary region answers again;
 * the application serves from DR for an hour, writing every simulated minute to each restored resource
 * and to the replica bucket while its servers run; then `dr failback --yes`: the unfrozen backups
 * and copies first, then the freeze and the final ones, which are incremental (`--incremental`, the
 * share of a first job's time a later one of the same resource takes: default 0.3, as EBS, EFS and RDS
 * backups and cross-Region copies are after the first), then the restores in the primary region.
 * `--skip-pre-copy` runs the failback without the unfrozen round.
 *
 * Users reach the application by its public name, answered by Route 53's failover rules
 * (scripts/simulation/dnsResolver.ts: the operator set the switch to DR during the recovery); prod's
 * servers, back with the primary region, run the pre-disaster data until prod-data points them at the
 * failed-back copies.
 *
 * Printed, from the failback's report and the fake: the failback wall time (the run's start to traffic
 * back on prod), the critical path (the longest unfrozen backup -> copy, prod's servers held at zero
 * (its stack update and their drain), the freeze's stack update and the servers' drain, the longest final
 * backup -> copy -> restore chain, the S3 copy back as measured, prod's data update, prod's new servers'
 * launch and the switch's alarm evaluation), their ratio, the freeze window, Backup API calls per
 * simulated minute, and the writes lost (the report's figure, and the fake's write counters: writes to dr's
 * resources after their final backup began, and users' writes to prod's pre-disaster resources, abandoned at
 * prod-data): zero. The traffic phase after the wall time's end: until the name resolves to prod.
 *
 * Flags: --minute-ms <n> (default 100), --seed <n>, --incremental <share> (default 0.3),
 * --skip-pre-copy, --verbose (the CLI's output).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../scripts/cli";
import { FailbackReport } from "../scripts/recovery/failback/report";
import { applyEnvironment, rehearsalEnvironment } from "../scripts/rehearsal/isolation";
import { ScaledClock } from "../scripts/rehearsal/scaledClock";
import { FakeAws, startFakeAws } from "../scripts/simulation/fakeAwsServer";
import { failoverDnsName, failoverSwitchAlarm } from "../scripts/simulation/failoverSwitch";
import { DR_OUTPUTS, PROD_OUTPUTS } from "../scripts/simulation/fixtures";
import { SimObject } from "../scripts/simulation/resourceStore";
import { simPoint } from "../scripts/simulation/recoveryPoints";
import { testDeps } from "../test/fakes/deps";
import { FakeDrStack } from "../test/fakes/fakeStack";
import { flag, random } from "./scenarioInputs";

const MIN = 60_000;
const DR = DR_OUTPUTS.region;
const PRIMARY = DR_OUTPUTS.primaryRegion;
const ASG = "dr-app-asg";
const PROD_ASG = "prod-app-asg";
const LAUNCH_MS = 3 * MIN;
/** The switch's alarm evaluates a data point a minute after it arrives. */
const ALARM_MS = MIN;
const DOMAIN = "app.example.com";
const DRAIN_MS = 2 * MIN;
const SOURCE_BUCKET = Object.keys(DR_OUTPUTS.replicaBuckets)[0];
const REPLICA_BUCKET = DR_OUTPUTS.replicaBuckets[SOURCE_BUCKET as "app-data"];
/** dr stack updates: the flip to active, the data update, the freeze, standby; prod's data update. */
const DR_UP_MS = [8 * MIN, 1.5 * MIN];
const FREEZE_UP_MS = 1.5 * MIN;
const PROD_UP_MS = 3 * MIN;

const MINUTE_MS = flag("--minute-ms", 100);
const SEED = flag("--seed", 7);
const PRE_COPY = !process.argv.includes("--skip-pre-copy");
const INCREMENTAL = flag("--incremental", 0.3);
const VERBOSE = process.argv.includes("--verbose");

/** Minutes of each job, by type: [min, max] of the restore in DR, the backup, the copy and the restore in the primary. */
const MIX: Array<{ type: string; count: number; name: string; minutes: [number, number][] }> = [
  {
    type: "RDS",
    count: 2,
    name: "db",
    minutes: [
      [25, 45],
      [15, 30],
      [20, 40],
      [25, 45],
    ],
  },
  {
    type: "DynamoDB",
    count: 3,
    name: "table",
    minutes: [
      [10, 40],
      [4, 10],
      [8, 20],
      [10, 40],
    ],
  },
  {
    type: "EFS",
    count: 2,
    name: "fs-0share",
    minutes: [
      [10, 30],
      [10, 20],
      [10, 25],
      [10, 30],
    ],
  },
  {
    type: "EBS",
    count: 2,
    name: "vol-0data",
    minutes: [
      [3, 12],
      [5, 15],
      [5, 15],
      [3, 12],
    ],
  },
];

/** One prod resource and the durations of its jobs. */
interface Protected {
  readonly type: string;
  readonly name: string;
  readonly prodArn: string;
  readonly recoverMs: number;
  readonly backupMs: number;
  readonly copyMs: number;
  readonly restoreMs: number;
}

function scenario(): Protected[] {
  const rnd = random(SEED);
  const pick = ([lo, hi]: [number, number]) => Math.round((lo + rnd() * (hi - lo)) * MIN);
  return MIX.flatMap((m) =>
    Array.from({ length: m.count }, (_, i) => {
      const name = `${m.name}-${i}`;
      const [recoverMs, backupMs, copyMs, restoreMs] = m.minutes.map(pick);
      const prodArn = simPoint(m.type, name, 0, 0).resourceArn;
      return { type: m.type, name, prodArn, recoverMs, backupMs, copyMs, restoreMs };
    }),
  );
}

const sink = { write: (text: string) => (VERBOSE ? process.stdout.write(text) : true) };

/** The resource a DR-region ARN names: what a restore of the recovery made from a prod resource. */
function protectedOf(fake: FakeAws, resources: Protected[], arn: string): Protected | undefined {
  const job = fake.jobs.get(fake.resource(arn)?.restoreJobId ?? "");
  const prodArn = job?.point.resourceArn ?? arn;
  return resources.find((r) => r.prodArn === prodArn);
}

async function bench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-bench-failback-"));
  const clock = new ScaledClock(MIN / MINUTE_MS);
  const resources = scenario();
  const minutes = (ms: number) => (ms / MIN).toFixed(1);
  // The dr and prod stacks in memory, their updates taking AWS-like times.
  const dr = new FakeDrStack(clock, {
    config: { "dr-app:role": "dr", "dr-app:mode": "standby", "dr-app:drActiveDesiredCapacity": "3" },
    upMs: (n, config) =>
      config["dr-app:drActiveDesiredCapacity"] === "0" ? FREEZE_UP_MS : DR_UP_MS[Math.min(n, 2) - 1],
  });
  const prod = new FakeDrStack(clock, {
    name: "prod",
    outputsOf: () => PROD_OUTPUTS,
    config: { "dr-app:role": "primary", "dr-app:domainName": DOMAIN },
    upMs: [PROD_UP_MS],
  });
  const servers = () =>
    dr.config["dr-app:mode"] === "active" ? Number(dr.config["dr-app:drActiveDesiredCapacity"] ?? 3) : 0;
  const alarm = failoverSwitchAlarm(DR, DOMAIN, "ALARM");
  const preDisaster = (r: { region: string; restoreJobId?: string; type: string }) =>
    r.region === PRIMARY && r.restoreJobId === undefined && r.type !== "S3";
  const before: Record<string, SimObject> = Object.fromEntries(
    Array.from({ length: 5 }, (_, i) => [`before/${i}.json`, { body: "{}", etag: '"x"', lastModified: 0 }]),
  );
  const running: { fake?: FakeAws } = {};
  const duration = (get: (r: Protected) => number) => (arn: string) => {
    const r = running.fake && protectedOf(running.fake, resources, arn);
    return r ? get(r) : 3000;
  };
  const fake = await startFakeAws({
    points: resources.map((r) => simPoint(r.type, r.name, clock.now(), 30 * MIN, { restoreMs: r.recoverMs })),
    clock,
    primaryVaultName: DR_OUTPUTS.primaryVaultName,
    resources: [
      { type: "S3", id: REPLICA_BUCKET, region: DR, state: { writes: 5, objects: before } },
      // Prod's bucket replicates into the replica, as deployed: the copy back's copies come back as replicas.
      {
        type: "S3",
        id: SOURCE_BUCKET,
        region: PRIMARY,
        state: { writes: 5, objects: before },
        replication: { destinationBucket: REPLICA_BUCKET, deleteMarkerReplication: true },
      },
      // Prod's pre-disaster data, abandoned once prod takes the failed-back copies.
      ...resources.map((r) => ({ type: r.type, id: r.name, region: PRIMARY })),
    ],
    autoScalingGroups: [
      { region: DR, name: ASG, desiredCapacity: servers, drainMs: DRAIN_MS, launchMs: LAUNCH_MS },
      {
        // Prod's servers, as stacks/environment.ts defines them: held at zero by `holdServers`; a new launch
        // template version for prod-data's data, rolled by an instance refresh (50 % healthy, 300 s warm-up).
        region: PRIMARY,
        name: PROD_ASG,
        vpcId: PROD_OUTPUTS.vpcId,
        subnetIds: PROD_OUTPUTS.privateSubnetIds,
        tags: { role: "primary" },
        desiredCapacity: () => (prod.config["dr-app:holdServers"] === "true" ? 0 : 3),
        launchTemplateVersion: () => (prod.config["dr-app:restoredTableName"] ? 2 : 1),
        instanceRefresh: { minHealthyPercentage: 50, instanceWarmupMs: 5 * MIN },
        drainMs: DRAIN_MS,
        launchMs: LAUNCH_MS,
        writesTo: (r, version) =>
          r.type !== "S3" && (version === 1 ? preDisaster(r) : r.restoreJobId !== undefined),
      },
    ],
    application: {
      region: DR,
      autoScalingGroupName: ASG,
      everyMs: MIN,
      writesTo: (r) => r.restoreJobId !== undefined || r.id === REPLICA_BUCKET,
      domainName: DOMAIN,
    },
    alarms: [alarm],
    dns: [
      failoverDnsName(DOMAIN, alarm, {
        primary: {
          loadBalancerDnsName: PROD_OUTPUTS.loadBalancerDnsName,
          region: PRIMARY,
          autoScalingGroupName: PROD_ASG,
        },
        secondary: {
          loadBalancerDnsName: DR_OUTPUTS.loadBalancerDnsName,
          region: DR,
          autoScalingGroupName: ASG,
        },
      }),
    ],
    jobScript: {
      backupMs: duration((r) => r.backupMs),
      copyMs: duration((r) => r.copyMs),
      restoreMs: duration((r) => r.restoreMs),
      incrementalFactor: INCREMENTAL,
    },
    jobsPageSize: 100,
    restoreJobsPageSize: 100,
  });
  running.fake = fake;
  const restoreEnv = applyEnvironment(rehearsalEnvironment(fake.url, DR, path.join(dir, "aws")));
  const deps = testDeps({
    stdout: sink,
    stderr: sink,
    clock,
    openStack: async ({ stackName }) => (stackName === "prod" ? prod : dr),
    resolveAddresses: async (hostname) => {
      fake.resources();
      return fake.resolver.addresses(hostname);
    },
    runIdSuffix: () => "b1",
  });
  const run = (args: string[]) =>
    main(
      [
        "--work-dir",
        dir,
        "--state-dir",
        path.join(dir, ".dr"),
        "--report-dir",
        path.join(dir, "reports"),
        ...args,
      ],
      deps,
    );
  try {
    console.log(
      `scenario: ${resources.length} prod resources (${MIX.map((m) => `${m.type} ${m.count}`).join(", ")}) and a replicated bucket, ` +
        `recovered in DR, then an hour of writes every simulated minute; time scaled: 1 simulated minute = ${MINUTE_MS} ms`,
    );
    const appResources = ["db-0", "table-0", "vol-0data-0"].flatMap((n) => ["--app-resource", n]);
    const recovered = await run(["recover", "--yes", ...appResources]);
    if (recovered !== 0) {
      throw new Error(`dr recover exited ${recovered}`);
    }
    // The primary region comes back half an hour into the hour in DR, with prod's servers on the old data.
    await clock.sleep(30 * MIN);
    fake.setReachable(PRIMARY, true);
    await clock.sleep(30 * MIN);

    const backupCallsBefore = fake.requests.filter((r) => r.service === "backup").length;
    const start = clock.now();
    const code = await run(["failback", "--yes", ...(PRE_COPY ? [] : ["--skip-pre-copy"])]);
    const wallMs = clock.now() - start;
    if (code !== 0) {
      throw new Error(`dr failback exited ${code}`);
    }
    const backupCalls = fake.requests.filter((r) => r.service === "backup").length - backupCallsBefore;
    const reportFile = fs.readdirSync(path.join(dir, "reports")).find((f) => /^failback-.*\.json$/.test(f));
    const report = JSON.parse(
      fs.readFileSync(path.join(dir, "reports", reportFile as string), "utf8"),
    ) as FailbackReport;

    // With the unfrozen round first, the final backups and copies are incremental.
    const preMs = PRE_COPY ? Math.max(...resources.map((r) => r.backupMs + r.copyMs)) : 0;
    const share = PRE_COPY ? INCREMENTAL : 1;
    const chainMs = (r: Protected) => share * (r.backupMs + r.copyMs) + r.restoreMs;
    const longest = resources.reduce((a, b) => (chainMs(b) > chainMs(a) ? b : a));
    const phaseMs = (phase: string) => {
      const record = report.phases.find((p) => p.phase === phase);
      return record?.endedAt ? Date.parse(record.endedAt) - Date.parse(record.startedAt) : 0;
    };
    // The copy back is on the path too; its length is the fake's HTTP latency on the compressed clock.
    const s3Ms = phaseMs("s3-copy");
    const holdMs = PROD_UP_MS + DRAIN_MS;
    // The S3 copy back runs while prod is still held, then prod-data's update, then prod's new servers
    // launch; the wall time ends at the switch's first data point.
    const criticalMs =
      preMs + holdMs + FREEZE_UP_MS + DRAIN_MS + chainMs(longest) + s3Ms + PROD_UP_MS + LAUNCH_MS;
    const failbackMs = (report.failbackSeconds ?? Number.NaN) * 1000;
    const ratio = failbackMs / criticalMs;
    // The fake's own count: writes to each DR resource after its final backup began.
    const points = fake.vault(DR, DR_OUTPUTS.drVaultName)?.points ?? [];
    const lostInFake = fake
      .resources(DR)
      .filter((r) => r.restoreJobId !== undefined)
      .reduce((sum, r) => {
        const captured = points
          .filter((p) => p.resourceArn === r.arn)
          .reduce((max, p) => Math.max(max, p.state?.writes ?? -1), -1);
        return sum + (captured < 0 ? 0 : r.writes - captured);
      }, 0);
    // Users' writes to prod's pre-disaster resources, abandoned at prod-data: during the failback, and
    // before it (prod's servers unheld while dr's load balancer had no healthy target; the failback warns).
    const staleWrites = (from: number, to: number) =>
      fake.appRequests
        .filter((q) => q.at >= from && q.at < to && q.region === PRIMARY)
        .reduce(
          (sum, q) =>
            sum + q.wrote.filter((arn) => fake.resource(arn) && preDisaster(fake.resource(arn)!)).length,
          0,
        );
    const lostToPreDisaster = staleWrites(start, Number.POSITIVE_INFINITY);
    const staleBefore = staleWrites(Number.NEGATIVE_INFINITY, start);
    const failbackRequests = fake.appRequests.filter((q) => q.at >= start && q.at <= start + failbackMs);
    const refused = failbackRequests.filter((q) => q.wrote.length === 0).length;
    const source = fake.resource(`arn:aws:s3:::${SOURCE_BUCKET}`)?.objects ?? new Map();
    const replica = fake.resource(`arn:aws:s3:::${REPLICA_BUCKET}`)?.objects ?? new Map();
    const objectsMissing = [...replica.keys()].filter((k) => !source.has(k)).length;

    console.log(
      `critical path: ${minutes(criticalMs)} min = unfrozen backups and copies ${minutes(preMs)} + ` +
        `prod held at zero ${minutes(holdMs)} + freeze update ${minutes(FREEZE_UP_MS)} + servers drained ${minutes(DRAIN_MS)} + ` +
        `longest chain ${longest.type} ${longest.name}: backup ${minutes(share * longest.backupMs)} + copy ${minutes(share * longest.copyMs)} + ` +
        `restore ${minutes(longest.restoreMs)} + S3 copy back ${minutes(s3Ms)} (${(report.s3 ?? []).reduce((sum, s3) => sum + (s3.copied ?? 0), 0)} objects, as measured) ` +
        `+ prod data update ${minutes(PROD_UP_MS)} + prod's new servers launch ${minutes(LAUNCH_MS)} min; ` +
        `then the name moves once the switch's alarm has evaluated it (${minutes(ALARM_MS)}), traffic phase ${minutes(phaseMs("traffic"))}`,
    );
    console.log(
      `phases (simulated minutes): ${report.phases.map((p) => `${p.phase} ${minutes(phaseMs(p.phase))}`).join(", ")}`,
    );
    const rows = [
      [
        "failback wall time (report: start to traffic back)",
        `${minutes(failbackMs)} min`,
        `command ${minutes(wallMs)} min, standby included`,
      ],
      ["critical path", `${minutes(criticalMs)} min`, ""],
      [
        "wall / critical path",
        ratio.toFixed(3),
        ratio <= 1.05 ? "target <= 1.05 met" : "target <= 1.05 NOT met",
      ],
      [
        "freeze window",
        `${minutes((report.freeze?.durationSeconds ?? Number.NaN) * 1000)} min`,
        `confirmed ${report.freeze?.confirmedAt ?? "?"}`,
      ],
      ["Backup API calls per minute", (backupCalls / (wallMs / MIN)).toFixed(1), `${backupCalls} calls`],
      [
        "writes lost",
        String(report.writesLost?.total ?? "?"),
        `report: databases ${report.writesLost?.databases ?? "?"}, S3 objects ${report.writesLost?.s3Objects ?? "?"}; ` +
          `fake: ${lostInFake} writes after a final backup began, ${lostToPreDisaster} to pre-disaster resources, ${objectsMissing} objects missing from ${SOURCE_BUCKET}; before the failback ${staleBefore} to pre-disaster resources`,
      ],
      [
        "user requests during the failback",
        String(failbackRequests.length),
        `${refused} refused (no server behind the answered name: the freeze), none written to abandoned data`,
      ],
    ];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    console.log("");
    for (const row of rows) {
      console.log(
        row
          .map((c, i) => c.padEnd(widths[i]))
          .join("   ")
          .trimEnd(),
      );
    }
    const lost = (report.writesLost?.total ?? 1) + lostInFake + lostToPreDisaster + objectsMissing;
    process.exitCode = report.outcome === "success" && ratio <= 1.05 && lost === 0 ? 0 : 1;
  } finally {
    restoreEnv();
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

bench().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
