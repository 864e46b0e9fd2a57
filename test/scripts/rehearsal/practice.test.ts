// dr rehearse practises what the advice says: partial recoveries, the advised retry, each failure class, the question.
import { spawn } from "child_process";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { classifyFailure } from "../../../scripts/recovery/core/failureAdvice";
import { RunReport } from "../../../scripts/recovery/core/report";
import { causeEffect } from "../../../scripts/rehearsal/failureCauses";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const DR = path.join(ROOT, "scripts/bin/restorekit-dr.js");

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A shell with nothing AWS or Pulumi in it (the rehearsal refuses some variables). */
function cleanEnv(): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && !k.startsWith("PULUMI_")),
  );
  return { ...base, NODE_NO_WARNINGS: "1" };
}

function run(args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DR, ...args], { cwd: ROOT, env: cleanEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * `dr <args>` on a pseudo-terminal (`script`), typing `answer` and Enter once `question` shows, as an
 * operator at a terminal does. Resolves with the terminal's text and the exit code.
 */
function onTerminal(args: string[], question: string, answer: string): Promise<Result> {
  const quote = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;
  const command = [process.execPath, DR, ...args].map(quote).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qfec", command, "/dev/null"], { cwd: ROOT, env: cleanEnv() });
    let stdout = "";
    let answered = false;
    child.stdout.on("data", (d) => {
      stdout += d;
      if (!answered && stdout.includes(question)) {
        answered = true;
        child.stdin.write(`${answer}\r`);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr: "" }));
  });
}

describe("dr rehearse: the simulated failure texts of Aurora are the cluster's faults (review finding 4)", () => {
  const target = {
    resourceType: "Aurora",
    roleArn: "arn:aws:iam::111122223333:role/backup-role",
    region: "us-west-2",
  };

  it("a name conflict is DBClusterAlreadyExistsFault, classified as a name conflict", () => {
    const effect = causeEffect("name-conflict", target);
    expect(effect.message).to.equal(
      "DBClusterAlreadyExistsFault: User already has a DB cluster with the given identifier.",
    );
    expect(classifyFailure(effect.message)).to.equal("name-conflict");
  });

  it("capacity is InsufficientDBClusterCapacityFault, no instance text, got past by a retry (no key fixes it)", () => {
    const effect = causeEffect("capacity", target);
    expect(effect).to.deep.include({
      message:
        "InsufficientDBClusterCapacityFault: The DB cluster doesn't have enough capacity for the current operation.",
      failsUntil: "retry",
    });
    expect(classifyFailure(effect.message)).to.equal("capacity");
  });

  it("a quota is DBClusterQuotaExceededFault", () => {
    const effect = causeEffect("quota", target);
    expect(effect.message).to.match(/^DBClusterQuotaExceededFault: /);
    expect(classifyFailure(effect.message)).to.equal("quota");
  });
});

describe("dr rehearse: practising what the advice says (finding 5)", function () {
  // Each child evaluates the prod and dr programs (a few seconds) and runs simulated hours at 1000x.
  this.timeout(240_000);
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-practice-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const common = () => [
    "--report-dir",
    path.join(dir, "reports"),
    "rehearse",
    "--speed",
    "1000",
    "--rehearsal-dir",
    path.join(dir, "state"),
  ];
  const rehearse = (...args: string[]) => run([...common(), ...args]);
  const reports = (): RunReport[] =>
    fs
      .readdirSync(path.join(dir, "reports"))
      .filter((f) => f.endsWith(".json"))
      .map((f) => JSON.parse(fs.readFileSync(path.join(dir, "reports", f), "utf8")) as RunReport);

  it("the help's example `dr rehearse -- --only RDS` rehearses a partial recovery: the database only, flipped, healthy (P6)", async () => {
    const help = await run(["rehearse", "--help"]);
    expect(help.stdout).to.contain("dr rehearse -- --only RDS ");

    const result = await rehearse("--", "--only", "RDS");
    expect(result.stderr).not.to.contain("error:");
    expect(result.stdout).to.contain("$ dr recover --yes --only RDS");
    expect(result.stdout).to.match(/rehearsal of recover \w+: SUCCESS/);
    expect(result.code).to.equal(0);
    const [report] = reports();
    expect(report.jobs.map((j) => j.resourceType)).to.deep.equal(["RDS"]);
    expect(report.flips.every((f) => f.ok === true)).to.equal(true);
  });

  it("an unknown command is still a usage error naming the choices", async () => {
    const result = await run(["rehearse", "bogus"]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain(
      "error: command-argument value 'bogus' is invalid for argument 'command'. Allowed choices are recover, drill, failback.",
    );
  });

  it("`dr rehearse recover -- --retry-failed` runs the recovery, which fails transiently, then the advised retry, which completes it", async () => {
    const result = await rehearse("recover", "--", "--retry-failed");
    expect(result.stdout).to.contain("scenario 'restore-transient'");
    expect(result.stdout).to.match(
      /note: next for DynamoDB \S+ \(transient\): a transient failure on AWS's side: 'dr recover --retry-failed' starts a new restore of it/,
    );
    expect(result.stdout).to.contain("rehearsal: 'dr recover' exited 1, as the same real run would");
    expect(result.stdout).to.contain("$ dr recover --yes --retry-failed");
    expect(result.stdout).to.match(/rehearsal of recover \w+: SUCCESS/);
    expect(result.code).to.equal(0);
  });

  it("restore-fails (a KMS CreateGrant denial) advises the key policy fix, and its retry fails the same way until the key is fixed", async () => {
    const result = await rehearse("--scenario", "restore-fails", "--", "--retry-failed");
    expect(result.stdout).to.match(
      /note: next for DynamoDB \S+ \(permissions\): fix the key first, a retry with the same role and key fails the same way: allow the restore role \S+ kms:CreateGrant/,
    );
    expect(result.stdout).not.to.contain("restores only the");
    expect(result.code).to.equal(1);
  });

  it("restore-name-conflict: the retry under another name (--metadata) completes it and the stack points at that name", async () => {
    const result = await rehearse(
      "--scenario",
      "restore-name-conflict",
      "--",
      "--retry-failed",
      "--metadata",
      "dynamodb.targetTableName=dr-orders-2",
    );
    expect(result.stdout).to.match(
      /note: next for DynamoDB \S+ \(name-conflict\): a resource named \S+ already exists/,
    );
    expect(result.stdout).to.contain('"table":{"kind":"dynamodb","id":"dr-orders-2"');
    expect(result.code).to.equal(0);
  });

  it("--retry-failed with a scenario that fails nothing is refused before anything starts, naming the scenarios that do", async () => {
    const result = await rehearse("--scenario", "all-fine", "--", "--retry-failed");
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain(
      "error: -- --retry-failed retries what the recovery failed, and scenario 'all-fine' fails no restore: pick one that does (restore-fails, restore-name-conflict, restore-capacity, restore-quota, restore-transient)",
    );
  });

  it("--confirm asks the real question on the terminal: 'no' starts nothing and exits 2, as a real run does (P9)", async () => {
    const question = "Type 'yes' to continue:";
    const result = await onTerminal([...common(), "--confirm"], question, "no");
    expect(result.stdout).to.contain("$ dr recover\r\n");
    expect(result.stdout).to.match(
      /Recover: start 4 restore job\(s\) in us-west-2 and set dr stack 'dr' to mode=active\. Type 'yes' to continue:/,
    );
    expect(result.stdout).to.contain("error: not confirmed: nothing was started");
    expect(result.stdout).to.contain("rehearsal: 'dr recover' exited 2, as the same real run would");
    expect(result.code).to.equal(2);
  });

  it("--confirm: 'yes' on the terminal runs the recovery", async () => {
    const result = await onTerminal([...common(), "--confirm"], "Type 'yes' to continue:", "yes");
    expect(result.stdout).to.match(/rehearsal of recover \w+: SUCCESS/);
    expect(result.code).to.equal(0);
  });
});
