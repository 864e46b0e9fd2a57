// Each kind of compute in words, without a client: what serves, what launches it, and the AWS calls that scale and watch it, for the failback's steps and the runbook.
import type { ComputeOutput } from "../../../stacks/drContract";

/** A kind of compute as the failback's steps and the runbook word it. */
export interface ComputeDescription {
  /** What serves: `server` (EC2 instance) or `task` (ECS task). */
  readonly unit: "server" | "task";
  /** What launches them: `Auto Scaling group`, `ECS service`. */
  readonly launcher: string;
  /** What a flip's `pulumi up` changes. */
  readonly flipped: string;
  /** What a new version of the application is: `launch template version`, `task definition revision`. */
  readonly version: string;
  /** What a unit takes from launch to taking requests, for the runbook's timings. */
  readonly startup: string;
  /** What a `pulumi up` that only changes the capacity keys changes, and the call behind it. */
  readonly scaled: string;
  /**
   * The calls that wait until none of the stack's units may serve, and what they wait for.
   * @param which the stack, `prod` or `dr`
   */
  gone(which: string): string;
  /**
   * The calls that wait for a rollout (the latest version on every unit) and what done means.
   * @param which the stack, `prod` or `dr`
   * @param region where the calls go
   * @param limit what bounds the wait, e.g. `--rollout-timeout`
   */
  rollout(which: string, region: string, limit: string): string;
  /** What standby leaves running, after the step's config and `pulumi up`; empty when the step says it all. */
  readonly standby: string;
  /** How the units come to run the restored data once a stack names it. */
  readonly onNewData: string;
}

/**
 * The Auto Scaling group (compute/autoScaling.ts): its servers are listed with EC2 DescribeInstances in the
 * stack's VPC; its rollout is an instance refresh (DescribeAutoScalingGroups, DescribeInstanceRefreshes).
 */
const AUTOSCALING: ComputeDescription = {
  unit: "server",
  launcher: "Auto Scaling group",
  flipped: "the Auto Scaling group and its launch template",
  version: "launch template version",
  startup: "launch, boot and the Auto Scaling group's 300 s health-check grace",
  scaled: "only the Auto Scaling group changes",
  gone: (which) =>
    which === "prod"
      ? "EC2 DescribeInstances until no server is left in prod's VPC"
      : `EC2 DescribeInstances until no server of the group is left in the ${which} VPC`,
  rollout: (which, region, limit) =>
    `Auto Scaling DescribeAutoScalingGroups and DescribeInstanceRefreshes in ${region} until every server of ${which}'s group in service runs its latest launch template version (\`pulumi up\` only starts the instance refresh; ${limit})`,
  standby: "",
  onNewData: "the servers launch on the restored data",
};

/**
 * The ECS service (compute/ecs.ts): its tasks are listed with ListTasks/DescribeTasks and its target
 * group's targets with DescribeTargetHealth; its rollout is a deployment (DescribeServices,
 * DescribeTaskDefinition) with every new task healthy in the target group. The capacity keys set the
 * service's desired count, which `pulumi up` updates with ECS UpdateService (terraform-provider-aws
 * resourceServiceUpdate sends `desiredCount` and `taskDefinition` with UpdateService).
 */
const ECS: ComputeDescription = {
  unit: "task",
  launcher: "ECS service",
  flipped: "the ECS service's desired count and its task definition",
  version: "task definition revision",
  startup: "task start (provisioning, image pull) and the ECS service's 300 s health-check grace",
  scaled: "only the ECS service changes: UpdateService desiredCount 0",
  gone: (which) =>
    `ECS ListTasks/DescribeTasks of ${which}'s service and ELB DescribeTargetHealth of its target group until no task is left short of STOPPED and no target may take a request (draining ones included)`,
  rollout: (which, region, limit) =>
    `ECS DescribeServices, DescribeTaskDefinition and ListTasks/DescribeTasks, and ELB DescribeTargetHealth, in ${region} until the PRIMARY deployment of ${which}'s service runs the family's latest task definition revision, no older deployment runs a task, and every task of it is healthy in the target group with no other target healthy (a deployment the circuit breaker rolled back stops here; ${limit})`,
  standby: " (the ECS service's desired count 0, UpdateService: standby runs no task)",
  onNewData: "the tasks start on the restored data (a new task definition revision)",
};

/** The words of a stack's compute: its `compute` output's kind, else (a stack before the output) its Auto Scaling group. */
export function describeCompute(kind: ComputeOutput["kind"] | undefined): ComputeDescription {
  return kind === "ecs" ? ECS : AUTOSCALING;
}
