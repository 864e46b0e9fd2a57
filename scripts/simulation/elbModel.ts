// The simulated Elastic Load Balancing target groups: their targets' health over time, ECS tasks registering and draining.
import { FakeApiError } from "./backupJobs";
import type { EcsServices } from "./ecsModel";

/** A target's health state (ELB API reference, TargetHealth `State`). */
export type TargetState = "initial" | "healthy" | "unhealthy" | "unused" | "draining" | "unavailable";

/** A target group the simulation starts with. */
export interface FakeTargetGroup {
  readonly region: string;
  readonly arn: string;
  /** The port its targets receive traffic on. @default 80 */
  readonly port?: number;
  /** HealthCheckIntervalSeconds, in ms (ALB default 30 s for instance and ip targets). @default 30000 */
  readonly intervalMs?: number;
  /** HealthyThresholdCount (ALB default 5). @default 5 */
  readonly healthyThreshold?: number;
  /** UnhealthyThresholdCount (ALB default 2). @default 2 */
  readonly unhealthyThreshold?: number;
  /** The deregistration_delay.timeout_seconds attribute, in ms (default 300 s). @default 300000 */
  readonly deregistrationDelayMs?: number;
  /**
   * The ECS service whose tasks register here by IP (awsvpc), read from the ECS model the group is given.
   * @default none: only targets registered with {@link TargetGroups.register}
   */
  readonly ecsService?: { readonly cluster: string; readonly name: string };
}

/** A target and its health as DescribeTargetHealth gives it. */
export interface TargetHealthDescription {
  readonly id: string;
  readonly port: number;
  readonly state: TargetState;
  /** Absent when healthy (ELB API reference, TargetHealth `Reason`). */
  readonly reason?: string;
  readonly description?: string;
}

/** A registration made by hand (or by something other than the ECS service): an IP or instance id. */
interface Registration {
  readonly id: string;
  readonly registeredAt: number;
  deregisteredAt?: number;
}

interface ModelGroup {
  readonly spec: FakeTargetGroup;
  readonly registrations: Registration[];
  /** Whether the targets answer the health check from a moment on: `{ at, passing }`, oldest first. */
  readonly answers: { readonly at: number; readonly passing: boolean }[];
}

/** Each reason's description, as the ALB user guide's "Health check reason codes" table words it. */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  "Elb.RegistrationInProgress": "Target registration is in progress",
  "Elb.InitialHealthChecking": "Initial health checks in progress",
  "Target.ResponseCodeMismatch": "Health checks failed with these codes: [503]",
  "Target.DeregistrationInProgress": "Target deregistration is in progress",
  "Target.NotRegistered": "Target is not registered to the target group",
};

/** A description of `state` with `reason`. */
function described(id: string, port: number, state: TargetState, reason?: string): TargetHealthDescription {
  return {
    id,
    port,
    state,
    ...(reason !== undefined && { reason, description: DESCRIPTIONS[reason] }),
  };
}

/**
 * Application Load Balancer target groups of every region, on the model's clock. A registered target is
 * `initial` (Elb.RegistrationInProgress until the first health check, then Elb.InitialHealthChecking)
 * until HealthyThresholdCount consecutive checks pass (`healthy`) or UnhealthyThresholdCount fail
 * (`unhealthy`, Target.ResponseCodeMismatch); a healthy target that fails UnhealthyThresholdCount checks
 * turns unhealthy, an unhealthy one that passes HealthyThresholdCount turns healthy again; a check every
 * HealthCheckIntervalSeconds (ALB user guide, "Health checks for Application Load Balancer target
 * groups": settings, target health status, reason codes). A deregistered target is `draining`
 * (Target.DeregistrationInProgress) for the deregistration delay, then no longer listed (ELB API
 * reference, DeregisterTargets; ALB user guide, "Deregistration delay": "After the deregistration delay
 * elapses, the deregistration process completes and the state of the target is unused"); a target asked
 * for by id and not registered is `unused` (Target.NotRegistered). The first check one interval after
 * the registration is *(unsourced)*: AWS documents the interval, not the phase. The early end of a drain
 * with no connection open is not modelled: the drain always lasts the whole delay, the longer case.
 *
 * An ECS service's tasks (awsvpc) register by IP while ACTIVATING and deregister when they start
 * DEACTIVATING (ECS developer guide, "Amazon ECS task lifecycle": "the target group registration occurs
 * during this state", "the target group deregistration occurs during this state"; ecsModel.ts
 * registrations), so the group follows the ECS model it is given. The page does not say the task waits
 * in DEACTIVATING for the drain to end: the drain here lasts the group's own delay, which may outlast
 * the task.
 */
export class TargetGroups {
  private readonly groups = new Map<string, ModelGroup>();

  constructor(
    specs: readonly FakeTargetGroup[],
    private readonly ecs: EcsServices | undefined,
    private readonly now: () => number,
  ) {
    for (const spec of specs) {
      this.groups.set(this.key(spec.region, spec.arn), { spec, registrations: [], answers: [] });
    }
  }

  /** Registers targets (an IP or instance id each) by hand, as RegisterTargets does. */
  register(region: string, arn: string, ids: readonly string[], at = this.now()): void {
    const group = this.group(region, arn);
    for (const id of ids) {
      const current = group.registrations.find((r) => r.id === id && r.deregisteredAt === undefined);
      if (!current) group.registrations.push({ id, registeredAt: at });
    }
  }

  /** Deregisters targets registered by hand, as DeregisterTargets does: they drain, then leave. */
  deregister(region: string, arn: string, ids: readonly string[], at = this.now()): void {
    const group = this.group(region, arn);
    for (const registration of group.registrations) {
      if (ids.includes(registration.id) && registration.deregisteredAt === undefined) {
        registration.deregisteredAt = at;
      }
    }
  }

  /** From `at` on, every target of the group passes (or fails) its health checks: the application's answer. */
  answerHealthChecks(region: string, arn: string, passing: boolean, at = this.now()): void {
    this.group(region, arn).answers.push({ at, passing });
  }

  /**
   * DescribeTargetHealth: each registered target's health now, or of the targets asked for (by id, and
   * port when given); an unknown group is TargetGroupNotFound (ELB API reference, DescribeTargetHealth).
   */
  describeTargetHealth(
    region: string,
    arn: string,
    targets?: readonly { readonly id: string; readonly port?: number }[],
    at = this.now(),
  ): TargetHealthDescription[] {
    const group = this.group(region, arn);
    const port = group.spec.port ?? 80;
    const all = this.allRegistrations(group, at)
      .filter((r) => r.registeredAt <= at)
      .map((r) => ({ r, health: this.health(group, r, at) }))
      .filter(({ health }) => health !== undefined)
      .map(({ r, health }) => ({ id: r.id, ...(health as { state: TargetState; reason?: string }) }));
    if (targets === undefined || targets.length === 0) {
      return all.map((t) => described(t.id, port, t.state, t.reason));
    }
    return targets.map((wanted) => {
      const found = all.find((t) => t.id === wanted.id);
      return found
        ? described(found.id, wanted.port ?? port, found.state, found.reason)
        : described(wanted.id, wanted.port ?? port, "unused", "Target.NotRegistered");
    });
  }

  private key(region: string, arn: string): string {
    return `${region}/${arn}`;
  }

  private group(region: string, arn: string): ModelGroup {
    const group = this.groups.get(this.key(region, arn));
    if (!group) {
      throw new FakeApiError(400, "TargetGroupNotFound", `One or more target groups not found`);
    }
    return group;
  }

  /** The group's registrations: by hand, and its ECS service's tasks. */
  private allRegistrations(group: ModelGroup, at: number): Registration[] {
    const bound = group.spec.ecsService;
    const tasks =
      bound && this.ecs
        ? this.ecs.registrations(group.spec.region, bound.cluster, bound.name, at).map((t) => ({
            id: t.ip,
            registeredAt: t.registeredAt,
            deregisteredAt: t.deregisteredAt,
          }))
        : [];
    return [...group.registrations, ...tasks];
  }

  /** Whether the targets pass a check made at `at`. */
  private passes(group: ModelGroup, at: number): boolean {
    let passing = true;
    for (const answer of group.answers) {
      if (answer.at <= at) passing = answer.passing;
    }
    return passing;
  }

  /** A registration's health at `at`, or undefined once its drain is over (no longer listed). */
  private health(
    group: ModelGroup,
    registration: Registration,
    at: number,
  ): { state: TargetState; reason?: string } | undefined {
    const { spec } = group;
    const dereg = registration.deregisteredAt;
    if (dereg !== undefined && dereg <= at) {
      return at < dereg + (spec.deregistrationDelayMs ?? 300_000)
        ? { state: "draining", reason: "Target.DeregistrationInProgress" }
        : undefined;
    }
    const interval = spec.intervalMs ?? 30_000;
    const healthy = spec.healthyThreshold ?? 5;
    const unhealthy = spec.unhealthyThreshold ?? 2;
    let state: TargetState = "initial";
    let reason: string | undefined = "Elb.RegistrationInProgress";
    let passed = 0;
    let failed = 0;
    for (let check = registration.registeredAt + interval; check <= at; check += interval) {
      if (this.passes(group, check)) {
        passed += 1;
        failed = 0;
      } else {
        failed += 1;
        passed = 0;
      }
      if (passed >= healthy) {
        state = "healthy";
        reason = undefined;
      } else if (failed >= unhealthy) {
        state = "unhealthy";
        reason = "Target.ResponseCodeMismatch";
      } else if (state === "initial") {
        reason = "Elb.InitialHealthChecking";
      }
    }
    return { state, reason };
  }
}
