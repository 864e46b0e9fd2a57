// Operator output: time-stamped lines (with their zone) and the plain-text layout helpers (tables, wrapping).
import { TimeZone, clockText, stampText } from "./time";

/** Where the CLI writes; injected so tests capture it and the benchmark can silence it. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * Line-oriented operator output. Every progress line carries a time stamp with its offset from UTC
 * (`14:32:05+01:00`, `14:32:05Z`), so a terminal scroll-back (or a CI log) is itself a timeline of the
 * recovery that cannot be misread across zones.
 */
export class Output {
  /**
   * @param now the clock of the stamps. @default Date.now
   * @param timeZone the zone of the stamps and of {@link clockTime}: an IANA name (`UTC` for `--utc`).
   *   @default the process's local zone, which honours `TZ`
   */
  constructor(
    private readonly stdout: TextSink,
    private readonly stderr: TextSink,
    private readonly now: () => number = Date.now,
    readonly timeZone?: TimeZone,
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

  /** `at` as the stamps' zone shows it, for an estimate beside a stamp: `14:32`, another day `2026-12-08 02:10`. */
  clockTime(at: number): string {
    return clockText(at, this.now(), this.timeZone);
  }

  private stamp(): string {
    return stampText(this.now(), this.timeZone);
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

/** How {@link fillWords} lays words into lines. */
export interface FillOptions {
  /** The most characters a line holds. */
  readonly width: number;
  /** What the first line starts with. @default "" */
  readonly first?: string;
  /** What every further line starts with. @default `first` */
  readonly hanging?: string;
  /**
   * A word longer than the room left on its line: `cut` ends it with "…" so no line passes `width`;
   * `whole` keeps it whole (a price file's link stays usable). @default "cut"
   */
  readonly longWords?: "cut" | "whole";
}

/** `words` filled into lines of at most `width`, the first starting with `first`, the others with `hanging`. */
export function fillWords(words: readonly string[], options: FillOptions): string[] {
  const { width, first = "", hanging = first, longWords = "cut" } = options;
  const lines: string[] = [];
  let current = first;
  let hasWord = false;
  for (const word of words) {
    if (hasWord && current.length + 1 + word.length > width) {
      lines.push(current);
      current = hanging;
      hasWord = false;
    }
    const room = width - current.length - (hasWord ? 1 : 0);
    const fitted = longWords === "cut" && word.length > room ? `${word.slice(0, room - 1)}…` : word;
    current += `${hasWord ? " " : ""}${fitted}`;
    hasWord = true;
  }
  lines.push(current);
  return lines;
}

/** The words of `text` (split at spaces) filled into lines as {@link fillWords} does; none for no text. */
export function wrapText(text: string, options: FillOptions): string[] {
  return text === "" ? [] : fillWords(text.split(" "), options);
}

/** `line` within `width`: wrapped at spaces, continuation lines indented 4 more than the line. */
export function wrapLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const lead = line.length - line.trimStart().length;
  return fillWords(line.slice(lead).split(" "), {
    width,
    first: line.slice(0, lead),
    hanging: " ".repeat(lead + 4),
  });
}

/** How {@link alignColumns} lays out its rows. */
export interface ColumnOptions {
  /** Before every row. @default "  " */
  readonly indent?: string;
  /** The longest a row may be before its last cell moves below it. @default unbounded */
  readonly width?: number;
  /** The widest a column is padded to (a longer cell pushes the rest of its row). @default `width` */
  readonly maxColumn?: number;
}

/**
 * Rows in aligned columns, without a header rule. A row longer than `width` puts its last cell on the
 * lines below, indented 4 more and wrapped, so the columns stay aligned.
 */
export function alignColumns(rows: readonly string[][], options: ColumnOptions = {}): string[] {
  const { indent = "  ", width = Number.POSITIVE_INFINITY, maxColumn = width } = options;
  const widths = columnWidths(rows).map((columnWidth) => Math.min(maxColumn, columnWidth));
  const render = (row: readonly string[]) => alignRow(row, widths, indent);
  return rows.flatMap((row) => {
    const line = render(row);
    if (line.length <= width) return [line];
    return [render(row.slice(0, -1)), ...wrapLine(`${indent}    ${row[row.length - 1]}`, width)];
  });
}

/**
 * `label` and `amount` on one line of `width`: the label after `indent`, cut with "…" when it would meet
 * the amount, the amount flush right.
 */
export function amountRow(label: string, amount: string, width: number, indent = "  "): string {
  const room = width - indent.length - amount.length - 1;
  const text = label.length > room ? `${label.slice(0, room - 1)}…` : label;
  return `${indent}${text.padEnd(room)} ${amount}`;
}
