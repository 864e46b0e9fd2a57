// The phase runner: how it announces phases, and which phases a resumed run runs again.
import { expect } from "chai";
import {
  Phase,
  PhaseJournal,
  PhaseRecord,
  PhaseResult,
  reopenPhases,
  runPhases,
} from "../../../../scripts/recovery/core/phaseRunner";
import { Output } from "../../../../scripts/output";
import { Capture } from "../../../fakes/capture";
import { VirtualClock } from "../../../fakes/virtualClock";

type Name = "a" | "b" | "c";

describe("the phase runner", () => {
  let stdout: Capture;
  let stderr: Capture;
  let records: PhaseRecord<Name>[];
  let ran: Name[];
  let saves: number;

  beforeEach(() => {
    stdout = new Capture();
    stderr = new Capture();
    records = [];
    ran = [];
    saves = 0;
  });

  function journal(announce?: "lines" | "quiet"): PhaseJournal<Name> {
    const clock = new VirtualClock();
    return {
      records,
      save: () => saves++,
      clock,
      out: new Output(stdout, stderr, () => clock.now()),
      signal: new AbortController().signal,
      announce,
    };
  }

  const phase = (name: Name, outcome: PhaseResult["outcome"] = "ok"): Phase<Name> => ({
    name,
    run: async () => {
      ran.push(name);
      return { outcome };
    },
    stopsOnFailure: false,
  });

  const ended = (name: Name, outcome: PhaseResult["outcome"] = "ok"): PhaseRecord<Name> => ({
    phase: name,
    startedAt: "2026-04-12T08:00:00.000Z",
    endedAt: "2026-04-12T08:10:00.000Z",
    outcome,
  });

  it("announces each phase in lines by default; quiet prints nothing, and journals the same", async () => {
    await runPhases(journal(), [phase("a"), phase("b", "failed")]);
    expect(stdout.text).to.contain("a: started").and.to.contain("a: ok").and.to.contain("b: started");
    expect(stderr.text).to.contain("b: failed");
    const loud = records.map((r) => [r.phase, r.outcome]);

    stdout.text = stderr.text = "";
    records = [];
    await runPhases(journal("quiet"), [phase("a"), phase("b", "failed")]);
    expect(stdout.text).to.equal("");
    expect(stderr.text).to.equal("");
    expect(records.map((r) => [r.phase, r.outcome])).to.deep.equal(loud);
    expect(saves).to.equal(8);
  });

  it("skips a phase that ended ok, runs one that failed or never ended", async () => {
    records.push(ended("a"), ended("b", "failed"), { phase: "c", startedAt: "2026-04-12T08:20:00.000Z" });
    await runPhases(journal("quiet"), [phase("a"), phase("b"), phase("c")]);
    expect(ran).to.deep.equal(["b", "c"]);
    expect(records.map((r) => r.outcome)).to.deep.equal(["ok", "ok", "ok"]);
  });

  it("chained: a phase that runs again makes the phases after it run again; unchained keeps them", async () => {
    records.push(ended("a"), ended("b", "failed"), ended("c"));
    await runPhases(journal("quiet"), [phase("a"), phase("b"), phase("c")]);
    expect(ran).to.deep.equal(["b"]);

    ran = [];
    records.splice(0, records.length, ended("a"), ended("b", "failed"), ended("c"));
    await runPhases(journal("quiet"), [phase("a"), phase("b"), phase("c")], { chained: true });
    expect(ran).to.deep.equal(["b", "c"]);
  });

  it("reopenPhases drops the records of the phases named, so they run again", async () => {
    records.push(ended("a"), ended("b"), ended("c"));
    reopenPhases(records, ["b", "c"]);
    expect(records.map((r) => r.phase)).to.deep.equal(["a"]);
    await runPhases(journal("quiet"), [phase("a"), phase("b"), phase("c")]);
    expect(ran).to.deep.equal(["b", "c"]);
  });
});
