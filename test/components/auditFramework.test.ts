// The AWS Backup Audit Manager framework: the controls the objectives call for, and its checks.
import { expect } from "chai";
import { BackupRestoreDR, validation } from "@restorekit/backup-restore-dr";
import { seedArgs } from "../helpers/componentArgs";
import { ofType, settled, useMockEngine, valueOf } from "../helpers/mockEngine";

describe("audit framework", () => {
  it("GIVEN objectives, copies and a lock THEN one framework in the primary region checks each of them", async () => {
    const registrations = useMockEngine();
    const component = new BackupRestoreDR(
      "app",
      seedArgs({
        objectives: { rpoMinutes: 1800, rtoMinutes: 480 },
        vaults: { lock: { minRetentionDays: 1, maxRetentionDays: 365 } },
        auditFramework: {},
      }),
    );
    await valueOf(component.auditFrameworkArn);
    await settled(registrations);
    const [framework] = ofType(registrations, "aws:backup/framework:Framework");
    expect(framework.inputs.region).to.equal("us-east-1");
    expect(framework.inputs.name).to.equal("app_dr_objectives");
    const scope = { tags: { backup: "true" } };
    expect(framework.inputs.controls).to.deep.equal([
      {
        name: "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
        // The RTO less the forecast's default flip 10, boot 5, health 3 and DNS 3: 459 min of restore.
        inputParameters: [{ name: "maxRestoreTime", value: "459" }],
        scope,
      },
      {
        name: "BACKUP_LAST_RECOVERY_POINT_CREATED",
        inputParameters: [
          { name: "recoveryPointAgeUnit", value: "hours" },
          { name: "recoveryPointAgeValue", value: "30" },
        ],
        scope,
      },
      {
        name: "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
        inputParameters: [{ name: "crossRegionList", value: "us-west-2" }],
        scope,
      },
      {
        name: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
        inputParameters: [
          { name: "minRetentionDays", value: "1" },
          { name: "maxRetentionDays", value: "365" },
        ],
        scope,
      },
    ]);
  });

  it("GIVEN only its own restore target THEN the restore-time control alone, and none without the option", async () => {
    const registrations = useMockEngine();
    new BackupRestoreDR("solo", seedArgs({ auditFramework: { name: "Restores", maxRestoreMinutes: 90 } }));
    new BackupRestoreDR("plain", seedArgs());
    await settled(registrations);
    const frameworks = ofType(registrations, "aws:backup/framework:Framework");
    expect(frameworks.map((f) => f.inputs.name)).to.deep.equal(["Restores"]);
    expect((frameworks[0].inputs.controls as { name: string }[]).map((c) => c.name)).to.deep.equal([
      "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
      "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
    ]);
  });

  it("rejects a name AWS refuses and a missing or broken restore target, naming field, value and rule", () => {
    expect(
      validation
        .checkAuditFramework({ name: "1st-framework", maxRestoreMinutes: 0 }, { rtoMinutes: 60 }, undefined, {
          backup: "true",
        })
        .map(validation.formatIssue),
    ).to.deep.equal([
      'auditFramework.name ("1st-framework") must be 1 to 256 characters, starting with a letter, of letters, numbers and underscores.',
      "auditFramework.maxRestoreMinutes (0) must be a whole number of minutes, at least 1.",
    ]);
    useMockEngine();
    expect(() => new BackupRestoreDR("app", seedArgs({ auditFramework: {} })))
      .to.throw(validation.BackupRestoreDRValidationError)
      .with.property("issues")
      .that.satisfies((issues: validation.ValidationIssue[]) => {
        expect(issues.map(validation.formatIssue)).to.deep.equal([
          "auditFramework.maxRestoreMinutes (unset) must be set when objectives.rtoMinutes is not: RESTORE_TIME_FOR_RESOURCES_MEET_TARGET needs a target.",
        ]);
        return true;
      });
  });

  it("GIVEN a forecast THEN the restore-time target is the RTO less its terms that are not restores", () => {
    const registrations = useMockEngine();
    new BackupRestoreDR(
      "app",
      seedArgs({
        objectives: { rtoMinutes: 60 },
        rtoForecast: {
          resources: [{ kind: "RDS", name: "db", sizeGiB: 20 }],
          flipMinutes: 4,
          serverBootMinutes: 2,
          healthCheckMinutes: 0.5,
          operatorSwitchMinutes: 5,
          dnsMinutes: 3,
        },
        auditFramework: {},
      }),
    );
    return settled(registrations).then(() => {
      const [framework] = ofType(registrations, "aws:backup/framework:Framework");
      const [restoreTime] = framework.inputs.controls as { inputParameters: unknown[] }[];
      // 60 - (4 + 2 + 0.5 + 5 + 3) = 45.5, rounded down.
      expect(restoreTime.inputParameters).to.deep.equal([{ name: "maxRestoreTime", value: "45" }]);
    });
  });

  it("rejects an RTO that leaves no restore time and an RPO beyond the control's 744 hours", () => {
    const forecast = { resources: [], flipMinutes: 30 };
    expect(
      validation
        .checkAuditFramework({}, { rtoMinutes: 40, rpoMinutes: 744 * 60 + 1 }, forecast, { backup: "true" })
        .map(validation.formatIssue),
    ).to.deep.equal([
      "auditFramework.maxRestoreMinutes (unset) must be set: its default, objectives.rtoMinutes (40) less the forecast's 41 min of flip, boot, health, switch and DNS, leaves no restore time.",
      "objectives.rpoMinutes (44641) must be at most 44640 (744 hours) with auditFramework: BACKUP_LAST_RECOVERY_POINT_CREATED takes a recovery point age of 1 to 744 hours.",
    ]);
    expect(
      validation.checkAuditFramework(
        { maxRestoreMinutes: 10 },
        { rtoMinutes: 40, rpoMinutes: 44640 },
        forecast,
        { backup: "true" },
      ),
    ).to.deep.equal([]);
  });

  it("rejects a framework its controls cannot scope: a selection of two tags, or of none, names the field, value and rule", () => {
    const rule =
      "must be exactly one tag with auditFramework: it is the controls' scope (a control scope takes one tag), and without it the controls audit, and bill, every resource of their types in the primary region.";
    expect(
      validation
        .checkAuditFramework({ maxRestoreMinutes: 30 }, undefined, undefined, {
          backup: "true",
          tier: "gold",
        })
        .map(validation.formatIssue),
    ).to.deep.equal([`selection.tags ({"backup":"true","tier":"gold"}) ${rule}`]);
    useMockEngine();
    expect(
      () =>
        new BackupRestoreDR(
          "app",
          seedArgs({
            selection: { resources: ["arn:aws:rds:us-east-1:111122223333:db:app"] },
            auditFramework: { maxRestoreMinutes: 30 },
          }),
        ),
    )
      .to.throw(validation.BackupRestoreDRValidationError)
      .with.property("issues")
      .that.satisfies((issues: validation.ValidationIssue[]) => {
        expect(issues.map(validation.formatIssue)).to.deep.equal([`selection.tags ({}) ${rule}`]);
        return true;
      });
  });
});
