// The compute seam: what a recovery and a failback need of what runs the application, whatever runs it.
import type { ComputeOutput } from "../../../stacks/drContract";
import type { AwsClientBudget } from "../../aws/clients";

/** Where a stack's application runs and how to reach it: the stack's outputs, its region, the profile. */
export interface ComputeTarget {
  /** The stack's `compute` output; absent from a stack deployed before it existed: its Auto Scaling group. */
  readonly output?: ComputeOutput;
  /** The stack's role tag (stacks/config/settings.ts stackTags): how its group is found without the output. */
  readonly role: "primary" | "dr";
  readonly region: string;
  /** Shared-config profile of the clients. @default the SDK's standard chain */
  readonly profile?: string;
  /** Attempts and timeouts of the module's own clients. @default the CLI's (awsClientConfig) */
  readonly budget?: AwsClientBudget;
  /** The stack's VPC: every application server in it is the stack's. */
  readonly vpcId?: string;
  /** The stack's private subnets, where its group or service runs. @default [] */
  readonly privateSubnetIds: readonly string[];
}

/** How many of a stack's units serve against how many are wanted. */
export interface ServingUnits {
  /** The group's or service's name. */
  readonly name: string;
  /** InService servers of the group; RUNNING tasks of the service. */
  readonly running: number;
  /** The group's desired capacity; the service's desired count. */
  readonly desired: number;
}

/** Where a rollout of a new version (launch template version, task definition revision) stands. */
export type Rollout =
  /** Every unit in service runs the latest version, at least one. */
  | { readonly state: "done"; readonly detail: string }
  /** Still rolling on `name`: `gap` says what is left, `status` what AWS says of the rollout. */
  | { readonly state: "rolling"; readonly name: string; readonly gap: string; readonly status: string }
  /** AWS ended it with old units left (a failed instance refresh, a rolled back deployment), and the fix. */
  | { readonly state: "failed"; readonly detail: string }
  /** There is no one group or service to follow. */
  | { readonly state: "missing"; readonly detail: string };

/**
 * What runs a stack's application (scripts/recovery/compute/<kind>.ts): scaled through the stack's config
 * (its capacity keys; an ECS service's desired count follows the same keys), and watched here. Each call
 * reads AWS afresh; a failed call rejects with the AWS error (the callers word what it stops).
 */
export interface Compute {
  readonly kind: ComputeOutput["kind"];
  /** What serves: `server` (EC2 instance) or `task` (ECS task), for messages. */
  readonly unit: "server" | "task";
  /** What launches them, for messages: `Auto Scaling group`, `ECS service`. */
  readonly launcher: string;
  /** The calls behind {@link liveUnits} and {@link launchesSince}, for the error that stops a run. */
  readonly calls: { readonly live: string; readonly launches: string };
  /**
   * The units that may still serve, and so write: their ids, and for a module that reads the load
   * balancer (ECS with its target group) each target that may still take a request, described.
   */
  liveUnits(): Promise<string[]>;
  /** Units launched after `since` (ISO), even those gone again: `<id> at <ISO time>` each. */
  launchesSince(since: string): Promise<string[]>;
  /** Where the rollout of the latest version stands. */
  rollout(): Promise<Rollout>;
  /** How many units serve against how many are wanted, and what holds them; undefined when there is nothing to read. */
  units(): Promise<ServingUnits | undefined>;
  /** Releases the clients. */
  dispose(): void;
}
