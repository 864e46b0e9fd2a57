// The databases' backup and maintenance windows: parsed, the minutes they block, a pair that fits a plan.
import { BackupPlanArgs, BackupRuleArgs, DEFAULT_SCHEDULE, DEFAULT_START_WINDOW_MINUTES } from "./rule";
import { DEFAULT_HORIZON_START, DEFAULT_TIME_ZONE, parseAwsCron } from "./schedule";

/**
 * The automated backup window and the maintenance window of the protected RDS databases. AWS Backup starts
 * no snapshot of a database within an hour before, or during, either window, so a run whose whole start
 * window falls there expires. Set them on the databases (`backupWindow`, `maintenanceWindow` of
 * `aws.rds.Instance`) and give them here; `chooseDatabaseWindows` picks a pair that fits a plan.
 */
export interface DatabaseWindowsArgs {
  /**
   * The daily automated backup window, `hh24:mi-hh24:mi` in UTC, at least 30 minutes (RDS's
   * `backupWindow`).
   * Default: not checked.
   */
  readonly backupWindow?: string;
  /**
   * The weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` in UTC, at least 30 minutes (RDS's
   * `maintenanceWindow`).
   * Default: not checked.
   */
  readonly maintenanceWindow?: string;
}

/** Minutes before a database window in which AWS Backup already starts no snapshot. */
export const DATABASE_WINDOW_LEAD_MINUTES = 60;
/** Shortest backup or maintenance window RDS accepts. */
export const MIN_DATABASE_WINDOW_MINUTES = 30;

const WEEK = 7 * 1440;
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const TIME = "([01]\\d|2[0-3]):([0-5]\\d)";
const DAILY = new RegExp(`^${TIME}-${TIME}$`);
const WEEKLY = new RegExp(`^(${DAYS.join("|")}):${TIME}-(${DAYS.join("|")}):${TIME}$`);

/** A window as minutes: its start (of the day or of the week, from Sunday 00:00 UTC) and length. */
export interface MinuteWindow {
  readonly start: number;
  readonly length: number;
}

/** The daily window `hh24:mi-hh24:mi`, or undefined when malformed or shorter than 30 minutes. */
export function parseDailyWindow(window: string): MinuteWindow | undefined {
  const match = DAILY.exec(window);
  if (!match) return undefined;
  const [start, end] = [+match[1] * 60 + +match[2], +match[3] * 60 + +match[4]];
  const length = (end - start + 1440) % 1440;
  return length >= MIN_DATABASE_WINDOW_MINUTES ? { start, length } : undefined;
}

/** The weekly window `ddd:hh24:mi-ddd:hh24:mi`, or undefined when malformed or shorter than 30 minutes. */
export function parseWeeklyWindow(window: string): MinuteWindow | undefined {
  const match = WEEKLY.exec(window);
  if (!match) return undefined;
  const minuteOfWeek = (day: string, hours: string, minutes: string) =>
    DAYS.indexOf(day as (typeof DAYS)[number]) * 1440 + +hours * 60 + +minutes;
  const start = minuteOfWeek(match[1], match[2], match[3]);
  const length = (minuteOfWeek(match[4], match[5], match[6]) - start + WEEK) % WEEK;
  return length >= MIN_DATABASE_WINDOW_MINUTES ? { start, length } : undefined;
}

/**
 * Whether the weekly `maintenance` window overlaps the daily `backup` window on any day, the week's end
 * included (Saturday 23:50 to Sunday 00:20 overlaps a 00:00 backup window): RDS rejects such a pair.
 */
export function windowsOverlap(backup: MinuteWindow, maintenance: MinuteWindow): boolean {
  for (let day = 0; day < 7; day++) {
    for (const shift of [0, WEEK, -WEEK]) {
      const start = day * 1440 + backup.start + shift;
      if (maintenance.start < start + backup.length && start < maintenance.start + maintenance.length) {
        return true;
      }
    }
  }
  return false;
}

/** Which window blocks a minute of the week: bit 1 the backup window, bit 2 the maintenance window. */
export const BLOCKED_BY_BACKUP_WINDOW = 1;
export const BLOCKED_BY_MAINTENANCE_WINDOW = 2;

/** Each minute of the week, flagged with the windows in which (or an hour before which) no snapshot starts. */
export function blockedMinutes(backup?: MinuteWindow, maintenance?: MinuteWindow): Uint8Array {
  const blocked = new Uint8Array(WEEK);
  const mark = (start: number, length: number, flag: number) => {
    for (let minute = start - DATABASE_WINDOW_LEAD_MINUTES; minute < start + length; minute++) {
      blocked[((minute % WEEK) + WEEK) % WEEK] |= flag;
    }
  };
  if (backup) {
    for (let day = 0; day < 7; day++)
      mark(day * 1440 + backup.start, backup.length, BLOCKED_BY_BACKUP_WINDOW);
  }
  if (maintenance) mark(maintenance.start, maintenance.length, BLOCKED_BY_MAINTENANCE_WINDOW);
  return blocked;
}

/** One start window of a rule, as minutes of the week, with the first run that has it. */
export interface RunWindow {
  readonly start: number;
  readonly length: number;
  readonly firstRun: Date;
}

const runWindowsCache = new Map<string, RunWindow[]>();

/**
 * The distinct start windows of a rule's runs over a year from `DEFAULT_HORIZON_START`, placed in the week
 * (UTC). A start window of a week or more is cut to a week: no pair of database windows covers it.
 */
export function ruleRunWindows(rule: BackupRuleArgs): RunWindow[] {
  const schedule = rule.schedule ?? DEFAULT_SCHEDULE;
  const timeZone = rule.scheduleTimezone ?? DEFAULT_TIME_ZONE;
  const length = Math.min(rule.startWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES, WEEK);
  const key = `${schedule} ${timeZone} ${length}`;
  const cached = runWindowsCache.get(key);
  if (cached) return cached;
  const from = DEFAULT_HORIZON_START;
  const to = new Date(Date.UTC(from.getUTCFullYear() + 1, from.getUTCMonth(), from.getUTCDate()));
  const windows = new Map<number, RunWindow>();
  for (const run of parseAwsCron(schedule).runsBetween(from, to, timeZone)) {
    const start = run.getUTCDay() * 1440 + run.getUTCHours() * 60 + run.getUTCMinutes();
    if (!windows.has(start)) windows.set(start, { start, length, firstRun: run });
  }
  const result = [...windows.values()];
  runWindowsCache.set(key, result);
  return result;
}

/** The first start window of `rule` wholly blocked, with the windows that block it, or undefined. */
export function firstLostRun(
  rule: BackupRuleArgs,
  blocked: Uint8Array,
): { run: Date; blockedBy: number } | undefined {
  for (const window of ruleRunWindows(rule)) {
    let blockedBy = 0;
    let lost = true;
    for (let offset = 0; offset < window.length && lost; offset++) {
      const flags = blocked[(window.start + offset) % WEEK];
      lost = flags !== 0;
      blockedBy |= flags;
    }
    if (lost) return { run: window.firstRun, blockedBy };
  }
  return undefined;
}

/** Minutes of the rule's start windows (each distinct one counted once) in which no snapshot starts. */
export function blockedStartMinutes(rule: BackupRuleArgs, blocked: Uint8Array): number {
  let total = 0;
  for (const window of ruleRunWindows(rule)) {
    for (let offset = 0; offset < window.length; offset++) {
      if (blocked[(window.start + offset) % WEEK] !== 0) total++;
    }
  }
  return total;
}

function hhmm(minuteOfDay: number): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(Math.floor(minuteOfDay / 60) % 24)}:${pad(minuteOfDay % 60)}`;
}

function weekly(start: number, length: number): string {
  const end = (start + length) % WEEK;
  const at = (minute: number) => `${DAYS[Math.floor(minute / 1440)]}:${hhmm(minute % 1440)}`;
  return `${at(start)}-${at(end)}`;
}

/**
 * The best of `candidates` for `plan` (with `fixed` windows already blocking): no run of any rule lost,
 * no start window of a rule copied to DR touched, then the fewest blocked start minutes; the earliest
 * on a tie.
 */
function best(plan: BackupPlanArgs, candidates: MinuteWindow[], block: (w: MinuteWindow) => Uint8Array) {
  let chosen: { window: MinuteWindow; cost: number } | undefined;
  for (const window of candidates) {
    const blocked = block(window);
    if (plan.rules.some((rule) => firstLostRun(rule, blocked))) continue;
    const copied = plan.rules.filter((rule) => rule.copyToDr);
    const cost =
      (copied.some((rule) => blockedStartMinutes(rule, blocked) > 0) ? WEEK * 1000 : 0) +
      plan.rules.reduce((sum, rule) => sum + blockedStartMinutes(rule, blocked), 0);
    if (!chosen || cost < chosen.cost) chosen = { window, cost };
  }
  return chosen?.window;
}

/**
 * RDS backup and maintenance windows (30 minutes each, UTC) for the databases `plan` protects, derived
 * from its schedules: no run of any rule expires for them, no start window of a rule copied to DR comes
 * within an hour of them, and as few start minutes of the other rules as possible are blocked. (Hourly
 * runs with 60-minute start windows leave no free hour: some start a little later, none is lost.)
 */
export function chooseDatabaseWindows(plan: BackupPlanArgs): Required<DatabaseWindowsArgs> {
  const length = MIN_DATABASE_WINDOW_MINUTES;
  const daily = Array.from({ length: 144 }, (_, i) => ({ start: i * 10, length }));
  const backup = best(plan, daily, (w) => blockedMinutes(w)) ?? { start: 0, length };
  const weeklyCandidates = Array.from({ length: WEEK / 10 }, (_, i) => ({ start: i * 10, length })).filter(
    (w) => !windowsOverlap(backup, w),
  );
  const maintenance = best(plan, weeklyCandidates, (w) => blockedMinutes(backup, w)) ?? weeklyCandidates[0];
  return {
    backupWindow: `${hhmm(backup.start)}-${hhmm(backup.start + backup.length)}`,
    maintenanceWindow: weekly(maintenance.start, maintenance.length),
  };
}
