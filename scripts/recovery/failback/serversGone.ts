// The wait until no serving unit (server or task) of a stack is left: the freeze's and the prod hold's.
import { describeAwsError } from "../../aws/errors";
import { formatDuration } from "../../time";
import { nextPollDelay } from "../core/restoreJobs";
import { withCompute } from "./compute";
import { PhaseContext } from "./phaseContext";

/**
 * Polls the `which` stack's compute module (scripts/recovery/compute/: the servers of its Auto Scaling
 * group in its VPC, or its ECS service's tasks) until no unit that may serve is left (as the jobs are
 * polled: --poll-initial, --poll-max), within `timeoutMs`. Returns undefined once none is left, else why not.
 */
export function waitForNoServers(
  pc: PhaseContext,
  which: "dr" | "prod",
  timeoutMs: number,
): Promise<string | undefined> {
  const { out, deps, signal } = pc.command;
  return withCompute(pc.command, pc.pre, which, async (compute) => {
    const deadline = deps.clock.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      let live: string[];
      try {
        live = await compute.liveUnits();
      } catch (err) {
        live = [`(${compute.calls.live} failed: ${describeAwsError(err)})`];
      }
      if (live.length === 0) {
        return undefined;
      }
      const delay = nextPollDelay(attempt, {
        random: pc.command.deps.clock.random?.bind(pc.command.deps.clock),
        ...pc.options.poll,
      });
      if (deps.clock.now() + delay > deadline) {
        return `${live.length} ${which} ${compute.unit}(s) still in service after ${formatDuration(timeoutMs)}: ${live.slice(0, 5).join(", ")}`;
      }
      out.info(
        `freeze: ${live.length} ${which} ${compute.unit}(s) still in service, checking again in ${formatDuration(delay)}`,
      );
      await deps.clock.sleep(delay, signal);
    }
  });
}
