import {
  BackupClient,
  ListRestoreJobsCommand,
  RestoreJobsListMember,
  StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { AwsClients } from "../../../../scripts/aws/clients";
import { JournalStore, PlannedRestore, RunJournal } from "../../../../scripts/recovery/core/journal";
import { runRestoreJobs } from "../../../../scripts/recovery/core/restoreRun";
import { Output } from "../../../../scripts/output";
import { Capture } from "../../../fakes/capture";
import { VirtualClock } from "../../../fakes/virtualClock";

const MIN = 60_000;

/** A restore of the script: its type, name, duration and whether AWS gives ExpectedCompletionTimeMinutes. */
interface ScriptedRestore {
  readonly type: "RDS" | "DynamoDB";
  readonly name: string;
  readonly minutes: number;
  readonly awsEstimate: boolean;
}

function planned(r: ScriptedRestore): PlannedRestore {
  return {
    recoveryPointArn: `arn:aws:backup:us-west-2:111122223333:recovery-point:${r.name}`,
    resourceArn: `arn:aws:${r.type.toLowerCase()}:us-east-1:111122223333:${r.name}`,
    resourceType: r.type,
    resourceName: r.name,
    recoveryPointCreatedAt: "2026-04-12T08:00:00.000Z",
    targetName: `dr-${r.name}`,
    iamRoleArn: "arn:aws:iam::111122223333:role/restore",
    metadata: {},
    notes: [],
  };
}

/**
 * A job as ListRestoreJobs lists it (API_RestoreJobsListMember.html): PENDING for its first minute, then
 * RUNNING with PercentDone ("42.00%") growing steadily, COMPLETED at its end.
 */
function listed(r: ScriptedRestore, id: string, start: number, now: number): RestoreJobsListMember {
  const elapsed = now - start;
  const duration = r.minutes * MIN;
  const base = {
    RestoreJobId: id,
    CreationDate: new Date(start),
    ...(r.awsEstimate && { ExpectedCompletionTimeMinutes: r.minutes }),
  };
  if (elapsed >= duration) {
    return {
      ...base,
      Status: "COMPLETED",
      PercentDone: "100.00%",
      CompletionDate: new Date(start + duration),
      CreatedResourceArn: `arn:aws:${r.type.toLowerCase()}:us-west-2:111122223333:dr-${r.name}`,
    };
  }
  if (elapsed < MIN) {
    return { ...base, Status: "PENDING" };
  }
  return { ...base, Status: "RUNNING", PercentDone: `${((100 * elapsed) / duration).toFixed(2)}%` };
}

describe("restore run: progress lines with an ETA, paced for long waits (finding 4)", () => {
  let backup: AwsClientStub<BackupClient>;
  let dir: string;
  before(() => (backup = mockClient(BackupClient)));
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-run-"))));
  afterEach(() => {
    backup.reset();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  after(() => backup.restore());

  /** Runs `restores` on virtual time, the lines stamped in `zone`; returns the lines printed. */
  async function run(restores: readonly ScriptedRestore[], zone: string): Promise<string[]> {
    const clock = new VirtualClock();
    const started = new Map<string, { restore: ScriptedRestore; at: number }>();
    backup.on(StartRestoreJobCommand).callsFake(async (input: { RecoveryPointArn: string }) => {
      const restore = restores.find((r) => planned(r).recoveryPointArn === input.RecoveryPointArn);
      const id = `job-${restore?.name}`;
      started.set(id, { restore: restore as ScriptedRestore, at: clock.now() });
      return { RestoreJobId: id };
    });
    backup.on(ListRestoreJobsCommand).callsFake(async () => ({
      RestoreJobs: [...started].map(([id, { restore, at }]) => listed(restore, id, at, clock.now())),
    }));
    const client = new BackupClient({ region: "us-west-2" });
    const rds = {
      send: async () => ({ DBInstances: [{ Endpoint: { Address: "dr-app-db.example", Port: 5432 } }] }),
    };
    const journal: RunJournal = {
      version: 1,
      kind: "recover",
      runId: "r1",
      startedAt: new Date(clock.now()).toISOString(),
      state: "running",
      stackName: "dr",
      region: "us-west-2",
      vaultName: "dr-vault",
      plan: restores.map(planned),
      skipped: [],
      jobs: {},
      flips: [],
      resumedAt: [],
    };
    const out = new Capture();
    await runRestoreJobs(journal, {
      clients: { region: "us-west-2", backup: client, backupMonitor: client, rds } as unknown as AwsClients,
      clock,
      store: new JournalStore(dir, "recover"),
      out: new Output(out, out, () => clock.now(), zone),
    });
    return out.lines();
  }

  it("GIVEN one 2-hour restore THEN 13 lines, not 120 'waiting:' lines: its changes, 25 % steps, summaries ever rarer", async () => {
    const lines = await run([{ type: "RDS", name: "app-db", minutes: 120, awsEstimate: true }], "UTC");
    expect(lines).to.deep.equal([
      "09:00:00Z RDS app-db: restore job job-app-db started -> dr-app-db",
      "09:01:00Z RDS app-db: RUNNING 0.84% eta 11:00 (in ~1h 59m)",
      "09:02:05Z waiting: 0 pending, 1 running, 0 completed, 0 failed of 1; run eta 11:00 (in ~1h 58m); 2m 06s since start",
      "09:04:10Z waiting: 0 pending, 1 running, 0 completed, 0 failed of 1; run eta 11:00 (in ~1h 56m); 4m 11s since start",
      "09:09:15Z waiting: 0 pending, 1 running, 0 completed, 0 failed of 1; run eta 11:00 (in ~1h 51m); 9m 16s since start",
      "09:19:20Z waiting: 0 pending, 1 running, 0 completed, 0 failed of 1; run eta 11:00 (in ~1h 41m); 19m 21s since start",
      "09:30:05Z RDS app-db: RUNNING 25.08% eta 11:00 (in ~1h 30m)",
      "09:45:10Z waiting: 0 pending, 1 running, 0 completed, 0 failed of 1; run eta 11:00 (in ~1h 15m); 45m 10s since start",
      "10:00:05Z RDS app-db: RUNNING 50.08% eta 11:00 (in ~1h 00m)",
      "10:15:10Z waiting: 0 pending, 1 running, 0 completed, 0 failed of 1; run eta 11:00 (in ~45 min); 1h 15m since start",
      "10:30:05Z RDS app-db: RUNNING 75.08% eta 11:00 (in ~30 min)",
      "10:45:10Z waiting: 0 pending, 1 running, 0 completed, 0 failed of 1; run eta 11:00 (in ~15 min); 1h 45m since start",
      "11:00:00Z RDS app-db: COMPLETED in 2h 00m -> dr-app-db.example:5432",
    ]);
  });

  it("GIVEN a restore with AWS's estimate and one with PercentDone only THEN each line has its ETA, in local time with its offset", async () => {
    const lines = await run(
      [
        { type: "RDS", name: "app-db", minutes: 120, awsEstimate: true },
        { type: "DynamoDB", name: "orders", minutes: 10, awsEstimate: false },
      ],
      "Europe/Paris",
    );
    expect(lines).to.deep.equal([
      "11:00:00+02:00 RDS app-db: restore job job-app-db started -> dr-app-db",
      "11:00:00+02:00 DynamoDB orders: restore job job-orders started -> dr-orders",
      "11:01:00+02:00 RDS app-db: RUNNING 0.84% eta 13:00 (in ~1h 59m)",
      "11:01:00+02:00 DynamoDB orders: RUNNING 10.1% eta 11:09 (in ~9 min, from its progress)",
      "11:02:05+02:00 waiting: 0 pending, 2 running, 0 completed, 0 failed of 2; run eta 13:00 (in ~1h 58m); 2m 06s since start",
      "11:02:35+02:00 DynamoDB orders: RUNNING 25.91% eta 11:09 (in ~7 min, from its progress)",
      "11:04:40+02:00 waiting: 0 pending, 2 running, 0 completed, 0 failed of 2; run eta 13:00 (in ~1h 55m); 4m 40s since start",
      "11:05:05+02:00 DynamoDB orders: RUNNING 50.91% eta 11:09 (in ~5 min, from its progress)",
      "11:07:35+02:00 DynamoDB orders: RUNNING 75.91% eta 11:09 (in ~2 min, from its progress)",
      "11:10:00+02:00 DynamoDB orders: COMPLETED in 10m 00s -> dr-orders",
      "11:12:40+02:00 waiting: 0 pending, 1 running, 1 completed, 0 failed of 2; run eta 13:00 (in ~1h 47m); 12m 40s since start",
      "11:14:45+02:00 waiting: 0 pending, 1 running, 1 completed, 0 failed of 2; run eta 13:00 (in ~1h 45m); 14m 45s since start",
      "11:19:50+02:00 waiting: 0 pending, 1 running, 1 completed, 0 failed of 2; run eta 13:00 (in ~1h 40m); 19m 50s since start",
      "11:29:55+02:00 waiting: 0 pending, 1 running, 1 completed, 0 failed of 2; run eta 13:00 (in ~1h 30m); 29m 55s since start",
      "11:30:00+02:00 RDS app-db: RUNNING 25% eta 13:00 (in ~1h 30m)",
      "11:45:05+02:00 waiting: 0 pending, 1 running, 1 completed, 0 failed of 2; run eta 13:00 (in ~1h 15m); 45m 05s since start",
      "12:00:00+02:00 RDS app-db: RUNNING 50% eta 13:00 (in ~1h 00m)",
      "12:15:05+02:00 waiting: 0 pending, 1 running, 1 completed, 0 failed of 2; run eta 13:00 (in ~45 min); 1h 15m since start",
      "12:30:00+02:00 RDS app-db: RUNNING 75% eta 13:00 (in ~30 min)",
      "12:45:05+02:00 waiting: 0 pending, 1 running, 1 completed, 0 failed of 2; run eta 13:00 (in ~15 min); 1h 45m since start",
      "13:00:00+02:00 RDS app-db: COMPLETED in 2h 00m -> dr-app-db.example:5432",
    ]);
  });
});
