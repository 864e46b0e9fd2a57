import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BackupPlanPresets, BackupRuleArgs } from "@restorekit/backup-restore-dr";
import { runsPerDay } from "../../../scripts/cost/backupRules";
import { CostLine } from "../../../scripts/cost/costLine";
import { estimateCost } from "../../../scripts/cost/estimate";
import { CostPlan } from "../../../scripts/cost/inputs";
import { costPlanFromDeployment, defaultCostPlan } from "../../../scripts/cost/plan";
import { DEFAULT_PRICES_FILE, loadPriceBook, parsePriceBook, PriceBook } from "../../../scripts/cost/prices";
import { compareWithSeedClaim, SEED_INPUTS, withGuideRetention } from "../../../scripts/cost/seed";
import { readDeployment } from "../../../scripts/deployment/model";
import { projectCopy } from "../../helpers/projectCopy";

const REPO = path.resolve(__dirname, "..", "..", "..");

function line(lines: readonly CostLine[], item: string): CostLine {
  const found = lines.find((l) => l.item === item);
  expect(found, `line "${item}" in ${lines.map((l) => l.item).join(" | ")}`).to.not.equal(undefined);
  return found as CostLine;
}

function repositoryPlan(): CostPlan {
  return costPlanFromDeployment(readDeployment(REPO, "dr"));
}

describe("cost: estimateCost", () => {
  let prices: PriceBook;

  before(() => {
    prices = loadPriceBook();
  });

  it("the price file names its sources, its date and that it must be checked", () => {
    const raw = JSON.parse(fs.readFileSync(DEFAULT_PRICES_FILE, "utf8")) as Record<string, unknown>;
    expect(path.basename(DEFAULT_PRICES_FILE)).to.match(/2026-11\.json$/);
    expect(prices.asOf).to.equal("2026-11-23");
    expect(prices.notice).to.contain("could not be reached").and.contain("Check each figure");
    expect(Object.values(prices.source).every((url) => url.startsWith("https://aws.amazon.com/"))).to.equal(
      true,
    );
    expect(raw.regions).to.deep.equal(["us-east-1", "us-west-2"]);
  });

  it("counts schedule runs per day from the AWS cron expression", () => {
    expect(runsPerDay(BackupPlanPresets.hourlyLocal())).to.equal(24);
    expect(runsPerDay(BackupPlanPresets.dailyWithDrCopy())).to.equal(1);
    const weekly: BackupRuleArgs = {
      name: "weekly",
      schedule: "cron(0 5 ? * SUN *)",
      lifecycle: { deleteAfterDays: 35 },
    };
    expect(runsPerDay(weekly)).to.be.closeTo(1 / 7, 0.003);
  });

  describe("GIVEN the seed example (500 GB database, 1 TB S3, 5 instances) and the repository's stacks", () => {
    it("THEN the total is $572.24 a month, the sum of the rounded lines", () => {
      const estimate = estimateCost(SEED_INPUTS, repositoryPlan(), prices);
      expect(estimate.total).to.equal(572.24);
      const sum = estimate.lines.reduce((total, l) => total + l.monthly, 0);
      expect(Math.round(sum * 100) / 100).to.equal(estimate.total);
      expect(estimate.oneTimeTotal).to.equal(44.48);
    });

    it("THEN the stacks' plan gives the same estimate as the seed preset without stacks", () => {
      const fromStacks = estimateCost(SEED_INPUTS, repositoryPlan(), prices);
      const fromPreset = estimateCost(SEED_INPUTS, defaultCostPlan("seed", BackupPlanPresets.seed()), prices);
      expect(fromStacks.lines).to.deep.equal(fromPreset.lines);
    });

    it("THEN each line shows its arithmetic", () => {
      const { lines } = estimateCost(SEED_INPUTS, repositoryPlan(), prices);
      expect(line(lines, "RDS backups, warm (us-east-1)").arithmetic).to.equal(
        "500 GB full copy + daily-backup: (97 - 1) x 10 GB + hourly-backup: ((24/day x 3 d = 72) - 1) x 0.4167 GB" +
          " = 1,489.58 GB-month x $0.095/GB-month = $141.51",
      );
      expect(line(lines, "RDS backups, warm (us-west-2)").arithmetic).to.equal(
        "500 GB full copy + daily-backup: (97 - 1) x 10 GB = 1,460 GB-month x $0.095/GB-month = $138.70",
      );
      expect(line(lines, "RDS copies of daily-backup, us-east-1 -> us-west-2").arithmetic).to.equal(
        "30.42 copies/month x 10 GB changed = 304.17 GB x $0.02/GB = $6.08",
      );
      expect(line(lines, "S3 replica storage, STANDARD (us-west-2)").arithmetic).to.equal(
        "1,024 GB x $0.023/GB-month = $23.55",
      );
      expect(line(lines, "S3 replication transfer, us-east-1 -> us-west-2").monthly).to.equal(12.46);
      expect(line(lines, "Application Load Balancer (us-west-2)").arithmetic).to.equal(
        "1 ALB x 730 h x $0.0225/ALB-hour = $16.43",
      );
      expect(line(lines, "public IPv4 addresses of the load balancer").arithmetic).to.equal(
        "1 ALB x 2 zones x 730 h x $0.005/IP-hour = $7.30",
      );
      expect(line(lines, "NAT gateways").monthly).to.equal(0);
      expect(line(lines, "KMS keys (us-east-1, us-west-2)").monthly).to.equal(2);
    });

    it("THEN the isolated copy has its storage in the DR region, warm for the copy's retention, and its own copies across regions", () => {
      const { lines, oneTime } = estimateCost(SEED_INPUTS, repositoryPlan(), prices);
      expect(line(lines, "RDS backups, logically air-gapped (us-west-2)")).to.deep.include({
        section: "isolated vault",
        arithmetic:
          "500 GB full copy + daily-backup: (97 - 1) x 10 GB = 1,460 GB-month x $0.095/GB-month = $138.70",
      });
      expect(line(lines, "EBS backups, logically air-gapped (us-west-2)").monthly).to.equal(14.6);
      expect(
        line(lines, "RDS copies of daily-backup, us-east-1 -> us-west-2 (isolated vault)").arithmetic,
      ).to.equal("30.42 copies/month x 10 GB changed = 304.17 GB x $0.02/GB = $6.08");
      expect(line(oneTime, "first full RDS copy, us-east-1 -> us-west-2 (isolated vault)").monthly).to.equal(
        10,
      );
      const without = estimateCost(SEED_INPUTS, { ...repositoryPlan(), isolatedCopy: false }, prices);
      expect(
        without.lines.filter((l) => l.section === "isolated vault" || l.item.includes("isolated")),
      ).to.deep.equal([]);
      // 138.70 + 14.60 storage, 6.08 + 1.22 copies
      expect(without.total).to.equal(572.24 - 160.6);
    });

    it("THEN RDS stays warm (no cold line) and EBS stays warm without the archive opt-in", () => {
      const { lines, notes } = estimateCost(SEED_INPUTS, repositoryPlan(), prices);
      expect(lines.filter((l) => l.item.includes("cold"))).to.deep.equal([]);
      expect(notes.join(" ")).to.contain("RDS has no cold storage");
    });

    it("THEN the comparison with the guide's $50-200/month explains the difference", () => {
      const plan = repositoryPlan();
      const estimate = estimateCost(SEED_INPUTS, plan, prices);
      const comparison = compareWithSeedClaim(estimate, SEED_INPUTS, plan, prices);
      expect(comparison.verdict).to.equal("above");
      expect(comparison.claim.text).to.equal("$50-200/month");
      expect(comparison.guideRetentionTotal).to.equal(376.94);
      expect(comparison.halfChangeTotal).to.equal(404.36);
      const text = comparison.explanation.join("\n");
      expect(text).to.contain("RDS snapshots are $418.91 (73%)");
      expect(text).to.contain("a logically air-gapped vault in us-west-2 holding a third copy");
      expect(text).to.contain("S3 replica storage alone is $23.55 for 1,024 GB");
      expect(text).to.contain("The idle dr stack is $52.93");
      expect(text).to.contain("keeps them 97 days");
    });
  });

  it("GIVEN interfaceEndpoints and DNS THEN the endpoints and the failover switch have their lines", () => {
    const plan = repositoryPlan();
    const { lines: off } = estimateCost(SEED_INPUTS, plan, prices);
    expect(
      line(
        off,
        "interface VPC endpoints (EC2 API, Secrets Manager; with interfaceEndpoints Session Manager, CloudWatch Logs)",
      ).arithmetic,
    ).to.equal("2 endpoints x 2 zones x 730 h x $0.01/endpoint-AZ-hour = $29.20");
    expect(off.map((l) => l.item)).to.not.include("Route 53 health checks of the DNS failover switch");
    const on: CostPlan = { ...plan, idleDr: { ...plan.idleDr, interfaceEndpoints: 6 }, failoverSwitch: true };
    const { lines, total } = estimateCost(SEED_INPUTS, on, prices);
    expect(
      line(
        lines,
        "interface VPC endpoints (EC2 API, Secrets Manager; with interfaceEndpoints Session Manager, CloudWatch Logs)",
      ).arithmetic,
    ).to.equal("6 endpoints x 2 zones x 730 h x $0.01/endpoint-AZ-hour = $87.60");
    expect(line(lines, "Route 53 health checks of the DNS failover switch").monthly).to.equal(1);
    expect(line(lines, "CloudWatch alarm of the DNS failover switch (us-west-2)").monthly).to.equal(0.1);
    expect(total).to.equal(572.24 + 58.4 + 1.1);
  });

  it("GIVEN the stacks' config THEN interfaceEndpoints and DNS reach the cost plan", () => {
    const dns = { route53ZoneId: "Z0123456789ABCDEFGHIJ", domainName: "api.example.com" };
    const dir = projectCopy({ set: { prod: dns, dr: { ...dns, interfaceEndpoints: "true" } } });
    try {
      const plan = costPlanFromDeployment(readDeployment(dir));
      // The four of interfaceEndpoints, the EC2 API one the servers attach their volume through and
      // Secrets Manager's, for their database credential.
      expect(plan.idleDr.interfaceEndpoints).to.equal(6);
      expect(plan.failoverSwitch).to.equal(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(repositoryPlan()).to.deep.include({ failoverSwitch: false });
    expect(repositoryPlan().idleDr.interfaceEndpoints).to.equal(2);
  });

  it("GIVEN the guide's 35-day retention THEN only rules with cold storage are shortened", () => {
    const plan = withGuideRetention(defaultCostPlan("seed", BackupPlanPresets.seed()));
    expect(plan.rules[0].lifecycle).to.deep.equal({ deleteAfterDays: 35 });
    expect(plan.rules[0].copyToDr?.lifecycle).to.deep.equal({ deleteAfterDays: 35 });
    expect(plan.rules[1]).to.deep.equal(BackupPlanPresets.hourlyLocal());
  });

  it("GIVEN DynamoDB THEN every recovery point is a full copy, warm then cold, and copies move full tables", () => {
    const inputs = { ...SEED_INPUTS, dbGb: 0, s3Gb: 0, ebsGb: 0, instances: 0, dynamodbGb: 10 };
    const plan = { ...defaultCostPlan("daily", { rules: [BackupPlanPresets.dailyWithDrCopy()] }) };
    const { lines } = estimateCost(inputs, plan, prices);
    expect(line(lines, "DynamoDB backups, warm (us-east-1)").arithmetic).to.equal(
      "daily-backup: 7 x 10 GB = 70 GB-month x $0.1/GB-month = $7.00",
    );
    expect(line(lines, "DynamoDB backups, cold (us-east-1)").arithmetic).to.equal(
      "daily-backup: 90 x 10 GB full = 900 GB-month x $0.03/GB-month = $27.00",
    );
    expect(line(lines, "DynamoDB copies of daily-backup, us-east-1 -> us-west-2").arithmetic).to.equal(
      "30.42 copies/month x 10 GB full = 304.17 GB x $0.02/GB = $6.08",
    );
  });

  it("GIVEN a rule that opts in to archiving THEN EBS goes to the archive tier as full copies", () => {
    const rule: BackupRuleArgs = {
      ...BackupPlanPresets.dailyWithDrCopy(),
      lifecycle: {
        moveToColdStorageAfterDays: 7,
        deleteAfterDays: 97,
        optInToArchiveForSupportedResources: true,
      },
      copyToDr: undefined,
    };
    const inputs = { ...SEED_INPUTS, dbGb: 0, s3Gb: 0, ebsGb: 100, instances: 5 };
    const { lines } = estimateCost(inputs, defaultCostPlan("archive", { rules: [rule] }), prices);
    expect(line(lines, "EBS backups, warm (us-east-1)").arithmetic).to.equal(
      "100 GB full copy + daily-backup: (7 - 1) x 2 GB = 112 GB-month x $0.05/GB-month = $5.60",
    );
    expect(line(lines, "EBS backups, cold (us-east-1)").arithmetic).to.equal(
      "daily-backup: 90 x 100 GB full = 9,000 GB-month x $0.0125/GB-month = $112.50",
    );
    expect(lines.some((l) => l.section === "DR vault" || l.section === "cross-region copies")).to.equal(
      false,
    );
  });

  describe("GIVEN a replacement price file", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "prices-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("THEN its prices change the lines and the total", () => {
      const raw = JSON.parse(fs.readFileSync(DEFAULT_PRICES_FILE, "utf8"));
      raw.asOf = "2027-01-01";
      raw.prices.s3Standard.usd = 0.025;
      raw.prices.backupWarmRds.usd = 0.1;
      const file = path.join(dir, "custom.json");
      fs.writeFileSync(file, JSON.stringify(raw));
      const custom = loadPriceBook(file);
      const estimate = estimateCost(SEED_INPUTS, repositoryPlan(), custom);
      expect(line(estimate.lines, "S3 replica storage, STANDARD (us-west-2)").arithmetic).to.equal(
        "1,024 GB x $0.025/GB-month = $25.60",
      );
      expect(line(estimate.lines, "RDS backups, warm (us-west-2)").monthly).to.equal(146);
      // 572.24 + (25.60 - 23.55) + (148.96 - 141.51) + (146.00 - 138.70): the isolated vault's RDS line
      // has its own price key, unchanged here
      expect(estimate.total).to.equal(589.04);
      expect(estimate.prices).to.include({ asOf: "2027-01-01", file });
    });

    it("THEN a file missing a price or a source is refused with every problem named", () => {
      const raw = JSON.parse(fs.readFileSync(DEFAULT_PRICES_FILE, "utf8"));
      delete raw.prices.albHour;
      raw.prices.kmsKeyMonth.source = "nowhere";
      raw.asOf = "November 2026";
      expect(() => parsePriceBook(raw, "custom.json")).to.throw(
        'custom.json: invalid price file:\n  "asOf" (November 2026) must be a date written YYYY-MM-DD\n' +
          '  "prices.albHour" is missing\n  "prices.kmsKeyMonth.source" must be one of the keys of "source"',
      );
    });
  });
});
