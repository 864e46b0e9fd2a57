// dr status's check that prod's servers are held while dr is active: unheld, they serve the pre-disaster data.
import { EC2Client } from "@aws-sdk/client-ec2";
import { liveServersWhere } from "../core/liveServers";
import { HOLD_KEY } from "../core/stackHandle";

/**
 * A finding when prod's application servers run in the primary region while the dr stack is active:
 * servers of an Auto Scaling group tagged `role=primary` (stacks/config/settings.ts stackTags, propagated at
 * launch), in a state that may serve (EC2 DescribeInstances). Once the primary region is back, prod's
 * stack starts them on its pre-disaster data; Route 53 answers the PRIMARY record whenever the SECONDARY
 * is unhealthy (Route 53 API reference, ResourceRecordSet Failover), so users write there whenever dr's
 * load balancer has no healthy target, and a failback's prod-data abandons those writes. `dr recover`
 * cannot hold them (the primary region is down then, and recovery stays off its control planes), so
 * the operator holds prod once the region is back: the finding says how. A primary region that does not
 * answer is no finding here (its vault's check reports it).
 * @param prodStack the prod stack's name in the command it prints. Default `prod`.
 * @returns the finding, or undefined
 */
export async function unheldProdFinding(
  ec2: EC2Client,
  primaryRegion: string,
  prodStack = "prod",
): Promise<string | undefined> {
  let live: string[];
  try {
    live = await liveServersWhere(ec2, { Name: "tag:role", Values: ["primary"] });
  } catch {
    return undefined;
  }
  if (live.length === 0) {
    return undefined;
  }
  return (
    `prod runs ${live.length} server(s) in ${primaryRegion} (${live.slice(0, 3).join(", ")}${live.length > 3 ? ", ..." : ""}) while dr is active: ` +
    `they serve the pre-disaster data, and Route 53 sends users to them whenever dr's load balancer has no healthy target; ` +
    `hold them until the failback: pulumi config set ${HOLD_KEY} true -s ${prodStack} && pulumi up -s ${prodStack}`
  );
}
