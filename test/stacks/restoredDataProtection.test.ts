import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { BackupPlanPresets, chooseDatabaseWindows } from "@restorekit/backup-restore-dr";
import { defineRestoredDataProtection, RestoredDataPlan } from "../../stacks/restoredDataProtection";
import { ofType, Registration, settled, useMockEngine } from "../helpers/mockEngine";
import { recordResourceOptions } from "../helpers/resourceOptions";
import { evaluateStack, EvaluatedStack, inputsOf, PROD_OUTPUTS } from "./fixtures";

/** The mock engine's ARN of the role: its name is the prefix and a generated suffix. */
const ROLE_ARN = "arn:aws:iam::123456789012:role/app-dr-backup-20261123000000000000000001";

const RESTORED = {
  mode: "active",
  restoredDbEndpoint: "dr-20261123t093000a7-app-db.xyz789.us-west-2.rds.amazonaws.com:5432",
  restoredTableName: "dr-20261123t093000a7-app-table",
};

describe("dr stack: protection of restored data in the DR region", () => {
  let standby: EvaluatedStack;
  let active: EvaluatedStack;

  before(async () => {
    standby = await evaluateStack("dr");
    active = await evaluateStack("dr", RESTORED);
  });

  it("creates the plan, the selection and the role in standby already, the same in active", () => {
    const names = (stack: EvaluatedStack) =>
      stack.registrations
        .filter((r) => /^aws:backup\/|^aws:iam\/role(PolicyAttachment)?:/.test(r.type))
        .filter((r) => r.name.includes("restored"))
        .map((r) => `${r.type} ${r.name}`);
    expect(names(standby)).to.deep.equal([
      "aws:iam/role:Role app-restored-backup-role",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment app-restored-backup-AWSBackupServiceRolePolicyForBackup",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment app-restored-backup-AWSBackupServiceRolePolicyForS3Backup",
      "aws:backup/plan:Plan app-restored-plan",
      "aws:backup/selection:Selection app-restored-selection",
    ]);
    for (const name of ["app-restored-plan", "app-restored-selection"]) {
      const type = name.endsWith("plan") ? "aws:backup/plan:Plan" : "aws:backup/selection:Selection";
      expect(inputsOf(active.registrations, type, name), name).to.deep.equal(
        inputsOf(standby.registrations, type, name),
      );
    }
  });

  it("runs prod's rules in us-west-2 into the DR vault, copying prod's DR-copied rule to the primary vault", () => {
    const plan = inputsOf(standby.registrations, "aws:backup/plan:Plan", "app-restored-plan");
    expect(plan.region).to.equal("us-west-2");
    // Same schedules, windows and lifecycles as prod's rules: valid under AWS's 90-day cold rule and inside
    // the Vault Lock both vaults have (bounded by these very retentions, stacks/config.ts).
    expect(plan.rules).to.deep.equal([
      {
        ruleName: "daily-backup",
        targetVaultName: PROD_OUTPUTS.drVaultName,
        schedule: "cron(0 3 * * ? *)",
        scheduleExpressionTimezone: "Etc/UTC",
        startWindow: 60,
        completionWindow: 180,
        enableContinuousBackup: false,
        lifecycle: { coldStorageAfter: 7, deleteAfter: 97 },
        copyActions: [
          {
            destinationVaultArn: PROD_OUTPUTS.primaryVaultArn,
            lifecycle: { coldStorageAfter: 7, deleteAfter: 97 },
          },
        ],
      },
      {
        ruleName: "hourly-backup",
        targetVaultName: PROD_OUTPUTS.drVaultName,
        schedule: "cron(0 * * * ? *)",
        scheduleExpressionTimezone: "Etc/UTC",
        startWindow: 60,
        completionWindow: 120,
        enableContinuousBackup: false,
        lifecycle: { deleteAfter: 3 },
        copyActions: [],
      },
    ]);
  });

  it("selects by prod's selection tag in us-west-2, with its own role trusted by AWS Backup", () => {
    const selection = inputsOf(
      standby.registrations,
      "aws:backup/selection:Selection",
      "app-restored-selection",
    );
    expect(selection).to.deep.include({
      region: "us-west-2",
      planId: "app-restored-plan-id",
      iamRoleArn: ROLE_ARN,
      selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "true" }],
      // The replica of prod's bucket, which the application writes to in DR: versioned, as S3 backups need.
      resources: PROD_OUTPUTS.replicaBucketArns,
      notResources: [],
    });
    const role = inputsOf(standby.registrations, "aws:iam/role:Role", "app-restored-backup-role");
    expect(JSON.parse(role.assumeRolePolicy).Statement).to.deep.equal([
      { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    expect(
      ofType(standby.registrations, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((r) => r.name.startsWith("app-restored-backup-"))
        .map((r) => r.inputs.policyArn),
    ).to.deep.equal([
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
    ]);
  });

  it("creates the selection after its role's policy attachments (CreateBackupSelection checks the role's rights)", async () => {
    const recorded = recordResourceOptions();
    try {
      await evaluateStack("dr");
    } finally {
      recorded.stop();
    }
    expect(recorded.options.get("app-restored-selection")?.dependsOn).to.have.members([
      "app-restored-backup-AWSBackupServiceRolePolicyForBackup",
      "app-restored-backup-AWSBackupServiceRolePolicyForS3Backup",
    ]);
  });

  it("alerts on its own backup and copy jobs in us-west-2 (copy jobs report in their source region only)", () => {
    const rules = ofType(standby.registrations, "aws:cloudwatch/eventRule:EventRule").filter((r) =>
      r.name.startsWith("app-restored-"),
    );
    expect(rules.map((r) => [r.name, r.inputs.region, JSON.parse(r.inputs.eventPattern)])).to.deep.equal([
      [
        "app-restored-backup-job-alerts",
        "us-west-2",
        {
          source: ["aws.backup"],
          "detail-type": ["Backup Job State Change"],
          detail: { state: ["FAILED", "ABORTED", "EXPIRED"] },
        },
      ],
      [
        "app-restored-copy-job-alerts",
        "us-west-2",
        {
          source: ["aws.backup"],
          "detail-type": ["Copy Job State Change"],
          detail: { state: ["FAILED", "ABORTED", "EXPIRED"] },
        },
      ],
    ]);
    const topic = inputsOf(standby.registrations, "aws:sns/topic:Topic", "app-restored-alerts");
    expect(topic.region).to.equal("us-west-2");
    const targets = ofType(standby.registrations, "aws:cloudwatch/eventTarget:EventTarget").filter((r) =>
      r.name.startsWith("app-restored-"),
    );
    expect(targets.map((r) => r.inputs.rule)).to.have.members(rules.map((r) => `${r.name}-a1b2c3d`));
    expect(standby.outputs.restoredDataAlertTopicArn).to.match(/^arn:aws:sns:us-west-2:/);
  });

  it("states what is protected, where it goes, how often and from when", () => {
    const protection = standby.outputs.restoredDataProtection as Record<string, unknown>;
    expect(protection).to.deep.include({
      selectionTags: { backup: "true" },
      selectedBucketArns: PROD_OUTPUTS.replicaBucketArns,
      resourceTypes: ["RDS", "DynamoDB", "EBS", "S3"],
      vaultName: PROD_OUTPUTS.drVaultName,
      copyVaultArn: PROD_OUTPUTS.primaryVaultArn,
    });
    expect(protection.local).to.deep.include({
      region: "us-west-2",
      worstCaseRpoMinutes: 180,
      rules: ["daily-backup", "hourly-backup"],
      longestRetentionDays: 97,
      meetsRpo: true,
    });
    expect(protection.copies).to.deep.include({
      region: "us-east-1",
      worstCaseRpoMinutes: 1440 + 180 + 60,
      rules: ["daily-backup"],
    });
    expect(protection.protectedFrom).to.contain("at most 180 min after the restore");
    expect(protection.copiesWhilePrimaryDown).to.contain("retries for 2 hours (CREATED), then fails");
    expect(standby.outputs).to.deep.include({
      restoredDataRoleArn: ROLE_ARN,
      restoredDataPlanId: "app-restored-plan-id",
      drVaultArn: PROD_OUTPUTS.drVaultArn,
      primaryVaultArn: PROD_OUTPUTS.primaryVaultArn,
    });
  });
});

describe("prod exports restoredDataPlan from the arguments it gives BackupRestoreDR", () => {
  it("its plan's rules, its selection tag and its copy landing minutes, from the stack's settings", async () => {
    const seed = await evaluateStack("prod");
    expect(seed.outputs.restoredDataPlan).to.deep.equal({
      rules: BackupPlanPresets.seed().rules,
      selectionTags: { backup: "true" },
      copyLandingMinutes: 60,
      // The windows prod's database has: the recovery CLI gives them to restored databases (issue 19, finding 10).
      databaseWindows: chooseDatabaseWindows(BackupPlanPresets.seed()),
    });
    const daily = await evaluateStack("prod", { backupPlan: "daily", copyLandingMinutes: "90" });
    expect(daily.outputs.restoredDataPlan).to.deep.equal({
      rules: BackupPlanPresets.daily().rules,
      selectionTags: { backup: "true" },
      copyLandingMinutes: 90,
      databaseWindows: chooseDatabaseWindows(BackupPlanPresets.daily()),
    });
  });
});

describe("defineRestoredDataProtection with what prod exports", () => {
  async function define(plan: RestoredDataPlan): Promise<{ registrations: Registration[]; error?: Error }> {
    const registrations = useMockEngine();
    const protection = defineRestoredDataProtection("app", {
      region: "us-west-2",
      primaryRegion: "us-east-1",
      primaryStack: "prod",
      plan: pulumi.output(plan),
      drVaultName: pulumi.output("dr-vault"),
      primaryVaultArn: pulumi.output("arn:aws:backup:us-east-1:123456789012:backup-vault:primary-vault"),
      replicaBucketArns: pulumi.output([]),
      rpoMinutes: pulumi.output(1800),
      tags: {},
    });
    // Pulumi's own read of an output (as evaluate.ts does): an apply that throws rejects it.
    const internals = protection.posture as unknown as { promise(): Promise<unknown> };
    const error = await internals.promise().then(
      () => undefined,
      (caught: Error) => caught,
    );
    await settled(registrations);
    return { registrations, error };
  }

  it("follows prod's plan: the daily plan gives one rule, its copy and a daily first recovery point", async () => {
    const { registrations, error } = await define({
      rules: BackupPlanPresets.daily().rules,
      selectionTags: { backup: "true" },
      copyLandingMinutes: 30,
    });
    expect(error).to.equal(undefined);
    const plan = registrations.find((r) => r.name === "app-restored-plan");
    expect(plan?.inputs.rules.map((rule: { ruleName: string }) => rule.ruleName)).to.deep.equal([
      "daily-backup",
    ]);
  });

  it("rejects a plan AWS Backup would not accept, naming the output, the field, the value and the rule", async () => {
    const { error } = await define({
      rules: [
        {
          name: "daily",
          schedule: "cron(0 3 * * ? *)",
          lifecycle: { moveToColdStorageAfterDays: 7, deleteAfterDays: 35 },
        },
      ],
      selectionTags: { backup: "true" },
      copyLandingMinutes: 60,
    });
    // Pulumi prefixes the plan's input it could not serialize: `error serializing property "rules": ...`.
    expect(error?.message).to.contain(
      "the prod stack's restoredDataPlan output is not a plan AWS Backup accepts: plan.rules[0].lifecycle.deleteAfterDays (35) " +
        "must be at least moveToColdStorageAfterDays (7) + 90 = 97: AWS keeps cold backups for a minimum of 90 days.",
    );
  });

  it("rejects a selection without tags: AWS Backup would select every resource of the region", async () => {
    const { error } = await define({
      rules: BackupPlanPresets.daily().rules,
      selectionTags: {},
      copyLandingMinutes: 60,
    });
    expect(error?.message).to.contain(
      "the prod stack's restoredDataPlan output is not a plan AWS Backup accepts: selection (",
    );
  });
});
