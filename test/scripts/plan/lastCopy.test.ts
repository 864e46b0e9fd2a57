// "Who can destroy the last copy": the isolated column is AWS's answer; the others measured by iam-simulate.
import { expect } from "chai";
import { evaluatePlan } from "../../../scripts/plan/evaluate";
import { iamSimulateEvaluator } from "../../../scripts/plan/iamSimulate";
import {
  AuthorizationRequest,
  COPIES,
  Copy,
  DESTRUCTIVE_ACTIONS,
  destroyTable,
  DestroyTableArgs,
  PolicyEvaluator,
  productionPrincipals,
  renderDestroyTable,
} from "../../../scripts/plan/lastCopy";
import { copyArns, measuredDestroyTable } from "../../../scripts/plan/measuredDestroy";
import { MOCK_ACCOUNT } from "../../helpers/mockEngine";
import { evaluateStack, PROJECT_DIR } from "../../stacks/fixtures";

const BREAK_GLASS = `arn:aws:iam::${MOCK_ACCOUNT}:role/BreakGlass`;
const LIBRARY = "@cloud-copilot/iam-simulate 0.1.173";

/** The prod stack on the mock engine, where the generated policies are resolved (ARNs from the mocks). */
async function prodTable(evaluator?: PolicyEvaluator, overrides: Record<string, string> = {}) {
  const { registrations, outputs } = await evaluateStack("prod", {
    breakGlassPrincipalArns: JSON.stringify([BREAK_GLASS]),
    ...overrides,
  });
  const args: DestroyTableArgs = {
    accountId: MOCK_ACCOUNT,
    principals: productionPrincipals(registrations, {
      accountId: MOCK_ACCOUNT,
      deployerPrincipalArns: [],
      breakGlassPrincipalArns: [BREAK_GLASS],
    }),
    ...copyArns(registrations),
    isolated: outputs.isolatedVaultArn !== undefined,
    ...(evaluator && { evaluator }),
  };
  return destroyTable(registrations, args);
}

/** The measured table of the prod stack's config with `overrides`, on the tests' mock engine. */
async function measured(overrides: Record<string, string> = {}, breakGlass: string[] = []) {
  const { registrations, outputs } = await evaluateStack("prod", overrides);
  return measuredDestroyTable(
    registrations,
    { deployerPrincipalArns: [], breakGlassPrincipalArns: breakGlass },
    outputs.isolatedVaultArn !== undefined,
  );
}

/** Records every request and answers with `answer`: stands in for the library to check what it is asked. */
function recordingEvaluator(answer: (request: AuthorizationRequest) => "Allowed" | "ExplicitlyDenied") {
  const requests: AuthorizationRequest[] = [];
  const evaluator: PolicyEvaluator = {
    name: "recording evaluator",
    evaluate: async (request) => {
      requests.push(request);
      return answer(request);
    },
  };
  return { evaluator, requests };
}

/**
 * One principal's expected cells, one letter per action in DESTRUCTIVE_ACTIONS order: D explicit deny, I no
 * allow, A allowed; vault actions read for the primary and the DR vault (the isolated vault is AWS's "no"),
 * bucket actions for the replica.
 */
type Expected = Readonly<Record<string, { readonly vault: string; readonly bucket: string }>>;

const CELL: Readonly<Record<string, { answer: string; why: string }>> = {
  D: { answer: "no", why: `${LIBRARY}: explicit deny` },
  I: { answer: "no", why: `${LIBRARY}: no allow` },
  A: { answer: "yes", why: `${LIBRARY}: allowed` },
};

/** The whole expected table, cell by cell, from {@link Expected}. */
function expectedRows(expected: Expected, isolated: boolean) {
  return Object.entries(expected).flatMap(([principal, letters]) => [
    ...DESTRUCTIVE_ACTIONS.vault.map((action, i) => ({
      principal,
      action,
      cells: {
        "primary vault": CELL[letters.vault[i]],
        "DR vault": CELL[letters.vault[i]],
        "isolated vault": isolated
          ? {
              answer: "no",
              why: 'AWS enforces it: compliance lock and an AWS-owned key (AWS Backup developer guide, "Logically air-gapped vault")',
            }
          : undefined,
        "replica bucket": undefined,
      },
    })),
    ...DESTRUCTIVE_ACTIONS.bucket.map((action, i) => ({
      principal,
      action,
      cells: {
        "primary vault": undefined,
        "DR vault": undefined,
        "isolated vault": undefined,
        "replica bucket": CELL[letters.bucket[i]],
      },
    })),
  ]);
}

/** Drops the undefined cells, as a deep comparison of the rows would not. */
function defined(rows: readonly { principal: string; action: string; cells: Record<Copy, unknown> }[]) {
  return rows.map((row) => ({
    ...row,
    cells: Object.fromEntries(Object.entries(row.cells).filter(([, cell]) => cell !== undefined)),
  }));
}

// Vault actions: DeleteRecoveryPoint, UpdateRecoveryPointLifecycle, DeleteBackupVault,
// PutBackupVaultAccessPolicy, DeleteBackupVaultAccessPolicy, DeleteBackupVaultLockConfiguration,
// ScheduleKeyDeletion, DisableKey, PutKeyPolicy. Bucket actions: DeleteObjectVersion,
// PutLifecycleConfiguration, PutBucketVersioning, PutBucketPolicy, DeleteBucket.
/** The default prod stack: no break-glass named, so kms:PutKeyPolicy is left to IAM (keyPolicy.ts). */
const DEFAULT_PROD: Expected = {
  "account admin": { vault: "DDDAADDDA", bucket: "AAAAA" },
  deployer: { vault: "DDDAADDDA", bucket: "AAAAA" },
  "backup service role": { vault: "DDDIIDDDI", bucket: "IIIII" },
  "servers' role": { vault: "DDDIIDDDI", bucket: "IIIII" },
  "break-glass (none configured)": { vault: "DDDAADDDA", bucket: "AAAAA" },
};

describe("plan: who can destroy the last copy", () => {
  it("is measured cell by cell by iam-simulate for the default prod stack: the exact table", async function () {
    this.timeout(60_000);
    const table = await measured();
    expect(defined(table.rows)).to.deep.equal(defined(expectedRows(DEFAULT_PROD, true)));
    expect(table.measured).to.contain(`${LIBRARY} on the policies this program generates`);
  });

  it("with break-glass named: only break-glass may destroy or re-policy a key or lift a vault's deny", async function () {
    this.timeout(60_000);
    const table = await measured({ breakGlassPrincipalArns: JSON.stringify([BREAK_GLASS]) }, [BREAK_GLASS]);
    const withBreakGlass: Expected = {
      "account admin": { vault: "DDDAADDDD", bucket: "AAAAA" },
      deployer: { vault: "DDDAADDDD", bucket: "AAAAA" },
      "backup service role": { vault: "DDDIIDDDD", bucket: "IIIII" },
      "servers' role": { vault: "DDDIIDDDD", bucket: "IIIII" },
      "break-glass": { vault: "AAAAAAAAA", bucket: "AAAAA" },
    };
    expect(defined(table.rows)).to.deep.equal(defined(expectedRows(withBreakGlass, true)));
  });

  it("`dr plan --stack prod` shows the same measured table, and says what it measured", async function () {
    this.timeout(120_000);
    const plan = await evaluatePlan({ projectDir: PROJECT_DIR, stack: "prod" });
    expect(plan.diagnostics.filter((d) => d.severity === "error")).to.deep.equal([]);
    expect(defined(plan.lastCopy!.rows)).to.deep.equal(defined(expectedRows(DEFAULT_PROD, true)));
    const text = renderDestroyTable(plan.lastCopy!).join("\n");
    expect(text).to.contain(
      `Measured: ${LIBRARY} on the policies this program generates, run offline with placeholder names and ARNs in account ${MOCK_ACCOUNT}`,
    );
    expect(text).to.contain("not evaluated: the backup service role's AWS managed policies");
    const source =
      'AWS Backup copies a resource type it does not fully manage into a logically air-gapped vault only when the source is encrypted with a customer managed key (AWS Backup developer guide, "Logically air-gapped vault", Compatible encryption; "Full AWS Backup management")';
    expect(plan.lastCopy!.notIsolated).to.deep.equal([
      `db (rds): AWS managed key aws/rds; ${source}`,
      `volume (ebs): AWS managed key aws/ebs; ${source}`,
    ]);
    expect(text).to.contain(`  Not in the isolated vault: db (rds): AWS managed key aws/rds; ${source}`);
    const withKey = await evaluatePlan({
      projectDir: PROJECT_DIR,
      stack: "prod",
      configOverrides: { customerManagedDataKey: "true" },
    });
    expect(withKey.lastCopy!.notIsolated).to.equal(undefined);
  });

  it("reads 'no' in the isolated vault's column for every principal and vault action, with AWS's source", async () => {
    const rows = await prodTable();
    const vaultRows = rows.filter((row) => row.cells["isolated vault"] !== undefined);
    expect(new Set(vaultRows.map((row) => row.principal))).to.have.keys(
      "account admin",
      "deployer",
      "backup service role",
      "servers' role",
      "break-glass",
    );
    expect(vaultRows).to.have.length(5 * 9);
    for (const row of vaultRows) {
      expect(row.cells["isolated vault"], `${row.principal} ${row.action}`).to.deep.include({ answer: "no" });
      expect(row.cells["isolated vault"]!.why).to.contain('"Logically air-gapped vault"');
    }
  });

  it("says the other columns are not measured without an evaluator, never guessing", async () => {
    const rows = await prodTable();
    const others = rows.flatMap((row) =>
      COPIES.filter((copy) => copy !== "isolated vault").flatMap((copy) =>
        row.cells[copy] ? [row.cells[copy]] : [],
      ),
    );
    expect(others.length).to.be.greaterThan(0);
    expect(new Set(others.map((cell) => cell!.answer))).to.deep.equal(new Set(["not measured"]));
    const text = renderDestroyTable({ rows, measured: "nothing" }).join("\n");
    expect(text).to.contain("no IAM policy evaluator is installed (@cloud-copilot/iam-simulate)");
  });

  it("has no isolated column when isolation is off", async () => {
    const rows = await prodTable(undefined, { isolation: "false" });
    expect(rows.every((row) => row.cells["isolated vault"] === undefined)).to.equal(true);
    expect(renderDestroyTable({ rows, measured: "nothing" })[1]).to.not.contain("ISOLATED");
  });

  it("asks the evaluator with the generated resource policy of each action's resource: vault policy, key policy, bucket policy", async () => {
    const { evaluator, requests } = recordingEvaluator((request) =>
      request.principalArn === BREAK_GLASS ? "Allowed" : "ExplicitlyDenied",
    );
    const rows = await prodTable(evaluator);
    const ask = (action: string, principal: string) =>
      requests.find(
        (r) => r.action === action && r.principalArn === principal && r.resourceArn.includes("us-west-2"),
      )!;
    const schedule = ask("kms:ScheduleKeyDeletion", BREAK_GLASS);
    expect(JSON.stringify(schedule.resourcePolicy)).to.contain("DenyKeyDestruction");
    expect(schedule.resourceArn).to.match(/^arn:aws:kms:us-west-2:/);
    const deletePoint = ask("backup:DeleteRecoveryPoint", BREAK_GLASS);
    expect(JSON.stringify(deletePoint.resourcePolicy)).to.contain("DenyRecoveryPointDeletion");
    expect(deletePoint.resourceArn).to.equal(
      `arn:aws:backup:us-west-2:${MOCK_ACCOUNT}:recovery-point:any-recovery-point`,
    );
    const deleteVersion = requests.find((r) => r.action === "s3:DeleteObjectVersion")!;
    expect(deleteVersion.resourceArn).to.match(/^arn:aws:s3:::app-replica-0-\d+\/any-object$/);
    expect(
      requests.some((r) => r.resourceArn.includes("isolated")),
      "the isolated vault is AWS's answer",
    ).to.equal(false);
    const breakGlassRow = rows.find((r) => r.principal === "break-glass" && r.action === "kms:DisableKey")!;
    expect(breakGlassRow.cells["DR vault"]).to.deep.equal({
      answer: "yes",
      why: "recording evaluator: allowed",
    });
    const adminRow = rows.find((r) => r.principal === "account admin" && r.action === "kms:DisableKey")!;
    expect(adminRow.cells["DR vault"]).to.deep.equal({
      answer: "no",
      why: "recording evaluator: explicit deny",
    });
  });
});

describe("plan: the iam-simulate evaluator", () => {
  const request = (overrides: Partial<AuthorizationRequest>): AuthorizationRequest => ({
    principalArn: `arn:aws:iam::${MOCK_ACCOUNT}:role/someone`,
    action: "kms:DisableKey",
    resourceArn: `arn:aws:kms:us-west-2:${MOCK_ACCOUNT}:key/k`,
    accountId: MOCK_ACCOUNT,
    identityPolicies: [],
    ...overrides,
  });
  const allowAll = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

  it("answers allowed, explicit deny and no allow as IAM's evaluation logic does", async () => {
    const evaluator = iamSimulateEvaluator();
    expect(evaluator.name).to.equal(LIBRARY);
    const onBucket = { action: "s3:DeleteBucket", resourceArn: "arn:aws:s3:::bucket" };
    expect(await evaluator.evaluate(request({ ...onBucket, identityPolicies: [allowAll] }))).to.equal(
      "Allowed",
    );
    expect(await evaluator.evaluate(request(onBucket))).to.equal("ImplicitlyDenied");
    const deny = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:DeleteBucket", Resource: "*" }],
    };
    expect(
      await evaluator.evaluate(request({ ...onBucket, identityPolicies: [allowAll], resourcePolicy: deny })),
    ).to.equal("ExplicitlyDenied");
    // KMS: an identity policy counts only when the key policy lets IAM grant access (KMS developer guide,
    // "Default key policy"): without a key policy, administrator rights do not reach the key.
    expect(await evaluator.evaluate(request({ identityPolicies: [allowAll] }))).to.equal("ImplicitlyDenied");
  });

  it("refuses to answer what the library cannot evaluate, naming the request and the library's message", async () => {
    const evaluator = iamSimulateEvaluator();
    let error: Error | undefined;
    try {
      await evaluator.evaluate(
        request({ action: "s3:DeleteObjectVersion", resourceArn: "arn:aws:s3:::bucket" }),
      );
    } catch (err) {
      error = err as Error;
    }
    expect(error?.message).to.equal(
      `iam-simulate could not evaluate s3:DeleteObjectVersion by arn:aws:iam::${MOCK_ACCOUNT}:role/someone on arn:aws:s3:::bucket: no.resource.types`,
    );
  });
});
