// Chooses a stack's compute module by its `compute` output: the Auto Scaling group (the default) or ECS.
import { EC2Client } from "@aws-sdk/client-ec2";
import { autoScalingCompute } from "./autoScaling";
import { Compute, ComputeTarget } from "./compute";
import { ecsCompute } from "./ecs";

/**
 * The compute module of a stack: ECS when its `compute` output says so, else its Auto Scaling group (a stack
 * deployed before the output existed has one). `ec2` is the stack region's EC2 client the caller already
 * holds (the servers are listed through it).
 */
export function openCompute(target: ComputeTarget, ec2: EC2Client): Compute {
  const output = target.output;
  return output?.kind === "ecs" ? ecsCompute(target, output) : autoScalingCompute(target, ec2);
}
