import { expect } from "chai";
import { BackupPlanPresets, BackupRestoreDR, toAwsPlanRules } from "@restorekit/backup-restore-dr";
import { named, settled, useMockEngine, valueOf } from "../helpers/mockEngine";

describe("toAwsPlanRules: a plan's provider rules for vaults the component does not create", () => {
  const vaults = {
    targetVaultName: "dr-vault",
    copyVaultArn: "arn:aws:backup:us-east-1:123456789012:backup-vault:primary-vault",
  };

  it("stores every rule in the target vault and copies only the rules with copyToDr, with the copy's lifecycle", () => {
    expect(toAwsPlanRules(BackupPlanPresets.seed(), vaults)).to.deep.equal([
      {
        ruleName: "daily-backup",
        targetVaultName: "dr-vault",
        schedule: "cron(0 3 * * ? *)",
        scheduleExpressionTimezone: "Etc/UTC",
        startWindow: 60,
        completionWindow: 180,
        enableContinuousBackup: false,
        lifecycle: { coldStorageAfter: 7, deleteAfter: 97 },
        recoveryPointTags: undefined,
        copyActions: [
          {
            destinationVaultArn: vaults.copyVaultArn,
            lifecycle: { coldStorageAfter: 7, deleteAfter: 97 },
          },
        ],
      },
      {
        ruleName: "hourly-backup",
        targetVaultName: "dr-vault",
        schedule: "cron(0 * * * ? *)",
        scheduleExpressionTimezone: "Etc/UTC",
        startWindow: 60,
        completionWindow: 120,
        enableContinuousBackup: false,
        lifecycle: { deleteAfter: 3 },
        recoveryPointTags: undefined,
        copyActions: [],
      },
    ]);
  });

  it("applies AWS Backup's defaults to a rule that leaves them out", () => {
    const [rule] = toAwsPlanRules({ rules: [{ name: "bare", lifecycle: { deleteAfterDays: 10 } }] }, vaults);
    expect(rule).to.deep.include({
      schedule: "cron(0 5 ? * * *)",
      scheduleExpressionTimezone: "Etc/UTC",
      startWindow: 480,
      completionWindow: 10080,
      copyActions: [],
    });
  });

  it("gives the rules the component's own plan registers", async () => {
    const registrations = useMockEngine();
    const component = new BackupRestoreDR("rules", {
      primaryRegion: "us-east-1",
      drRegion: "us-west-2",
      plan: BackupPlanPresets.seed(),
      selection: { tags: { backup: "true" } },
    });
    const [primaryVaultName, drVaultArn] = await Promise.all([
      valueOf(component.primaryVaultName),
      valueOf(component.drVaultArn),
    ]);
    await settled(registrations);
    expect(named(registrations, "rules-plan").inputs.rules).to.deep.equal(
      JSON.parse(
        JSON.stringify(
          toAwsPlanRules(BackupPlanPresets.seed(), {
            targetVaultName: primaryVaultName,
            copyVaultArn: drVaultArn,
          }),
        ),
      ),
    );
  });
});
