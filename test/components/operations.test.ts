import { expect } from "chai";
import { BackupRestoreDR, BackupRestoreDRArgs, validation } from "@restorekit/backup-restore-dr";
import { seedArgs } from "../helpers/componentArgs";
import { named, ofType, settled, useMockEngine, valueOf } from "../helpers/mockEngine";

const args = seedArgs;

async function build(given: BackupRestoreDRArgs) {
  const registrations = useMockEngine();
  const component = new BackupRestoreDR("app", given);
  await valueOf(component.alertTopicArns);
  await valueOf(component.restoreTestingPlanName);
  await settled(registrations);
  return { registrations, component };
}

describe("monitoring", () => {
  it("is on by default: a topic, job-failure rules, vault notifications and alarms in each region", async () => {
    const { registrations, component } = await build(
      args({ monitoring: { emailAddresses: ["oncall@example.com"] } }),
    );
    for (const [role, region] of [
      ["primary", "us-east-1"],
      ["dr", "us-west-2"],
    ]) {
      expect(named(registrations, `app-${role}-alerts`).inputs.region).to.equal(region);
      // Copy jobs run, and are reported (EventBridge events, vault events, CloudWatch metrics), in the
      // region of the source vault: in the DR region a copy-job rule or alarm could never fire.
      for (const [kind, detailType, field] of [
        ["backup", "Backup Job State Change", "state"],
        ...(role === "primary" ? [["copy", "Copy Job State Change", "state"]] : []),
        ["restore", "Restore Job State Change", "status"],
      ]) {
        const rule = ofType(registrations, "aws:cloudwatch/eventRule:EventRule").find(
          (r) => r.name === `app-${role}-${kind}-job-alerts`,
        );
        expect(rule?.inputs.region).to.equal(region);
        expect(JSON.parse(rule?.inputs.eventPattern)).to.deep.equal({
          source: ["aws.backup"],
          "detail-type": [detailType],
          detail: { [field]: ["FAILED", "ABORTED", "EXPIRED"] },
        });
        const target = ofType(registrations, "aws:cloudwatch/eventTarget:EventTarget").find(
          (r) => r.name === `app-${role}-${kind}-job-alerts`,
        );
        expect(target?.inputs.arn).to.equal(`arn:aws:sns:${region}:123456789012:app-${role}-alerts`);
      }
      const notifications = named(registrations, `app-${role}-vault-notifications`).inputs;
      expect(notifications.backupVaultEvents).to.deep.equal(
        role === "primary"
          ? ["COPY_JOB_FAILED", "S3_BACKUP_OBJECT_FAILED", "S3_RESTORE_OBJECT_FAILED"]
          : ["S3_BACKUP_OBJECT_FAILED", "S3_RESTORE_OBJECT_FAILED"],
      );
      expect(
        notifications.backupVaultEvents.some((e: string) => /^BACKUP_JOB_FAILED|_SUCCESSFUL$/.test(e)),
      ).to.equal(false);
      expect(named(registrations, `app-${role}-alerts-email-0`).inputs).to.deep.include({
        protocol: "email",
        endpoint: "oncall@example.com",
      });
      const policy = JSON.parse(named(registrations, `app-${role}-alerts-policy`).inputs.policy);
      expect(
        policy.Statement.map((s: { Principal: { Service: string } }) => s.Principal.Service),
      ).to.deep.equal(["backup.amazonaws.com", "events.amazonaws.com", "cloudwatch.amazonaws.com"]);
      const alarm = named(registrations, `app-${role}-NumberOfBackupJobsFailed`).inputs;
      expect(alarm).to.deep.include({
        region,
        namespace: "AWS/Backup",
        statistic: "Sum",
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
      expect(alarm.alarmActions).to.deep.equal([`arn:aws:sns:${region}:123456789012:app-${role}-alerts`]);
    }
    expect(
      ofType(registrations, "aws:cloudwatch/metricAlarm:MetricAlarm").map((alarm) => alarm.name),
    ).to.have.members([
      "app-primary-NumberOfBackupJobsFailed",
      "app-primary-NumberOfCopyJobsFailed",
      "app-primary-NumberOfRestoreJobsFailed",
      "app-dr-NumberOfBackupJobsFailed",
      "app-dr-NumberOfRestoreJobsFailed",
    ]);
    expect(
      ofType(registrations, "aws:cloudwatch/eventRule:EventRule").map((rule) => rule.name),
    ).to.not.include("app-dr-copy-job-alerts");
    expect(await valueOf(component.alertTopicArns)).to.have.length(2);
  });

  it("can be turned off, or keep rules without alarms", async () => {
    const off = await build(args({ monitoring: { enabled: false } }));
    expect(ofType(off.registrations, "aws:sns/topic:Topic")).to.have.length(0);
    expect(await valueOf(off.component.alertTopicArns)).to.deep.equal([]);
    const noAlarms = await build(args({ monitoring: { alarms: false } }));
    expect(ofType(noAlarms.registrations, "aws:cloudwatch/metricAlarm:MetricAlarm")).to.have.length(0);
    // Per region its job rules and the vault- and key-protection rules: primary backup, copy, restore; DR
    // backup, restore.
    expect(ofType(noAlarms.registrations, "aws:cloudwatch/eventRule:EventRule")).to.have.length(9);
  });

  it("rejects an email subscription that is not an address", () => {
    useMockEngine();
    expect(() => new BackupRestoreDR("app", args({ monitoring: { emailAddresses: ["oncall"] } }))).to.throw(
      'BackupRestoreDR "app": monitoring.emailAddresses[0] ("oncall") must be an email address.',
    );
  });
});

describe("restore testing", () => {
  it("is off unless asked for", async () => {
    const { registrations, component } = await build(args());
    expect(ofType(registrations, "aws:backup/restoreTestingPlan:RestoreTestingPlan")).to.have.length(0);
    expect(await valueOf(component.restoreTestingPlanName)).to.equal(undefined);
  });

  it("tests the DR vault quarterly with a selection per resource type and a validation window", async () => {
    const { registrations, component } = await build(
      args({
        restoreTesting: {
          selections: [
            { resourceType: "RDS", restoreMetadataOverrides: { dbSubnetGroupName: "dr-db" } },
            { resourceType: "DynamoDB", validationWindowHours: 4 },
          ],
        },
      }),
    );
    const plan = named(registrations, "app-restore-testing").inputs;
    expect(plan).to.deep.include({
      region: "us-west-2",
      name: "app_restore_testing",
      scheduleExpression: "cron(0 6 1 1,4,7,10 ? *)",
      scheduleExpressionTimezone: "Etc/UTC",
      startWindowHours: 24,
    });
    expect(plan.recoveryPointSelection).to.deep.equal({
      algorithm: "LATEST_WITHIN_WINDOW",
      includeVaults: [await valueOf(component.drVaultArn)],
      recoveryPointTypes: ["SNAPSHOT"],
      selectionWindowDays: 7,
    });
    const rds = named(registrations, "app-restore-testing-rds").inputs;
    expect(rds).to.deep.include({
      region: "us-west-2",
      name: "RDS_selection",
      protectedResourceType: "RDS",
      iamRoleArn: await valueOf(component.backupRoleArn),
      protectedResourceConditions: { stringEquals: [{ key: "aws:ResourceTag/backup", value: "true" }] },
      validationWindowHours: 24,
      restoreMetadataOverrides: { dbSubnetGroupName: "dr-db" },
    });
    expect(named(registrations, "app-restore-testing-dynamodb").inputs.validationWindowHours).to.equal(4);
  });

  // terraform-provider-aws internal/service/backup/restore_testing_selection.go, ConfigValidators:
  // resourcevalidator.ExactlyOneOf(protected_resource_arns, protected_resource_conditions). Setting both
  // fails `pulumi preview`; the mock engine accepts it, so these tests check the shape.
  it("gives each selection exactly one of protectedResourceArns and protectedResourceConditions", async () => {
    const restoreTesting = { selections: [{ resourceType: "RDS" as const }] };
    const tagged = await build(args({ restoreTesting }));
    const byTags = named(tagged.registrations, "app-restore-testing-rds").inputs;
    expect(byTags).to.not.have.property("protectedResourceArns");
    expect(byTags.protectedResourceConditions).to.deep.equal({
      stringEquals: [{ key: "aws:ResourceTag/backup", value: "true" }],
    });
    const untagged = await build(
      args({ selection: { resources: ["arn:aws:rds:us-east-1:123456789012:db:app"] }, restoreTesting }),
    );
    const byType = named(untagged.registrations, "app-restore-testing-rds").inputs;
    expect(byType.protectedResourceArns).to.deep.equal(["*"]);
    expect(byType).to.not.have.property("protectedResourceConditions");
  });

  it("rejects bad windows, unknown and repeated types, and bad schedules", () => {
    useMockEngine();
    let error: unknown;
    try {
      new BackupRestoreDR(
        "app",
        args({
          restoreTesting: {
            schedule: "rate(90 days)",
            startWindowHours: 0,
            selectionWindowDays: 400,
            selections: [
              { resourceType: "RDS", validationWindowHours: 200 },
              { resourceType: "RDS" },
              { resourceType: "Redshift" as "RDS" },
            ],
          },
        }),
      );
    } catch (e) {
      error = e;
    }
    expect(
      (error as InstanceType<typeof validation.BackupRestoreDRValidationError>).issues.map(
        validation.formatIssue,
      ),
    ).to.deep.equal([
      'restoreTesting.schedule ("rate(90 days)") is not a schedule AWS Backup accepts: AWS Backup supports only cron() schedules, not rate(): "rate(90 days)"',
      "restoreTesting.startWindowHours (0) must be a whole number of hours from 1 to 168.",
      "restoreTesting.selectionWindowDays (400) must be a whole number of days from 1 to 365.",
      "restoreTesting.selections[0].validationWindowHours (200) must be a whole number of hours from 1 to 168.",
      'restoreTesting.selections[1].resourceType ("RDS") must be listed once: restoreTesting.selections[0] tests the same type.',
      'restoreTesting.selections[2].resourceType ("Redshift") must be one of Aurora, DocumentDB, DynamoDB, EBS, EC2, EFS, FSx, Neptune, RDS, S3.',
    ]);
  });

  it("rejects an empty list of resource types", () => {
    useMockEngine();
    expect(() => new BackupRestoreDR("app", args({ restoreTesting: { selections: [] } }))).to.throw(
      "restoreTesting.selections ([]) must list at least one resource type; leave restoreTesting unset to test nothing.",
    );
  });
});
