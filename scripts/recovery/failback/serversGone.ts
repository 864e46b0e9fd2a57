// The wait until no application server of a stack is left in its VPC: the freeze's and the prod hold's.
import { EC2Client } from "@aws-sdk/client-ec2";
import { describeAwsError } from "../../aws/errors";
import { formatDuration } from "../../time";
import { liveServers } from "../core/liveServers";
import { nextPollDelay } from "../core/restoreJobs";
import { PhaseContext } from "./phaseContext";

/**
 * Polls EC2 until no server of an Auto Scaling group is left in `vpcId` (as the jobs are polled:
 * --poll-initial, --poll-max), within `timeoutMs`. Returns undefined once none is left, else why not.
 */
export async function waitForNoServers(
  pc: PhaseContext,
  ec2: EC2Client,
  vpcId: string,
  which: string,
  timeoutMs: number,
): Promise<string | undefined> {
  const { out, deps, signal } = pc.command;
  const deadline = deps.clock.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    let live: string[];
    try {
      live = await liveServers(ec2, vpcId);
    } catch (err) {
      live = [`(DescribeInstances failed: ${describeAwsError(err)})`];
    }
    if (live.length === 0) {
      return undefined;
    }
    const delay = nextPollDelay(attempt, pc.options.poll);
    if (deps.clock.now() + delay > deadline) {
      return `${live.length} ${which} server(s) still in service after ${formatDuration(timeoutMs)}: ${live.slice(0, 5).join(", ")}`;
    }
    out.info(
      `freeze: ${live.length} ${which} server(s) still in service, checking again in ${formatDuration(delay)}`,
    );
    await deps.clock.sleep(delay, signal);
  }
}
