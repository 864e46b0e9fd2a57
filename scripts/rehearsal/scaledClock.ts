// A clock running `speed` times faster than real time, which the rehearsal's simulation and CLI share.
import { Clock, systemClock } from "../clock";

/**
 * A clock that runs `speed` times faster than real time from the moment it is made: `now()` starts at
 * the real time and advances `speed` ms per real ms, `sleep(ms)` waits `ms / speed` real ms. The
 * rehearsal gives it to both the simulated AWS and the CLI, so a 25-minute restore shows as 25
 * minutes in the progress lines and the report while taking 25 / speed minutes of the trainee's time.
 */
export class ScaledClock implements Clock {
  private readonly realStart: number;
  private skipped = 0;

  /** @param speed how many simulated ms pass per real ms (> 0). */
  constructor(
    readonly speed: number,
    private readonly real: Clock = systemClock,
  ) {
    this.realStart = real.now();
  }

  now(): number {
    return Math.round(this.realStart + (this.real.now() - this.realStart) * this.speed + this.skipped);
  }

  /**
   * Moves simulated time `ms` forward at once (days the application serves from DR between two
   * commands); sleeps already running keep their real length.
   */
  advance(ms: number): void {
    this.skipped += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.real.sleep(ms / this.speed, signal);
  }
}
