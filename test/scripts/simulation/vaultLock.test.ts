import {
  BackupClient,
  DescribeBackupJobCommand,
  DescribeBackupVaultCommand,
  DescribeCopyJobCommand,
  DescribeRegionSettingsCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  UpdateRegionSettingsCommand,
} from "@aws-sdk/client-backup";
import { expect } from "chai";
import { configSource, readSettings } from "../../../stacks/config";
import { FakeAws, FakeAwsOptions, startFakeAws } from "../../../scripts/simulation/fakeAwsServer";
import { DEFAULT_VAULT_LOCK } from "../../../scripts/simulation/vaultLock";
import { stackConfig } from "../../stacks/fixtures";

const DR = "us-west-2";
const PRIMARY = "us-east-1";
const ROLE = "arn:aws:iam::111122223333:role/dr-app-backup-restore";
const MIN = 60_000;
const DB_ARN = `arn:aws:rds:${DR}:111122223333:db:dr-r1-orders-db`;
const TABLE_ARN = `arn:aws:dynamodb:${DR}:111122223333:table/dr-r1-orders`;
const PRIMARY_VAULT_ARN = `arn:aws:backup:${PRIMARY}:111122223333:backup-vault:primary-vault`;

describe("simulation: Vault Lock bounds and region settings, over the SDK", function () {
  this.timeout(30_000);
  let time = Date.parse("2026-04-12T09:00:00Z");
  const clock = { now: () => time };
  let fake: FakeAws | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  /** The fake with a database and a table in DR, both regions up; Backup clients of both regions. */
  const start = async (options: Partial<FakeAwsOptions> = {}) => {
    time = Date.parse("2026-04-12T09:00:00Z");
    fake = await startFakeAws({
      points: [],
      primaryVaultName: "primary-vault",
      downRegion: "none",
      clock,
      resources: [
        { type: "RDS", id: "dr-r1-orders-db", region: DR },
        { type: "DynamoDB", id: "dr-r1-orders", region: DR },
      ],
      jobScript: { backupMs: 10 * MIN, copyMs: 10 * MIN },
      ...options,
    });
    const client = (region: string) =>
      new BackupClient({
        region,
        endpoint: fake?.url,
        maxAttempts: 1,
        credentials: { accessKeyId: "AKIDLOCALFAKE", secretAccessKey: "local-fake-secret" },
      });
    return { dr: client(DR), primary: client(PRIMARY) };
  };
  const backupOf = (client: BackupClient, ResourceArn: string, DeleteAfterDays?: number) =>
    client.send(
      new StartBackupJobCommand({
        BackupVaultName: "dr-vault",
        ResourceArn,
        IamRoleArn: ROLE,
        ...(DeleteAfterDays === undefined ? {} : { Lifecycle: { DeleteAfterDays } }),
      }),
    );
  const copyOf = (client: BackupClient, RecoveryPointArn: string | undefined, DeleteAfterDays?: number) =>
    client.send(
      new StartCopyJobCommand({
        RecoveryPointArn,
        SourceBackupVaultName: "dr-vault",
        DestinationBackupVaultArn: PRIMARY_VAULT_ARN,
        IamRoleArn: ROLE,
        ...(DeleteAfterDays === undefined ? {} : { Lifecycle: { DeleteAfterDays } }),
      }),
    );
  const backupJob = (client: BackupClient, id?: string) =>
    client.send(new DescribeBackupJobCommand({ BackupJobId: id }));
  const copyJob = async (client: BackupClient, id?: string) =>
    (await client.send(new DescribeCopyJobCommand({ CopyJobId: id }))).CopyJob;

  it("by default both vaults carry the lock the prod stack deploys (governance, the seed plan's 3 and 97 days), as DescribeBackupVault shows", async () => {
    const prod = readSettings(configSource(stackConfig("prod")), { project: "dr-app", stack: "prod" });
    expect(prod.role === "primary" && prod.vaultLock).to.deep.equal(DEFAULT_VAULT_LOCK);
    const { dr, primary } = await start();
    const drVault = await dr.send(new DescribeBackupVaultCommand({ BackupVaultName: "dr-vault" }));
    const primaryVault = await primary.send(
      new DescribeBackupVaultCommand({ BackupVaultName: "primary-vault" }),
    );
    for (const vault of [drVault, primaryVault]) {
      expect([vault.Locked, vault.MinRetentionDays, vault.MaxRetentionDays]).to.deep.equal([true, 3, 97]);
    }
  });

  it("a backup job without a Lifecycle, or outside the lock, is accepted and FAILS from its start; one within it COMPLETES", async () => {
    const { dr } = await start();
    const forever = await backupOf(dr, DB_ARN);
    const tooShort = await backupOf(dr, DB_ARN, 2);
    const tooLong = await backupOf(dr, DB_ARN, 98);
    const week = await backupOf(dr, DB_ARN, 7);
    const failed = await backupJob(dr, forever.BackupJobId);
    expect([failed.State, failed.StatusMessage, failed.CompletionDate?.getTime()]).to.deep.equal([
      "FAILED",
      "Backup vault dr-vault is locked: a job into it must keep its recovery point between 3 and 97 days; its lifecycle has no DeleteAfterDays (kept forever), more than MaxRetentionDays 97",
      time,
    ]);
    expect((await backupJob(dr, tooShort.BackupJobId)).StatusMessage).to.equal(
      "Backup vault dr-vault is locked: a job into it must keep its recovery point between 3 and 97 days; its lifecycle has DeleteAfterDays 2, less than MinRetentionDays 3",
    );
    expect((await backupJob(dr, tooLong.BackupJobId)).StatusMessage).to.equal(
      "Backup vault dr-vault is locked: a job into it must keep its recovery point between 3 and 97 days; its lifecycle has DeleteAfterDays 98, more than MaxRetentionDays 97",
    );
    time += 10 * MIN;
    expect((await backupJob(dr, week.BackupJobId)).State).to.equal("COMPLETED");
    // Only the job within the bounds left a recovery point.
    expect(fake?.vault(DR, "dr-vault")?.points.map((p) => p.recoveryPointArn)).to.deep.equal([
      week.RecoveryPointArn,
    ]);
  });

  it("a copy job is judged by its destination vault's lock, set per vault; a vault without a lock takes any retention", async () => {
    const { dr } = await start({
      vaultLocks: { "primary-vault": { minRetentionDays: 10, maxRetentionDays: 30 } },
    });
    const backup = await backupOf(dr, DB_ARN, 97);
    time += 10 * MIN;
    const outside = await copyOf(dr, backup.RecoveryPointArn, 7);
    const inside = await copyOf(dr, backup.RecoveryPointArn, 30);
    expect(await copyJob(dr, outside.CopyJobId)).to.deep.include({
      State: "FAILED",
      StatusMessage:
        "Backup vault primary-vault is locked: a job into it must keep its recovery point between 10 and 30 days; its lifecycle has DeleteAfterDays 7, less than MinRetentionDays 10",
    });
    time += 10 * MIN;
    expect((await copyJob(dr, inside.CopyJobId))?.State).to.equal("COMPLETED");

    await fake?.close();
    const unlocked = await start({ vaultLocks: { "dr-vault": "none", "primary-vault": "none" } });
    const kept = await backupOf(unlocked.dr, DB_ARN);
    time += 10 * MIN;
    const copied = await copyOf(unlocked.dr, kept.RecoveryPointArn);
    time += 10 * MIN;
    expect((await copyJob(unlocked.dr, copied.CopyJobId))?.State).to.equal("COMPLETED");
    expect(
      (await unlocked.dr.send(new DescribeBackupVaultCommand({ BackupVaultName: "dr-vault" }))).Locked,
    ).to.equal(false);
  });

  it("region settings are per region; a table's backup taken without advanced DynamoDB backup is DynamoDB's own and its copy to another region FAILS", async () => {
    const { dr, primary } = await start({
      regionSettings: { [DR]: { ResourceTypeManagementPreference: { DynamoDB: false } } },
    });
    const settings = async (client: BackupClient) =>
      (await client.send(new DescribeRegionSettingsCommand({}))).ResourceTypeManagementPreference;
    expect(await settings(dr)).to.deep.equal({ DynamoDB: false, EFS: true });
    expect(await settings(primary)).to.deep.equal({ DynamoDB: true, EFS: true });

    const native = await backupOf(dr, TABLE_ARN, 7);
    expect(native.RecoveryPointArn).to.match(new RegExp(`^${TABLE_ARN}/backup/`));
    time += 10 * MIN;
    expect((await backupJob(dr, native.BackupJobId)).State).to.equal("COMPLETED");
    const stuck = await copyOf(dr, native.RecoveryPointArn, 7);
    expect(await copyJob(dr, stuck.CopyJobId)).to.deep.include({
      State: "FAILED",
      StatusMessage: `Recovery point ${native.RecoveryPointArn} is a DynamoDB backup AWS Backup does not manage (advanced DynamoDB backup was off in ${DR} when it was taken): it cannot be copied to ${PRIMARY}`,
    });

    // Turned on in the DR region only: the next backup is AWS Backup's and copies; the primary's is unchanged.
    await dr.send(new UpdateRegionSettingsCommand({ ResourceTypeManagementPreference: { DynamoDB: true } }));
    expect(await settings(dr)).to.deep.equal({ DynamoDB: true, EFS: true });
    const managed = await backupOf(dr, TABLE_ARN, 7);
    expect(managed.RecoveryPointArn).to.match(/^arn:aws:backup:us-west-2:/);
    time += 10 * MIN;
    const copy = await copyOf(dr, managed.RecoveryPointArn, 7);
    time += 10 * MIN;
    expect((await copyJob(dr, copy.CopyJobId))?.State).to.equal("COMPLETED");
  });
});
