// `parseAwsCron`: an AWS Backup cron expression validated field by field into a schedule that finds runs.
import { AwsCronError } from "./awsCronError";
import { type AwsCronSchedule, compileSchedule } from "./awsCronSchedule";
import type { DayOfMonthSpec, DayOfWeekSpec, DaySelector } from "./calendarDays";
import {
  DAY_OF_MONTH,
  DAY_OF_WEEK,
  HOURS,
  MINUTES,
  MONTH,
  YEAR,
  parseDayOfMonth,
  parseDayOfWeek,
  parseValueField,
} from "./cronFields";

export { AwsCronError } from "./awsCronError";
export { type AwsCronSchedule, DEFAULT_TIME_ZONE } from "./awsCronSchedule";
export {
  DEFAULT_HORIZON_START,
  type WorstCaseIntervalOptions,
  worstCaseIntervalMinutes,
} from "./worstCaseInterval";

const FIELD_NAMES = "Minutes Hours Day-of-month Month Day-of-week Year";

/**
 * Parses and validates an AWS Backup schedule expression, `cron(Minutes Hours Day-of-month Month Day-of-week
 * Year)`, with the rules of the EventBridge cron reference plus AWS Backup's at-most-hourly limit.
 *
 * Choices where AWS documents nothing firmer, kept strict: ranges must run low-high (no wrap-around such as
 * `22-2`); steps must lie between 1 and the field's span (59 for Minutes); `L`, `LW`, `nW`, `nL` and `n#k`
 * must be the only expression in their field and take numbers, not names; `L-n` offsets are not accepted.
 * Month and day names are case-insensitive. A schedule that can never run (e.g. `30` in February only) is
 * accepted, as in EventBridge; its `next` returns `undefined`.
 *
 * @throws AwsCronError naming the first rule the expression breaks and quoting the offending part.
 */
export function parseAwsCron(expression: string): AwsCronSchedule {
  if (typeof expression === "string" && /^\s*rate\(/i.test(expression)) {
    throw new AwsCronError(`AWS Backup supports only cron() schedules, not rate(): "${expression}"`);
  }
  const body = typeof expression === "string" ? /^cron\((.*)\)$/s.exec(expression)?.[1] : undefined;
  if (body === undefined) {
    throw new AwsCronError(`schedule must be written as cron(${FIELD_NAMES}): "${String(expression)}"`);
  }
  const fields = body.trim() === "" ? [] : body.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new AwsCronError(
      `cron() needs exactly 6 space-separated fields (${FIELD_NAMES}), found ${fields.length}: "${body}"`,
    );
  }
  const [minuteText, hourText, dayOfMonthText, monthText, dayOfWeekText, yearText] = fields;
  const minutes = parseValueField(minuteText, MINUTES);
  const hours = parseValueField(hourText, HOURS);
  const dayOfMonth = parseDayOfMonth(dayOfMonthText);
  const months = parseValueField(monthText, MONTH);
  const dayOfWeek = parseDayOfWeek(dayOfWeekText);
  const years = parseValueField(yearText, YEAR);

  const days = daySelector(dayOfMonth, dayOfWeek, dayOfMonthText, dayOfWeekText);

  // With a single minute value, runs are whole hours apart on the wall clock.
  if (minutes.length > 1) {
    throw new AwsCronError(
      `AWS Backup runs scheduled backups at most once an hour, but Minutes "${minuteText}" selects ` +
        `${minutes.length} minutes of every hour`,
    );
  }
  return compileSchedule(expression, {
    minutes,
    hours,
    months: new Set(months),
    years: new Set(years),
    days,
  });
}

// EventBridge: "If you specify a value or a * (asterisk) in one of the fields, you must use a ? (question
// mark) in the other."
function daySelector(
  dayOfMonth: DayOfMonthSpec | undefined,
  dayOfWeek: DayOfWeekSpec | undefined,
  dayOfMonthText: string,
  dayOfWeekText: string,
): DaySelector {
  if (dayOfMonth !== undefined && dayOfWeek === undefined) return { field: "dayOfMonth", spec: dayOfMonth };
  if (dayOfMonth === undefined && dayOfWeek !== undefined) return { field: "dayOfWeek", spec: dayOfWeek };
  const both = `${DAY_OF_MONTH.label} "${dayOfMonthText}" and ${DAY_OF_WEEK.label} "${dayOfWeekText}"`;
  throw new AwsCronError(
    dayOfMonth === undefined
      ? `${both} are both ?; exactly one of them must be ?`
      : `${both} are both set (values or *); exactly one of them must be ?`,
  );
}
