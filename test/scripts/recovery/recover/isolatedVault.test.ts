import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { RunReport } from "../../../../scripts/recovery/core/report";
import { ACCOUNT } from "../../../../scripts/simulation/fixtures";
import { isolatedCopies } from "../../../../scripts/simulation/isolatedVault";
import { SimPoint, simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { Harness, HarnessOptions } from "../../../fakes/harness";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;
/** A source encrypted with a customer managed key: its copy into the LAG vault completes (isolatedCopyRule.ts). */
const CMK = { sourceKey: "customer-managed" } as const;
const DR = "us-west-2";
const LAG = "dr-isolated";
const ISOLATED_OUTPUTS = {
  isolatedVaultName: LAG,
  isolatedVaultArn: `arn:aws:backup:${DR}:${ACCOUNT}:backup-vault:${LAG}`,
};

/**
 * The DR vault (RPO 60 min): a clean database point (30 min), only a PARTIAL table point, a bucket point
 * past the RPO (3 h), no volume point. The isolated vault: a copy of each resource, 20 min old.
 */
function vaults(): { dr: SimPoint[]; isolated: SimPoint[] } {
  const dr = [
    simPoint("RDS", "production-db", NOW, 30 * MIN),
    simPoint("DynamoDB", "Orders", NOW, 25 * MIN, { status: "PARTIAL", statusMessage: "export interrupted" }),
    simPoint("S3", "app-data", NOW, 180 * MIN),
  ];
  const sources = [
    simPoint("RDS", "production-db", NOW, 20 * MIN, CMK),
    simPoint("DynamoDB", "Orders", NOW, 20 * MIN),
    simPoint("S3", "app-data", NOW, 20 * MIN),
    simPoint("EBS", "vol-0data", NOW, 20 * MIN, CMK),
  ];
  return { dr, isolated: isolatedCopies(sources, DR, "dr-vault") };
}

describe("dr recover / drill: the isolated vault", () => {
  let h: Harness;
  const make = (points = vaults(), options: Partial<HarnessOptions> = {}) => {
    h = new Harness({
      points: points.dr,
      sim: { isolated: { name: LAG, points: points.isolated } },
      stack: { outputs: ISOLATED_OUTPUTS },
      ...options,
    });
    return h;
  };
  afterEach(() => h?.dispose());
  const report = (kind = "recover"): RunReport => {
    const file = fs.readdirSync(h.reportDir).find((f) => f.startsWith(`${kind}-`) && f.endsWith(".json"));
    return JSON.parse(fs.readFileSync(path.join(h.reportDir, file ?? "none"), "utf8"));
  };
  const lagArn = (points: SimPoint[], type: string) =>
    points.find((p) => p.resourceType === type)?.recoveryPointArn;

  it("recover: takes the isolated vault's point for each resource the DR vault has no clean point for, the DR vault's for the others", async () => {
    const points = vaults();
    make(points);
    const code = await h.run(["recover", "--yes"]);
    expect(code, h.stderr.text).to.equal(0);
    const started = new Set(h.sim.startCalls.map((c) => c.recoveryPointArn));
    expect(started).to.deep.equal(
      new Set([
        points.dr[0].recoveryPointArn,
        lagArn(points.isolated, "DynamoDB"),
        lagArn(points.isolated, "S3"),
        lagArn(points.isolated, "EBS"),
      ]),
    );
    const jobs = report().jobs.map((j) => [j.resourceType, j.isolated?.vaultName ?? "dr", j.isolated?.why]);
    expect(jobs).to.deep.equal([
      ["DynamoDB", LAG, "the DR vault has no COMPLETED point"],
      ["EBS", LAG, "the DR vault has no COMPLETED point"],
      ["RDS", "dr", undefined],
      ["S3", LAG, "the DR vault's newest COMPLETED point is 3h 00m old, past the RPO of 60 min"],
    ]);
    // The plan says where each point comes from, and why the isolated vault's.
    expect(h.stdout.text).to.match(/VAULT/);
    expect(h.stdout.text).to.match(/RDS\s+production-db\s+\S+\s+30m 00s\s+dr-vault\s+/);
    expect(h.stdout.text).to.match(/S3\s+app-data\s+\S+\s+20m 00s\s+dr-isolated \(isolated\)/);
    expect(h.stdout.text).to.contain("From the isolated vault:");
    const markdown = fs.readFileSync(path.join(h.reportDir, "recover-20260412t090000a7.md"), "utf8");
    expect(markdown).to.contain("(isolated vault dr-isolated)");
    expect(report().rpo).to.deep.equal({ targetMinutes: 60, achievedMinutes: 30, met: true });
  });

  it("recover --from-isolated: every point from the isolated vault, a clean DR point too", async () => {
    const points = vaults();
    make(points);
    const code = await h.run(["recover", "--yes", "--from-isolated"]);
    expect(code, h.stderr.text).to.equal(0);
    expect(new Set(h.sim.startCalls.map((c) => c.recoveryPointArn))).to.deep.equal(
      new Set(points.isolated.map((p) => p.recoveryPointArn)),
    );
    expect(report().jobs.every((j) => j.isolated?.why === "--from-isolated")).to.equal(true);
    expect(h.stdout.text).to.contain("every point comes from it (--from-isolated)");
  });

  it("--from-isolated without an isolated vault: a clear error naming the output, nothing started", async () => {
    h = new Harness({ points: vaults().dr });
    const code = await h.run(["recover", "--yes", "--from-isolated"]);
    expect(code).to.equal(2);
    expect(h.stderr.text).to.contain(
      "--from-isolated takes every recovery point from the isolated vault, and no isolated vault is known: the dr stack has no 'isolatedVaultName' output (isolation off, or the stack predates it); deploy the stacks with isolation on, or pass --isolated-vault <name-or-arn>",
    );
    expect(h.sim.startCalls).to.deep.equal([]);
  });

  it("without an isolated vault a run reads the DR vault only, as before", async () => {
    const points = vaults();
    h = new Harness({ points: points.dr, sim: { isolated: { name: LAG, points: points.isolated } } });
    const code = await h.run(["recover", "--yes"]);
    // The bucket's point is past the RPO and the table has none: the verdict says so.
    expect(code, h.stderr.text).to.equal(1);
    expect(report().jobs.map((j) => [j.resourceType, j.isolated])).to.deep.equal([
      ["RDS", undefined],
      ["S3", undefined],
    ]);
    expect(h.stdout.text).not.to.match(/VAULT/);
  });

  it("the DR vault's points deleted by an attacker, the isolated vault's refused: recover restores everything from the isolated vault", async () => {
    const points = vaults();
    make(points);
    // The attacker holds the deployer's role: the DR vault's deny policy exempts it; the LAG vault's lock does not.
    for (const p of [...points.dr]) {
      h.sim.model.deleteRecoveryPoint(DR, "dr-vault", p.recoveryPointArn);
    }
    expect(() => h.sim.model.deleteRecoveryPoint(DR, LAG, points.isolated[0].recoveryPointArn)).to.throw(
      /locked in compliance mode: it cannot be deleted/,
    );
    const code = await h.run(["recover", "--yes"]);
    expect(code, h.stderr.text).to.equal(0);
    expect(h.stdout.text).to.contain("DR vault 'dr-vault': 0 recovery points");
    expect(report().jobs.map((j) => [j.resourceType, j.status, j.isolated?.vaultName])).to.deep.equal([
      ["DynamoDB", "COMPLETED", LAG],
      ["EBS", "COMPLETED", LAG],
      ["RDS", "COMPLETED", LAG],
      ["S3", "COMPLETED", LAG],
    ]);
  });

  it("recover --dry-run: names the resource restored from the DR vault that the isolated vault holds no copy of, and why", async () => {
    // The database's source has an AWS managed key: AWS failed its copies into the isolated vault.
    const dr = [simPoint("RDS", "production-db", NOW, 30 * MIN), simPoint("S3", "app-data", NOW, 30 * MIN)];
    make({ dr, isolated: isolatedCopies(dr, DR, "dr-vault") });
    const code = await h.run(["recover", "--dry-run"]);
    expect(code, h.stderr.text).to.equal(0);
    expect(h.stdout.text).to.contain(
      "No copy in the isolated vault (a recovery from it alone would not restore these):\n  RDS production-db: AWS Backup does not fully manage RDS: its copies into a logically air-gapped vault fail unless its source is encrypted with a customer managed key",
    );
    expect(h.stdout.text).not.to.match(/ {2}S3 app-data: .*not fully manage/);
  });

  it("the isolated vault's point older than the RPO: restored, and the verdict says the RPO was missed", async () => {
    const old = [simPoint("RDS", "production-db", NOW, 150 * MIN, CMK)];
    make({ dr: [], isolated: isolatedCopies(old, DR, "dr-vault") });
    const code = await h.run(["recover", "--yes"]);
    expect(code, h.stderr.text).to.equal(1);
    const r = report();
    expect(r.jobs.map((j) => [j.resourceType, j.status, j.isolated?.vaultName])).to.deep.equal([
      ["RDS", "COMPLETED", LAG],
    ]);
    expect(r.rpo).to.deep.equal({ targetMinutes: 60, achievedMinutes: 150, met: false });
    expect(h.stdout.text).to.contain(
      "RPO MISSED: 150 min, target 60 min (oldest point: RDS production-db from the isolated vault 'dr-isolated')",
    );
  });

  it("a DR point past the RPO is kept when the isolated vault has nothing newer", async () => {
    const stale = [simPoint("S3", "app-data", NOW, 180 * MIN)];
    make({
      dr: stale,
      isolated: isolatedCopies([simPoint("S3", "app-data", NOW, 240 * MIN)], DR, "dr-vault"),
    });
    const code = await h.run(["recover", "--yes", "--no-flip"]);
    expect(code, h.stderr.text).to.equal(1);
    expect(h.sim.startCalls.map((c) => c.recoveryPointArn)).to.deep.equal([stale[0].recoveryPointArn]);
  });

  it("no usable point in either vault: one line naming both, nothing started", async () => {
    const partial = (ageMin: number) =>
      simPoint("RDS", "production-db", NOW, ageMin * MIN, {
        status: "PARTIAL",
        statusMessage: "interrupted",
      });
    make({
      dr: [partial(10)],
      isolated: isolatedCopies([simPoint("RDS", "production-db", NOW, 30 * MIN, CMK)], DR, "dr-vault").map(
        (p) => ({ ...p, status: "EXPIRED" }),
      ),
    });
    expect(await h.run(["recover", "--yes"])).to.equal(2);
    expect(h.stderr.text).to.contain(
      "no COMPLETED recovery point to restore in vault 'dr-vault' or isolated vault 'dr-isolated' (2 points): arn:aws:rds:us-east-1:111122223333:db:production-db: PARTIAL recovery point of 2026-04-12T08:50:00.000Z passed over (interrupted)",
    );
    expect(h.sim.startCalls).to.deep.equal([]);
  });

  it("a re-run resumes the journal's plan, each point with its vault: no restore starts again, the report keeps the isolated vault", async () => {
    const points = vaults();
    make(points, { stack: { outputs: ISOLATED_OUTPUTS, upMs: [MIN], failUp: 1 } });
    expect(await h.run(["recover", "--yes"])).to.equal(3);
    const first = h.journal("recover");
    expect(first.plan.filter((p) => p.isolated).map((p) => p.resourceType)).to.deep.equal([
      "DynamoDB",
      "EBS",
      "S3",
    ]);
    const starts = h.sim.startCalls.length;
    h.stdout.text = "";
    expect(await h.run(["recover", "--yes"]), h.stderr.text).to.equal(0);
    expect(h.sim.startCalls).to.have.length(starts);
    // The resumed run reads its plan from the journal, not the isolated vault again.
    expect(h.stdout.text).not.to.contain("isolated vault 'dr-isolated':");
    expect(
      report()
        .jobs.filter((j) => j.isolated)
        .map((j) => j.resourceType),
    ).to.deep.equal(["DynamoDB", "EBS", "S3"]);
  });

  it("drill --dry-run: shows the vault of each point, starts nothing", async () => {
    const points = vaults();
    make(points);
    const code = await h.run(["drill", "--yes", "--dry-run"]);
    expect(code, h.stderr.text).to.equal(0);
    expect(h.sim.startCalls).to.deep.equal([]);
    expect(h.stdout.text).to.match(/DynamoDB\s+Orders\s+\S+\s+20m 00s\s+dr-isolated \(isolated\)/);
    expect(h.stdout.text).to.contain("DynamoDB Orders: the DR vault has no COMPLETED point");
  });

  it("an isolated vault the stack names but AWS does not know: a warning, the DR vault only; --from-isolated stops", async () => {
    h = new Harness({ points: vaults().dr, stack: { outputs: ISOLATED_OUTPUTS }, sim: {} });
    const code = await h.run(["drill", "--yes", "--dry-run"]);
    expect(code, h.stderr.text).to.equal(0);
    expect(h.stderr.text).to.contain(
      "isolated vault not read, recovering from the DR vault only: no backup vault named 'dr-isolated' in us-west-2",
    );
    h.dispose();
    h = new Harness({ points: vaults().dr, stack: { outputs: ISOLATED_OUTPUTS } });
    expect(await h.run(["drill", "--yes", "--dry-run", "--from-isolated"])).to.equal(2);
    expect(h.stderr.text).to.contain("no backup vault named 'dr-isolated' in us-west-2");
  });
});
