import { BackupClient, ListRestoreJobsCommand, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import fc from "fast-check";
import { PlannedRestore } from "../../../../scripts/recovery/core/journal";
import {
  findRestoreJob,
  idempotencyToken,
  nextPollDelay,
  percentDone,
  startRestoreJob,
} from "../../../../scripts/recovery/core/restoreJobs";
import { awsError } from "../../../fakes/sdkBackup";
import { VirtualClock } from "../../../fakes/virtualClock";

const plan: PlannedRestore = {
  recoveryPointArn: "arn:aws:backup:us-west-2:111122223333:recovery-point:rp-1",
  resourceArn: "arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
  resourceType: "DynamoDB",
  resourceName: "Orders",
  recoveryPointCreatedAt: "2026-04-12T08:00:00.000Z",
  targetName: "dr-r1-Orders",
  iamRoleArn: "arn:aws:iam::111122223333:role/restore",
  metadata: { targetTableName: "dr-r1-Orders" },
  notes: [],
};

describe("restore jobs", () => {
  // Created per suite: other suites mock the same client class and restore it when done.
  let backup: AwsClientStub<BackupClient>;
  const client = new BackupClient({ region: "us-west-2" });
  before(() => (backup = mockClient(BackupClient)));
  afterEach(() => backup.reset());
  after(() => backup.restore());

  it("idempotency tokens are UUID-shaped and depend only on run, recovery point and attempt", () => {
    const token = idempotencyToken("r1", plan.recoveryPointArn, 1);
    expect(token).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(idempotencyToken("r1", plan.recoveryPointArn, 1)).to.equal(token);
    expect(idempotencyToken("r2", plan.recoveryPointArn, 1)).not.to.equal(token);
    expect(idempotencyToken("r1", plan.recoveryPointArn, 2)).not.to.equal(token);
  });

  it("property: poll delays start within seconds, never exceed the cap, and stay within the jitter", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (attempt, r) => {
          const delay = nextPollDelay(attempt, { random: () => r });
          const base = Math.min(15_000, 2_000 * Math.pow(1.6, attempt));
          return delay <= 15_000 && delay >= base * 0.8 - 1 && (attempt > 0 || delay <= 2_400);
        },
      ),
    );
  });

  it("starts with the token, retrying throttling with the same token", async () => {
    backup
      .on(StartRestoreJobCommand)
      .rejectsOnce(awsError("ThrottlingException", "Rate exceeded"))
      .rejectsOnce(awsError("ServiceUnavailableException", "busy", 503))
      .resolves({ RestoreJobId: "job-1" });
    const clock = new VirtualClock();
    const token = idempotencyToken("r1", plan.recoveryPointArn, 1);

    const id = await startRestoreJob(client, plan, token, { clock });

    expect(id).to.equal("job-1");
    const calls = backup.commandCalls(StartRestoreJobCommand).map((c) => c.args[0].input);
    expect(calls).to.have.length(3);
    expect(new Set(calls.map((c) => c.IdempotencyToken))).to.deep.equal(new Set([token]));
    expect(calls[0]).to.deep.include({
      RecoveryPointArn: plan.recoveryPointArn,
      IamRoleArn: plan.iamRoleArn,
      ResourceType: "DynamoDB",
      Metadata: { targetTableName: "dr-r1-Orders" },
    });
  });

  it("does not retry a start AWS refused for a reason that will not go away", async () => {
    backup
      .on(StartRestoreJobCommand)
      .rejects(awsError("InvalidParameterValueException", "DBSubnetGroup not found"));
    let error: unknown;
    await startRestoreJob(client, plan, "t", { clock: new VirtualClock() }).catch((e) => (error = e));
    expect(error).to.have.property("name", "InvalidParameterValueException");
    expect(backup.commandCalls(StartRestoreJobCommand)).to.have.length(1);
  });

  it("PercentDone is read as AWS sends it: with a percent sign and decimals, or a bare number", () => {
    expect(percentDone("42.00%")).to.equal(42);
    expect(percentDone("7.5")).to.equal(7.5);
    expect(percentDone(" 100.00% ")).to.equal(100);
    expect(percentDone(undefined)).to.equal(undefined);
    expect(percentDone("n/a")).to.equal(undefined);
  });

  it("findRestoreJob finds the newest job of a recovery point across pages", async () => {
    backup
      .on(ListRestoreJobsCommand)
      .resolvesOnce({
        RestoreJobs: [{ RestoreJobId: "other", RecoveryPointArn: "arn:rp:other", CreationDate: new Date(3) }],
        NextToken: "p2",
      })
      .resolvesOnce({
        RestoreJobs: [
          { RestoreJobId: "old", RecoveryPointArn: plan.recoveryPointArn, CreationDate: new Date(1) },
          { RestoreJobId: "new", RecoveryPointArn: plan.recoveryPointArn, CreationDate: new Date(2) },
        ],
      });
    expect(await findRestoreJob(client, plan.recoveryPointArn, new Date(0))).to.equal("new");
    expect(backup.commandCalls(ListRestoreJobsCommand)[1].args[0].input).to.include({ NextToken: "p2" });
  });
});
