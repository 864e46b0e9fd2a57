// The application as an ECS service: its tasks that may serve, its launches, its deployments' rollout.
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  paginateListTasks,
  Service,
  Task,
} from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { awsClientConfig } from "../../aws/clients";
import type { ComputeOutput } from "../../../stacks/drContract";
import { Compute, ComputeTarget, Rollout } from "./compute";
import { describeCompute } from "./described";
import { TargetView, describeTarget, failsOpen, mayServe, readTargets } from "./targetHealth";

/** DescribeTasks takes at most 100 tasks a call (ECS API reference, DescribeTasks `tasks`). */
const DESCRIBE_TASKS_MAX = 100;

/**
 * A service event that started tasks: "(service <name>) has started <n> tasks: (task <id>) (task <id>)."
 * (ECS developer guide, "Amazon ECS service event messages").
 */
const STARTED_EVENT = /has started \d+ tasks?:((?:\s*\(task [^)]+\))+)/;

/** The task id at the end of a task ARN (`arn:aws:ecs:<region>:<account>:task/<cluster>/<id>`). */
function taskId(arn: string | undefined): string {
  return (arn ?? "?").split("/").at(-1) as string;
}

/**
 * The service's tasks, running and recently stopped: ListTasks once per desired status (RUNNING holds
 * what is starting and serving; STOPPED what ECS is stopping, still draining from the target group, and
 * what stopped within about an hour: ECS API reference, ListTasks and DescribeTasks, "Recently stopped
 * tasks might appear in the returned results" / stopped tasks "appear in the returned results for at least
 * one hour"), then DescribeTasks for their states.
 */
async function serviceTasks(client: ECSClient, cluster: string, serviceName: string): Promise<Task[]> {
  const arns: string[] = [];
  for (const desiredStatus of ["RUNNING", "STOPPED"] as const) {
    for await (const page of paginateListTasks({ client }, { cluster, serviceName, desiredStatus })) {
      arns.push(...(page.taskArns ?? []));
    }
  }
  const tasks: Task[] = [];
  for (let at = 0; at < arns.length; at += DESCRIBE_TASKS_MAX) {
    const answer = await client.send(
      new DescribeTasksCommand({ cluster, tasks: arns.slice(at, at + DESCRIBE_TASKS_MAX) }),
    );
    tasks.push(...(answer.tasks ?? []));
  }
  return tasks;
}

/** The service, or undefined when ECS does not know it (DescribeServices answers it among `failures`). */
async function describeService(
  client: ECSClient,
  cluster: string,
  serviceName: string,
): Promise<Service | undefined> {
  const answer = await client.send(new DescribeServicesCommand({ cluster, services: [serviceName] }));
  return answer.services?.find((s) => s.status !== "INACTIVE");
}

/** The private address an awsvpc task registers by (DescribeTasks `attachments`: ElasticNetworkInterface). */
function taskAddress(task: Task): string | undefined {
  return task.attachments
    ?.find((a) => a.type === "ElasticNetworkInterface")
    ?.details?.find((d) => d.name === "privateIPv4Address")?.value;
}

/**
 * The service's units that may serve: each task short of STOPPED (`<id>`, with its target's state when it
 * has one), and each target of the group that may take a request ({@link mayServe}) whichever task, or
 * none the service knows, it is (`target <ip>:<port> <state> (<reason>)`: a task ECS already lists as
 * STOPPED, or something else registered in the group, which the load balancer serves all the same).
 */
function servingUnits(tasks: readonly Task[], targets: readonly TargetView[] | undefined): string[] {
  const live = tasks.filter((t) => t.lastStatus !== "STOPPED");
  // An address a stopped task had may be a live task's now: the live one wins.
  const byAddress = new Map(
    [...tasks.filter((t) => t.lastStatus === "STOPPED"), ...live].map((t) => [taskAddress(t), t] as const),
  );
  const units = live.map((task) => {
    const target = targets?.find((t) => t.id === taskAddress(task));
    return target ? `${taskId(task.taskArn)} (target ${target.state})` : taskId(task.taskArn);
  });
  for (const target of targets ?? []) {
    const task = byAddress.get(target.id);
    if (!mayServe(target) || (task && task.lastStatus !== "STOPPED")) continue;
    units.push(`${task ? `${taskId(task.taskArn)} STOPPED, ` : ""}target ${describeTarget(target)}`);
  }
  return units;
}

/**
 * What keeps the load balancer from serving only the PRIMARY revision's tasks, healthy, or undefined when
 * nothing does: a task of it RUNNING whose target is not healthy yet (initial, or unhealthy), no healthy
 * target at all (every target unhealthy: the group fails open and routes to all of them), or a healthy
 * target that is no task of the revision (an older one's, or something else registered in the group).
 */
function targetGap(
  tasks: readonly Task[],
  targets: readonly TargetView[],
  revision: string,
): string | undefined {
  const current = tasks.filter(
    (t) => t.lastStatus === "RUNNING" && t.taskDefinitionArn?.split("/").at(-1) === revision,
  );
  const addresses = new Set(current.map(taskAddress));
  const notHealthy = current
    .map((task) => ({ task, target: targets.find((t) => t.id === taskAddress(task)) }))
    .filter(({ target }) => target?.state !== "healthy");
  const strangers = targets.filter((t) => t.state === "healthy" && !addresses.has(t.id));
  const gaps: string[] = [];
  if (notHealthy.length > 0) {
    gaps.push(
      `${notHealthy.length} of ${current.length} task(s) on ${revision} not healthy in the target group yet (${notHealthy
        .slice(0, 3)
        .map(
          ({ task, target }) =>
            `${taskId(task.taskArn)}: ${target ? describeTarget(target) : "not registered"}`,
        )
        .join(", ")})`,
    );
  }
  if (failsOpen(targets)) {
    gaps.push("no target healthy: the load balancer fails open and routes to every unhealthy one");
  }
  if (strangers.length > 0) {
    gaps.push(
      `${strangers.length} healthy target(s) that are no task on ${revision} (${strangers
        .slice(0, 3)
        .map(describeTarget)
        .join(", ")})`,
    );
  }
  return gaps.length > 0 ? gaps.join("; ") : undefined;
}

/** How a rollout is put right after ECS gave up on it. */
function redeployHint(cluster: string, serviceName: string): string {
  return `fix the task definition or what its tasks need, then aws ecs update-service --cluster ${cluster} --service ${serviceName} --force-new-deployment, and re-run`;
}

/**
 * The application as an ECS service (stacks/compute/ecs.ts). Live tasks: every task of the service whose
 * last status is not STOPPED, since a task serves and drains until then (ECS developer guide, "Amazon ECS
 * task lifecycle": PROVISIONING -> PENDING -> ACTIVATING -> RUNNING -> DEACTIVATING -> STOPPING ->
 * DEPROVISIONING -> STOPPED; DEACTIVATING deregisters it from the target group, which waits the
 * deregistration delay). Launches: tasks created after the moment, running or recently stopped, and the
 * service's "has started" events (DescribeServices keeps the service's recent events), which outlive the
 * stopped tasks ECS still lists. Rollout: the PRIMARY deployment (the newest task definition) COMPLETED
 * with no older deployment running a task (ECS API reference, Deployment: `status` PRIMARY / ACTIVE /
 * INACTIVE, `rolloutState` IN_PROGRESS / COMPLETED / FAILED; FAILED when the deployment circuit breaker
 * stopped it, ECS developer guide, "How the Amazon ECS deployment circuit breaker detects failures"), and
 * the PRIMARY's task definition the family's latest revision (DescribeTaskDefinition by family: "the latest
 * ACTIVE revision"), since a rollback leaves the service on the previous one, the pre-update data.
 *
 * With the stack's target group (its `compute.targetGroupArn`) the load balancer's view counts too, since
 * users reach what it routes to (targetHealth.ts): a live unit is also any target that may take a request
 * (healthy, initial, unhealthy, draining, unavailable), whichever task it was, and a rollout is done only
 * once every RUNNING task of the PRIMARY's revision is `healthy` there and no other target is (a RUNNING
 * task may still be `initial` or `unhealthy`; all unhealthy is the fail-open, not serving).
 */
export function ecsCompute(target: ComputeTarget, named: Extract<ComputeOutput, { kind: "ecs" }>): Compute {
  const { clusterName: cluster, serviceName, targetGroupArn } = named;
  const config = awsClientConfig({ region: target.region, profile: target.profile, ...target.budget });
  const client = new ECSClient(config);
  const elb = targetGroupArn ? new ElasticLoadBalancingV2Client(config) : undefined;
  const words = describeCompute("ecs");
  const targets = () =>
    elb && targetGroupArn ? readTargets(elb, targetGroupArn) : Promise.resolve(undefined);
  return {
    kind: "ecs",
    unit: words.unit,
    launcher: words.launcher,
    calls: {
      live: `ECS ListTasks/DescribeTasks${elb ? " and ELB DescribeTargetHealth" : ""}`,
      launches: "ECS ListTasks/DescribeTasks/DescribeServices",
    },
    async liveUnits() {
      const [tasks, seen] = await Promise.all([serviceTasks(client, cluster, serviceName), targets()]);
      return servingUnits(tasks, seen);
    },
    async launchesSince(since) {
      const after = Date.parse(since);
      const launches = new Map<string, string>();
      for (const task of await serviceTasks(client, cluster, serviceName)) {
        const created = task.createdAt?.getTime() ?? 0;
        if (created > after) {
          launches.set(taskId(task.taskArn), task.createdAt?.toISOString() as string);
        }
      }
      const service = await describeService(client, cluster, serviceName);
      for (const event of service?.events ?? []) {
        const started = STARTED_EVENT.exec(event.message ?? "");
        if (!started || (event.createdAt?.getTime() ?? 0) <= after) continue;
        for (const [, id] of started[1].matchAll(/\(task ([^)]+)\)/g)) {
          if (!launches.has(id)) launches.set(id, event.createdAt?.toISOString() as string);
        }
      }
      return [...launches].map(([id, at]) => `${id} at ${at}`);
    },
    async rollout(): Promise<Rollout> {
      const service = await describeService(client, cluster, serviceName);
      if (!service) {
        return {
          state: "missing",
          detail: `no ECS service ${serviceName} in cluster ${cluster} in ${target.region}: cannot tell its tasks run the restored data`,
        };
      }
      const deployments = service.deployments ?? [];
      const primary = deployments.find((d) => d.status === "PRIMARY");
      const failed = deployments.find((d) => d.rolloutState === "FAILED");
      if (failed) {
        return {
          state: "failed",
          detail: `${serviceName}: deployment ${failed.id} of ${failed.taskDefinition?.split("/").at(-1)} FAILED${failed.rolloutStateReason ? ` (${failed.rolloutStateReason})` : ""}${failed !== primary ? `, rolled back to ${primary?.taskDefinition?.split("/").at(-1)}` : ""}: ${redeployHint(cluster, serviceName)}`,
        };
      }
      // A rolled back deployment leaves the service on an older revision once the failed one is INACTIVE.
      const running = primary?.taskDefinition ?? service.taskDefinition;
      const family = /task-definition\/([^:]+):\d+$/.exec(running ?? "")?.[1];
      if (running && family) {
        const latest = (await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: family })))
          .taskDefinition?.taskDefinitionArn;
        if (latest && latest !== running) {
          return {
            state: "failed",
            detail: `${serviceName}: runs ${running.split("/").at(-1)}, not the latest revision ${latest.split("/").at(-1)} (a deployment rolled back, or the service was not updated): ${redeployHint(cluster, serviceName)}`,
          };
        }
      }
      const older = deployments.filter((d) => d.status !== "PRIMARY" && (d.runningCount ?? 0) > 0);
      const revision = (primary?.taskDefinition ?? service.taskDefinition ?? "?").split("/").at(-1);
      const status = primary
        ? `deployment ${primary.id} ${primary.rolloutState ?? primary.status} ${primary.runningCount ?? 0}/${primary.desiredCount ?? 0} running`
        : "no primary deployment";
      const gap =
        older.length > 0
          ? `${older.reduce((n, d) => n + (d.runningCount ?? 0), 0)} task(s) still running an older task definition than ${revision} (${older
              .map((d) => `${d.taskDefinition?.split("/").at(-1)}: ${d.runningCount}`)
              .join(", ")})`
          : (primary?.runningCount ?? 0) === 0
            ? `no task in service yet on task definition ${revision}`
            : undefined;
      if (!gap && primary?.rolloutState !== "IN_PROGRESS") {
        const seen = await targets();
        const unserved =
          seen && targetGap(await serviceTasks(client, cluster, serviceName), seen, revision ?? "?");
        if (unserved) {
          return { state: "rolling", name: serviceName, gap: unserved, status };
        }
        return {
          state: "done",
          detail: `every task of ${serviceName} in service runs task definition ${revision}${seen ? ", each healthy in the target group" : ""} (${status})`,
        };
      }
      return { state: "rolling", name: serviceName, gap: gap ?? `${status}`, status };
    },
    async units() {
      // DescribeServices' runningCount / desiredCount (ECS API reference, Service).
      const service = await describeService(client, cluster, serviceName);
      return (
        service && {
          name: serviceName,
          running: service.runningCount ?? 0,
          desired: service.desiredCount ?? 0,
        }
      );
    },
    dispose: () => {
      client.destroy();
      elb?.destroy();
    },
  };
}
