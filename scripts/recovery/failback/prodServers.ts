/** Prod's application servers during a failback: held at zero through the freeze, all on the new data before traffic moves. */
import {
  AutoScalingClient,
  AutoScalingGroup,
  DescribeInstanceRefreshesCommand,
  paginateDescribeAutoScalingGroups,
} from "@aws-sdk/client-auto-scaling";
import { awsClientConfig } from "../../aws/clients";
import { describeAwsError } from "../../aws/errors";
import { iso } from "../../clock";
import { HOLD_KEY } from "../core/stackHandle";
import { CommandContext } from "../../context";
import { formatDuration } from "../../time";
import { nextPollDelay } from "../core/restoreJobs";
import { liveServers, serversInService } from "../core/liveServers";
import { PhaseContext, applyOnce } from "./phaseContext";
import { FailbackPreflight } from "./preflight";
import { waitForNoServers } from "./serversGone";

/**
 * Prod's servers to zero before the freeze: `holdServers` true on the prod stack, `pulumi up`, then EC2
 * polled until no server is left in prod's VPC (--freeze-timeout). While dr has servers Route 53 answers
 * its SECONDARY record; once the freeze takes them away both records are unhealthy and Route 53 answers
 * the PRIMARY "regardless of the health of the primary" (Route 53 API reference, ResourceRecordSet
 * Failover): prod's load balancer, which must then have no server to take a write on the pre-disaster
 * data. prod-data lifts the hold in the same update that points the servers at the restored data.
 */
export async function holdProdServers(
  pc: PhaseContext,
  /** Only a hold applied at or after this ISO time counts as done (applyOnce). Default: any. */
  since?: string,
): Promise<{ ok: true; at: string } | { ok: false; detail: string }> {
  const { pre } = pc;
  const update = await applyOnce(pc, pre.prodStack, "hold", { [HOLD_KEY]: "true" }, [], since);
  if (!update.ok) {
    return {
      ok: false,
      detail: `prod stack update (${HOLD_KEY}=true) failed: ${update.message ?? "unknown error"}`,
    };
  }
  const vpcId = pre.prodOutputs.vpcId;
  if (!vpcId) {
    return {
      ok: false,
      detail: `prod stack '${pre.prodStack.name}' has no 'vpcId' output: cannot confirm its servers are held at zero`,
    };
  }
  const left = await waitForNoServers(pc, pre.primaryClients.ec2, vpcId, "prod", pc.options.freezeTimeoutMs);
  return left
    ? { ok: false, detail: `${left}; dr keeps serving until prod's are gone` }
    : { ok: true, at: iso(pc.command.deps.clock.now()) };
}

/**
 * What shows prod's hold broken: its `holdServers` key not true, or a server of its group alive in prod's
 * VPC (EC2 DescribeInstances); undefined when neither.
 */
export async function prodHoldBroken(pc: PhaseContext): Promise<string | undefined> {
  const { pre } = pc;
  const found: string[] = [];
  const held = (await pre.prodStack.getConfig([HOLD_KEY]))[HOLD_KEY];
  if (held !== "true") {
    found.push(`prod stack '${pre.prodStack.name}' has ${HOLD_KEY}=${held ?? "(unset)"}`);
  }
  const vpcId = pre.prodOutputs.vpcId;
  if (vpcId) {
    const serving = await serversInService(
      pre.primaryClients.ec2,
      vpcId,
      "prod",
      pre.primaryRegion,
      "prod's servers are still held at zero",
    );
    if (serving) {
      found.push(serving);
    }
  }
  return found.length > 0 ? found.join(" and ") : undefined;
}

/**
 * Before anything starts (read-only): prod's servers running unheld serve the pre-disaster data, and
 * Route 53 sends users to them whenever dr's load balancer has no healthy target. The failback holds
 * them first thing in the freeze; the warning says how to close the gap now.
 */
export async function warnIfProdServes(ctx: CommandContext, pre: FailbackPreflight): Promise<void> {
  const vpcId = pre.prodOutputs.vpcId;
  if (!vpcId) {
    return;
  }
  const held = (await pre.prodStack.getConfig([HOLD_KEY]))[HOLD_KEY] === "true";
  let live: string[];
  try {
    live = await liveServers(pre.primaryClients.ec2, vpcId);
  } catch (err) {
    ctx.out.warn(`cannot list prod's servers in ${pre.primaryRegion}: ${describeAwsError(err)}`);
    return;
  }
  if (live.length > 0 && !held) {
    ctx.out.warn(
      `prod stack '${pre.prodStack.name}' runs ${live.length} server(s) on its pre-disaster data: Route 53 sends users to them whenever dr's load balancer has no healthy target, and their writes are lost at prod-data. The freeze holds them at zero first; to close the gap now: pulumi config set ${HOLD_KEY} true -s ${pre.prodStack.name} && pulumi up -s ${pre.prodStack.name}`,
    );
  }
}

/** A stack's Auto Scaling groups: tagged with its role (stacks/config/settings.ts stackTags), in its private subnets. */
export async function findStackGroups(
  client: AutoScalingClient,
  role: "primary" | "dr",
  subnetIds: readonly string[],
): Promise<AutoScalingGroup[]> {
  const subnets = new Set(subnetIds);
  const found: AutoScalingGroup[] = [];
  const filters = [{ Name: "tag:role", Values: [role] }];
  for await (const page of paginateDescribeAutoScalingGroups({ client }, { Filters: filters })) {
    for (const group of page.AutoScalingGroups ?? []) {
      const ids = (group.VPCZoneIdentifier ?? "").split(",").filter(Boolean);
      if (ids.length > 0 && ids.every((id) => subnets.has(id))) {
        found.push(group);
      }
    }
  }
  return found;
}

/** Prod's Auto Scaling group: tagged role=primary, in prod's private subnets. */
function findProdGroup(client: AutoScalingClient, pre: FailbackPreflight): Promise<AutoScalingGroup[]> {
  return findStackGroups(client, "primary", pre.prodOutputs.privateSubnetIds);
}

/** What keeps prod's fleet from being all on the latest launch template, or undefined when nothing does. */
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
 * After prod-data: waits until every InService server of prod's group runs the group's latest launch
 * template version (at least one in service), following the instance refresh with
 * DescribeInstanceRefreshes; the `pulumi up` of prod-data only started it (terraform-provider-aws
 * startInstanceRefresh does not wait, and an old server still on the pre-disaster data answers the
 * health check as well as a new one). A refresh that ended Failed or Cancelled with old servers left
 * stops the failback: traffic never moves while an old server serves.
 */
export async function waitForCurrentServers(pc: PhaseContext): Promise<{ ok: boolean; detail: string }> {
  const { pre } = pc;
  const { out, deps, global, signal } = pc.command;
  const client = new AutoScalingClient(
    awsClientConfig({ region: pre.primaryRegion, profile: global.profile }),
  );
  try {
    const groups = await findProdGroup(client, pre);
    if (groups.length !== 1) {
      return {
        ok: false,
        detail: `${groups.length === 0 ? "no" : groups.length} Auto Scaling group(s) tagged role=primary in prod's subnets (${pre.prodOutputs.privateSubnetIds.join(", ")}) in ${pre.primaryRegion}${groups.length > 1 ? `: ${groups.map((g) => g.AutoScalingGroupName).join(", ")}` : ""}: cannot tell prod's servers run the restored data; traffic stays on DR`,
      };
    }
    const name = groups[0].AutoScalingGroupName as string;
    const deadline = deps.clock.now() + pc.options.rolloutTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      const [group] = await findProdGroup(client, pre);
      const refreshes =
        (await client.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: name })))
          .InstanceRefreshes ?? [];
      const refresh = [...refreshes].sort(
        (a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0),
      )[0];
      const gap = group ? rolloutGap(group) : `Auto Scaling group ${name} is gone`;
      const refreshText = refresh
        ? `instance refresh ${refresh.InstanceRefreshId} ${refresh.Status}${refresh.PercentageComplete !== undefined ? ` ${refresh.PercentageComplete}%` : ""}`
        : "no instance refresh";
      if (!gap) {
        return {
          ok: true,
          detail: `every server of ${name} in service runs launch template version ${group?.LaunchTemplate?.Version} (${refreshText})`,
        };
      }
      if (
        refresh &&
        ["Failed", "Cancelled", "RollbackSuccessful", "RollbackFailed"].includes(refresh.Status ?? "")
      ) {
        return {
          ok: false,
          detail: `${name}: ${refreshText}${refresh.StatusReason ? ` (${refresh.StatusReason})` : ""} and ${gap}: replace them (aws autoscaling start-instance-refresh --auto-scaling-group-name ${name}) and re-run; traffic stays on DR`,
        };
      }
      const delay = nextPollDelay(attempt, pc.options.poll);
      if (deps.clock.now() + delay > deadline) {
        return {
          ok: false,
          detail: `${name}: ${gap} after ${formatDuration(pc.options.rolloutTimeoutMs)} (${refreshText}); traffic stays on DR`,
        };
      }
      out.info(`health: ${name}: ${gap} (${refreshText}), checking again in ${formatDuration(delay)}`);
      await deps.clock.sleep(delay, signal);
    }
  } finally {
    client.destroy();
  }
}
