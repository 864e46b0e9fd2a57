// Times and numbers from the command line (`--as-of`, seconds, positive numbers), durations for humans, and
// times of day in a zone with their offset (progress lines, ETAs).
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

/**
 * A time zone the CLI prints times in: an IANA name (`Europe/Paris`, `UTC`), or undefined for the
 * process's local zone, which honours `TZ`.
 */
export type TimeZone = string | undefined;

/** One instant as a wall clock of a zone shows it, with the zone's offset from UTC. */
export interface WallClock {
  /** `2026-12-07` */
  readonly date: string;
  /** `14:32:05` */
  readonly time: string;
  /** Minutes east of UTC at that instant (daylight-saving time included). */
  readonly offsetMinutes: number;
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** The formatter of `zone`, made once (constructing one costs tens of microseconds). */
function wallFormat(zone: TimeZone): Intl.DateTimeFormat {
  const key = zone ?? "";
  let format = wallFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    wallFormats.set(key, format);
  }
  return format;
}

/** The wall clock of `zone` (default: local, honouring `TZ`) at `ms`. */
export function wallClock(ms: number, zone?: TimeZone): WallClock {
  // The local zone is the one Date itself uses, so a TZ set after the first call is honoured too.
  if (zone === undefined) {
    const d = new Date(ms);
    const two = (n: number) => String(n).padStart(2, "0");
    return {
      date: `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`,
      time: `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`,
      offsetMinutes: -d.getTimezoneOffset(),
    };
  }
  const parts = Object.fromEntries(
    wallFormat(zone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}:${parts.second}`;
  const asUtc = Date.parse(`${date}T${time}Z`);
  return { date, time, offsetMinutes: Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000) };
}

/** An offset from UTC as ISO-8601 writes it: `Z`, `+01:00`, `-05:30`. */
export function offsetText(offsetMinutes: number): string {
  if (offsetMinutes === 0) {
    return "Z";
  }
  const abs = Math.abs(offsetMinutes);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${offsetMinutes < 0 ? "-" : "+"}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** The time of day of `ms` in `zone` with its offset, the stamp of progress lines: `14:32:05+01:00`, `14:32:05Z`. */
export function stampText(ms: number, zone?: TimeZone): string {
  const wall = wallClock(ms, zone);
  return `${wall.time}${offsetText(wall.offsetMinutes)}`;
}

/**
 * `at` as hours and minutes in `zone` (`14:32`), the date first when it is not the day of `now` there
 * (`2026-12-08 02:10`). Without an offset: it goes beside a stamp that carries one.
 */
export function clockText(at: number, now: number, zone?: TimeZone): string {
  const wall = wallClock(at, zone);
  const hhmm = wall.time.slice(0, 5);
  return wall.date === wallClock(now, zone).date ? hhmm : `${wall.date} ${hhmm}`;
}

/** A time left, rounded for a person: `<1 min`, `~18 min`, `~2h 05m`. */
export function approxDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) {
    return "<1 min";
  }
  if (minutes < 60) {
    return `~${minutes} min`;
  }
  return `~${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}
