/** Reads the restored data either role points its servers at: `restoredData`, and the deprecated single keys. */
import { validation } from "@restorekit/backup-restore-dr";
import type { DataKind, RestoredData, RestoredDataEntry } from "../drContract";
import { isRestoredName, RESTORED_NAME_PREFIXES } from "../restoredNames";
import { DATA_KINDS, DATA_NAME_PATTERN } from "./data";
import { ConfigReader } from "./reader";
import { CONFIG_NAMESPACE, RESTORED_KEYS } from "./schema";
import { RestoredIdentifiers, StackSettings } from "./settings";

export function restoredBucket(reader: ConfigReader): string | undefined {
  const bucket = reader.optional("restoredBucketName");
  if (bucket !== undefined) {
    validation
      .checkSourceBucket("restoredBucketName", bucket)
      .forEach((issue) => reader.problem("restoredBucketName", bucket, issue.rule));
  }
  return bucket;
}

export function restoredTable(reader: ConfigReader, role: StackSettings["role"]): string | undefined {
  const table = reader.optional("restoredTableName", {
    pattern: /^[\w.-]{3,255}$/,
    rule: "must be a DynamoDB table name: 3-255 letters, digits, _, - and .",
  });
  // On prod the table may also be prod's own, whose generated name only the program knows (stacks/failedBack.ts).
  if (role === "dr" && table !== undefined && !isRestoredName(table)) {
    reader.problem(
      "restoredTableName",
      table,
      `must start with ${RESTORED_NAME_PREFIXES.join(" or ")}, as the recovery CLI names restored tables: the servers are granted no other table`,
    );
  }
  return table;
}

/** The restored identifiers, on either side, each of the shape its service gives it. */
export function readRestored(reader: ConfigReader, role: StackSettings["role"]): RestoredIdentifiers {
  return {
    dbEndpoint: reader.optional("restoredDbEndpoint", {
      pattern: /^[\w.-]+(:\d{1,5})?$/,
      rule: "must be host:port, e.g. restored-db.abc123.us-west-2.rds.amazonaws.com:5432",
    }),
    dbInstanceId: reader.optional("restoredDbInstanceId"),
    tableName: restoredTable(reader, role),
    volumeId: reader.optional("restoredVolumeId", {
      pattern: /^vol-[0-9a-f]{8,17}$/,
      rule: "must be an EBS volume id such as vol-0123456789abcdef0",
    }),
    bucketName: restoredBucket(reader),
  };
}

/**
 * The default example's logical names (`data`'s default), which the deprecated `restored*` keys spell:
 * `restoredDbEndpoint` and `restoredDbInstanceId` are `db`, `restoredTableName` `table`, and so on.
 */
export const LEGACY_ENTRY_NAMES = { db: "db", table: "table", volume: "volume", bucket: "bucket" } as const;

const HOST_PORT = /^[\w.-]+(:\d{1,5})?$/;

/** The shape each kind's restored `id` has (where its service fixes one), for messages. */
const ID_SHAPES: Partial<Record<DataKind, { readonly pattern: RegExp; readonly rule: string }>> = {
  ebs: { pattern: /^vol-[0-9a-f]{8,17}$/, rule: "must be an EBS volume id such as vol-0123456789abcdef0" },
  efs: { pattern: /^fs-[0-9a-f]{8,40}$/, rule: "must be an EFS file system id such as fs-0123456789abcdef0" },
  dynamodb: {
    pattern: /^[\w.-]{3,255}$/,
    rule: "must be a DynamoDB table name: 3-255 letters, digits, _, - and .",
  },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The deprecated keys as `restoredData` entries of the default example's names, each with a warning. */
function legacyEntries(
  reader: ConfigReader,
  restored: RestoredIdentifiers,
): Record<string, RestoredDataEntry> {
  const entries: Record<string, RestoredDataEntry> = {};
  const dbId = restored.dbInstanceId ?? restored.dbEndpoint?.split(".")[0];
  if (dbId !== undefined) {
    entries[LEGACY_ENTRY_NAMES.db] = {
      kind: "rds",
      id: dbId,
      ...(restored.dbEndpoint !== undefined && { endpoint: restored.dbEndpoint }),
    };
  }
  if (restored.tableName !== undefined) {
    entries[LEGACY_ENTRY_NAMES.table] = { kind: "dynamodb", id: restored.tableName };
  }
  if (restored.volumeId !== undefined) {
    entries[LEGACY_ENTRY_NAMES.volume] = { kind: "ebs", id: restored.volumeId };
  }
  if (restored.bucketName !== undefined) {
    entries[LEGACY_ENTRY_NAMES.bucket] = { kind: "s3", id: restored.bucketName };
  }
  for (const key of RESTORED_KEYS) {
    if (reader.optional(key) !== undefined) {
      reader.warnings.push(
        `Configuration '${CONFIG_NAMESPACE}:${key}' is deprecated: set '${CONFIG_NAMESPACE}:restoredData' ` +
          `(a JSON object, logical name -> {kind, id, endpoint?, arn?}); it is read as the default example's entries this release`,
      );
    }
  }
  return entries;
}

/**
 * `restoredData`, validated (each logical name, kind, id and endpoint of the shape its service gives it;
 * on dr a table named as the recovery names it), over the deprecated keys read as the default example's
 * entries: `restoredData` wins for a name both give.
 */
export function readRestoredData(
  reader: ConfigReader,
  role: StackSettings["role"],
  restored: RestoredIdentifiers,
): RestoredData {
  const legacy = legacyEntries(reader, restored);
  const value = reader.json("restoredData");
  if (value === undefined) return legacy;
  if (!isRecord(value)) {
    reader.problem(
      "restoredData",
      value,
      "must be a JSON object: logical name -> {kind, id, endpoint?, arn?}",
    );
    return legacy;
  }
  const entries: Record<string, RestoredDataEntry> = { ...legacy };
  for (const [name, entry] of Object.entries(value)) {
    const key = `restoredData.${name}`;
    if (!DATA_NAME_PATTERN.test(name)) {
      reader.problem(key, name, "must be keyed by a logical name of the inventory (a-z, 0-9, -)");
      continue;
    }
    if (!isRecord(entry) || typeof entry.id !== "string" || entry.id === "") {
      reader.problem(key, entry, "must be an object with a kind and a non-empty id");
      continue;
    }
    const kind = entry.kind;
    if (typeof kind !== "string" || !(DATA_KINDS as readonly string[]).includes(kind)) {
      reader.problem(`${key}.kind`, kind ?? "", `is not a known kind (${DATA_KINDS.join(", ")})`);
      continue;
    }
    const shape = ID_SHAPES[kind as DataKind];
    if (shape && !shape.pattern.test(entry.id)) reader.problem(`${key}.id`, entry.id, shape.rule);
    if (role === "dr" && kind === "dynamodb" && !isRestoredName(entry.id)) {
      reader.problem(
        `${key}.id`,
        entry.id,
        `must start with ${RESTORED_NAME_PREFIXES.join(" or ")}, as the recovery CLI names restored tables: the servers are granted no other table`,
      );
    }
    if (
      entry.endpoint !== undefined &&
      (typeof entry.endpoint !== "string" || !HOST_PORT.test(entry.endpoint))
    ) {
      reader.problem(
        `${key}.endpoint`,
        entry.endpoint,
        "must be host:port, e.g. restored-db.abc123.us-west-2.rds.amazonaws.com:5432",
      );
    }
    entries[name] = {
      kind: kind as DataKind,
      id: entry.id,
      ...(typeof entry.endpoint === "string" && { endpoint: entry.endpoint }),
      ...(typeof entry.arn === "string" && { arn: entry.arn }),
    };
  }
  return entries;
}
