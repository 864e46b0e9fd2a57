// The prod-data phase: prod's config pointed at the failed-back copies and its hold lifted, in one update.
import { InventoryWire, planRestoredConfig } from "../core/drConfig";
import { resourceOf, roleOfKind } from "../resources/registry";
import { PlannedRestore } from "../core/journal";
import { FailbackJournal, FailbackResource } from "./journal";
import { PhaseContext, applyOnce } from "./phaseContext";
import { HOLD_KEY, LEGACY_RESTORED_KEYS } from "../core/stackHandle";
import { PhaseResult } from "../core/phaseRunner";

/**
 * The inventory entries the prod stack takes, each with its restore: prod is configured by `restoredData` as
 * the dr stack is (docs/CONTRACTS.md), under the logical names the dr stack's `restoredData` gave them.
 * Buckets are not among them: their objects go back into prod's own bucket.
 */
function prodWires(
  resources: readonly FailbackResource[],
  restoreOf: (resource: FailbackResource) => PlannedRestore | undefined,
): InventoryWire[] {
  return resources.flatMap((resource) => {
    const restore = restoreOf(resource);
    const kind = resourceOf(resource.resourceType).dataKind;
    return resource.dataName && kind && roleOfKind(kind) !== "bucket" && restore
      ? [{ name: resource.dataName, kind, restore }]
      : [];
  });
}

/** A restore not planned yet, as far as the plan can tell it: its type and names. */
function toBePlanned(resource: FailbackResource): PlannedRestore {
  return {
    recoveryPointArn: "",
    resourceArn: resource.sourceArn,
    resourceType: resource.resourceType,
    resourceName: resource.sourceName,
    recoveryPointCreatedAt: "",
    targetName: resource.targetName,
    iamRoleArn: "",
    metadata: {},
    notes: [],
  };
}

/** The prod config a failback will set, with placeholders for what only the restores tell (for the plan). */
export function prodConfigPreview(resources: readonly FailbackResource[]): Record<string, string> {
  const config = planRestoredConfig(prodWires(resources, toBePlanned));
  return { ...config.early, ...config.latePreview };
}

/** The prod config from the primary-region restores that completed. */
export function prodDataConfig(journal: FailbackJournal): Record<string, string> {
  const completed = journal.plan.filter((p) => journal.jobs[p.recoveryPointArn]?.status === "COMPLETED");
  const config = planRestoredConfig(
    prodWires(journal.failback.resources, (r) => completed.find((p) => p.resourceArn === r.sourceArn)),
  );
  return { ...config.early, ...config.late(journal).config };
}

/**
 * Phase 7, after the S3 copy-back: prod takes the restored data by configuration, as the dr stack takes a recovery's: its
 * `restored*` keys set to the restored identifiers and its `holdServers` removed (always, even with no
 * key to set), then `pulumi up`. Not by importing into prod's
 * state, which would need state surgery on the live stack and replace the pre-disaster resource's
 * definition; the config is reversible and leaves the pre-disaster resources untouched, kept until
 * deleted.
 */
export async function runProdData(pc: PhaseContext): Promise<PhaseResult> {
  const config = prodDataConfig(pc.journal);
  const count = Object.keys(config).length;
  // The hold set before the freeze goes in the same update: the servers launch on the restored data.
  // It is lifted even when no restored resource feeds a key (a bucket only): prod must serve again.
  // The five single-valued keys restoredData replaced go in the same update.
  const result = await applyOnce(pc, pc.pre.prodStack, "prod", config, [HOLD_KEY, ...LEGACY_RESTORED_KEYS]);
  return result.ok
    ? {
        outcome: "ok",
        detail:
          count > 0
            ? `prod stack '${pc.pre.prodStack.name}' set to ${count} restored identifier(s)`
            : `prod stack '${pc.pre.prodStack.name}' released (${HOLD_KEY} removed); no restored resource feeds a prod config key`,
      }
    : { outcome: "failed", detail: `prod stack update failed: ${result.message ?? "unknown error"}` };
}
