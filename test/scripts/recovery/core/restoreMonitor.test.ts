import { BackupClient, DescribeRestoreJobCommand, ListRestoreJobsCommand } from "@aws-sdk/client-backup";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { JobSnapshot } from "../../../../scripts/recovery/core/restoreJobs";
import { RestoreJobMonitor } from "../../../../scripts/recovery/core/restoreMonitor";
import { awsError } from "../../../fakes/sdkBackup";
import { VirtualClock } from "../../../fakes/virtualClock";

const MIN = 60_000;

/** A restore job that runs linearly from `start` for `durationMs`, as ListRestoreJobs lists it. */
function job(
  id: string,
  start: number,
  durationMs: number,
  now: number,
  extra: Record<string, unknown> = {},
) {
  const elapsed = now - start;
  const base = { RestoreJobId: id, CreationDate: new Date(start), ...extra };
  if (elapsed >= durationMs) {
    return {
      ...base,
      Status: "COMPLETED",
      PercentDone: "100.00%",
      CompletionDate: new Date(start + durationMs),
    };
  }
  if (elapsed < durationMs * 0.1) {
    return { ...base, Status: "PENDING" };
  }
  return { ...base, Status: "RUNNING", PercentDone: `${((100 * elapsed) / durationMs).toFixed(2)}%` };
}

describe("restore job monitor: every job of a run followed with ListRestoreJobs", () => {
  // Created per suite: other suites mock the same client class and restore it when done.
  let backup: AwsClientStub<BackupClient>;
  const client = new BackupClient({ region: "us-west-2" });
  before(() => (backup = mockClient(BackupClient)));
  afterEach(() => backup.reset());
  after(() => backup.restore());

  it("one listing (all pages, created since the first start) answers for every job; no DescribeRestoreJob", async () => {
    const clock = new VirtualClock();
    const t0 = clock.now();
    const listed: Array<{ at: number; input: Record<string, unknown> }> = [];
    backup.on(ListRestoreJobsCommand).callsFake(async (input: { NextToken?: string }) => {
      listed.push({ at: clock.now() - t0, input: { ...input } });
      const now = clock.now();
      // Two pages, and a job of someone else's in between.
      return input.NextToken
        ? { RestoreJobs: [job("j3", t0 + 1_000, 4 * MIN, now)] }
        : {
            RestoreJobs: [
              job("j1", t0, 2 * MIN, now),
              job("other", t0, MIN, now),
              job("j2", t0, 3 * MIN, now),
            ],
            NextToken: "page-2",
          };
    });
    const monitor = new RestoreJobMonitor(client, { clock });
    const seen: Record<string, string[]> = { j1: [], j2: [], j3: [] };
    const note = (id: string) => (s: JobSnapshot) => seen[id].push(s.status);

    const finals = await Promise.all([
      monitor.follow("j1", t0, note("j1")),
      monitor.follow("j2", t0, note("j2")),
      monitor.follow("j3", t0 + 1_000, note("j3")),
    ]);

    expect(finals.map((f) => f.status)).to.deep.equal(["COMPLETED", "COMPLETED", "COMPLETED"]);
    expect(seen.j1[0]).to.equal("PENDING");
    expect(seen.j1).to.include("RUNNING");
    expect(backup.commandCalls(DescribeRestoreJobCommand)).to.have.length(0);
    expect(listed[0].input).to.deep.include({ ByCreatedAfter: new Date(t0 - 5 * MIN), MaxResults: 1000 });
    expect(listed[0].at).to.equal(2_000);
    // Each poll is one listing of both pages, for all three jobs (the cost is measured by bench:recover).
    expect(monitor.calls).to.equal(listed.length);
    expect(listed.map((l) => l.input.NextToken ?? "first")).to.deep.equal(
      Array.from({ length: listed.length }, (_, i) => (i % 2 === 0 ? "first" : "page-2")),
    );
  });

  it("polls right after the end a job's PercentDone progress predicts", async () => {
    const clock = new VirtualClock();
    const t0 = clock.now();
    const polls: number[] = [];
    backup.on(ListRestoreJobsCommand).callsFake(async () => {
      polls.push(clock.now() - t0);
      return { RestoreJobs: [job("j1", t0, 30 * MIN, clock.now())] };
    });
    const final = await new RestoreJobMonitor(client, { clock }).follow("j1", t0);
    expect(final.status).to.equal("COMPLETED");
    // Noticed within a second of the end; never more than 15 s between polls.
    expect(polls[polls.length - 1] - 30 * MIN).to.be.within(0, 1_050);
    const gaps = polls.slice(1).map((t, i) => t - polls[i]);
    expect(Math.max(...gaps)).to.be.at.most(15_000);
  });

  it("without progress, polls at AWS's ExpectedCompletionTimeMinutes", async () => {
    const clock = new VirtualClock();
    const t0 = clock.now();
    const polls: number[] = [];
    backup.on(ListRestoreJobsCommand).callsFake(async () => {
      const now = clock.now();
      polls.push(now - t0);
      const done = now - t0 >= 10 * MIN;
      return {
        RestoreJobs: [
          {
            RestoreJobId: "j1",
            CreationDate: new Date(t0),
            Status: done ? "COMPLETED" : "RUNNING",
            ExpectedCompletionTimeMinutes: 10,
          },
        ],
      };
    });
    await new RestoreJobMonitor(client, { clock }).follow("j1", t0);
    expect(polls[polls.length - 1] - 10 * MIN).to.be.within(0, 1_050);
  });

  it("reports FAILED with AWS's message; absorbs throttling", async () => {
    const clock = new VirtualClock();
    backup
      .on(ListRestoreJobsCommand)
      .rejectsOnce(awsError("ThrottlingException", "Rate exceeded"))
      .resolves({
        RestoreJobs: [{ RestoreJobId: "j1", Status: "FAILED", StatusMessage: "Access denied to KMS key" }],
      });
    const final = await new RestoreJobMonitor(client, { clock }).follow("j1", clock.now());
    expect(final).to.deep.include({ status: "FAILED", statusMessage: "Access denied to KMS key" });
  });

  it("an error that is not transient ends the wait of every job, with the call named", async () => {
    const clock = new VirtualClock();
    backup.on(ListRestoreJobsCommand).rejects(awsError("AccessDeniedException", "not authorized", 403));
    const monitor = new RestoreJobMonitor(client, { clock });
    const errors = await Promise.all(
      ["j1", "j2"].map((id) =>
        monitor.follow(id, clock.now()).then(
          () => undefined,
          (e: Error) => e.message,
        ),
      ),
    );
    expect(errors).to.deep.equal([
      "ListRestoreJobs: AccessDeniedException: not authorized",
      "ListRestoreJobs: AccessDeniedException: not authorized",
    ]);
  });

  it("a job the listings do not show is asked for with DescribeRestoreJob", async () => {
    const clock = new VirtualClock();
    backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [] });
    backup.on(DescribeRestoreJobCommand).resolves({ RestoreJobId: "j1", Status: "COMPLETED" });
    const final = await new RestoreJobMonitor(client, { clock }).follow("j1", clock.now());
    expect(final.status).to.equal("COMPLETED");
    expect(backup.commandCalls(ListRestoreJobsCommand)).to.have.length(3);
  });

  it("a job started while the monitor sleeps long gets its first poll within the initial delay", async () => {
    const clock = new VirtualClock();
    const t0 = clock.now();
    const polls: number[] = [];
    backup.on(ListRestoreJobsCommand).callsFake(async () => {
      polls.push(clock.now() - t0);
      return {
        RestoreJobs: [job("old", t0, 60 * MIN, clock.now()), job("new", t0 + 10 * MIN, MIN, clock.now())],
      };
    });
    const monitor = new RestoreJobMonitor(client, { clock });
    const old = monitor.follow("old", t0);
    await clock.sleep(10 * MIN);
    const added = clock.now() - t0;
    await monitor.follow("new", t0 + 10 * MIN);
    expect(polls.find((p) => p > added)).to.be.within(added, added + 2_000);
    await old;
  });

  it("stops waiting at once when interrupted", async () => {
    backup.on(ListRestoreJobsCommand).resolves({ RestoreJobs: [{ RestoreJobId: "j1", Status: "RUNNING" }] });
    const controller = new AbortController();
    const clock = new VirtualClock();
    const waiting = new RestoreJobMonitor(client, { clock, signal: controller.signal }).follow(
      "j1",
      clock.now(),
    );
    setImmediate(() => controller.abort());
    let error: Error | undefined;
    await waiting.catch((e: Error) => (error = e));
    expect(error?.name).to.equal("InterruptedError");
  });
});
