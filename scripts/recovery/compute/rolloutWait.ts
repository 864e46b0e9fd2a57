// Waiting on a stack's rollout: its compute module polled until every unit runs the latest version, AWS ends it, or the timeout passes.
import { Clock } from "../../clock";
import { CommandContext } from "../../context";
import { formatDuration } from "../../time";
import { PollOptions, nextPollDelay } from "../core/restoreJobs";
import { Compute, Rollout } from "./compute";

/** Options of {@link waitForRollout}. */
export interface RolloutWaitOptions {
  readonly clock: Clock;
  readonly out: CommandContext["out"];
  readonly signal?: AbortSignal;
  /** How long the rollout may take from this call (`--rollout-timeout`). */
  readonly timeoutMs: number;
  /** How it is polled (--poll-initial, --poll-max). @default {@link PollOptions} defaults */
  readonly poll?: PollOptions;
  /** Each progress line's prefix, e.g. `health` or `verify`. */
  readonly label: string;
}

/** How a wait on a rollout ended: done, or why not (AWS ended it, nothing to follow, the timeout). */
export type RolloutWait =
  | { readonly state: "done"; readonly detail: string }
  | { readonly state: "failed" | "missing" | "timeout"; readonly detail: string };

/**
 * Polls `compute.rollout()` (scripts/recovery/compute/<kind>.ts) until it is done, or ends short of it:
 * `failed` (AWS ended the rollout with old units left: a failed or cancelled instance refresh, a
 * deployment the circuit breaker rolled back), `missing` (no one group or service to follow), or
 * `timeout` (still rolling when the next poll would fall after `timeoutMs`). A `pulumi up` only starts
 * a rollout (terraform-provider-aws startInstanceRefresh does not wait; the stacks' ECS services do not
 * wait for a steady state), and an old unit on the previous version answers a health check as well as a
 * new one: a caller takes a health answer as the new version's only once this is done.
 */
export async function waitForRollout(compute: Compute, options: RolloutWaitOptions): Promise<RolloutWait> {
  const { clock, out, signal, timeoutMs, poll, label } = options;
  const deadline = clock.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const rollout: Rollout = await compute.rollout();
    if (rollout.state !== "rolling") {
      return rollout;
    }
    const delay = nextPollDelay(attempt, { random: clock.random?.bind(clock), ...poll });
    if (clock.now() + delay > deadline) {
      return {
        state: "timeout",
        detail: `${rollout.name}: ${rollout.gap} after ${formatDuration(timeoutMs)} (${rollout.status})`,
      };
    }
    out.info(
      `${label}: ${rollout.name}: ${rollout.gap} (${rollout.status}), checking again in ${formatDuration(delay)}`,
    );
    await clock.sleep(delay, signal);
  }
}
