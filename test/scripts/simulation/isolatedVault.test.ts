import {
  BackupClient,
  DeleteRecoveryPointCommand,
  DescribeBackupVaultCommand,
  DescribeCopyJobCommand,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListRecoveryPointsByBackupVaultCommand,
  StartCopyJobCommand,
  StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import { expect } from "chai";
import { FakeAws, FakeAwsOptions, startFakeAws } from "../../../scripts/simulation/fakeAwsServer";
import { ACCOUNT } from "../../../scripts/simulation/fixtures";
import { isolatedCopies } from "../../../scripts/simulation/isolatedVault";
import { simPoint } from "../../../scripts/simulation/recoveryPoints";

const DR = "us-west-2";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/dr-app-backup-restore`;
const LAG_ARN = `arn:aws:backup:${DR}:${ACCOUNT}:backup-vault:dr-isolated`;
const MIN = 60_000;

describe("simulation: a logically air-gapped vault, over the wire", function () {
  this.timeout(30_000);
  let time = Date.parse("2026-04-12T09:00:00Z");
  const clock = { now: () => time };
  let fake: FakeAws | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  /** GIVEN the DR vault with a database's point and the LAG vault with its copy, both regions up. */
  const start = async (options: Partial<FakeAwsOptions> = {}) => {
    time = Date.parse("2026-04-12T09:00:00Z");
    const points = [simPoint("RDS", "orders-db", time, 60 * MIN)];
    fake = await startFakeAws({
      points,
      isolatedVault: { name: "dr-isolated", points: isolatedCopies(points, DR, "dr-vault", 15 * MIN) },
      downRegion: "none",
      clock,
      jobScript: { copyMs: 10 * MIN },
      ...options,
    });
    const client = new BackupClient({
      region: DR,
      endpoint: fake.url,
      maxAttempts: 1,
      credentials: { accessKeyId: "AKIDLOCALFAKE", secretAccessKey: "local-fake-secret" },
    });
    return { client, drPoint: points[0].recoveryPointArn };
  };
  const listed = async (client: BackupClient, BackupVaultName: string, BackupVaultAccountId?: string) =>
    (
      await client.send(
        new ListRecoveryPointsByBackupVaultCommand({
          BackupVaultName,
          ...(BackupVaultAccountId && { BackupVaultAccountId }),
        }),
      )
    ).RecoveryPoints ?? [];

  it("DescribeBackupVault tells the LAG vault by VaultType and VaultState, always locked; a standard vault answers no type", async () => {
    const { client } = await start();
    const lag = await client.send(new DescribeBackupVaultCommand({ BackupVaultName: "dr-isolated" }));
    expect([
      lag.VaultType,
      lag.VaultState,
      lag.Locked,
      lag.MinRetentionDays,
      lag.MaxRetentionDays,
    ]).to.deep.equal(["LOGICALLY_AIR_GAPPED_BACKUP_VAULT", "AVAILABLE", true, 7, 97]);
    const dr = await client.send(new DescribeBackupVaultCommand({ BackupVaultName: "dr-vault" }));
    expect(dr.VaultType).to.equal(undefined);
  });

  it("refuses DeleteRecoveryPoint in the LAG vault to every caller, while the DR vault's point is deleted", async () => {
    const { client, drPoint } = await start();
    const [lagPoint] = await listed(client, "dr-isolated");
    await client.send(
      new DeleteRecoveryPointCommand({ BackupVaultName: "dr-vault", RecoveryPointArn: drPoint }),
    );
    expect(await listed(client, "dr-vault")).to.deep.equal([]);
    const refused = await client
      .send(
        new DeleteRecoveryPointCommand({
          BackupVaultName: "dr-isolated",
          RecoveryPointArn: lagPoint.RecoveryPointArn,
        }),
      )
      .then(
        () => undefined,
        (err: Error) => err,
      );
    expect([refused?.name, refused?.message]).to.deep.equal([
      "InvalidRequestException",
      `Recovery point ${lagPoint.RecoveryPointArn} is in logically air-gapped backup vault dr-isolated, locked in compliance mode: it cannot be deleted before its retention period ends`,
    ]);
    expect((await listed(client, "dr-isolated")).map((p) => p.RecoveryPointArn)).to.deep.equal([
      lagPoint.RecoveryPointArn,
    ]);
  });

  it("a copy job into the LAG vault is judged by its compliance lock: a week completes, 3 days fails", async () => {
    const { client, drPoint } = await start();
    const copy = (DeleteAfterDays: number) =>
      client.send(
        new StartCopyJobCommand({
          RecoveryPointArn: drPoint,
          SourceBackupVaultName: "dr-vault",
          DestinationBackupVaultArn: LAG_ARN,
          IamRoleArn: ROLE,
          Lifecycle: { DeleteAfterDays },
        }),
      );
    const short = await copy(3);
    const week = await copy(7);
    time += 10 * MIN;
    const job = async (id?: string) =>
      (await client.send(new DescribeCopyJobCommand({ CopyJobId: id }))).CopyJob;
    expect((await job(short.CopyJobId))?.StatusMessage).to.equal(
      "Backup vault dr-isolated is locked: a job into it must keep its recovery point between 7 and 97 days; its lifecycle has DeleteAfterDays 3, less than MinRetentionDays 7",
    );
    expect((await job(week.CopyJobId))?.State).to.equal("COMPLETED");
    const points = await listed(client, "dr-isolated");
    expect(points).to.have.length(2);
    expect(points.map((p) => p.SourceBackupVaultArn)).to.deep.equal([
      `arn:aws:backup:${DR}:${ACCOUNT}:backup-vault:dr-vault`,
      `arn:aws:backup:${DR}:${ACCOUNT}:backup-vault:dr-vault`,
    ]);
  });

  it("restores a LAG point in the owning account, the DR vault's points gone", async () => {
    const { client, drPoint } = await start();
    await client.send(
      new DeleteRecoveryPointCommand({ BackupVaultName: "dr-vault", RecoveryPointArn: drPoint }),
    );
    const [lagPoint] = await listed(client, "dr-isolated", ACCOUNT);
    const metadata = await client.send(
      new GetRecoveryPointRestoreMetadataCommand({
        BackupVaultName: "dr-isolated",
        RecoveryPointArn: lagPoint.RecoveryPointArn,
        BackupVaultAccountId: ACCOUNT,
      }),
    );
    const started = await client.send(
      new StartRestoreJobCommand({
        RecoveryPointArn: lagPoint.RecoveryPointArn,
        Metadata: { ...metadata.RestoreMetadata, DBInstanceIdentifier: "dr-orders-db" },
        IamRoleArn: ROLE,
      }),
    );
    time += 10 * MIN;
    const job = await client.send(new DescribeRestoreJobCommand({ RestoreJobId: started.RestoreJobId }));
    expect(job.Status).to.equal("COMPLETED");
    expect(fake?.resources(DR).map((r) => r.id)).to.include("dr-orders-db");
  });

  it("answers a BackupVaultAccountId of another account as a vault it does not know", async () => {
    const { client } = await start();
    const err = await listed(client, "dr-isolated", "444455556666").then(
      () => undefined,
      (e: Error) => e,
    );
    expect([err?.name, err?.message]).to.deep.equal([
      "ResourceNotFoundException",
      "Backup vault dr-isolated of account 444455556666 not found",
    ]);
  });
});
