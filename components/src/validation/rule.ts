// Backup rule and plan checks: schedule, time zone, start and completion windows, distinct rule names.
import { AwsCronError, parseAwsCron } from "../schedule";
import {
  BackupPlanArgs,
  BackupRuleArgs,
  DEFAULT_COMPLETION_WINDOW_MINUTES,
  DEFAULT_START_WINDOW_MINUTES,
} from "../rule";
import { ValidationIssue } from "./issue";
import { checkLifecycle } from "./lifecycle";
import { BACKUP_NAME_PATTERN, checkName } from "./names";

/** Shortest start window AWS Backup accepts. */
export const MIN_START_WINDOW_MINUTES = 60;
/** Longest start or completion window AWS Backup accepts: 100 years. */
export const MAX_WINDOW_MINUTES = 52_560_000;

/** The schedule must be an AWS cron expression AWS Backup accepts. */
export function checkSchedule(field: string, schedule: string): ValidationIssue[] {
  try {
    parseAwsCron(schedule);
    return [];
  } catch (error) {
    if (error instanceof AwsCronError) {
      return [{ field, value: schedule, rule: `is not a schedule AWS Backup accepts: ${error.message}` }];
    }
    throw error;
  }
}

/** The time zone must be an IANA name this runtime knows. */
export function checkTimezone(field: string, timeZone: string): ValidationIssue[] {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return [];
  } catch {
    return [
      { field, value: timeZone, rule: 'must be an IANA time zone name such as "Etc/UTC" or "Europe/Paris".' },
    ];
  }
}

/** Start window at least 60 minutes; completion window longer than the start window; both within 100 years. */
export function checkWindows(
  field: string,
  startMinutes: number,
  completionMinutes: number,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (
    !Number.isInteger(startMinutes) ||
    startMinutes < MIN_START_WINDOW_MINUTES ||
    startMinutes > MAX_WINDOW_MINUTES
  ) {
    issues.push({
      field: `${field}.startWindowMinutes`,
      value: startMinutes,
      rule: `must be a whole number of minutes from ${MIN_START_WINDOW_MINUTES} to ${MAX_WINDOW_MINUTES}: AWS Backup rejects start windows shorter than an hour.`,
    });
  }
  if (!Number.isInteger(completionMinutes) || completionMinutes > MAX_WINDOW_MINUTES) {
    issues.push({
      field: `${field}.completionWindowMinutes`,
      value: completionMinutes,
      rule: `must be a whole number of minutes up to ${MAX_WINDOW_MINUTES}.`,
    });
  } else if (completionMinutes <= startMinutes) {
    issues.push({
      field: `${field}.completionWindowMinutes`,
      value: completionMinutes,
      rule: `must be greater than startWindowMinutes (${startMinutes}): both count from the scheduled time, so a backup that starts late would be cancelled before it could run.`,
    });
  }
  return issues;
}

/** Every rule check for one rule. */
export function checkRule(field: string, rule: BackupRuleArgs): ValidationIssue[] {
  const continuous = rule.enableContinuousBackup ?? false;
  return [
    ...checkName(`${field}.name`, rule.name, BACKUP_NAME_PATTERN),
    ...(rule.schedule !== undefined ? checkSchedule(`${field}.schedule`, rule.schedule) : []),
    ...(rule.scheduleTimezone !== undefined
      ? checkTimezone(`${field}.scheduleTimezone`, rule.scheduleTimezone)
      : []),
    ...checkWindows(
      field,
      rule.startWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES,
      rule.completionWindowMinutes ?? DEFAULT_COMPLETION_WINDOW_MINUTES,
    ),
    ...checkLifecycle(`${field}.lifecycle`, rule.lifecycle, continuous),
    ...(rule.copyToDr?.lifecycle
      ? checkLifecycle(`${field}.copyToDr.lifecycle`, rule.copyToDr.lifecycle, false)
      : []),
  ];
}

/** A plan needs a valid name, at least one rule and distinct rule names; then each rule's checks. */
export function checkPlan(plan: BackupPlanArgs): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (plan.name !== undefined) {
    issues.push(...checkName("plan.name", plan.name, BACKUP_NAME_PATTERN));
  }
  if (plan.rules.length === 0) {
    issues.push({ field: "plan.rules", value: [], rule: "must have at least one rule." });
  }
  const seen = new Map<string, number>();
  plan.rules.forEach((rule, index) => {
    const field = `plan.rules[${index}]`;
    issues.push(...checkRule(field, rule));
    const first = seen.get(rule.name);
    if (first !== undefined) {
      issues.push({
        field: `${field}.name`,
        value: rule.name,
        rule: `must be unique in the plan: plan.rules[${first}] has the same name.`,
      });
    } else {
      seen.set(rule.name, index);
    }
  });
  return issues;
}
