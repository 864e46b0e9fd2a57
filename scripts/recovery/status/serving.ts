// dr status's serving units: what runs dr's and prod's application now (servers or tasks, running against desired, the rollout).
import type { ComputeOutput } from "../../../stacks/drContract";
import { AwsClientBudget, AwsClients } from "../../aws/clients";
import { describeAwsError } from "../../aws/errors";
import { Compute } from "../compute/compute";
import { openCompute } from "../compute/open";
import { HOLD_KEY } from "../core/stackHandle";

/** One stack's serving units as `dr status` reports them. */
export interface ServingStatus {
  readonly stack: "dr" | "prod";
  readonly region: string;
  /** `autoscaling` or `ecs`: the stack's `compute` output. */
  readonly kind: ComputeOutput["kind"];
  /** `server` or `task`. */
  readonly unit: Compute["unit"];
  /** The group's or service's name, as the stack's `compute` output names it. */
  readonly name: string;
  /** Units serving now (InService servers, RUNNING tasks); undefined when they could not be read. */
  readonly running?: number;
  /** Units wanted (desired capacity, desired count); undefined when they could not be read. */
  readonly desired?: number;
  /**
   * The rollout of the latest version: done, rolling, failed, missing; `none` with nothing wanted or
   * serving (standby, held); `unread` when a call failed.
   */
  readonly rollout: string;
  /** What the rollout's state rests on (the deployment or instance refresh), or the failed call. */
  readonly detail: string;
}

/** Where a stack's application runs, for {@link readServing}. */
export interface ServingSide {
  readonly stack: "dr" | "prod";
  readonly compute: ComputeOutput;
  readonly region: string;
  readonly clients: AwsClients;
  /** What the compute module's own clients may spend: as `clients` were made. Default: the CLI's. */
  readonly budget?: AwsClientBudget;
  readonly vpcId?: string;
  readonly privateSubnetIds: readonly string[];
}

/**
 * The serving units of a stack, through its compute module (scripts/recovery/compute/): running against
 * desired (Auto Scaling DescribeAutoScalingGroups; ECS DescribeServices) and where the rollout of its latest
 * version stands (DescribeInstanceRefreshes; the service's deployments). A failed read is reported, not
 * thrown: the rest of the status stands without it.
 */
export async function readServing(side: ServingSide, profile: string | undefined): Promise<ServingStatus> {
  const compute = openCompute(
    {
      output: side.compute,
      role: side.stack === "dr" ? "dr" : "primary",
      region: side.region,
      profile,
      budget: side.budget,
      vpcId: side.vpcId,
      privateSubnetIds: side.privateSubnetIds,
    },
    side.clients.ec2,
  );
  const base = {
    stack: side.stack,
    region: side.region,
    kind: compute.kind,
    unit: compute.unit,
    name: side.compute.kind === "ecs" ? side.compute.serviceName : side.compute.groupName,
  };
  try {
    const [units, rollout] = await Promise.all([compute.units(), compute.rollout()]);
    if (units && units.desired === 0 && units.running === 0) {
      return { ...base, running: 0, desired: 0, rollout: "none", detail: "scaled to zero: nothing serves" };
    }
    return {
      ...base,
      ...(units && { running: units.running, desired: units.desired }),
      rollout: rollout.state,
      detail: rollout.state === "rolling" ? `${rollout.gap} (${rollout.status})` : rollout.detail,
    };
  } catch (err) {
    return { ...base, rollout: "unread", detail: `${compute.launcher} not read: ${describeAwsError(err)}` };
  } finally {
    compute.dispose();
  }
}

/**
 * The findings of the serving units: prod's tasks running while dr is active (they serve the pre-disaster
 * data, as staleProd.ts says of prod's servers), a rollout AWS gave up on, a read that failed.
 * @param prodStack the prod stack's name in the command the finding prints.
 */
export function servingFindings(
  serving: readonly ServingStatus[],
  drActive: boolean,
  prodStack: string,
): string[] {
  return serving.flatMap((s) => {
    const where = `${s.stack}'s ${s.kind === "ecs" ? "ECS service" : "Auto Scaling group"} ${s.name} (${s.region})`;
    if (s.rollout === "unread" || s.rollout === "failed") {
      return [`${where}: ${s.detail}`];
    }
    if (s.stack === "prod" && s.kind === "ecs" && drActive && (s.running ?? 0) > 0) {
      return [
        `${where} runs ${s.running} task(s) while dr is active: they serve the pre-disaster data, and Route 53 sends users to them whenever dr's load balancer has no healthy target; hold them until the failback: pulumi config set ${HOLD_KEY} true -s ${prodStack} && pulumi up -s ${prodStack}`,
      ];
    }
    return [];
  });
}
