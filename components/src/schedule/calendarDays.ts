/** Day-of-week numbering used throughout: AWS counts 1 = Sunday ... 7 = Saturday. */
const SUNDAY = 1;
const SATURDAY = 7;

/** What a Day-of-month field selects (when Day-of-week is `?`). */
export type DayOfMonthSpec =
  /** Listed days, ranges and steps; days past the end of a month never match. */
  | { readonly kind: "days"; readonly days: ReadonlySet<number> }
  /** `L`: the last day of the month. */
  | { readonly kind: "last" }
  /** `LW`: the last Monday-Friday of the month. */
  | { readonly kind: "lastWeekday" }
  /** `nW`: the Monday-Friday nearest day n, without leaving the month. */
  | { readonly kind: "nearestWeekday"; readonly day: number };

/** What a Day-of-week field selects (when Day-of-month is `?`); days are 1 = Sunday ... 7 = Saturday. */
export type DayOfWeekSpec =
  /** Listed days of the week (`L` alone is Saturday). */
  | { readonly kind: "days"; readonly days: ReadonlySet<number> }
  /** `nL`: the last day n of the month, e.g. `6L` = last Friday. */
  | { readonly kind: "lastInMonth"; readonly day: number }
  /** `n#k`: the k-th day n of the month, e.g. `2#1` = first Monday. */
  | { readonly kind: "nthInMonth"; readonly day: number; readonly nth: number };

/** The one of Day-of-month / Day-of-week that is not `?`, and what it selects. */
export type DaySelector =
  | { readonly field: "dayOfMonth"; readonly spec: DayOfMonthSpec }
  | { readonly field: "dayOfWeek"; readonly spec: DayOfWeekSpec };

/** Number of days in `month` (1-12) of `year` in the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Day of the week of a calendar date, 1 = Sunday ... 7 = Saturday. */
function dayOfWeek(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

/** The days of `month` (1-12) in `year` that `selector` schedules, ascending. */
export function scheduledDays(selector: DaySelector, year: number, month: number): number[] {
  const last = daysInMonth(year, month);
  return selector.field === "dayOfMonth"
    ? daysOfMonth(selector.spec, year, month, last)
    : daysOfWeek(selector.spec, year, month, last);
}

function daysOfMonth(spec: DayOfMonthSpec, year: number, month: number, last: number): number[] {
  switch (spec.kind) {
    case "days":
      return range(1, last).filter((day) => spec.days.has(day));
    case "last":
      return [last];
    case "lastWeekday": {
      const weekday = dayOfWeek(year, month, last);
      return [weekday === SATURDAY ? last - 1 : weekday === SUNDAY ? last - 2 : last];
    }
    case "nearestWeekday":
      return nearestWeekday(spec.day, year, month, last);
  }
}

// Quartz semantics, which EventBridge inherits: the nearest weekday never crosses into another month, so
// a Saturday 1st moves forward to Monday the 3rd and a Sunday on the last day moves back to Friday.
// A month without day n (e.g. 31W in April) has no run, like a plain 31 would.
function nearestWeekday(day: number, year: number, month: number, last: number): number[] {
  if (day > last) return [];
  const weekday = dayOfWeek(year, month, day);
  if (weekday === SATURDAY) return [day === 1 ? 3 : day - 1];
  if (weekday === SUNDAY) return [day === last ? day - 2 : day + 1];
  return [day];
}

function daysOfWeek(spec: DayOfWeekSpec, year: number, month: number, last: number): number[] {
  const firstWeekday = dayOfWeek(year, month, 1);
  const firstDayFalling = (weekday: number): number => 1 + ((weekday - firstWeekday + 7) % 7);
  switch (spec.kind) {
    case "days":
      return range(1, last).filter((day) => spec.days.has(((firstWeekday - 1 + day - 1) % 7) + 1));
    case "lastInMonth": {
      const first = firstDayFalling(spec.day);
      return [first + 7 * Math.floor((last - first) / 7)];
    }
    case "nthInMonth": {
      const day = firstDayFalling(spec.day) + 7 * (spec.nth - 1);
      return day <= last ? [day] : [];
    }
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
