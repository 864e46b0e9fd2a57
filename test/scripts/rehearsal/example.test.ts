// `dr rehearse --example service`: the second built-in example (docs/examples/service) recovered end to end in a child process.
import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { RunReport } from "../../../scripts/recovery/core/report";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const DR = path.join(ROOT, "scripts/bin/restorekit-dr.js");

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `dr rehearse <args>` from the sources, with no AWS or Pulumi variables of this machine. */
function rehearse(dir: string, ...args: string[]): Promise<Result> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && !k.startsWith("PULUMI_")),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        DR,
        "--report-dir",
        path.join(dir, "reports"),
        "rehearse",
        "--rehearsal-dir",
        path.join(dir, "state"),
        ...args,
      ],
      { cwd: ROOT, env: { ...env, NODE_NO_WARNINGS: "1", DR_FROM_SOURCE: "1" } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("dr rehearse --example service: two databases, three tables, a file system, two buckets, on ECS", function () {
  this.timeout(300_000);
  let dir: string;
  // One rehearsal of the example, shared by the assertions (a rehearsal is one of the slowest tests).
  let result: Result;
  let report: RunReport;
  let markdown: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-example-"));
    result = await rehearse(dir, "--example", "service", "--speed", "10000");
    const [file] = fs.readdirSync(path.join(dir, "reports")).filter((f) => f.endsWith(".json"));
    report = JSON.parse(fs.readFileSync(path.join(dir, "reports", file), "utf8")) as RunReport;
    markdown = fs.readFileSync(path.join(dir, "reports", file.replace(/\.json$/, ".md")), "utf8");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("restores all eight entries from the example's prod stack and wires each by its logical name", () => {
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/8 StartRestoreJob call\(s\) made 8 restore job\(s\)/);
    expect(report.outcome).to.equal("success");
    expect(report.jobs.map((j) => j.resourceType).sort()).to.deep.equal([
      "DynamoDB",
      "DynamoDB",
      "DynamoDB",
      "EFS",
      "RDS",
      "RDS",
      "S3",
      "S3",
    ]);
    const wired = report.flips.find((f) => f.phase === "data")?.config["dr-app:restoredData"] ?? "{}";
    expect(Object.keys(JSON.parse(wired)).sort()).to.deep.equal([
      "assets",
      "events",
      "exports",
      "orders",
      "orders-db",
      "sessions",
      "shared",
      "users-db",
    ]);
  });

  it("runs the application on the example's ECS service: the flip scales it and rolls a new task definition, health waits for its tasks, the report names it", () => {
    expect(result.stdout).to.contain(
      "compute rehearsed: dr's application runs as the ECS service dr-app-service on Fargate (cluster dr-app-cluster)",
    );
    expect(result.stdout).to.match(/simulated AWS \([^)]*, ECS\) on http/);
    expect(result.stdout).to.match(/~ aws:ecs\/service:Service app-service update\n.*desiredCount: 0 => 3\n/);
    expect(result.stdout).to.contain("~ aws:ecs/taskDefinition:TaskDefinition app-task update");
    // The new revision's tasks take their simulated time to run: verify waits for them before the health check.
    // The revision before the data update still runs while the new one rolls out; the check comes after.
    expect(result.stdout).to.match(
      /verify: dr-app-service: \d+ task\(s\) still running an older task definition than app-dr:2 \(app-dr:1: \d+\)[^\n]*checking again[\s\S]*verify: every task of dr-app-service in service runs task definition app-dr:2 [^\n]*\n[^\n]*health check http[\s\S]*healthy: http/,
    );
    expect(report.health?.healthy).to.equal(true);
    expect(report.rehearsal?.compute).to.equal(
      "ECS service dr-app-service on Fargate (cluster dr-app-cluster)",
    );
    expect(markdown).to.contain(
      "- REHEARSAL (scenario `all-fine`, clock at 10000x, the application on the ECS service dr-app-service on Fargate (cluster dr-app-cluster)):",
    );
  });

  it("writes each restored database's credential into its own secret, as the dr stack creates one per database, with no fallback", () => {
    for (const [database, secret] of [
      ["orders-db", "dr-app-dr-app-db-credential"],
      ["users-db", "dr-app-dr-app-users-db-db-credential"],
    ]) {
      expect(result.stdout, database).to.match(
        new RegExp(
          `RDS app-${database}-\\w+: new master password in arn:aws:secretsmanager:us-west-2:\\d+:secret:${secret}-\\w+ \\(AWSCURRENT\\)`,
        ),
      );
    }
    expect(result.stderr).to.not.contain("has no credential secret");
    expect(result.stdout).to.not.contain("has no credential secret");
  });
});

describe("dr rehearse drill --example service -- --flip: the drill wires every entry, checks health, and cleans up", function () {
  this.timeout(300_000);
  let dir: string;
  let result: Result;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-example-drill-"));
    result = await rehearse(dir, "drill", "--example", "service", "--speed", "10000", "--", "--flip");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("flips dr with all eight entries wired, answers healthy, reverts to standby and deletes what it restored", () => {
    expect(result.code, result.stderr).to.equal(0);
    const update = /dr stack dr: data update: dr-app:restoredData=(\{.*\}); removing/.exec(result.stdout);
    expect(update, "the data update").to.not.equal(null);
    expect(Object.keys(JSON.parse(update![1]) as object).sort()).to.deep.equal([
      "assets",
      "events",
      "exports",
      "orders",
      "orders-db",
      "sessions",
      "shared",
      "users-db",
    ]);
    expect(result.stdout).to.match(/healthy: http:\S+ answered HTTP 200/);
    expect(result.stdout).to.contain(
      "dr stack dr: revert update: dr-app:mode=standby; removing dr-app:restoredData",
    );
    expect(result.stdout.match(/\ncleanup: |Z cleanup: (file system|DB instance|table) /g)?.length).to.equal(
      6,
    );
    expect(result.stdout).to.match(/rehearsal of drill \S+: SUCCESS; .*exit 0\n/);
  });
});

describe("dr rehearse --example service", function () {
  this.timeout(60_000);
  it("an example that is not there: exit 2, naming those there are", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-example-"));
    try {
      const result = await rehearse(dir, "--example", "nosuch");
      expect(result.code).to.equal(2);
      expect(result.stderr).to.contain(
        "--example 'nosuch': no such built-in example in docs/examples (examples: service)",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
