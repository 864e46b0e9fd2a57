import { expect } from "chai";
import { PlannedRestore, RunJournal } from "../../../../scripts/recovery/core/journal";
import { prodDataConfig } from "../../../../scripts/recovery/failback/prodData";
import { FailbackJournal } from "../../../../scripts/recovery/failback/journal";
import { recoveredData } from "../../../../scripts/recovery/failback/resources";
import { DR_OUTPUTS } from "../../../../scripts/simulation/fixtures";
import { parseDrOutputs } from "../../../../scripts/recovery/core/stackHandle";
import { RESTORED, recoveryJournal } from "../../../fakes/failbackFixture";
import { restoredDataOf } from "../../../fakes/fakeStack";

/** The fixture's recovery with a second database restored beside the first. */
function withSecondDatabase(): RunJournal {
  const journal = recoveryJournal();
  const [db] = journal.plan;
  const point = `${db.recoveryPointArn}-billing`;
  const billing: PlannedRestore = {
    ...db,
    recoveryPointArn: point,
    resourceArn: db.resourceArn.replace(/app-db$/, "billing-db"),
    resourceName: "billing-db",
  };
  const id = RESTORED.db.replace(/app-db$/, "billing-db");
  return {
    ...journal,
    plan: [...journal.plan, billing],
    jobs: {
      ...journal.jobs,
      [point]: {
        ...journal.jobs[db.recoveryPointArn],
        recoveryPointArn: point,
        resourceId: id,
        createdResourceArn: `arn:aws:rds:us-west-2:111122223333:db:${id}`,
      },
    },
  };
}

describe("dr failback with a data inventory of two databases (issue 23)", () => {
  const drConfig = {
    "dr-app:restoredData": JSON.stringify({
      "orders-db": { kind: "rds", id: RESTORED.db },
      "billing-db": { kind: "rds", id: RESTORED.db.replace(/app-db$/, "billing-db") },
      orders: { kind: "dynamodb", id: RESTORED.table },
    }),
  };

  it("names each restored resource by the logical name the dr stack's restoredData gives it", () => {
    const data = recoveredData(
      withSecondDatabase(),
      "recover.json",
      drConfig,
      parseDrOutputs(DR_OUTPUTS),
      "dr",
    );
    expect(data.resources.map((r) => `${r.sourceName} ${r.dataName ?? "-"}`)).to.deep.equal([
      "app-db orders-db",
      "Orders orders",
      "vol-0data -",
      "billing-db billing-db",
    ]);
    expect(data.bucket).to.equal(undefined);
  });

  it("sets prod's restoredData with both databases' failed-back copies under their names", () => {
    const recovered = recoveredData(
      withSecondDatabase(),
      "recover.json",
      drConfig,
      parseDrOutputs(DR_OUTPUTS),
      "dr",
    );
    const resources = recovered.resources.map((r) => ({ ...r, targetName: `fb-run-${r.sourceName}` }));
    const plan = resources.map((r, i): PlannedRestore => ({
      recoveryPointArn: `rp-${i}`,
      resourceArn: r.sourceArn,
      resourceType: r.resourceType,
      resourceName: r.sourceName,
      recoveryPointCreatedAt: "",
      targetName: r.targetName,
      iamRoleArn: "",
      metadata: {},
      notes: [],
    }));
    const jobs = Object.fromEntries(
      plan.map((p) => [
        p.recoveryPointArn,
        {
          recoveryPointArn: p.recoveryPointArn,
          attempt: 1,
          idempotencyToken: "t",
          intentAt: "",
          status: "COMPLETED" as const,
          resourceId: p.targetName,
        },
      ]),
    );
    const journal = { plan, jobs, failback: { resources } } as unknown as FailbackJournal;
    const data = restoredDataOf(prodDataConfig(journal));
    expect(data).to.deep.equal({
      "orders-db": { kind: "rds", id: "fb-run-app-db" },
      orders: { kind: "dynamodb", id: "fb-run-Orders" },
      "billing-db": { kind: "rds", id: "fb-run-billing-db" },
    });
  });
});
