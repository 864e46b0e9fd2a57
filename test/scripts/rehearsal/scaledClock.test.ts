// The rehearsal's clock: simulated time moves only by its waits, in order, paced at the speed; held local processing takes none.
import { expect } from "chai";
import { InterruptedError } from "../../../scripts/errors";
import { ScaledClock } from "../../../scripts/rehearsal/scaledClock";
import { VirtualClock } from "../../fakes/virtualClock";

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("rehearsal: the scaled clock", () => {
  it("a wait of 30 simulated minutes is paced at 1/speed of real time and ends 30 minutes later", async () => {
    const real = new VirtualClock(1_000, { manual: true });
    const clock = new ScaledClock(1000, real, 0);
    let ended = false;
    void clock.sleep(30 * 60_000).then(() => (ended = true));
    expect(real.waits).to.deep.equal([1800]);
    await turn();
    expect(ended).to.equal(false);
    real.pace();
    await turn();
    await turn();
    expect(ended).to.equal(true);
    expect(clock.now()).to.equal(30 * 60_000);
  });

  it("waits end in the order of their simulated ends, whatever order their pacing ends in", async () => {
    const real = new VirtualClock(1_000, { manual: true });
    const clock = new ScaledClock(100, real, 0);
    const order: string[] = [];
    void clock.sleep(60_000).then(() => order.push(`poll at ${clock.now()}`));
    void clock.sleep(10_000).then(() => order.push(`health at ${clock.now()}`));
    real.pace();
    for (let i = 0; i < 5; i++) await turn();
    expect(order).to.deep.equal(["health at 10000", "poll at 60000"]);
  });

  it("while local processing holds the clock, no wait ends and no simulated time passes; its real time is counted apart", async () => {
    const real = new VirtualClock(1_000, { manual: true });
    const clock = new ScaledClock(10_000, real, 0);
    let ended = false;
    void clock.sleep(60_000).then(() => (ended = true));
    let finish: () => void = () => undefined;
    const work = clock.hold(() => new Promise<void>((resolve) => (finish = resolve)));
    real.advance(2_100);
    real.pace();
    for (let i = 0; i < 3; i++) await turn();
    expect(ended).to.equal(false);
    expect(clock.now()).to.equal(0);
    finish();
    await work;
    for (let i = 0; i < 3; i++) await turn();
    expect(ended).to.equal(true);
    expect(clock.now()).to.equal(60_000);
    expect(clock.localProcessingMs).to.equal(2_100);
  });

  it("an aborted wait rejects with InterruptedError and no longer holds back the others", async () => {
    const real = new VirtualClock(1_000, { manual: true });
    const clock = new ScaledClock(100, real, 0);
    const abort = new AbortController();
    const aborted = clock.sleep(1_000, abort.signal);
    const other = clock.sleep(5_000);
    abort.abort();
    let error: unknown;
    await aborted.catch((e) => (error = e));
    expect(error).to.be.instanceOf(InterruptedError);
    real.pace();
    await other;
    expect(clock.now()).to.equal(5_000);
  });

  it("gives the polls' jitter the same numbers at every speed and on every run, spread over [0, 1)", () => {
    const draw = (speed: number) => {
      const clock = new ScaledClock(speed, new VirtualClock(), 0);
      return Array.from({ length: 1000 }, () => clock.random());
    };
    const slow = draw(1000);
    expect(draw(10_000)).to.deep.equal(slow);
    expect(slow.every((n) => n >= 0 && n < 1)).to.equal(true);
    expect(new Set(slow).size).to.equal(1000);
    const low = slow.filter((n) => n < 0.5).length;
    expect(low).to.be.within(400, 600);
  });

  it("the health check's backoff polls at the same simulated moments on two runs (measured RTO, trial P11)", async () => {
    const { nextPollDelay } = await import("../../../scripts/recovery/core/restoreJobs");
    const delays = () => {
      const clock = new ScaledClock(1000, new VirtualClock(), 0);
      return Array.from({ length: 20 }, (_, attempt) =>
        nextPollDelay(attempt, {
          initialDelayMs: 2_000,
          maxDelayMs: 10_000,
          random: clock.random.bind(clock),
        }),
      );
    };
    const first = delays();
    expect(delays()).to.deep.equal(first);
    // Jittered still: not all the same once the backoff reaches its maximum.
    expect(new Set(first.slice(5)).size).to.be.greaterThan(1);
  });
});
