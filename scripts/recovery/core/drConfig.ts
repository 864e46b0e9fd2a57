// The dr stack config of a flip: which restored resources feed which key, set early or once restored.
import { DR_MODES } from "../../../stacks/config";
import type { DataKind, PrimaryAppData, RestoredData, RestoredDataEntry } from "../../../stacks/drContract";
import { DR_CONFIG_KEYS, LEGACY_RESTORED_KEYS, RESTORED_DATA_KEY } from "./stackHandle";
import { JobRecord, PlannedRestore, RunJournal } from "./journal";
import { AppRole, ResourceRecovery } from "../resources/resourceRecovery";
import { ALL_RESOURCES, resourceOf } from "../resources/registry";
import { restoredName } from "./naming";

/** Which restored resource feeds each of the dr stack's single-valued config keys. */
export type AppResources = { readonly [R in AppRole]?: PlannedRestore };

/** The roles, in the order their config keys are set and their problems listed. */
const ROLES: readonly AppRole[] = ["db", "table", "volume", "bucket"];

/** The resource types that can fill `role`. */
function modulesOf(role: AppRole): ResourceRecovery[] {
  return ALL_RESOURCES.filter((r) => r.drConfig?.role === role);
}

/** The restores chosen for the dr stack config, and every reason a real run would refuse the choice. */
export interface AppResourceChoice {
  readonly app: AppResources;
  /** One sentence per unmatched --app-resource and per ambiguous role; empty when all is clear. */
  readonly problems: string[];
}

/** The field of prod's `appData` that names the resource of each role. */
const SERVED_FIELD: Readonly<Record<AppRole, keyof PrimaryAppData>> = {
  db: "dbInstanceId",
  table: "tableName",
  volume: "volumeId",
  bucket: "bucketName",
};

/** Whether an `--app-resource` value names the planned restore: its source ARN, its recovery point's ARN or its name. */
export function designates(p: PlannedRestore, value: string): boolean {
  return p.resourceArn === value || p.recoveryPointArn === value || p.resourceName === value;
}

/** One problem per `--app-resource` value that names none of the plan's restores. */
export function unmatchedDesignations(
  plan: readonly PlannedRestore[],
  designated: readonly string[],
): string[] {
  return designated
    .filter((value) => !plan.some((p) => designates(p, value)))
    .map((value) => `--app-resource '${value}' matches none of the recovery points to restore`);
}

/**
 * Picks, per role, the restore whose result goes into the dr stack config. One candidate is taken
 * as is, a failback's copy over the resource it replaced; between several, the one prod's servers use
 * (`served`: the prod stack's `appData` as the dr stack reports it, which names a failback's copy of a volume
 * too, where no name can); else `--app-resource <arn|name>` must name the one the application uses. Every
 * problem is collected, with the candidates' ARNs, so one run (or one --dry-run) shows them all,
 * before anything starts.
 */
export function chooseAppResources(
  plan: readonly PlannedRestore[],
  designated: readonly string[],
  served: PrimaryAppData = {},
): AppResourceChoice {
  const choice: { [R in AppRole]?: PlannedRestore } = {};
  const problems = unmatchedDesignations(plan, designated);
  for (const role of ROLES) {
    const modules = modulesOf(role);
    const types = modules.map((m) => m.type);
    const candidates = plan.filter((p) => types.includes(p.resourceType));
    const named = candidates.filter((p) => designated.some((d) => designates(p, d)));
    const pool =
      named.length > 0 ? named : servedFirst(withoutFailedBack(candidates), served[SERVED_FIELD[role]]);
    if (pool.length > 1) {
      const config = modules[0].drConfig;
      const keys = [config?.result?.key, config?.nameKey].filter((k) => k !== undefined).join(" / ");
      problems.push(
        `${pool.length} ${types.join("/")} resources will be restored but the dr stack takes one ${keys}: name one with --app-resource <arn|name>: ${pool
          .map((p) => `${p.resourceName} (${p.resourceArn})`)
          .join(", ")}`,
      );
    } else if (pool.length === 1) {
      choice[role] = pool[0];
    }
  }
  return { app: choice, problems };
}

/** The prefix a failback gives its copies, `fb-<runId>-` (scripts/recovery/naming.ts), as it starts a name. */
const FAILED_BACK_PREFIX = /^fb-\d{8}t\d{6}[0-9a-z]*-/;

/**
 * The candidates left once those a failback replaced are dropped: prod runs on `fb-<runId>-<name>` in place of
 * `<name>` after a failback (its prod-data phase), so both are in the vault, and the copy is the one prod
 * serves. A chain of failbacks drops every earlier link. The copy's name is checked as the CLI makes it
 * (restoredName), so a shortened name still matches.
 */
export function withoutFailedBack<T extends Pick<PlannedRestore, "resourceName" | "resourceType">>(
  candidates: readonly T[],
): T[] {
  const replaced = (p: T) =>
    candidates.some((copy) => {
      const prefix = FAILED_BACK_PREFIX.exec(copy.resourceName)?.[0];
      const rule = resourceOf(copy.resourceType).nameRule;
      return (
        copy !== p &&
        prefix !== undefined &&
        rule !== undefined &&
        restoredName(rule, prefix, p.resourceName) === copy.resourceName
      );
    });
  return candidates.filter((p) => !replaced(p));
}

/**
 * Of several candidates, the one whose resource prod's servers use (`id`: its name, or the id at the end
 * of its ARN), when exactly one is; else all of them.
 */
function servedFirst(candidates: PlannedRestore[], id: string | undefined): PlannedRestore[] {
  if (candidates.length < 2 || !id) {
    return candidates;
  }
  const served = candidates.filter((p) => p.resourceName === id || p.resourceArn.split(/[:/]/).pop() === id);
  return served.length === 1 ? served : candidates;
}

/** One inventory entry and what the run wires it to. */
export interface InventoryWire {
  /** The logical name (the inventory's, or {@link LEGACY_ENTRY_NAMES}'). */
  readonly name: string;
  readonly kind: DataKind;
  /** The restore that feeds it; absent when nothing of the run does. */
  readonly restore?: PlannedRestore;
  /** What it is wired to without a restore (a bucket's cross-region replica, already in the region). */
  readonly standing?: RestoredDataEntry;
  /** Why it cannot be wired, known before anything starts (no recovery point of it). */
  readonly missing?: string;
}

/** An inventory entry a run did not wire, and why. */
export interface UnwiredEntry {
  readonly name: string;
  readonly kind: DataKind;
  readonly reason: string;
}

/** What the data update sets, and the entries it leaves out. */
export interface DataWiring {
  /** `restoredData` (and nothing else); empty when no restore of the run can be wired. */
  readonly config: Record<string, string>;
  /** Logical name -> what it is wired to: the value of `restoredData`. */
  readonly data: RestoredData;
  readonly unwired: UnwiredEntry[];
}

/** The config a flip sets, split by when it is known: before the restores finish, or only after. */
export interface DrConfigPlan {
  /** (dr: `mode: active` and) what needs no restore: can be applied while the data is restoring. */
  readonly early: Record<string, string>;
  /** The keys the update that sets `restoredData` removes: the five single-valued keys it replaced. */
  readonly removeKeys: readonly string[];
  /** Restores whose results `restoredData` needs. */
  readonly lateDependencies: PlannedRestore[];
  /** Placeholders for `restoredData`, for --dry-run. */
  readonly latePreview: Record<string, string>;
  /**
   * `restoredData` from the journal: only restores that completed and were not found missing after (their
   * `verification`) are wired; every other entry is listed with why.
   */
  late(journal: RunJournal): DataWiring;
}

/** What the dr stack config needs for the inventory's wiring, and which of it is known up front. */
export function planDrConfig(wires: readonly InventoryWire[]): DrConfigPlan {
  const restored = planRestoredConfig(wires);
  return { ...restored, early: { [DR_CONFIG_KEYS.mode]: DR_MODES.active, ...restored.early } };
}

/** A completed restore as `restoredData` holds it. */
function restoredEntry(kind: DataKind, record: JobRecord): RestoredDataEntry | undefined {
  if (!record.resourceId) return undefined;
  return {
    kind,
    id: record.resourceId,
    ...(record.endpoint && { endpoint: record.endpoint }),
    ...(record.createdResourceArn && { arn: record.createdResourceArn }),
  };
}

/** Why a wire's restore gives nothing to wire, or undefined when it does. */
function notWired(record: JobRecord | undefined): string | undefined {
  if (!record || record.status !== "COMPLETED") {
    const status = record?.status ?? "NOT_STARTED";
    return `restore ${status}${record?.statusMessage ? `: ${record.statusMessage}` : ""}`;
  }
  if (!record.resourceId) {
    return "restore COMPLETED without a resource id";
  }
  if (record.verification && !record.verification.ok) {
    return `restored but not usable: ${record.verification.detail}`;
  }
  return undefined;
}

/**
 * The `restoredData` value for the inventory's wiring: one JSON string (Pulumi's config.getObject parses it),
 * set in one update with the five single-valued keys removed. What needs no restore (a replica bucket) is
 * known up front and, when nothing is restored, set early; otherwise the whole value waits for the restores,
 * so the application is never pointed at a resource that does not exist. The dr stack takes it from a
 * recovery, the prod stack from a failback.
 */
export function planRestoredConfig(wires: readonly InventoryWire[]): DrConfigPlan {
  const lateDependencies = wires.flatMap((w) => (w.restore ? [w.restore] : []));
  const standing = Object.fromEntries(wires.flatMap((w) => (w.standing ? [[w.name, w.standing]] : [])));
  const missing: UnwiredEntry[] = wires.flatMap((w) =>
    w.missing ? [{ name: w.name, kind: w.kind, reason: w.missing }] : [],
  );
  const value = (data: RestoredData) => ({ [RESTORED_DATA_KEY]: JSON.stringify(data) });
  const early = lateDependencies.length === 0 && Object.keys(standing).length > 0 ? value(standing) : {};
  const preview: Record<string, RestoredDataEntry> = { ...standing };
  for (const w of wires) {
    if (w.restore) {
      preview[w.name] = {
        kind: w.kind,
        id: `<${w.restore.targetName ?? `id restored from ${w.restore.resourceName}`}, when restored>`,
      };
    }
  }
  return {
    early,
    removeKeys: LEGACY_RESTORED_KEYS,
    lateDependencies,
    latePreview: lateDependencies.length > 0 ? value(preview) : {},
    late: (journal) => {
      const data: Record<string, RestoredDataEntry> = {};
      const unwired = [...missing];
      let restored = 0;
      for (const w of wires) {
        if (w.standing) {
          data[w.name] = w.standing;
        }
        if (!w.restore) continue;
        const record = journal.jobs[w.restore.recoveryPointArn];
        const why = notWired(record);
        const entry = !why && record ? restoredEntry(w.kind, record) : undefined;
        if (entry) {
          data[w.name] = entry;
          restored++;
        } else {
          unwired.push({ name: w.name, kind: w.kind, reason: why ?? "not restored" });
        }
      }
      return { config: restored > 0 ? value(data) : {}, data, unwired };
    },
  };
}
