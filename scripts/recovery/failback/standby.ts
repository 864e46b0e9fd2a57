import { DR_CONFIG_KEYS } from "../drStack";
import { PhaseContext, PhaseResult, applyOnce } from "./phaseContext";
import { FREEZE_KEYS } from "./preflight";

/** The keys through which the dr stack points at restored resources. */
const RESTORED_CONFIG_KEYS = Object.values(DR_CONFIG_KEYS).filter((key) => key !== DR_CONFIG_KEYS.mode);

/**
 * The dr stack's config back to standby: mode standby, the capacity keys as they were before the
 * freeze (`previous`; for a plan, the current ones), and every restored identifier and capacity key
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
        .filter((k) => current[k] !== undefined)
        .map((k) => [k, current[k]]),
    );
  const set = { [DR_CONFIG_KEYS.mode]: "standby", ...before };
  const remove = [
    ...RESTORED_CONFIG_KEYS.filter((key) => current[key] !== undefined),
    ...Object.values(FREEZE_KEYS).filter((key) => before[key] === undefined),
  ];
  return { set, remove };
}

/**
 * Phase 10: the dr stack back to standby, with the flip's own machinery (applyConfig: config, `up`,
 * journaled). The resources restored in the DR region are kept: nothing is deleted.
 */
export async function runStandby(pc: PhaseContext): Promise<PhaseResult> {
  const { pre, journal } = pc;
  const change = standbyChange(pre.drConfig, journal.failback.previousDrConfig);
  const result = await applyOnce(pc, pre.drStack, "standby", change.set, change.remove);
  return result.ok
    ? {
        outcome: "ok",
        detail: `dr stack '${pre.drStack.name}' in standby; the resources restored in ${pre.drRegion} are kept`,
      }
    : { outcome: "failed", detail: `dr stack update failed: ${result.message ?? "unknown error"}` };
}
