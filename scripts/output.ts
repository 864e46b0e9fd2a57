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

  /** Text on stdout as it is (a rendered document: it carries its own line ends). */
  write(text: string): void {
    this.stdout.write(text);
  }

  /** Text on stderr as it is (diagnostics rendered with their own line ends). */
  writeError(text: string): void {
    this.stderr.write(text);
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

/** The width of each column of `rows` (as many as the first row has): its widest cell. */
export function columnWidths(rows: readonly string[][]): number[] {
  return rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
}

/**
 * One row of a fixed-width table: every cell but the last padded to its column's width, two spaces
 * between cells, after `indent` and without trailing blanks.
 */
export function alignRow(row: readonly string[], widths: readonly number[], indent = ""): string {
  return (
    indent +
    row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join("  ")
  ).trimEnd();
}

/** Renders rows as a fixed-width text table with a header rule. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = columnWidths([headers, ...rows]);
  return [headers, widths.map((width) => "-".repeat(width)), ...rows]
    .map((row) => alignRow(row, widths))
    .join("\n");
}
