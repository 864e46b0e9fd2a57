// The compute a rehearsal simulates for a stack: its Auto Scaling group or its ECS service, named as a deployment names them, following the stack's last `up`.
import type { ComputeOutput } from "../../stacks/drContract";
import { PlannedResource } from "../plan/engine";
import { FakeEcsService } from "../simulation/ecsModel";
import type { FakeAws } from "../simulation/fakeAwsServer";
import { ACCOUNT } from "../simulation/fixtures";
import type { OfflineDrStack } from "./offlineStack";
import { DR_CONFIG_KEYS, RESTORED_DATA_KEY } from "../recovery/core/stackHandle";

/** The config keys through which a stack's application points at restored data (docs/CONTRACTS.md). */
export const RESTORED_CONFIG_KEYS = [
  RESTORED_DATA_KEY,
  ...Object.values(DR_CONFIG_KEYS).filter((key) => key !== DR_CONFIG_KEYS.mode),
];

/** An ECS service's `compute` output. */
export type EcsCompute = Extract<ComputeOutput, { kind: "ecs" }>;

/** The Auto Scaling group name a deployment of `stack` gives its application servers. */
export function groupName(stack: string): string {
  return `${stack}-app-asg`;
}

/**
 * The `compute` output a deployment of `stack` reports for what its program planned: its ECS service
 * (config `compute: ecs`, stacks/compute/ecs.ts) named as its cluster and service would be, else its Auto
 * Scaling group.
 */
export function deployedCompute(stack: string, planned: readonly PlannedResource[]): ComputeOutput {
  return planned.some((r) => r.type === "aws:ecs/service:Service")
    ? { kind: "ecs", clusterName: `${stack}-app-cluster`, serviceName: `${stack}-app-service` }
    : { kind: "autoscaling", groupName: groupName(stack) };
}

/** What runs a stack's application, in words, for the rehearsal's lines and reports. */
export function computeWords(compute: ComputeOutput): string {
  return compute.kind === "ecs"
    ? `ECS service ${compute.serviceName} on Fargate (cluster ${compute.clusterName})`
    : `Auto Scaling group ${compute.groupName}`;
}

/** Options of {@link followingService}. */
export interface FollowingServiceOptions {
  readonly region: string;
  readonly compute: EcsCompute;
  /** The stack whose last `up` the service follows. */
  readonly stack: () => OfflineDrStack | undefined;
  /** What a task of a revision writes to. @default the application's own choice */
  readonly writesTo?: FakeEcsService["writesTo"];
}

/**
 * A stack's ECS service as the simulation runs it (stacks/compute/ecs.ts): the desired count and the task
 * definition the stack's last `up` left, a new revision of the family whenever its container definitions
 * change (ECS has no call that changes a revision: RegisterTaskDefinition registers a changed one as the
 * family's next revision, numbered in sequence: ECS API reference, RegisterTaskDefinition and TaskDefinition
 * `revision`; as terraform-provider-aws issue #23726 discusses), rolled as the stack configures the service
 * (minimumHealthyPercent 50, maximumPercent 200) with its target group's 30 s deregistration delay
 * (stacks/environment.ts). Revision 1 is the definition the stack had when the simulation started; each
 * change registers the next, never an old number again.
 */
export function followingService(options: FollowingServiceOptions): FakeEcsService {
  let last: string | undefined;
  let number = 0;
  const revision = () => {
    const stack = options.stack();
    const definition = stack?.appliedTaskDefinition();
    // The containers' definitions; where the offline evaluation cannot know them (prod's, whose variables
    // name resources AWS names), the config that sets the variables: the restored data.
    const key = /^"<[^>]+>"$/.test(definition?.containerDefinitions ?? "")
      ? JSON.stringify(RESTORED_CONFIG_KEYS.map((k) => stack?.appliedConfig(k)))
      : (definition?.containerDefinitions ?? "");
    if (key !== last) {
      last = key;
      number += 1;
    }
    const family = definition?.family ?? options.compute.serviceName;
    return `arn:aws:ecs:${options.region}:${ACCOUNT}:task-definition/${family}:${number}`;
  };
  return {
    region: options.region,
    cluster: options.compute.clusterName,
    name: options.compute.serviceName,
    taskDefinition: revision(),
    desiredCount: options.stack()?.appliedCapacity() ?? 0,
    minimumHealthyPercent: 50,
    maximumPercent: 200,
    deregistrationDelayMs: 30_000,
    follow: () => ({ desiredCount: options.stack()?.appliedCapacity() ?? 0, taskDefinition: revision() }),
    ...(options.writesTo && { writesTo: options.writesTo }),
  };
}

/**
 * Whether the service's newest deployment (its PRIMARY, the task definition the last `up` registered) has a
 * task RUNNING, so the load balancer has a target on the data the stack names now.
 */
export function serviceServes(fake: FakeAws, region: string, compute: EcsCompute): boolean {
  fake.ecs.observe();
  const [service] = fake.ecs.describeServices(region, compute.clusterName, [compute.serviceName]).services;
  const primary = service?.deployments.find((d) => d.status === "PRIMARY");
  return (primary?.runningCount ?? 0) > 0;
}
