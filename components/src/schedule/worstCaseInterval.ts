// A schedule's worst-case RPO: the longest time between consecutive runs over a horizon.
import { type AwsCronSchedule, DEFAULT_TIME_ZONE } from "./awsCronSchedule";

/** Options for {@link worstCaseIntervalMinutes}. */
export interface WorstCaseIntervalOptions {
  /** IANA time zone the schedule runs in. Default `"Etc/UTC"`. */
  readonly timeZone?: string;
  /** Start of the horizon. Default 2026-01-01T00:00Z, so results do not depend on when they are computed. */
  readonly from?: Date;
  /** Length of the horizon in days (> 0). Default: one calendar year from `from` (365 days from 2026-01-01). */
  readonly horizonDays?: number;
}

/** Default horizon start: fixed so worst-case RPO figures are reproducible. */
export const DEFAULT_HORIZON_START = new Date(Date.UTC(2026, 0, 1));

const DAY_MS = 86_400_000;

/**
 * The longest time, in minutes, between consecutive runs of `schedule`, i.e. its worst-case RPO.
 *
 * Every run in `[from, from + horizon)` is paired with the run that follows it, even when that follower lies
 * past the horizon, so a yearly schedule measured over one year reports a year rather than nothing.
 * Daylight-saving changes in `timeZone` count: a daily 02:30 run in America/New_York skips the
 * spring-forward date, giving 2820 minutes once a year.
 *
 * @returns `Infinity` when the schedule restricts years (it eventually stops), when no run falls in the
 *   horizon, or when the last run in the horizon has no successor.
 * @throws RangeError for an unknown time zone, an invalid `from` or a non-positive `horizonDays`.
 */
export function worstCaseIntervalMinutes(
  schedule: AwsCronSchedule,
  opts: WorstCaseIntervalOptions = {},
): number {
  const { timeZone = DEFAULT_TIME_ZONE, from = DEFAULT_HORIZON_START, horizonDays } = opts;
  if (horizonDays !== undefined && !(horizonDays > 0 && Number.isFinite(horizonDays))) {
    throw new RangeError(`horizonDays must be a positive number of days, got ${horizonDays}`);
  }
  const end = horizonDays === undefined ? oneYearAfter(from) : from.getTime() + horizonDays * DAY_MS;
  if (schedule.restrictsYears) return Infinity;

  let previous: number | undefined;
  let longest = 0;
  for (const run of schedule.runs(from, timeZone)) {
    const instant = run.getTime();
    if (previous !== undefined) longest = Math.max(longest, instant - previous);
    if (instant >= end) return previous === undefined ? Infinity : longest / 60_000;
    previous = instant;
  }
  return Infinity;
}

function oneYearAfter(from: Date): number {
  const end = new Date(from.getTime());
  end.setUTCFullYear(end.getUTCFullYear() + 1);
  return end.getTime();
}
