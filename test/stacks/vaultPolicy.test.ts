// The prod stack's vault access policies: the same whoever deploys, exempting the configured deployers.
import { expect } from "chai";
import { identityInvoke, MOCK_ACCOUNT, ofType, Registration } from "../helpers/mockEngine";
import { evaluateStack } from "./fixtures";

const POLICY_TYPE = "aws:backup/vaultPolicy:VaultPolicy";
const CI_ROLE = `arn:aws:iam::${MOCK_ACCOUNT}:role/ci/github-deployer`;
const OPERATOR_ROLE = `arn:aws:iam::${MOCK_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef`;

/** STS GetCallerIdentity answering as an assumed-role session of `roleArn`. */
function callerAs(roleArn: string) {
  const [, account, path] = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(roleArn)!;
  const roleName = path.split("/").pop();
  return (token: string, inputs: Record<string, unknown>) =>
    token === "aws:index/getCallerIdentity:getCallerIdentity"
      ? {
          accountId: account,
          arn: `arn:aws:sts::${account}:assumed-role/${roleName}/session`,
          userId: "AROA:x",
        }
      : token === "aws:iam/getSessionContext:getSessionContext"
        ? { ...identityInvoke(token, inputs), issuerArn: roleArn }
        : undefined;
}

/** The vault policies' inputs, by logical name. */
function policies(registrations: Registration[]): Record<string, unknown> {
  return Object.fromEntries(ofType(registrations, POLICY_TYPE).map((r) => [r.name, r.inputs]));
}

function statement(registrations: Registration[], name: string) {
  const found = ofType(registrations, POLICY_TYPE).find((r) => r.name === name);
  return JSON.parse(found!.inputs.policy).Statement[0];
}

describe("prod stack: vault access policies", () => {
  it("are the same whoever runs `pulumi up` (CI role, then an operator's SSO role)", async () => {
    const deployers = JSON.stringify([CI_ROLE, OPERATOR_ROLE]);
    for (const overrides of [{}, { deployerPrincipalArns: deployers }] as Record<string, string>[]) {
      const byCi = await evaluateStack("prod", overrides, "prod", callerAs(CI_ROLE));
      const byOperator = await evaluateStack("prod", overrides, "prod", callerAs(OPERATOR_ROLE));
      expect(Object.keys(policies(byCi.registrations))).to.have.members([
        "app-primary-vault-policy",
        "app-dr-vault-policy",
      ]);
      expect(policies(byOperator.registrations), JSON.stringify(overrides)).to.deep.equal(
        policies(byCi.registrations),
      );
    }
  });

  it("exempt the configured deployers and break-glass principals, and deny changing the policy to all others", async () => {
    const breakGlass = `arn:aws:iam::${MOCK_ACCOUNT}:role/BreakGlass`;
    const { registrations } = await evaluateStack("prod", {
      deployerPrincipalArns: JSON.stringify([CI_ROLE, OPERATOR_ROLE]),
      breakGlassPrincipalArns: JSON.stringify([breakGlass]),
    });
    for (const role of ["primary", "dr"]) {
      expect(statement(registrations, `app-${role}-vault-policy`)).to.deep.include({
        Action: [
          "backup:DeleteRecoveryPoint",
          "backup:UpdateRecoveryPointLifecycle",
          "backup:PutBackupVaultAccessPolicy",
          "backup:DeleteBackupVaultAccessPolicy",
          "backup:DeleteBackupVaultLockConfiguration",
          "backup:DeleteBackupVault",
        ],
        Condition: { ArnNotLike: { "aws:PrincipalArn": [CI_ROLE, OPERATOR_ROLE, breakGlass] } },
      });
    }
  });

  it("with no deployer configured, leave changing the policy to IAM, so no deployer is locked out", async () => {
    const { registrations } = await evaluateStack("prod");
    for (const role of ["primary", "dr"]) {
      const denied = statement(registrations, `app-${role}-vault-policy`);
      expect(denied.Action).to.deep.equal([
        "backup:DeleteRecoveryPoint",
        "backup:UpdateRecoveryPointLifecycle",
        "backup:DeleteBackupVaultLockConfiguration",
        "backup:DeleteBackupVault",
      ]);
      expect(denied, "nobody is exempt").to.not.have.property("Condition");
    }
  });

  it("alert on every change of a vault's policy or lock, in both regions (CloudTrail through EventBridge)", async () => {
    const { registrations } = await evaluateStack("prod");
    const rules = ofType(registrations, "aws:cloudwatch/eventRule:EventRule").filter((r) =>
      r.name.endsWith("-vault-protection-alerts"),
    );
    expect(rules.map((r) => r.inputs.region)).to.have.members(["us-east-1", "us-west-2"]);
    for (const rule of rules) {
      expect(JSON.parse(rule.inputs.eventPattern)).to.deep.equal({
        source: ["aws.backup"],
        "detail-type": ["AWS API Call via CloudTrail"],
        detail: {
          eventSource: ["backup.amazonaws.com"],
          eventName: [
            "PutBackupVaultAccessPolicy",
            "DeleteBackupVaultAccessPolicy",
            "PutBackupVaultLockConfiguration",
            "DeleteBackupVaultLockConfiguration",
            "DeleteBackupVault",
          ],
        },
      });
    }
    const targets = ofType(registrations, "aws:cloudwatch/eventTarget:EventTarget").filter((r) =>
      r.name.endsWith("-vault-protection-alerts"),
    );
    expect(targets).to.have.length(2);
  });
});
