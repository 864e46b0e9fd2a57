// The write freeze: prod's servers held at zero, then dr scaled to zero until no server serves.
import { iso } from "../../clock";
import { DrError, ExitCode } from "../../errors";
import { formatDuration } from "../../time";
import { drLaunchedSince } from "./drLaunches";
import { unitsInService } from "../compute/inService";
import { unitOf, withCompute } from "./compute";
import { PhaseContext, applyOnce, phaseRecord, save } from "./phaseContext";
import { FREEZE_KEYS } from "./preflight";
import { holdProdServers, prodHoldBroken } from "./prodServers";
import { supersedeTransfers } from "./transfer";
import { waitForNoServers } from "./serversGone";
import { PhaseResult } from "../core/phaseRunner";

/**
 * Phase 3, the write freeze. First prod's servers are held at zero (prodServers.ts: with dr's gone, Route
 * 53 answers prod's record whatever its health, and prod's servers would take writes on the pre-disaster
 * data), then the dr stack's active capacity is set to zero (drActiveMinSize and drActiveDesiredCapacity;
 * mode stays active, so the update changes only the Auto Scaling group or the ECS service's desired count)
 * and `pulumi up`, then dr's compute module polled until no server or task is left (scripts/recovery/compute/). The capacity before is journaled first, so standby puts it back; the freeze's
 * start is the moment the scale-down began. After {@link recheckFreeze} found dr serving again, the dr
 * update is applied once more (an update before the last re-application does not count).
 */
export async function runFreeze(pc: PhaseContext): Promise<PhaseResult> {
  const { journal, pre } = pc;
  const { deps } = pc.command;
  journal.failback.previousDrConfig ??= Object.fromEntries(
    Object.values(FREEZE_KEYS)
      // A 0 is a freeze by hand, not dr's capacity: left out, standby removes the key and the defaults apply.
      .filter((key) => pre.drConfig[key] !== undefined && pre.drConfig[key] !== "0")
      .map((key) => [key, pre.drConfig[key]]),
  );
  // After recheckFreeze found dr serving again, the hold is applied anew too.
  const held = await holdProdServers(pc, journal.failback.freeze?.reapplied?.at(-1)?.at);
  if (!held.ok) {
    return { outcome: "failed", detail: held.detail };
  }
  journal.failback.freeze ??= { startedAt: iso(deps.clock.now()) };
  const freeze = journal.failback.freeze;
  freeze.prodHeldAt ??= held.at;
  save(pc);
  const update = await applyOnce(
    pc,
    pre.drStack,
    "freeze",
    { [FREEZE_KEYS.minSize]: "0", [FREEZE_KEYS.desired]: "0" },
    [],
    freeze.reapplied?.at(-1)?.at,
  );
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
  const left = await waitForNoServers(pc, "dr", pc.options.freezeTimeoutMs);
  if (left) {
    return { outcome: "failed", detail: `${left}; nothing is copied while writes may go on` };
  }
  freeze.confirmedAt = iso(deps.clock.now());
  save(pc);
  const took = Date.parse(freeze.confirmedAt) - Date.parse(freeze.startedAt);
  return {
    outcome: "ok",
    detail: `prod held at zero, no dr ${unitOf(pre.drOutputs)} in service ${formatDuration(took)} after the scale-down began`,
  };
}

/**
 * What shows dr serving again since `since`: its capacity keys not 0, a server of its group alive, or a
 * launch of its group after `since` (served and frozen again between runs); undefined when none.
 */
async function drServesAgain(pc: PhaseContext, since: string): Promise<string | undefined> {
  const { pre } = pc;
  const config = await pre.drStack.getConfig(Object.values(FREEZE_KEYS));
  const found: string[] = [];
  const notZero = Object.values(FREEZE_KEYS).filter((key) => config[key] !== "0");
  if (notZero.length > 0) {
    found.push(
      `dr stack '${pre.drStack.name}' has ${notZero.map((key) => `${key}=${config[key] ?? "(unset)"}`).join(", ")}`,
    );
  }
  const vpcId = pre.drOutputs.vpcId;
  if (vpcId) {
    const serving = await withCompute(pc.command, pc.pre, "dr", (compute) =>
      unitsInService(compute, "dr", pre.drRegion, "the write freeze still holds"),
    );
    if (serving) {
      found.push(serving);
    }
  }
  const launched = await drLaunchedSince(pc, since);
  if (launched) {
    found.push(launched);
  }
  return found.length > 0 ? found.join(" and ") : undefined;
}

/**
 * A resumed failback whose freeze was confirmed and whose traffic has not moved yet: before anything
 * else runs, the freeze must still hold (the dr stack's capacity keys 0, no dr server or task alive, and no
 * launch since the freeze was confirmed, which still shows one that served and is gone again: Auto
 * Scaling's scaling activities, ECS's service events and recently stopped tasks; scripts/recovery/compute/). Someone may have scaled dr back up to serve while a phase was failing, and every
 * write made since is in none of the final backups. Before any restore began, the freeze is applied
 * again and the final backups and copies are taken anew (the earlier ones superseded: new jobs, new
 * tokens). Once the restores began from those backups this run cannot take the writes back: it refuses,
 * saying how to start a new failback.
 */
export async function recheckFreeze(pc: PhaseContext): Promise<void> {
  const { journal, pre } = pc;
  const { out, deps } = pc.command;
  const freeze = journal.failback.freeze;
  const frozen = phaseRecord(journal, "freeze");
  if (journal.kind !== "failback" || frozen?.outcome !== "ok" || !freeze?.confirmedAt || freeze.endedAt) {
    return;
  }
  await recheckProdHold(pc, freeze.confirmedAt);
  const broken = await drServesAgain(pc, freeze.confirmedAt);
  if (!broken) {
    out.info(
      `freeze: still holds (dr stack '${pre.drStack.name}' at zero, no dr ${unitOf(pre.drOutputs)} in service)`,
    );
    return;
  }
  const since = `since the freeze was confirmed at ${freeze.confirmedAt}`;
  const prodData = phaseRecord(journal, "prod-data");
  if (prodData) {
    throw new DrError(
      `${broken} ${since}: writes made in ${pre.drRegion} meanwhile are in none of the final backups, and prod-data (started ${prodData.startedAt}) pointed prod stack '${pre.prodStack.name}' at the restored fb-${journal.runId}- resources, which take prod's writes since. ` +
        `Freeze dr again and keep it frozen (pulumi config set ${FREEZE_KEYS.minSize} 0 -s ${pre.drStack.name}; pulumi config set ${FREEZE_KEYS.desired} 0 -s ${pre.drStack.name}; pulumi up -s ${pre.drStack.name}); do not let dr serve. ` +
        `A new failback would back up and restore dr's data under new names: the writes to the fb-${journal.runId}- resources since prod-data would be at risk, so bring dr's writes over by hand instead`,
      ExitCode.failed,
    );
  }
  if (phaseRecord(journal, "restore")) {
    throw new DrError(
      `${broken} ${since}: writes made in ${pre.drRegion} meanwhile are in none of the final backups, and the restores in ${pre.primaryRegion} already began from them, so this run cannot bring them back. ` +
        `Freeze dr again (pulumi config set ${FREEZE_KEYS.minSize} 0 -s ${pre.drStack.name}; pulumi config set ${FREEZE_KEYS.desired} 0 -s ${pre.drStack.name}; pulumi up -s ${pre.drStack.name}), ` +
        `move the journal ${pc.store.file} aside and run dr failback again: a new run backs up, copies and restores under new names; this run's fb-${journal.runId}- resources are kept`,
      ExitCode.failed,
    );
  }
  const at = iso(deps.clock.now());
  (freeze.reapplied ??= []).push({ at, reason: broken });
  frozen.outcome = "failed";
  frozen.detail = `dr served again (${broken} ${since}): frozen again at ${at}`;
  supersedeTransfers(
    journal.failback.transfers,
    "final-copy",
    `dr served again after ${freeze.confirmedAt}`,
    deps.clock.now(),
  );
  const finals = phaseRecord(journal, "final-copy");
  if (finals?.endedAt) {
    finals.outcome = "failed";
    finals.detail = "superseded: taken again after the freeze was applied again";
  }
  save(pc);
  out.warn(
    `freeze: ${broken} ${since}: freezing again and taking new final backups (the earlier ones miss what was written meanwhile)`,
  );
}

/**
 * Until prod-data ended, prod's servers must stay held at zero (`holdServers` true, none alive): a server
 * of prod serves the pre-disaster data, which prod-data replaces, so its writes would be lost. A broken
 * hold is applied again (a hold applied before now does not count) and waited for.
 */
async function recheckProdHold(pc: PhaseContext, confirmedAt: string): Promise<void> {
  const prodData = phaseRecord(pc.journal, "prod-data");
  if (prodData?.endedAt && prodData.outcome === "ok") {
    return;
  }
  const unheld = await prodHoldBroken(pc);
  if (!unheld) {
    return;
  }
  pc.command.out.warn(
    `freeze: ${unheld} since the freeze was confirmed at ${confirmedAt}: holding prod's servers at zero again (they serve the pre-disaster data, which prod-data replaces)`,
  );
  const held = await holdProdServers(pc, iso(pc.command.deps.clock.now()));
  if (!held.ok) {
    throw new DrError(
      `freeze: prod's servers could not be held at zero again: ${held.detail}; re-run`,
      ExitCode.failed,
    );
  }
  const freeze = pc.journal.failback.freeze;
  if (freeze) {
    freeze.prodHeldAt = held.at;
  }
  save(pc);
}
