// The standby phase: dr back to zero capacity, and the selection tags off the copies left in DR.
import { DR_MODES } from "../../../stacks/config";
import { DR_CONFIG_KEYS, RESTORED_DATA_KEY } from "../core/stackHandle";
import { FailbackResource } from "./journal";
import { MovedAway, removeSelectionTagsAll } from "./untagRestored";
import { PhaseContext, applyOnce } from "./phaseContext";
import { FREEZE_KEYS } from "./preflight";
import { PhaseResult } from "../core/phaseRunner";

/** The keys through which the dr stack points at restored resources. */
const RESTORED_CONFIG_KEYS = [
  RESTORED_DATA_KEY,
  ...Object.values(DR_CONFIG_KEYS).filter((key) => key !== DR_CONFIG_KEYS.mode),
];

/**
 * The dr stack's config back to standby: mode standby, the capacity keys as they were before the
 * freeze (`previous`; for a plan, the current ones; a 0, a freeze by hand, never put back), and every restored identifier and capacity key
 * that was not set before removed.
 */
export function standbyChange(
  current: Readonly<Record<string, string>>,
  previous: Readonly<Record<string, string>> | undefined,
): { set: Record<string, string>; remove: string[] } {
  const before =
    previous ??
    Object.fromEntries(
      Object.values(FREEZE_KEYS)
        .filter((k) => current[k] !== undefined && current[k] !== "0")
        .map((k) => [k, current[k]]),
    );
  const set = { [DR_CONFIG_KEYS.mode]: DR_MODES.standby, ...before };
  const remove = [
    ...RESTORED_CONFIG_KEYS.filter((key) => current[key] !== undefined),
    ...Object.values(FREEZE_KEYS).filter((key) => before[key] === undefined),
  ];
  return { set, remove };
}

/** The DR-region restored resources a failback moved away from: each resource's restored copy in DR. */
export function drRestoredResources(resources: readonly FailbackResource[]): MovedAway[] {
  return resources.map((r) => ({ resourceType: r.resourceType, arn: r.drResourceArn }));
}

/**
 * Phase 10: the dr stack back to standby, with the flip's own machinery (applyConfig: config, `up`,
 * journaled). The resources restored in the DR region are kept: nothing is deleted. Their selection tags
 * (the dr stack's `restoredSettings.selectionTags`, which its restored-data plan selects by) are removed,
 * so the plan stops backing up data that is now stale (untagRestored.ts); a removal that fails is
 * reported, and does not fail the phase: traffic is already back.
 */
export async function runStandby(pc: PhaseContext): Promise<PhaseResult> {
  const { pre, journal } = pc;
  const change = standbyChange(pre.drConfig, journal.failback.previousDrConfig);
  const result = await applyOnce(pc, pre.drStack, "standby", change.set, change.remove);
  if (!result.ok) {
    return { outcome: "failed", detail: `dr stack update failed: ${result.message ?? "unknown error"}` };
  }
  const tags = pre.drOutputs.restoredSettings?.selectionTags ?? {};
  const untagged = await removeSelectionTagsAll(
    pre.drClients,
    drRestoredResources(journal.failback.resources),
    tags,
  );
  for (const failure of untagged.failed) {
    pc.command.out.warn(
      `the selection tags of ${failure} could not be removed: the dr stack's plan keeps backing it up until they are`,
    );
  }
  const tagNote =
    untagged.done.length + untagged.failed.length === 0
      ? ""
      : `; selection tags removed from ${untagged.done.length} of them${
          untagged.failed.length > 0 ? ` (${untagged.failed.length} failed: see the warnings)` : ""
        }`;
  return {
    outcome: "ok",
    detail: `dr stack '${pre.drStack.name}' in standby; the resources restored in ${pre.drRegion} are kept${tagNote}`,
  };
}
