/** Where the CLI writes; injected so tests capture it and the benchmark can silence it. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * Line-oriented operator output. Every progress line carries a UTC time stamp so a terminal
 * scroll-back (or a CI log) is itself a timeline of the recovery.
 */
export class Output {
  constructor(
    private readonly stdout: TextSink,
    private readonly stderr: TextSink,
    private readonly now: () => number = Date.now,
  ) {}

  /** A plain line on stdout (tables, reports, JSON). */
  print(text = ""): void {
    this.stdout.write(`${text}\n`);
  }

  /** A time-stamped progress line on stdout. */
  info(text: string): void {
    this.stdout.write(`${this.stamp()} ${text}\n`);
  }

  /** A time-stamped warning on stderr. */
  warn(text: string): void {
    this.stderr.write(`${this.stamp()} WARNING ${text}\n`);
  }

  /** A one-line error on stderr (no stack trace: operators need the message, not our internals). */
  error(text: string): void {
    this.stderr.write(`error: ${text}\n`);
  }

  private stamp(): string {
    return new Date(this.now()).toISOString().slice(11, 19);
  }
}

/** Renders rows as a fixed-width text table with a header rule. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
