// A validated AWS Backup schedule: the values its fields select, and its runs in a time zone.
import { type DaySelector, scheduledDays } from "./calendarDays";
import { zonedClock } from "./zonedClock";

/** Time zone AWS Backup evaluates schedules in when a rule sets no `ScheduleExpressionTimezone`. */
export const DEFAULT_TIME_ZONE = "Etc/UTC";

/** First and last year the AWS cron Year field can name. */
const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The values each field of a validated expression selects. */
export interface CronFields {
  /** Sorted minutes 0-59. */
  readonly minutes: readonly number[];
  /** Sorted hours 0-23. */
  readonly hours: readonly number[];
  /** Months 1-12. */
  readonly months: ReadonlySet<number>;
  /** Years 1970-2199. */
  readonly years: ReadonlySet<number>;
  readonly days: DaySelector;
}

/**
 * A validated AWS Backup schedule, evaluated on wall-clock time in an IANA time zone.
 *
 * Every method takes an optional `timeZone` (default {@link DEFAULT_TIME_ZONE}, `"Etc/UTC"`), the rule's
 * `ScheduleExpressionTimezone`, and throws `RangeError` for an unknown zone or an invalid `Date`.
 * Daylight-saving changes follow EventBridge Scheduler: a run at a local time that does not exist (spring
 * forward) is skipped, and a local time that occurs twice (fall back) runs once, at its first occurrence.
 */
export interface AwsCronSchedule {
  /** The expression this schedule was parsed from. */
  readonly expression: string;
  /** True when the Year field leaves out some year 1970-2199, so the schedule stops early or starts late. */
  readonly restrictsYears: boolean;
  /** Whether a run is scheduled in the minute containing `date`. */
  matches(date: Date, timeZone?: string): boolean;
  /** The first run strictly after `after`, or `undefined` when none remains up to the end of 2199. */
  next(after: Date, timeZone?: string): Date | undefined;
  /** All runs `r` with `from <= r < to`, ascending. */
  runsBetween(from: Date, to: Date, timeZone?: string): Date[];
  /** All runs at or after `from`, ascending and computed lazily, ending with the last run of 2199. */
  runs(from: Date, timeZone?: string): Generator<Date, void, undefined>;
}

/** Builds the evaluator for fields that `parseAwsCron` has already validated. */
export function compileSchedule(expression: string, fields: CronFields): AwsCronSchedule {
  return new CompiledSchedule(expression, fields);
}

class CompiledSchedule implements AwsCronSchedule {
  readonly restrictsYears: boolean;

  constructor(
    readonly expression: string,
    private readonly fields: CronFields,
  ) {
    this.restrictsYears = fields.years.size < LAST_YEAR - FIRST_YEAR + 1;
  }

  matches(date: Date, timeZone = DEFAULT_TIME_ZONE): boolean {
    const instant = startOfMinute(date);
    const clock = zonedClock(timeZone);
    const { year, month, day, hour, minute } = clock.wallTime(instant);
    const { years, months, hours, minutes, days } = this.fields;
    if (!years.has(year) || !months.has(month) || !hours.includes(hour) || !minutes.includes(minute))
      return false;
    if (!scheduledDays(days, year, month).includes(day)) return false;
    const localDayStart = Date.UTC(year, month - 1, day);
    // Only the first occurrence of a repeated (fall-back) local time is a run.
    return (
      clock.resolverForDay(localDayStart)(localDayStart + hour * HOUR_MS + minute * MINUTE_MS) === instant
    );
  }

  next(after: Date, timeZone = DEFAULT_TIME_ZONE): Date | undefined {
    const first = this.runs(new Date(startOfMinute(after) + MINUTE_MS), timeZone).next();
    return first.done ? undefined : first.value;
  }

  runsBetween(from: Date, to: Date, timeZone = DEFAULT_TIME_ZONE): Date[] {
    const end = instantOf(to);
    const found: Date[] = [];
    for (const run of this.runs(from, timeZone)) {
      if (run.getTime() >= end) break;
      found.push(run);
    }
    return found;
  }

  // Walks matching months and days and only then their hours and minutes, so sparse schedules skip ahead
  // instead of stepping minute by minute. Local times ascend in instant order (a repeated time maps to its
  // first occurrence), so a local date before the start date cannot hold a run at or after `from`.
  *runs(from: Date, timeZone = DEFAULT_TIME_ZONE): Generator<Date, void, undefined> {
    const start = instantOf(from);
    const clock = zonedClock(timeZone);
    const { years, months, hours, minutes, days } = this.fields;
    const wall = clock.wallTime(start);
    const startsBefore = wall.year < FIRST_YEAR;
    let month = startsBefore ? 1 : wall.month;
    let firstDay = startsBefore ? 1 : wall.day;
    for (let year = Math.max(wall.year, FIRST_YEAR); year <= LAST_YEAR; year++, month = 1, firstDay = 1) {
      if (!years.has(year)) continue;
      for (; month <= 12; month++, firstDay = 1) {
        if (!months.has(month)) continue;
        for (const day of scheduledDays(days, year, month)) {
          if (day < firstDay) continue;
          const localDayStart = Date.UTC(year, month - 1, day);
          const resolve = clock.resolverForDay(localDayStart);
          for (const hour of hours) {
            for (const minute of minutes) {
              const instant = resolve(localDayStart + hour * HOUR_MS + minute * MINUTE_MS);
              if (instant !== undefined && instant >= start) yield new Date(instant);
            }
          }
        }
      }
    }
  }
}

function instantOf(date: Date): number {
  const instant = date instanceof Date ? date.getTime() : NaN;
  if (Number.isNaN(instant)) throw new RangeError(`expected a valid Date, got ${String(date)}`);
  return instant;
}

function startOfMinute(date: Date): number {
  return Math.floor(instantOf(date) / MINUTE_MS) * MINUTE_MS;
}
