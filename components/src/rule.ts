// A backup rule and the backup plan: schedule, windows, lifecycle, copy to DR, and AWS Backup's defaults.
import { LifecycleArgs } from "./lifecycle";

/** AWS Backup's default schedule when a rule has none: daily at 05:00 UTC. */
export const DEFAULT_SCHEDULE = "cron(0 5 ? * * *)";
/** AWS Backup's default start window: 8 hours. */
export const DEFAULT_START_WINDOW_MINUTES = 480;
/** AWS Backup's default completion window: 7 days. */
export const DEFAULT_COMPLETION_WINDOW_MINUTES = 10080;

/** Copy each recovery point of a rule to the DR vault. */
export interface CopyToDrArgs {
  /**
   * Lifecycle of the copies in the DR vault.
   * Default: the rule's own lifecycle, so a copy is never kept forever by accident.
   */
  readonly lifecycle?: LifecycleArgs;
}

/** One rule of the backup plan: when to back up, how long to keep it, and whether to copy it to DR. */
export interface BackupRuleArgs {
  /** Rule name, unique in the plan: 1-50 letters, digits, `-`, `_` or `.`. */
  readonly name: string;
  /**
   * When backups start, as an AWS cron expression with six fields:
   * `cron(minutes hours day-of-month month day-of-week year)`, one of the two day fields `?`.
   * `rate()` is not supported by AWS Backup, and runs may not be less than an hour apart.
   * Default: "cron(0 5 ? * * *)" (AWS's default: daily at 05:00).
   */
  readonly schedule?: string;
  /**
   * IANA time zone the schedule is evaluated in.
   * Default: "Etc/UTC".
   */
  readonly scheduleTimezone?: string;
  /**
   * Minutes after the scheduled time within which the backup must start, or it is cancelled: at least
   * 60.
   * Default: 480 (AWS's default, 8 hours).
   */
  readonly startWindowMinutes?: number;
  /**
   * Minutes after the scheduled time within which the backup must complete, or it is cancelled; more
   * than `startWindowMinutes`. Counts from the scheduled time, not from the start.
   * Default: 10080 (AWS's default, 7 days).
   */
  readonly completionWindowMinutes?: number;
  /** When recovery points move to cold storage and when they are deleted. */
  readonly lifecycle: LifecycleArgs;
  /**
   * Continuous backup (point-in-time restore) for RDS, Aurora, S3 and SAP HANA; other types fall back to
   * snapshots. Retention is at most 35 days and cold storage is not allowed.
   * Default: false.
   */
  readonly enableContinuousBackup?: boolean;
  /**
   * Tags AWS Backup puts on each recovery point this rule creates.
   * Default: no tags.
   */
  readonly recoveryPointTags?: { [key: string]: string };
  /**
   * Copy each recovery point to the DR vault.
   * Default: no copy: recovery points stay in the primary region only.
   */
  readonly copyToDr?: CopyToDrArgs;
}

/** The backup plan in the primary region. */
export interface BackupPlanArgs {
  /**
   * Plan name: 1-50 letters, digits, `-`, `_` or `.`.
   * Default: derived from the component name.
   */
  readonly name?: string;
  /** The rules; at least one, with distinct names. */
  readonly rules: BackupRuleArgs[];
}

/** The rule's copy lifecycle, defaulting to its own lifecycle. */
export function copyLifecycle(rule: BackupRuleArgs): LifecycleArgs | undefined {
  return rule.copyToDr ? (rule.copyToDr.lifecycle ?? rule.lifecycle) : undefined;
}
