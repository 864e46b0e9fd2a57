import { expect } from "chai";
import { StatusReport } from "../../../../scripts/recovery/status/status";
import { ACCOUNT } from "../../../../scripts/simulation/fixtures";
import { isolatedCopies } from "../../../../scripts/simulation/isolatedVault";
import { SimPoint, simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { Harness } from "../../../fakes/harness";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;
/** A source encrypted with a customer managed key: its copy into the LAG vault completes (isolatedCopyRule.ts). */
const CMK = { sourceKey: "customer-managed" } as const;
const DR = "us-west-2";
const LAG = "dr-isolated";
const OUTPUTS = {
  isolatedVaultName: LAG,
  isolatedVaultArn: `arn:aws:backup:${DR}:${ACCOUNT}:backup-vault:${LAG}`,
};

describe("dr status: the isolated vault", () => {
  let h: Harness;
  const make = (
    dr: SimPoint[],
    isolated: SimPoint[] | undefined,
    outputs: Record<string, unknown> = OUTPUTS,
  ) => {
    h = new Harness({
      points: dr,
      primaryUp: true,
      sim: {
        primary: { region: "us-east-1", vaultName: "primary-vault", points: [] },
        ...(isolated && { isolated: { name: LAG, points: isolated } }),
      },
      stack: { outputs },
    });
    return h;
  };
  afterEach(() => h?.dispose());

  it("GIVEN the isolated vault behind the DR vault THEN its table, no finding of its own, exit 0", async () => {
    const dr = [simPoint("RDS", "production-db", NOW, 30 * MIN)];
    // A daily copy into the isolated vault: older than the RPO, yet the DR vault's point is the one a recovery takes.
    make(dr, isolatedCopies([simPoint("RDS", "production-db", NOW, 20 * 60 * MIN, CMK)], DR, "dr-vault"));
    expect(await h.run(["status"]), h.stdout.text).to.equal(0);
    expect(h.stdout.text).to.contain(
      "Isolated (logically air-gapped) vault 'dr-isolated' (us-west-2): 1 recovery points",
    );
    expect(h.stdout.text).not.to.contain("A recovery now would take from the isolated vault");
  });

  it("GIVEN the database's copies into the isolated vault failed (AWS managed key) THEN status names it and why, and exits 1", async () => {
    const dr = [simPoint("RDS", "production-db", NOW, 30 * MIN), simPoint("S3", "app-data", NOW, 30 * MIN)];
    make(dr, isolatedCopies(dr, DR, "dr-vault"));
    expect(await h.run(["status", "--json"])).to.equal(1);
    const report = JSON.parse(h.stdout.text) as StatusReport;
    expect(report.problems).to.deep.equal([
      "isolated vault 'dr-isolated': no copy of RDS production-db, which the DR vault holds: AWS Backup does not fully manage RDS: its copies into a logically air-gapped vault fail unless its source is encrypted with a customer managed key (the stacks' default, aws/rds or aws/ebs, is an AWS managed key); see the copy jobs' status message",
    ]);
    expect(report.isolatedGaps?.map((g) => [g.resourceType, g.resourceName])).to.deep.equal([
      ["RDS", "production-db"],
    ]);
    // Printed too: the same finding in the text output.
    h.dispose();
    make(dr, isolatedCopies(dr, DR, "dr-vault"));
    expect(await h.run(["status"])).to.equal(1);
    expect(h.stdout.text + h.stderr.text).to.contain(
      "no copy of RDS production-db, which the DR vault holds",
    );
  });

  it("GIVEN the DR vault's points deleted THEN status says a recovery would restore from the isolated vault, and exits 1", async () => {
    make([], isolatedCopies([simPoint("RDS", "production-db", NOW, 40 * MIN, CMK)], DR, "dr-vault"));
    expect(await h.run(["status", "--json"])).to.equal(1);
    const report = JSON.parse(h.stdout.text) as StatusReport;
    expect(report.problems).to.deep.equal([
      "DR vault 'dr-vault' holds no recovery points; the isolated vault 'dr-isolated' holds 1: dr recover would restore from it",
    ]);
    expect(report.fromIsolated?.map((f) => [f.resourceType, f.ageMinutes, f.withinRpo, f.why])).to.deep.equal(
      [["RDS", 40, true, "the DR vault has no COMPLETED point"]],
    );
    expect(report.vaults.map((v) => v.role)).to.deep.equal(["dr", "primary", "isolated"]);
  });

  it("GIVEN the isolated point a recovery would take past the RPO THEN a finding says so", async () => {
    make(
      [simPoint("S3", "app-data", NOW, 5 * 60 * MIN)],
      isolatedCopies([simPoint("S3", "app-data", NOW, 2 * 60 * MIN)], DR, "dr-vault"),
    );
    expect(await h.run(["status"])).to.equal(1);
    expect(h.stdout.text).to.contain(
      "S3 app-data: its point of 2h 00m ago (RPO MISSED), as the DR vault's newest COMPLETED point is 5h 00m old, past the RPO of 60 min",
    );
    expect(h.stdout.text).to.contain(
      "isolated vault: S3 app-data, which a recovery would take from it, has its newest COMPLETED point 2h 00m old (RPO 60 min)",
    );
    expect(h.stdout.text).to.contain("RPO objective MISSED for 2 resource(s)");
  });

  it("GIVEN the stack names an isolated vault AWS does not know THEN a finding, not a crash", async () => {
    make([simPoint("RDS", "production-db", NOW, 30 * MIN)], undefined);
    expect(await h.run(["status"])).to.equal(1);
    expect(h.stdout.text).to.contain(
      "isolated vault 'dr-isolated' in us-west-2 unreachable: no backup vault named 'dr-isolated' in us-west-2",
    );
  });

  it("GIVEN no isolated vault output THEN status is as before; --isolated-vault names one", async () => {
    const isolated = isolatedCopies([simPoint("RDS", "production-db", NOW, 40 * MIN, CMK)], DR, "dr-vault");
    make([simPoint("RDS", "production-db", NOW, 30 * MIN)], isolated, {});
    expect(await h.run(["status"])).to.equal(0);
    expect(h.stdout.text).not.to.contain("Isolated");
    h.dispose();
    make([simPoint("RDS", "production-db", NOW, 30 * MIN)], isolated, {});
    expect(await h.run(["status", "--isolated-vault", LAG])).to.equal(0);
    expect(h.stdout.text).to.contain("Isolated (logically air-gapped) vault 'dr-isolated'");
  });
});
