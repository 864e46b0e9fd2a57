import { StartBackupJobCommand, StartCopyJobCommand, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { FailbackJournal } from "../../../../scripts/recovery/failback/journal";
import { FailbackReport } from "../../../../scripts/recovery/failback/report";
import { ACCOUNT } from "../../../../scripts/simulation/fixtures";
import { FailbackAws, FailbackAwsOptions } from "../../../fakes/failbackAws";
import {
  FailbackHarnessOptions,
  RECOVERY_STARTED,
  RESTORED,
  failbackHarness,
} from "../../../fakes/failbackFixture";
import { FakeDrStack } from "../../../fakes/fakeStack";
import { Harness } from "../../../fakes/harness";

const RUN = "20260412t090000a7";

describe("dr failback and the vaults' locks: on-demand jobs the lock accepts, a lock failure stopped before the freeze", () => {
  let h: Harness;
  let aws: FailbackAws;
  let dr: () => FakeDrStack;
  afterEach(() => {
    aws?.dispose();
    h?.dispose();
  });

  const setUp = (options: FailbackHarnessOptions = {}, awsOptions: FailbackAwsOptions = {}) => {
    const made = failbackHarness(options);
    ({ h, dr } = made);
    aws = new FailbackAws(h, made.points, () => dr().config, Date.parse(RECOVERY_STARTED), awsOptions);
  };
  const retentions = () => ({
    backups: h.backup.commandCalls(StartBackupJobCommand).map((c) => c.args[0].input.Lifecycle),
    copies: h.backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input.Lifecycle),
  });
  const journal = (): FailbackJournal =>
    JSON.parse(fs.readFileSync(path.join(h.stateDir, "failback.json"), "utf8")) as FailbackJournal;

  it("keeps its backups and copies a week at the default lock (3 to 97 days), so they expire, and the run succeeds", async () => {
    setUp();
    expect(await h.run(["failback", "--yes"]), h.stderr.text).to.equal(0);
    const week = { DeleteAfterDays: 7 };
    expect(retentions()).to.deep.equal({ backups: Array(6).fill(week), copies: Array(6).fill(week) });
  });

  it("clamps the week into each vault's own bounds, read from DescribeBackupVault: the DR vault's for backups, the primary vault's for copies", async () => {
    setUp({
      sim: {
        vaultLocks: {
          "dr-vault": { minRetentionDays: 10, maxRetentionDays: 20 },
          "primary-vault": { minRetentionDays: 1, maxRetentionDays: 5 },
        },
      },
    });
    expect(await h.run(["failback", "--yes"]), h.stderr.text).to.equal(0);
    expect(retentions()).to.deep.equal({
      backups: Array(6).fill({ DeleteAfterDays: 10 }),
      copies: Array(6).fill({ DeleteAfterDays: 5 }),
    });
  });

  it("without a lock still sets a week: on-demand points expire instead of living forever", async () => {
    setUp({ sim: { vaultLocks: { "dr-vault": "none", "primary-vault": "none" } } });
    expect(await h.run(["failback", "--yes"]), h.stderr.text).to.equal(0);
    const week = { DeleteAfterDays: 7 };
    expect(retentions()).to.deep.equal({ backups: Array(6).fill(week), copies: Array(6).fill(week) });
  });

  it("a pre-copy the vault's lock fails stops the run before the freeze: exit 3, the cause in the report's note, writes never frozen", async () => {
    // The DR vault's governance lock was changed after the preflight read it (PutBackupVaultLockConfiguration
    // changes a governance lock at any time): every pre-copy backup asks for less than the new minimum.
    setUp({}, { enforcedLocks: { "dr-vault": { minRetentionDays: 30, maxRetentionDays: 97 } } });
    expect(await h.run(["failback", "--yes"])).to.equal(3);

    const j = journal();
    expect(j.state).to.equal("running");
    expect(j.failback.phases.map((p) => `${p.phase}:${p.outcome}`)).to.deep.equal(["pre-copy:failed"]);
    expect(j.failback.freeze).to.equal(undefined);
    expect(dr().config["dr-app:drActiveDesiredCapacity"]).to.equal("3");
    expect(dr().ops()).to.not.include("up");
    expect(h.backup.commandCalls(StartCopyJobCommand)).to.have.length(0);
    expect(h.backup.commandCalls(StartRestoreJobCommand)).to.have.length(0);
    const cause = `0 of 3 resource(s) copied to the primary vault; AWS failed or refused 3 job(s), e.g. the backup of arn:aws:rds:us-west-2:${ACCOUNT}:db:${RESTORED.db}: Backup vault dr-vault is locked: a job into it must keep its recovery point between 30 and 97 days; its lifecycle has DeleteAfterDays 7, less than MinRetentionDays 30. The final copies after the freeze would fail the same way, so writes were not frozen`;
    expect(h.stdout.text).to.contain(
      `note: stopped at pre-copy: ${cause}. Fix the cause and re-run the same command: it resumes at pre-copy, retrying only what failed`,
    );
    expect(h.stdout.text).to.not.contain("writes are still frozen");
    const report = JSON.parse(
      fs.readFileSync(path.join(h.reportDir, `failback-${RUN}.json`), "utf8"),
    ) as FailbackReport;
    expect(report.outcome).to.equal("failed");
    expect(report.notes[0]).to.equal(
      `stopped at pre-copy: ${cause}. Fix the cause and re-run the same command: it resumes at pre-copy, retrying only what failed`,
    );
  });

  it("a pre-copy that failed only on AWS's side (a throttled start) does not stop it: the final copies carry everything", async () => {
    setUp({}, { throttleCopyStart: 1 });
    expect(await h.run(["failback", "--yes"]), h.stderr.text).to.equal(0);
    const preCopy = journal().failback.phases.find((p) => p.phase === "pre-copy");
    expect([preCopy?.outcome, preCopy?.detail]).to.deep.equal([
      "ok",
      "2 of 3 resource(s) copied to the primary vault; only AWS-side errors (throttling, no answer, a job lost track of): the final copies carry everything",
    ]);
    const throttled = journal().failback.transfers.find(
      (t) => t.phase === "pre-copy" && t.copy?.startFailure,
    );
    expect([throttled?.copy?.status, throttled?.copy?.startFailure]).to.deep.equal(["FAILED", "transient"]);
  });

  it("refuses before anything starts when advanced DynamoDB backup is off in the DR region, even with it on in the primary", async () => {
    setUp({
      sim: {
        regionSettings: {
          "us-west-2": { ResourceTypeManagementPreference: { DynamoDB: false } },
          "us-east-1": { ResourceTypeManagementPreference: { DynamoDB: true } },
        },
      },
    });
    expect(await h.run(["failback", "--yes"])).to.equal(2);
    expect(h.stderr.text).to.contain(
      "error: advanced DynamoDB backup is off in us-west-2 (DescribeRegionSettings: ResourceTypeManagementPreference DynamoDB is not true): the failback's backup of DynamoDB table(s) Orders there would be a DynamoDB backup, which AWS Backup cannot copy to us-east-1. The setting is per region: turn it on with 'aws backup update-region-settings --region us-west-2 --resource-type-opt-in-preference DynamoDB=true --resource-type-management-preference DynamoDB=true' and re-run",
    );
    expect(h.backup.commandCalls(StartBackupJobCommand)).to.have.length(0);
    expect(fs.existsSync(path.join(h.stateDir, "failback.json"))).to.equal(false);
  });
});
