// The failback's handle on what runs each side's application: dr's or prod's compute module, opened and released.
import { DrOutputs } from "../../dependencies";
import { Compute } from "../compute/compute";
import { openCompute } from "../compute/open";
import { describeCompute } from "../compute/described";
import { CommandContext } from "../../context";
import { FailbackPreflight } from "./preflight";

/**
 * Runs `use` on the compute module of the dr or the prod stack (its `compute` output, region, VPC and
 * subnets from the preflight), releasing its clients after.
 */
export async function withCompute<T>(
  ctx: CommandContext,
  pre: FailbackPreflight,
  side: "dr" | "prod",
  use: (compute: Compute) => Promise<T>,
): Promise<T> {
  const outputs = side === "dr" ? pre.drOutputs : pre.prodOutputs;
  const compute = openCompute(
    {
      output: outputs.compute,
      role: side === "dr" ? "dr" : "primary",
      region: side === "dr" ? pre.drRegion : pre.primaryRegion,
      profile: ctx.global.profile,
      vpcId: outputs.vpcId,
      privateSubnetIds: outputs.privateSubnetIds,
    },
    side === "dr" ? pre.drClients.ec2 : pre.primaryClients.ec2,
  );
  try {
    return await use(compute);
  } finally {
    compute.dispose();
  }
}

/** What serves on a stack, by its `compute` output, for messages that need no AWS call: `server` or `task`. */
export function unitOf(outputs: DrOutputs): Compute["unit"] {
  return describeCompute(outputs.compute?.kind).unit;
}
