/** STS over its query protocol: GetCallerIdentity, answered in every region, as the caller `dr-operator/ci`. */
import type { FakeService } from "./fakeService";
import { ACCOUNT } from "./fixtures";

/** STS: every request is GetCallerIdentity (the only call the CLI makes). */
export const stsService: FakeService = () => ({
  operation: "GetCallerIdentity",
  status: 200,
  body:
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
    `<Arn>arn:aws:sts::${ACCOUNT}:assumed-role/dr-operator/ci</Arn><UserId>AROAEXAMPLE:ci</UserId><Account>${ACCOUNT}</Account>` +
    `</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
});
