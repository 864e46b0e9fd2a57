// The data inventory's side of a run: each recovery point mapped to its inventory entry by its source ARN.
import { LEGACY_ENTRY_NAMES as STACK_LEGACY_NAMES } from "../../../stacks/config";
import type { DataInventoryEntry } from "../../../stacks/drContract";
import type { AppRole } from "../resources/resourceRecovery";
import { kindOfRole, resourceOf, roleOfKind } from "../resources/registry";
import {
  InventoryWire,
  chooseAppResources,
  designates,
  unmatchedDesignations,
  withoutFailedBack,
} from "./drConfig";
import { PlannedRestore, RunJournal } from "./journal";
import { DrOutputs } from "../../dependencies";

/**
 * The logical names of the default example's entries (Pulumi.yaml's default `data`), which a stack without a
 * `dataInventory` output takes through the five single-valued keys: a run on such a stack wires each role's
 * one restore under its role's name.
 */
export const LEGACY_ENTRY_NAMES: Readonly<Record<AppRole, string>> = STACK_LEGACY_NAMES;

/** The run's inventory wiring and every reason a real run would refuse it. */
export interface InventoryChoice {
  readonly wires: readonly InventoryWire[];
  /** One sentence per unmatched --app-resource and per ambiguous entry (or role); empty when all is clear. */
  readonly problems: string[];
}

/**
 * Maps each recovery point of the plan to its entry of the stack's `dataInventory` by the point's
 * `ResourceArn` (the entry's `sourceArn`), or to the entry a failback's copy (`fb-<runId>-<sourceId>`)
 * replaced, which prod serves after a failback. An entry with several candidates left needs `--app-resource`;
 * an S3 entry with no point to restore is wired to its replica bucket (the stack's `replicaBuckets`); any
 * other entry with no point is reported as not wired. Without an inventory (a stack deployed before it
 * existed), the single-valued roles decide as before (drConfig.ts chooseAppResources), under the default
 * example's names.
 */
export function mapInventory(
  plan: readonly PlannedRestore[],
  designated: readonly string[],
  outputs: DrOutputs,
): InventoryChoice {
  if (outputs.dataInventory.length === 0) {
    return legacyWires(plan, designated, outputs);
  }
  const problems = unmatchedDesignations(plan, designated);
  const wires = outputs.dataInventory.map((entry): InventoryWire => {
    const candidates = plan.filter((p) => claims(entry, p));
    const named = candidates.filter((p) => designated.some((d) => designates(p, d)));
    const pool = named.length > 0 ? named : withoutFailedBack(candidates);
    const base = { name: entry.name, kind: entry.kind };
    if (pool.length > 1) {
      problems.push(
        `${pool.length} recovery points to restore are candidates for the data inventory's '${entry.name}' (${entry.sourceArn}): name one with --app-resource <arn|name>: ${pool
          .map((p) => `${p.resourceName} (${p.resourceArn})`)
          .join(", ")}`,
      );
      return { ...base, missing: "several candidates" };
    }
    if (pool.length === 1) {
      return { ...base, restore: pool[0] };
    }
    // A bucket replicated into the region is there to use without a restore.
    const replica = roleOfKind(entry.kind) === "bucket" ? outputs.replicaBuckets[entry.sourceId] : undefined;
    if (replica) {
      return { ...base, standing: { kind: entry.kind, id: replica } };
    }
    return { ...base, missing: `no recovery point of ${entry.sourceArn} to restore` };
  });
  return { wires, problems };
}

/** A restored resource's source, as a recovery point, a run's report or a restore job names it. */
export type RestoreSource = Pick<PlannedRestore, "resourceArn" | "resourceName" | "resourceType">;

/**
 * Does `entry` claim a restore of `p`: is `p` the entry's resource (its `sourceArn`), or a failback's copy that
 * replaced it, which prod serves after a failback?
 */
function claims(entry: DataInventoryEntry, p: RestoreSource): boolean {
  return p.resourceArn === entry.sourceArn || isCopyOf(p, entry);
}

/**
 * The inventory entry that claims a restore of `source` (by the source's ARN, or as a failback's copy of the
 * entry's resource), or undefined when none does: how a run's report and `dr status` tie a measured restore
 * to the forecast's resource of that name.
 */
export function entryClaiming(
  source: RestoreSource,
  inventory: readonly DataInventoryEntry[],
): DataInventoryEntry | undefined {
  return inventory.find((entry) => claims(entry, source));
}

/** Is `p` a point of a failback's copy of `entry` (`fb-<runId>-<sourceId>`, made valid by its service's rule)? */
function isCopyOf(p: RestoreSource, entry: DataInventoryEntry): boolean {
  return (
    resourceOf(p.resourceType).dataKind === entry.kind &&
    /^fb-\d{8}t\d{6}[0-9a-z]*-/.test(p.resourceName) &&
    withoutFailedBack([p, { ...p, resourceName: entry.sourceId }]).length === 1
  );
}

/** The wiring of a stack without an inventory: one restore per role, named as the default example names it. */
function legacyWires(
  plan: readonly PlannedRestore[],
  designated: readonly string[],
  outputs: DrOutputs,
): InventoryChoice {
  const { app, problems } = chooseAppResources(plan, designated, outputs.primaryAppData);
  const wires: InventoryWire[] = [];
  for (const [role, name] of Object.entries(LEGACY_ENTRY_NAMES) as [AppRole, string][]) {
    const restore = app[role];
    const kind = restore && resourceOf(restore.resourceType).dataKind;
    if (restore && kind) {
      wires.push({ name, kind, restore });
    } else if (role === "bucket") {
      const replicas = Object.values(outputs.replicaBuckets);
      const bucketKind = kindOfRole(role);
      if (replicas.length === 1 && bucketKind) {
        wires.push({ name, kind: bucketKind, standing: { kind: bucketKind, id: replicas[0] } });
      }
    }
  }
  return { wires, problems };
}

/**
 * The run's copies not given what their inventory entry declares (PlannedRestore.declared: AWS refused it),
 * each with AWS's reason and the command that sets it by hand: a recovery's or a failback's partial outcome.
 */
export function declaredNotSet(journal: RunJournal): string[] {
  return journal.plan.flatMap((p) => {
    const declared = journal.jobs[p.recoveryPointArn]?.declared;
    return declared && !declared.ok ? [`${p.resourceType} ${p.resourceName}: ${declared.detail}`] : [];
  });
}

/** The start of the note {@link withDeclaredSettings} gives a restore. */
const DECLARED_NOTE = "after the restore: ";

/**
 * Each restore wired to an inventory entry of `outputs` with what its restore does not keep of the entry
 * (ResourceRecovery.declaredSettings: an EFS file system's throughput), to set once it is restored, and a
 * note saying so (shown by `--dry-run`); the wires point at the new plan objects. Again on a resumed run:
 * the journaled plan's note is replaced, not repeated.
 */
export function withDeclaredSettings(
  plan: readonly PlannedRestore[],
  wires: readonly InventoryWire[],
  outputs: DrOutputs,
): { plan: PlannedRestore[]; wires: InventoryWire[] } {
  const declaredPlans = new Map<string, PlannedRestore>();
  for (const { name, restore } of wires) {
    const entry = outputs.dataInventory.find((e) => e.name === name);
    const declare = restore && resourceOf(restore.resourceType).declaredSettings;
    const declared = declare && entry ? declare(entry, restore.metadata) : undefined;
    if (restore && declared) {
      declaredPlans.set(restore.recoveryPointArn, {
        ...restore,
        declared,
        notes: [
          ...restore.notes.filter((note) => !note.startsWith(DECLARED_NOTE)),
          `${DECLARED_NOTE}${declared.summary}, declared by the data inventory's '${name}' and not kept by a restore`,
        ],
      });
    }
  }
  const current = (p: PlannedRestore) => declaredPlans.get(p.recoveryPointArn) ?? p;
  return {
    plan: plan.map(current),
    wires: wires.map((wire) => (wire.restore ? { ...wire, restore: current(wire.restore) } : wire)),
  };
}

/** The wires of a choice that restore a database (RDS or Aurora). */
export function databaseWires(choice: InventoryChoice): InventoryWire[] {
  return choice.wires.filter((w) => w.restore && roleOfKind(w.kind) === "db");
}
