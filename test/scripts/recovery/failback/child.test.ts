import { restoredDataOf } from "../../../fakes/fakeStack";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { FailbackJournal } from "../../../../scripts/recovery/failback/journal";
import { FailbackReport } from "../../../../scripts/recovery/failback/report";
import { FakeAws } from "../../../../scripts/simulation/fakeAwsServer";
import { ChildRun } from "../../../fakes/childDr";
import { RESTORED } from "../../../fakes/failbackFixture";
import {
  DOMAIN,
  FAST_FAILBACK,
  FailbackWorld,
  PRE_DISASTER,
  failbackWorld,
} from "../../../fakes/failbackChild";
import { PulumiStub } from "../../../fakes/pulumiStub";

const FAST = FAST_FAILBACK;

/**
 * `dr failback` in a child process, as an operator runs it (scripts/bin/restorekit-dr.js), against the local fake of
 * both regions (scripts/simulation: backup, copy and restore jobs with their states and pages, the dr
 * servers of an Auto Scaling group that drain after the freeze, prod's servers on the pre-disaster data
 * until prod-data, users writing through the public name wherever Route 53 answers it, both buckets,
 * CloudWatch) and the recording pulumi stub for the dr and prod stacks.
 */
describe("dr failback in a child process against the local fake of both regions", function () {
  // Each run is a child process driving the pulumi stub (a process per call) on real time: minutes under load.
  this.timeout(180_000);
  let world: FailbackWorld;
  let fake: FakeAws;
  let stub: PulumiStub;
  let stateDir: string;
  let reportDir: string;

  beforeEach(async () => {
    world = await failbackWorld();
    ({ fake, stub, stateDir, reportDir } = world);
  });

  afterEach(() => world.dispose());

  const start = (args: readonly string[]): ChildRun => world.start(args);
  const journal = (): FailbackJournal =>
    JSON.parse(fs.readFileSync(path.join(stateDir, "failback.json"), "utf8")) as FailbackJournal;
  const report = (runId: string): FailbackReport =>
    JSON.parse(fs.readFileSync(path.join(reportDir, `failback-${runId}.json`), "utf8")) as FailbackReport;

  /** After a whole failback: one job per start, the data in prod, no write lost, by the fake's own counts. */
  function expectFailedBack(runId: string): void {
    const backups = fake.backupAndCopy.listBackups("us-west-2");
    const copies = fake.backupAndCopy.listCopies("us-west-2");
    expect(backups, "backup jobs").to.have.length(6);
    expect(copies, "copy jobs").to.have.length(6);
    expect(fake.jobs.size, "restore jobs").to.equal(3);
    // Every write the dr servers made is in prod's restored copy: nothing was written after the freeze; the
    // restored copy has besides only the users' writes through prod's new servers.
    for (const [type, source] of [
      ["RDS", RESTORED.db],
      ["DynamoDB", RESTORED.table],
      ["EBS", RESTORED.volume],
    ] as const) {
      const dr = fake.resources("us-west-2").find((r) => r.type === type && r.id === source);
      const restored = fake
        .resources("us-east-1")
        .find((r) => r.type === type && r.restoreJobId !== undefined);
      expect(restored, `${type} restored in us-east-1`).to.not.equal(undefined);
      const sinceProdData = fake.appRequests.filter((q) => q.wrote.includes(restored?.arn ?? "")).length;
      expect((restored?.writes ?? 0) - sinceProdData, `${type} writes`).to.equal(dr?.writes);
    }
    // No user write reached abandoned data: none to the pre-disaster resources (prod's old servers were held
    // at zero before the freeze took dr's away), none to dr's after its final backup began.
    const abandoned = fake.resources("us-east-1").filter((r) => PRE_DISASTER.includes(r.id));
    expect(
      abandoned.map((r) => `${r.id}:${r.writes}`),
      "pre-disaster resources",
    ).to.deep.equal(["app-db:30", "Orders:20", "vol-0data:5"]);
    expect(
      fake.appRequests.filter((q) => q.launchTemplateVersion === 1 && q.region === "us-east-1"),
    ).to.deep.equal([]);
    // During the freeze users got errors (no server behind the answered record), never a stale write.
    expect(fake.appRequests.some((q) => q.wrote.length === 0)).to.equal(true);
    const sourceKeys = [
      ...(fake
        .resources("us-east-1")
        .find((r) => r.id === "app-data")
        ?.objects.keys() ?? []),
    ];
    expect(sourceKeys.sort()).to.deep.equal(["old.json", "orders/1.json", "orders/2.json"]);
    // Prod's config, dr in standby, the switch at 0.
    const state = stub.state();
    const prodData = restoredDataOf(state.stacks.prod.config);
    expect(prodData["db"]?.id).to.equal(`fb-${runId}-app-db`);
    expect(prodData["table"]?.id).to.equal(`fb-${runId}-Orders`);
    expect(prodData["volume"]?.id).to.match(/^vol-/);
    expect(state.stacks.dr.config["dr-app:mode"]).to.equal("standby");
    expect(state.stacks.dr.config["dr-app:restoredData"]).to.equal(undefined);
    expect(state.stacks.dr.config["dr-app:restoredTableName"]).to.equal(undefined);
    // The switch is a level, not a job: a process killed after sending the 0 and before journaling it sends
    // it again on the re-run, which changes nothing. Never a 1.
    const switchPoints = fake.cloudWatch
      .points("us-west-2", "DrApp/Failover", "ServeFromDr", { DomainName: DOMAIN })
      .map((p) => p.value);
    expect(switchPoints.length).to.be.within(1, 3);
    expect(switchPoints.every((value) => value === 0)).to.equal(true);
    // Data planes only: no Route 53, IAM, CloudFront or Organizations call, whatever the phase.
    const services = new Set(fake.requests.map((r) => r.service));
    for (const controlPlane of ["route53", "iam", "cloudfront", "organizations"]) {
      expect(services.has(controlPlane), controlPlane).to.equal(false);
    }
    const r = report(runId);
    expect(r.outcome).to.equal("success");
    expect(r.writesLost?.total).to.equal(0);
    expect(r.freeze?.durationSeconds).to.be.a("number");
    expect(Date.parse(r.freeze?.endedAt ?? "")).to.be.greaterThan(Date.parse(r.freeze?.startedAt ?? ""));
  }

  it("--dry-run prints the plan and starts nothing", async () => {
    const run = start(["--dry-run"]);
    expect(await run.exit, run.stderr()).to.equal(0);
    expect(run.stdout()).to.contain("Failback from us-west-2 to us-east-1:");
    expect(run.stdout()).to.contain("dry run: nothing was started");
    expect(fake.requests.filter((r) => /^Start/.test(r.operation))).to.deep.equal([]);
    expect(
      stub.calls().filter((c) => c[0] === "up" || (c[0] === "config" && c[1] === "set-all")),
    ).to.deep.equal([]);
  });

  it("--yes runs the whole failback: one job per start, every write back in prod, no control-plane call", async () => {
    const run = start(["--yes", ...FAST]);
    expect(await run.exit, run.stderr()).to.equal(0);
    const runId = journal().runId;
    expectFailedBack(runId);
    expect(run.stdout()).to.contain("writes lost: 0");
  });

  it("without --yes and without a terminal it refuses (exit 2); a second operator is refused while one runs", async () => {
    const refused = start(FAST);
    expect(await refused.exit).to.equal(2);
    expect(refused.stderr()).to.contain("error: refusing to act without --yes: stdin is not a terminal");

    const first = start(["--yes", ...FAST]);
    await first.waitFor("pre-copy: started");
    const second = start(["--yes", ...FAST]);
    expect(await second.exit).to.equal(2);
    expect(second.stderr()).to.match(
      /error: another 'dr failback' holds .*run\.lock: run \d{8}t\d{6}[0-9a-f]{2}, pid \d+/,
    );
    expect(await first.exit, first.stderr()).to.equal(0);
  });

  // One kill per kind of phase, in a real process: AWS Backup jobs (pre-copy, final-copy, restore), stack
  // updates (freeze, prod-data, standby), object copies (s3-copy), checks and the switch level (health,
  // traffic). Every phase, one by one, is interrupted in process by failback/resume.test.ts.
  for (const [phase, marker] of [
    ["restore", /restore job job-\d+ started/],
    ["freeze", /freeze: started/],
    ["s3-copy", /s3-copy: started/],
    ["traffic", /traffic: started/],
  ] as const) {
    it(`killed (SIGKILL) in ${phase}: the re-run resumes there and finishes with every job started once`, async () => {
      const first = start(["--yes", ...FAST]);
      await first.waitFor(marker);
      first.child.kill("SIGKILL");
      expect(await first.exit).to.equal(null);
      const before = journal();
      expect(before.state).to.equal("running");

      const second = start(["--yes", ...FAST]);
      expect(await second.exit, second.stderr()).to.equal(0);
      expect(second.stdout()).to.contain(`resuming failback run ${before.runId}`);
      expectFailedBack(before.runId);
    });
  }
});
