// Tests: the rehearsal names the resources AWS would not copy into the isolated vault, and a run from it alone ends PARTIAL.
import { expect } from "chai";
import { RunReport } from "../../../scripts/recovery/core/report";
import { judgeRun } from "../../../scripts/recovery/core/verdict";
import { ProtectedResource, RehearsalEstate } from "../../../scripts/rehearsal/estate";
import { gapLines, gapVerdict, isolatedGaps } from "../../../scripts/rehearsal/isolatedGaps";
import { simPoint } from "../../../scripts/simulation/recoveryPoints";
import { resourceArn } from "../../../scripts/simulation/resourceStore";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const PRIMARY = "us-east-1";

function resource(logicalName: string, type: "RDS" | "EBS" | "S3", extra: Partial<ProtectedResource> = {}) {
  return {
    logicalName,
    pulumiType: `aws:${type}`,
    resourceType: type,
    name: logicalName,
    resourceArn: resourceArn(type, PRIMARY, logicalName),
    restoreMinutes: 10,
    restoreMetadata: {},
    ...extra,
  } satisfies ProtectedResource;
}

const resources = [
  resource("app-db", "RDS"),
  resource("ledger-db", "RDS", { sourceKey: "customer-managed" }),
  resource("app-bucket", "S3"),
];
const estate: RehearsalEstate = {
  primaryStack: "prod",
  primaryRegion: PRIMARY,
  drRegion: "us-west-2",
  primaryVaultName: "primary-vault",
  drVaultName: "dr-vault",
  isolatedVaultName: "prod-isolated",
  backupRoleArn: "arn:aws:iam::111122223333:role/backup",
  copyRules: [],
  replicaBuckets: {},
  resources,
};
const points = resources.map((r) =>
  simPoint(r.resourceType, r.name, NOW, 60_000, { resourceArn: r.resourceArn, sourceKey: r.sourceKey }),
);

/** A run's report with the restore jobs of `restored`, as recover writes it (only the fields read here). */
function report(restored: readonly ProtectedResource[]): RunReport {
  return {
    kind: "recover",
    runId: "r1",
    jobs: restored.map((r) => ({
      resourceArn: r.resourceArn,
      resourceType: r.resourceType,
      status: "COMPLETED",
    })),
    verdict: judgeRun("success", [{ objective: "RPO", target: "60 min", achieved: "1 min", state: "met" }]),
  } as unknown as RunReport;
}

describe("rehearsal: the isolated vault's gaps", () => {
  it("names the resources whose copies AWS fails, once each, with AWS's reason; a customer managed key has none", () => {
    const gaps = isolatedGaps(estate, [...points, ...points]);
    expect(gaps.map((g) => g.resource.logicalName)).to.deep.equal(["app-db"]);
    expect(gapLines("prod-isolated", gaps)).to.deep.equal([
      `isolated vault 'prod-isolated': no copy of RDS app-db: AWS fails their copy jobs into it (developer guide, "Logically air-gapped vault", Compatible encryption):`,
      `  RDS app-db: RDS resource ${resources[0].resourceArn} is not fully managed by AWS Backup and is encrypted with an AWS managed key: a copy into a logically air-gapped backup vault needs the source encrypted with a customer managed key`,
    ]);
    expect(gapLines("prod-isolated", [])).to.deep.equal([]);
  });

  it("a successful run from the isolated vault that left a gap unrestored ends PARTIAL (exit 1), naming it and why", () => {
    const gaps = isolatedGaps(estate, points);
    const short = gapVerdict(report([resources[1], resources[2]]), gaps);
    expect(short?.exitCode).to.equal(1);
    expect(short?.lines).to.deep.equal([
      "rehearsal: not recoverable from the isolated vault: RDS app-db (not fully managed by AWS Backup, AWS managed key: a customer managed key is needed): it holds no copy of them, AWS failed every copy into it",
      "rehearsal of recover r1: PARTIAL; RPO met: 1 min, target 60 min; exit 1",
    ]);
  });

  it("no verdict of its own when every gap was restored (from the DR vault) or there is none", () => {
    expect(gapVerdict(report(resources), isolatedGaps(estate, points))).to.equal(undefined);
    expect(gapVerdict(report([]), [])).to.equal(undefined);
  });
});
