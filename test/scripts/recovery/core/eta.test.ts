import { expect } from "chai";
import { etaText, jobEta, runEta, runEtaText } from "../../../../scripts/recovery/core/eta";

const MIN = 60_000;
const T0 = Date.parse("2026-04-12T09:00:00Z");
/** Times as the progress lines show them, in UTC for these tests. */
const hhmm = (at: number) => new Date(at).toISOString().slice(11, 16);

describe("ETA of a restore job and of a run (finding 4)", () => {
  describe("a job: AWS's figure, else its progress, else the run's, else unknown", () => {
    it("GIVEN ExpectedCompletionTimeMinutes THEN CreationDate plus those minutes, even with progress", () => {
      const track = {
        createdAt: T0,
        expectedMinutes: 30,
        firstProgress: { at: T0 + 2 * MIN, percent: 10 },
        lastProgress: { at: T0 + 4 * MIN, percent: 20 },
      };
      expect(jobEta(track, T0 + 4 * MIN)).to.deep.equal({ at: T0 + 30 * MIN, source: "aws" });
    });

    it("GIVEN AWS's expected end has passed THEN the job's own progress (the rate between two readings)", () => {
      const track = {
        createdAt: T0,
        expectedMinutes: 10,
        firstProgress: { at: T0 + 5 * MIN, percent: 20 },
        lastProgress: { at: T0 + 15 * MIN, percent: 60 },
      };
      // 40 % in 10 min: the last 40 % in 10 more.
      expect(jobEta(track, T0 + 15 * MIN)).to.deep.equal({ at: T0 + 25 * MIN, source: "progress" });
    });

    it("GIVEN one PercentDone reading only THEN its share of the time since the job was created", () => {
      const track = { createdAt: T0, lastProgress: { at: T0 + 10 * MIN, percent: 40 } };
      expect(jobEta(track, T0 + 10 * MIN)).to.deep.equal({ at: T0 + 25 * MIN, source: "progress" });
    });

    it("GIVEN a job still PENDING past AWS's expected end THEN it is queued: the whole duration from now", () => {
      const track = { createdAt: T0, expectedMinutes: 20, pending: true };
      expect(jobEta(track, T0 + 45 * MIN)).to.deep.equal({ at: T0 + 65 * MIN, source: "aws" });
    });

    it("GIVEN no figure of its own THEN how long the run's jobs of its type took; without one, unknown", () => {
      expect(jobEta({ createdAt: T0 }, T0 + MIN, 30 * MIN)).to.deep.equal({
        at: T0 + 30 * MIN,
        source: "run",
      });
      expect(jobEta({ createdAt: T0 }, T0 + 40 * MIN, 30 * MIN)).to.equal(undefined);
      expect(jobEta({ createdAt: T0, expectedMinutes: 5 }, T0 + 10 * MIN)).to.equal(undefined);
    });
  });

  describe("the run: the latest job's; a job not started adds its expected duration", () => {
    it("GIVEN started jobs and one waiting for its start THEN the latest end, the waiting one counted from now", () => {
      const run = runEta(
        [
          { started: true, eta: { at: T0 + 20 * MIN, source: "aws" } },
          { started: true, eta: { at: T0 + 50 * MIN, source: "progress" } },
          { started: false, expectedMs: 45 * MIN },
        ],
        T0 + 10 * MIN,
      );
      expect(run).to.deep.equal({ at: T0 + 55 * MIN, unknown: 0 });
    });

    it("GIVEN jobs without an estimate THEN they are counted, and the line says so", () => {
      const now = T0 + 10 * MIN;
      const run = runEta(
        [{ started: true, eta: { at: T0 + 28 * MIN, source: "aws" } }, { started: true }, { started: false }],
        now,
      );
      expect(run).to.deep.equal({ at: T0 + 28 * MIN, unknown: 2 });
      expect(runEtaText(run, now, hhmm)).to.equal("eta 09:28 (in ~18 min; 2 job(s) without an estimate)");
      expect(runEtaText(runEta([{ started: true }], now), now, hhmm)).to.equal("eta unknown");
    });
  });

  it("the text says where an estimate that is not AWS's comes from", () => {
    const now = T0;
    expect(etaText({ at: T0 + 18 * MIN, source: "aws" }, now, hhmm)).to.equal("eta 09:18 (in ~18 min)");
    expect(etaText({ at: T0 + 125 * MIN, source: "progress" }, now, hhmm)).to.equal(
      "eta 11:05 (in ~2h 05m, from its progress)",
    );
    expect(etaText({ at: T0 + 20_000, source: "run" }, now, hhmm)).to.equal(
      "eta 09:00 (in <1 min, as this run's others of its type)",
    );
    expect(etaText(undefined, now, hhmm)).to.equal("eta unknown");
  });
});
