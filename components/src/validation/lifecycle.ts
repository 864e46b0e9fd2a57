// AWS's lifecycle rules: retention limits, cold storage at least 90 days, none for continuous backups.
import { LifecycleArgs } from "../lifecycle";
import { ValidationIssue } from "./issue";

/** AWS's longest retention: 100 years. */
export const MAX_RETENTION_DAYS = 36500;
/** AWS keeps cold recovery points at least this long. */
export const MIN_COLD_STORAGE_DAYS = 90;
/** Longest retention of continuous (point-in-time) backups. */
export const MAX_CONTINUOUS_RETENTION_DAYS = 35;

/**
 * AWS's lifecycle rules: retention 1-36500 days (1-35 for continuous backups), deletion at least 90 days
 * after the move to cold storage, and no cold storage for continuous backups.
 */
export function checkLifecycle(
  field: string,
  lifecycle: LifecycleArgs,
  continuous: boolean,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { deleteAfterDays, moveToColdStorageAfterDays: coldAfterDays } = lifecycle;
  if (!Number.isInteger(deleteAfterDays) || deleteAfterDays < 1 || deleteAfterDays > MAX_RETENTION_DAYS) {
    issues.push({
      field: `${field}.deleteAfterDays`,
      value: deleteAfterDays,
      rule: `must be a whole number of days from 1 to ${MAX_RETENTION_DAYS}: AWS Backup retains recovery points for 1 day to 100 years.`,
    });
  }
  if (coldAfterDays !== undefined && (!Number.isInteger(coldAfterDays) || coldAfterDays < 1)) {
    issues.push({
      field: `${field}.moveToColdStorageAfterDays`,
      value: coldAfterDays,
      rule: "must be a whole number of days, at least 1.",
    });
  }
  if (continuous) {
    if (coldAfterDays !== undefined) {
      issues.push({
        field: `${field}.moveToColdStorageAfterDays`,
        value: coldAfterDays,
        rule: `must be unset when enableContinuousBackup is true: continuous backups are kept at most ${MAX_CONTINUOUS_RETENTION_DAYS} days and cannot move to cold storage, which keeps them ${MIN_COLD_STORAGE_DAYS}.`,
      });
    }
    if (deleteAfterDays > MAX_CONTINUOUS_RETENTION_DAYS) {
      issues.push({
        field: `${field}.deleteAfterDays`,
        value: deleteAfterDays,
        rule: `must be at most ${MAX_CONTINUOUS_RETENTION_DAYS} when enableContinuousBackup is true: AWS keeps continuous backups 1 to ${MAX_CONTINUOUS_RETENTION_DAYS} days.`,
      });
    }
  } else if (coldAfterDays !== undefined && deleteAfterDays < coldAfterDays + MIN_COLD_STORAGE_DAYS) {
    issues.push({
      field: `${field}.deleteAfterDays`,
      value: deleteAfterDays,
      rule: `must be at least moveToColdStorageAfterDays (${coldAfterDays}) + ${MIN_COLD_STORAGE_DAYS} = ${coldAfterDays + MIN_COLD_STORAGE_DAYS}: AWS keeps cold backups for a minimum of ${MIN_COLD_STORAGE_DAYS} days.`,
    });
  }
  return issues;
}
