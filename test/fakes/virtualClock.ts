// Virtual time for tests: sleeps fire in due order as soon as the event loop is idle, hours in milliseconds.
import { Clock } from "../../scripts/clock";
import { InterruptedError } from "../../scripts/errors";

interface Timer {
  due: number;
  seq: number;
  fire: () => void;
}

/**
 * Virtual time for tests: `sleep` registers a timer, and once the event loop has nothing else to
 * do (a setImmediate turn later) the earliest timer fires and time jumps to its due time. Hours of
 * polling run in milliseconds, in the order real timers would fire.
 */
export class VirtualClock implements Clock {
  private time: number;
  private timers: Timer[] = [];
  private seq = 0;
  private scheduled = false;
  /** Every sleep's duration, in order. */
  readonly waits: number[] = [];

  /**
   * @param start the time it starts at. Default 2026-04-12T09:00:00Z.
   * @param options.manual sleeps end only when {@link pace} ends them, time staying where it is (a real
   *   clock whose waits a test ends by hand). Default false: they fire by themselves, in due order.
   */
  constructor(
    start = Date.parse("2026-04-12T09:00:00Z"),
    private readonly options: { readonly manual?: boolean } = {},
  ) {
    this.time = start;
  }

  /** Ends every pending sleep now, without moving time (the manual mode's step). */
  pace(): void {
    const due = this.timers;
    this.timers = [];
    due.sort((a, b) => a.seq - b.seq).forEach((timer) => timer.fire());
  }

  now(): number {
    return this.time;
  }

  /** Moves time forward without firing timers (e.g. "the data is two hours old"). */
  advance(ms: number): void {
    this.time += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.waits.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new InterruptedError());
        return;
      }
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(new InterruptedError());
      };
      const timer: Timer = {
        due: this.time + Math.max(0, ms),
        seq: this.seq++,
        fire: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.timers.push(timer);
      if (!this.options.manual) this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) {
      return;
    }
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.timers.sort((a, b) => a.due - b.due || a.seq - b.seq);
      const next = this.timers.shift();
      if (next) {
        this.time = Math.max(this.time, next.due);
        next.fire();
      }
      if (this.timers.length > 0) {
        this.schedule();
      }
    });
  }
}
