// The plan benchmark's backup rules at every size: five daily ones copied to DR, five hourly local ones.
import { BackupPlanPresets, BackupRuleArgs } from "@restorekit/backup-restore-dr";

/** Backup rules in the plan at every size. */
export const RULE_COUNT = 10;

/** Ten rules: five daily ones copied to DR (at 01:00-05:00 UTC) and five hourly local ones (minutes 0-48). */
export function benchRules(): BackupRuleArgs[] {
  return Array.from({ length: RULE_COUNT }, (_, index) => {
    const slot = Math.floor(index / 2);
    return index % 2 === 0
      ? {
          ...BackupPlanPresets.dailyWithDrCopy(),
          name: `daily-${slot}`,
          schedule: `cron(0 ${slot + 1} * * ? *)`,
        }
      : {
          ...BackupPlanPresets.hourlyLocal(),
          name: `hourly-${slot}`,
          schedule: `cron(${slot * 12} * * * ? *)`,
          // Two hours to start, so each run outlasts the databases' windows (AWS Backup starts no snapshot
          // within an hour before, or during, them).
          startWindowMinutes: 120,
          completionWindowMinutes: 180,
        };
  });
}
