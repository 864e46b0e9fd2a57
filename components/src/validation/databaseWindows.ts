// The database windows' checks: well-formed, not overlapping, and no rule's run wholly inside one.
import {
  BLOCKED_BY_BACKUP_WINDOW,
  BLOCKED_BY_MAINTENANCE_WINDOW,
  blockedMinutes,
  blockedStartMinutes,
  DatabaseWindowsArgs,
  firstLostRun,
  parseDailyWindow,
  parseWeeklyWindow,
  windowsOverlap,
} from "../databaseWindows";
import { BackupRuleArgs, DEFAULT_SCHEDULE, DEFAULT_START_WINDOW_MINUTES } from "../rule";
import { ValidationIssue } from "./issue";

function parsed(windows: DatabaseWindowsArgs) {
  return {
    backup: windows.backupWindow === undefined ? undefined : parseDailyWindow(windows.backupWindow),
    maintenance:
      windows.maintenanceWindow === undefined ? undefined : parseWeeklyWindow(windows.maintenanceWindow),
  };
}

/** Minutes of `rule`'s start windows (each distinct one once) in which AWS Backup starts no snapshot. */
export function databaseWindowOverlapMinutes(rule: BackupRuleArgs, windows: DatabaseWindowsArgs): number {
  const { backup, maintenance } = parsed(windows);
  return blockedStartMinutes(rule, blockedMinutes(backup, maintenance));
}

/**
 * The windows well-formed (30 minutes at least, not overlapping, as RDS requires), and no run of any rule
 * wholly within an hour before, or during, one of them: AWS Backup would not start it for the databases,
 * and it would expire. Rules whose schedule or time zone is invalid are reported by `checkRule` alone.
 */
export function checkDatabaseWindows(
  windows: DatabaseWindowsArgs,
  rules: readonly BackupRuleArgs[],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { backup, maintenance } = parsed(windows);
  if (windows.backupWindow !== undefined && !backup) {
    issues.push({
      field: "databaseWindows.backupWindow",
      value: windows.backupWindow,
      rule: 'must be hh24:mi-hh24:mi in UTC, at least 30 minutes long, e.g. "05:00-05:30" (the RDS backup window).',
    });
  }
  if (windows.maintenanceWindow !== undefined && !maintenance) {
    issues.push({
      field: "databaseWindows.maintenanceWindow",
      value: windows.maintenanceWindow,
      rule: 'must be ddd:hh24:mi-ddd:hh24:mi in UTC, at least 30 minutes long, e.g. "sun:06:00-sun:06:30" (the RDS maintenance window).',
    });
  }
  if (backup && maintenance && windowsOverlap(backup, maintenance)) {
    issues.push({
      field: "databaseWindows.maintenanceWindow",
      value: windows.maintenanceWindow,
      rule: `must not overlap databaseWindows.backupWindow (${JSON.stringify(windows.backupWindow)}): RDS rejects the pair.`,
    });
  }
  if (issues.length > 0 || (!backup && !maintenance)) return issues;
  const blocked = blockedMinutes(backup, maintenance);
  rules.forEach((rule, index) => {
    let lost: ReturnType<typeof firstLostRun>;
    try {
      lost = firstLostRun(rule, blocked);
    } catch {
      return; // an invalid schedule or time zone: checkRule reports it
    }
    if (!lost) return;
    const culprits = [
      ...(lost.blockedBy & BLOCKED_BY_BACKUP_WINDOW
        ? [`databaseWindows.backupWindow (${JSON.stringify(windows.backupWindow)})`]
        : []),
      ...(lost.blockedBy & BLOCKED_BY_MAINTENANCE_WINDOW
        ? [`databaseWindows.maintenanceWindow (${JSON.stringify(windows.maintenanceWindow)})`]
        : []),
    ].join(" and ");
    const at = lost.run.toISOString().replace(":00.000Z", "Z");
    const startWindow = rule.startWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES;
    issues.push({
      field: `plan.rules[${index}].schedule`,
      value: rule.schedule ?? DEFAULT_SCHEDULE,
      rule: `has a run AWS Backup cannot start for the protected databases: the run of ${at} and its whole ${startWindow}-minute start window fall within an hour before, or during, ${culprits}, so it would expire.`,
    });
  });
  return issues;
}
