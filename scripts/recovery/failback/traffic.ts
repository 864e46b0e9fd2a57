import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { FAILOVER_SWITCH } from "../../../stacks/dnsFailover";
import { awsClientConfig } from "../../aws/clients";
import { describeAwsError } from "../../aws/errors";
import { iso } from "../../clock";
import { InterruptedError } from "../../errors";
import { TrafficRecord } from "./journal";
import { PhaseContext, PhaseResult, save } from "./phaseContext";

/**
 * The failover switch's data point that serves the public name from prod again: 0 on the DR region's
 * `DrApp/Failover ServeFromDr` metric (stacks/dnsFailover.ts). Undefined without a public name.
 */
export function trafficSwitch(drRegion: string, domainName: string | undefined): TrafficRecord | undefined {
  return domainName
    ? {
        region: drRegion,
        namespace: FAILOVER_SWITCH.namespace,
        metricName: FAILOVER_SWITCH.metricName,
        dimensions: { [FAILOVER_SWITCH.dimension]: domainName },
        value: 0,
      }
    : undefined;
}

/**
 * Phase 9: traffic back to prod with one CloudWatch PutMetricData in the DR region, a data-plane call;
 * Route 53's health checks on the switch's alarm move the name. Never a Route 53 or IAM API call. The
 * freeze window ends here.
 */
export async function runTrafficBack(pc: PhaseContext): Promise<PhaseResult> {
  const { journal, pre } = pc;
  const { deps, global } = pc.command;
  const freeze = journal.failback.freeze;
  const planned = trafficSwitch(pre.drRegion, pre.domainName);
  if (!planned) {
    if (freeze && !freeze.endedAt) {
      freeze.endedAt = journal.health?.checkedAt ?? iso(deps.clock.now());
    }
    return {
      outcome: "skipped",
      detail: "no domainName on the stacks, so no failover switch: move the traffic back as your setup does",
    };
  }
  const record = (journal.failback.traffic ??= planned);
  const client = new CloudWatchClient(awsClientConfig({ region: record.region, profile: global.profile }));
  try {
    await client.send(
      new PutMetricDataCommand({
        Namespace: record.namespace,
        MetricData: [
          {
            MetricName: record.metricName,
            Dimensions: Object.entries(record.dimensions).map(([Name, Value]) => ({ Name, Value })),
            Value: record.value,
            Timestamp: new Date(deps.clock.now()),
          },
        ],
      }),
      { abortSignal: pc.command.signal },
    );
    record.at = iso(deps.clock.now());
    record.ok = true;
    if (freeze) {
      freeze.endedAt = record.at;
    }
    save(pc);
    return {
      outcome: "ok",
      detail: `${record.metricName}=0 published in ${record.region}: the name moves back to prod`,
    };
  } catch (err) {
    if (pc.command.signal.aborted) {
      throw new InterruptedError();
    }
    record.ok = false;
    record.detail = describeAwsError(err);
    save(pc);
    return { outcome: "failed", detail: `PutMetricData failed: ${record.detail}` };
  } finally {
    client.destroy();
  }
}
