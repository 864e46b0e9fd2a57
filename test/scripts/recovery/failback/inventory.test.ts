import { expect } from "chai";
import { PlannedRestore, RunJournal } from "../../../../scripts/recovery/core/journal";
import { prodDataConfig } from "../../../../scripts/recovery/failback/prodData";
import { FailbackJournal } from "../../../../scripts/recovery/failback/journal";
import { drillData, recoveredData } from "../../../../scripts/recovery/failback/resources";
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
    expect(data.buckets).to.deep.equal([]);
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

/**
 * The second built-in example (docs/examples/service): two databases, three tables, a file system and two
 * buckets, both replicated into the DR region. Every one fails back: each bucket paired with its own prod
 * bucket (by the replica the dr stack names), the rest restored.
 */
describe("dr failback of the service example: two databases, three tables, a file system, two buckets", () => {
  const ACCOUNT = "111122223333";
  const restores: [string, PlannedRestore["resourceType"], string, string][] = [
    ["orders-db", "RDS", `arn:aws:rds:us-east-1:${ACCOUNT}:db:orders-db`, "dr-run-orders-db"],
    ["billing-db", "RDS", `arn:aws:rds:us-east-1:${ACCOUNT}:db:billing-db`, "dr-run-billing-db"],
    ["orders", "DynamoDB", `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders`, "dr-run-Orders"],
    ["users", "DynamoDB", `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Users`, "dr-run-Users"],
    ["events", "DynamoDB", `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Events`, "dr-run-Events"],
    [
      "shared",
      "EFS",
      `arn:aws:elasticfilesystem:us-east-1:${ACCOUNT}:file-system/fs-0shared`,
      "fs-0restored",
    ],
  ];
  const created = (type: string, id: string) =>
    ({
      RDS: `arn:aws:rds:us-west-2:${ACCOUNT}:db:${id}`,
      DynamoDB: `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/${id}`,
      EFS: `arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/${id}`,
    })[type] as string;
  const recovery = (): RunJournal => {
    const base = recoveryJournal();
    const plan = restores.map(([, type, arn, id], i): PlannedRestore => ({
      ...base.plan[0],
      recoveryPointArn: `rp-${i}`,
      resourceArn: arn,
      resourceType: type,
      resourceName: arn.split(/[:/]/).pop() as string,
      targetName: id,
    }));
    const first = base.jobs[base.plan[0].recoveryPointArn];
    return {
      ...base,
      plan,
      jobs: Object.fromEntries(
        plan.map((p, i) => [
          p.recoveryPointArn,
          {
            ...first,
            recoveryPointArn: p.recoveryPointArn,
            resourceId: restores[i][3],
            createdResourceArn: created(restores[i][1], restores[i][3]),
          },
        ]),
      ),
    };
  };
  const outputs = parseDrOutputs({
    ...DR_OUTPUTS,
    replicaBuckets: { uploads: "uploads-replica-us-west-2", assets: "assets-replica-us-west-2" },
  });
  const restoredData = (buckets: string[]) => ({
    "dr-app:restoredData": JSON.stringify({
      ...Object.fromEntries(
        restores.map(([name, type, , id]) => [
          name,
          { kind: type === "RDS" ? "rds" : type === "EFS" ? "efs" : "dynamodb", id },
        ]),
      ),
      ...Object.fromEntries(buckets.map((b) => [b, { kind: "s3", id: `${b}-replica-us-west-2` }])),
    }),
  });

  it("pairs each of the two buckets with its own prod bucket; both databases, the three tables and the file system fail back", () => {
    const data = recoveredData(
      recovery(),
      "recover.json",
      restoredData(["uploads", "assets"]),
      outputs,
      "dr",
    );
    expect(data.resources.map((r) => `${r.resourceType} ${r.sourceName} -> ${r.dataName}`)).to.deep.equal([
      "RDS orders-db -> orders-db",
      "RDS billing-db -> billing-db",
      "DynamoDB Orders -> orders",
      "DynamoDB Users -> users",
      "DynamoDB Events -> events",
      "EFS fs-0shared -> shared",
    ]);
    expect(data.buckets).to.deep.equal([
      { drBucket: "uploads-replica-us-west-2", sourceBucket: "uploads" },
      { drBucket: "assets-replica-us-west-2", sourceBucket: "assets" },
    ]);
  });

  it("pairs a bucket the recovery restored from its backup with the prod bucket it was backed up from", () => {
    const base = recovery();
    const first = base.jobs[base.plan[0].recoveryPointArn];
    const journal: RunJournal = {
      ...base,
      plan: [
        ...base.plan,
        {
          ...base.plan[0],
          recoveryPointArn: "rp-exports",
          resourceArn: "arn:aws:s3:::exports",
          resourceType: "S3",
          resourceName: "exports",
        },
      ],
      jobs: {
        ...base.jobs,
        "rp-exports": {
          ...first,
          recoveryPointArn: "rp-exports",
          resourceId: "dr-run-exports",
          createdResourceArn: "arn:aws:s3:::dr-run-exports",
        },
      },
    };
    const config = JSON.parse(restoredData(["uploads"])["dr-app:restoredData"]) as Record<string, unknown>;
    config.exports = { kind: "s3", id: "dr-run-exports" };
    const data = recoveredData(
      journal,
      "recover.json",
      { "dr-app:restoredData": JSON.stringify(config) },
      outputs,
      "dr",
    );
    expect(data.buckets).to.deep.equal([
      { drBucket: "uploads-replica-us-west-2", sourceBucket: "uploads" },
      { drBucket: "dr-run-exports", sourceBucket: "exports" },
    ]);
    // The restored bucket comes back by object copy, not by a restore in the primary region.
    expect(data.resources.map((r) => r.resourceType)).to.not.include("S3");
  });

  it("refuses two logical names on one DR bucket, and two DR buckets going back into one prod bucket", () => {
    const twice = JSON.parse(restoredData(["uploads"])["dr-app:restoredData"]) as Record<string, unknown>;
    twice.media = { kind: "s3", id: "uploads-replica-us-west-2" };
    expect(() =>
      recoveredData(
        recovery(),
        "recover.json",
        { "dr-app:restoredData": JSON.stringify(twice) },
        outputs,
        "dr",
      ),
    ).to.throw(
      "dr stack 'dr' config dr-app:restoredData 'uploads' (uploads-replica-us-west-2) and 'media' (uploads-replica-us-west-2) both go back to DR bucket 'uploads-replica-us-west-2': a failback copies each DR bucket back into its own prod bucket; correct dr-app:restoredData so each bucket appears once",
    );
    const oneProd = parseDrOutputs({
      ...DR_OUTPUTS,
      replicaBuckets: { uploads: "uploads-replica-us-west-2" },
    });
    const base = recovery();
    const journal: RunJournal = {
      ...base,
      plan: [
        ...base.plan,
        {
          ...base.plan[0],
          recoveryPointArn: "rp-uploads",
          resourceArn: "arn:aws:s3:::uploads",
          resourceType: "S3",
          resourceName: "uploads",
        },
      ],
      jobs: {
        ...base.jobs,
        "rp-uploads": {
          ...base.jobs[base.plan[0].recoveryPointArn],
          recoveryPointArn: "rp-uploads",
          resourceId: "dr-run-uploads",
          createdResourceArn: "arn:aws:s3:::dr-run-uploads",
        },
      },
    };
    const both = JSON.parse(restoredData(["uploads"])["dr-app:restoredData"]) as Record<string, unknown>;
    both.restored = { kind: "s3", id: "dr-run-uploads" };
    expect(() =>
      recoveredData(journal, "recover.json", { "dr-app:restoredData": JSON.stringify(both) }, oneProd, "dr"),
    ).to.throw(
      "dr stack 'dr' config dr-app:restoredData 'uploads' (uploads-replica-us-west-2) and 'restored' (dr-run-uploads) both go back to prod bucket 'uploads': a failback copies each DR bucket back into its own prod bucket",
    );
  });

  it("a failback drill counts the objects of both replica buckets, each against its own prod bucket", () => {
    const data = drillData([], outputs);
    expect(data.buckets).to.deep.equal([
      { drBucket: "uploads-replica-us-west-2", sourceBucket: "uploads" },
      { drBucket: "assets-replica-us-west-2", sourceBucket: "assets" },
    ]);
  });
});
