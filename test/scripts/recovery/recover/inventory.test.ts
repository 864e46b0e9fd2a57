import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { DeleteBucketCommand, ListObjectVersionsCommand } from "@aws-sdk/client-s3";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { DataInventoryEntry, DataKind } from "../../../../stacks/drContract";
import { RunReport } from "../../../../scripts/recovery/core/report";
import { resourceArn } from "../../../../scripts/simulation/resourceStore";
import { SimPoint, simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { awsError } from "../../../fakes/sdkBackup";
import { restoredDataOf } from "../../../fakes/fakeStack";
import { Harness, HarnessOptions } from "../../../fakes/harness";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;
const RUN = "20260412t090000a7";

/** The second built-in example's data: two PostgreSQL databases, three tables, a file system, two buckets. */
const SERVICE: readonly [string, DataKind, string, string][] = [
  ["orders-db", "rds", "RDS", "orders-db"],
  ["billing-db", "rds", "RDS", "billing-db"],
  ["orders", "dynamodb", "DynamoDB", "Orders"],
  ["users", "dynamodb", "DynamoDB", "Users"],
  ["events", "dynamodb", "DynamoDB", "Events"],
  ["shared", "efs", "EFS", "fs-0shared"],
  ["uploads", "s3", "S3", "uploads"],
  ["assets", "s3", "S3", "assets"],
];

const INVENTORY: DataInventoryEntry[] = SERVICE.map(([name, kind, type, id]) => ({
  name,
  kind,
  sourceId: id,
  sourceArn: resourceArn(type, "us-east-1", id),
}));

/** One recovery point per inventoried resource, the table `Events` restoring slowest; `failing` fails. */
function vault(failing?: string): SimPoint[] {
  return SERVICE.map(([, , type, id]) =>
    simPoint(type, id, NOW, 30 * MIN, {
      restoreMs: (id === "Events" ? 40 : 20) * MIN,
      ...(id === failing && { outcome: "FAILED" as const, failureMessage: "Access denied to the KMS key" }),
    }),
  );
}

describe("dr recover and dr drill with a data inventory of several of each kind (issue 23)", () => {
  let h: Harness;
  const make = (options: Partial<HarnessOptions> = {}) => {
    h = new Harness({
      points: vault(),
      stack: { upMs: [MIN, MIN], outputs: { dataInventory: INVENTORY } },
      health: [200],
      ...options,
    });
    return h;
  };
  afterEach(() => h?.dispose());

  const report = (kind = "recover"): RunReport =>
    JSON.parse(fs.readFileSync(path.join(h.reportDir, `${kind}-${RUN}.json`), "utf8"));

  it("recover maps every point to its entry by source ARN, needs no --app-resource, and wires all eight", async () => {
    make();
    const code = await h.run(["recover", "--yes"]);
    expect(code, h.stderr.text).to.equal(0);
    const data = restoredDataOf(h.stack.config);
    expect(Object.keys(data)).to.deep.equal(INVENTORY.map((e) => e.name));
    expect(data["orders-db"]).to.deep.include({ kind: "rds", id: `dr-${RUN}-orders-db` });
    expect(data["billing-db"]).to.deep.include({ kind: "rds", id: `dr-${RUN}-billing-db` });
    expect(data["billing-db"].endpoint).to.match(new RegExp(`^dr-${RUN}-billing-db\\..*:5432$`));
    expect(["orders", "users", "events"].map((n) => data[n].id)).to.deep.equal([
      `dr-${RUN}-Orders`,
      `dr-${RUN}-Users`,
      `dr-${RUN}-Events`,
    ]);
    expect(data.shared.kind).to.equal("efs");
    expect(data.shared.id).to.match(/^fs-/);
    expect(data.uploads).to.deep.include({ kind: "s3", id: `dr-${RUN}-uploads` });
    expect(data.assets).to.deep.include({ kind: "s3", id: `dr-${RUN}-assets` });
    // Set once, when the slowest restore it names (Events, 40 min) is done; the old keys removed with it.
    const set = h.stack.calls.filter((c) => c.op === "setConfig");
    expect(set.map((c) => Object.keys(c.args as object))).to.deep.equal([
      ["dr-app:mode"],
      ["dr-app:restoredData"],
    ]);
    expect(set[1].at - NOW).to.be.at.least(40 * MIN);
    const r = report();
    expect(r.outcome).to.equal("success");
    expect(r.dataNotWired).to.deep.equal([]);
  });

  it("a failed table restore: the others are wired, the table is not, the run is PARTIAL and names it", async () => {
    make({ points: vault("Users") });
    expect(await h.run(["recover", "--yes"])).to.equal(1);
    const data = restoredDataOf(h.stack.config);
    expect(Object.keys(data)).to.not.include("users");
    expect(Object.keys(data)).to.have.length(7);
    const r = report();
    expect(r.outcome).to.equal("partial");
    expect(r.dataNotWired).to.deep.equal([
      { name: "users", kind: "dynamodb", reason: "restore FAILED: Access denied to the KMS key" },
    ]);
    expect(h.stdout.text).to.contain(
      "  NOT WIRED users (dynamodb): restore FAILED: Access denied to the KMS key",
    );
    expect(h.stderr.text).to.contain("data inventory 'users' (dynamodb) not wired: restore FAILED");
    expect(fs.readFileSync(path.join(h.reportDir, `recover-${RUN}.md`), "utf8")).to.contain(
      "| users | dynamodb | restore FAILED: Access denied to the KMS key |",
    );
  });

  it("a restore that completed but whose resource is gone is not wired: the application is never pointed at it", async () => {
    make();
    // The table is gone when the flip checks it (deleted by someone else after its restore completed).
    h.dynamodb.on(DescribeTableCommand).callsFake(async (input: { TableName: string }) => {
      if (input.TableName.endsWith("-Orders")) {
        throw awsError(
          "ResourceNotFoundException",
          `Requested resource not found: Table: ${input.TableName} not found`,
        );
      }
      return { Table: { TableName: input.TableName, TableStatus: "ACTIVE" } };
    });
    expect(await h.run(["recover", "--yes"])).to.equal(1);
    expect(Object.keys(restoredDataOf(h.stack.config))).to.not.include("orders");
    expect(report().dataNotWired?.[0]).to.deep.include({ name: "orders", kind: "dynamodb" });
    expect(report().dataNotWired?.[0].reason).to.match(
      /^restored but not usable: DynamoDB dr-\S+-Orders: .*not found/,
    );
  });

  it("an entry with no recovery point is listed as not wired, a bucket without one takes its replica", async () => {
    make({
      points: vault().filter(
        (p) => !p.resourceArn.endsWith("billing-db") && !p.resourceArn.endsWith(":::assets"),
      ),
      stack: {
        upMs: [MIN, MIN],
        outputs: { dataInventory: INVENTORY, replicaBuckets: { assets: "assets-replica-us-west-2" } },
      },
    });
    expect(await h.run(["recover", "--yes"])).to.equal(1);
    const data = restoredDataOf(h.stack.config);
    expect(data.assets).to.deep.equal({ kind: "s3", id: "assets-replica-us-west-2" });
    expect(report().dataNotWired).to.deep.equal([
      {
        name: "billing-db",
        kind: "rds",
        reason: `no recovery point of ${resourceArn("RDS", "us-east-1", "billing-db")} to restore`,
      },
    ]);
  });

  it("--dry-run lists the eight entries with no ambiguity to resolve", async () => {
    make();
    expect(await h.run(["recover", "--dry-run"])).to.equal(0);
    expect(h.stderr.text).to.not.contain("a real run would refuse");
    for (const entry of INVENTORY) {
      expect(h.stdout.text).to.contain(`"${entry.name}":{"kind":"${entry.kind}"`);
    }
  });

  it("drill --flip wires the drill's copies of all eight, then puts the config back and deletes them", async () => {
    make();
    // The drill's empty copies of the buckets, deleted at its end.
    h.s3.on(ListObjectVersionsCommand).resolves({ IsTruncated: false });
    h.s3.on(DeleteBucketCommand).resolves({});
    expect(await h.run(["drill", "--yes", "--flip"]), h.stderr.text).to.equal(0);
    const flipped = h.stack.calls.find(
      (c) => c.op === "setConfig" && (c.args as Record<string, string>)["dr-app:restoredData"],
    );
    const data = restoredDataOf(flipped?.args as Record<string, string>);
    expect(Object.keys(data)).to.deep.equal(INVENTORY.map((e) => e.name));
    expect(data["orders-db"].id).to.equal(`drill-${RUN}-orders-db`);
    expect(h.stack.config["dr-app:restoredData"]).to.equal(undefined);
    expect(report("drill").jobs.every((j) => j.deletion?.ok)).to.equal(true);
  });
});
