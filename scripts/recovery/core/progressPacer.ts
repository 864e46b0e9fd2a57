// When a long wait prints: every state change, PercentDone in steps, and otherwise a summary ever less often.

/** Options of {@link ProgressPacer}. */
export interface PacerOptions {
  /**
   * The quiet times (no line printed) before each summary line; the last one repeats. A job's change of
   * state starts the list again. @default 1, 2, 5, 10 and 15 minutes
   */
  readonly quietMs?: readonly number[];
  /** A running job's PercentDone is printed each time it enters a new multiple of this. @default 25 */
  readonly stepPercent?: number;
}

const MIN = 60_000;
/** The default of {@link PacerOptions.quietMs}. */
const QUIET_MS = [1 * MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN];

/**
 * Paces the progress lines of many jobs waited on together, so a 2-hour restore prints a dozen lines
 * rather than a line a minute: a job's change of state always prints; its PercentDone prints when it
 * crosses a step; when nothing has printed for a while, a summary prints, after 1, 2, 5, 10, then every 15
 * minutes of quiet. Pipes, files and terminals get the same plain lines.
 */
export class ProgressPacer {
  private readonly quietMs: readonly number[];
  private readonly stepPercent: number;
  private lastLineAt: number;
  private summariesSinceChange = 0;
  private readonly printedStep = new Map<string, number>();

  /** @param start when the wait started (ms): the first summary is measured from it. */
  constructor(start: number, options: PacerOptions = {}) {
    this.quietMs = options.quietMs ?? QUIET_MS;
    this.stepPercent = options.stepPercent ?? 25;
    this.lastLineAt = start;
  }

  /**
   * Whether job `key`'s new state is worth a line at `at` (a state change always is; the same state is
   * when its percentage entered a new step), recording the line when it is.
   */
  jobLine(key: string, at: number, stateChanged: boolean, percent: number | undefined): boolean {
    // 100 % is no step: the job's end prints its own line.
    const step = Math.floor(Math.min(percent ?? 0, 99.99) / this.stepPercent);
    if (!stateChanged && step <= (this.printedStep.get(key) ?? -1)) {
      return false;
    }
    this.printedStep.set(key, step);
    this.lastLineAt = at;
    if (stateChanged) {
      this.summariesSinceChange = 0;
    }
    return true;
  }

  /** When the next summary line is due, if nothing else prints before. */
  nextSummaryAt(): number {
    return this.lastLineAt + this.quietMs[Math.min(this.summariesSinceChange, this.quietMs.length - 1)];
  }

  /** A summary line was printed at `at`: the next waits longer. */
  summaryPrinted(at: number): void {
    this.lastLineAt = at;
    this.summariesSinceChange++;
  }
}
