// The application's database credential after a restore: the simulation's Secrets Manager and RDS password resets, the credential step of recover and drill, and /health logging in.
import { restoredDataOf } from "../../../fakes/fakeStack";
import { GetSecretValueCommand, PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { DescribeDBInstancesCommand, ModifyDBInstanceCommand } from "@aws-sdk/client-rds";
import { expect } from "chai";
import { AwsClients, createAwsClients, destroyAwsClients } from "../../../../scripts/aws/clients";
import { awsErrorCode } from "../../../../scripts/aws/errors";
import { Output } from "../../../../scripts/output";
import { JobRecord, PlannedRestore } from "../../../../scripts/recovery/core/journal";
import {
  CredentialTarget,
  afterDatabaseRestore,
  credentialVersionId,
  generatePassword,
} from "../../../../scripts/recovery/resources/credential";
import { credentialTargets } from "../../../../scripts/recovery/core/credentialTarget";
import { applyEnvironment, rehearsalEnvironment } from "../../../../scripts/rehearsal/isolation";
import { FakeAws, startFakeAws } from "../../../../scripts/simulation/fakeAwsServer";
import { secretArn } from "../../../../scripts/simulation/secretsManager";
import { simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { Capture } from "../../../fakes/capture";
import { FAST_RECOVER, LocalDr, childEnv, localDr } from "../../../fakes/childDr";
import { PulumiStub } from "../../../fakes/pulumiStub";
import { VirtualClock } from "../../../fakes/virtualClock";

const DR = "us-west-2";
const DR_SECRET = secretArn(DR, "dr-app-dr-app-db-credential-0123");
const LIVE_DB = "dr-20261201t090000-app-db";
const NEW_DB = "dr-20261207t090000-app-db";
const DRILL_DB = "drill-20261207t090000-app-db";

async function expectAwsError(promise: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  try {
    await promise;
  } catch (err) {
    expect(awsErrorCode(err)).to.equal(code);
    if (message) expect((err as Error).message).to.match(message);
    return;
  }
  expect.fail(`expected ${code}`);
}

/** A completed restore of `id`, as the run's journal holds it. */
function restored(id: string): { plan: PlannedRestore; record: JobRecord } {
  return {
    plan: {
      recoveryPointArn: `arn:aws:backup:${DR}:111122223333:recovery-point:${id}`,
      resourceArn: "arn:aws:rds:us-east-1:111122223333:db:app-db",
      resourceType: "RDS",
      resourceName: "app-db",
      recoveryPointCreatedAt: "2026-04-12T08:00:00.000Z",
      targetName: id,
      iamRoleArn: "arn:aws:iam::111122223333:role/r",
      metadata: {},
      notes: [],
    },
    record: {
      recoveryPointArn: `arn:aws:backup:${DR}:111122223333:recovery-point:${id}`,
      attempt: 1,
      idempotencyToken: "t",
      intentAt: "2026-04-12T08:00:00.000Z",
      status: "COMPLETED",
      resourceId: id,
      endpoint: `${id}.c9akciq32.${DR}.rds.amazonaws.com:5432`,
    },
  };
}

describe("database credential in the DR region: simulation, credential step, login", function () {
  this.timeout(30_000);
  let fake: FakeAws;
  let clients: AwsClients;
  let restoreEnv: () => void;
  let clock: VirtualClock;
  let appDatabase: string | undefined;
  /** The simulation's credentialRegisterMs: how long RDS shows nothing of a reset. */
  let registerMs = 0;
  const capture = new Capture();

  beforeEach(async () => {
    clock = new VirtualClock();
    appDatabase = undefined;
    fake = await startFakeAws({
      points: [],
      clock,
      credentialResetMs: 60_000,
      credentialRegisterMs: registerMs,
      downRegion: "none",
      resources: [
        { type: "RDS", id: LIVE_DB, region: DR, state: { writes: 0, masterPassword: "live-dr-password" } },
        { type: "RDS", id: NEW_DB, region: DR, state: { writes: 0, masterPassword: "prods-old-password" } },
        { type: "RDS", id: DRILL_DB, region: DR, state: { writes: 0, masterPassword: "prods-old-password" } },
        ...["orders-db", "billing-db"].map((name) => ({
          type: "RDS" as const,
          id: `dr-20261207t090000-${name}`,
          region: DR,
          state: { writes: 0, masterPassword: "prods-old-password" },
        })),
        {
          type: "RDS",
          id: "managed-db",
          region: DR,
          metadata: { ManageMasterUserPassword: "true" },
          state: { writes: 0, masterPassword: "rds-managed" },
        },
      ],
      secrets: ["app-db", "orders-db", "billing-db"].map((n) => ({
        region: DR,
        name: `dr-app-dr-${n}-credential-0123`,
      })),
      appLogin: { region: DR, secretId: DR_SECRET, database: () => appDatabase },
    });
    restoreEnv = applyEnvironment(rehearsalEnvironment(fake.url, DR, "/nonexistent"));
    clients = createAwsClients({ region: DR, maxAttempts: 1 });
  });

  afterEach(async () => {
    destroyAwsClients(clients);
    restoreEnv();
    await fake.close();
  });

  const step = (
    plan: PlannedRestore,
    record: JobRecord,
    target: CredentialTarget,
    runId = "20261207t090000",
  ) =>
    afterDatabaseRestore(plan, record, {
      clients,
      clock,
      out: new Output(capture, capture, () => clock.now()),
      runId,
      save: () => undefined,
      pollMs: 15_000,
      credentials: [target],
    });

  describe("the simulation", () => {
    it("PutSecretValue labels a version AWSCURRENT by default; another label leaves AWSCURRENT where it is", async () => {
      const put = (token: string, value: string, stages?: string[]) =>
        clients.secretsManager.send(
          new PutSecretValueCommand({
            SecretId: DR_SECRET,
            ClientRequestToken: token.padEnd(32, "0"),
            SecretString: value,
            VersionStages: stages,
          }),
        );
      await expectAwsError(
        clients.secretsManager.send(new GetSecretValueCommand({ SecretId: DR_SECRET })),
        "ResourceNotFoundException",
        /staging label: AWSCURRENT/,
      );
      // The first version gets AWSCURRENT whatever was asked (API reference, PutSecretValue).
      await put("a", '{"password":"first"}', ["DRILL"]);
      expect(fake.secrets.value(DR, DR_SECRET)).to.equal('{"password":"first"}');
      await put("b", '{"password":"live"}');
      await put("c", '{"password":"drill"}', ["DRILL"]);
      expect(fake.secrets.value(DR, DR_SECRET)).to.equal('{"password":"live"}');
      expect(fake.secrets.value(DR, DR_SECRET, "DRILL")).to.equal('{"password":"drill"}');
      expect(fake.secrets.versions(DR, DR_SECRET).map((v) => v.stages)).to.deep.equal([
        ["AWSPREVIOUS"],
        ["AWSCURRENT"],
        ["DRILL"],
      ]);
      // The same token: the same value is ignored, another one refused.
      await put("b", '{"password":"live"}');
      await expectAwsError(put("b", '{"password":"other"}'), "ResourceExistsException");
      await expectAwsError(
        new (await import("@aws-sdk/client-secrets-manager")).SecretsManagerClient({
          region: "us-east-1",
        }).send(new GetSecretValueCommand({ SecretId: DR_SECRET })),
        "ResourceNotFoundException",
      );
    });

    it("ModifyDBInstance MasterUserPassword: resetting-master-credentials, then available with the new password", async () => {
      const status = async (id: string) =>
        (await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })))
          .DBInstances?.[0];
      await clients.rds.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: NEW_DB,
          MasterUserPassword: "N3wPassword",
          ApplyImmediately: true,
        }),
      );
      const during = await status(NEW_DB);
      expect(during?.DBInstanceStatus).to.equal("resetting-master-credentials");
      expect(during?.PendingModifiedValues?.MasterUserPassword).to.equal("****");
      expect(fake.resource(`arn:aws:rds:${DR}:111122223333:db:${NEW_DB}`)?.credential?.password).to.equal(
        "prods-old-password",
      );
      clock.advance(60_000);
      const after = await status(NEW_DB);
      expect(after?.DBInstanceStatus).to.equal("available");
      expect(after?.PendingModifiedValues?.MasterUserPassword).to.equal(undefined);
      expect(fake.resource(`arn:aws:rds:${DR}:111122223333:db:${NEW_DB}`)?.credential?.password).to.equal(
        "N3wPassword",
      );
    });

    it("refuses MasterUserPassword on an RDS-managed password unless management is turned off in the same call", async () => {
      await expectAwsError(
        clients.rds.send(
          new ModifyDBInstanceCommand({
            DBInstanceIdentifier: "managed-db",
            MasterUserPassword: "N3wPassword",
          }),
        ),
        "InvalidParameterCombination",
        /ManageMasterUserPassword=false/,
      );
      await expectAwsError(
        clients.rds.send(
          new ModifyDBInstanceCommand({ DBInstanceIdentifier: NEW_DB, MasterUserPassword: "bad/password" }),
        ),
        "InvalidParameterValue",
      );
      await clients.rds.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: "managed-db",
          MasterUserPassword: "N3wPassword",
          ManageMasterUserPassword: false,
        }),
      );
      const db = (
        await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "managed-db" }))
      ).DBInstances?.[0];
      expect(db?.MasterUserSecret).to.equal(undefined);
    });
  });

  describe("the credential step after a restore", () => {
    it("leaves the servers able to log in: before it the DR secret does not open the restored database (503), after it does", async () => {
      appDatabase = NEW_DB;
      expect(fake.loginProblem()).to.equal("the credential secret has no value");
      const health = async () => (await fetch(`${fake.url}/health`)).status;
      expect(await health()).to.equal(503);
      const { plan, record } = restored(NEW_DB);
      await step(plan, record, { secretArn: DR_SECRET, stage: "AWSCURRENT", databaseId: NEW_DB });
      expect(record.credential?.appliedAt).to.be.a("string");
      expect(fake.loginProblem()).to.equal(undefined);
      expect(await health()).to.equal(200);
      const value = JSON.parse(fake.secrets.value(DR, DR_SECRET) ?? "{}");
      expect(value).to.deep.include({
        username: "appadmin",
        engine: "postgres",
        port: 5432,
        dbInstanceIdentifier: NEW_DB,
      });
      expect(value.password).to.match(/^[A-Za-z0-9]{32}$/);
      expect(JSON.stringify(record)).to.not.contain(value.password);
    });

    it("answers 503 when the secret's password does not match the database's", async () => {
      appDatabase = NEW_DB;
      fake.secrets.add({ region: DR, name: "other", value: '{"password":"not-it"}' });
      const other = secretArn(DR, "other");
      const login = await startFakeAws({
        points: [],
        clock,
        resources: [
          { type: "RDS", id: NEW_DB, region: DR, state: { writes: 0, masterPassword: "prods-old-password" } },
        ],
        secrets: [{ region: DR, name: "other", value: '{"password":"not-it"}' }],
        appLogin: { region: DR, secretId: other, database: () => NEW_DB },
      });
      try {
        const res = await fetch(`${login.url}/health`);
        expect(res.status).to.equal(503);
        expect(await res.json()).to.deep.include({
          problems: ['database login: password authentication failed for user "appadmin"'],
        });
      } finally {
        await login.close();
      }
    });

    describe("when RDS shows the reset only after a first look (20 s)", () => {
      before(() => (registerMs = 20_000));
      after(() => (registerMs = 0));

      it("does not take the database `available` right after the call for done: it waits to see the reset pending, then applied", async () => {
        appDatabase = NEW_DB;
        const { plan, record } = restored(NEW_DB);
        const start = clock.now();
        await step(plan, record, { secretArn: DR_SECRET, stage: "AWSCURRENT", databaseId: NEW_DB });
        expect(record.credential?.appliedAt).to.be.a("string");
        expect(fake.loginProblem()).to.equal(undefined);
        // Registered at +20 s, applied 60 s later: the step saw it pending and waited for it.
        expect(clock.now() - start).to.be.at.least(80_000);
      });
    });

    it("does not rotate twice: a re-run of the same run reuses the password it put, in the same version", async () => {
      const { plan, record } = restored(NEW_DB);
      const target: CredentialTarget = { secretArn: DR_SECRET, stage: "AWSCURRENT", databaseId: NEW_DB };
      // The first process put the value, then died before RDS applied it.
      const versionId = credentialVersionId("20261207t090000", NEW_DB);
      await clients.secretsManager.send(
        new PutSecretValueCommand({
          SecretId: DR_SECRET,
          ClientRequestToken: versionId,
          SecretString: JSON.stringify({ username: "appadmin", password: "PutBeforeTheCrash1" }),
        }),
      );
      await step(plan, record, target);
      await step(plan, record, target);
      expect(fake.secrets.versions(DR, DR_SECRET).map((v) => v.versionId)).to.deep.equal([versionId]);
      expect(fake.resource(`arn:aws:rds:${DR}:111122223333:db:${NEW_DB}`)?.credential?.password).to.equal(
        "PutBeforeTheCrash1",
      );
      const modifies = fake.requests.filter((r) => r.operation === "ModifyDBInstance");
      expect(modifies).to.have.length(1);
    });

    it("a drill does not touch the live DR's credential: its password goes under DRILL, AWSCURRENT still opens the live database", async () => {
      appDatabase = LIVE_DB;
      await clients.secretsManager.send(
        new PutSecretValueCommand({
          SecretId: DR_SECRET,
          ClientRequestToken: "live".padEnd(32, "0"),
          SecretString: JSON.stringify({ username: "appadmin", password: "live-dr-password" }),
        }),
      );
      expect(fake.loginProblem()).to.equal(undefined);
      const { plan, record } = restored(DRILL_DB);
      await step(plan, record, { secretArn: DR_SECRET, stage: "DRILL", databaseId: DRILL_DB });
      expect(record.credential?.appliedAt).to.be.a("string");
      expect(fake.loginProblem()).to.equal(undefined);
      expect(JSON.parse(fake.secrets.value(DR, DR_SECRET) ?? "{}").password).to.equal("live-dr-password");
      const drill = JSON.parse(fake.secrets.value(DR, DR_SECRET, "DRILL") ?? "{}");
      expect(fake.resource(`arn:aws:rds:${DR}:111122223333:db:${DRILL_DB}`)?.credential?.password).to.equal(
        drill.password,
      );
    });

    it("leaves every other restore alone: only the application's database gets a credential", async () => {
      const { plan, record } = restored(NEW_DB);
      await step(plan, record, { secretArn: DR_SECRET, stage: "AWSCURRENT", databaseId: "some-other-db" });
      expect(record.credential).to.equal(undefined);
      expect(fake.requests.filter((r) => r.service === "secretsmanager")).to.deep.equal([]);
    });

    describe("two databases in the inventory (the service example's orders-db and billing-db)", () => {
      const ORDERS_SECRET = secretArn(DR, "dr-app-dr-orders-db-credential-0123");
      const BILLING_SECRET = secretArn(DR, "dr-app-dr-billing-db-credential-0123");
      const inventory = ["orders-db", "billing-db"].map((name) => ({
        name,
        kind: "rds" as const,
        sourceId: name,
        sourceArn: `arn:aws:rds:us-east-1:111122223333:db:${name}`,
      }));
      /** The completed restore of the inventory's `name` as `dr-<run>-<name>`, resting in the simulation. */
      const restoredEntry = (name: string) => {
        const { plan, record } = restored(`dr-20261207t090000-${name}`);
        return {
          plan: {
            ...plan,
            resourceArn: inventory.find((e) => e.name === name)!.sourceArn,
            resourceName: name,
          },
          record,
        };
      };
      const targets = (outputs: Record<string, unknown>, plan: PlannedRestore[]) =>
        credentialTargets(
          "recover",
          false,
          plan,
          [],
          { dataInventory: inventory, ...outputs } as never,
          out(),
        );
      const out = () => new Output(capture, capture, () => clock.now());

      it("resets each database's master password into its own secret of dbCredentialSecretArns", async () => {
        const orders = restoredEntry("orders-db");
        const billing = restoredEntry("billing-db");
        const credentials = targets(
          {
            dbCredentialSecretArn: ORDERS_SECRET,
            dbCredentialSecretArns: { "orders-db": ORDERS_SECRET, "billing-db": BILLING_SECRET },
          },
          [orders.plan, billing.plan],
        );
        expect(credentials).to.deep.equal([
          { secretArn: ORDERS_SECRET, stage: "AWSCURRENT", databaseId: orders.plan.targetName },
          { secretArn: BILLING_SECRET, stage: "AWSCURRENT", databaseId: billing.plan.targetName },
        ]);
        for (const { plan, record } of [orders, billing]) {
          await afterDatabaseRestore(plan, record, {
            clients,
            clock,
            out: out(),
            runId: "20261207t090000",
            save: () => undefined,
            pollMs: 15_000,
            credentials,
          });
          expect(record.credential?.appliedAt, record.credential?.message).to.be.a("string");
        }
        for (const [{ plan }, secret] of [
          [orders, ORDERS_SECRET],
          [billing, BILLING_SECRET],
        ] as const) {
          const value = JSON.parse(fake.secrets.value(DR, secret) ?? "{}");
          expect(value.dbInstanceIdentifier).to.equal(plan.targetName);
          expect(
            fake.resource(`arn:aws:rds:${DR}:111122223333:db:${plan.targetName}`)?.credential?.password,
          ).to.equal(value.password);
        }
        expect(fake.requests.filter((r) => r.operation === "ModifyDBInstance")).to.have.length(2);
      });

      it("a stack with only dbCredentialSecretArn: the first database gets it, the second is named in a warning", () => {
        const orders = restoredEntry("orders-db");
        const billing = restoredEntry("billing-db");
        capture.text = "";
        const credentials = targets({ dbCredentialSecretArn: DR_SECRET }, [orders.plan, billing.plan]);
        expect(credentials).to.deep.equal([
          { secretArn: DR_SECRET, stage: "AWSCURRENT", databaseId: orders.plan.targetName },
        ]);
        expect(capture.text).to.contain(
          `no credential secret for the database 'billing-db' (neither dbCredentialSecretArns['billing-db']): ${billing.plan.targetName} keeps its snapshot's password`,
        );
      });

      it("a drill without the flip labels each database's version DRILL", () => {
        const orders = restoredEntry("orders-db");
        const billing = restoredEntry("billing-db");
        const credentials = credentialTargets(
          "drill",
          false,
          [orders.plan, billing.plan],
          [],
          {
            dataInventory: inventory,
            dbCredentialSecretArns: { "orders-db": ORDERS_SECRET, "billing-db": BILLING_SECRET },
          } as never,
          out(),
        );
        expect(credentials.map((c) => c.stage)).to.deep.equal(["DRILL", "DRILL"]);
      });
    });

    it("records why, and does not throw, when the secret cannot be written", async () => {
      const { plan, record } = restored(NEW_DB);
      await step(plan, record, {
        secretArn: secretArn(DR, "missing"),
        stage: "AWSCURRENT",
        databaseId: NEW_DB,
      });
      expect(record.credential?.appliedAt).to.equal(undefined);
      expect(record.credential?.message).to.match(
        /ResourceNotFoundException|can't find the specified secret/,
      );
    });
  });

  it("generates 32 letters and digits, different each time", () => {
    const a = generatePassword();
    expect(a).to.match(/^[A-Za-z0-9]{32}$/);
    expect(generatePassword()).to.not.equal(a);
  });
});

describe("dr recover in a child process: the DR servers log in to the restored database with the DR secret", function () {
  this.timeout(60_000);
  let local: LocalDr;

  afterEach(() => local?.dispose());

  it("resets the restored database's password into the DR secret before the health check, which then logs in", async () => {
    const name = "dr-app-dr-app-db-credential-0123";
    // The dr stack's config, where the flip names the database the servers use: known once the stub exists.
    const started: { stub?: PulumiStub } = {};
    local = await localDr({
      points: [simPoint("RDS", "app-db", Date.now(), 30 * 60_000, { restoreMs: 1_500 })],
      secrets: [{ region: DR, name }],
      credentialResetMs: 1_000,
      appLogin: {
        region: DR,
        secretId: secretArn(DR, name),
        database: () => restoredDataOf(started.stub?.state().stacks.dr.config ?? {})["db"]?.id,
      },
    });
    started.stub = local.stub;
    local.stub.update((state) => {
      state.stacks.dr.outputs = { ...state.stacks.dr.outputs, dbCredentialSecretArn: secretArn(DR, name) };
    });
    const run = local.start(
      [...FAST_RECOVER, "--health-timeout", "20"],
      childEnv({ AWS_ENDPOINT_URL: local.fake.url }),
    );
    const code = await run.exit;
    expect(code, `${run.stdout()}\n${run.stderr()}`).to.equal(0);
    expect(local.fake.loginProblem()).to.equal(undefined);
    const operations = local.fake.requests.map((r) => r.operation);
    // The last ModifyDBInstance is the password's (the windows are set first, by the protection step).
    expect(operations.indexOf("PutSecretValue")).to.be.lessThan(operations.lastIndexOf("ModifyDBInstance"));
    expect(
      local.fake.requests.filter((r) => r.service === "secretsmanager").every((r) => r.region === DR),
    ).to.equal(true);
  });
});
