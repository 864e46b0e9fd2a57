/** STS: the caller's identity (the model) and GetCallerIdentity over its query protocol, answered in every region. */
import type { FakeService } from "./fakeService";
import { ACCOUNT } from "./fixtures";

/** The simulated caller: role `dr-operator` of the fake account, in the session `session`. */
export interface CallerIdentity {
  readonly Account: string;
  readonly Arn: string;
  readonly UserId: string;
}

/**
 * What GetCallerIdentity answers (API_GetCallerIdentity.html: Account, Arn, UserId) for the role session
 * `session` of `dr-operator`. Default session `ci`.
 */
export function callerIdentity(session = "ci"): CallerIdentity {
  return {
    Account: ACCOUNT,
    Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/dr-operator/${session}`,
    UserId: `AROAEXAMPLE:${session}`,
  };
}

/** STS: every request is GetCallerIdentity (the only call the CLI makes). */
export const stsService: FakeService = () => {
  const caller = callerIdentity();
  return {
    operation: "GetCallerIdentity",
    status: 200,
    body:
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
      `<Arn>${caller.Arn}</Arn><UserId>${caller.UserId}</UserId><Account>${caller.Account}</Account>` +
      `</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  };
};
