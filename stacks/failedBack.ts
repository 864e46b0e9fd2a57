// Which data prod's servers use: each identifier failed back (with a failback prefix) or prod's own.
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, RESTORED_KEYS, RestoredIdentifiers } from "./config";
import { FAILED_BACK_NAME_PREFIXES, isRestoredName } from "./restoredNames";

/** Prod's own data, as its resources give it. */
export interface OwnData {
  readonly dbEndpoint: pulumi.Output<string>;
  readonly dbInstanceId: pulumi.Output<string>;
  readonly tableName: pulumi.Output<string>;
  readonly bucketName: pulumi.Output<string>;
  readonly volumeId: pulumi.Output<string>;
}

/** Where prod's servers find their data: each identifier failed back, or prod's own. */
export type AppData = { readonly [K in keyof OwnData]: pulumi.Output<string> };

/** The config key of each identifier (the same keys as the dr stack's, RESTORED_KEYS). */
const KEYS: Record<keyof OwnData, (typeof RESTORED_KEYS)[number]> = {
  dbEndpoint: "restoredDbEndpoint",
  dbInstanceId: "restoredDbInstanceId",
  tableName: "restoredTableName",
  bucketName: "restoredBucketName",
  volumeId: "restoredVolumeId",
};

/** What each identifier names, and why it must be prod's own or failed back, for messages. */
const RULES: Record<keyof OwnData, { readonly noun: string; readonly why: string }> = {
  dbEndpoint: { noun: "database endpoint", why: "as a failback names the databases it restores" },
  dbInstanceId: { noun: "database", why: "as a failback names the databases it restores" },
  tableName: { noun: "table", why: "the servers are granted no other table" },
  bucketName: { noun: "bucket", why: "the servers are granted no other bucket" },
  volumeId: { noun: "volume", why: "" },
};

/**
 * Prod's servers use the failed-back data where the stack's config names it (the restored identifiers a
 * failback sets, by the dr stack's keys), else prod's own resources, which stay in the stack untouched
 * either way. A failed-back name must carry a failback prefix (`fb-`, `fbdrill-`): the servers are granted
 * those in advance and nothing else besides prod's own. A volume has no name to check: any volume id of the
 * region, as on the dr stack. The check waits for prod's own value, known once its resource exists.
 */
export function appData(restored: RestoredIdentifiers, own: OwnData): AppData {
  const choose = (field: keyof OwnData): pulumi.Output<string> => {
    const configured = restored[field];
    if (configured === undefined) return own[field];
    return own[field].apply((ownValue) => {
      if (
        configured === ownValue ||
        field === "volumeId" ||
        isRestoredName(configured, FAILED_BACK_NAME_PREFIXES)
      ) {
        return configured;
      }
      const rule = RULES[field];
      throw new pulumi.RunError(
        `Configuration '${CONFIG_NAMESPACE}:${KEYS[field]}' value '${configured}' must be this stack's own ${rule.noun} ` +
          `(${ownValue}) or a failed-back one named ${FAILED_BACK_NAME_PREFIXES.join("... or ")}...: ${rule.why}`,
      );
    });
  };
  return {
    dbEndpoint: choose("dbEndpoint"),
    dbInstanceId: choose("dbInstanceId"),
    tableName: choose("tableName"),
    bucketName: choose("bucketName"),
    volumeId: choose("volumeId"),
  };
}

/** Whether the servers still use each of prod's own data resources, or a failed-back copy replaced it. */
export type OwnServed = { readonly [K in "db" | "table" | "volume" | "bucket"]: boolean };

/**
 * Which of prod's own resources the servers use, from the restored identifiers alone (known before any
 * resource exists, so a resource's tags can depend on it): the database, table and bucket are replaced when
 * configured with a failed-back name (`fb-`, `fbdrill-`; prod's own name configured back is its own); the
 * volume, which has no name, whenever an id is configured (an id cannot be told from prod's own before
 * deployment: leave `restoredVolumeId` unset to use prod's volume).
 */
export function ownServed(restored: RestoredIdentifiers): OwnServed {
  const failedBack = (value: string | undefined) =>
    value !== undefined && isRestoredName(value, FAILED_BACK_NAME_PREFIXES);
  return {
    db: !failedBack(restored.dbInstanceId) && !failedBack(restored.dbEndpoint),
    table: !failedBack(restored.tableName),
    bucket: !failedBack(restored.bucketName),
    volume: restored.volumeId === undefined,
  };
}
