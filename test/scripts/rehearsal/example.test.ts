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
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-example-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("restores all eight entries from the example's prod stack and wires each by its logical name", async () => {
    const result = await rehearse(dir, "--example", "service", "--speed", "10000");
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/8 StartRestoreJob call\(s\) made 8 restore job\(s\)/);
    const [file] = fs.readdirSync(path.join(dir, "reports")).filter((f) => f.endsWith(".json"));
    const report = JSON.parse(fs.readFileSync(path.join(dir, "reports", file), "utf8")) as RunReport;
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

  it("an example that is not there: exit 2, naming those there are", async () => {
    const result = await rehearse(dir, "--example", "nosuch");
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain(
      "--example 'nosuch': no such built-in example in docs/examples (examples: service)",
    );
  });
});
