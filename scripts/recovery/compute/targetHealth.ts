// What the load balancer routes to: a target group's targets, their health, and which of them may take a request.
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";

/** A target of the group and its health, as the compute modules word it. */
export interface TargetView {
  /** The target's id: an IP address (ECS awsvpc tasks) or an instance id. */
  readonly id: string;
  readonly port?: number;
  /** initial, healthy, unhealthy, unused, draining or unavailable (ELB API reference, TargetHealth). */
  readonly state: string;
  readonly reason?: string;
}

/**
 * The states of a target that takes requests now or may while the freeze waits, and so may write:
 * - `healthy`: the load balancer routes requests to it;
 * - `unhealthy`: routed to when the group has no healthy target, for "If a target group contains only
 *   unhealthy registered targets, the load balancer routes requests to all those targets, regardless of
 *   their health status" (fails open; ALB user guide, "Health checks for Application Load Balancer target
 *   groups"); with a healthy target beside it, that one serves anyway;
 * - `initial`: takes no request until it passes the initial health checks (same page, "Before a target
 *   can receive requests from the load balancer, it must pass the initial health checks"), but passes
 *   them within the healthy threshold's checks: a task about to serve;
 * - `draining`: "The load balancer stops sending requests to targets that are deregistering, but uses
 *   connection draining to ensure that in-flight traffic completes" (ELB API reference,
 *   DeregisterTargets): a request in flight is a write in flight, for the whole deregistration delay;
 * - `unavailable`: health checks disabled, so nothing tells the load balancer not to route to it (ELB API
 *   reference, TargetHealth: Target.HealthCheckDisabled).
 * Only `unused` (not registered, its group in no listener rule, or its zone not enabled) takes nothing. Any
 * other state, one this list does not know included (Network Load Balancers document `unhealthy.draining`),
 * counts as may serve: a freeze that waits on a state it cannot read is safe, one that ignores it is not.
 */
export function mayServe(target: TargetView): boolean {
  return target.state !== "unused";
}

/**
 * Every registered target of the group with its health: DescribeTargetHealth without `Targets` lists them
 * all, draining ones included, in one answer (ELB API reference, DescribeTargetHealth: no pagination).
 */
export async function readTargets(
  client: ElasticLoadBalancingV2Client,
  targetGroupArn: string,
): Promise<TargetView[]> {
  const answer = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  return (answer.TargetHealthDescriptions ?? []).map((d: TargetHealthDescription) => ({
    id: d.Target?.Id ?? "?",
    ...(d.Target?.Port !== undefined && { port: d.Target.Port }),
    state: d.TargetHealth?.State ?? "unavailable",
    ...(d.TargetHealth?.Reason !== undefined && { reason: d.TargetHealth.Reason }),
  }));
}

/** Whether the group fails open: no healthy target and at least one unhealthy, all of them routed to. */
export function failsOpen(targets: readonly TargetView[]): boolean {
  return !targets.some((t) => t.state === "healthy") && targets.some((t) => t.state === "unhealthy");
}

/** A target for messages: `10.0.1.5:80 draining (Target.DeregistrationInProgress)`. */
export function describeTarget(target: TargetView): string {
  return `${target.id}${target.port !== undefined ? `:${target.port}` : ""} ${target.state}${target.reason ? ` (${target.reason})` : ""}`;
}
