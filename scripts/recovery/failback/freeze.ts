import { iso } from "../../clock";
import { formatDuration } from "../../time";
import { waitForNoServers } from "./liveServers";
import { PhaseContext, PhaseResult, applyOnce, save } from "./phaseContext";
import { FREEZE_KEYS } from "./preflight";
import { holdProdServers } from "./prodServers";

/**
 * Phase 3, the write freeze. First prod's servers are held at zero (prodServers.ts: with dr's gone, Route
 * 53 answers prod's record whatever its health, and prod's servers would take writes on the pre-disaster
 * data), then the dr stack's active capacity is set to zero (drActiveMinSize and drActiveDesiredCapacity;
 * mode stays active, so the update changes only the Auto Scaling group) and `pulumi up`, then EC2 polled
 * until no server is left. The capacity before is journaled first, so standby puts it back; the freeze's
 * start is the moment the scale-down began.
 */
export async function runFreeze(pc: PhaseContext): Promise<PhaseResult> {
  const { journal, pre } = pc;
  const { deps } = pc.command;
  journal.failback.previousDrConfig ??= Object.fromEntries(
    Object.values(FREEZE_KEYS)
      .filter((key) => pre.drConfig[key] !== undefined)
      .map((key) => [key, pre.drConfig[key]]),
  );
  const held = await holdProdServers(pc);
  if (!held.ok) {
    return { outcome: "failed", detail: held.detail };
  }
  journal.failback.freeze ??= { startedAt: iso(deps.clock.now()) };
  const freeze = journal.failback.freeze;
  freeze.prodHeldAt ??= held.at;
  save(pc);
  const update = await applyOnce(pc, pre.drStack, "freeze", {
    [FREEZE_KEYS.minSize]: "0",
    [FREEZE_KEYS.desired]: "0",
  });
  if (!update.ok) {
    return { outcome: "failed", detail: `dr stack update failed: ${update.message ?? "unknown error"}` };
  }
  const vpcId = pre.drOutputs.vpcId;
  if (!vpcId) {
    return {
      outcome: "failed",
      detail: `dr stack '${pre.drStack.name}' has no 'vpcId' output: cannot confirm its servers are gone`,
    };
  }
  const left = await waitForNoServers(pc, pre.drClients.ec2, vpcId, "dr", pc.options.freezeTimeoutMs);
  if (left) {
    return { outcome: "failed", detail: `${left}; nothing is copied while writes may go on` };
  }
  freeze.confirmedAt = iso(deps.clock.now());
  save(pc);
  const took = Date.parse(freeze.confirmedAt) - Date.parse(freeze.startedAt);
  return {
    outcome: "ok",
    detail: `prod held at zero, no dr server in service ${formatDuration(took)} after the scale-down began`,
  };
}
