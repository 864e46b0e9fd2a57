// The traffic phase: the switch metric back to prod, its alarm read OK, the public name resolving to prod.
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { FAILOVER_SWITCH, failoverAlarmName } from "../../../stacks/dnsFailover";
import { awsClientConfig } from "../../aws/clients";
import { describeAwsError } from "../../aws/errors";
import { iso } from "../../clock";
import { errorMessage, InterruptedError } from "../../errors";
import { formatDuration } from "../../time";
import { nextPollDelay } from "../core/restoreJobs";
import { resolveWithDns, resolvesTo } from "./nameResolution";
import { TrafficRecord } from "./journal";
import { PhaseContext, save } from "./phaseContext";
import { PhaseResult } from "../core/phaseRunner";

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

/** Clock ms between two data points of the switch while the name has not moved. */
export const REPUBLISH_MS = 30_000;

/**
 * Phase 9: traffic back to prod with CloudWatch PutMetricData in the DR region, a data-plane call;
 * Route 53's health checks on the switch's alarm move the name. Never a Route 53 or IAM API call. Route 53
 * reads the alarm's data on its own schedule, so one point is not proof: the switch is republished every
 * {@link REPUBLISH_MS} until both the switch's alarm (`ServeFromDr-<domain>`) is OK (CloudWatch
 * DescribeAlarms in the DR region: regional CloudWatch, not Route 53's control plane) and the public name
 * resolves to prod's load balancer (DNS queries, Route 53's data plane), within --traffic-timeout; only
 * then is the phase ok and dr may go to standby. The name alone proves nothing here: with dr at zero
 * servers its record is unhealthy and Route 53 answers prod's "regardless of the health of the primary"
 * (Route 53 API reference, ResourceRecordSet Failover), whatever the switch says; a switch left at 1
 * would send users to dr the next time it has servers.
 */
export async function runTrafficBack(pc: PhaseContext): Promise<PhaseResult> {
  const { journal, pre } = pc;
  const { deps, global, signal } = pc.command;
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
  const loadBalancer = pre.prodOutputs.loadBalancerDnsName;
  if (!loadBalancer) {
    return {
      outcome: "failed",
      detail: `prod stack '${pre.prodStack.name}' has no 'loadBalancerDnsName' output: cannot confirm ${pre.domainName} moved to it; traffic stays on DR`,
    };
  }
  const record = (journal.failback.traffic ??= planned);
  const resolve = deps.resolveAddresses ?? ((hostname: string) => resolveWithDns(hostname, deps.env));
  const client = new CloudWatchClient(awsClientConfig({ region: record.region, profile: global.profile }));
  const deadline = deps.clock.now() + pc.options.trafficTimeoutMs;
  const alarmName = failoverAlarmName(record.dimensions[FAILOVER_SWITCH.dimension]);
  let lastPublished = Number.NEGATIVE_INFINITY;
  let seen: string[] = [];
  let alarm = "not read yet";
  try {
    for (let attempt = 0; ; attempt++) {
      if (deps.clock.now() - lastPublished >= REPUBLISH_MS) {
        await publish(pc, client, record);
        lastPublished = deps.clock.now();
        save(pc);
      }
      alarm = await alarmState(pc, client, alarmName);
      if (alarm === "OK") {
        record.alarmOkAt ??= iso(deps.clock.now());
      }
      try {
        const answer = await resolvesTo(resolve, record.dimensions[FAILOVER_SWITCH.dimension], loadBalancer);
        seen = answer.seen;
        if (answer.moved && alarm === "OK") {
          record.resolvedAt = iso(deps.clock.now());
          record.ok = true;
          // The freeze ends once traffic is back (from the switch's first data point); a traffic phase
          // that failed leaves it open, so a re-run still re-checks it.
          if (freeze && !freeze.endedAt) {
            freeze.endedAt = record.at;
          }
          save(pc);
          return {
            outcome: "ok",
            detail: `${record.metricName}=0 published in ${record.region} (${record.published} data point(s)); alarm ${alarmName} OK; ${pre.domainName} resolves to ${loadBalancer}`,
          };
        }
      } catch (err) {
        seen = [`(DNS: ${errorMessage(err)})`];
      }
      const delay = nextPollDelay(attempt, {
        random: pc.command.deps.clock.random?.bind(pc.command.deps.clock),
        ...pc.options.poll,
      });
      if (deps.clock.now() + delay > deadline) {
        record.ok = false;
        const after = `${formatDuration(pc.options.trafficTimeoutMs)} after the switch`;
        record.detail =
          alarm !== "OK"
            ? `the failover switch's alarm ${alarmName} in ${record.region} is ${alarm}, not OK, ${after}`
            : `${pre.domainName} still resolves to ${seen.join(", ") || "nothing"}, not to ${loadBalancer}, ${after}`;
        save(pc);
        return {
          outcome: "failed",
          detail: `${record.detail}: check the failover switch's alarm and prod's targets; dr is not put in standby`,
        };
      }
      await deps.clock.sleep(delay, signal);
    }
  } catch (err) {
    if (signal.aborted) {
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

/**
 * The switch's alarm state (DescribeAlarms by name in the switch's region: OK, ALARM or
 * INSUFFICIENT_DATA), or why it is not known; a failed call is retried at the next poll.
 */
async function alarmState(pc: PhaseContext, client: CloudWatchClient, name: string): Promise<string> {
  try {
    const out = await client.send(new DescribeAlarmsCommand({ AlarmNames: [name] }), {
      abortSignal: pc.command.signal,
    });
    const found = out.MetricAlarms?.find((a) => a.AlarmName === name);
    return found ? (found.StateValue ?? "of unknown state") : "missing (no such alarm)";
  } catch (err) {
    if (pc.command.signal.aborted) {
      throw new InterruptedError();
    }
    return `unreadable (DescribeAlarms: ${describeAwsError(err)})`;
  }
}

/** One data point 0 on the switch, now. */
async function publish(pc: PhaseContext, client: CloudWatchClient, record: TrafficRecord): Promise<void> {
  const now = pc.command.deps.clock.now();
  await client.send(
    new PutMetricDataCommand({
      Namespace: record.namespace,
      MetricData: [
        {
          MetricName: record.metricName,
          Dimensions: Object.entries(record.dimensions).map(([Name, Value]) => ({ Name, Value })),
          Value: record.value,
          Timestamp: new Date(now),
        },
      ],
    }),
    { abortSignal: pc.command.signal },
  );
  record.at ??= iso(now);
  record.published = (record.published ?? 0) + 1;
}
