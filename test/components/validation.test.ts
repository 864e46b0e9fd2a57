import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import {
  BackupRestoreDR,
  BackupRestoreDRArgs,
  BackupRuleArgs,
  validation,
} from "@restorekit/backup-restore-dr";
import { seedArgs } from "../helpers/componentArgs";
import { settled, useMockEngine, valueOf } from "../helpers/mockEngine";

const { BackupRestoreDRValidationError, formatIssue } = validation;

const args = seedArgs;

function rule(overrides: Partial<BackupRuleArgs> = {}): BackupRuleArgs {
  return { name: "daily", schedule: "cron(0 3 * * ? *)", lifecycle: { deleteAfterDays: 35 }, ...overrides };
}

/** GIVEN args WHEN the component is built THEN it throws exactly these messages and registers nothing. */
async function expectInvalid(given: BackupRestoreDRArgs, ...messages: string[]): Promise<void> {
  const registrations = useMockEngine();
  let error: unknown;
  try {
    new BackupRestoreDR("app", given);
  } catch (e) {
    error = e;
  }
  expect(error, "expected a validation error").to.be.instanceOf(BackupRestoreDRValidationError);
  expect(
    (error as InstanceType<typeof BackupRestoreDRValidationError>).issues.map(formatIssue),
  ).to.deep.equal(messages);
  await settled(registrations);
  expect(registrations, "nothing may be registered").to.deep.equal([]);
}

describe("BackupRestoreDR validation", () => {
  describe("regions", () => {
    it("rejects a region name AWS does not have", () =>
      expectInvalid(
        args({ primaryRegion: "us-east-9" }),
        'primaryRegion ("us-east-9") must be an AWS region name such as "us-east-1".',
      ));
    it("rejects a DR region equal to the primary", () =>
      expectInvalid(
        args({ drRegion: "us-east-1" }),
        'drRegion ("us-east-1") must differ from primaryRegion: a disaster recovery copy in the same region is lost with it.',
      ));
  });

  describe("plan", () => {
    it("needs at least one rule", () =>
      expectInvalid(args({ plan: { rules: [] } }), "plan.rules ([]) must have at least one rule."));
    it("rejects duplicate rule names", () =>
      expectInvalid(
        args({ plan: { rules: [rule(), rule()] } }),
        'plan.rules[1].name ("daily") must be unique in the plan: plan.rules[0] has the same name.',
      ));
    it("rejects a plan name AWS does not accept", () =>
      expectInvalid(
        args({ plan: { name: "dr plan!", rules: [rule()] } }),
        `plan.name ("dr plan!") must be 1-50 letters, digits, '-', '_' or '.'.`,
      ));
    it("rejects a rule name AWS does not accept", () =>
      expectInvalid(
        args({ plan: { rules: [rule({ name: "x".repeat(51) })] } }),
        `plan.rules[0].name ("${"x".repeat(51)}") must be 1-50 letters, digits, '-', '_' or '.'.`,
      ));
    it("rejects rate() schedules", () =>
      expectInvalid(
        args({ plan: { rules: [rule({ schedule: "rate(1 hour)" })] } }),
        'plan.rules[0].schedule ("rate(1 hour)") is not a schedule AWS Backup accepts: AWS Backup supports only cron() schedules, not rate(): "rate(1 hour)"',
      ));
    it("rejects a five-field cron expression", () =>
      expectInvalid(
        args({ plan: { rules: [rule({ schedule: "cron(0 3 * * *)" })] } }),
        'plan.rules[0].schedule ("cron(0 3 * * *)") is not a schedule AWS Backup accepts: cron() needs exactly 6 space-separated fields (Minutes Hours Day-of-month Month Day-of-week Year), found 5: "0 3 * * *"',
      ));
    it("rejects * in both day fields", () =>
      expectInvalid(
        args({ plan: { rules: [rule({ schedule: "cron(0 3 * * * *)" })] } }),
        'plan.rules[0].schedule ("cron(0 3 * * * *)") is not a schedule AWS Backup accepts: Day-of-month "*" and Day-of-week "*" are both set (values or *); exactly one of them must be ?',
      ));
    it("rejects runs less than an hour apart", () =>
      expectInvalid(
        args({ plan: { rules: [rule({ schedule: "cron(0/30 * * * ? *)" })] } }),
        'plan.rules[0].schedule ("cron(0/30 * * * ? *)") is not a schedule AWS Backup accepts: AWS Backup runs scheduled backups at most once an hour, but Minutes "0/30" selects 2 minutes of every hour',
      ));
    it("rejects an unknown time zone", () =>
      expectInvalid(
        args({ plan: { rules: [rule({ scheduleTimezone: "Mars/Olympus" })] } }),
        'plan.rules[0].scheduleTimezone ("Mars/Olympus") must be an IANA time zone name such as "Etc/UTC" or "Europe/Paris".',
      ));
    it("rejects a start window under 60 minutes", () =>
      expectInvalid(
        args({ plan: { rules: [rule({ startWindowMinutes: 30, completionWindowMinutes: 120 })] } }),
        "plan.rules[0].startWindowMinutes (30) must be a whole number of minutes from 60 to 52560000: AWS Backup rejects start windows shorter than an hour.",
      ));
    it("rejects a completion window not longer than the start window", () =>
      expectInvalid(
        args({ plan: { rules: [rule({ startWindowMinutes: 120, completionWindowMinutes: 120 })] } }),
        "plan.rules[0].completionWindowMinutes (120) must be greater than startWindowMinutes (120): both count from the scheduled time, so a backup that starts late would be cancelled before it could run.",
      ));
    it("rejects a completion window over 100 years", () =>
      expectInvalid(
        args({ plan: { rules: [rule({ completionWindowMinutes: 52_560_001 })] } }),
        "plan.rules[0].completionWindowMinutes (52560001) must be a whole number of minutes up to 52560000.",
      ));
  });

  describe("lifecycle", () => {
    it("rejects the seed's published lifecycle: cold after 7, deleted after 35", () =>
      expectInvalid(
        args({
          plan: { rules: [rule({ lifecycle: { moveToColdStorageAfterDays: 7, deleteAfterDays: 35 } })] },
        }),
        "plan.rules[0].lifecycle.deleteAfterDays (35) must be at least moveToColdStorageAfterDays (7) + 90 = 97: AWS keeps cold backups for a minimum of 90 days.",
      ));
    it("rejects retention under 1 day or over 100 years", () =>
      expectInvalid(
        args({
          plan: {
            rules: [
              rule({ lifecycle: { deleteAfterDays: 0 } }),
              rule({ name: "b", lifecycle: { deleteAfterDays: 36501 } }),
            ],
          },
        }),
        "plan.rules[0].lifecycle.deleteAfterDays (0) must be a whole number of days from 1 to 36500: AWS Backup retains recovery points for 1 day to 100 years.",
        "plan.rules[1].lifecycle.deleteAfterDays (36501) must be a whole number of days from 1 to 36500: AWS Backup retains recovery points for 1 day to 100 years.",
      ));
    it("rejects a fractional or non-positive move to cold storage", () =>
      expectInvalid(
        args({
          plan: { rules: [rule({ lifecycle: { moveToColdStorageAfterDays: 0.5, deleteAfterDays: 100 } })] },
        }),
        "plan.rules[0].lifecycle.moveToColdStorageAfterDays (0.5) must be a whole number of days, at least 1.",
      ));
    it("rejects cold storage with continuous backup", () =>
      expectInvalid(
        args({
          plan: {
            rules: [
              rule({
                enableContinuousBackup: true,
                lifecycle: { moveToColdStorageAfterDays: 1, deleteAfterDays: 35 },
              }),
            ],
          },
        }),
        "plan.rules[0].lifecycle.moveToColdStorageAfterDays (1) must be unset when enableContinuousBackup is true: continuous backups are kept at most 35 days and cannot move to cold storage, which keeps them 90.",
      ));
    it("rejects continuous retention over 35 days", () =>
      expectInvalid(
        args({
          plan: { rules: [rule({ enableContinuousBackup: true, lifecycle: { deleteAfterDays: 36 } })] },
        }),
        "plan.rules[0].lifecycle.deleteAfterDays (36) must be at most 35 when enableContinuousBackup is true: AWS keeps continuous backups 1 to 35 days.",
      ));
    it("applies the same rules to a copy's lifecycle", () =>
      expectInvalid(
        args({
          plan: {
            rules: [
              rule({ copyToDr: { lifecycle: { moveToColdStorageAfterDays: 30, deleteAfterDays: 60 } } }),
            ],
          },
        }),
        "plan.rules[0].copyToDr.lifecycle.deleteAfterDays (60) must be at least moveToColdStorageAfterDays (30) + 90 = 120: AWS keeps cold backups for a minimum of 90 days.",
      ));
  });

  describe("vaults", () => {
    it("rejects vault names AWS does not accept", () =>
      expectInvalid(
        args({ vaults: { primaryVaultName: "primary.vault", drVaultName: "d" } }),
        `vaults.primaryVaultName ("primary.vault") must be 2-50 letters, digits, '-' or '_' (AWS Backup vault names, no '.').`,
        `vaults.drVaultName ("d") must be 2-50 letters, digits, '-' or '_' (AWS Backup vault names, no '.').`,
      ));
    it("rejects a lock minimum above its maximum", () =>
      expectInvalid(
        args({
          plan: { rules: [rule({ lifecycle: { deleteAfterDays: 40 } })] },
          vaults: { lock: { minRetentionDays: 60, maxRetentionDays: 30 } },
        }),
        "vaults.lock.minRetentionDays (60) must not exceed vaults.lock.maxRetentionDays (30).",
        "plan.rules[0].lifecycle.deleteAfterDays (40) must be at least vaults.lock.minRetentionDays (60): the locked vault would fail every job that keeps its recovery points for less.",
        "plan.rules[0].lifecycle.deleteAfterDays (40) must be at most vaults.lock.maxRetentionDays (30): the locked vault would fail every job that keeps its recovery points for longer.",
      ));
    it("rejects changeableForDays under 3", () =>
      expectInvalid(
        args({ vaults: { lock: { changeableForDays: 2 } } }),
        "vaults.lock.changeableForDays (2) must be a whole number of days from 3 to 36500: AWS enforces a 72-hour cooling-off period before a compliance lock takes effect.",
      ));
    it("rejects lock limits outside 1-36500 days", () =>
      expectInvalid(
        args({ vaults: { lock: { minRetentionDays: 0, maxRetentionDays: 40000 } } }),
        "vaults.lock.minRetentionDays (0) must be a whole number of days from 1 to 36500.",
        "vaults.lock.maxRetentionDays (40000) must be a whole number of days from 1 to 36500.",
      ));
    it("rejects a copy retention the locked DR vault would refuse", () =>
      expectInvalid(
        args({
          plan: { rules: [rule({ copyToDr: { lifecycle: { deleteAfterDays: 400 } } })] },
          vaults: { lock: { maxRetentionDays: 365 } },
        }),
        "plan.rules[0].copyToDr.lifecycle.deleteAfterDays (400) must be at most vaults.lock.maxRetentionDays (365): the locked vault would fail every job that keeps its recovery points for longer.",
      ));
    it("rejects key ARNs that are not KMS ARNs", () =>
      expectInvalid(
        args({ vaults: { drKmsKeyArn: "alias/aws/backup" } }),
        'vaults.drKmsKeyArn ("alias/aws/backup") must be an ARN of kms (arn:<partition>:kms:...).',
      ));
    it("rejects deployer principals that are not IAM ARNs (an STS session is not what aws:PrincipalArn holds)", () =>
      expectInvalid(
        args({ vaults: { deployerPrincipalArns: ["arn:aws:sts::123456789012:assumed-role/ci/run-1"] } }),
        'vaults.deployerPrincipalArns[0] ("arn:aws:sts::123456789012:assumed-role/ci/run-1") must be an ARN of iam (arn:<partition>:iam:...).',
      ));
    it("rejects break-glass principals that are not IAM ARNs", () =>
      expectInvalid(
        args({ vaults: { breakGlassPrincipalArns: ["admin"] } }),
        'vaults.breakGlassPrincipalArns[0] ("admin") must be an ARN of iam (arn:<partition>:iam:...).',
      ));
  });

  describe("selection", () => {
    it("needs at least one criterion", () =>
      expectInvalid(
        args({ selection: {} }),
        'selection ("no tags, conditions or resources") must select by at least one of tags, conditions or resources: an empty selection makes AWS Backup back up every supported resource in the region.',
      ));
    it("rejects a selection name AWS does not accept", () =>
      expectInvalid(
        args({ selection: { name: "tagged resources", tags: { backup: "true" } } }),
        `selection.name ("tagged resources") must be 1-50 letters, digits, '-', '_' or '.'.`,
      ));
    it("rejects an empty tag key in tags and conditions", () =>
      expectInvalid(
        args({ selection: { tags: { "": "true" }, conditions: { stringLike: [{ key: " ", value: "x" }] } } }),
        'selection.tags ("") must not have an empty tag key.',
        'selection.conditions.stringLike[0].key (" ") must name a tag key.',
      ));
    it("rejects a wildcard in the middle of an ARN", () =>
      expectInvalid(
        args({ selection: { resources: ["arn:aws:s3:::*-logs"] } }),
        `selection.resources[0] ("arn:aws:s3:::*-logs") may have a wildcard '*' only at the end of the resource part: AWS Backup supports prefix patterns such as arn:aws:s3:::my-bucket-*.`,
      ));
    it("rejects more than 30 ARNs when any has a wildcard, and more than 500 otherwise", async () => {
      const wild = Array.from({ length: 31 }, (_, i) => `arn:aws:s3:::bucket-${i}-*`);
      await expectInvalid(
        args({ selection: { resources: wild } }),
        'selection.resources ("31 ARNs") must list at most 30 ARNs when any has a wildcard: AWS Backup\'s limit per selection.',
      );
      const plain = Array.from(
        { length: 501 },
        (_, i) => `arn:aws:dynamodb:us-east-1:123456789012:table/t${i}`,
      );
      await expectInvalid(
        args({ selection: { notResources: plain, tags: { backup: "true" } } }),
        `selection.notResources ("501 ARNs") must list at most 500 ARNs: AWS Backup's limit per selection.`,
      );
    });
    it("rejects something that is not an ARN", () =>
      expectInvalid(
        args({ selection: { resources: ["my-table"] } }),
        'selection.resources[0] ("my-table") must be an ARN or "*".',
      ));
    it("rejects a role that is not an IAM ARN", () =>
      expectInvalid(
        args({ selection: { tags: { backup: "true" }, roleArn: "AWSBackupServiceRole" } }),
        'selection.roleArn ("AWSBackupServiceRole") must be an ARN of iam (arn:<partition>:iam:...).',
      ));
  });

  describe("replication", () => {
    it("rejects invalid bucket names and unsupported storage classes", () =>
      expectInvalid(
        args({
          replication: {
            buckets: [{ sourceBucket: "App_Data", replicaBucketName: "ab" }],
            replicaStorageClass: "FSX_OPENZFS",
          },
        }),
        `replication.buckets[0].sourceBucket ("App_Data") must be 3-63 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit, not an IP address (S3 bucket naming rules).`,
        `replication.buckets[0].replicaBucketName ("ab") must be 3-63 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit, not an IP address (S3 bucket naming rules).`,
        'replication.replicaStorageClass ("FSX_OPENZFS") must be one of STANDARD, REDUCED_REDUNDANCY, STANDARD_IA, ONEZONE_IA, INTELLIGENT_TIERING, GLACIER, DEEP_ARCHIVE, GLACIER_IR.',
      ));
    it("rejects the same source bucket twice", () =>
      expectInvalid(
        args({ replication: { buckets: [{ sourceBucket: "app-data" }, { sourceBucket: "app-data" }] } }),
        'replication.buckets[1].sourceBucket ("app-data") must be listed once: replication.buckets[0] replicates the same bucket, and a bucket has one replication configuration.',
      ));
    it("rejects an empty bucket list", () =>
      expectInvalid(
        args({ replication: { buckets: [] } }),
        "replication.buckets ([]) must list at least one bucket; leave replication unset to replicate nothing.",
      ));
    it("rejects a source key that is not a KMS ARN", () =>
      expectInvalid(
        args({ replication: { buckets: [{ sourceBucket: "app-data", sourceKmsKeyArn: "my-key" }] } }),
        'replication.buckets[0].sourceKmsKeyArn ("my-key") must be an ARN of kms (arn:<partition>:kms:...).',
      ));
  });

  it("lists every broken rule in one error", () => {
    useMockEngine();
    expect(() => new BackupRestoreDR("app", args({ primaryRegion: "mars-1", drRegion: "mars-1" }))).to.throw(
      BackupRestoreDRValidationError,
      'BackupRestoreDR "app" has 3 invalid arguments:\n' +
        '  - primaryRegion ("mars-1") must be an AWS region name such as "us-east-1".\n' +
        '  - drRegion ("mars-1") must be an AWS region name such as "us-east-1".\n' +
        '  - drRegion ("mars-1") must differ from primaryRegion: a disaster recovery copy in the same region is lost with it.',
    );
  });

  describe("argument shape (what JavaScript, YAML and other languages can pass)", () => {
    // Every field of the argument interfaces, with its JavaScript type and whether it is required:
    // missing or mistyped values get the component's validation error, never a TypeError from deep inside.
    const untyped = (value: unknown) => value as BackupRestoreDRArgs;

    it("names a missing argument object", () =>
      expectInvalid(untyped(undefined), "args (unset) is required."));
    it("names a missing plan instead of failing with a TypeError", () => {
      const { plan: _plan, ...withoutPlan } = args();
      return expectInvalid(untyped(withoutPlan), "plan (unset) is required.");
    });
    it("names a rule without a lifecycle", () =>
      expectInvalid(
        untyped(
          args({ plan: { rules: [{ name: "daily", schedule: "cron(0 3 * * ? *)" } as BackupRuleArgs] } }),
        ),
        "plan.rules[0].lifecycle (unset) is required.",
      ));
    it("names each value of the wrong JavaScript type", () =>
      expectInvalid(
        untyped({
          ...args(),
          primaryRegion: 5,
          vaults: [],
          plan: { rules: [rule({ lifecycle: { deleteAfterDays: "35" as unknown as number } })] },
          selection: { tags: null },
          monitoring: { enabled: "yes" },
          tags: { team: 5 },
        }),
        "primaryRegion (5) must be a string.",
        "vaults ([]) must be an object.",
        'plan.rules[0].lifecycle.deleteAfterDays ("35") must be a number.',
        "selection.tags (null) must be an object.",
        'monitoring.enabled ("yes") must be a boolean.',
        "tags.team (5) must be a string or an Output of one.",
      ));
    it("names a list given as a single value", () =>
      expectInvalid(
        untyped(args({ plan: { rules: rule() as unknown as BackupRuleArgs[] } })),
        `plan.rules (${JSON.stringify(rule())}) must be an array.`,
      ));
    it("rejects an Output where the component needs the value while the program runs", () =>
      expectInvalid(
        untyped(args({ primaryRegion: pulumi.output("us-east-1") as unknown as string })),
        "primaryRegion (an Output) must be a plain string, not an Output: the component checks it and lays out its resources before anything is deployed.",
      ));
    it("names an argument the component does not have", () =>
      expectInvalid(
        untyped({ ...args(), primaryRegoin: "us-east-1", vaults: { lock: { minRetention: 7 } } }),
        "vaults.lock.minRetention (7) is not an argument of BackupRestoreDR.",
        'primaryRegoin ("us-east-1") is not an argument of BackupRestoreDR.',
      ));
    it("names a value outside an enumeration", () =>
      expectInvalid(
        untyped(args({ objectives: { enforcement: "warning" as "warn" } })),
        'objectives.enforcement ("warning") must be one of "error", "warn".',
      ));
  });

  describe("values known only at deployment", () => {
    const later = <T>(value: T) => pulumi.output(Promise.resolve(value));
    const bucketRule =
      "must be 3-63 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit, not an IP address (S3 bucket naming rules).";

    /**
     * GIVEN arguments with an Output that resolves invalid WHEN the component is built THEN the deployment
     * fails with exactly one error, with this message (not reworded by the resources that would have used
     * the value), and no child is registered.
     */
    async function expectOneDeferredError(given: BackupRestoreDRArgs, message: string, preview = false) {
      const registrations = useMockEngine({ preview });
      // A failed registration leaves its outputs pending; the engine sees the failure as a rejection no
      // program code handles, which `pulumi` reports (once per error object).
      const unhandled: unknown[] = [];
      let firstFailure: (reason: unknown) => void = () => undefined;
      const failed = new Promise<unknown>((resolve) => (firstFailure = resolve));
      const record = (reason: unknown) => {
        unhandled.push(reason);
        firstFailure(reason);
      };
      process.on("unhandledRejection", record);
      try {
        new BackupRestoreDR("late", given);
        const error = await failed;
        await settled(registrations);
        expect(error).to.be.instanceOf(BackupRestoreDRValidationError);
        expect((error as Error).message).to.equal(`BackupRestoreDR "late": ${message}`);
        expect(new Set(unhandled), "every failure is the one error").to.deep.equal(new Set([error]));
        expect(registrations.map((r) => r.type)).to.deep.equal(["backup-restore-dr:index:BackupRestoreDR"]);
      } finally {
        process.off("unhandledRejection", record);
      }
    }

    it("reports an invalid source bucket Output once, before any child registers", () =>
      expectOneDeferredError(
        args({ replication: { buckets: [{ sourceBucket: later("Not_A_Bucket") }] } }),
        `replication.buckets[0].sourceBucket ("Not_A_Bucket") ${bucketRule}`,
      ));
    for (const [field, given, message] of [
      [
        "vaults.primaryKmsKeyArn",
        args({ vaults: { primaryKmsKeyArn: later("my-key") } }),
        'vaults.primaryKmsKeyArn ("my-key") must be an ARN of kms (arn:<partition>:kms:...).',
      ],
      [
        "vaults.drKmsKeyArn",
        args({ vaults: { drKmsKeyArn: later("my-key") } }),
        'vaults.drKmsKeyArn ("my-key") must be an ARN of kms (arn:<partition>:kms:...).',
      ],
      [
        "vaults.breakGlassPrincipalArns",
        args({ vaults: { breakGlassPrincipalArns: [later("admin")] } }),
        'vaults.breakGlassPrincipalArns[0] ("admin") must be an ARN of iam (arn:<partition>:iam:...).',
      ],
      [
        "selection.roleArn",
        args({ selection: { tags: { backup: "true" }, roleArn: later("backup-role") } }),
        'selection.roleArn ("backup-role") must be an ARN of iam (arn:<partition>:iam:...).',
      ],
      [
        "selection.resources",
        args({ selection: { resources: [later("arn:aws:s3:::*-logs")] } }),
        "selection.resources[0] (\"arn:aws:s3:::*-logs\") may have a wildcard '*' only at the end of the resource part: AWS Backup supports prefix patterns such as arn:aws:s3:::my-bucket-*.",
      ],
      [
        "selection.notResources",
        args({ selection: { tags: { backup: "true" }, notResources: [later("volume-1")] } }),
        'selection.notResources[0] ("volume-1") must be an ARN or "*".',
      ],
      [
        "replication.buckets[].sourceKmsKeyArn",
        args({ replication: { buckets: [{ sourceBucket: "app-data", sourceKmsKeyArn: later("my-key") }] } }),
        'replication.buckets[0].sourceKmsKeyArn ("my-key") must be an ARN of kms (arn:<partition>:kms:...).',
      ],
    ] as const) {
      it(`reports an invalid ${field} Output once, before any child registers`, () =>
        expectOneDeferredError(given, message));
    }

    it("reports a known invalid Output at preview while another is still unknown", () =>
      expectOneDeferredError(
        args({
          vaults: { primaryKmsKeyArn: pulumi.output(pulumi.unknown as unknown as string) },
          replication: { buckets: [{ sourceBucket: later("Not_A_Bucket") }] },
        }),
        `replication.buckets[0].sourceBucket ("Not_A_Bucket") ${bucketRule}`,
        true,
      ));

    it("registers the children while an Output is unknown at preview", async () => {
      const registrations = useMockEngine({ preview: true });
      new BackupRestoreDR(
        "late",
        args({
          replication: { buckets: [{ sourceBucket: pulumi.output(pulumi.unknown as unknown as string) }] },
        }),
      );
      await settled(registrations);
      expect(registrations.map((r) => r.name)).to.include.members(["late-plan", "late-replica-0"]);
    });

    it("does not check unknown outputs at construction", async () => {
      const registrations = useMockEngine();
      const component = new BackupRestoreDR(
        "late",
        args({ replication: { buckets: [{ sourceBucket: pulumi.output(Promise.resolve("app-data")) }] } }),
      );
      await valueOf(component.replicaBucketArns);
      await settled(registrations);
      expect(registrations.find((r) => r.name === "late-source-0-replication")?.inputs.bucket).to.equal(
        "app-data",
      );
    });
  });
});
