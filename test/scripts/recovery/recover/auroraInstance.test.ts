// Recover with an Aurora cluster in the inventory: the health check waits for the DB instance the stack adds.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { DataInventoryEntry } from "../../../../stacks/drContract";
import { RunReport } from "../../../../scripts/recovery/core/report";
import { resourceArn } from "../../../../scripts/simulation/resourceStore";
import { simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { restoredDataOf } from "../../../fakes/fakeStack";
import { Harness } from "../../../fakes/harness";
import { FakeDrStack } from "../../../fakes/fakeStack";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;
const RUN = "20260412t090000a7";

const INVENTORY: DataInventoryEntry[] = [
  {
    name: "reports",
    kind: "aurora",
    sourceId: "reports",
    sourceArn: resourceArn("Aurora", "us-east-1", "reports"),
  },
];

describe("recover of an Aurora cluster: usable only once the stack's DB instance of it is available (review C1)", () => {
  let h: Harness;
  afterEach(() => h?.dispose());

  /** The harness; `instanceAfterMs`: the dr stack's update adds an instance to the restored cluster, available that much later. */
  const make = (instanceAfterMs?: number) => {
    h = new Harness({
      points: [simPoint("Aurora", "reports", NOW, 30 * MIN, { restoreMs: 20 * MIN })],
      stack: {
        upMs: [MIN],
        outputs: { dataInventory: INVENTORY },
        onUp: (stack: FakeDrStack) => {
          const cluster = restoredDataOf(stack.config).reports?.id;
          if (cluster && instanceAfterMs !== undefined) {
            h.sim.model.store.add({
              type: "RDS",
              id: `${cluster}-instance-1`,
              region: "us-west-2",
              metadata: { DBClusterIdentifier: cluster, Engine: "aurora-postgresql" },
              availableAt: h.clock.now() + instanceAfterMs,
            });
          }
        },
      },
      health: [200],
    });
  };
  const report = (): RunReport =>
    JSON.parse(fs.readFileSync(path.join(h.reportDir, `recover-${RUN}.json`), "utf8"));

  it("waits for the instance (DescribeDBInstances filter db-cluster-id) before the health check calls it done", async () => {
    make(5 * MIN);
    const code = await h.run(["recover", "--yes"]);
    expect(code, h.stderr.text).to.equal(0);
    const cluster = restoredDataOf(h.stack.config).reports.id;
    expect(h.stdout.text).to.contain(
      `waiting for a DB instance: DB cluster ${cluster}: instance ${cluster}-instance-1 is creating`,
    );
    expect(h.stdout.text).to.contain(
      `DB cluster ${cluster}: instance ${cluster}-instance-1 is available: usable`,
    );
    expect(report().outcome).to.equal("success");
  });

  it("a cluster that never gets an instance is not healthy, and the run says why", async () => {
    make(undefined);
    const code = await h.run(["recover", "--yes", "--health-timeout", "600"]);
    expect(code).to.not.equal(0);
    const cluster = restoredDataOf(h.stack.config).reports.id;
    expect(h.stderr.text).to.contain(
      `NOT healthy: no available DB instance: DB cluster ${cluster} has no DB instance yet (the stack adds one to each restored Aurora cluster)`,
    );
  });
});
