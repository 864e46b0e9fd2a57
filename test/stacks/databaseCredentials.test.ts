import { expect } from "chai";
import { diffFlip } from "../../scripts/plan/flipChanges";
import { MOCK_ACCOUNT } from "../helpers/mockEngine";
import {
  evaluateConfig,
  evaluateStack,
  inputsOf,
  PROD_OUTPUTS,
  stackConfig,
  stackMockOutputsWith,
  userDataOf,
} from "./fixtures";

/** Two databases and the example's bucket. */
const DATA = JSON.stringify([
  { name: "orders-db", kind: "rds", dbName: "orders" },
  { name: "users-db", kind: "rds", dbName: "users" },
  { name: "bucket", kind: "s3" },
]);

const PROD = {
  ...PROD_OUTPUTS,
  dataInventory: [
    {
      name: "orders-db",
      kind: "rds",
      sourceArn: `arn:aws:rds:us-east-1:${MOCK_ACCOUNT}:db:app-orders-db-a1b2c3d`,
      sourceId: "app-orders-db-a1b2c3d",
    },
    {
      name: "users-db",
      kind: "rds",
      sourceArn: `arn:aws:rds:us-east-1:${MOCK_ACCOUNT}:db:app-users-db-a1b2c3d`,
      sourceId: "app-users-db-a1b2c3d",
    },
    PROD_OUTPUTS.dataInventory[3],
  ],
};

const SECRET = "aws:secretsmanager/secret:Secret";

describe("one credential secret per database, in the stack's region, created in standby", () => {
  it("dr: a secret per database, each told to the servers by APP_DATA_<NAME>_SECRET_ID and granted, exported by logical name; a flip changes none", async () => {
    const outputs = stackMockOutputsWith(PROD);
    const standby = await evaluateConfig(stackConfig("dr", { data: DATA }), "dr", outputs);
    const active = await evaluateConfig(
      stackConfig("dr", {
        data: DATA,
        mode: "active",
        restoredData: JSON.stringify({
          "users-db": {
            kind: "rds",
            id: "dr-20261123t093000a7-app-users-db",
            endpoint: "dr-20261123t093000a7-app-users-db.xyz.us-west-2.rds.amazonaws.com:5432",
          },
        }),
      }),
      "dr",
      outputs,
    );
    const secrets = standby.registrations.filter((r) => r.type === SECRET);
    expect(secrets.map((r) => [r.name, r.inputs.name, r.inputs.region])).to.deep.equal([
      ["app-db-credential", "dr-app-dr-app-db-credential", "us-west-2"],
      ["app-users-db-db-credential", "dr-app-dr-app-users-db-db-credential", "us-west-2"],
    ]);
    for (const stack of [standby, active]) {
      const userData = userDataOf(
        inputsOf(stack.registrations, "aws:ec2/launchTemplate:LaunchTemplate", "app-launch-template"),
      );
      expect(userData).to.contain("\nAPP_DATA_ORDERS_DB_SECRET_ID=dr-app-dr-app-db-credential\n");
      expect(userData).to.contain("\nAPP_DATA_USERS_DB_SECRET_ID=dr-app-dr-app-users-db-db-credential\n");
    }
    const policy = JSON.parse(
      inputsOf(standby.registrations, "aws:iam/rolePolicy:RolePolicy", "app-instance-data").policy as string,
    ) as { Statement: { Sid: string; Resource: unknown }[] };
    expect(policy.Statement.find((s) => s.Sid === "ReadDbCredential")?.Resource).to.deep.equal(
      ["app-db-credential", "app-users-db-db-credential"].map(
        (id) => `arn:aws:secretsmanager:us-west-2:${MOCK_ACCOUNT}:${id}`,
      ),
    );
    expect(standby.outputs.dbCredentialSecretArns).to.deep.equal({
      "orders-db": standby.outputs.dbCredentialSecretArn,
      "users-db": `arn:aws:secretsmanager:us-west-2:${MOCK_ACCOUNT}:app-users-db-db-credential`,
    });
    const changed = diffFlip(standby.registrations, active.registrations, "us-west-2").map((c) => c.type);
    expect(changed).not.to.include(SECRET);
    expect(changed).not.to.include("aws:iam/rolePolicy:RolePolicy");
  });

  it("prod: each database's failed-back secret, told to the servers once restoredData names its fb- copy", async () => {
    const own = await evaluateStack("prod", { data: DATA });
    expect(own.registrations.filter((r) => r.type === SECRET).map((r) => r.name)).to.deep.equal([
      "app-db-credential",
      "app-users-db-db-credential",
    ]);
    const ownUserData = userDataOf(
      inputsOf(own.registrations, "aws:ec2/launchTemplate:LaunchTemplate", "app-launch-template"),
    );
    expect(ownUserData).to.match(
      /\nAPP_DATA_USERS_DB_SECRET_ID=arn:aws:secretsmanager:us-east-1:\d+:secret:rds!db-/,
    );
    const failedBack = await evaluateStack("prod", {
      data: DATA,
      restoredData: JSON.stringify({
        "users-db": {
          kind: "rds",
          id: "fb-20261201t090000a7-app-users-db",
          endpoint: "fb-20261201t090000a7-app-users-db.abc.us-east-1.rds.amazonaws.com:5432",
        },
      }),
    });
    const userData = userDataOf(
      inputsOf(failedBack.registrations, "aws:ec2/launchTemplate:LaunchTemplate", "app-launch-template"),
    );
    expect(userData).to.contain("\nAPP_DATA_USERS_DB_SECRET_ID=dr-app-prod-app-users-db-db-credential\n");
    expect(userData).to.match(
      /\nAPP_DATA_ORDERS_DB_SECRET_ID=arn:aws:secretsmanager:us-east-1:\d+:secret:rds!db-/,
    );
    expect(Object.keys(failedBack.outputs.dbCredentialSecretArns as object)).to.deep.equal([
      "orders-db",
      "users-db",
    ]);
  });
});
