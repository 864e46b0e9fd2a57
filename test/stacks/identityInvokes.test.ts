import { expect } from "chai";
import { invokes } from "../helpers/mockEngine";
import { evaluateStack } from "./fixtures";

/**
 * Neither stack asks who deploys it (STS GetCallerIdentity, or IAM GetRole inside the provider's
 * aws_iam_session_context): the vaults' deny policy exempts the configured `deployerPrincipalArns`, so
 * it is the same whoever runs `pulumi up`; and IAM's control plane is in us-east-1, which the dr stack,
 * updated by `dr recover` during a disaster, must not need.
 */
describe("deploy-time identity invokes", () => {
  const IDENTITY_TOKENS = [
    "aws:index/getCallerIdentity:getCallerIdentity",
    "aws:iam/getSessionContext:getSessionContext",
  ];
  const identityInvokes = () => invokes.filter((invoke) => IDENTITY_TOKENS.includes(invoke.token));

  it("are never made by the prod stack", async () => {
    await evaluateStack("prod", {
      deployerPrincipalArns: JSON.stringify(["arn:aws:iam::123456789012:role/ci"]),
    });
    expect(identityInvokes()).to.deep.equal([]);
  });

  for (const mode of ["standby", "active"]) {
    it(`are never made by the dr stack in ${mode} mode`, async () => {
      await evaluateStack("dr", { mode });
      expect(identityInvokes()).to.deep.equal([]);
    });
  }
});
