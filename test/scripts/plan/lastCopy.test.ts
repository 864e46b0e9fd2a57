// "Who can destroy the last copy": the isolated column is AWS's answer; the others go to an IAM evaluator.
import { expect } from "chai";
import {
  AuthorizationRequest,
  COPIES,
  destroyTable,
  DestroyTableArgs,
  PolicyEvaluator,
  productionPrincipals,
  renderDestroyTable,
} from "../../../scripts/plan/lastCopy";
import { MOCK_ACCOUNT } from "../../helpers/mockEngine";
import { evaluateStack } from "../../stacks/fixtures";

const BREAK_GLASS = `arn:aws:iam::${MOCK_ACCOUNT}:role/BreakGlass`;

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
    resourceArns: {
      "primary vault": outputs.primaryVaultArn as string,
      "DR vault": outputs.drVaultArn as string,
      "isolated vault": (outputs.isolatedVaultArn as string | undefined) ?? "none",
      "replica bucket": (outputs.replicaBucketArns as string[])[0],
    },
    keyArns: {
      "primary vault": `arn:aws:kms:us-east-1:${MOCK_ACCOUNT}:key/app-primary-key`,
      "DR vault": outputs.drKeyArn as string,
    },
    isolated: outputs.isolatedVaultArn !== undefined,
    ...(evaluator && { evaluator }),
  };
  return destroyTable(registrations, args);
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

describe("plan: who can destroy the last copy", () => {
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

  it("says the other columns are not measured while no IAM evaluator is installed, never guessing", async () => {
    const rows = await prodTable();
    const others = rows.flatMap((row) =>
      COPIES.filter((copy) => copy !== "isolated vault").flatMap((copy) =>
        row.cells[copy] ? [row.cells[copy]] : [],
      ),
    );
    expect(others.length).to.be.greaterThan(0);
    expect(new Set(others.map((cell) => cell!.answer))).to.deep.equal(new Set(["not measured"]));
    const text = renderDestroyTable(rows).join("\n");
    expect(text).to.contain("no IAM policy evaluator is installed (@cloud-copilot/iam-simulate)");
  });

  it("has no isolated column when isolation is off", async () => {
    const rows = await prodTable(undefined, { isolation: "false" });
    expect(rows.every((row) => row.cells["isolated vault"] === undefined)).to.equal(true);
    expect(renderDestroyTable(rows)[1]).to.not.contain("ISOLATED");
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
    const deleteVersion = requests.find((r) => r.action === "s3:DeleteObjectVersion")!;
    expect(deleteVersion.resourceArn).to.match(/^arn:aws:s3:::app-replica-0/);
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
