import { BackupClient, ListBackupJobsCommand, ListCopyJobsCommand } from "@aws-sdk/client-backup";
import { expect } from "chai";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { BACKUP_JOBS, COPY_JOBS } from "../../../../scripts/recovery/failback/jobKinds";
import { findBackupJob, findCopyJob } from "../../../../scripts/recovery/failback/transfer";
import { ListedJob } from "../../../../scripts/recovery/core/restoreMonitor";

async function all(pages: AsyncIterable<readonly ListedJob[]>): Promise<ListedJob[]> {
  const jobs: ListedJob[] = [];
  for await (const page of pages) {
    jobs.push(...page);
  }
  return jobs;
}

describe("backup and copy jobs as the job monitor follows them (ListBackupJobs, ListCopyJobs)", () => {
  let backup: AwsClientStub<BackupClient>;
  beforeEach(() => (backup = mockClient(BackupClient)));
  afterEach(() => backup.restore());

  it("reads every page, created after the given time, and maps each state to the monitor's", async () => {
    const created = new Date("2026-04-12T09:00:00Z");
    backup
      .on(ListBackupJobsCommand)
      .resolvesOnce({
        BackupJobs: [
          { BackupJobId: "b1", State: "CREATED", CreationDate: created },
          {
            BackupJobId: "b2",
            State: "RUNNING",
            PercentDone: "40.00%",
            CreationDate: created,
            ExpectedCompletionDate: new Date("2026-04-12T09:10:00Z"),
          },
        ],
        NextToken: "2",
      })
      .resolvesOnce({
        BackupJobs: [
          {
            BackupJobId: "b3",
            State: "COMPLETED",
            RecoveryPointArn: "rp-3",
            CompletionDate: new Date("2026-04-12T09:20:00Z"),
          },
          { BackupJobId: "b4", State: "EXPIRED", StatusMessage: "the start window passed" },
          { BackupJobId: "b5", State: "ABORTING" },
        ],
      });
    const jobs = await all(BACKUP_JOBS.list(new BackupClient({ region: "us-west-2" }), created));
    expect(jobs.map((j) => [j.id, j.status, j.statusMessage])).to.deep.equal([
      ["b1", "PENDING", undefined],
      ["b2", "RUNNING", undefined],
      ["b3", "COMPLETED", undefined],
      ["b4", "FAILED", "EXPIRED: the start window passed"],
      ["b5", "RUNNING", undefined],
    ]);
    expect(jobs[1].expectedMinutes).to.equal(10);
    expect(jobs[2].createdResourceArn).to.equal("rp-3");
    const calls = backup.commandCalls(ListBackupJobsCommand);
    // Two pages, each asked for jobs created after the time, 1000 at a time.
    expect(calls).to.have.length(2);
    for (const call of calls) {
      expect(call.args[0].input).to.deep.include({ ByCreatedAfter: created, MaxResults: 1000 });
    }
  });

  it("a PARTIAL copy is a failure named as such; a completed copy gives the destination's recovery point", async () => {
    backup.on(ListCopyJobsCommand).resolves({
      CopyJobs: [
        { CopyJobId: "c1", State: "PARTIAL", StatusMessage: "2 of 3 child jobs failed" },
        {
          CopyJobId: "c2",
          State: "COMPLETED",
          DestinationRecoveryPointArn: "arn:aws:backup:us-east-1:1:recovery-point:x",
        },
      ],
    });
    const jobs = await all(COPY_JOBS.list(new BackupClient({ region: "us-west-2" }), new Date(0)));
    expect(jobs.map((j) => [j.id, j.status, j.statusMessage, j.createdResourceArn])).to.deep.equal([
      ["c1", "FAILED", "PARTIAL: 2 of 3 child jobs failed", undefined],
      ["c2", "COMPLETED", undefined, "arn:aws:backup:us-east-1:1:recovery-point:x"],
    ]);
  });
});

describe("finding a job an interrupted process may have started (ListBackupJobs, ListCopyJobs)", () => {
  let backup: AwsClientStub<BackupClient>;
  beforeEach(() => (backup = mockClient(BackupClient)));
  afterEach(() => backup.restore());
  const at = (minute: number) => new Date(Date.parse("2026-04-12T09:00:00Z") + minute * 60_000);

  it("a backup: the resource's newest job since the intent, on any page, never an earlier attempt's", async () => {
    backup
      .on(ListBackupJobsCommand)
      .resolvesOnce({ BackupJobs: [{ BackupJobId: "old", CreationDate: at(1) }], NextToken: "1" })
      .resolvesOnce({
        BackupJobs: [
          { BackupJobId: "newest", CreationDate: at(3) },
          { BackupJobId: "retried-away", CreationDate: at(4) },
        ],
      });
    const client = new BackupClient({ region: "us-west-2" });
    expect(
      (await findBackupJob(client, "arn:aws:rds:us-west-2:1:db:x", "dr-vault", at(0), ["retried-away"]))?.id,
    ).to.equal("newest");
    expect(backup.commandCalls(ListBackupJobsCommand)[0].args[0].input).to.deep.include({
      ByResourceArn: "arn:aws:rds:us-west-2:1:db:x",
      ByBackupVaultName: "dr-vault",
      ByCreatedAfter: at(0),
    });
  });

  it("a copy: only a job of the same source recovery point; none found means start it", async () => {
    backup.on(ListCopyJobsCommand).resolves({
      CopyJobs: [
        { CopyJobId: "other", SourceRecoveryPointArn: "rp-other", CreationDate: at(2) },
        { CopyJobId: "mine", SourceRecoveryPointArn: "rp-mine", CreationDate: at(1) },
      ],
    });
    const client = new BackupClient({ region: "us-west-2" });
    expect((await findCopyJob(client, "rp-mine", at(0), []))?.id).to.equal("mine");
    expect(await findCopyJob(client, "rp-none", at(0), [])).to.equal(undefined);
  });
});
