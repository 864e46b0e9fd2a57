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

  constructor(start = Date.parse("2026-04-12T09:00:00Z")) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  /** Moves time forward without firing timers (e.g. "the data is two hours old"). */
  advance(ms: number): void {
    this.time += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
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
      this.schedule();
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
