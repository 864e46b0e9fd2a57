// Ready-made backup rules and plans, and the plans a stack's config can name (`backupPlan: seed`).
import { BackupPlanArgs, BackupRuleArgs } from "./rule";

/** Ready-made rules and plans, as static factories in the manner of `BackupPlanRule.daily()`. */
export class BackupPlanPresets {
  /**
   * Hourly backups kept in the primary region for quick restores: every hour on the hour, start within
   * 60 minutes, complete within 120, deleted after 3 days. No copy to DR.
   */
  static hourlyLocal(): BackupRuleArgs {
    return {
      name: "hourly-backup",
      schedule: "cron(0 * * * ? *)",
      startWindowMinutes: 60,
      completionWindowMinutes: 120,
      lifecycle: { deleteAfterDays: 3 },
    };
  }

  /**
   * Daily backups at 03:00 UTC, copied to the DR vault, moved to cold storage after 7 days and deleted
   * after 97 days, in both regions.
   *
   * Why 97 and not the 35 days the guide this preset comes from publishes: AWS keeps cold recovery
   * points for at least 90 days and rejects a lifecycle whose `DeleteAfterDays` is less than
   * `MoveToColdStorageAfterDays + 90` ("Invalid lifecycle. DeleteAfterDays cannot be less than 90 days
   * apart from MoveToColdStorageAfterDays"). Keeping the guide's move to cold storage after a week means
   * keeping backups 7 + 90 = 97 days. If 35 days of retention matters more than cold storage, use a
   * lifecycle of `{ deleteAfterDays: 35 }` instead: for RDS and Aurora, which have no cold storage, that is
   * what AWS would have done anyway.
   */
  static dailyWithDrCopy(): BackupRuleArgs {
    const lifecycle = { moveToColdStorageAfterDays: 7, deleteAfterDays: 97 };
    return {
      name: "daily-backup",
      schedule: "cron(0 3 * * ? *)",
      startWindowMinutes: 60,
      completionWindowMinutes: 180,
      lifecycle,
      copyToDr: { lifecycle },
    };
  }

  /**
   * The plan of the backup-and-restore guide, with its lifecycle made valid: `dailyWithDrCopy()` and
   * `hourlyLocal()`, in that order. The plan name is left to the component (the guide's `dr-backup-plan`
   * would collide between two deployments in one account).
   */
  static seed(): BackupPlanArgs {
    return { rules: [BackupPlanPresets.dailyWithDrCopy(), BackupPlanPresets.hourlyLocal()] };
  }

  /** `dailyWithDrCopy()` alone: one backup a day, copied to DR, no hourly local backups. */
  static daily(): BackupPlanArgs {
    return { rules: [BackupPlanPresets.dailyWithDrCopy()] };
  }
}

/** The plans a configuration file can name, e.g. a stack's `backupPlan: seed`. */
export const NAMED_BACKUP_PLANS = {
  seed: BackupPlanPresets.seed,
  daily: BackupPlanPresets.daily,
} as const;

/** A name of `NAMED_BACKUP_PLANS`. */
export type BackupPlanName = keyof typeof NAMED_BACKUP_PLANS;

/** The names of `NAMED_BACKUP_PLANS`, in order. */
export const BACKUP_PLAN_NAMES = Object.keys(NAMED_BACKUP_PLANS) as BackupPlanName[];

/** The plan a configuration names, or undefined for a name it does not know. */
export function backupPlanByName(name: string): BackupPlanArgs | undefined {
  return Object.hasOwn(NAMED_BACKUP_PLANS, name) ? NAMED_BACKUP_PLANS[name as BackupPlanName]() : undefined;
}
