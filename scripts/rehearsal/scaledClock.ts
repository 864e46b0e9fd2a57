// The rehearsal's simulated clock: time moves only by the simulation's own waits, paced at `speed` times real time.
import { Clock, systemClock } from "../clock";
import { InterruptedError } from "../errors";

interface Sleeper {
  readonly due: number;
  readonly seq: number;
  /** Its real pacing wait (`ms / speed`) is over. */
  paced: boolean;
  readonly wake: () => void;
}

/**
 * A virtual clock for `dr rehearse`, which the simulated AWS, the offline stacks and the CLI share.
 * Simulated time moves only when a wait on the clock ends: `sleep(ms)` ends `ms` later in simulated time,
 * after `ms / speed` real milliseconds (so a 25-minute restore shows as 25 minutes and takes 25 / speed
 * minutes of the trainee's time), and waits end in the order of their simulated ends, each once
 * nothing else is under way (a `setImmediate` turn later, and no {@link hold} open).
 *
 * The local processing the simulation needs (an AWS call to the simulation, an `up` on Pulumi's mock
 * engine, the health check) runs inside {@link hold}: no simulated time passes during it, at any speed or
 * machine load, and its real time is counted apart ({@link localProcessingMs}). So the measured RTO is
 * the sum of what is simulated (restore jobs, polling intervals, the instances' boot) and the same at
 * every `--speed`; before, the real time of local processing was multiplied by the speed into it.
 */
export class ScaledClock implements Clock {
  private time: number;
  private sleepers: Sleeper[] = [];
  private seq = 0;
  private holds = 0;
  private heldSince = 0;
  private heldMs = 0;
  private scheduled = false;
  /** The state of {@link random}'s sequence (mulberry32), the same seed on every rehearsal. */
  private seed = 0x2f6b_1d3c;

  /**
   * @param speed how many simulated ms pass per real ms of waiting (> 0).
   * @param real the real clock that paces the waits. Default the system clock.
   * @param start simulated time at the start, ms since the epoch. Default the real time now.
   */
  constructor(
    readonly speed: number,
    private readonly real: Clock = systemClock,
    start: number = real.now(),
  ) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  /**
   * The poll jitter's random numbers, from a fixed seed: a rehearsal's CLI polls (the health check's
   * backoff) at the same simulated moments on every run and at every speed, so its measured RTO is the same;
   * Math.random made it differ by up to a poll interval's jitter (seconds) from one run to the next.
   */
  random(): number {
    // mulberry32: a 32-bit state, one multiply-xorshift round per number.
    this.seed = (this.seed + 0x6d2b79f5) | 0;
    let t = this.seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /**
   * Moves simulated time `ms` forward at once (days the application serves from DR between two
   * commands); waits already running end at their own times.
   */
  advance(ms: number): void {
    this.time += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new InterruptedError());
        return;
      }
      const pacing = new AbortController();
      const onAbort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        pacing.abort();
        reject(new InterruptedError());
      };
      const sleeper: Sleeper = {
        due: this.time + Math.max(0, ms),
        seq: this.seq++,
        paced: false,
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.real.sleep(Math.max(0, ms) / this.speed, pacing.signal).then(
        () => {
          sleeper.paced = true;
          this.schedule();
        },
        () => undefined,
      );
    });
  }

  /**
   * Runs `work` (local processing: a call to the simulation, an evaluation on the mock engine) with
   * simulated time standing still: no wait ends until it is done. `work` must not wait on this clock.
   */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    if (this.holds++ === 0) {
      this.heldSince = this.real.now();
    }
    try {
      return await work();
    } finally {
      if (--this.holds === 0) {
        this.heldMs += this.real.now() - this.heldSince;
        this.schedule();
      }
    }
  }

  /** Real milliseconds spent in local processing ({@link hold}) so far: not counted in simulated time. */
  get localProcessingMs(): number {
    return this.heldMs + (this.holds > 0 ? this.real.now() - this.heldSince : 0);
  }

  /** Ends the earliest wait once it is paced and nothing is under way, then looks again. */
  private schedule(): void {
    if (this.scheduled) {
      return;
    }
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.holds > 0 || this.sleepers.length === 0) {
        return;
      }
      this.sleepers.sort((a, b) => a.due - b.due || a.seq - b.seq);
      const next = this.sleepers[0];
      if (!next.paced) {
        // Its own pacing timer schedules again.
        return;
      }
      this.sleepers.shift();
      this.time = Math.max(this.time, next.due);
      next.wake();
      if (this.sleepers.some((s) => s.paced)) {
        this.schedule();
      }
    });
  }
}
