import { expect } from "chai";
import { copies, lastRevertSucceeded, undeletedCopies } from "../../../../scripts/recovery/core/cleanup";
import { FlipRecord, JobRecord, PlannedRestore, RunJournal } from "../../../../scripts/recovery/core/journal";

const AT = "2026-04-12T09:00:00.000Z";

function plan(name: string): PlannedRestore {
  return {
    recoveryPointArn: `arn:rp:${name}`,
    resourceArn: `arn:res:${name}`,
    resourceType: "DynamoDB",
    resourceName: name,
    recoveryPointCreatedAt: AT,
    iamRoleArn: "arn:aws:iam::123456789012:role/restore",
    metadata: {},
    notes: [],
  };
}

function journal(flips: FlipRecord[], jobs: Partial<JobRecord>[] = []): RunJournal {
  const plans = jobs.map((_, i) => plan(`t${i}`));
  return {
    version: 1,
    kind: "drill",
    runId: "20260412t090000a7",
    startedAt: AT,
    state: "finished",
    stackName: "dr",
    region: "us-west-2",
    vaultName: "dr-vault",
    plan: plans,
    skipped: [],
    jobs: Object.fromEntries(
      jobs.map((j, i) => [
        plans[i].recoveryPointArn,
        {
          recoveryPointArn: plans[i].recoveryPointArn,
          attempt: 1,
          idempotencyToken: "t",
          intentAt: AT,
          ...j,
        } as JobRecord,
      ]),
    ),
    flips,
    resumedAt: [],
  };
}

const update = (phase: FlipRecord["phase"], ok: boolean): FlipRecord => ({
  phase,
  config: {},
  startedAt: AT,
  ok,
});

describe("cleanup: the drill's state from its journal, in order (review 6, 7)", () => {
  it("the stack is reverted only when the LAST update is a revert that succeeded", () => {
    expect(lastRevertSucceeded(journal([]))).to.equal(false);
    expect(lastRevertSucceeded(journal([update("infrastructure", true), update("revert", true)]))).to.equal(
      true,
    );
    expect(lastRevertSucceeded(journal([update("infrastructure", true), update("revert", false)]))).to.equal(
      false,
    );
    // Flipped again after an earlier revert: that revert no longer holds.
    expect(
      lastRevertSucceeded(
        journal([update("infrastructure", true), update("revert", true), update("infrastructure", true)]),
      ),
    ).to.equal(false);
  });

  it("undeleted copies: completed and not deleted, or a restore still under way; never a failed one", () => {
    const j = journal(
      [],
      [
        { status: "COMPLETED", restoreJobId: "j0", resourceId: "drill-x-t0" },
        {
          status: "COMPLETED",
          restoreJobId: "j1",
          resourceId: "drill-x-t1",
          deletion: { ok: true, detail: "", at: AT },
        },
        {
          status: "COMPLETED",
          restoreJobId: "j2",
          resourceId: "drill-x-t2",
          deletion: { ok: false, detail: "", at: AT },
        },
        { status: "RUNNING", restoreJobId: "j3" },
        { status: "FAILED", restoreJobId: "j4" },
        { status: "STARTING" },
      ],
    );
    expect(undeletedCopies(j).map((c) => c.label)).to.deep.equal([
      "DynamoDB drill-x-t0",
      "DynamoDB drill-x-t2",
      "DynamoDB t3 (restoring)",
      "DynamoDB t5 (restoring)",
    ]);
    expect([copies(1), copies(2)]).to.deep.equal(["1 copy", "2 copies"]);
  });
});
