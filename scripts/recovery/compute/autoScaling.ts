// The application on an Auto Scaling group: its servers in service, its launches, its instance refreshes.
import {
  AutoScalingClient,
  AutoScalingGroup,
  DescribeInstanceRefreshesCommand,
  paginateDescribeAutoScalingGroups,
  paginateDescribeScalingActivities,
} from "@aws-sdk/client-auto-scaling";
import { EC2Client } from "@aws-sdk/client-ec2";
import { awsClientConfig } from "../../aws/clients";
import { liveServers } from "../core/liveServers";
import { Compute, ComputeTarget, Rollout } from "./compute";
import { describeCompute } from "./described";

/** The refresh statuses that end a refresh without replacing the old servers. */
const REFRESH_ENDED = ["Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed"];

/**
 * A stack's Auto Scaling groups: the one its `compute` output names, else those tagged with its role
 * (stacks/config/settings.ts stackTags) in its private subnets.
 */
async function findGroups(client: AutoScalingClient, target: ComputeTarget): Promise<AutoScalingGroup[]> {
  const named = target.output?.kind === "autoscaling" ? target.output.groupName : undefined;
  const subnets = new Set(target.privateSubnetIds);
  const found: AutoScalingGroup[] = [];
  const query = named
    ? { AutoScalingGroupNames: [named] }
    : { Filters: [{ Name: "tag:role", Values: [target.role] }] };
  for await (const page of paginateDescribeAutoScalingGroups({ client }, query)) {
    for (const group of page.AutoScalingGroups ?? []) {
      const ids = (group.VPCZoneIdentifier ?? "").split(",").filter(Boolean);
      if (named || (ids.length > 0 && ids.every((id) => subnets.has(id)))) {
        found.push(group);
      }
    }
  }
  return found;
}

/** What keeps a group's fleet from being all on its latest launch template, or undefined when nothing does. */
function rolloutGap(group: AutoScalingGroup): string | undefined {
  const latest = group.LaunchTemplate?.Version;
  const inService = (group.Instances ?? []).filter((i) => i.LifecycleState === "InService");
  const old = inService.filter((i) => i.LaunchTemplate?.Version !== latest);
  if (old.length > 0) {
    return `${old.length} of ${inService.length} server(s) in service still on an older launch template than version ${latest} (${old
      .slice(0, 3)
      .map((i) => `${i.InstanceId} v${i.LaunchTemplate?.Version}`)
      .join(", ")})`;
  }
  return inService.length === 0 ? `no server in service yet on launch template version ${latest}` : undefined;
}

/**
 * The application's servers in an Auto Scaling group. Live servers: every instance of an Auto Scaling
 * group in the stack's VPC that may still serve (EC2 DescribeInstances, core/liveServers.ts). Launches: the
 * group's scaling activities, which keep a launch for six weeks after its server is gone (Auto Scaling API
 * reference, DescribeScalingActivities: "Only activities started within the last six weeks can be
 * returned"; a launch's Description reads "Launching a new EC2 instance: i-...", Auto Scaling user guide,
 * "Verify a scaling activity for an Auto Scaling group"). Rollout: every InService server on the group's
 * latest launch template version, followed with DescribeInstanceRefreshes (terraform-provider-aws
 * startInstanceRefresh starts the refresh and does not wait).
 *
 * It reads no target health, unlike the ECS module: the group deregisters a server from its target group
 * and terminates it only once the deregistration delay has run (ALB user guide, "Deregistration delay":
 * after the delay "If the target is part of an Auto Scaling group, it can be terminated and replaced"), so
 * a server stays `running` in EC2 while its target drains, and no target is healthy or initial without a
 * running server: the live servers already hold every target that may take a request.
 */
export function autoScalingCompute(target: ComputeTarget, ec2: EC2Client): Compute {
  const client = new AutoScalingClient(
    awsClientConfig({ region: target.region, profile: target.profile, ...target.budget }),
  );
  const words = describeCompute("autoscaling");
  return {
    kind: "autoscaling",
    unit: words.unit,
    launcher: words.launcher,
    calls: { live: "DescribeInstances", launches: "Auto Scaling DescribeScalingActivities" },
    liveUnits: () => (target.vpcId ? liveServers(ec2, target.vpcId) : Promise.resolve([])),
    async launchesSince(since) {
      const launches: string[] = [];
      for (const group of await findGroups(client, target)) {
        const pages = paginateDescribeScalingActivities(
          { client },
          { AutoScalingGroupName: group.AutoScalingGroupName },
        );
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
      return launches;
    },
    async rollout(): Promise<Rollout> {
      const groups = await findGroups(client, target);
      if (groups.length !== 1) {
        const which = target.role === "primary" ? "prod" : "dr";
        return {
          state: "missing",
          detail: `${groups.length === 0 ? "no" : groups.length} Auto Scaling group(s) tagged role=${target.role} in ${which}'s subnets (${target.privateSubnetIds.join(", ")}) in ${target.region}${groups.length > 1 ? `: ${groups.map((g) => g.AutoScalingGroupName).join(", ")}` : ""}: cannot tell ${which}'s servers run the restored data`,
        };
      }
      const [group] = groups;
      const name = group.AutoScalingGroupName as string;
      const refreshes =
        (await client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name })))
          .InstanceRefreshes ?? [];
      const refresh = [...refreshes].sort(
        (a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0),
      )[0];
      const gap = rolloutGap(group);
      const status = refresh
        ? `instance refresh ${refresh.InstanceRefreshId} ${refresh.Status}${refresh.PercentageComplete !== undefined ? ` ${refresh.PercentageComplete}%` : ""}`
        : "no instance refresh";
      if (!gap) {
        return {
          state: "done",
          detail: `every server of ${name} in service runs launch template version ${group.LaunchTemplate?.Version} (${status})`,
        };
      }
      if (refresh && REFRESH_ENDED.includes(refresh.Status ?? "")) {
        return {
          state: "failed",
          detail: `${name}: ${status}${refresh.StatusReason ? ` (${refresh.StatusReason})` : ""} and ${gap}: replace them (aws autoscaling start-instance-refresh --auto-scaling-group-name ${name}) and re-run`,
        };
      }
      return { state: "rolling", name, gap, status };
    },
    async units() {
      // DescribeAutoScalingGroups' DesiredCapacity and its instances' LifecycleState (Auto Scaling API reference).
      const groups = await findGroups(client, target);
      return groups.length === 0
        ? undefined
        : {
            name: groups.map((g) => g.AutoScalingGroupName).join(", "),
            running: groups.reduce(
              (n, g) => n + (g.Instances ?? []).filter((i) => i.LifecycleState === "InService").length,
              0,
            ),
            desired: groups.reduce((n, g) => n + (g.DesiredCapacity ?? 0), 0),
          };
    },
    dispose: () => client.destroy(),
  };
}
