// The DNS failover switch the prod stack deploys, as the simulation names it: its alarm and public name.
import { FAILOVER_SWITCH, failoverAlarmName } from "../../stacks/dnsFailover";
import type { FakeAlarm } from "./cloudWatch";
import type { FakeDnsName, FakeTargets } from "./dnsResolver";

/**
 * The prod stack's failover switch as the fake's alarm (stacks/dnsFailover.ts): `ServeFromDr-<domain>`
 * in the DR region, ALARM from 1 on. Kept out of cloudWatch.ts so the fake does not load the Pulumi
 * program's modules; tests and benchmarks import it.
 */
export function failoverSwitchAlarm(
  region: string,
  domainName: string,
  initialState: FakeAlarm["initialState"] = "ALARM",
): FakeAlarm {
  return {
    region,
    name: failoverAlarmName(domainName),
    namespace: FAILOVER_SWITCH.namespace,
    metricName: FAILOVER_SWITCH.metricName,
    dimensions: { [FAILOVER_SWITCH.dimension]: domainName },
    threshold: 1,
    initialState,
  };
}

/** One side of the public name: its load balancer and the Auto Scaling group (or ECS service) behind it. */
export interface FailoverSide {
  readonly loadBalancerDnsName: string;
  readonly region: string;
  readonly autoScalingGroupName: string;
  /** The ECS service behind the load balancer instead of the group. @default none */
  readonly ecsService?: FakeTargets["ecsService"];
}

/**
 * The public name's two failover alias records as stacks/dnsFailover.ts deploys them: PRIMARY (prod's
 * load balancer) with the `serve-primary` health check on the switch's alarm, SECONDARY (the DR load
 * balancer) with the inverted `serve-dr` one, both aliases with `evaluateTargetHealth`.
 */
export function failoverDnsName(
  domainName: string,
  alarm: FakeAlarm,
  sides: { readonly primary: FailoverSide; readonly secondary: FailoverSide },
): FakeDnsName {
  const record = (failover: "PRIMARY" | "SECONDARY", side: FailoverSide, invert: boolean) => ({
    failover,
    loadBalancerDnsName: side.loadBalancerDnsName,
    healthCheck: { alarm, invert },
    targets: {
      region: side.region,
      autoScalingGroupName: side.autoScalingGroupName,
      ...(side.ecsService && { ecsService: side.ecsService }),
    },
  });
  return {
    name: domainName,
    primary: record("PRIMARY", sides.primary, false),
    secondary: record("SECONDARY", sides.secondary, true),
  };
}
