// The one verdict rule: each objective's state, the overall result, its exit code and the last line.
import { expect } from "chai";
import {
  describeObjective,
  judgeObjective,
  judgeRun,
  verdictLine,
  withinObjective,
} from "../../../../scripts/recovery/core/verdict";

const rpo = (achieved?: number, target = 1800) => ({
  objective: "RPO",
  target,
  targetText: `${target} min`,
  achieved,
  achievedText: achieved === undefined ? undefined : `${achieved} min`,
});

describe("verdict", () => {
  it("withinObjective: at the target is within, a tenth beyond is not", () => {
    expect(withinObjective(60, 60)).to.equal(true);
    expect(withinObjective(60.1, 60)).to.equal(false);
  });

  it("an objective is met only when measured within its target in a successful run", () => {
    expect(judgeObjective("success", rpo(1035.3)).state).to.equal("met");
    expect(judgeObjective("success", rpo(2190.2)).state).to.equal("missed");
    expect(judgeObjective("partial", rpo(1035.3))).to.deep.include({
      state: "not-met",
      reason: "partial run",
    });
    expect(judgeObjective("failed", rpo(undefined))).to.deep.include({
      state: "not-met",
      reason: "failed run",
    });
    expect(judgeObjective("success", { ...rpo(1035.3), target: undefined }).state).to.equal("no-target");
    expect(
      judgeObjective("success", { ...rpo(undefined), unmeasured: "no health check ran" }),
    ).to.deep.include({ state: "unmeasured", reason: "no health check ran" });
  });

  it("beyond the target is MISSED even in a partial run; a lower bound beyond it too", () => {
    expect(judgeObjective("partial", rpo(2190.2)).state).to.equal("missed");
    expect(
      judgeObjective("success", {
        objective: "RTO",
        target: 1800,
        targetText: "30 min",
        atLeast: 2100,
        atLeastText: "data restored after 35m 00s",
      }),
    ).to.deep.include({ state: "missed", reason: "at least data restored after 35m 00s" });
  });

  it("the result and exit code: failed 3, partial 1, an objective missed 1, else 0", () => {
    const met = judgeObjective("success", rpo(1035.3));
    const missed = judgeObjective("success", rpo(2190.2));
    expect(judgeRun("failed", [met])).to.deep.include({ result: "failed", exitCode: 3 });
    expect(judgeRun("partial", [met])).to.deep.include({ result: "partial", exitCode: 1 });
    expect(judgeRun("success", [missed, met])).to.deep.include({ result: "objectives-missed", exitCode: 1 });
    expect(judgeRun("success", [met])).to.deep.include({ result: "success", exitCode: 0 });
  });

  it("the words: never 'met' for a missed, not met or unmeasured objective", () => {
    const texts = [
      describeObjective(judgeObjective("success", rpo(2190.2))),
      describeObjective(judgeObjective("partial", rpo(1035.3))),
      describeObjective(judgeObjective("success", { ...rpo(undefined), unmeasured: "no health check ran" })),
    ];
    expect(texts).to.deep.equal([
      "RPO MISSED: 2190.2 min, target 1800 min",
      "RPO NOT MET (partial run): 1035.3 min, target 1800 min",
      "RPO not measured (no health check ran): target 1800 min",
    ]);
    for (const text of texts) {
      expect(text).not.to.match(/\bmet\b/);
    }
  });

  it("the last line names what missed and ends with the exit code", () => {
    const rto = judgeObjective("success", {
      objective: "RTO",
      target: 480 * 60,
      targetText: "480 min",
      achieved: 1800,
      achievedText: "30m 00s",
    });
    const missedRpo = judgeObjective("success", rpo(2190.2));
    expect(verdictLine("recover 20261207t164512ba", judgeRun("success", [missedRpo, rto]))).to.equal(
      "recover 20261207t164512ba: RPO OBJECTIVE MISSED; RPO MISSED: 2190.2 min, target 1800 min; RTO met: 30m 00s, target 480 min; exit 1",
    );
    const missedRto = judgeObjective("success", { ...rpo(2000, 30), objective: "RTO" });
    expect(verdictLine("x", judgeRun("success", [missedRpo, missedRto]))).to.match(
      /^x: RPO AND RTO OBJECTIVES MISSED; /,
    );
  });
});
