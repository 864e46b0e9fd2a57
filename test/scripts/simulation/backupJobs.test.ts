import {
  BackupClient,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRestoreJobsCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StartRestoreJobCommand,
  paginateListBackupJobs,
  paginateListCopyJobs,
} from "@aws-sdk/client-backup";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { expect } from "chai";
import { FakeAws, startFakeAws } from "../../../scripts/simulation/fakeAwsServer";
import { simPoint } from "../../../scripts/simulation/recoveryPoints";
import { simulationClient } from "../../fakes/simulationClient";

/** A retention inside the fake's default Vault Lock (3 to 97 days): a job without one fails. */
const KEEP_A_WEEK = { DeleteAfterDays: 7 };

const DR = "us-west-2";
const PRIMARY = "us-east-1";
const ROLE = "arn:aws:iam::111122223333:role/dr-app-backup-restore";
const MIN = 60_000;
const DB_ARN = `arn:aws:rds:${DR}:111122223333:db:dr-r1-orders-db`;
const TABLE_ARN = `arn:aws:dynamodb:${DR}:111122223333:table/dr-r1-orders`;
const PRIMARY_VAULT_ARN = `arn:aws:backup:${PRIMARY}:111122223333:backup-vault:primary-vault`;

/** SDK clients of one region pointed at the fake, failing on the first error (no retry delays). */
function clientsOf(fake: FakeAws, region: string) {
  const config = simulationClient(fake.url, region);
  return { backup: new BackupClient(config), rds: new RDSClient(config), sts: new STSClient(config) };
}

async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

describe("simulation: backup, copy and restore jobs in two regions, over the SDK", function () {
  this.timeout(30_000);
  let time = Date.parse("2026-04-12T09:00:00Z");
  const clock = { now: () => time };
  let fake: FakeAws;
  let dr: ReturnType<typeof clientsOf>;
  let primary: ReturnType<typeof clientsOf>;

  beforeEach(async () => {
    time = Date.parse("2026-04-12T09:00:00Z");
    fake = await startFakeAws({
      points: [simPoint("DynamoDB", "Orders", time, 60 * MIN)],
      primaryVaultName: "primary-vault",
      clock,
      resources: [
        { type: "RDS", id: "dr-r1-orders-db", region: DR, state: { writes: 40, lastWriteAt: time - MIN } },
        { type: "DynamoDB", id: "dr-r1-orders", region: DR },
        { type: "RDS", id: "orders-db", region: PRIMARY },
      ],
      jobScript: {
        backupMs: 10 * MIN,
        copyMs: 20 * MIN,
        restoreMs: 30 * MIN,
        backupOutcome: ({ resourceArn, attempt }) =>
          resourceArn === TABLE_ARN && attempt === 1
            ? { state: "FAILED", message: "Insufficient privileges to back up the table" }
            : undefined,
      },
    });
    dr = clientsOf(fake, DR);
    primary = clientsOf(fake, PRIMARY);
  });

  afterEach(async () => {
    for (const c of [...Object.values(dr), ...Object.values(primary)]) {
      c.destroy();
    }
    await fake.close();
  });

  const startBackup = (resourceArn: string, token?: string, vault = "dr-vault") =>
    dr.backup.send(
      new StartBackupJobCommand({
        Lifecycle: KEEP_A_WEEK,
        BackupVaultName: vault,
        ResourceArn: resourceArn,
        IamRoleArn: ROLE,
        IdempotencyToken: token,
      }),
    );
  const backupState = async (id: string) =>
    (await dr.backup.send(new DescribeBackupJobCommand({ BackupJobId: id }))).State;

  it("a backup job goes CREATED -> RUNNING -> COMPLETED and its point holds the resource as it was at the start", async () => {
    const started = await startBackup(DB_ARN);
    expect(started.RecoveryPointArn).to.match(/^arn:aws:backup:us-west-2:111122223333:recovery-point:/);
    expect(started.CreationDate?.getTime()).to.equal(time);
    expect(await backupState(started.BackupJobId as string)).to.equal("CREATED");
    fake.write(DB_ARN, 2); // after the start: not in the recovery point
    time += 5 * MIN;
    const running = await dr.backup.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId }));
    expect(running).to.include({ State: "RUNNING", PercentDone: "50.00%", BackupVaultName: "dr-vault" });
    expect(running.RecoveryPointArn).to.equal(undefined);
    time += 5 * MIN;
    const done = await dr.backup.send(new DescribeBackupJobCommand({ BackupJobId: started.BackupJobId }));
    expect(done).to.include({ State: "COMPLETED", RecoveryPointArn: started.RecoveryPointArn });
    expect(done.CompletionDate?.getTime()).to.equal(time);
    const listed = await dr.backup.send(
      new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: "dr-vault", ByResourceArn: DB_ARN }),
    );
    expect(listed.RecoveryPoints?.map((p) => p.RecoveryPointArn)).to.deep.equal([started.RecoveryPointArn]);
    const point = fake
      .vault(DR, "dr-vault")
      ?.points.find((p) => p.recoveryPointArn === started.RecoveryPointArn);
    expect(point?.state).to.deep.include({ writes: 40, lastWriteAt: Date.parse("2026-04-12T08:59:00Z") });
    expect(fake.resource(DB_ARN)?.writes).to.equal(42);
  });

  it("a scripted failure, a missing resource, a resource of another region and an unknown vault", async () => {
    const table = await startBackup(TABLE_ARN);
    const gone = await startBackup(`arn:aws:rds:${DR}:111122223333:db:no-such-db`);
    time += 10 * MIN;
    const failed = await dr.backup.send(new DescribeBackupJobCommand({ BackupJobId: table.BackupJobId }));
    expect(failed).to.include({
      State: "FAILED",
      StatusMessage: "Insufficient privileges to back up the table",
    });
    const missing = await dr.backup.send(new DescribeBackupJobCommand({ BackupJobId: gone.BackupJobId }));
    expect(missing).to.include({
      State: "FAILED",
      StatusMessage: `Resource arn:aws:rds:${DR}:111122223333:db:no-such-db not found`,
    });
    expect(fake.vault(DR, "dr-vault")?.points).to.have.length(1);
    const retried = await startBackup(TABLE_ARN);
    time += 10 * MIN;
    expect(await backupState(retried.BackupJobId as string)).to.equal("COMPLETED");

    const other = await rejection(startBackup(`arn:aws:rds:${PRIMARY}:111122223333:db:orders-db`));
    expect(other.name).to.equal("InvalidParameterValueException");
    expect(other.message).to.equal(
      "Resource arn:aws:rds:us-east-1:111122223333:db:orders-db is in us-east-1; a backup job in us-west-2 backs up resources of us-west-2 only",
    );
    const vault = await rejection(startBackup(DB_ARN, undefined, "no-vault"));
    expect(vault.name).to.equal("ResourceNotFoundException");
    expect(vault.message).to.equal("Backup vault no-vault not found in us-west-2");
  });

  it("the same idempotency token and input name the same job within the window; other input, a new job", async () => {
    const first = await startBackup(DB_ARN, "fb-r1-backup-db");
    time += MIN;
    const again = await startBackup(DB_ARN, "fb-r1-backup-db");
    expect(again.BackupJobId).to.equal(first.BackupJobId);
    expect(again.RecoveryPointArn).to.equal(first.RecoveryPointArn);
    const otherInput = await startBackup(TABLE_ARN, "fb-r1-backup-db");
    expect(otherInput.BackupJobId).to.not.equal(first.BackupJobId);
    time += 24 * 60 * MIN;
    const later = await startBackup(DB_ARN, "fb-r1-backup-db");
    expect(later.BackupJobId).to.not.equal(first.BackupJobId);
    expect(fake.backupAndCopy.listBackups(DR)).to.have.length(3);
  });

  it("ListBackupJobs filters by state, vault, resource and creation time, in pages", async () => {
    const db = await startBackup(DB_ARN);
    time += MIN;
    const since = new Date(time);
    time += 1;
    await startBackup(TABLE_ARN);
    await startBackup(DB_ARN);
    time += 10 * MIN;
    const ids = async (input: Record<string, unknown>) => {
      const all: string[] = [];
      let pages = 0;
      for await (const page of paginateListBackupJobs({ client: dr.backup }, input)) {
        pages++;
        all.push(...(page.BackupJobs ?? []).map((j) => `${j.ResourceArn?.split(/[:/]/).pop()} ${j.State}`));
      }
      return { all, pages };
    };
    expect(await ids({})).to.deep.equal({
      all: ["dr-r1-orders-db COMPLETED", "dr-r1-orders FAILED", "dr-r1-orders-db COMPLETED"],
      pages: 2,
    });
    expect((await ids({ ByState: "FAILED" })).all).to.deep.equal(["dr-r1-orders FAILED"]);
    expect((await ids({ ByResourceArn: DB_ARN, ByCreatedAfter: since })).all).to.deep.equal([
      "dr-r1-orders-db COMPLETED",
    ]);
    expect((await ids({ ByBackupVaultName: "other-vault" })).all).to.deep.equal([]);
    const one = await dr.backup.send(new ListBackupJobsCommand({ MaxResults: 1 }));
    expect(one.BackupJobs?.map((j) => j.BackupJobId)).to.deep.equal([db.BackupJobId]);
    expect(one.NextToken).to.be.a("string");
    fake.setReachable(PRIMARY, true);
    const none = await primary.backup.send(new ListBackupJobsCommand({}));
    expect(none.BackupJobs).to.deep.equal([]);
    const bad = await rejection(dr.backup.send(new ListBackupJobsCommand({ MaxResults: 1001 })));
    expect(bad.message).to.equal("maxResults must be between 1 and 1000 (got 1001)");
  });

  it("a copy to the primary vault FAILS while the primary is down, COMPLETES once it answers, and restores there", async () => {
    const backup = await startBackup(DB_ARN);
    time += 10 * MIN;
    const copy = (token: string) =>
      dr.backup.send(
        new StartCopyJobCommand({
          Lifecycle: KEEP_A_WEEK,
          RecoveryPointArn: backup.RecoveryPointArn,
          SourceBackupVaultName: "dr-vault",
          DestinationBackupVaultArn: PRIMARY_VAULT_ARN,
          IamRoleArn: ROLE,
          IdempotencyToken: token,
        }),
      );
    const whileDown = await copy("copy-1");
    expect((await copy("copy-1")).CopyJobId).to.equal(whileDown.CopyJobId);
    time += MIN;
    const failed = await dr.backup.send(new DescribeCopyJobCommand({ CopyJobId: whileDown.CopyJobId }));
    expect(failed.CopyJob).to.include({
      State: "FAILED",
      StatusMessage: "Copy job failed: the destination Region us-east-1 is unavailable",
      SourceRecoveryPointArn: backup.RecoveryPointArn,
      DestinationBackupVaultArn: PRIMARY_VAULT_ARN,
    });
    expect(
      (await rejection(primary.backup.send(new ListCopyJobsCommand({})))).$metadata?.httpStatusCode,
    ).to.equal(503);

    fake.setReachable(PRIMARY, true);
    const answered = await copy("copy-2");
    time += 10 * MIN;
    const running = await dr.backup.send(new DescribeCopyJobCommand({ CopyJobId: answered.CopyJobId }));
    expect(running.CopyJob?.State).to.equal("RUNNING");
    time += 10 * MIN;
    const done = await dr.backup.send(new DescribeCopyJobCommand({ CopyJobId: answered.CopyJobId }));
    expect(done.CopyJob?.State).to.equal("COMPLETED");
    const copied = done.CopyJob?.DestinationRecoveryPointArn as string;
    expect(copied).to.match(/^arn:aws:backup:us-east-1:111122223333:recovery-point:/);

    const listed = await primary.backup.send(
      new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: "primary-vault" }),
    );
    expect(listed.RecoveryPoints?.[0]).to.include({
      RecoveryPointArn: copied,
      ResourceArn: DB_ARN,
      SourceBackupVaultArn: `arn:aws:backup:${DR}:111122223333:backup-vault:dr-vault`,
    });
    const metadata = await primary.backup.send(
      new GetRecoveryPointRestoreMetadataCommand({
        BackupVaultName: "primary-vault",
        RecoveryPointArn: copied,
      }),
    );
    expect(metadata.RestoreMetadata?.DBInstanceIdentifier).to.equal("dr-r1-orders-db");

    const restore = await primary.backup.send(
      new StartRestoreJobCommand({
        RecoveryPointArn: copied,
        IamRoleArn: ROLE,
        Metadata: { DBInstanceIdentifier: "fb-r1-orders-db" },
      }),
    );
    time += 30 * MIN;
    const restored = fake.resource(`arn:aws:rds:${PRIMARY}:111122223333:db:fb-r1-orders-db`);
    expect(restored?.writes).to.equal(40);
    const described = await primary.rds.send(new DescribeDBInstancesCommand({}));
    expect(described.DBInstances?.map((d) => d.DBInstanceIdentifier)).to.deep.equal([
      "orders-db",
      "fb-r1-orders-db",
    ]);
    expect(described.DBInstances?.[1].Endpoint?.Address).to.equal(
      "fb-r1-orders-db.c9akciq32.us-east-1.rds.amazonaws.com",
    );
    const inDr = await rejection(
      dr.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "fb-r1-orders-db" })),
    );
    expect(inDr.name).to.equal("DBInstanceNotFoundFault");
    expect(restore.RestoreJobId).to.be.a("string");
  });

  it("a copy FAILS from the moment its destination stops answering, and ListCopyJobs filters and pages", async () => {
    fake.setReachable(PRIMARY, true);
    const backups = [await startBackup(DB_ARN)];
    time += 10 * MIN;
    const start = () =>
      dr.backup.send(
        new StartCopyJobCommand({
          Lifecycle: KEEP_A_WEEK,
          RecoveryPointArn: backups[0].RecoveryPointArn,
          SourceBackupVaultName: "dr-vault",
          DestinationBackupVaultArn: PRIMARY_VAULT_ARN,
          IamRoleArn: ROLE,
        }),
      );
    const first = await start();
    time += 5 * MIN;
    fake.setReachable(PRIMARY, false);
    time += MIN;
    fake.setReachable(PRIMARY, true);
    const second = await start();
    time += 20 * MIN;
    const first1 = (await dr.backup.send(new DescribeCopyJobCommand({ CopyJobId: first.CopyJobId }))).CopyJob;
    expect(first1?.State).to.equal("FAILED");
    expect(first1?.CompletionDate?.getTime()).to.equal(time - 21 * MIN);
    const states: string[] = [];
    for await (const page of paginateListCopyJobs({ client: dr.backup }, { ByResourceArn: DB_ARN })) {
      states.push(
        ...(page.CopyJobs ?? []).map((j) => `${j.CopyJobId === second.CopyJobId ? "2" : "1"} ${j.State}`),
      );
    }
    expect(states).to.deep.equal(["1 FAILED", "2 COMPLETED"]);
    const completed = await dr.backup.send(
      new ListCopyJobsCommand({ ByState: "COMPLETED", ByDestinationVaultArn: PRIMARY_VAULT_ARN }),
    );
    expect(completed.CopyJobs?.map((j) => j.CopyJobId)).to.deep.equal([second.CopyJobId]);
    const missing = await rejection(
      dr.backup.send(
        new StartCopyJobCommand({
          Lifecycle: KEEP_A_WEEK,
          RecoveryPointArn: "arn:aws:backup:us-west-2:111122223333:recovery-point:nope",
          SourceBackupVaultName: "dr-vault",
          DestinationBackupVaultArn: PRIMARY_VAULT_ARN,
          IamRoleArn: ROLE,
        }),
      ),
    );
    expect(missing.message).to.equal(
      "Recovery point arn:aws:backup:us-west-2:111122223333:recovery-point:nope not found in dr-vault",
    );
  });

  it("with an incremental factor, a backup or copy after a completed one takes that share of the first's time", async () => {
    const incremental = await startFakeAws({
      points: [],
      clock,
      primaryVaultName: "primary-vault",
      downRegion: "none",
      resources: [{ type: "RDS", id: "dr-r1-orders-db", region: DR }],
      jobScript: { backupMs: 10 * MIN, copyMs: 20 * MIN, incrementalFactor: 0.25 },
    });
    const backup = clientsOf(incremental, DR).backup;
    try {
      const state = async (id?: string) =>
        (await backup.send(new DescribeBackupJobCommand({ BackupJobId: id }))).State;
      const start = () =>
        backup.send(
          new StartBackupJobCommand({
            Lifecycle: KEEP_A_WEEK,
            BackupVaultName: "dr-vault",
            ResourceArn: DB_ARN,
            IamRoleArn: ROLE,
          }),
        );
      const first = await start();
      time += MIN;
      const during = await start(); // the first has not completed yet: a full backup too
      time += 9 * MIN;
      expect([await state(first.BackupJobId), await state(during.BackupJobId)]).to.deep.equal([
        "COMPLETED",
        "RUNNING",
      ]);
      const second = await start();
      time += 2.5 * MIN;
      expect(await state(second.BackupJobId)).to.equal("COMPLETED");
      const copy = () =>
        backup.send(
          new StartCopyJobCommand({
            Lifecycle: KEEP_A_WEEK,
            RecoveryPointArn: first.RecoveryPointArn,
            SourceBackupVaultName: "dr-vault",
            DestinationBackupVaultArn: PRIMARY_VAULT_ARN,
            IamRoleArn: ROLE,
          }),
        );
      const copyState = async (id?: string) =>
        (await backup.send(new DescribeCopyJobCommand({ CopyJobId: id }))).CopyJob?.State;
      const full = await copy();
      time += 20 * MIN;
      const next = await copy();
      time += 5 * MIN;
      expect([await copyState(full.CopyJobId), await copyState(next.CopyJobId)]).to.deep.equal([
        "COMPLETED",
        "COMPLETED",
      ]);
    } finally {
      backup.destroy();
      await incremental.close();
    }
  });

  it("refuses a missing parameter and a malformed destination, fails a copy to a vault that does not exist, and keeps jobs to their region", async () => {
    const missing = await rejection(
      dr.backup.send(
        new StartBackupJobCommand({
          Lifecycle: KEEP_A_WEEK,
          BackupVaultName: "dr-vault",
          ResourceArn: "",
          IamRoleArn: ROLE,
        }),
      ),
    );
    expect([missing.name, missing.message]).to.deep.equal([
      "MissingParameterValueException",
      "ResourceArn is required",
    ]);
    const backup = await startBackup(DB_ARN);
    time += 10 * MIN;
    const copyTo = (DestinationBackupVaultArn: string) =>
      dr.backup.send(
        new StartCopyJobCommand({
          Lifecycle: KEEP_A_WEEK,
          RecoveryPointArn: backup.RecoveryPointArn,
          SourceBackupVaultName: "dr-vault",
          DestinationBackupVaultArn,
          IamRoleArn: ROLE,
        }),
      );
    const malformed = await rejection(copyTo("primary-vault"));
    expect([malformed.name, malformed.message]).to.deep.equal([
      "InvalidParameterValueException",
      "Invalid DestinationBackupVaultArn primary-vault",
    ]);
    fake.setReachable(PRIMARY, true);
    const nowhere = await copyTo(`arn:aws:backup:${PRIMARY}:111122223333:backup-vault:no-such-vault`);
    time += 20 * MIN;
    const failed = await dr.backup.send(new DescribeCopyJobCommand({ CopyJobId: nowhere.CopyJobId }));
    expect(failed.CopyJob).to.include({
      State: "FAILED",
      StatusMessage: `Destination backup vault arn:aws:backup:${PRIMARY}:111122223333:backup-vault:no-such-vault not found`,
    });
    const elsewhere = await rejection(
      primary.backup.send(new DescribeBackupJobCommand({ BackupJobId: backup.BackupJobId })),
    );
    expect([elsewhere.name, elsewhere.message]).to.deep.equal([
      "ResourceNotFoundException",
      `Backup job ${backup.BackupJobId} not found`,
    ]);
    const completedBefore = await dr.backup.send(
      new ListBackupJobsCommand({ ByCompleteBefore: new Date(time), ByResourceType: "RDS" }),
    );
    expect(completedBefore.BackupJobs?.map((j) => j.BackupJobId)).to.deep.equal([backup.BackupJobId]);
    const notYet = await dr.backup.send(
      new ListBackupJobsCommand({ ByCompleteAfter: new Date(time), ByResourceType: "RDS" }),
    );
    expect(notYet.BackupJobs).to.deep.equal([]);
    await dr.backup.send(
      new StartRestoreJobCommand({
        RecoveryPointArn: backup.RecoveryPointArn,
        IamRoleArn: ROLE,
        Metadata: { DBInstanceIdentifier: "drill-r1-db" },
      }),
    );
    const restores = async (c: BackupClient) =>
      (await c.send(new ListRestoreJobsCommand({}))).RestoreJobs?.map((j) => j.RecoveryPointArn);
    expect([await restores(dr.backup), await restores(primary.backup)]).to.deep.equal([
      [backup.RecoveryPointArn],
      [],
    ]);
  });

  it("an unreachable region answers 503 to every service but STS, and answers again once reachable", async () => {
    const down = await rejection(primary.rds.send(new DescribeDBInstancesCommand({})));
    expect(down.$metadata?.httpStatusCode).to.equal(503);
    expect((await primary.sts.send(new GetCallerIdentityCommand({}))).Account).to.equal("111122223333");
    fake.setReachable(PRIMARY, true);
    const up = await primary.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "orders-db" }));
    expect(up.DBInstances?.[0].DBInstanceArn).to.equal("arn:aws:rds:us-east-1:111122223333:db:orders-db");
    fake.setReachable(DR, false);
    expect(
      (await rejection(dr.backup.send(new ListBackupJobsCommand({})))).$metadata?.httpStatusCode,
    ).to.equal(503);
  });
});
