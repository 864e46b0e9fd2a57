/** Launches of dr's application servers since a moment, from its Auto Scaling group's scaling activities. */
import { AutoScalingClient, paginateDescribeScalingActivities } from "@aws-sdk/client-auto-scaling";
import { awsClientConfig } from "../../aws/clients";
import { describeAwsError } from "../../aws/errors";
import { DrError, ExitCode } from "../../errors";
import { PhaseContext } from "./phaseContext";
import { findStackGroups } from "./prodServers";

/**
 * What shows dr's group launched a server after `since` (ISO), or undefined when nothing does. A server
 * that served and was terminated again vanishes from DescribeInstances within about an hour, but its
 * launch stays among the group's scaling activities for six weeks (Auto Scaling API reference,
 * DescribeScalingActivities: "Only activities started within the last six weeks can be returned"); a
 * launch's Description reads "Launching a new EC2 instance: i-..." (Auto Scaling user guide, Verify a
 * scaling activity for an Auto Scaling group). dr's group: tagged role=dr in dr's private subnets; a
 * stack without one has no activity to read.
 */
export async function drLaunchedSince(pc: PhaseContext, since: string): Promise<string | undefined> {
  const { pre } = pc;
  const { global } = pc.command;
  const client = new AutoScalingClient(awsClientConfig({ region: pre.drRegion, profile: global.profile }));
  try {
    const launches: string[] = [];
    const groups = await findStackGroups(client, "dr", pre.drOutputs.privateSubnetIds);
    for (const group of groups) {
      const name = group.AutoScalingGroupName as string;
      const pages = paginateDescribeScalingActivities({ client }, { AutoScalingGroupName: name });
      for await (const page of pages) {
        for (const activity of page.Activities ?? []) {
          const started = activity.StartTime?.getTime() ?? 0;
          if (
            started > Date.parse(since) &&
            /^Launching a new EC2 instance/.test(activity.Description ?? "")
          ) {
            launches.push(
              `${activity.Description?.split(": ")[1] ?? "?"} at ${activity.StartTime?.toISOString()}`,
            );
          }
        }
      }
    }
    return launches.length > 0
      ? `dr's Auto Scaling group launched ${launches.length} server(s) (${launches.slice(0, 5).join(", ")})`
      : undefined;
  } catch (err) {
    throw new DrError(
      `cannot confirm the write freeze still holds: Auto Scaling DescribeScalingActivities in ${pre.drRegion} failed: ${describeAwsError(err)}; re-run`,
      ExitCode.failed,
    );
  } finally {
    client.destroy();
  }
}
