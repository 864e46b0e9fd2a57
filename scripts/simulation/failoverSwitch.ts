import { FAILOVER_SWITCH, failoverAlarmName } from "../../stacks/dnsFailover";
import type { FakeAlarm } from "./cloudWatch";

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
