import { expect } from "chai";
import { diffFlip, outsideFlipScope } from "../../scripts/plan/flipChanges";
import { MOCK_ACCOUNT } from "../helpers/mockEngine";
import { evaluateConfig, evaluateStack, PROD_OUTPUTS, stackConfig, stackMockOutputsWith } from "./fixtures";

/** An inventory with an Aurora cluster beside the example's bucket. */
const DATA = JSON.stringify([
  {
    name: "reports",
    kind: "aurora",
    engine: "aurora-postgresql",
    instanceClass: "db.r6g.xlarge",
    instances: 2,
  },
  { name: "bucket", kind: "s3" },
]);

/** Prod's outputs for that inventory, as the dr stack's StackReference reads them. */
const PROD = {
  ...PROD_OUTPUTS,
  dataInventory: [
    {
      name: "reports",
      kind: "aurora",
      sourceArn: `arn:aws:rds:us-east-1:${MOCK_ACCOUNT}:cluster:app-reports-a1b2c3d`,
      sourceId: "app-reports-a1b2c3d",
    },
    PROD_OUTPUTS.dataInventory[3],
  ],
};

const RESTORED = JSON.stringify({
  reports: {
    kind: "aurora",
    id: "dr-20261123t093000a7-app-reports",
    endpoint: "dr-20261123t093000a7-app-reports.cluster-xyz.us-west-2.rds.amazonaws.com:5432",
  },
});

const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

describe("a restored Aurora cluster gets a DB instance (AWS Backup restores the cluster without one)", () => {
  it("dr: one instance of the entry's engine and class in the dr stack's DB subnet group, added by the flip alone (DR region)", async () => {
    const outputs = stackMockOutputsWith(PROD);
    const standby = await evaluateConfig(stackConfig("dr", { data: DATA }), "dr", outputs);
    const active = await evaluateConfig(
      stackConfig("dr", { data: DATA, mode: "active", restoredData: RESTORED }),
      "dr",
      outputs,
    );
    expect(standby.registrations.filter((r) => r.type === INSTANCE)).to.deep.equal([]);
    const instances = active.registrations.filter((r) => r.type === INSTANCE);
    expect(instances.map((r) => r.name)).to.deep.equal(["app-reports-restored-1"]);
    expect(instances[0].inputs).to.deep.include({
      region: "us-west-2",
      clusterIdentifier: "dr-20261123t093000a7-app-reports",
      engine: "aurora-postgresql",
      instanceClass: "db.r6g.xlarge",
      publiclyAccessible: false,
    });
    // The mock engine names a resource `<name>-a1b2c3d`: the stack's own subnet group (app-db-subnets).
    expect(instances[0].inputs.dbSubnetGroupName).to.equal("app-db-subnets-a1b2c3d");
    const changes = diffFlip(standby.registrations, active.registrations, "us-west-2");
    const added = changes.filter((c) => c.type === INSTANCE);
    expect(added.map((c) => `${c.kind} ${c.name} ${c.region}`)).to.deep.equal([
      "added app-reports-restored-1 us-west-2",
    ]);
    expect(outsideFlipScope(changes.filter((c) => !added.includes(c)))).to.deep.equal([]);
  });

  it("prod after a failback: an instance for the failed-back cluster, none for its own (which has its instances)", async () => {
    const failedBack = await evaluateStack("prod", {
      data: DATA,
      restoredData: JSON.stringify({ reports: { kind: "aurora", id: "fb-20261201t090000a7-app-reports" } }),
    });
    const instances = failedBack.registrations.filter((r) => r.type === INSTANCE);
    const rows = instances.map((r) => [r.name, r.inputs.clusterIdentifier, r.inputs.region]);
    expect(rows.sort(([a], [b]) => String(a).localeCompare(String(b)))).to.deep.equal([
      ["app-reports-1", "app-reports-id", "us-east-1"],
      ["app-reports-2", "app-reports-id", "us-east-1"],
      ["app-reports-restored-1", "fb-20261201t090000a7-app-reports", "us-east-1"],
    ]);
    const own = await evaluateStack("prod", { data: DATA });
    expect(own.registrations.filter((r) => r.type === INSTANCE).map((r) => r.name)).to.deep.equal([
      "app-reports-1",
      "app-reports-2",
    ]);
  });

  it("refuses a restored cluster the stack's data has no aurora entry for: the instance's class comes from it", async () => {
    const failure = await evaluateConfig(
      stackConfig("dr", {
        mode: "active",
        restoredData: JSON.stringify({ db: { kind: "aurora", id: "dr-20261123t093000a7-app-db" } }),
      }),
      "dr",
    ).then(
      () => "no error",
      (err: Error) => err.message,
    );
    expect(failure).to.contain(
      "Configuration 'dr-app:restoredData.db' value 'dr-20261123t093000a7-app-db' is a restored Aurora cluster, but dr-app:data holds no aurora entry named db",
    );
  });
});
