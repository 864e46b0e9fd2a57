import { BackupClient, ListRecoveryPointsByBackupVaultCommand } from "@aws-sdk/client-backup";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import {
  RecoveryPoint,
  listAllRecoveryPoints,
  newestCompletedPerResource,
  selectRecoveryPoints,
  vaultFilters,
} from "../../../../scripts/recovery/core/recoveryPoints";
import { DrError } from "../../../../scripts/errors";
import { simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { SimulatedBackup } from "../../../fakes/sdkBackup";
import type { MetadataBearer } from "@smithy/types";
import type { AwsStub } from "aws-sdk-client-mock";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;

function point(type: string, name: string, ageMin: number, status = "COMPLETED"): RecoveryPoint {
  const p = simPoint(type, name, NOW, ageMin * MIN, { status });
  return {
    recoveryPointArn: p.recoveryPointArn,
    resourceArn: p.resourceArn,
    resourceTypeName: type,
    status,
    creationDate: p.creationDate,
    backupVaultName: "dr-vault",
    resourceName: name,
  };
}

describe("recovery points", () => {
  describe("listAllRecoveryPoints", () => {
    // Created per suite: other suites mock the same client class and restore it when done.
    let backup: AwsClientStub<BackupClient>;
    before(() => (backup = mockClient(BackupClient)));
    afterEach(() => backup.reset());
    after(() => backup.restore());

    it("GIVEN 2,350 points served 100 per page THEN it reads all 24 pages (the seed read only 20 points)", async () => {
      const points = Array.from({ length: 2350 }, (_, i) =>
        simPoint("DynamoDB", `table-${i % 50}`, NOW, i * MIN),
      );
      const sim = new SimulatedBackup({ clock: { now: () => NOW }, points, pageSize: 100 });
      sim.install(backup as unknown as AwsStub<object, MetadataBearer, object>);

      const listed = await listAllRecoveryPoints(new BackupClient({ region: "us-west-2" }), "dr-vault");

      expect(listed).to.have.length(2350);
      expect(backup.commandCalls(ListRecoveryPointsByBackupVaultCommand)).to.have.length(24);
      expect(backup.commandCalls(ListRecoveryPointsByBackupVaultCommand)[0].args[0].input).to.include({
        BackupVaultName: "dr-vault",
        MaxResults: 1000,
      });
      expect(new Set(listed.map((p) => p.recoveryPointArn)).size).to.equal(2350);
    });

    it("drops malformed entries without an ARN or creation date", async () => {
      backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({
        RecoveryPoints: [
          {
            RecoveryPointArn: "arn:rp:1",
            ResourceArn: "arn:aws:s3:::b",
            ResourceType: "S3",
            CreationDate: new Date(NOW),
          },
          { ResourceArn: "arn:aws:s3:::b", CreationDate: new Date(NOW) },
        ],
      });
      const listed = await listAllRecoveryPoints(new BackupClient({ region: "us-west-2" }), "dr-vault");
      expect(listed.map((p) => p.recoveryPointArn)).to.deep.equal(["arn:rp:1"]);
      expect(listed[0].resourceName).to.equal("b");
    });
  });

  describe("selectRecoveryPoints", () => {
    it("picks the newest COMPLETED point per resource and says why newer ones were passed over", () => {
      const points = [
        point("RDS", "db", 10, "PARTIAL"),
        point("RDS", "db", 20, "EXPIRED"),
        point("RDS", "db", 70),
        point("RDS", "db", 130),
        point("DynamoDB", "Orders", 5, "CREATING"),
        point("DynamoDB", "Orders", 65),
      ];
      const { selected, skipped } = selectRecoveryPoints(points);
      expect(selected.map((p) => [p.resourceType, p.resourceName, p.creationDate.getTime()])).to.deep.equal([
        ["DynamoDB", "Orders", NOW - 65 * MIN],
        ["RDS", "db", NOW - 70 * MIN],
      ]);
      expect(skipped.map((s) => s.reason)).to.deep.equal([
        "PARTIAL recovery point of 2026-04-12T08:50:00.000Z passed over",
        "EXPIRED recovery point of 2026-04-12T08:40:00.000Z passed over",
        "CREATING recovery point of 2026-04-12T08:55:00.000Z passed over",
      ]);
    });

    it("GIVEN --as-of THEN it takes the newest COMPLETED point at or before that time", () => {
      const points = [point("RDS", "db", 10), point("RDS", "db", 60), point("RDS", "db", 120)];
      const { selected } = selectRecoveryPoints(points, { asOf: new Date(NOW - 60 * MIN) });
      expect(selected[0].creationDate.getTime()).to.equal(NOW - 60 * MIN);
    });

    it("GIVEN --as-of before every point THEN the resource is skipped with the reason", () => {
      const { selected, skipped } = selectRecoveryPoints([point("RDS", "db", 10)], {
        asOf: new Date(NOW - 60 * MIN),
      });
      expect(selected).to.have.length(0);
      expect(skipped[0].reason).to.equal("no recovery point at or before 2026-04-12T08:00:00.000Z");
    });

    it("GIVEN only PARTIAL points THEN the resource is skipped: no COMPLETED recovery point", () => {
      const { selected, skipped } = selectRecoveryPoints([point("EFS", "fs-1", 10, "PARTIAL")]);
      expect(selected).to.have.length(0);
      expect(skipped.map((s) => s.reason)).to.include("no COMPLETED recovery point");
    });

    it("skips resource types the CLI does not restore, naming the supported ones", () => {
      const { selected, skipped } = selectRecoveryPoints([
        point("FSx", "fs-9", 10),
        point("EBS", "vol-1", 10),
      ]);
      expect(selected.map((p) => p.resourceType)).to.deep.equal(["EBS"]);
      expect(skipped[0].reason).to.equal(
        "resource type 'FSx' is not restored by this CLI (supported: RDS, Aurora, EC2, EBS, DynamoDB, EFS, S3)",
      );
    });

    it("--only narrows by type (any case), resource ARN or recovery point ARN", () => {
      const points = [point("RDS", "db", 10), point("S3", "bucket", 10), point("EBS", "vol-1", 10)];
      expect(
        selectRecoveryPoints(points, { only: ["s3"] }).selected.map((p) => p.resourceName),
      ).to.deep.equal(["bucket"]);
      expect(
        selectRecoveryPoints(points, { only: [points[0].resourceArn] }).selected.map((p) => p.resourceName),
      ).to.deep.equal(["db"]);
      expect(
        selectRecoveryPoints(points, { only: [points[2].recoveryPointArn, "RDS"] }).selected.map(
          (p) => p.resourceName,
        ),
      ).to.deep.equal(["vol-1", "db"]);
    });

    it("--only with an unknown type fails listing the supported types", () => {
      expect(() => selectRecoveryPoints([], { only: ["Redshift"] }))
        .to.throw(DrError)
        .with.property(
          "message",
          "--only: unknown resource type 'Redshift'; supported types: RDS, Aurora, EC2, EBS, DynamoDB, EFS, S3",
        );
    });
  });

  it("newestCompletedPerResource reports resources with no COMPLETED point as undefined", () => {
    const result = newestCompletedPerResource([
      point("RDS", "db", 5, "PARTIAL"),
      point("S3", "b", 30),
      point("S3", "b", 90),
    ]);
    expect([...result.values()].map((p) => p?.creationDate.getTime())).to.deep.equal([
      undefined,
      NOW - 30 * MIN,
    ]);
  });

  it("vaultFilters: one AWS-side listing per --only type or resource ARN, bounded by --as-of; a recovery point ARN reads everything", () => {
    const asOf = new Date("2026-04-12T08:00:00Z");
    const bound = new Date("2026-04-12T08:00:00.001Z");
    expect(vaultFilters([], undefined)).to.equal(undefined);
    expect(vaultFilters([], asOf)).to.deep.equal([{ ByCreatedBefore: bound }]);
    expect(vaultFilters(["rds", "RDS", "arn:aws:s3:::app-data"], asOf)).to.deep.equal([
      { ByResourceType: "RDS", ByCreatedBefore: bound },
      { ByResourceArn: "arn:aws:s3:::app-data", ByCreatedBefore: bound },
    ]);
    expect(vaultFilters(["rds", "arn:aws:backup:us-west-2:1:recovery-point:rp-1"])).to.equal(undefined);
  });
});
