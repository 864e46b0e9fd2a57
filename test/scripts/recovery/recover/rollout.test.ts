// dr recover's verify on an Auto Scaling group: the health check counts only once every server runs the restored data's launch template.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { RunReport } from "../../../../scripts/recovery/core/report";
import { DR_OUTPUTS } from "../../../../scripts/simulation/fixtures";
import { simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { DR_GROUP } from "../../../fakes/drCompute";
import { Harness } from "../../../fakes/harness";
import { installAutoScaling } from "../../../fakes/sdkAutoScaling";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;

describe("dr recover: verify waits for the dr stack's Auto Scaling rollout", () => {
  let h: Harness;
  afterEach(() => h?.dispose());

  /**
   * The default overlapped recovery: the infrastructure update (8 min) launches three servers on the
   * launch template without restored data (version 1, InService 3 min later); the data update after the
   * database (35 min) makes version 2, which the group's instance refresh rolls out one server at a time
   * (50 % healthy of 3: batches of 1), each batch a 3-minute launch and a 5-minute warm-up.
   */
  const make = () => {
    h = new Harness({
      points: [
        simPoint("RDS", "production-db", NOW, 50 * MIN, { restoreMs: 35 * MIN }),
        simPoint("DynamoDB", "Orders", NOW, 40 * MIN, { restoreMs: 18 * MIN }),
      ],
      stack: { upMs: [8 * MIN, 1 * MIN] },
      drGroup: {
        launchMs: 3 * MIN,
        drainMs: 2 * MIN,
        instanceRefresh: { minHealthyPercentage: 50, instanceWarmupMs: 5 * MIN },
      },
    });
    return h;
  };
  const report = (): RunReport =>
    JSON.parse(fs.readFileSync(path.join(h.reportDir, "recover-20260412t090000a7.json"), "utf8"));
  const output = () => h.stdout.text + h.stderr.text;

  it("GIVEN servers still on the launch template before the data update THEN the health check waits for the instance refresh", async () => {
    make();
    const code = await h.run(["recover", "--yes"]);

    expect(code, h.stderr.text).to.equal(0);
    const [refresh] = h.drGroups.refreshesOf(DR_OUTPUTS.region, DR_GROUP);
    expect(refresh.toVersion).to.equal(2);
    const text = output();
    const waiting = text.indexOf(
      "verify: dr-app-asg: 2 of 2 server(s) in service still on an older launch template than version 2",
    );
    expect(waiting, text).to.be.greaterThan(-1);
    const done =
      /(\d\d:\d\d:\d\d)Z verify: every server of dr-app-asg in service runs launch template version 2 \(instance refresh (\S+) /.exec(
        text,
      );
    expect(done, text).to.not.equal(null);
    expect(done?.[2]).to.equal(refresh.id);
    // The health check starts only after: its answer is the restored data's.
    const doneAt = text.indexOf(done?.[0] as string);
    expect(doneAt).to.be.greaterThan(waiting);
    expect(text.lastIndexOf("health check http", doneAt)).to.equal(-1);
    expect(text.indexOf("health check http", doneAt)).to.be.greaterThan(doneAt);
    const doneMs = Date.parse(`2026-04-12T${done?.[1]}Z`);
    // Two servers refreshed one at a time, 8 minutes each, after the data update (36 min and a poll).
    expect(doneMs - NOW).to.be.within(36 * MIN + 16 * MIN, 38 * MIN + 16 * MIN);
    const r = report();
    expect(r.outcome).to.equal("success");
    expect(r.rto.measuredSeconds as number).to.be.within((doneMs - NOW) / 1000, (doneMs - NOW) / 1000 + 30);
  });

  it("GIVEN the refresh not done within --rollout-timeout THEN partial, no health check and no measured RTO", async () => {
    make();
    const code = await h.run(["recover", "--yes", "--rollout-timeout", "600"]);

    expect(code).to.equal(1);
    expect(h.healthCalls).to.deep.equal([]);
    const r = report();
    expect(r.outcome).to.equal("partial");
    expect(r.rto.measuredSeconds).to.equal(undefined);
    const note = r.notes.find((n) => n.startsWith("the dr stack's rollout is not done"));
    expect(note).to.match(
      /^the dr stack's rollout is not done: dr-app-asg: \d of \d server\(s\) in service still on an older launch template than version 2 .* after 10m 00s \(instance refresh \S+ InProgress \d+%\); a server or task on the configuration before the flip may still answer, so the health check does not count \(re-run `dr recover` once it is done\)$/,
    );
    expect(output()).to.contain("NOT healthy: the dr stack's rollout is not done: dr-app-asg:");
    expect(h.stdout.text).to.contain("recover 20260412t090000a7: PARTIAL");
  });

  it("GIVEN --no-flip THEN nothing waits on the group", async () => {
    make();
    const code = await h.run(["recover", "--yes", "--no-flip"]);
    expect(code, h.stderr.text).to.equal(0);
    expect(h.autoscaling.calls()).to.have.length(0);
  });

  it("GIVEN no group tagged role=dr in dr's subnets THEN the health check's answer is taken, with a note saying the rollout could not be followed", async () => {
    h = new Harness({
      points: [simPoint("DynamoDB", "Orders", NOW, 40 * MIN, { restoreMs: 18 * MIN })],
      drGroup: { tags: { role: "something-else" } },
    });
    const code = await h.run(["recover", "--yes"]);

    expect(code, h.stderr.text).to.equal(0);
    expect(h.healthCalls).to.have.length(2);
    expect(report().notes).to.include(
      "the dr stack's rollout could not be followed: no Auto Scaling group(s) tagged role=dr in dr's subnets (subnet-0dra, subnet-0drb) in us-west-2: cannot tell dr's servers run the restored data; the health check's answer is taken as it is",
    );
  });

  it("GIVEN Auto Scaling failing THEN the run stops with the error, and a re-run resumes at verify without restoring again", async () => {
    make();
    h.autoscaling.rejects(Object.assign(new Error("Rate exceeded"), { name: "Throttling" }));
    const first = await h.run(["recover", "--yes"]);

    expect(first).to.equal(3);
    expect(h.stderr.text).to.match(
      /cannot follow the dr stack's rollout in us-west-2: .*Rate exceeded.*; re-run to resume/,
    );
    expect(h.healthCalls).to.deep.equal([]);
    const starts = h.sim.startCalls.length;

    // Auto Scaling answers again: the same run resumes, its restores and flip done.
    h.autoscaling.reset();
    installAutoScaling(h.autoscaling, h.drGroups);
    const second = await h.run(["recover", "--yes"]);
    expect(second, h.stderr.text).to.equal(0);
    expect(h.sim.startCalls).to.have.length(starts);
    expect(h.stdout.text).to.contain("resuming recover run 20260412t090000a7");
    expect(h.stdout.text).to.contain(
      "verify: every server of dr-app-asg in service runs launch template version 2",
    );
    expect(report().outcome).to.equal("success");
  });
});
