/**
 * Benchmark of a failback against the local AWS fake (`npm run bench:failback`).
 *
 * The scenario: the DR region serves after a recovery (restored databases, tables, file systems and
 * volumes, the replica bucket taking uploads), its application writing every simulated minute while
 * its servers run; the primary region answers again. The failback's job chain runs over the wire,
 * through the real SDK clients, against scripts/simulation's fake on a clock that compresses AWS time
 * (1 simulated minute = `--minute-ms`, default 100 ms): the write freeze (the dr servers' desired
 * capacity to zero, EC2 polled until none is left), a final backup of every resource into the DR
 * vault, each copied to the primary vault as soon as it completes, each copy restored in the primary
 * region as soon as it arrives (every job followed with ListBackupJobs / ListCopyJobs /
 * ListRestoreJobs, all pages, every `--poll-seconds` simulated seconds), the replica bucket's new
 * objects copied back to the source bucket (counts verified), then the switch metric set to 0.
 *
 * Printed: the wall time (freeze start to traffic back), the critical path (the servers' drain plus
 * the longest backup -> copy -> restore chain), their ratio, the freeze window, Backup API calls per
 * simulated minute, and the writes lost (the fake's counters against what the final recovery points
 * captured, and objects missing from the source bucket), which must be zero.
 *
 * This is the job-level critical path, orchestrated here; `dr failback --yes` itself is not run by this
 * benchmark yet.
 *
 * Flags: --minute-ms <n> (default 100), --poll-seconds <n> (default 10), --seed <n>.
 */
import {
  ListBackupJobsCommand,
  ListRestoreJobsCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StartRestoreJobCommand,
  paginateListBackupJobs,
  paginateListCopyJobs,
  paginateListRestoreJobs,
} from "@aws-sdk/client-backup";
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeInstancesCommand, EC2Client, paginateDescribeInstances } from "@aws-sdk/client-ec2";
import { CopyObjectCommand, HeadBucketCommand, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AwsClients, createAwsClients, destroyAwsClients } from "../scripts/aws/clients";
import { applyEnvironment, rehearsalEnvironment } from "../scripts/rehearsal/isolation";
import { ScaledClock } from "../scripts/rehearsal/scaledClock";
import { FakeAws, startFakeAws } from "../scripts/simulation/fakeAwsServer";
import { DR_OUTPUTS } from "../scripts/simulation/fixtures";
import { failoverSwitchAlarm } from "../scripts/simulation/failoverSwitch";
import { resourceArn } from "../scripts/simulation/resourceStore";
import { FAILOVER_SWITCH, failoverAlarmName } from "../stacks/dnsFailover";
import { flag, random } from "./scenarioInputs";

const MIN = 60_000;
const DR = DR_OUTPUTS.region;
const PRIMARY = DR_OUTPUTS.primaryRegion;
const ASG = "dr-app-asg";
const DOMAIN = "app.example.com";
const DRAIN_MS = 2 * MIN;
const SOURCE_BUCKET = Object.keys(DR_OUTPUTS.replicaBuckets)[0];
const REPLICA_BUCKET = DR_OUTPUTS.replicaBuckets["app-data"];
/** The restore metadata key naming what a restore creates, for the types whose name the caller picks. */
const NAME_KEYS: Record<string, string> = { RDS: "DBInstanceIdentifier", DynamoDB: "targetTableName" };
const PRIMARY_VAULT_ARN = `arn:aws:backup:${PRIMARY}:111122223333:backup-vault:${DR_OUTPUTS.primaryVaultName}`;

const MINUTE_MS = flag("--minute-ms", 100);
const POLL_MS = flag("--poll-seconds", 10) * 1000;
const SEED = flag("--seed", 7);

/** Minutes of each job, by type: [min, max] of the backup, the cross-region copy and the restore. */
const MIX: Array<{ type: string; count: number; name: string; minutes: [number, number][] }> = [
  {
    type: "RDS",
    count: 2,
    name: "db",
    minutes: [
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
      [5, 15],
      [5, 15],
      [3, 12],
    ],
  },
];

interface Chain {
  readonly type: string;
  readonly id: string;
  readonly arn: string;
  readonly backupMs: number;
  readonly copyMs: number;
  readonly restoreMs: number;
}

function scenario(): Chain[] {
  const rnd = random(SEED);
  const pick = ([lo, hi]: [number, number]) => Math.round((lo + rnd() * (hi - lo)) * MIN);
  return MIX.flatMap((m) =>
    Array.from({ length: m.count }, (_, i) => {
      const id = `dr-r1-${m.name}-${i}`;
      const [backupMs, copyMs, restoreMs] = m.minutes.map(pick);
      return { type: m.type, id, arn: resourceArn(m.type, DR, id), backupMs, copyMs, restoreMs };
    }),
  );
}

const byArn =
  <T>(chains: Chain[], get: (c: Chain) => T) =>
  (arn: string) => {
    const chain = chains.find((c) => c.arn === arn);
    if (!chain) {
      throw new Error(`no chain for ${arn}`);
    }
    return get(chain);
  };

/** The fake: DR resources written by the application while its servers run, the primary answering. */
async function startScenario(
  clock: ScaledClock,
  chains: Chain[],
  frozen: { value: boolean },
): Promise<FakeAws> {
  const objects = Object.fromEntries(
    Array.from({ length: 5 }, (_, i) => [`before/${i}.json`, { body: "{}", etag: '"x"', lastModified: 0 }]),
  );
  return startFakeAws({
    points: [],
    clock,
    primaryVaultName: DR_OUTPUTS.primaryVaultName,
    downRegion: "none",
    resources: [
      ...chains.map((c) => ({ type: c.type, id: c.id, region: DR })),
      { type: "S3", id: REPLICA_BUCKET, region: DR, state: { writes: 5, objects } },
      { type: "S3", id: SOURCE_BUCKET, region: PRIMARY, state: { writes: 5, objects } },
    ],
    autoScalingGroups: [
      { region: DR, name: ASG, desiredCapacity: () => (frozen.value ? 0 : 3), drainMs: DRAIN_MS },
    ],
    application: { region: DR, autoScalingGroupName: ASG, everyMs: MIN, writesTo: () => true },
    alarms: [failoverSwitchAlarm(DR, DOMAIN)],
    jobScript: {
      backupMs: byArn(chains, (c) => c.backupMs),
      copyMs: byArn(chains, (c) => c.copyMs),
      restoreMs: byArn(chains, (c) => c.restoreMs),
    },
    jobsPageSize: 20,
    restoreJobsPageSize: 20,
  });
}

/** Every job of a listing (all pages) by id: its state and the recovery point it made, if any. */
async function listed<P>(
  pages: AsyncIterable<P>,
  items: (page: P) => Array<{ id?: string; state?: string; point?: string }>,
): Promise<Map<string, { state: string; point?: string }>> {
  const found = new Map<string, { state: string; point?: string }>();
  for await (const page of pages) {
    for (const job of items(page)) {
      if (job.id) {
        found.set(job.id, { state: String(job.state), point: job.point });
      }
    }
  }
  return found;
}

interface Measured {
  readonly wallMs: number;
  readonly freezeMs: number;
  readonly drainMs: number;
  readonly backupCalls: number;
  readonly objectsCopied: number;
}

/** The failback's job chain, each job started as soon as the one before it completed. */
async function runChain(
  fake: FakeAws,
  clock: ScaledClock,
  chains: Chain[],
  frozen: { value: boolean },
  failoverAt: number,
): Promise<Measured> {
  const dr: AwsClients = createAwsClients({ region: DR });
  const primary: AwsClients = createAwsClients({ region: PRIMARY });
  const ec2 = new EC2Client({ region: DR });
  const cloudWatch = new CloudWatchClient({ region: DR });
  const backupCallsBefore = fake.requests.filter((r) => r.service === "backup").length;
  try {
    const Filters = [
      { Name: "vpc-id", Values: [DR_OUTPUTS.vpcId] },
      { Name: "tag-key", Values: ["aws:autoscaling:groupName"] },
      { Name: "instance-state-name", Values: ["pending", "running", "stopping", "shutting-down"] },
    ];
    // Warm-up: each client's first call sets up its connection, which the compressed clock would count
    // as a minute or more of AWS time.
    await Promise.all([
      ec2.send(new DescribeInstancesCommand({ Filters })),
      dr.backup.send(new ListBackupJobsCommand({ MaxResults: 1 })),
      primary.backup.send(new ListRestoreJobsCommand({ MaxResults: 1 })),
      dr.s3.send(new HeadBucketCommand({ Bucket: REPLICA_BUCKET })),
      primary.s3.send(new HeadBucketCommand({ Bucket: SOURCE_BUCKET })),
      cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [failoverAlarmName(DOMAIN)] })),
    ]);
    const start = clock.now();
    frozen.value = true;
    for (;;) {
      let live = 0;
      for await (const page of paginateDescribeInstances({ client: ec2 }, { Filters })) {
        live += (page.Reservations ?? []).length;
      }
      if (live === 0) {
        break;
      }
      await clock.sleep(POLL_MS);
    }
    const drainMs = clock.now() - start;
    const since = new Date(clock.now() - 1);
    const backups = new Map<string, Chain>();
    for (const chain of chains) {
      const { BackupJobId } = await dr.backup.send(
        new StartBackupJobCommand({
          BackupVaultName: DR_OUTPUTS.drVaultName,
          ResourceArn: chain.arn,
          IamRoleArn: DR_OUTPUTS.backupRoleArn,
          IdempotencyToken: `bench-backup-${chain.id}`,
        }),
      );
      backups.set(BackupJobId as string, chain);
    }
    const copies = new Map<string, Chain>();
    const restores = new Map<string, Chain>();
    const done = new Set<string>();
    while (done.size < chains.length) {
      await clock.sleep(POLL_MS);
      if (copies.size < chains.length) {
        const jobs = await listed(
          paginateListBackupJobs({ client: dr.backup }, { ByCreatedAfter: since }),
          (p) =>
            (p.BackupJobs ?? []).map((j) => ({
              id: j.BackupJobId,
              state: j.State,
              point: j.RecoveryPointArn,
            })),
        );
        for (const [id, chain] of backups) {
          const job = jobs.get(id);
          if (job?.state === "COMPLETED" && ![...copies.values()].includes(chain)) {
            const { CopyJobId } = await dr.backup.send(
              new StartCopyJobCommand({
                RecoveryPointArn: job.point,
                SourceBackupVaultName: DR_OUTPUTS.drVaultName,
                DestinationBackupVaultArn: PRIMARY_VAULT_ARN,
                IamRoleArn: DR_OUTPUTS.backupRoleArn,
                IdempotencyToken: `bench-copy-${chain.id}`,
              }),
            );
            copies.set(CopyJobId as string, chain);
          } else if (job && job.state !== "COMPLETED" && job.state !== "CREATED" && job.state !== "RUNNING") {
            throw new Error(`backup of ${chain.id} ended ${job.state}`);
          }
        }
      }
      if (restores.size < copies.size) {
        const jobs = await listed(
          paginateListCopyJobs({ client: dr.backup }, { ByCreatedAfter: since }),
          (p) =>
            (p.CopyJobs ?? []).map((j) => ({
              id: j.CopyJobId,
              state: j.State,
              point: j.DestinationRecoveryPointArn,
            })),
        );
        for (const [id, chain] of copies) {
          const job = jobs.get(id);
          if (job?.state === "COMPLETED" && ![...restores.values()].includes(chain)) {
            const { RestoreJobId } = await primary.backup.send(
              new StartRestoreJobCommand({
                RecoveryPointArn: job.point,
                IamRoleArn: DR_OUTPUTS.backupRoleArn,
                Metadata: NAME_KEYS[chain.type] ? { [NAME_KEYS[chain.type]]: `fb-${chain.id}` } : {},
                IdempotencyToken: `bench-restore-${chain.id}`,
              }),
            );
            restores.set(RestoreJobId as string, chain);
          } else if (job?.state === "FAILED") {
            throw new Error(`copy of ${chain.id} FAILED`);
          }
        }
      }
      if (restores.size > done.size) {
        const jobs = await listed(
          paginateListRestoreJobs({ client: primary.backup }, { ByCreatedAfter: since }),
          (p) => (p.RestoreJobs ?? []).map((j) => ({ id: j.RestoreJobId, state: j.Status })),
        );
        for (const [id] of restores) {
          if (jobs.get(id)?.state === "COMPLETED") {
            done.add(id);
          }
        }
      }
    }
    // The replica bucket's objects written since the failover go back to the source bucket.
    const written: string[] = [];
    for await (const page of paginateListObjectsV2({ client: dr.s3 }, { Bucket: REPLICA_BUCKET })) {
      for (const o of page.Contents ?? []) {
        if ((o.LastModified?.getTime() ?? 0) >= failoverAt) {
          written.push(o.Key as string);
        }
      }
    }
    for (const key of written) {
      await primary.s3.send(
        new CopyObjectCommand({ Bucket: SOURCE_BUCKET, Key: key, CopySource: `${REPLICA_BUCKET}/${key}` }),
      );
    }
    await cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: FAILOVER_SWITCH.namespace,
        MetricData: [
          {
            MetricName: FAILOVER_SWITCH.metricName,
            Dimensions: [{ Name: FAILOVER_SWITCH.dimension, Value: DOMAIN }],
            Value: 0,
          },
        ],
      }),
    );
    const wallMs = clock.now() - start;
    return {
      wallMs,
      freezeMs: wallMs,
      drainMs,
      backupCalls: fake.requests.filter((r) => r.service === "backup").length - backupCallsBefore,
      objectsCopied: written.length,
    };
  } finally {
    destroyAwsClients(dr);
    destroyAwsClients(primary);
    ec2.destroy();
    cloudWatch.destroy();
  }
}

/** Writes to each resource after its last recovery point was taken, and objects the source bucket lacks. */
function writesLost(fake: FakeAws, chains: Chain[]): { databases: number; objects: number } {
  const points = fake.vault(DR, DR_OUTPUTS.drVaultName)?.points ?? [];
  let databases = 0;
  for (const chain of chains) {
    const captured = points
      .filter((p) => p.resourceArn === chain.arn)
      .reduce((max, p) => Math.max(max, p.state?.writes ?? 0), 0);
    databases += (fake.resource(chain.arn)?.writes ?? 0) - captured;
  }
  const source = fake.resource(`arn:aws:s3:::${SOURCE_BUCKET}`)?.objects ?? new Map();
  const replica = fake.resource(`arn:aws:s3:::${REPLICA_BUCKET}`)?.objects ?? new Map();
  const objects = [...replica.keys()].filter((k) => source.get(k)?.etag !== replica.get(k)?.etag).length;
  return { databases, objects };
}

async function bench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-bench-failback-"));
  const clock = new ScaledClock(MIN / MINUTE_MS);
  const chains = scenario();
  const frozen = { value: false };
  const fake = await startScenario(clock, chains, frozen);
  const restoreEnv = applyEnvironment(rehearsalEnvironment(fake.url, DR, dir));
  const minutes = (ms: number) => (ms / MIN).toFixed(1);
  try {
    const failoverAt = clock.now();
    // The DR region has served for an hour of simulated time: the application wrote all along.
    await clock.sleep(60 * MIN);
    const chainMs = (c: Chain) => c.backupMs + c.copyMs + c.restoreMs;
    const longest = chains.reduce((a, b) => (chainMs(b) > chainMs(a) ? b : a));
    const criticalMs = DRAIN_MS + chainMs(longest);
    console.log(
      `scenario: ${chains.length} DR resources (${MIX.map((m) => `${m.type} ${m.count}`).join(", ")}) and the replica bucket; ` +
        `the application writes every simulated minute while its servers run; time scaled: 1 simulated minute = ${MINUTE_MS} ms; polls every ${POLL_MS / 1000} s`,
    );
    console.log(
      `critical path: ${minutes(criticalMs)} min = servers drained ${minutes(DRAIN_MS)} + longest chain ${longest.type} ${longest.id}: ` +
        `backup ${minutes(longest.backupMs)} + copy ${minutes(longest.copyMs)} + restore ${minutes(longest.restoreMs)} min`,
    );
    const measured = await runChain(fake, clock, chains, frozen, failoverAt);
    const lost = writesLost(fake, chains);
    const ratio = measured.wallMs / criticalMs;
    const perMinute = measured.backupCalls / (measured.wallMs / MIN);
    const rows = [
      ["", "simulated", ""],
      ["failback wall time (freeze start to traffic back)", `${minutes(measured.wallMs)} min`, ""],
      ["critical path", `${minutes(criticalMs)} min`, ""],
      [
        "wall / critical path",
        ratio.toFixed(3),
        ratio <= 1.05 ? "target <= 1.05 met" : "target <= 1.05 NOT met",
      ],
      [
        "freeze window",
        `${minutes(measured.freezeMs)} min`,
        `servers gone after ${minutes(measured.drainMs)} min`,
      ],
      ["Backup API calls per minute", perMinute.toFixed(1), `${measured.backupCalls} calls`],
      [
        "writes lost",
        String(lost.databases + lost.objects),
        `databases ${lost.databases}, S3 objects ${lost.objects}; ${measured.objectsCopied} objects copied back`,
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
    process.exitCode = ratio <= 1.05 && lost.databases + lost.objects === 0 ? 0 : 1;
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
