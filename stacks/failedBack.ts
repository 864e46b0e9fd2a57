// Which data prod's servers use: each inventory entry failed back (with a failback prefix) or prod's own.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, DataEntrySettings, LEGACY_ENTRY_NAMES, RestoredIdentifiers } from "./config";
import type { DataKind, PrimaryAppData, RestoredData, RestoredDataEntry } from "./drContract";
import { ServedDataEntry } from "./dataVariables";
import { FAILED_BACK_NAME_PREFIXES, isRestoredName } from "./restoredNames";

/** One inventory entry of prod: its settings and its own resource. */
export interface OwnEntry {
  readonly settings: DataEntrySettings;
  readonly own: pulumi.Output<RestoredDataEntry>;
}

/** Where prod's servers find their data, by the single-resource names of the `appData` output. */
export type AppData = { readonly [K in keyof PrimaryAppData]-?: pulumi.Output<string | undefined> };

/** What each kind's id names, and why it must be prod's own or failed back, for messages. */
const RULES: Record<DataKind, { readonly noun: string; readonly why: string }> = {
  rds: { noun: "database", why: "as a failback names the databases it restores" },
  aurora: { noun: "cluster", why: "as a failback names the clusters it restores" },
  dynamodb: { noun: "table", why: "the servers are granted no other table" },
  s3: { noun: "bucket", why: "the servers are granted no other bucket" },
  ebs: { noun: "volume", why: "" },
  efs: { noun: "file system", why: "" },
};

/** Volumes and file systems have no name to check: any id of the region, as on the dr stack. */
const UNNAMED: readonly DataKind[] = ["ebs", "efs"];

/**
 * Whether the servers still use prod's own resource for `entry`, from `restoredData` alone (known before any
 * resource exists, so its tags can depend on it): a database, cluster, table or bucket is replaced when
 * configured with a failed-back name (`fb-`, `fbdrill-`; prod's own name configured back is its own); a
 * volume or file system, which has no name, whenever an id is configured.
 */
export function ownServed(restored: RestoredData, entry: DataEntrySettings): boolean {
  const configured = restored[entry.name];
  if (configured === undefined) return true;
  if (UNNAMED.includes(entry.kind)) return false;
  return !isRestoredName(configured.id, FAILED_BACK_NAME_PREFIXES);
}

/**
 * Prod's servers use the failed-back data where `restoredData` names it (what a failback sets, by the dr
 * stack's logical names), else prod's own resources, which stay in the stack untouched either way. A
 * failed-back name must carry a failback prefix (`fb-`, `fbdrill-`): the servers are granted those in
 * advance and nothing else besides prod's own. The check waits for prod's own value, known once its
 * resource exists. A name the inventory does not hold, or a kind other than the entry's, is an error.
 */
export function servedData(
  restored: RestoredData,
  entries: readonly OwnEntry[],
  legacy: RestoredIdentifiers = {},
): pulumi.Output<ServedDataEntry[]> {
  const names = new Set(entries.map((entry) => entry.settings.name));
  for (const [name, configured] of Object.entries(restored)) {
    if (!names.has(name)) {
      throw new pulumi.RunError(
        `Configuration '${CONFIG_NAMESPACE}:restoredData' names '${name}', which is not in this stack's data inventory ` +
          `(${[...names].join(", ") || "empty"}): a failback sets the logical names of dr-app:data`,
      );
    }
    const kind = entries.find((entry) => entry.settings.name === name)!.settings.kind;
    if (configured.kind !== kind) {
      throw new pulumi.RunError(
        `Configuration '${CONFIG_NAMESPACE}:restoredData.${name}.kind' value '${configured.kind}' must be ${kind}, the kind of data[${name}]`,
      );
    }
  }
  return pulumi.all(
    entries.map(({ settings, own }) =>
      own.apply((ownValue): ServedDataEntry => {
        const configured = restored[settings.name];
        const base = { name: settings.name, kind: settings.kind };
        if (configured === undefined) return { ...base, used: ownValue };
        if (configured.id === ownValue.id) return { ...base, used: configured };
        if (UNNAMED.includes(settings.kind) || isRestoredName(configured.id, FAILED_BACK_NAME_PREFIXES)) {
          return { ...base, used: configured, restored: true };
        }
        const rule = RULES[settings.kind];
        throw new pulumi.RunError(
          `Configuration '${CONFIG_NAMESPACE}:${configKeyOf(settings.name, configured.id, legacy)}' value '${configured.id}' must be this stack's own ${rule.noun} ` +
            `(${ownValue.id}) or a failed-back one named ${FAILED_BACK_NAME_PREFIXES.join("... or ")}...${rule.why ? `: ${rule.why}` : ""}`,
        );
      }),
    ),
  );
}

/** The key that set an entry's id: a deprecated key when its value is the one that key gives, else `restoredData`. */
function configKeyOf(name: string, id: string, legacy: RestoredIdentifiers): string {
  const keys: [string, string | undefined, string][] = [
    [LEGACY_ENTRY_NAMES.db, legacy.dbInstanceId, "restoredDbInstanceId"],
    [LEGACY_ENTRY_NAMES.db, legacy.dbEndpoint?.split(".")[0], "restoredDbEndpoint"],
    [LEGACY_ENTRY_NAMES.table, legacy.tableName, "restoredTableName"],
    [LEGACY_ENTRY_NAMES.bucket, legacy.bucketName, "restoredBucketName"],
  ];
  return (
    keys.find(([legacyName, value]) => legacyName === name && value === id)?.[2] ?? `restoredData.${name}.id`
  );
}

/**
 * The single-resource identifiers of the `appData` output (and the servers' `APP_DB_*`, `APP_TABLE_NAME`,
 * `APP_BUCKET_NAME`, `APP_DATA_VOLUME_ID`): the first database (RDS or Aurora), table, bucket and volume of
 * the inventory, as served; undefined when the inventory has none of a kind.
 */
export function singleAppData(served: pulumi.Output<ServedDataEntry[]>): AppData {
  const first = (kinds: readonly DataKind[], field: "id" | "endpoint") => {
    return served.apply((entries) => entries.find((entry) => kinds.includes(entry.kind))?.used?.[field]);
  };
  return {
    dbEndpoint: first(["rds", "aurora"], "endpoint"),
    dbInstanceId: first(["rds", "aurora"], "id"),
    tableName: first(["dynamodb"], "id"),
    bucketName: first(["s3"], "id"),
    volumeId: first(["ebs"], "id"),
  };
}
