// The failover switch: a CloudWatch metric and alarm in the DR region, Route 53 health checks and records.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DnsSettings } from "./config";

/**
 * The operator's failover switch: a CloudWatch metric in the DR region. Publishing 1 (PutMetricData, a
 * CloudWatch data-plane call in the DR region) moves the public name to the DR load balancer; 0 moves it
 * back. Nothing at failover time calls a control plane: stacks/README.md explains the design.
 */
export const FAILOVER_SWITCH = {
  namespace: "DrApp/Failover",
  metricName: "ServeFromDr",
  /** The dimension naming which public name the switch moves. */
  dimension: "DomainName",
} as const;

/**
 * The switch's alarm evaluation: one 60-second period. It changes state after its evaluation (CloudWatch
 * user guide, "Using Amazon CloudWatch alarms"); the RTO forecast's DNS term derives from it.
 */
export const SWITCH_ALARM = { periodSeconds: 60, evaluationPeriods: 1 } as const;

/** The switch's alarm: `ServeFromDr-<domainName>` (OK: the primary serves; ALARM: the DR region does). */
export function failoverAlarmName(domainName: string): string {
  return `${FAILOVER_SWITCH.metricName}-${domainName}`;
}

/** What the prod stack exports about the switch; the dr stack reads `drHealthCheckId`. */
export interface FailoverSwitchOutputs {
  /** Region of the switch's metric and alarm: the DR region. */
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly alarmName: pulumi.Output<string>;
  /** Healthy while the switch is 0: the PRIMARY record's health check. */
  readonly primaryHealthCheckId: pulumi.Output<string>;
  /** Healthy while the switch is 1: the SECONDARY record's health check (the dr stack's record). */
  readonly drHealthCheckId: pulumi.Output<string>;
}

/**
 * Defines the switch, in the prod stack (deployed first, while both regions are healthy): the alarm in
 * the DR region and two Route 53 health checks on it, one healthy while the switch is 0 and its inverse.
 */
export function defineFailoverSwitch(
  name: string,
  args: { readonly drRegion: string; readonly dns: DnsSettings; readonly tags: Record<string, string> },
): FailoverSwitchOutputs {
  const dimensions = { [FAILOVER_SWITCH.dimension]: args.dns.domainName };
  const alarm = new aws.cloudwatch.MetricAlarm(`${name}-failover-switch`, {
    region: args.drRegion,
    // Named for the public name, so the operator and the runbook can read the switch's state by name.
    name: failoverAlarmName(args.dns.domainName),
    alarmDescription: `1: serve ${args.dns.domainName} from ${args.drRegion}; 0: from the primary region. Set with PutMetricData.`,
    namespace: FAILOVER_SWITCH.namespace,
    metricName: FAILOVER_SWITCH.metricName,
    dimensions,
    // Route 53 reads standard-resolution alarms with a simple statistic only.
    statistic: "Maximum",
    period: SWITCH_ALARM.periodSeconds,
    evaluationPeriods: SWITCH_ALARM.evaluationPeriods,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    // One data point sets the switch; it holds until the next one, not only while the operator publishes.
    treatMissingData: "ignore",
    tags: args.tags,
  });
  const healthCheck = (suffix: string, referenceName: string, invert: boolean) =>
    new aws.route53.HealthCheck(`${name}-${suffix}`, {
      type: "CLOUDWATCH_METRIC",
      cloudwatchAlarmName: alarm.name,
      cloudwatchAlarmRegion: args.drRegion,
      // Route 53 reads the alarm's metric, not its state: without data it keeps the last status.
      insufficientDataHealthStatus: "LastKnownStatus",
      invertHealthcheck: invert,
      // The provider allows 27 characters: 64 less its 26-character unique suffix and 11 reserved.
      referenceName,
      tags: { ...args.tags, Name: `${args.dns.domainName} ${suffix}` },
    });
  return {
    region: args.drRegion,
    namespace: FAILOVER_SWITCH.namespace,
    metricName: FAILOVER_SWITCH.metricName,
    dimensions,
    alarmName: alarm.name,
    primaryHealthCheckId: healthCheck("serve-primary", "serve-primary", false).id,
    drHealthCheckId: healthCheck("serve-dr", "serve-dr", true).id,
  };
}

/** Which failover record a stack owns, and the health check that decides whether Route 53 answers it. */
export interface FailoverRecordArgs {
  readonly dns: DnsSettings;
  /** `PRIMARY` (prod) or `SECONDARY` (dr). */
  readonly failover: "PRIMARY" | "SECONDARY";
  readonly healthCheckId: pulumi.Input<string>;
}

/** The load balancer a failover record aliases: its DNS name and its Route 53 hosted zone. */
export interface AliasTarget {
  readonly dnsName: pulumi.Input<string>;
  readonly zoneId: pulumi.Input<string>;
}

/**
 * One failover alias record of the public name, pointing at this region's load balancer. Route 53
 * answers the PRIMARY while its health check and its load balancer's targets are healthy, else the
 * SECONDARY when its own are; both exist from the first deployment on, so failover changes no record.
 */
export function defineFailoverRecord(
  name: string,
  target: AliasTarget,
  args: FailoverRecordArgs,
): aws.route53.Record {
  return new aws.route53.Record(
    `${name}-dns`,
    {
      zoneId: args.dns.zoneId,
      name: args.dns.domainName,
      type: "A",
      setIdentifier: args.failover === "PRIMARY" ? "primary" : "secondary",
      failoverRoutingPolicies: [{ type: args.failover }],
      healthCheckId: args.healthCheckId,
      aliases: [
        {
          name: target.dnsName,
          zoneId: target.zoneId,
          evaluateTargetHealth: true,
        },
      ],
    },
    // A simple record and a failover record of one name cannot coexist: an earlier simple record goes first.
    { deleteBeforeReplace: true },
  );
}
