import { spawn } from "child_process";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunReport } from "../../../scripts/recovery/core/report";
import { REHEARSAL_BANNER } from "../../../scripts/rehearsal/rehearse";
import { startDr } from "../../fakes/childDr";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const DR = path.join(ROOT, "scripts/bin/restorekit-dr.js");

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment of a shell with nothing AWS or Pulumi in it (the rehearsal refuses some variables). */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && !k.startsWith("PULUMI_")),
  );
  return { ...base, NODE_NO_WARNINGS: "1", ...extra };
}

function run(command: string, args: string[], env = cleanEnv(), cwd = ROOT): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function readReports(dir: string): { json: RunReport; markdown: string; file: string }[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({
      file: f,
      json: JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as RunReport,
      markdown: fs.readFileSync(path.join(dir, f.replace(/\.json$/, ".md")), "utf8"),
    }));
}

describe("dr rehearse: each scenario end to end in a child process", function () {
  // Each child evaluates the prod and dr programs (a few seconds) and runs ~35 simulated minutes at 1000x.
  this.timeout(120_000);
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-rehearse-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const rehearse = (...args: string[]) =>
    run(process.execPath, [
      DR,
      "--report-dir",
      path.join(dir, "reports"),
      "rehearse",
      "--speed",
      "1000",
      "--rehearsal-dir",
      path.join(dir, "state"),
      ...args,
    ]);

  /** The one report the rehearsal wrote, checked to be marked as a rehearsal. */
  function onlyReport(kind: "recover" | "drill", scenario: string) {
    const reports = readReports(path.join(dir, "reports"));
    expect(reports).to.have.length(1);
    const [report] = reports;
    expect(report.file).to.match(new RegExp(`^rehearsal-${kind}-\\d{8}t\\d{6}[0-9a-f]{2}\\.json$`));
    expect(report.json.rehearsal).to.deep.equal({
      scenario,
      speed: 1000,
      compute: "Auto Scaling group dr-app-asg",
    });
    expect(report.markdown.split("\n")[0]).to.match(
      new RegExp(
        `^# DR ${kind === "drill" ? "drill" : "recovery"} rehearsal \\S+: ${report.json.verdict.result === "objectives-missed" ? "\\w+ objective missed" : report.json.outcome}$`,
      ),
    );
    return report.json;
  }

  const byType = (report: RunReport, type: string) => report.jobs.find((j) => j.resourceType === type);
  const lastLine = (stdout: string) => stdout.trimEnd().split("\n").pop();

  it("all-fine: says first that nothing reaches AWS, restores what prod protects, flips, is healthy, reports", async () => {
    const result = await rehearse("recover");
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout.split("\n")[0]).to.equal(REHEARSAL_BANNER);
    const report = onlyReport("recover", "all-fine");
    expect(report.outcome).to.equal("success");
    // What prod's backup selection takes (tag backup=true), named as the rehearsal deployment names it.
    expect(report.jobs.map((j) => `${j.resourceType} ${j.status}`).sort()).to.deep.equal([
      "DynamoDB COMPLETED",
      "EBS COMPLETED",
      "RDS COMPLETED",
      "S3 COMPLETED",
    ]);
    // Realistic durations in simulated time: RDS 20 min + 0.25 min/GiB of its 20 GiB. The report measures
    // from the CLI's receipt of the start (later by the call's latency) to AWS's CompletionDate.
    // The points column counts the plan's daily points within their retention: one fewer before today's has run.
    expect(result.stdout).to.match(/\nRDS\s+app-db\s+app-db-[0-9a-f]{7}\s+[67]\s+25m 00s\n/);
    expect(byType(report, "RDS")?.durationSeconds).to.be.within(1, 25 * 60);
    expect(report.flips.map((f) => `${f.phase} ${f.ok}`)).to.deep.equal(["infrastructure true", "data true"]);
    expect(report.health?.healthy).to.equal(true);
    // restoredData names only copies that exist: it is set once the longest restore it names (S3, 30 min) is
    // done, then the servers take it (a data update and their boot, a few minutes). Local processing is not in it.
    expect(report.rto.measuredSeconds).to.be.within(30 * 60, 36 * 60);
    expect(result.stdout).to.match(
      /~ aws:autoscaling\/group:Group app-asg update\n.*desiredCapacity: 0 => 3/,
    );
    expect(result.stdout).to.include("rehearsal of recover");
    expect(lastLine(result.stdout)).to.match(
      /^rehearsal of recover \S+: SUCCESS; RPO met: [\d.]+ min, target 1800 min; RTO met: 3\dm \d\ds, target 480 min; exit 0$/,
    );
    // Its journal is in the rehearsal's own directory, not a real run's .dr/.
    expect(fs.existsSync(path.join(dir, "state", "recover.json"))).to.equal(true);
  });

  it("restore-fails: the DynamoDB restore fails, the others complete, the run is PARTIAL (exit 1)", async () => {
    const result = await rehearse("recover", "--scenario", "restore-fails");
    expect(result.code, result.stderr).to.equal(1);
    // Healthy within the RTO, but a restore failed: the RTO is not met (trial P5), never "met: yes".
    expect(lastLine(result.stdout)).to.match(
      /^rehearsal of recover \S+: PARTIAL; RPO NOT MET \(partial run\): [\d.]+ min, target 1800 min; RTO NOT MET \(partial run\): 3\dm \d\ds, target 480 min; exit 1$/,
    );
    expect(readReports(path.join(dir, "reports"))[0].markdown).not.to.match(/met: yes/);
    const report = onlyReport("recover", "restore-fails");
    expect(report.outcome).to.equal("partial");
    expect(byType(report, "DynamoDB")).to.include({
      status: "FAILED",
    });
    // AWS's access-denied text for the key's grant (scripts/rehearsal/failureCauses.ts).
    expect(byType(report, "DynamoDB")?.message).to.match(
      /^User: arn:aws:sts::\d+:assumed-role\/\S+\/AWSBackup is not authorized to perform: kms:CreateGrant on resource: arn:aws:kms:us-west-2:\d+:key\/\S+ because no resource-based policy allows the kms:CreateGrant action$/,
    );
    expect(report.jobs.filter((j) => j.status === "COMPLETED")).to.have.length(3);
    // The application is never pointed at the table that does not exist: the flip wires the others, and the
    // summary, the report and its page name the table left out, with why.
    expect(report.dataNotWired?.map((u) => `${u.name} ${u.kind}`)).to.deep.equal(["table dynamodb"]);
    expect(report.dataNotWired?.[0].reason).to.match(/^restore FAILED: User: .* kms:CreateGrant/);
    expect(result.stdout).to.match(/\n {2}NOT WIRED table \(dynamodb\): restore FAILED: User: /);
    expect(readReports(path.join(dir, "reports"))[0].markdown).to.match(
      /## Data not wired\n[^]*\| table \| dynamodb \| restore FAILED/,
    );
    const wired = report.flips.find((f) => f.phase === "data")?.config["dr-app:restoredData"] ?? "{}";
    expect(Object.keys(JSON.parse(wired)).sort()).to.deep.equal(["bucket", "db", "volume"]);
  });

  it("partial-point: the newest S3 point is PARTIAL, passed over for the day before: the RPO is that point's age, the objective MISSED past its 1800 minutes, last line and exit 1 (trial P4)", async () => {
    const result = await rehearse("recover", "--scenario", "partial-point");
    // The points follow the plan's daily schedule on the real clock: the day before's point is under 30 hours
    // old for the six hours after the day's point lands, and older the rest of the day.
    const achieved = onlyReport("recover", "partial-point").rpo.achievedMinutes;
    if ((achieved ?? 0) > 1800) {
      expect(result.code, result.stderr).to.equal(1);
      expect(lastLine(result.stdout)).to.match(
        /^rehearsal of recover \S+: RPO OBJECTIVE MISSED; RPO MISSED: \d+(\.\d)? min, target 1800 min; RTO met: 3\dm \d\ds, target 480 min; exit 1$/,
      );
    } else {
      expect(result.code, result.stderr).to.equal(0);
      expect(lastLine(result.stdout)).to.match(
        /^rehearsal of recover \S+: SUCCESS; RPO met: \d+(\.\d)? min, target 1800 min; RTO met: 3\dm \d\ds, target 480 min; exit 0$/,
      );
    }
    const report = onlyReport("recover", "partial-point");
    const s3 = byType(report, "S3");
    const rds = byType(report, "RDS");
    expect(
      Date.parse(rds?.recoveryPointCreatedAt ?? "") - Date.parse(s3?.recoveryPointCreatedAt ?? ""),
    ).to.equal(86_400_000);
    expect(report.skipped.map((s) => s.reason).join("\n")).to.match(
      /PARTIAL recovery point of .* passed over \(Backup completed with 3 objects that could not be read\)/,
    );
    expect(report.rpo.achievedMinutes).to.equal(s3?.dataAgeMinutes);
  });

  it("vault-wiped: the DR vault's points deleted by an attacker, the isolated vault's refused: recover restores from the isolated vault what AWS copied into it, and ends PARTIAL naming the database and the volume, whose copies AWS fails with an AWS managed key (issue 24)", async () => {
    const result = await rehearse("recover", "--scenario", "vault-wiped");
    expect(result.code, result.stderr).to.equal(1);
    expect(result.stdout).to.match(
      /isolated vault '[^']+': no copy of EBS app-volume, RDS app-db: AWS fails their copy jobs into it \(developer guide, "Logically air-gapped vault", Compatible encryption\):/,
    );
    expect(result.stdout).to.match(
      /RDS \S+: RDS resource arn:aws:rds:\S+ is not fully managed by AWS Backup and is encrypted with an AWS managed key: a copy into a logically air-gapped backup vault needs the source encrypted with a customer managed key/,
    );
    expect(result.stdout).to.match(
      /attacker \(the deployer's role\): DeleteRecoveryPoint of the (\d+) recovery points in the DR vault '[^']+': \1 deleted; in the isolated vault '[^']+': InvalidRequestException: .* locked in compliance mode: it cannot be deleted before its retention period ends/,
    );
    expect(result.stdout).to.match(/DR vault '[^']+': 0 recovery points/);
    expect(result.stdout).to.match(
      /made 2 restore job\(s\) from 0 recovery points in the DR vault and [1-9]\d* in the isolated vault '[^']+'/,
    );
    expect(result.stdout).to.match(
      /rehearsal: not recoverable from the isolated vault: EBS app-volume \(not fully managed by AWS Backup, AWS managed key: a customer managed key is needed\), RDS app-db \(not fully managed by AWS Backup, AWS managed key: a customer managed key is needed\): it holds no copy of them/,
    );
    expect(lastLine(result.stdout)).to.match(/^rehearsal of recover \S+: PARTIAL; .*exit 1$/);
    const report = onlyReport("recover", "vault-wiped");
    expect(report.jobs.map((j) => [j.resourceType, j.status, j.isolated?.why])).to.have.deep.members([
      ["S3", "COMPLETED", "the DR vault has no COMPLETED point"],
      ["DynamoDB", "COMPLETED", "the DR vault has no COMPLETED point"],
    ]);
    const markdown = readReports(path.join(dir, "reports"))[0].markdown;
    expect(markdown).to.match(/\(isolated vault [^)]+\)/);
  });

  it("the same scenario at 1000x and 10000x measures the same RTO, to the second; local processing is reported apart (trial P11)", async () => {
    // The times are simulated: restore jobs, polling intervals and the instances' boot. Local processing
    // (AWS calls to the simulation, the mock engine's updates) takes no simulated time, so the figures
    // are equal exactly, whatever the speed or the machine's load; before, its real time was multiplied
    // by the speed (30m 37s at 100x, 1h 47m at 10000x).
    const measured: Array<Omit<RunReport["rto"], "targetMinutes" | "met"> & { jobs: string[] }> = [];
    for (const speed of ["1000", "10000"]) {
      const runDir = path.join(dir, speed);
      const result = await run(process.execPath, [
        DR,
        "--report-dir",
        path.join(runDir, "reports"),
        "rehearse",
        "--speed",
        speed,
        "--rehearsal-dir",
        path.join(runDir, "state"),
      ]);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.match(
        /rehearsal: local processing: \d+\.\d s real \(AWS calls to the simulation, the mock engine's updates\), not counted in the simulated times or the measured RTO\n/,
      );
      const [report] = readReports(path.join(runDir, "reports")).map((r) => r.json);
      measured.push({
        measuredSeconds: report.rto.measuredSeconds,
        dataRestoredSeconds: report.rto.dataRestoredSeconds,
        jobs: report.jobs.map((j) => `${j.resourceType} ${j.durationSeconds}`).sort(),
      });
    }
    expect(measured[0].measuredSeconds).to.be.within(30 * 60, 36 * 60);
    expect(measured[1]).to.deep.equal(measured[0]);
  });

  it("throttling: status calls are throttled, the SDK retries them, the run completes", async () => {
    const result = await rehearse("recover", "--scenario", "throttling");
    expect(result.code, result.stderr).to.equal(0);
    const throttled = Number(/\((\d+) throttled\)/.exec(result.stdout)?.[1]);
    expect(throttled).to.be.greaterThan(0);
    expect(onlyReport("recover", "throttling").outcome).to.equal("success");
  });

  it("interrupt-resume: Ctrl-C halfway exits 130, the same command resumes, no job is started twice", async () => {
    const result = await rehearse("recover", "--scenario", "interrupt-resume");
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include("^C  (the rehearsal presses Ctrl-C)");
    expect(result.stderr).to.match(
      // The jobs not yet seen to end by then, named, or none: they may all have ended under load.
      /WARNING interrupted: dr recover run \S+: (\d job\(s\) keep running in AWS \(restore job [^)]+\)|none of its jobs is still running in AWS)\. Re-run the same command to resume/,
    );
    expect(result.stdout).to.match(/resuming recover run \S+ started/);
    expect(result.stdout).to.match(/4 StartRestoreJob call\(s\) made 4 restore job\(s\)/);
    expect(onlyReport("recover", "interrupt-resume").outcome).to.equal("success");
  });

  it("primary-answers: the recovery refuses (exit 2), then runs with --skip-primary-check", async () => {
    const result = await rehearse("recover", "--scenario", "primary-answers");
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.match(
      /error: the primary region us-east-1 is answering \(primary vault 'app-primary-vault-[0-9a-f]{7}' answered\): refusing to fail over/,
    );
    expect(result.stdout).to.include("$ dr recover --yes --skip-primary-check");
    expect(onlyReport("recover", "primary-answers").outcome).to.equal("success");
  });

  it("drill -- --flip: restores into drill-named resources, flips, checks, puts the stack back, deletes exactly those", async () => {
    const result = await rehearse("drill", "--", "--flip");
    expect(result.code, result.stderr).to.equal(0);
    const report = onlyReport("drill", "all-fine");
    expect(report.cleanup).to.deep.equal({ kept: false, deleted: 4, failed: 0 });
    for (const job of report.jobs) {
      expect(job.verification?.ok, job.resourceType).to.equal(true);
      expect(job.deletion?.ok, job.resourceType).to.equal(true);
    }
    expect(byType(report, "RDS")?.resourceId).to.match(/^drill-\S+-app-db-[0-9a-f]{7}$/);
    expect(report.flips.map((f) => `${f.phase} ${f.ok}`)).to.deep.equal([
      "infrastructure true",
      "data true",
      "revert true",
    ]);
    expect(report.health?.healthy).to.equal(true);
    // The revert's up takes the stack back to standby: capacity to zero.
    expect(result.stdout).to.match(
      /revert update: dr-app:mode=standby; removing [^\n]*\n(.*\n)*.*desiredCapacity: 3 => 0/,
    );
  });

  it("a scenario file: its restore times and outcomes, and an exit code the run earned", async () => {
    const file = path.join(dir, "slow.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: "volume-aborted",
        description: "The volume restore is aborted after an hour.",
        restores: [
          { resource: "app-volume", outcome: "ABORTED", minutes: 60, message: "Aborted by an operator" },
        ],
      }),
    );
    const result = await rehearse("recover", "--scenario", file);
    expect(result.code, result.stderr).to.equal(1);
    const report = onlyReport("recover", "volume-aborted");
    expect(byType(report, "EBS")).to.include({ status: "ABORTED", message: "Aborted by an operator" });
    // The points column: one fewer before today's daily point has run (the hour the rehearsal runs).
    expect(result.stdout).to.match(/\nEBS\s+app-volume\s+vol-0[0-9a-f]{16}\s+[67]\s+1h 00m then ABORTED\n/);
    expect(byType(report, "EBS")?.durationSeconds).to.be.within(1, 60 * 60);
  });

  it("refuses, on its first line and before starting anything, an environment that could reach AWS", async () => {
    const result = await run(
      process.execPath,
      [DR, "rehearse", "--rehearsal-dir", path.join(dir, "state")],
      cleanEnv({ AWS_ENDPOINT_URL_BACKUP: "https://backup.us-west-2.amazonaws.com" }),
    );
    expect(result.code).to.equal(2);
    expect(result.stdout).to.equal("");
    expect(result.stderr.split("\n")[0]).to.equal(
      "error: rehearsal refused: it never touches AWS or a Pulumi backend, and this environment could: AWS_ENDPOINT_URL_BACKUP=https://backup.us-west-2.amazonaws.com points outside this machine. Unset it for the rehearsal (e.g. env -u <NAME> dr rehearse)",
    );
    expect(fs.existsSync(path.join(dir, "state"))).to.equal(false);
  });

  it("refuses `dr --stack prod rehearse` before starting anything: the stack, its role and the fix (exit 2)", async () => {
    const result = await run(process.execPath, [
      DR,
      "--stack",
      "prod",
      "rehearse",
      "--rehearsal-dir",
      path.join(dir, "state"),
    ]);
    expect(result.code).to.equal(2);
    expect(result.stdout).to.equal("");
    expect(result.stderr).to.equal(
      "error: stack 'prod' has role primary (Pulumi.prod.yaml): dr rehearse recovers into a dr stack (role: dr); pass --stack dr, the dr stack that recovers prod\n",
    );
    expect(fs.existsSync(path.join(dir, "state"))).to.equal(false);
  });

  it("refuses a stack typo before starting anything, naming the stacks there and the nearest (exit 2)", async () => {
    const result = await run(process.execPath, [DR, "--stack", "acme/dr-app/dr1", "rehearse"]);
    expect(result.code).to.equal(2);
    expect(result.stdout).to.equal("");
    expect(result.stderr).to.equal(
      `error: no stack named 'dr1' found: no Pulumi.dr1.yaml in ${ROOT}; stacks found: dr, prod; did you mean 'dr'?\n`,
    );
  });

  it("a real Ctrl-C stops the rehearsal with exit 130 and says it cannot be resumed", async () => {
    const child = startDr(
      [
        "rehearse",
        "--speed",
        "100",
        "--rehearsal-dir",
        path.join(dir, "state"),
        "--report-dir",
        path.join(dir, "reports"),
      ],
      cleanEnv(),
    );
    await child.waitFor(/restore job \S+ started/);
    child.child.kill("SIGINT");
    expect(await child.exit).to.equal(130);
    expect(child.stderr()).to.include(
      "WARNING interrupted: the rehearsed run stops here; its simulated restore jobs end with this rehearsal",
    );
    expect(child.stderr()).to.include(
      "WARNING rehearsal interrupted: unlike a real run it cannot be resumed, its simulated AWS ends with this process; run 'dr rehearse' again to start over",
    );
    // Never both "resume" and "cannot be resumed".
    expect(child.stderr()).not.to.include("Re-run the same command to resume");
    expect(fs.existsSync(path.join(dir, "reports"))).to.equal(false);
  });

  it("a Ctrl-C while the prod stack is evaluated stops it there: exit 130, no recovery run, no report", async () => {
    const child = startDr(
      ["rehearse", "--rehearsal-dir", path.join(dir, "state"), "--report-dir", path.join(dir, "reports")],
      cleanEnv(),
    );
    await child.waitFor("evaluating the prod stack on Pulumi's mock engine");
    child.child.kill("SIGINT");
    expect(await child.exit, child.stdout()).to.equal(130);
    expect(child.stderr()).to.include(
      "WARNING rehearsal interrupted before its simulation started: nothing ran; run 'dr rehearse' again to start",
    );
    expect(child.stdout()).not.to.include("$ dr recover");
    expect(child.stdout()).not.to.include("SUCCESS");
    expect(fs.existsSync(path.join(dir, "reports"))).to.equal(false);
  });

  it("refuses to keep its journals in the real runs' state directory", async () => {
    const state = path.join(dir, "state");
    const result = await run(process.execPath, [
      DR,
      "--state-dir",
      state,
      "rehearse",
      "--rehearsal-dir",
      state,
    ]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.equal(
      `error: --rehearsal-dir ${state} is the state directory of real runs: a rehearsal keeps its journals elsewhere\n`,
    );
  });
});

describe("README: the quick start's rehearse command, exactly as written", function () {
  // The default speed: about 35 simulated minutes at 100x, plus the two offline evaluations.
  this.timeout(240_000);
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const command = /Then watch a whole recovery[^\n]*\n\n```sh\n([^\n]+)\n```/.exec(readme)?.[1];
  // The quick start's line that puts the command on the PATH.
  const setUp = /^mkdir -p ~\/\.local\/bin && ln -sf [^\n]+$/m.exec(readme)?.[0];

  it("shows a full recovery with its report, in the repository, started from another directory", async () => {
    expect(command).to.equal("restorekit-dr rehearse");
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "dr-readme-home-"));
    const before = new Set(
      fs.existsSync(path.join(ROOT, "reports")) ? fs.readdirSync(path.join(ROOT, "reports")) : [],
    );
    const installed = await run("sh", ["-c", setUp as string], cleanEnv({ HOME: home }));
    expect(installed.code, installed.stderr).to.equal(0);
    const onPath = cleanEnv({ HOME: home, PATH: `${home}/.local/bin${path.delimiter}${process.env.PATH}` });
    const result = await run("sh", ["-c", command as string], onPath, home).finally(() =>
      fs.rmSync(home, { recursive: true, force: true }),
    );
    const written = /report: (\S+\.md) \(JSON: (\S+\.json)\)/.exec(result.stdout);
    try {
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout.split("\n")[0]).to.equal(REHEARSAL_BANNER);
      expect(written?.[1]).to.match(/reports\/rehearsal-recover-\S+\.md$/);
      expect(before.has(path.basename(written?.[1] ?? ""))).to.equal(false);
      const report = JSON.parse(fs.readFileSync(written?.[2] ?? "", "utf8")) as RunReport;
      expect(report.outcome).to.equal("success");
      expect(report.rehearsal).to.deep.equal({
        scenario: "all-fine",
        speed: 100,
        compute: "Auto Scaling group dr-app-asg",
      });
      expect(report.health?.healthy).to.equal(true);
    } finally {
      for (const file of written?.slice(1) ?? []) {
        fs.rmSync(file, { force: true });
      }
    }
  });
});
