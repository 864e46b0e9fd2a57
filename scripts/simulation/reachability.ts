/**
 * Which regions answer, and since when: a region is made unreachable and reachable again while a
 * scenario runs, and jobs that depend on it (a copy into it) are judged on the whole history.
 */
export class Reachability {
  private readonly changes: Array<{ readonly at: number; readonly region: string; readonly up: boolean }> =
    [];

  constructor(
    private readonly now: () => number,
    initiallyDown: readonly string[],
  ) {
    for (const region of initiallyDown) {
      this.changes.push({ at: Number.NEGATIVE_INFINITY, region, up: false });
    }
  }

  /** Whether `region` answered at `at` (default now). */
  isUp(region: string, at = this.now()): boolean {
    const last = this.changes.filter((c) => c.region === region && c.at <= at).pop();
    return last?.up ?? true;
  }

  /** From now on, `region` answers (`up`) or does not. */
  set(region: string, up: boolean): void {
    if (this.isUp(region) !== up) {
      this.changes.push({ at: this.now(), region, up });
    }
  }

  /** The first moment in [from, to] that `region` did not answer, or undefined when it answered throughout. */
  firstDown(region: string, from: number, to: number): number | undefined {
    if (!this.isUp(region, from)) {
      return from;
    }
    return this.changes.find((c) => c.region === region && !c.up && c.at > from && c.at <= to)?.at;
  }
}
