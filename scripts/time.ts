// Times and numbers from the command line (`--as-of`, seconds, positive numbers), and durations for humans.
import { DrError } from "./errors";

const isoLike = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses `--as-of`: an ISO-8601 date or date-time (`2026-04-12`, `2026-04-12T09:30Z`,
 * `2026-04-12T09:30:00+02:00`). A time without an offset is taken as UTC, because operators in a
 * regional outage are rarely in the region's time zone and an implicit local time is a trap.
 */
export function parseAsOf(text: string): Date {
  const trimmed = text.trim();
  if (!isoLike.test(trimmed)) {
    throw new DrError(
      `--as-of '${text}' is not an ISO-8601 time: use e.g. 2026-04-12T09:30:00Z (a time without an offset is UTC)`,
    );
  }
  let normalized = trimmed.replace(" ", "T");
  if (/^\d{4}-\d{2}-\d{2}$/.test(normalized)) {
    normalized += "T00:00:00Z";
  } else if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(normalized)) {
    normalized += "Z";
  }
  const [year, month, day] = trimmed.slice(0, 10).split("-").map(Number);
  // `new Date("2026-02-30")` silently rolls over to March: check the calendar date first.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const date = new Date(normalized);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || Number.isNaN(date.getTime())) {
    throw new DrError(`--as-of '${text}' is not a valid date: use e.g. 2026-04-12T09:30:00Z`);
  }
  return date;
}

/** A duration for humans: `45s`, `12m 03s`, `2h 05m`. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) {
    return `${hours}h ${String(minutes).padStart(2, "0")}m`;
  }
  if (minutes > 0) {
    return `${minutes}m ${String(seconds).padStart(2, "0")}s`;
  }
  return `${seconds}s`;
}

/** Parses a positive number of seconds given on the command line, into milliseconds. */
export function parseSeconds(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new DrError(`${flag} '${text}' must be a positive number of seconds`);
  }
  return Math.round(value * 1000);
}

/** Parses a positive number given on the command line. */
export function parsePositive(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new DrError(`${flag} '${text}' must be a positive number`);
  }
  return value;
}
