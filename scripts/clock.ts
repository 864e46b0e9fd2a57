// The CLI's clock: time and sleep injected so tests run on virtual time, and ISO-8601 timestamps.
import { InterruptedError } from "./errors";

/** Time source and sleeper, injected so tests run on virtual time without real waits. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or rejects with {@link InterruptedError} as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * A number in [0, 1) for the jitter of the waits between two polls. Default (absent): Math.random. A
   * simulated clock gives a seeded sequence, so the same scenario polls at the same simulated moments.
   */
  random?(): number;
}

/** The real clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new InterruptedError());
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(new InterruptedError());
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/** ISO-8601 of a millisecond timestamp. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
