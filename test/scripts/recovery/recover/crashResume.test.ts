import { restoredDataOf } from "../../../fakes/fakeStack";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { RunJournal } from "../../../../scripts/recovery/core/journal";
import { RunReport } from "../../../../scripts/recovery/core/report";
import { FakeAws } from "../../../../scripts/simulation/fakeAwsServer";
import { ChildRun, FAST_RECOVER, LocalDr, childEnv, localDr } from "../../../fakes/childDr";
import { PulumiStub } from "../../../fakes/pulumiStub";
import { SimPoint, simPoint } from "../../../../scripts/simulation/recoveryPoints";

const MIN = 60_000;

describe("crash and resume: the CLI in a child process against a local AWS endpoint", function () {
  this.timeout(60_000);
  let local: LocalDr;
  let fake: FakeAws;
  let stub: PulumiStub;
  let points: SimPoint[];

  beforeEach(async () => {
    const now = Date.now();
    // Long enough to still be running when the first process dies, short enough for a test.
    points = [
      simPoint("DynamoDB", "Orders", now, 40 * MIN, { restoreMs: 4_500 }),
      simPoint("EBS", "vol-0data", now, 30 * MIN, { restoreMs: 4_000 }),
      simPoint("EFS", "fs-0shared", now, 45 * MIN, { restoreMs: 4_500 }),
      simPoint("S3", "app-data", now, 55 * MIN, { restoreMs: 5_000 }),
    ];
    local = await localDr({ points, throttleEvery: 6 });
    ({ fake, stub } = local);
  });

  afterEach(() => local.dispose());

  const run = (endpoints: Record<string, string>): ChildRun => local.start(FAST_RECOVER, childEnv(endpoints));

  function journal(): RunJournal | undefined {
    try {
      return JSON.parse(fs.readFileSync(path.join(local.stateDir, "recover.json"), "utf8")) as RunJournal;
    } catch {
      return undefined;
    }
  }

  /** Resolves once every job is journaled and each has been polled at least once. */
  async function midWait(run: ChildRun): Promise<void> {
    const deadline = Date.now() + 40_000;
    while (Date.now() < deadline) {
      const j = journal();
      const started = j ? Object.values(j.jobs).filter((r) => r.restoreJobId).length : 0;
      const polls = fake.requests.filter((r) => r.operation === "ListRestoreJobs").length;
      if (started === points.length && polls >= points.length) {
        return;
      }
      if (run.child.exitCode !== null) {
        throw new Error(`dr exited early (${run.child.exitCode}): ${run.stderr()}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`dr never reached the wait: ${run.stdout()}\n${run.stderr()}`);
  }

  function expectOneStartPerPoint(): void {
    for (const p of points) {
      expect(fake.starts.get(p.recoveryPointArn), p.resourceArn).to.equal(1);
    }
    expect(fake.jobs.size).to.equal(points.length);
  }

  function expectCompletedReport(runId: string): void {
    const report: RunReport = JSON.parse(
      fs.readFileSync(path.join(local.reportDir, `recover-${runId}.json`), "utf8"),
    );
    expect(report.outcome).to.equal("success");
    expect(report.jobs.map((j) => j.status)).to.deep.equal([
      "COMPLETED",
      "COMPLETED",
      "COMPLETED",
      "COMPLETED",
    ]);
    expect(report.health?.healthy).to.equal(true);
  }

  it("killed (SIGKILL) mid-wait, the re-run resumes the same jobs and starts no duplicate", async () => {
    // Service-specific endpoint variables: the first process reaches Backup and STS through them.
    const first = run({ AWS_ENDPOINT_URL_BACKUP: fake.url, AWS_ENDPOINT_URL_STS: fake.url });
    await midWait(first);
    first.child.kill("SIGKILL");
    expect(await first.exit).to.equal(null);
    const before = journal() as RunJournal;
    expect(before.state).to.equal("running");
    expect(Object.values(before.jobs).some((j) => j.status !== "COMPLETED")).to.equal(true);

    const second = run({ AWS_ENDPOINT_URL: fake.url });
    const code = await second.exit;

    expect(code, second.stderr()).to.equal(0);
    expect(second.stdout()).to.contain(`resuming recover run ${before.runId}`);
    expect(second.stdout()).to.match(/resuming wait on restore job job-00\d/);
    expectOneStartPerPoint();
    const after = journal() as RunJournal;
    expect(after.state).to.equal("finished");
    expect(
      Object.values(after.jobs)
        .map((j) => j.restoreJobId)
        .sort(),
    ).to.deep.equal(
      Object.values(before.jobs)
        .map((j) => j.restoreJobId)
        .sort(),
    );
    expectCompletedReport(before.runId);
    // Everything went through the endpoint override: the DR region (the restored table tagged and its PITR
    // turned on there, the restored volume and bucket found to exist before they are wired, the dr stack's Auto
    // Scaling group read for its rollout), and the primary probe.
    expect(new Set(fake.requests.map((r) => `${r.service}:${r.region}`))).to.deep.equal(
      new Set([
        "sts:us-west-2",
        "backup:us-west-2",
        "backup:us-east-1",
        "dynamodb:us-west-2",
        "ec2:us-west-2",
        "s3:us-west-2",
        "autoscaling:us-west-2",
      ]),
    );
    expect(stub.state().stacks.dr.config["dr-app:mode"]).to.equal("active");
    expect(restoredDataOf(stub.state().stacks.dr.config)).to.deep.include({
      table: {
        kind: "dynamodb",
        id: `dr-${before.runId}-Orders`,
        arn: `arn:aws:dynamodb:us-west-2:111122223333:table/dr-${before.runId}-Orders`,
      },
    });
    expect(restoredDataOf(stub.state().stacks.dr.config)["bucket"]?.id).to.equal(
      `dr-${before.runId}-app-data`,
    );
    expect(restoredDataOf(stub.state().stacks.dr.config)["volume"]?.id).to.match(/^vol-/);
  });

  it("interrupted with Ctrl-C (SIGINT) mid-wait, it says how to resume (exit 130); the re-run finishes", async () => {
    const first = run({ AWS_ENDPOINT_URL: fake.url });
    await midWait(first);
    first.child.kill("SIGINT");
    expect(await first.exit).to.equal(130);
    expect(first.stderr()).to.match(
      /interrupted: dr recover run \S+: \d+ job\(s\) keep running in AWS \(restore job [^)]+\)\. Re-run the same command to resume/,
    );
    const before = journal() as RunJournal;
    expect(before.state).to.equal("running");

    const second = run({ AWS_ENDPOINT_URL: fake.url });
    expect(await second.exit, second.stderr()).to.equal(0);
    expectOneStartPerPoint();
    expectCompletedReport(before.runId);
  });
});
