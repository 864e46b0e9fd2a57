import { expect } from "chai";
import {
  BACKUP_PLAN_NAMES,
  backupPlanByName,
  BackupPlanPresets,
  BackupPlanArgs,
  BackupRestoreDR,
  validation,
} from "@restorekit/backup-restore-dr";
// toAwsRule is internal: the test compares what AWS receives.
import { toAwsRule } from "../../components/src/plan";
import { named, settled, useMockEngine, valueOf } from "../helpers/mockEngine";

/** The guide's JSON plan (`aws backup create-backup-plan`), written with the component's types. */
const seedJsonPlanFixed: BackupPlanArgs = {
  name: "dr-backup-plan",
  rules: [
    {
      name: "daily-backup",
      schedule: "cron(0 3 * * ? *)",
      startWindowMinutes: 60,
      completionWindowMinutes: 180,
      // The guide publishes DeleteAfterDays 35 with MoveToColdStorageAfterDays 7, which AWS rejects.
      lifecycle: { moveToColdStorageAfterDays: 7, deleteAfterDays: 97 },
      copyToDr: { lifecycle: { moveToColdStorageAfterDays: 7, deleteAfterDays: 97 } },
    },
    {
      name: "hourly-backup",
      schedule: "cron(0 * * * ? *)",
      startWindowMinutes: 60,
      completionWindowMinutes: 120,
      lifecycle: { deleteAfterDays: 3 },
    },
  ],
};

describe("the seed's backup plan", () => {
  it("GIVEN the guide's published lifecycle THEN AWS's 90-day cold storage rule rejects it", () => {
    const published = { moveToColdStorageAfterDays: 7, deleteAfterDays: 35 };
    expect(
      validation.checkLifecycle("Lifecycle", published, false).map(validation.formatIssue),
    ).to.deep.equal([
      "Lifecycle.deleteAfterDays (35) must be at least moveToColdStorageAfterDays (7) + 90 = 97: AWS keeps cold backups for a minimum of 90 days.",
    ]);
  });

  it("the preset is valid: hourly kept 3 days locally, daily at 03:00 UTC copied to DR and cold after 7 days", () => {
    const plan = BackupPlanPresets.seed();
    expect(validation.checkPlan(plan)).to.deep.equal([]);
    const [daily, hourly] = plan.rules;
    expect(daily).to.deep.include({
      schedule: "cron(0 3 * * ? *)",
      lifecycle: { moveToColdStorageAfterDays: 7, deleteAfterDays: 97 },
    });
    expect(daily.copyToDr?.lifecycle).to.deep.equal({ moveToColdStorageAfterDays: 7, deleteAfterDays: 97 });
    expect(hourly).to.deep.include({ schedule: "cron(0 * * * ? *)", lifecycle: { deleteAfterDays: 3 } });
    expect(hourly.copyToDr).to.equal(undefined);
  });

  it("a user-built plan equal to the guide's JSON (lifecycle fixed) gives the same AWS rules as the preset", () => {
    const vaults = {
      targetVaultName: "primary-vault",
      copyVaultArn: "arn:aws:backup:us-west-2:123456789012:backup-vault:dr-vault",
    };
    expect(validation.checkPlan(seedJsonPlanFixed)).to.deep.equal([]);
    expect(seedJsonPlanFixed.rules.map((r) => toAwsRule(r, vaults))).to.deep.equal(
      BackupPlanPresets.seed().rules.map((r) => toAwsRule(r, vaults)),
    );
  });

  it("deploys the guide's plan with its name and the DR copy pointing at the DR vault", async () => {
    const registrations = useMockEngine();
    const component = new BackupRestoreDR("seed", {
      primaryRegion: "us-east-1",
      drRegion: "us-west-2",
      plan: seedJsonPlanFixed,
      selection: { name: "tagged-resources", tags: { backup: "true" } },
    });
    await valueOf(component.selectionId);
    await settled(registrations);
    const plan = named(registrations, "seed-plan");
    expect(plan.inputs.name).to.equal("dr-backup-plan");
    expect(plan.inputs.rules[0].copyActions[0].destinationVaultArn).to.equal(
      await valueOf(component.drVaultArn),
    );
    expect(named(registrations, "seed-selection").inputs.name).to.equal("tagged-resources");
  });

  it("names the plans a configuration can choose, and knows no others", () => {
    expect(BACKUP_PLAN_NAMES).to.deep.equal(["seed", "daily"]);
    expect(backupPlanByName("seed")).to.deep.equal(BackupPlanPresets.seed());
    expect(backupPlanByName("daily")).to.deep.equal({ rules: [BackupPlanPresets.dailyWithDrCopy()] });
    expect(backupPlanByName("weekly")).to.equal(undefined);
    expect(backupPlanByName("toString")).to.equal(undefined);
  });
});
