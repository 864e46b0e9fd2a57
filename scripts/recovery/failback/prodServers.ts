/** Prod's application servers (or tasks) during a failback: held at zero through the freeze, all on the new data before traffic moves. */
import { describeAwsError } from "../../aws/errors";
import { iso } from "../../clock";
import { HOLD_KEY } from "../core/stackHandle";
import { CommandContext } from "../../context";
import { unitsInService } from "../compute/inService";
import { waitForRollout } from "../compute/rolloutWait";
import { withCompute } from "./compute";
import { PhaseContext, applyOnce } from "./phaseContext";
import { FailbackPreflight } from "./preflight";
import { waitForNoServers } from "./serversGone";

/**
 * Prod's servers to zero before the freeze: `holdServers` true on the prod stack, `pulumi up`, then its
 * compute module (scripts/recovery/compute/: EC2 in prod's VPC, or its ECS service's tasks) polled until
 * none is left (--freeze-timeout). While dr has servers Route 53 answers
 * its SECONDARY record; once the freeze takes them away both records are unhealthy and Route 53 answers
 * the PRIMARY "regardless of the health of the primary" (Route 53 API reference, ResourceRecordSet
 * Failover): prod's load balancer, which must then have no server to take a write on the pre-disaster
 * data. prod-data lifts the hold in the same update that points the servers at the restored data.
 */
export async function holdProdServers(
  pc: PhaseContext,
  /** Only a hold applied at or after this ISO time counts as done (applyOnce). Default: any. */
  since?: string,
): Promise<{ ok: true; at: string } | { ok: false; detail: string }> {
  const { pre } = pc;
  const update = await applyOnce(pc, pre.prodStack, "hold", { [HOLD_KEY]: "true" }, [], since);
  if (!update.ok) {
    return {
      ok: false,
      detail: `prod stack update (${HOLD_KEY}=true) failed: ${update.message ?? "unknown error"}`,
    };
  }
  const vpcId = pre.prodOutputs.vpcId;
  if (!vpcId) {
    return {
      ok: false,
      detail: `prod stack '${pre.prodStack.name}' has no 'vpcId' output: cannot confirm its servers are held at zero`,
    };
  }
  const left = await waitForNoServers(pc, "prod", pc.options.freezeTimeoutMs);
  return left
    ? { ok: false, detail: `${left}; dr keeps serving until prod's are gone` }
    : { ok: true, at: iso(pc.command.deps.clock.now()) };
}

/**
 * What shows prod's hold broken: its `holdServers` key not true, or a server or task of it alive (its
 * compute module); undefined when neither.
 */
export async function prodHoldBroken(pc: PhaseContext): Promise<string | undefined> {
  const { pre } = pc;
  const found: string[] = [];
  const held = (await pre.prodStack.getConfig([HOLD_KEY]))[HOLD_KEY];
  if (held !== "true") {
    found.push(`prod stack '${pre.prodStack.name}' has ${HOLD_KEY}=${held ?? "(unset)"}`);
  }
  const vpcId = pre.prodOutputs.vpcId;
  if (vpcId) {
    const serving = await withCompute(pc.command, pc.pre, "prod", (compute) =>
      unitsInService(compute, "prod", pre.primaryRegion, "prod's servers are still held at zero"),
    );
    if (serving) {
      found.push(serving);
    }
  }
  return found.length > 0 ? found.join(" and ") : undefined;
}

/**
 * Before anything starts (read-only): prod's servers running unheld serve the pre-disaster data, and
 * Route 53 sends users to them whenever dr's load balancer has no healthy target. The failback holds
 * them first thing in the freeze; the warning says how to close the gap now.
 */
export async function warnIfProdServes(ctx: CommandContext, pre: FailbackPreflight): Promise<void> {
  if (!pre.prodOutputs.vpcId && pre.prodOutputs.compute?.kind !== "ecs") {
    return;
  }
  const held = (await pre.prodStack.getConfig([HOLD_KEY]))[HOLD_KEY] === "true";
  const live = await withCompute(ctx, pre, "prod", async (compute) => {
    try {
      return { ids: await compute.liveUnits(), unit: compute.unit };
    } catch (err) {
      ctx.out.warn(`cannot list prod's ${compute.unit}s in ${pre.primaryRegion}: ${describeAwsError(err)}`);
      return undefined;
    }
  });
  if (live && live.ids.length > 0 && !held) {
    ctx.out.warn(
      `prod stack '${pre.prodStack.name}' runs ${live.ids.length} ${live.unit}(s) on its pre-disaster data: Route 53 sends users to them whenever dr's load balancer has no healthy target, and their writes are lost at prod-data. The freeze holds them at zero first; to close the gap now: pulumi config set ${HOLD_KEY} true -s ${pre.prodStack.name} && pulumi up -s ${pre.prodStack.name}`,
    );
  }
}

/**
 * After prod-data: waits until prod's compute module reports the rollout done: every InService server of
 * its group on the group's latest launch template version, followed with DescribeInstanceRefreshes, or
 * every task of its ECS service on the family's latest task definition revision, followed with
 * DescribeServices' deployments (scripts/recovery/compute/). The `pulumi up` of prod-data only started it
 * (terraform-provider-aws startInstanceRefresh does not wait; the dr and prod services do not wait for a
 * steady state), and an old server still on the pre-disaster data answers the health check as well as a
 * new one. A rollout AWS ended with old units left (a failed or cancelled refresh, a deployment the
 * circuit breaker rolled back) stops the failback: traffic never moves while an old unit serves.
 */
export async function waitForCurrentServers(pc: PhaseContext): Promise<{ ok: boolean; detail: string }> {
  const { out, deps, signal } = pc.command;
  const wait = await withCompute(pc.command, pc.pre, "prod", (compute) =>
    waitForRollout(compute, {
      clock: deps.clock,
      out,
      signal,
      timeoutMs: pc.options.rolloutTimeoutMs,
      poll: pc.options.poll,
      label: "health",
    }),
  );
  return wait.state === "done"
    ? { ok: true, detail: wait.detail }
    : { ok: false, detail: `${wait.detail}; traffic stays on DR` };
}
