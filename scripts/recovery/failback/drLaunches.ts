/** Launches of dr's serving units since a moment, through its compute module (scripts/recovery/compute/). */
import { describeAwsError } from "../../aws/errors";
import { DrError, ExitCode } from "../../errors";
import { withCompute } from "./compute";
import { PhaseContext } from "./phaseContext";

/**
 * What shows dr launched a server or task after `since` (ISO), or undefined when nothing does: a unit
 * that served and is gone again no longer shows among the live ones, but its launch stays on record (the
 * Auto Scaling group's scaling activities, the ECS service's events and recently stopped tasks:
 * scripts/recovery/compute/autoScaling.ts, ecs.ts). A failed read stops the run.
 */
export async function drLaunchedSince(pc: PhaseContext, since: string): Promise<string | undefined> {
  const { pre } = pc;
  return withCompute(pc.command, pc.pre, "dr", async (compute) => {
    let launches: string[];
    try {
      launches = await compute.launchesSince(since);
    } catch (err) {
      throw new DrError(
        `cannot confirm the write freeze still holds: ${compute.calls.launches} in ${pre.drRegion} failed: ${describeAwsError(err)}; re-run`,
        ExitCode.failed,
      );
    }
    return launches.length > 0
      ? `dr's ${compute.launcher} launched ${launches.length} ${compute.unit}(s) (${launches.slice(0, 5).join(", ")})`
      : undefined;
  });
}
