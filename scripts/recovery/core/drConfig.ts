// The dr stack config of a flip: which restored resources feed which key, set early or once restored.
import { DR_MODES } from "../../../stacks/config";
import type { PrimaryAppData } from "../../../stacks/drContract";
import { DR_CONFIG_KEYS } from "./stackHandle";
import { PlannedRestore, RunJournal } from "./journal";
import { AppRole, ResourceRecovery } from "../resources/resourceRecovery";
import { ALL_RESOURCES, resourceOf } from "../resources/registry";
import { restoredName } from "./naming";
import { DrOutputs } from "../../dependencies";

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
  const problems: string[] = [];
  const matches = (p: PlannedRestore, value: string) =>
    p.resourceArn === value || p.recoveryPointArn === value || p.resourceName === value;
  for (const value of designated) {
    if (!plan.some((p) => matches(p, value))) {
      problems.push(`--app-resource '${value}' matches none of the recovery points to restore`);
    }
  }
  for (const role of ROLES) {
    const modules = modulesOf(role);
    const types = modules.map((m) => m.type);
    const candidates = plan.filter((p) => types.includes(p.resourceType));
    const named = candidates.filter((p) => designated.some((d) => matches(p, d)));
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
function withoutFailedBack(candidates: readonly PlannedRestore[]): PlannedRestore[] {
  const replaced = (p: PlannedRestore) =>
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

/** The config a flip sets, split by when it is known: before the restores finish, or only after. */
export interface DrConfigPlan {
  /** (dr: `mode: active` and) the names the CLI chose: can be applied while the data is restoring. */
  readonly early: Record<string, string>;
  /** Restores whose results (endpoint, volume id) the remaining keys need. */
  readonly lateDependencies: PlannedRestore[];
  /** Placeholders for the remaining keys, for --dry-run. */
  readonly latePreview: Record<string, string>;
  /** The remaining keys, from the journal: only restores that completed set theirs. */
  late(journal: RunJournal): Record<string, string>;
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

/** What the dr stack config needs for the chosen restores, and which of it is known up front. */
export function planDrConfig(app: AppResources, outputs: DrOutputs): DrConfigPlan {
  const restored = planRestoredConfig(app, outputs);
  return { ...restored, early: { [DR_CONFIG_KEYS.mode]: DR_MODES.active, ...restored.early } };
}

/**
 * The restored-identifier keys (`restored*`) for the chosen restores: the names known up front, the
 * results (endpoint, volume id) once restored. The dr stack takes them from a recovery, the prod stack
 * from a failback. With `fallback`, a role nothing is restored for takes its type's fallback from those
 * outputs (the dr stack's replica bucket).
 */
export function planRestoredConfig(app: AppResources, fallback?: DrOutputs): DrConfigPlan {
  const early: Record<string, string> = {};
  const lateDependencies: PlannedRestore[] = [];
  const latePreview: Record<string, string> = {};
  for (const role of ROLES) {
    const restore = app[role];
    const config = restore ? resourceOf(restore.resourceType).drConfig : modulesOf(role)[0]?.drConfig;
    const name = restore ? restore.targetName : fallback && config?.fallback?.(fallback);
    if (config?.nameKey && name) {
      early[DR_CONFIG_KEYS[config.nameKey]] = name;
    }
    if (restore && config?.result) {
      lateDependencies.push(restore);
      latePreview[DR_CONFIG_KEYS[config.result.key]] = config.result.preview(restore);
    }
  }
  return {
    early,
    lateDependencies,
    latePreview,
    late: (journal) => {
      const late: Record<string, string> = {};
      for (const restore of lateDependencies) {
        const result = resourceOf(restore.resourceType).drConfig?.result;
        const record = journal.jobs[restore.recoveryPointArn];
        const value = record?.status === "COMPLETED" && result ? result.value(record) : undefined;
        if (result && value) {
          late[DR_CONFIG_KEYS[result.key]] = value;
        }
      }
      return late;
    },
  };
}
