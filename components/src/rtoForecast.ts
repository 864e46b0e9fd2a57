// The RTO forecast: the critical path of a recovery (restores in quota waves, flip, boot, health, DNS).
import {
  estimateRestore,
  RESTORE_TIME_TERMS,
  RestoreEstimate,
  RestoreEstimateArgs,
  RestoreTimeKind,
  RestoreTimeTerms,
} from "./restoreTime";

/** What a recovery restores and does after, for the RTO forecast. */
export interface RtoForecastArgs {
  /** The resources a recovery restores, any number of each kind. */
  readonly resources: RestoreEstimateArgs[];
  /**
   * Minutes the flip takes: the dr stack's update to active (Auto Scaling capacity, launch template).
   * Default: 10 (a guess; a drill measures it).
   */
  readonly flipMinutes?: number;
  /**
   * Minutes from a server's launch until the application answers.
   * Default: 5 (a guess; a drill measures it).
   */
  readonly serverBootMinutes?: number;
  /**
   * Minutes until the load balancer counts a server healthy: the target group's health check interval
   * times its healthy threshold.
   * Default: 3 (Elastic Load Balancing's defaults for an Application Load Balancer target group: 5
   * consecutive healthy checks 30 seconds apart, rounded up); a stack passes its own target group's.
   */
  readonly healthCheckMinutes?: number;
  /**
   * Minutes from the servers' health until someone switches traffic to the DR region (a failover switch
   * thrown by hand). A recovery run does not include it: `dr recover` ends at healthy servers.
   * Default: 0 (the switch is automatic).
   */
  readonly operatorSwitchMinutes?: number;
  /**
   * Minutes from the switch until DNS answers with the DR region. A recovery run does not include it.
   * Default: 3 (Route 53 endpoint health checks' defaults: 3 failed checks 30 seconds apart, then a
   * 60-second TTL); a stack passes what its own switch takes.
   */
  readonly dnsMinutes?: number;
}

/** Default flip time, minutes. */
const DEFAULT_FLIP_MINUTES = 10;
/** Default server boot time, minutes. */
const DEFAULT_SERVER_BOOT_MINUTES = 5;
/** Default time to healthy, minutes. */
const DEFAULT_HEALTH_CHECK_MINUTES = 3;
/** Default time for DNS to move, minutes. */
const DEFAULT_DNS_MINUTES = 3;
/** Default time for the operator to throw the switch, minutes: none, an automatic switch. */
const DEFAULT_OPERATOR_SWITCH_MINUTES = 0;

/** One resource's place in the forecast. */
export interface ForecastRestore extends RestoreEstimate {
  /** Minutes after the recovery's start the restore can begin: later than 0 when its kind's quota is full. */
  readonly startMinutes: number;
}

/** The RTO forecast: the recovery's critical path against the objective. */
export interface RtoForecast {
  /** Forecast minutes from the recovery's start until the application answers in the DR region. */
  readonly minutes: number;
  /**
   * Forecast minutes until the servers in the DR region are healthy, before the switch and DNS: what a
   * `dr recover` run measures (it ends there and never moves DNS).
   */
  readonly healthyMinutes: number;
  /** Forecast minutes of the operator's switch and DNS after healthy servers: `minutes - healthyMinutes`. */
  readonly trafficMinutes: number;
  /** Forecast minutes until every restored resource is at full performance. */
  readonly fullPerformanceMinutes: number;
  /** The sum, term by term: `35 (RDS "db": 15 (setup)...) + 10 (flip) + ... = 56 min`. */
  readonly arithmetic: string;
  /** Whether the forecast meets `objectives.rtoMinutes`; unset without an objective. */
  readonly meetsRto?: boolean;
  /** Every restore, in the order given, with its start and its two times. */
  readonly restores: ForecastRestore[];
  /** What the forecast was computed from, so a calibration can compute it again from measurements. */
  readonly inputs: RtoForecastArgs;
}

/**
 * Starts each resource's restore as soon as its kind's quota has a free slot (in the order given), so a
 * kind with more resources than its quota restores in waves.
 */
function schedule(
  estimates: RestoreEstimate[],
  termsOf: (kind: RestoreTimeKind) => RestoreTimeTerms,
): ForecastRestore[] {
  const running = new Map<RestoreTimeKind, number[]>();
  return estimates.map((estimate) => {
    const quota = termsOf(estimate.kind).concurrentRestores ?? Infinity;
    const ends = running.get(estimate.kind) ?? [];
    let startMinutes = 0;
    if (ends.length >= quota) {
      ends.sort((a, b) => a - b);
      startMinutes = ends.shift() ?? 0;
    }
    ends.push(startMinutes + estimate.usableMinutes);
    running.set(estimate.kind, ends);
    return { ...estimate, startMinutes };
  });
}

/**
 * The terms after the restores, in order: flip, servers' boot, health checks (to healthy servers), then the
 * operator's switch and DNS (to traffic in the DR region).
 */
function recoveryTerms(args: RtoForecastArgs): [number, string][] {
  return [
    [args.flipMinutes ?? DEFAULT_FLIP_MINUTES, "flip"],
    [args.serverBootMinutes ?? DEFAULT_SERVER_BOOT_MINUTES, "servers' boot"],
    [args.healthCheckMinutes ?? DEFAULT_HEALTH_CHECK_MINUTES, "health checks"],
    [args.operatorSwitchMinutes ?? DEFAULT_OPERATOR_SWITCH_MINUTES, "operator's switch"],
    [args.dnsMinutes ?? DEFAULT_DNS_MINUTES, "DNS"],
  ];
}

/**
 * Minutes of a recovery that are not restores: flip, boot, health, the operator's switch and DNS. The
 * restore-time target the audit framework defaults to is the RTO less these.
 */
export function nonRestoreMinutes(args: RtoForecastArgs): number {
  return round(recoveryTerms(args).reduce((sum, [value]) => sum + value, 0));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * The forecast of a recovery: the restore that is usable last (its wave's start included), then the flip,
 * the servers' boot, their health and DNS, against `rtoMinutes`.
 * @param termsOf the model's terms per kind; calibrated terms replace the defaults.
 */
export function forecastRto(
  args: RtoForecastArgs,
  rtoMinutes: number | undefined,
  termsOf: (kind: RestoreTimeKind) => RestoreTimeTerms = (kind) => RESTORE_TIME_TERMS[kind],
): RtoForecast {
  const restores = schedule(
    args.resources.map((resource) => estimateRestore(resource, termsOf(resource.kind))),
    termsOf,
  );
  const last = restores.reduce<ForecastRestore | undefined>(
    (worst, r) =>
      worst === undefined || r.startMinutes + r.usableMinutes > worst.startMinutes + worst.usableMinutes
        ? r
        : worst,
    undefined,
  );
  const restoreTerm: [number, string] = last
    ? [
        round(last.startMinutes + last.usableMinutes),
        `${last.kind} "${last.name}" usable: ${last.startMinutes > 0 ? `${last.startMinutes} (waiting for the ${last.kind} quota) + ` : ""}${last.arithmetic}`,
      ]
    : [0, "nothing to restore"];
  const toHealthy: [number, string][] = [restoreTerm, ...recoveryTerms(args).slice(0, 3)];
  const traffic = recoveryTerms(args).slice(3);
  // A switch that is not thrown by hand (0 minutes) is no term of the arithmetic.
  const terms = [
    ...toHealthy,
    ...traffic.filter(([value, what]) => value > 0 || what !== "operator's switch"),
  ];
  const minutes = round(terms.reduce((sum, [value]) => sum + value, 0));
  const healthyMinutes = round(toHealthy.reduce((sum, [value]) => sum + value, 0));
  const fullPerformanceMinutes = round(
    Math.max(minutes, ...restores.map((r) => r.startMinutes + r.fullPerformanceMinutes)),
  );
  return {
    minutes,
    healthyMinutes,
    trafficMinutes: round(minutes - healthyMinutes),
    fullPerformanceMinutes,
    arithmetic: `${terms.map(([value, what]) => `${value} (${what})`).join(" + ")} = ${minutes} min`,
    meetsRto: rtoMinutes === undefined ? undefined : minutes <= rtoMinutes,
    restores,
    inputs: args,
  };
}
