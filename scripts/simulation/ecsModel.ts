// The simulated ECS: services on Fargate, their deployments' rolling updates and their tasks' lifecycle over time.
import { FakeApiError } from "./backupJobs";
import type { SimResource } from "./resourceStore";

const ACCOUNT = "123456789012";

/** A task's last status, in lifecycle order (ECS developer guide, "Amazon ECS task lifecycle"). */
export type TaskStatus =
  | "PROVISIONING"
  | "PENDING"
  | "ACTIVATING"
  | "RUNNING"
  | "DEACTIVATING"
  | "STOPPING"
  | "DEPROVISIONING"
  | "STOPPED";

/**
 * How long a Fargate task stays in each state on its way up and down. *(unsourced)*: ECS documents the
 * states and their order, not their durations; these are round figures of what one sees in the console.
 * The way down waits the target group's deregistration delay in DEACTIVATING (ECS developer guide, task
 * lifecycle: "DEACTIVATING ... deregistering the task from the target group").
 */
const STEP_MS = {
  provisioning: 10_000,
  pending: 20_000,
  activating: 5_000,
  stopping: 5_000,
  deprovisioning: 5_000,
};

/** How long ListTasks and DescribeTasks still return a stopped task (ECS API reference, DescribeTasks: "at least one hour"). */
const STOPPED_VISIBLE_MS = 60 * 60_000;

/** DescribeServices keeps a service's most recent events *(unsourced: the console shows the last 100)*. */
const EVENTS_KEPT = 100;

/** A service the simulation starts with. */
export interface FakeEcsService {
  readonly region: string;
  readonly cluster: string;
  readonly name: string;
  /** The task definition ARN of its first deployment. */
  readonly taskDefinition: string;
  /** @default 0 */
  readonly desiredCount?: number;
  /** The deployment configuration's minimumHealthyPercent (ECS API default 100). @default 100 */
  readonly minimumHealthyPercent?: number;
  /** The deployment configuration's maximumPercent (ECS API default 200). @default 200 */
  readonly maximumPercent?: number;
  /** The target group's deregistration delay (Elastic Load Balancing default 300 s). @default 300000 */
  readonly deregistrationDelayMs?: number;
  /** Task definitions whose tasks stop before they run (an image that will not start). @default [] */
  readonly failingTaskDefinitions?: readonly string[];
  /**
   * What the stack's last `pulumi up` set, read at every step: the service follows it as UpdateService
   * would (stacks/compute/ecs.ts: the desired count from the capacity keys, a new task definition revision
   * when the containers' variables change). @default none: only {@link EcsServices.updateService} changes it
   */
  readonly follow?: () => { readonly desiredCount: number; readonly taskDefinition: string };
  /**
   * What a task of the task definition revision `revision` writes to, when the application's users reach
   * it (fakeAwsServer's application). @default the application's own `writesTo`
   */
  readonly writesTo?: (resource: SimResource, revision: number) => boolean;
}

/** A task taking requests: RUNNING, on the revision of its task definition. */
export interface ServingTask {
  readonly id: string;
  readonly revision: number;
}

interface ModelTask {
  readonly id: string;
  readonly arn: string;
  /** Its elastic network interface's private address: an awsvpc task registers by it (ip targets). */
  readonly privateIp: string;
  readonly deploymentId: string;
  readonly taskDefinition: string;
  readonly createdAt: number;
  /** Its planned states and when each begins; the way down replaces what was left of the way up. */
  transitions: { readonly status: TaskStatus; readonly at: number }[];
  stopRequestedAt?: number;
  readonly fails: boolean;
}

interface ModelDeployment {
  readonly id: string;
  readonly taskDefinition: string;
  readonly createdAt: number;
  primary: boolean;
  rolloutState: "IN_PROGRESS" | "COMPLETED" | "FAILED";
  rolloutStateReason: string;
  failedTasks: number;
}

interface ModelService {
  readonly spec: FakeEcsService;
  readonly arn: string;
  desiredCount: number;
  deployments: ModelDeployment[];
  tasks: ModelTask[];
  /** Newest last. */
  events: { readonly at: number; readonly message: string }[];
}

/** A task as DescribeTasks gives it. */
export interface TaskDescription {
  readonly taskArn: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  readonly group: string;
  readonly lastStatus: TaskStatus;
  readonly desiredStatus: "RUNNING" | "STOPPED";
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly stoppedAt?: number;
  readonly stoppedReason?: string;
  /** The private address of its elastic network interface (DescribeTasks `attachments`, awsvpc). */
  readonly privateIp: string;
}

/**
 * A task's time in its service's target group: registered while ACTIVATING, deregistered when it starts
 * DEACTIVATING (ECS developer guide, "Amazon ECS task lifecycle": the load balancer registration occurs
 * in ACTIVATING, the deregistration in DEACTIVATING). Absent times have not come (yet).
 */
export interface TaskRegistration {
  readonly taskId: string;
  readonly ip: string;
  readonly registeredAt: number;
  readonly deregisteredAt?: number;
}

/** A service as DescribeServices gives it. */
export interface ServiceDescription {
  readonly serviceArn: string;
  readonly serviceName: string;
  readonly clusterArn: string;
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  readonly deployments: {
    readonly id: string;
    readonly status: "PRIMARY" | "ACTIVE";
    readonly taskDefinition: string;
    readonly desiredCount: number;
    readonly runningCount: number;
    readonly pendingCount: number;
    readonly failedTasks: number;
    readonly rolloutState: string;
    readonly rolloutStateReason: string;
    readonly createdAt: number;
  }[];
  /** Newest first. */
  readonly events: { readonly id: string; readonly createdAt: number; readonly message: string }[];
}

/** What a task is at `at`. */
function statusAt(task: ModelTask, at: number): TaskStatus {
  let status: TaskStatus = "PROVISIONING";
  for (const step of task.transitions) {
    if (step.at <= at) status = step.status;
  }
  return status;
}

/**
 * ECS services of every region, on the model's clock. A service runs its PRIMARY deployment's task
 * definition: UpdateService with a new task definition starts a deployment, and the scheduler replaces the
 * old tasks within minimumHealthyPercent and maximumPercent of the desired count (ECS developer guide,
 * "Deploy Amazon ECS services by replacing tasks": the scheduler may start tasks up to maximumPercent and
 * stop old ones while the RUNNING tasks stay at minimumHealthyPercent); a desired count of 0 stops every
 * task. A task goes PROVISIONING -> PENDING -> ACTIVATING -> RUNNING and, stopped, DEACTIVATING (the target
 * group's deregistration delay) -> STOPPING -> DEPROVISIONING -> STOPPED (ECS developer guide, "Amazon ECS
 * task lifecycle"). A deployment whose tasks keep failing is FAILED by the circuit breaker after
 * min(max(ceil(desired / 2), 3), 200) failed tasks and rolled back to the last COMPLETED one (ECS developer
 * guide, "How the Amazon ECS deployment circuit breaker detects failures": failed task threshold).
 */
export class EcsServices {
  private readonly services = new Map<string, ModelService>();
  private settledTo = 0;
  private counter = 0;
  /** Task definitions services were updated to: registered, whatever runs them now. */
  private readonly registered: string[] = [];

  constructor(
    specs: readonly FakeEcsService[],
    private readonly now: () => number,
  ) {
    for (const spec of specs) {
      const service: ModelService = {
        spec,
        arn: `arn:aws:ecs:${spec.region}:${ACCOUNT}:service/${spec.cluster}/${spec.name}`,
        desiredCount: spec.desiredCount ?? 0,
        deployments: [],
        tasks: [],
        events: [],
      };
      service.deployments.push(this.deployment(spec.taskDefinition, now()));
      service.deployments[0].rolloutState = "COMPLETED";
      this.services.set(this.key(spec.region, spec.cluster, spec.name), service);
    }
    this.settledTo = now();
    for (const service of this.services.values()) this.schedule(service, now());
  }

  /**
   * Brings every service up to the clock, then reads what their `follow` asks now: a stack's `up` may
   * change it while the clock stands still (the rehearsal holds it during local processing).
   */
  observe(): void {
    const at = this.now();
    this.settle(at);
    for (const service of this.services.values()) this.schedule(service, at);
  }

  /** A service as the simulation started it, or undefined. */
  find(region: string, cluster: string, name: string): FakeEcsService | undefined {
    return this.services.get(this.key(region, cluster, name))?.spec;
  }

  /**
   * The service's tasks taking requests at `at` (no later than the model's clock): RUNNING then, so
   * registered with the load balancer's target group; a DEACTIVATING task is draining and takes no new
   * request (ECS developer guide, "Amazon ECS task lifecycle"). The target group's health check passing as
   * soon as a task runs is a simplification *(unsourced)*. Empty for a service the model does not know.
   */
  servingTasks(region: string, cluster: string, name: string, at = this.now()): ServingTask[] {
    const service = this.services.get(this.key(region, cluster, name));
    return (service?.tasks ?? [])
      .filter((task) => statusAt(task, at) === "RUNNING")
      .map((task) => ({
        id: task.id,
        revision: Number(/:(\d+)$/.exec(task.taskDefinition)?.[1] ?? 0),
      }));
  }

  /** UpdateService: a new desired count, a new task definition (a new PRIMARY deployment), or both. */
  updateService(
    region: string,
    cluster: string,
    name: string,
    update: { readonly desiredCount?: number; readonly taskDefinition?: string },
    at = this.now(),
  ): void {
    this.settle(at);
    const service = this.service(region, cluster, name);
    if (update.desiredCount !== undefined) {
      if (!Number.isInteger(update.desiredCount) || update.desiredCount < 0) {
        throw new FakeApiError(
          400,
          "InvalidParameterException",
          "desiredCount must be a whole number of 0 or more",
        );
      }
      service.desiredCount = update.desiredCount;
    }
    const primary = this.primary(service);
    if (update.taskDefinition !== undefined) {
      // The caller registered it first (RegisterTaskDefinition, as `pulumi up` does): the family's latest.
      this.registered.push(update.taskDefinition);
    }
    if (update.taskDefinition !== undefined && update.taskDefinition !== primary.taskDefinition) {
      primary.primary = false;
      service.deployments.push(this.deployment(update.taskDefinition, at));
    } else if (update.desiredCount !== undefined && primary.rolloutState === "COMPLETED") {
      primary.rolloutState = "IN_PROGRESS";
    }
    this.schedule(service, at);
  }

  /** DescribeServices: each known service; unknown names are the `failures` (reason MISSING). */
  describeServices(
    region: string,
    cluster: string,
    names: readonly string[],
    at = this.now(),
  ): { services: ServiceDescription[]; failures: { arn: string; reason: string }[] } {
    this.settle(at);
    const services: ServiceDescription[] = [];
    const failures: { arn: string; reason: string }[] = [];
    for (const name of names) {
      const service = this.services.get(this.key(region, cluster, name));
      if (!service) {
        failures.push({
          arn: `arn:aws:ecs:${region}:${ACCOUNT}:service/${cluster}/${name}`,
          reason: "MISSING",
        });
        continue;
      }
      services.push(this.describe(service, at));
    }
    return { services, failures };
  }

  /**
   * DescribeTaskDefinition by family (the latest ACTIVE revision: ECS API reference, DescribeTaskDefinition
   * "If a family is specified without a revision, the latest ACTIVE revision is used") or by ARN: here the
   * revisions a service was created or updated with.
   */
  describeTaskDefinition(
    region: string,
    familyOrArn: string,
  ): { taskDefinitionArn: string; family: string; revision: number } {
    const revisions = [...this.services.values()]
      .filter((s) => s.spec.region === region)
      .flatMap((s) => [
        s.spec.taskDefinition,
        ...s.deployments.map((d) => d.taskDefinition),
        ...this.registered,
      ])
      .flatMap((arn) => {
        const m = /task-definition\/([^:]+):(\d+)$/.exec(arn);
        // The ARN as registered (its account too), a bare `family:revision` in the model's account.
        return m
          ? [
              {
                taskDefinitionArn: arn.startsWith("arn:") ? arn : `arn:aws:ecs:${region}:${ACCOUNT}:${m[0]}`,
                family: m[1],
                revision: Number(m[2]),
              },
            ]
          : [];
      });
    const wanted = /task-definition\/([^:]+):(\d+)$/.exec(familyOrArn);
    const found = wanted
      ? revisions.find((r) => r.family === wanted[1] && r.revision === Number(wanted[2]))
      : revisions.filter((r) => r.family === familyOrArn).sort((a, b) => b.revision - a.revision)[0];
    if (!found) {
      throw new FakeApiError(400, "ClientException", "Unable to describe task definition.");
    }
    return found;
  }

  /** ListTasks of a service: by desired status (RUNNING by default), stopped ones while still visible. */
  listTasks(
    region: string,
    cluster: string,
    serviceName: string,
    desiredStatus: "RUNNING" | "STOPPED" = "RUNNING",
    at = this.now(),
  ): string[] {
    this.settle(at);
    const service = this.service(region, cluster, serviceName);
    return service.tasks
      .filter((task) => this.desiredStatus(task) === desiredStatus && this.visible(task, at))
      .map((task) => task.arn);
  }

  /** DescribeTasks: each task of the cluster by ARN or id; unknown ones are the `failures` (reason MISSING). */
  describeTasks(
    region: string,
    cluster: string,
    tasks: readonly string[],
    at = this.now(),
  ): { tasks: TaskDescription[]; failures: { arn: string; reason: string }[] } {
    this.settle(at);
    const all = [...this.services.values()]
      .filter((s) => s.spec.region === region && s.spec.cluster === cluster)
      .flatMap((s) => s.tasks.map((task) => ({ service: s, task })));
    const found: TaskDescription[] = [];
    const failures: { arn: string; reason: string }[] = [];
    for (const wanted of tasks) {
      const hit = all.find(
        ({ task }) => (task.arn === wanted || task.id === wanted) && this.visible(task, at),
      );
      if (!hit) {
        failures.push({ arn: wanted, reason: "MISSING" });
        continue;
      }
      const { service, task } = hit;
      const status = statusAt(task, at);
      const running = task.transitions.find((step) => step.status === "RUNNING" && step.at <= at);
      const stopped = task.transitions.find((step) => step.status === "STOPPED" && step.at <= at);
      found.push({
        taskArn: task.arn,
        clusterArn: `arn:aws:ecs:${region}:${ACCOUNT}:cluster/${cluster}`,
        taskDefinitionArn: task.taskDefinition,
        group: `service:${service.spec.name}`,
        lastStatus: status,
        desiredStatus: this.desiredStatus(task),
        createdAt: task.createdAt,
        privateIp: task.privateIp,
        ...(running && { startedAt: running.at }),
        ...(stopped && { stoppedAt: stopped.at }),
        ...(task.stopRequestedAt !== undefined && {
          stoppedReason: task.fails
            ? "Essential container in task exited"
            : "Scaling activity initiated by (deployment ecs-svc)",
        }),
      });
    }
    return { tasks: found, failures };
  }

  /**
   * The registrations of a service's tasks in its target group up to `at` (the Elastic Load Balancing
   * model, elbModel.ts, turns them into target health): every task that reached ACTIVATING, with the
   * moment it began DEACTIVATING (or, stopped before it ran, STOPPING) once it has.
   */
  registrations(region: string, cluster: string, serviceName: string, at = this.now()): TaskRegistration[] {
    this.settle(at);
    return this.service(region, cluster, serviceName).tasks.flatMap((task) => {
      const registered = task.transitions.find((step) => step.status === "ACTIVATING" && step.at <= at);
      // A task stopped before it ran goes straight to STOPPING: it leaves the target group then.
      const deregistered = task.transitions.find(
        (step) =>
          ["DEACTIVATING", "STOPPING", "DEPROVISIONING", "STOPPED"].includes(step.status) &&
          step.at <= at &&
          registered !== undefined &&
          step.at >= registered.at,
      );
      return registered
        ? [
            {
              taskId: task.id,
              ip: task.privateIp,
              registeredAt: registered.at,
              ...(deregistered && { deregisteredAt: deregistered.at }),
            },
          ]
        : [];
    });
  }

  private key(region: string, cluster: string, name: string): string {
    return `${region}/${cluster}/${name}`;
  }

  private service(region: string, cluster: string, name: string): ModelService {
    const service = this.services.get(this.key(region, cluster, name));
    if (!service) {
      throw new FakeApiError(
        400,
        "ServiceNotFoundException",
        `Service not found: ${name} in cluster ${cluster}`,
      );
    }
    return service;
  }

  private deployment(taskDefinition: string, at: number): ModelDeployment {
    this.counter += 1;
    return {
      id: `ecs-svc/${String(this.counter).padStart(19, "0")}`,
      taskDefinition,
      createdAt: at,
      primary: true,
      rolloutState: "IN_PROGRESS",
      rolloutStateReason: "ECS deployment in progress.",
      failedTasks: 0,
    };
  }

  private primary(service: ModelService): ModelDeployment {
    return service.deployments.find((d) => d.primary) as ModelDeployment;
  }

  private desiredStatus(task: ModelTask): "RUNNING" | "STOPPED" {
    return task.stopRequestedAt === undefined ? "RUNNING" : "STOPPED";
  }

  private visible(task: ModelTask, at: number): boolean {
    const stopped = task.transitions.find((step) => step.status === "STOPPED");
    return stopped === undefined || stopped.at > at || at - stopped.at < STOPPED_VISIBLE_MS;
  }

  /**
   * Runs the scheduler at every moment a task changed state up to `at`, then at `at`. A service's `follow`
   * says what its stack asks now, so it is read at `at` only, not at the moments caught up on: a stack's
   * update is never dated back to before the call that first sees it.
   */
  private settle(at: number): void {
    for (;;) {
      const next = [...this.services.values()]
        .flatMap((s) => s.tasks.flatMap((t) => t.transitions.map((step) => step.at)))
        .filter((time) => time > this.settledTo && time <= at)
        .sort((a, b) => a - b)[0];
      if (next === undefined) break;
      this.settledTo = next;
      for (const service of this.services.values()) this.schedule(service, next, next === at);
    }
    if (at > this.settledTo) {
      this.settledTo = at;
      for (const service of this.services.values()) this.schedule(service, at);
    }
  }

  private launch(service: ModelService, deployment: ModelDeployment, count: number, at: number): void {
    const ids: string[] = [];
    const fails = (service.spec.failingTaskDefinitions ?? []).includes(deployment.taskDefinition);
    for (let i = 0; i < count; i++) {
      this.counter += 1;
      const id = this.counter.toString(16).padStart(32, "0");
      const pending = at + STEP_MS.provisioning;
      const transitions: ModelTask["transitions"] = fails
        ? [
            { status: "PROVISIONING", at },
            { status: "PENDING", at: pending },
            { status: "DEPROVISIONING", at: pending + STEP_MS.pending },
            { status: "STOPPED", at: pending + STEP_MS.pending + STEP_MS.deprovisioning },
          ]
        : [
            { status: "PROVISIONING", at },
            { status: "PENDING", at: pending },
            { status: "ACTIVATING", at: pending + STEP_MS.pending },
            { status: "RUNNING", at: pending + STEP_MS.pending + STEP_MS.activating },
          ];
      service.tasks.push({
        id,
        privateIp: `10.0.${Math.floor(this.counter / 250) % 250}.${(this.counter % 250) + 4}`,
        arn: `arn:aws:ecs:${service.spec.region}:${ACCOUNT}:task/${service.spec.cluster}/${id}`,
        deploymentId: deployment.id,
        taskDefinition: deployment.taskDefinition,
        createdAt: at,
        transitions,
        fails,
        ...(fails && { stopRequestedAt: pending + STEP_MS.pending }),
      });
      ids.push(id);
    }
    this.event(service, at, `has started ${count} tasks: ${ids.map((id) => `(task ${id})`).join(" ")}.`);
  }

  private stop(service: ModelService, tasks: readonly ModelTask[], at: number): void {
    if (tasks.length === 0) return;
    const delay = service.spec.deregistrationDelayMs ?? 300_000;
    for (const task of tasks) {
      const wasRunning = statusAt(task, at) === "RUNNING";
      const kept = task.transitions.filter((step) => step.at <= at);
      const down = wasRunning ? at + delay : at;
      task.stopRequestedAt = at;
      task.transitions = [
        ...kept,
        ...(wasRunning ? [{ status: "DEACTIVATING" as const, at }] : []),
        { status: "STOPPING", at: down },
        { status: "DEPROVISIONING", at: down + STEP_MS.stopping },
        { status: "STOPPED", at: down + STEP_MS.stopping + STEP_MS.deprovisioning },
      ];
    }
    this.event(
      service,
      at,
      `has stopped ${tasks.length} running tasks: ${tasks.map((t) => `(task ${t.id})`).join(" ")}.`,
    );
  }

  private event(service: ModelService, at: number, text: string): void {
    service.events.push({ at, message: `(service ${service.spec.name}) ${text}` });
    service.events.splice(0, Math.max(0, service.events.length - EVENTS_KEPT));
  }

  /** The scheduler's decisions at `at`: failures counted, old tasks replaced, the rollout's state. */
  private schedule(service: ModelService, at: number, follow = true): void {
    const wanted = follow ? service.spec.follow?.() : undefined;
    if (wanted) {
      service.desiredCount = wanted.desiredCount;
      const current = this.primary(service);
      if (
        wanted.taskDefinition !== current.taskDefinition &&
        !this.registered.includes(wanted.taskDefinition)
      ) {
        this.registered.push(wanted.taskDefinition);
        current.primary = false;
        service.deployments.push(this.deployment(wanted.taskDefinition, at));
      }
    }
    const desired = service.desiredCount;
    let primary = this.primary(service);
    for (const task of service.tasks.filter((t) => t.fails && t.deploymentId === primary.id)) {
      if (statusAt(task, at) === "STOPPED" && !(task as { counted?: boolean }).counted) {
        (task as { counted?: boolean }).counted = true;
        primary.failedTasks += 1;
      }
    }
    const threshold = Math.min(Math.max(Math.ceil(desired / 2), 3), 200);
    if (primary.rolloutState === "IN_PROGRESS" && primary.failedTasks >= threshold) {
      primary.rolloutState = "FAILED";
      primary.rolloutStateReason = `ECS deployment circuit breaker: tasks failed to start.`;
      const previous = [...service.deployments].reverse().find((d) => d !== primary);
      if (previous) {
        primary.primary = false;
        const rollback = this.deployment(previous.taskDefinition, at);
        service.deployments.push(rollback);
        this.event(
          service,
          at,
          `deployment ${primary.id} deployment failed: tasks failed to start. Rolling back.`,
        );
        primary = rollback;
      }
    }
    const alive = service.tasks.filter((t) => t.stopRequestedAt === undefined);
    const ofPrimary = alive.filter((t) => t.deploymentId === primary.id);
    const older = alive.filter((t) => t.deploymentId !== primary.id);
    if (ofPrimary.length > desired) {
      const extra = [...ofPrimary].sort(
        (a, b) => Number(statusAt(a, at) === "RUNNING") - Number(statusAt(b, at) === "RUNNING"),
      );
      this.stop(service, extra.slice(0, ofPrimary.length - desired), at);
    }
    const startable = Math.min(
      desired - ofPrimary.length,
      Math.floor((desired * (service.spec.maximumPercent ?? 200)) / 100) - alive.length,
    );
    if (primary.rolloutState !== "FAILED" && startable > 0) {
      this.launch(service, primary, startable, at);
    }
    const stillAlive = service.tasks.filter((t) => t.stopRequestedAt === undefined);
    const running = stillAlive.filter((t) => statusAt(t, at) === "RUNNING").length;
    const minHealthy = Math.ceil((desired * (service.spec.minimumHealthyPercent ?? 100)) / 100);
    const olderNotRunning = older.filter(
      (t) => t.stopRequestedAt === undefined && statusAt(t, at) !== "RUNNING",
    );
    this.stop(service, olderNotRunning, at);
    const olderRunning = older.filter(
      (t) => t.stopRequestedAt === undefined && statusAt(t, at) === "RUNNING",
    );
    this.stop(
      service,
      olderRunning.slice(0, Math.max(0, Math.min(olderRunning.length, running - minHealthy))),
      at,
    );
    const now = service.tasks.filter((t) => t.stopRequestedAt === undefined);
    const primaryRunning = now.filter(
      (t) => t.deploymentId === primary.id && statusAt(t, at) === "RUNNING",
    ).length;
    const settled = now.every((t) => t.deploymentId === primary.id) && primaryRunning === desired;
    if (primary.rolloutState === "IN_PROGRESS" && settled) {
      primary.rolloutState = "COMPLETED";
      primary.rolloutStateReason = "ECS deployment completed.";
      // The replaced deployments turn INACTIVE, and DescribeServices lists PRIMARY and ACTIVE ones only.
      service.deployments = [primary];
      this.event(service, at, "has reached a steady state.");
    }
  }

  private describe(service: ModelService, at: number): ServiceDescription {
    const tasks = service.tasks.filter((t) => t.stopRequestedAt === undefined);
    const count = (deploymentId: string | undefined, status: "RUNNING" | "PENDING") =>
      tasks.filter(
        (t) =>
          (deploymentId === undefined || t.deploymentId === deploymentId) &&
          (status === "RUNNING" ? statusAt(t, at) === "RUNNING" : statusAt(t, at) !== "RUNNING"),
      ).length;
    const primary = this.primary(service);
    return {
      serviceArn: service.arn,
      serviceName: service.spec.name,
      clusterArn: `arn:aws:ecs:${service.spec.region}:${ACCOUNT}:cluster/${service.spec.cluster}`,
      taskDefinition: primary.taskDefinition,
      desiredCount: service.desiredCount,
      runningCount: count(undefined, "RUNNING"),
      pendingCount: count(undefined, "PENDING"),
      deployments: [...service.deployments].reverse().map((d) => ({
        id: d.id,
        status: d.primary ? ("PRIMARY" as const) : ("ACTIVE" as const),
        taskDefinition: d.taskDefinition,
        desiredCount: d.primary ? service.desiredCount : 0,
        runningCount: count(d.id, "RUNNING"),
        pendingCount: count(d.id, "PENDING"),
        failedTasks: d.failedTasks,
        rolloutState: d.rolloutState,
        rolloutStateReason: d.rolloutStateReason,
        createdAt: d.createdAt,
      })),
      events: [...service.events].reverse().map((e, index) => ({
        id: `${service.spec.name}-${service.events.length - index}`,
        createdAt: e.at,
        message: e.message,
      })),
    };
  }
}
