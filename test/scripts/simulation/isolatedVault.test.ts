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
import { isolatedCopies, refusedIsolatedCopies } from "../../../scripts/simulation/isolatedVault";
import { simPoint } from "../../../scripts/simulation/recoveryPoints";
import { simulationClient } from "../../fakes/simulationClient";

const DR = "us-west-2";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/dr-app-backup-restore`;
const LAG_ARN = `arn:aws:backup:${DR}:${ACCOUNT}:backup-vault:dr-isolated`;
const MIN = 60_000;
/** A source encrypted with a customer managed key: its copy into the LAG vault completes (isolatedCopyRule.ts). */
const CMK = { sourceKey: "customer-managed" } as const;

describe("simulation: a logically air-gapped vault, over the wire", function () {
  this.timeout(30_000);
  let time = Date.parse("2026-04-12T09:00:00Z");
  const clock = { now: () => time };
  let fake: FakeAws | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  /** GIVEN the DR vault with a database's point (or `points`) and the LAG vault with its copy, both regions up. */
  const start = async (
    options: Partial<FakeAwsOptions> = {},
    points = [simPoint("RDS", "orders-db", Date.parse("2026-04-12T09:00:00Z"), 60 * MIN, CMK)],
  ) => {
    time = Date.parse("2026-04-12T09:00:00Z");
    fake = await startFakeAws({
      points,
      isolatedVault: { name: "dr-isolated", points: isolatedCopies(points, DR, "dr-vault", 15 * MIN) },
      downRegion: "none",
      clock,
      jobScript: { copyMs: 10 * MIN },
      ...options,
    });
    const client = new BackupClient(simulationClient(fake.url, DR));
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

  it("a copy job into the LAG vault of a type AWS Backup does not fully manage fails with an AWS managed key, completes with a customer managed one", async () => {
    const at = Date.parse("2026-04-12T09:00:00Z");
    const points = [
      simPoint("RDS", "orders-db", at, 60 * MIN),
      simPoint("EBS", "vol-0data", at, 60 * MIN),
      simPoint("RDS", "ledger-db", at, 60 * MIN, CMK),
      simPoint("S3", "app-data", at, 60 * MIN),
      simPoint("DynamoDB", "Orders", at, 60 * MIN),
    ];
    const { client } = await start({}, points);
    const started = await Promise.all(
      points.map((p) =>
        client.send(
          new StartCopyJobCommand({
            RecoveryPointArn: p.recoveryPointArn,
            SourceBackupVaultName: "dr-vault",
            DestinationBackupVaultArn: LAG_ARN,
            IamRoleArn: ROLE,
            Lifecycle: { DeleteAfterDays: 30 },
          }),
        ),
      ),
    );
    time += 10 * MIN;
    const jobs = await Promise.all(
      started.map(
        async (s) => (await client.send(new DescribeCopyJobCommand({ CopyJobId: s.CopyJobId }))).CopyJob,
      ),
    );
    expect(jobs.map((j) => [j?.ResourceType, j?.State])).to.deep.equal([
      ["RDS", "FAILED"],
      ["EBS", "FAILED"],
      ["RDS", "COMPLETED"],
      ["S3", "COMPLETED"],
      ["DynamoDB", "COMPLETED"],
    ]);
    expect(jobs[0]?.StatusMessage).to.equal(
      `RDS resource ${points[0].resourceArn} is not fully managed by AWS Backup and is encrypted with an AWS managed key: a copy into a logically air-gapped backup vault needs the source encrypted with a customer managed key`,
    );
    // The failed copies left nothing in the LAG vault: it holds the fill's three copies and the three completed jobs'.
    const copied = (fake?.vault(DR, "dr-isolated")?.points ?? []).map((p) => p.resourceArn);
    expect(copied).to.have.length(6);
    expect(copied).to.not.include(points[0].resourceArn);
    expect(copied).to.not.include(points[1].resourceArn);
    expect(copied).to.include.members([points[2].resourceArn, points[3].resourceArn, points[4].resourceArn]);
  });

  it("the rehearsal's fill of the LAG vault follows the same rule: the refused copies are named with AWS's reason", () => {
    const at = Date.parse("2026-04-12T09:00:00Z");
    const points = [
      simPoint("RDS", "orders-db", at, 60 * MIN),
      simPoint("S3", "app-data", at, 60 * MIN),
      simPoint("DynamoDB", "Orders", at, 60 * MIN, {
        recoveryPointArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders/backup/01`,
      }),
      { ...simPoint("S3", "app-data", at, 30 * MIN), resourceType: "Redshift" },
    ];
    expect(isolatedCopies(points, DR, "dr-vault").map((p) => p.resourceType)).to.deep.equal(["S3"]);
    expect(
      refusedIsolatedCopies(points).map((r) => [r.point.resourceType, r.reason.split(":")[0]]),
    ).to.deep.equal([
      ["RDS", `RDS resource arn`],
      ["DynamoDB", `DynamoDB resource arn`],
      ["Redshift", "Resource type Redshift is not supported by logically air-gapped backup vaults"],
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

  it("a LAG vault another account shares: a read without its owner's BackupVaultAccountId is refused (AccessDeniedException, Insufficient privileges), with it answered, its ARN of the owner's account", async () => {
    const owner = "444455556666";
    const at = Date.parse("2026-04-12T09:00:00Z");
    const points = [simPoint("S3", "app-data", at, 60 * MIN)];
    await fake?.close();
    fake = await startFakeAws({
      points,
      isolatedVault: {
        name: "dr-isolated",
        ownerAccount: owner,
        points: isolatedCopies(points, DR, "dr-vault"),
      },
      downRegion: "none",
      clock,
    });
    const client = new BackupClient(simulationClient(fake.url, DR));
    const err = await listed(client, "dr-isolated").then(
      () => undefined,
      (e: Error) => e,
    );
    expect([err?.name, err?.message]).to.deep.equal([
      "AccessDeniedException",
      "Insufficient privileges to perform this action.",
    ]);
    expect(await listed(client, "dr-isolated", owner)).to.have.length(1);
    const described = await client.send(
      new DescribeBackupVaultCommand({ BackupVaultName: "dr-isolated", BackupVaultAccountId: owner }),
    );
    expect(described.BackupVaultArn).to.equal(`arn:aws:backup:${DR}:${owner}:backup-vault:dr-isolated`);
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
