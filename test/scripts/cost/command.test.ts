import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as costCommand from "../../../scripts/commands/cost";
import { DEFAULT_PRICES_FILE } from "../../../scripts/cost/prices";
import { DrError } from "../../../scripts/errors";
import { runCommand } from "../../helpers/command";
import { projectCopy } from "../../helpers/projectCopy";

const REPO = path.resolve(__dirname, "..", "..", "..");

/** Runs `dr cost <args>` under a root program with the CLI's global options, capturing the output. */
async function cost(args: string[], cwd = REPO): Promise<{ out: string; err: string }> {
  const { out, err } = await runCommand(costCommand, ["cost", ...args], { cwd });
  return { out, err };
}

describe("cost: the command", () => {
  it("GIVEN --seed-example THEN prints the table, the total and the guide's claim beside it", async () => {
    const { out } = await cost(["--seed-example"]);
    expect(out).to.contain("Monthly DR overhead estimate: plan seed (stack prod), us-east-1 -> us-west-2");
    expect(out).to.contain("as of 2026-11-23");
    expect(out).to.match(/Total per month\s+\$572\.24\n/);
    expect(out).to.match(/\$572\.24\/month\n/);
    expect(out).to.contain("$50-200/month (the guide's claim)");
    expect(out).to.contain("1,024 GB (--s3-gb) x $0.023/GB-month = $23.55");
    // The seed's sizes go to the example's inventory entries, one line each.
    expect(out).to.contain("  db (rds): 500 GB (--db-gb)\n");
    expect(out).to.match(/ {2}db \(rds\) backups, warm \(us-east-1\)\s+\$141\.51\n/);
    expect(out).to.match(/RDS snapshots are \$418\.91 \(73%\) across the vaults/);
  });

  it("GIVEN the service example's stack file (--config-file) THEN one line per inventory entry, sized as the entries declare", async () => {
    const { out } = await cost([
      "--stack",
      "prod",
      "--config-file",
      path.join(REPO, "docs", "examples", "service", "Pulumi.prod.yaml"),
      "--s3-gb",
      "300",
      "--json",
    ]);
    const estimate = JSON.parse(out) as {
      inputs: { entries: { name: string; kind: string; gb: number; size: string }[] };
      lines: { section: string; item: string }[];
      notes: string[];
    };
    expect(estimate.inputs.entries.map((e) => [e.name, e.kind, e.size])).to.deep.equal([
      ["orders-db", "rds", "50 GB (allocatedStorage)"],
      ["users-db", "rds", "20 GB (allocatedStorage)"],
      ["orders", "dynamodb", "1 GB (tableSizeGiB)"],
      ["sessions", "dynamodb", "1 GB (tableSizeGiB)"],
      ["events", "dynamodb", "1 GB (tableSizeGiB)"],
      ["shared", "efs", "no size: the price file prices none of its backups"],
      ["assets", "s3", "150 GB (--s3-gb 300 GB shared by 2 s3 entries)"],
      ["exports", "s3", "150 GB (--s3-gb 300 GB shared by 2 s3 entries)"],
    ]);
    const items = (section: string) => estimate.lines.filter((l) => l.section === section).map((l) => l.item);
    expect(items("primary vault").filter((item) => item.includes("warm"))).to.deep.equal([
      "orders-db (rds) backups, warm (us-east-1)",
      "users-db (rds) backups, warm (us-east-1)",
      "orders (dynamodb) backups, warm (us-east-1)",
      "sessions (dynamodb) backups, warm (us-east-1)",
      "events (dynamodb) backups, warm (us-east-1)",
    ]);
    expect(items("S3 replication").slice(0, 2)).to.deep.equal([
      "assets (s3) replica storage, STANDARD (us-west-2)",
      "exports (s3) replica storage, STANDARD (us-west-2)",
    ]);
    expect(estimate.notes).to.include(
      "Inventory entries no line prices: shared (efs): the price file has no price for its backups.",
    );
  });

  it("GIVEN a size flag THEN it shares its kind's total among the entries, by what they declare", async () => {
    const { out } = await cost([
      "--stack",
      "prod",
      "--config-file",
      path.join(REPO, "docs", "examples", "service", "Pulumi.prod.yaml"),
      "--db-gb",
      "140",
      "--json",
    ]);
    const { inputs } = JSON.parse(out) as {
      inputs: { dbGb: number; entries: { name: string; size: string }[] };
    };
    expect(inputs.dbGb).to.equal(140);
    expect(inputs.entries.slice(0, 2).map((e) => e.size)).to.deep.equal([
      "100 GB (--db-gb 140 GB shared by 2 rds entries by allocatedStorage)",
      "40 GB (--db-gb 140 GB shared by 2 rds entries by allocatedStorage)",
    ]);
  });

  it("GIVEN --json THEN prints every line with quantity, unit price, monthly and arithmetic", async () => {
    const { out } = await cost([
      "--db-gb",
      "500",
      "--s3-gb",
      "1024",
      "--instances",
      "5",
      "--dynamodb-gb",
      "0",
      "--json",
    ]);
    const parsed = JSON.parse(out);
    expect(parsed.total).to.equal(572.24);
    expect(parsed.comparison).to.equal(undefined);
    expect(parsed.lines[0]).to.have.keys(
      "section",
      "item",
      "quantity",
      "unit",
      "unitPrice",
      "monthly",
      "arithmetic",
      "price",
    );
  });

  it("GIVEN --stack prod THEN resolves the same pair as the default dr stack", async () => {
    const viaProd = JSON.parse((await cost(["--seed-example", "--json", "--stack", "prod"])).out);
    expect(viaProd.total).to.equal(572.24);
  });

  it("GIVEN --plan daily THEN estimates the daily rule alone", async () => {
    const { out } = await cost(["--seed-example", "--json", "--plan", "daily"]);
    const parsed = JSON.parse(out);
    expect(parsed.plan).to.equal("daily (--plan)");
    expect(parsed.lines.some((l: { arithmetic: string }) => l.arithmetic.includes("hourly-backup"))).to.equal(
      false,
    );
  });

  it("GIVEN --prices <file> THEN uses that file's prices and names it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prices-"));
    try {
      const raw = JSON.parse(fs.readFileSync(DEFAULT_PRICES_FILE, "utf8"));
      raw.prices.albHour.usd = 0.03;
      const file = path.join(dir, "mine.json");
      fs.writeFileSync(file, JSON.stringify(raw));
      const parsed = JSON.parse((await cost(["--seed-example", "--json", "--prices", file])).out);
      expect(parsed.prices.file).to.equal(file);
      // 572.24 - 16.43 + 730 x 0.03
      expect(parsed.total).to.equal(577.71);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("GIVEN no Pulumi.yaml THEN estimates the seed plan between us-east-1 and us-west-2, and says so", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "no-project-"));
    try {
      const { out, err } = await cost(["--seed-example", "--json"], dir);
      expect(JSON.parse(out).total).to.equal(572.24);
      expect(err).to.contain("no Pulumi.yaml");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("GIVEN no sizes and no project THEN refuses with a DrError naming the flags", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-cost-"));
    try {
      await cost([], dir);
      expect.fail("expected an error");
    } catch (err) {
      expect(err).to.be.instanceOf(DrError);
      expect((err as Error).message).to.contain("--db-gb");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("GIVEN no sizes THEN estimates the stack's inventory at the sizes its entries declare", async () => {
    const { out } = await cost(["--json"]);
    const { inputs } = JSON.parse(out) as { inputs: { entries: { name: string; size: string }[] } };
    expect(inputs.entries.map((e) => `${e.name}: ${e.size}`)).to.deep.equal([
      "db: 20 GB (allocatedStorage)",
      "table: 1 GB (tableSizeGiB)",
      "volume: 20 GB (sizeGiB)",
      "bucket: no size declared: pass --s3-gb",
    ]);
  });

  it("GIVEN a change rate over 100% THEN refuses it", async () => {
    try {
      await cost(["--db-gb", "10", "--daily-change-pct", "150"]);
      expect.fail("expected an error");
    } catch (err) {
      expect((err as Error).message).to.equal('--daily-change-pct must be a number from 0 to 100, got "150"');
    }
  });

  it("GIVEN prod's auditFramework THEN prices its control evaluations, marked unverified with the assumption named", async () => {
    const dir = projectCopy({ set: { prod: { auditFramework: "true" } } });
    try {
      const { out } = await cost(["--seed-example", "--json"], dir);
      const estimate = JSON.parse(out) as {
        lines: { section: string; item: string; quantity: number; monthly: number; arithmetic: string }[];
        notes: string[];
      };
      const audit = estimate.lines.filter((line) => line.section === "audit framework");
      // The seed plan copies to DR and prod has RPO, RTO and a vault lock: four controls, over the example's
      // four inventory entries, once a day for 30.42 days.
      expect(audit).to.have.length(1);
      expect(audit[0].item).to.equal(
        "AWS Backup Audit Manager control evaluations (us-east-1), unverified price",
      );
      expect(audit[0].arithmetic).to.equal(
        "4 controls (RESTORE_TIME_FOR_RESOURCES_MEET_TARGET, BACKUP_LAST_RECOVERY_POINT_CREATED, BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION, BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK) x 4 resources x 30.42 days (assumed: each control evaluates each resource once a day) = 486.67 evaluations x $0.001/evaluation = $0.49",
      );
      expect(estimate.notes.join("\n")).to.contain("The audit framework's evaluation price is unverified");
      const without = JSON.parse((await cost(["--seed-example", "--json"])).out) as typeof estimate;
      expect(without.lines.filter((line) => line.section === "audit framework")).to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("GIVEN a stack value the program rejects THEN refuses with its error instead of estimating a fallback", async () => {
    const dir = projectCopy({ set: { dr: { interfaceEndpoints: "yes please" } } });
    try {
      let error: unknown;
      await cost(["--seed-example"], dir).catch((err: unknown) => (error = err));
      expect(error).to.be.instanceOf(DrError);
      expect((error as Error).message).to.equal(
        "Stack 'dr' with configuration key 'interfaceEndpoints' value 'yes please' must be of type 'boolean'",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
