/** Route 53's answers for failover alias records, as stacks/dnsFailover.ts deploys them, and the fake's A records. */
import { createHash } from "crypto";
import type { FakeAlarm } from "./cloudWatch";

/** A CLOUDWATCH_METRIC health check on an alarm (stacks/dnsFailover.ts: `serve-primary`, `serve-dr`). */
export interface FakeHealthCheck {
  readonly alarm: FakeAlarm;
  /** `invertHealthcheck`: healthy while the alarm is in ALARM. */
  readonly invert: boolean;
}

/** One failover alias record of a public name: an alias to a load balancer, with `evaluateTargetHealth`. */
export interface FakeFailoverRecord {
  readonly failover: "PRIMARY" | "SECONDARY";
  /** The load balancer the alias points at. */
  readonly loadBalancerDnsName: string;
  /** The record's health check. Without one the record counts as healthy as far as a check goes. */
  readonly healthCheck?: FakeHealthCheck;
  /** The load balancer's targets (its target group): an Auto Scaling group's servers or an ECS service's tasks. */
  readonly targets: FakeTargets;
}

/** What serves behind a load balancer: the servers of an Auto Scaling group, or the tasks of an ECS service. */
export interface FakeTargets {
  readonly region: string;
  /** The Auto Scaling group whose servers are the targets; unused with {@link ecsService}. */
  readonly autoScalingGroupName: string;
  /** The ECS service whose tasks are the targets (awsvpc tasks register by address). @default none: the group's servers */
  readonly ecsService?: { readonly cluster: string; readonly service: string };
}

/** A public name with its PRIMARY and SECONDARY failover records. */
export interface FakeDnsName {
  readonly name: string;
  readonly primary: FakeFailoverRecord;
  readonly secondary: FakeFailoverRecord;
}

/** What the resolver reads from the rest of the fake. */
export interface ResolverInputs {
  readonly now: () => number;
  /** The alarm's state at a moment (CloudWatch, as Route 53 reads it). */
  readonly alarmState: (alarm: FakeAlarm, at: number) => string;
  /** Whether a server or task of the targets takes requests at a moment, its region answering. */
  readonly hasHealthyTarget: (targets: FakeTargets, at: number) => boolean;
}

/** Two addresses per load balancer, stable for its name: what an A query of its DNS name returns. */
export function loadBalancerAddresses(dnsName: string): string[] {
  const hash = createHash("sha256").update(dnsName.toLowerCase()).digest();
  return [0, 3].map((i) => `10.${hash[i]}.${hash[i + 1]}.${(hash[i + 2] % 250) + 2}`);
}

/**
 * Answers queries for failover alias records the way Route 53 does:
 * - a record is healthy when its health check is healthy AND, with `evaluateTargetHealth` (always set
 *   by stacks/dnsFailover.ts), its load balancer is: an ALB "is considered healthy" when every target
 *   group that contains targets has at least one healthy target, and "a target group that has no
 *   registered targets is considered unhealthy" (Route 53 API reference, AliasTarget,
 *   EvaluateTargetHealth, "Application and Network Load Balancers");
 * - a CLOUDWATCH_METRIC health check is healthy while its alarm is OK (ALARM when inverted); with
 *   `LastKnownStatus` it keeps its last status without data, "for new health checks that have no last
 *   known status, the default status for the health check is healthy" (Route 53 API reference,
 *   HealthCheckConfig, InsufficientDataHealthStatus);
 * - "When the primary resource record set is healthy, Route 53 responds ... with the applicable value
 *   from the primary"; when the primary is unhealthy and the secondary healthy, with the secondary;
 *   "When the secondary resource record set is unhealthy, Route 53 responds to DNS queries with the
 *   applicable value from the primary resource record set regardless of the health of the primary
 *   resource record set" (Route 53 API reference, ResourceRecordSet, Failover; developer guide, "How
 *   Amazon Route 53 chooses records when health checking is configured").
 * Health is judged at the moment of the query; Route 53's own checkers poll, which the alarm's one-minute
 * evaluation delay in cloudWatch.ts stands for.
 */
export class FailoverResolver {
  private readonly lastKnown = new Map<FakeHealthCheck, boolean>();

  constructor(
    private readonly names: readonly FakeDnsName[],
    private readonly inputs: ResolverInputs,
  ) {}

  private checkHealthy(check: FakeHealthCheck, at: number): boolean {
    const state = this.inputs.alarmState(check.alarm, at);
    if (state === "INSUFFICIENT_DATA") {
      return this.lastKnown.get(check) ?? true;
    }
    const healthy = (state === "OK") !== check.invert;
    this.lastKnown.set(check, healthy);
    return healthy;
  }

  /** Whether a record is healthy at `at`: its health check, and its load balancer's targets. */
  healthy(record: FakeFailoverRecord, at: number): boolean {
    const checkOk = record.healthCheck ? this.checkHealthy(record.healthCheck, at) : true;
    const targetsOk = this.inputs.hasHealthyTarget(record.targets, at);
    return checkOk && targetsOk;
  }

  /** The record Route 53 answers for `name` at `at` (default now), or undefined for a name it does not hold. */
  answer(name: string, at = this.inputs.now()): FakeFailoverRecord | undefined {
    const entry = this.names.find((n) => n.name.toLowerCase() === name.toLowerCase());
    if (!entry) {
      return undefined;
    }
    if (this.healthy(entry.primary, at)) {
      return entry.primary;
    }
    return this.healthy(entry.secondary, at) ? entry.secondary : entry.primary;
  }

  /**
   * An A query now: the public name answers with the addresses of the load balancer its answering record
   * aliases (an alias record returns the target's records); a load balancer's own name with its
   * addresses; any other name with none (NXDOMAIN).
   */
  addresses(hostname: string): string[] {
    const record = this.answer(hostname);
    if (record) {
      return loadBalancerAddresses(record.loadBalancerDnsName);
    }
    const known = this.names.some((n) =>
      [n.primary, n.secondary].some((r) => r.loadBalancerDnsName.toLowerCase() === hostname.toLowerCase()),
    );
    return known ? loadBalancerAddresses(hostname) : [];
  }
}
