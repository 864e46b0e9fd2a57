// dr recover after a failed restore: the next step fits AWS's message, and the advised retry works.
import { restoredDataOf } from "../../../fakes/fakeStack";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { RunReport } from "../../../../scripts/recovery/core/report";
import { SimPoint, simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { Harness } from "../../../fakes/harness";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;
const RUN = "20260412t090000a7";
const KEY = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** A vault whose DynamoDB restore fails with `message`, and gets past it on `failsUntil`. */
function vault(message: string, failsUntil?: SimPoint["failsUntil"]): SimPoint[] {
  return [
    simPoint("RDS", "production-db", NOW, 50 * MIN, { restoreMs: 35 * MIN }),
    simPoint("DynamoDB", "Orders", NOW, 40 * MIN, {
      restoreMs: 18 * MIN,
      outcome: "FAILED",
      failureMessage: message,
      ...(failsUntil ? { failsUntil } : {}),
    }),
    simPoint("S3", "app-data", NOW, 55 * MIN, { restoreMs: 30 * MIN }),
  ];
}

describe("dr recover: the next step after a failed restore fits the failure (finding 5)", () => {
  let h: Harness;
  afterEach(() => h?.dispose());

  const report = (): RunReport =>
    JSON.parse(fs.readFileSync(path.join(h.reportDir, `recover-${RUN}.json`), "utf8"));

  it("a KMS CreateGrant denial advises the key policy fix, not --retry-failed alone", async () => {
    const message = `User: arn:aws:sts::111122223333:assumed-role/backup-role/AWSBackup is not authorized to perform: kms:CreateGrant on resource: ${KEY} because no resource-based policy allows the kms:CreateGrant action`;
    h = new Harness({ points: vault(message) });
    expect(await h.run(["recover", "--yes"])).to.equal(1);

    const notes = report().notes.filter((n) => n.startsWith("next"));
    expect(notes).to.have.length(1);
    expect(notes[0]).to.match(
      new RegExp(
        `^next for DynamoDB Orders \\(permissions\\): fix the key first, a retry with the same role and key fails the same way: allow the restore role \\S+ kms:CreateGrant, kms:Decrypt, kms:DescribeKey and kms:GenerateDataKey\\* in the key policy of ${KEY}; then 'dr recover --retry-failed'$`,
      ),
    );
    expect(h.stdout.text).to.contain(`  note: ${notes[0]}`);
    expect(h.stdout.text).not.to.contain("restores only the 1 failed restore(s)");
  });

  it("\"Table already exists\" on this run's name advises deleting this run's earlier copy and the same name; a retry under another name still completes and points the stack at it", async () => {
    h = new Harness({ points: vault("Table already exists", "new-metadata") });
    expect(await h.run(["recover", "--yes"])).to.equal(1);
    const table = `dr-${RUN}-Orders`;
    expect(report().notes).to.include(
      `next for DynamoDB Orders (name-conflict): a resource named ${table} already exists and carries this run's prefix dr-${RUN}-: it is this run's own earlier attempt at this restore (a new name would leave it behind, still billed); check it first (DynamoDB ${table} in the DR region), delete it, then 'dr recover --retry-failed' restores it again under the same name`,
    );

    // A retry under the same name, the existing table left in place, fails the same way.
    expect(await h.run(["recover", "--yes", "--retry-failed"])).to.equal(1);
    // Another name, chosen by the operator, completes it.
    expect(
      await h.run([
        "recover",
        "--retry-failed",
        "--metadata",
        `dynamodb.targetTableName=${table}-2`,
        "--yes",
      ]),
    ).to.equal(0);
    expect(h.stdout.text).to.contain(
      `retrying the failed restores of recover run ${RUN} with --metadata; what completed is kept`,
    );
    expect(restoredDataOf(h.stack.config)["table"]?.id).to.equal(`${table}-2`);
    const job = report().jobs.find((j) => j.resourceType === "DynamoDB");
    expect(job).to.deep.include({ status: "COMPLETED", targetName: `${table}-2` });
  });

  describe("--metadata for one resource (review finding 2)", () => {
    /** Two tables whose restores fail on a name conflict, each got past by its own new name. */
    const twoTables = (): SimPoint[] => [
      ...vault("Table already exists", "new-metadata"),
      simPoint("DynamoDB", "Users", NOW, 40 * MIN, {
        restoreMs: 18 * MIN,
        outcome: "FAILED",
        failureMessage: "Table already exists",
        failsUntil: "new-metadata",
      }),
    ];

    it("a name key given per type while two failed restores of the type would take it is refused before anything starts, naming the field, the value and the resources", async () => {
      h = new Harness({ points: twoTables() });
      expect(await h.run(["recover", "--yes", "--app-resource", "Orders"])).to.equal(1);
      const jobs = h.sim.model.restores.list("us-west-2").length;
      expect(
        await h.run([
          "recover",
          "--retry-failed",
          "--metadata",
          "dynamodb.targetTableName=orders-new",
          "--yes",
        ]),
      ).to.equal(2);
      expect(h.stderr.text).to.contain(
        "error: --metadata 'dynamodb.targetTableName=orders-new': targetTableName 'orders-new' would name 2 failed DynamoDB restores alike (Orders, Users); give each its own: --metadata 'dynamodb[Orders].targetTableName=<name>' --metadata 'dynamodb[Users].targetTableName=<name>'",
      );
      expect(h.sim.model.restores.list("us-west-2")).to.have.length(jobs);
    });

    it("the advice prints the scoped form; each scoped name goes to its own restore only, and the stack points at the app's", async () => {
      h = new Harness({ points: twoTables() });
      expect(await h.run(["recover", "--yes", "--app-resource", "Orders"])).to.equal(1);
      expect(h.stdout.text).to.not.match(/--metadata dynamodb\.targetTableName/);
      const table = `dr-${RUN}-Orders`;
      expect(
        await h.run([
          "recover",
          "--retry-failed",
          "--metadata",
          `dynamodb[Orders].targetTableName=${table}-2`,
          "--metadata",
          `dynamodb[Users].targetTableName=dr-${RUN}-Users-2`,
          "--app-resource",
          "Orders",
          "--yes",
        ]),
        h.stderr.text,
      ).to.equal(0);
      expect(restoredDataOf(h.stack.config)["table"]?.id).to.equal(`${table}-2`);
      const jobs = report().jobs.filter((j) => j.resourceType === "DynamoDB");
      expect(jobs.map((j) => j.targetName).sort()).to.deep.equal([`${table}-2`, `dr-${RUN}-Users-2`]);
    });

    it("two restores given one name are refused, naming the name and both resources", async () => {
      h = new Harness({ points: twoTables() });
      expect(await h.run(["recover", "--yes", "--app-resource", "Orders"])).to.equal(1);
      expect(
        await h.run([
          "recover",
          "--retry-failed",
          "--metadata",
          "dynamodb[Orders].targetTableName=same",
          "--metadata",
          "dynamodb[Users].targetTableName=same",
          "--yes",
        ]),
      ).to.equal(2);
      expect(h.stderr.text).to.contain(
        "error: 2 restores would be named same: DynamoDB Orders, DynamoDB Users; give each its own name (--metadata <type>[<source name>].<key>=<name>)",
      );
    });

    it("a scope that names no failed restore is refused", async () => {
      h = new Harness({ points: twoTables() });
      expect(await h.run(["recover", "--yes", "--app-resource", "Orders"])).to.equal(1);
      expect(
        await h.run(["recover", "--retry-failed", "--metadata", "dynamodb[Nope].targetTableName=x", "--yes"]),
      ).to.equal(2);
      expect(h.stderr.text).to.contain(
        "error: --metadata 'dynamodb[Nope].targetTableName=x': 'Nope' names no failed restore of DynamoDB (Orders, Users)",
      );
    });
  });

  it("the simulation: a name conflict retried with another key than the name fails the same way; the name gets past it (review finding 10)", async () => {
    h = new Harness({ points: vault("Table already exists", "new-metadata") });
    expect(await h.run(["recover", "--yes"])).to.equal(1);
    expect(
      await h.run([
        "recover",
        "--retry-failed",
        "--metadata",
        "dynamodb[Orders].encryptionType=KMS",
        "--yes",
      ]),
    ).to.equal(1);
    expect(report().jobs.find((j) => j.resourceType === "DynamoDB")).to.deep.include({ status: "FAILED" });
    expect(
      await h.run([
        "recover",
        "--retry-failed",
        "--metadata",
        `dynamodb[Orders].targetTableName=dr-${RUN}-Orders-2`,
        "--yes",
      ]),
    ).to.equal(0);
  });

  it("a transient failure advises --retry-failed, which completes it", async () => {
    h = new Harness({ points: vault("Rate exceeded", "retry") });
    expect(await h.run(["recover", "--yes"])).to.equal(1);
    expect(report().notes).to.include(
      "next for DynamoDB Orders (transient): a transient failure on AWS's side: 'dr recover --retry-failed' starts a new restore of it and keeps what completed",
    );
    expect(await h.run(["recover", "--yes", "--retry-failed"])).to.equal(0);
  });
});
