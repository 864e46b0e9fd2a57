import { expect } from "chai";
import { invokes } from "../helpers/mockEngine";
import { evaluateStack } from "./fixtures";

/**
 * The vaults' deny policy exempts the deploying principal, found with STS GetCallerIdentity and, for an
 * assumed-role session, IAM GetRole (inside the provider's aws_iam_session_context data source,
 * terraform-provider-aws internal/service/iam/session_context_data_source.go). IAM's control plane is in
 * us-east-1, so only the prod stack may ask: the dr stack, which `dr recover` updates during a disaster,
 * must not.
 */
describe("deploy-time identity invokes", () => {
  const IDENTITY_TOKENS = [
    "aws:index/getCallerIdentity:getCallerIdentity",
    "aws:iam/getSessionContext:getSessionContext",
  ];
  const identityInvokes = () => invokes.filter((invoke) => IDENTITY_TOKENS.includes(invoke.token));

  it("are made once by the prod stack, for the vault policies", async () => {
    await evaluateStack("prod");
    expect(identityInvokes().map((invoke) => invoke.token)).to.deep.equal(IDENTITY_TOKENS);
  });

  for (const mode of ["standby", "active"]) {
    it(`are never made by the dr stack in ${mode} mode`, async () => {
      await evaluateStack("dr", { mode });
      expect(identityInvokes()).to.deep.equal([]);
    });
  }
});
