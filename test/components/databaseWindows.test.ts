import { expect } from "chai";
import {
  BackupPlanPresets,
  BackupRestoreDR,
  BackupRuleArgs,
  chooseDatabaseWindows,
  validation,
} from "@restorekit/backup-restore-dr";
import { benchRules } from "../../bench/planRules";
import { seedArgs } from "../helpers/componentArgs";
import { useMockEngine } from "../helpers/mockEngine";

/**
 * AWS Backup starts no snapshot backup of an RDS database within an hour before, or during, its automated
 * backup window and its maintenance window ("Backup window" in
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html); a run whose
 * whole start window falls there expires. Without set windows RDS draws them at random from a region block
 * (03:00-11:00 UTC in us-east-1: "Backup window" in
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html), where the
 * seed's daily 03:00 rule starts.
 */
describe("database backup and maintenance windows", () => {
  function messages(overrides: Parameters<typeof seedArgs>[0]): string[] {
    useMockEngine();
    try {
      new BackupRestoreDR("app", seedArgs(overrides));
    } catch (error) {
      return (error as InstanceType<typeof validation.BackupRestoreDRValidationError>).issues.map(
        validation.formatIssue,
      );
    }
    return [];
  }

  it("rejects a backup window that swallows a rule's whole start window", () => {
    expect(messages({ databaseWindows: { backupWindow: "03:30-04:00" } })).to.deep.equal([
      'plan.rules[0].schedule ("cron(0 3 * * ? *)") has a run AWS Backup cannot start for the protected databases: the run of 2026-01-01T03:00Z and its whole 60-minute start window fall within an hour before, or during, databaseWindows.backupWindow ("03:30-04:00"), so it would expire.',
      'plan.rules[1].schedule ("cron(0 * * * ? *)") has a run AWS Backup cannot start for the protected databases: the run of 2026-01-01T03:00Z and its whole 60-minute start window fall within an hour before, or during, databaseWindows.backupWindow ("03:30-04:00"), so it would expire.',
    ]);
  });

  it("rejects a maintenance window that swallows a weekly run", () => {
    const weekly: BackupRuleArgs = {
      name: "weekly",
      schedule: "cron(0 6 ? * SUN *)",
      startWindowMinutes: 60,
      completionWindowMinutes: 120,
      lifecycle: { deleteAfterDays: 35 },
    };
    expect(
      messages({ plan: { rules: [weekly] }, databaseWindows: { maintenanceWindow: "sun:06:30-sun:07:00" } }),
    ).to.deep.equal([
      'plan.rules[0].schedule ("cron(0 6 ? * SUN *)") has a run AWS Backup cannot start for the protected databases: the run of 2026-01-04T06:00Z and its whole 60-minute start window fall within an hour before, or during, databaseWindows.maintenanceWindow ("sun:06:30-sun:07:00"), so it would expire.',
    ]);
  });

  it("accepts windows that only delay a start within its window", () => {
    expect(
      messages({
        databaseWindows: { backupWindow: "01:10-01:40", maintenanceWindow: "sun:08:10-sun:08:40" },
      }),
    ).to.deep.equal([]);
  });

  it("rejects malformed, short and overlapping windows", () => {
    expect(
      messages({ databaseWindows: { backupWindow: "3:30-4:00", maintenanceWindow: "sun:05:00-sun:05:10" } }),
    ).to.deep.equal([
      'databaseWindows.backupWindow ("3:30-4:00") must be hh24:mi-hh24:mi in UTC, at least 30 minutes long, e.g. "05:00-05:30" (the RDS backup window).',
      'databaseWindows.maintenanceWindow ("sun:05:00-sun:05:10") must be ddd:hh24:mi-ddd:hh24:mi in UTC, at least 30 minutes long, e.g. "sun:06:00-sun:06:30" (the RDS maintenance window).',
    ]);
    expect(
      messages({
        databaseWindows: { backupWindow: "05:00-05:30", maintenanceWindow: "mon:05:15-mon:05:45" },
      }),
    ).to.deep.equal([
      'databaseWindows.maintenanceWindow ("mon:05:15-mon:05:45") must not overlap databaseWindows.backupWindow ("05:00-05:30"): RDS rejects the pair.',
    ]);
  });

  it("chooses windows from the plan that no rule's start window comes within an hour of, when it can", () => {
    // The daily rule alone: nothing near 03:00-04:00 UTC.
    const daily = chooseDatabaseWindows(BackupPlanPresets.daily());
    expect(messages({ plan: BackupPlanPresets.daily(), databaseWindows: daily })).to.deep.equal([]);
    expect(validation.databaseWindowOverlapMinutes(BackupPlanPresets.daily().rules[0], daily)).to.equal(0);
  });

  it("chooses a maintenance window that does not overlap the backup window across the week's end", () => {
    // bench:plan's rules, five daily DR-copied ones at 01:00-05:00 and five hourly ones (minutes 0-48, 120-minute start
    // windows): the best backup window is 00:00-00:30, and Saturday 23:50 to Sunday 00:20 overlaps Sunday's.
    const plan = { rules: benchRules() };
    const windows = chooseDatabaseWindows(plan);
    expect(messages({ plan, databaseWindows: windows })).to.deep.equal([]);
  });

  it("chooses windows for the seed plan that keep the daily DR copy clear and lose no hourly run", () => {
    const windows = chooseDatabaseWindows(BackupPlanPresets.seed());
    const [dailyRule, hourlyRule] = BackupPlanPresets.seed().rules;
    expect(messages({ databaseWindows: windows })).to.deep.equal([]);
    expect(validation.databaseWindowOverlapMinutes(dailyRule, windows)).to.equal(0);
    // Hourly runs cover the whole day with their 60-minute start windows: some start later, none expires.
    expect(validation.databaseWindowOverlapMinutes(hourlyRule, windows)).to.be.greaterThan(0);
    expect(windows.backupWindow).to.match(/^\d\d:\d\d-\d\d:\d\d$/);
    expect(windows.maintenanceWindow).to.match(/^[a-z]{3}:\d\d:\d\d-[a-z]{3}:\d\d:\d\d$/);
  });
});
