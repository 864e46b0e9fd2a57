import { expect } from "chai";
import {
  BackupPlanPresets,
  BackupRestoreDR,
  computePosture,
  validation,
} from "@restorekit/backup-restore-dr";
import { seedArgs } from "../helpers/componentArgs";
import { settled, useMockEngine, valueOf } from "../helpers/mockEngine";

const args = seedArgs;

describe("DR objectives", () => {
  it("computes the seed plan's worst-case RPO per region, term by term", () => {
    const posture = computePosture(args());
    expect(posture.primary).to.deep.include({
      region: "us-east-1",
      worstCaseRpoMinutes: 180,
      rpoArithmetic:
        'rule "hourly-backup": 60 (longest gap between runs of cron(0 * * * ? *) in Etc/UTC) + 120 (completion window) = 180 min',
      longestRetentionDays: 97,
      coldStorageAfterDays: 7,
      rules: ["daily-backup", "hourly-backup"],
    });
    expect(posture.dr).to.deep.include({
      region: "us-west-2",
      worstCaseRpoMinutes: 1680,
      rpoArithmetic:
        'rule "daily-backup": 1440 (longest gap between runs of cron(0 3 * * ? *) in Etc/UTC) + 180 (completion window) + 60 (copy landing in us-west-2) = 1680 min',
      longestRetentionDays: 97,
      rules: ["daily-backup"],
    });
  });

  it("counts weekends for a weekday schedule and the configured copy landing time", () => {
    const posture = computePosture(
      args({
        plan: {
          rules: [
            {
              name: "weekdays",
              schedule: "cron(0 3 ? * MON-FRI *)",
              completionWindowMinutes: 240,
              lifecycle: { deleteAfterDays: 30 },
              copyToDr: {},
            },
          ],
        },
        objectives: { copyLandingMinutes: 90 },
      }),
    );
    expect(posture.dr.worstCaseRpoMinutes).to.equal(3 * 1440 + 240 + 90);
  });

  it("GIVEN an RPO the DR copies cannot meet THEN construction fails with the arithmetic and registers nothing", async () => {
    const registrations = useMockEngine();
    expect(() => new BackupRestoreDR("app", args({ objectives: { rpoMinutes: 240 } }))).to.throw(
      validation.BackupRestoreDRValidationError,
      'BackupRestoreDR "app": objectives.rpoMinutes (240) cannot be met in the dr region us-west-2: worst case 1680 min, by rule "daily-backup": 1440 (longest gap between runs of cron(0 3 * * ? *) in Etc/UTC) + 180 (completion window) + 60 (copy landing in us-west-2) = 1680 min.',
    );
    await settled(registrations);
    expect(registrations).to.deep.equal([]);
  });

  it("GIVEN an RPO and no rule copying to DR THEN it says no recovery points land there", () => {
    useMockEngine();
    expect(
      () =>
        new BackupRestoreDR(
          "app",
          args({ plan: { rules: [BackupPlanPresets.hourlyLocal()] }, objectives: { rpoMinutes: 1440 } }),
        ),
    ).to.throw(
      "objectives.rpoMinutes (1440) cannot be met in the dr region us-west-2: no rule stores recovery points here.",
    );
  });

  it("GIVEN enforcement warn THEN it builds and reports the unmet objective in the posture", async () => {
    const registrations = useMockEngine();
    const component = new BackupRestoreDR(
      "app",
      args({ objectives: { rpoMinutes: 240, rtoMinutes: 480, enforcement: "warn" } }),
    );
    const posture = await valueOf(component.posture);
    await settled(registrations);
    expect(registrations.length).to.be.greaterThan(5);
    expect(posture.primary.meetsRpo).to.equal(true);
    expect(posture.dr.meetsRpo).to.equal(false);
    expect(posture.rtoMinutes).to.equal(480);
  });

  it("GIVEN a reachable RPO THEN the posture shows it met, with lock and replication", async () => {
    useMockEngine();
    const component = new BackupRestoreDR(
      "app",
      args({
        objectives: { rpoMinutes: 1800 },
        vaults: { lock: { minRetentionDays: 1, maxRetentionDays: 120, changeableForDays: 3 } },
        replication: { buckets: [{ sourceBucket: "app-data" }], replicationTimeControl: true },
      }),
    );
    const posture = await valueOf(component.posture);
    expect(posture.dr.meetsRpo).to.equal(true);
    expect(posture.dr.lock).to.deep.equal({
      mode: "compliance",
      minRetentionDays: 1,
      maxRetentionDays: 120,
      changeableForDays: 3,
    });
    expect(posture.replicatedBuckets).to.equal(1);
    expect(posture.replicationRpoMinutes).to.equal(15);
  });

  it("rejects objectives that are not whole positive minutes", async () => {
    useMockEngine();
    expect(
      () =>
        new BackupRestoreDR(
          "app",
          args({ objectives: { rpoMinutes: 0, rtoMinutes: 1.5, copyLandingMinutes: -1 } }),
        ),
    )
      .to.throw(validation.BackupRestoreDRValidationError)
      .with.property("issues")
      .that.satisfies((issues: validation.ValidationIssue[]) => {
        expect(issues.map(validation.formatIssue)).to.deep.equal([
          "objectives.rpoMinutes (0) must be a whole number of minutes, at least 1.",
          "objectives.rtoMinutes (1.5) must be a whole number of minutes, at least 1.",
          "objectives.copyLandingMinutes (-1) must be a whole number of minutes.",
        ]);
        return true;
      });
  });
});
