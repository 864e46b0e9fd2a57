/** Reads the application's data inventory (`data`): one entry per resource, its kind and what creating it needs. */
import { validation } from "@restorekit/backup-restore-dr";
import type { DataKind, EfsThroughput } from "../drContract";
import { readDatabase } from "./database";
import { ConfigReader } from "./reader";
import {
  AuroraDataSettings,
  DataEntrySettings,
  DynamoDbDataSettings,
  EbsDataSettings,
  EfsDataSettings,
  RdsDataSettings,
  S3DataSettings,
} from "./settings";

/** Every kind the inventory holds, in the order the prod stack creates them. */
export const DATA_KINDS = [
  "s3",
  "dynamodb",
  "rds",
  "aurora",
  "ebs",
  "efs",
] as const satisfies readonly DataKind[];

/** A logical name: lower case, a letter first, at most 31 characters (docs/CONTRACTS.md). */
export const DATA_NAME_PATTERN = /^[a-z][a-z0-9-]{0,30}$/;

/** One setting of an entry: how to read and check it. */
interface SettingRule {
  readonly type: "string" | "integer" | "number" | "boolean";
  /** For strings: the value's shape, and the rule a message states. */
  readonly pattern?: RegExp;
  readonly rule?: string;
  /** For integers and numbers: the inclusive range. */
  readonly min?: number;
  readonly max?: number;
  /** For strings: the allowed values. */
  readonly oneOf?: readonly string[];
  /** The entry is invalid without it. @default false */
  readonly required?: boolean;
}

const INSTANCE_CLASS: SettingRule = {
  type: "string",
  pattern: /^db\.[a-z0-9]+\.[a-z0-9]+$/,
  rule: "must be an RDS instance class such as db.t3.medium",
};
const ENGINE_VERSION: SettingRule = {
  type: "string",
  pattern: /^\d+(\.\d+)*$/,
  rule: "must be a version such as 16 or 16.4",
};
const DB_NAME: SettingRule = {
  type: "string",
  pattern: /^[A-Za-z][A-Za-z0-9_]{0,62}$/,
  rule: "must start with a letter and hold only letters, digits and _ (at most 63)",
};
const DB_USERNAME: SettingRule = {
  type: "string",
  pattern: /^[A-Za-z][A-Za-z0-9_]{0,15}$/,
  rule: "must start with a letter and hold only letters, digits and _ (at most 16)",
};
const ATTRIBUTE_NAME: SettingRule = {
  type: "string",
  pattern: /^[\w.-]{1,255}$/,
  rule: "must be a DynamoDB attribute name: 1-255 letters, digits, _, - and .",
};

/**
 * The settings each kind takes besides `name` and `kind`. An RDS entry without settings takes the `db*`
 * keys, an EBS entry `volumeSizeGiB`, an S3 entry `appBucketName` (the default example's entries).
 */
const KIND_SETTINGS: Record<DataKind, Readonly<Record<string, SettingRule>>> = {
  rds: {
    engine: { type: "string", oneOf: ["postgres", "mysql", "mariadb"] },
    engineVersion: ENGINE_VERSION,
    instanceClass: INSTANCE_CLASS,
    allocatedStorage: { type: "integer", min: 20, max: 65536 },
    multiAz: { type: "boolean" },
    dbName: DB_NAME,
    username: DB_USERNAME,
  },
  aurora: {
    engine: { type: "string", oneOf: ["aurora-postgresql", "aurora-mysql"], required: true },
    engineVersion: ENGINE_VERSION,
    instanceClass: INSTANCE_CLASS,
    instances: { type: "integer", min: 1, max: 16 },
    dbName: DB_NAME,
    username: DB_USERNAME,
  },
  dynamodb: {
    hashKey: { ...ATTRIBUTE_NAME, required: true },
    rangeKey: ATTRIBUTE_NAME,
  },
  ebs: { sizeGiB: { type: "integer", min: 1, max: 16384 } },
  efs: {
    performanceMode: { type: "string", oneOf: ["generalPurpose", "maxIO"] },
    throughputMode: { type: "string", oneOf: ["bursting", "elastic", "provisioned"] },
    // "Valid values are 1-3414 MiBps, with the upper limit depending on Region" (EFS API reference,
    // CreateFileSystem and UpdateFileSystem, ProvisionedThroughputInMibps, a Double: 1.5 is one).
    provisionedThroughputInMibps: { type: "number", min: 1, max: 3414 },
  },
  s3: {
    bucketName: { type: "string" },
    replicate: { type: "boolean" },
  },
};

/** Default engine version and instance class of an Aurora entry. */
const AURORA_DEFAULTS = {
  "aurora-postgresql": { engineVersion: "16", port: 5432 },
  "aurora-mysql": { engineVersion: "8.0", port: 3306 },
} as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads one setting of `entry`, recording a problem that names the entry, the field, the value and the rule. */
function setting(
  reader: ConfigReader,
  label: string,
  entry: Record<string, unknown>,
  field: string,
  rule: SettingRule,
): string | number | boolean | undefined {
  const value = entry[field];
  const key = `data[${label}].${field}`;
  if (value === undefined) {
    if (rule.required) reader.problem(key, "", `is required for an entry of kind ${String(entry.kind)}`);
    return undefined;
  }
  if (rule.type === "integer" || rule.type === "number") {
    const parsed = typeof value === "number" ? value : value === "" ? NaN : Number(value);
    if (rule.type === "integer" ? !Number.isInteger(parsed) : !Number.isFinite(parsed)) {
      reader.problem(key, value, `is not a valid ${rule.type}`);
      return undefined;
    }
    if ((rule.min !== undefined && parsed < rule.min) || (rule.max !== undefined && parsed > rule.max)) {
      reader.problem(key, value, `is outside of the legal range (${rule.min}-${rule.max}, inclusive)`);
    }
    return parsed;
  }
  if (rule.type === "boolean") {
    if (value !== true && value !== false && value !== "true" && value !== "false") {
      reader.problem(key, value, "is not a valid boolean");
      return undefined;
    }
    return value === true || value === "true";
  }
  if (typeof value !== "string") {
    reader.problem(key, value, "is not a string");
    return undefined;
  }
  if (rule.oneOf && !rule.oneOf.includes(value)) {
    reader.problem(key, value, `is not a legal enum value (${JSON.stringify(rule.oneOf)})`);
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    reader.problem(key, value, rule.rule ?? `must match ${rule.pattern}`);
  }
  return value;
}

/** The typed settings of one entry, from its raw settings and, for the default example's kinds, the old keys. */
function entrySettings(
  reader: ConfigReader,
  name: string,
  kind: DataKind,
  raw: Record<string, string | number | boolean | undefined>,
  legacy: () => Legacy,
): DataEntrySettings {
  const str = (field: string) => raw[field] as string | undefined;
  const int = (field: string) => raw[field] as number | undefined;
  const bool = (field: string) => raw[field] as boolean | undefined;
  switch (kind) {
    case "rds": {
      const db = legacy().database;
      return {
        name,
        kind,
        engine: (str("engine") as RdsDataSettings["engine"] | undefined) ?? db.engine,
        engineVersion: str("engineVersion") ?? db.engineVersion,
        instanceClass: str("instanceClass") ?? db.instanceClass,
        allocatedStorage: int("allocatedStorage") ?? db.allocatedStorage,
        multiAz: bool("multiAz") ?? db.multiAz,
        dbName: str("dbName") ?? db.name,
        username: str("username") ?? db.username,
      } satisfies RdsDataSettings;
    }
    case "aurora": {
      const engine = (str("engine") ?? "aurora-postgresql") as AuroraDataSettings["engine"];
      const defaults = AURORA_DEFAULTS[engine] ?? AURORA_DEFAULTS["aurora-postgresql"];
      return {
        name,
        kind,
        engine,
        engineVersion: str("engineVersion") ?? defaults.engineVersion,
        instanceClass: str("instanceClass") ?? "db.r6g.large",
        instances: int("instances") ?? 1,
        dbName: str("dbName") ?? "app",
        username: str("username") ?? "appadmin",
      } satisfies AuroraDataSettings;
    }
    case "dynamodb":
      return {
        name,
        kind,
        hashKey: str("hashKey") ?? "pk",
        ...(str("rangeKey") !== undefined && { rangeKey: str("rangeKey") }),
      } satisfies DynamoDbDataSettings;
    case "ebs":
      return { name, kind, sizeGiB: int("sizeGiB") ?? legacy().volumeSizeGiB } satisfies EbsDataSettings;
    case "efs":
      return checkThroughput(reader, {
        name,
        kind,
        performanceMode: (str("performanceMode") ?? "generalPurpose") as EfsDataSettings["performanceMode"],
        throughputMode: (str("throughputMode") ??
          EFS_DEFAULT_THROUGHPUT_MODE) as EfsDataSettings["throughputMode"],
        ...(int("provisionedThroughputInMibps") !== undefined && {
          provisionedThroughputInMibps: int("provisionedThroughputInMibps"),
        }),
      } satisfies EfsDataSettings);
    case "s3": {
      const bucketName = str("bucketName") ?? legacy().appBucketName;
      if (bucketName !== undefined) {
        const key = str("bucketName") !== undefined ? `data[${name}].bucketName` : "appBucketName";
        validation
          .checkSourceBucket(key, bucketName)
          .forEach((issue) => reader.problem(key, bucketName, issue.rule));
      }
      return {
        name,
        kind,
        ...(bucketName !== undefined && { bucketName }),
        replicate: bool("replicate") ?? legacy().replicateAppBucket,
      } satisfies S3DataSettings;
    }
  }
}

/** An EFS entry's throughput mode when it sets none (Elastic, the mode the EFS console recommends). */
const EFS_DEFAULT_THROUGHPUT_MODE = "elastic";

/**
 * The rules between an EFS entry's throughput settings, as EFS enforces them: `provisioned` takes an amount
 * ("If ThroughputMode is set to provisioned, you must also set a value for ProvisionedThroughputInMibps"),
 * the amount is for `provisioned` only, and Elastic "is available only for file systems that are configured
 * with the General Purpose performance mode" (EFS API reference, CreateFileSystem; EFS user guide,
 * "Throughput modes").
 */
function checkThroughput(reader: ConfigReader, entry: EfsDataSettings): EfsDataSettings {
  const key = (field: string) => `data[${entry.name}].${field}`;
  if (entry.throughputMode === "provisioned" && entry.provisionedThroughputInMibps === undefined) {
    reader.problem(
      key("provisionedThroughputInMibps"),
      "",
      "is required with throughputMode provisioned: EFS provisions that many MiB/s",
    );
  }
  if (entry.throughputMode !== "provisioned" && entry.provisionedThroughputInMibps !== undefined) {
    reader.problem(
      key("provisionedThroughputInMibps"),
      entry.provisionedThroughputInMibps,
      `applies to throughputMode provisioned only, not ${entry.throughputMode}`,
    );
  }
  if (entry.throughputMode === "elastic" && entry.performanceMode === "maxIO") {
    reader.problem(
      key("throughputMode"),
      entry.throughputMode,
      "needs performanceMode generalPurpose: EFS offers Elastic throughput only with the General Purpose performance mode",
    );
  }
  return entry;
}

/** The throughput an EFS entry declares, as the prod stack exports it in `dataInventory`. */
export function efsThroughput(entry: EfsDataSettings): EfsThroughput {
  return {
    mode: entry.throughputMode,
    ...(entry.throughputMode === "provisioned" &&
      entry.provisionedThroughputInMibps !== undefined && {
        provisionedMibps: entry.provisionedThroughputInMibps,
      }),
  };
}

/** The old single-resource keys, read only when an entry takes its settings from them. */
interface Legacy {
  readonly database: ReturnType<typeof readDatabase>;
  readonly volumeSizeGiB: number;
  readonly appBucketName?: string;
  readonly replicateAppBucket: boolean;
}

/**
 * Reads and validates `data`: a list of entries, each `name` (unique, {@link DATA_NAME_PATTERN}), `kind`
 * ({@link DATA_KINDS}) and the kind's settings (no others: a misspelt setting is an error, not a default).
 * Every problem names the entry, the field, the value and the rule.
 */
export function readData(reader: ConfigReader, legacyOf: () => Legacy): readonly DataEntrySettings[] {
  const rawValue = reader.json("data");
  if (!Array.isArray(rawValue)) {
    reader.problem("data", rawValue, "must be a list of entries, each with a name and a kind");
    return [];
  }
  let legacy: Legacy | undefined;
  const legacyOnce = () => (legacy ??= legacyOf());
  const seen = new Set<string>();
  const entries: DataEntrySettings[] = [];
  rawValue.forEach((entry: unknown, index) => {
    if (!isRecord(entry)) {
      reader.problem(`data[${index}]`, entry, "must be an object with a name and a kind");
      return;
    }
    const name = entry.name;
    const label = typeof name === "string" && name !== "" ? name : String(index);
    if (typeof name !== "string" || !DATA_NAME_PATTERN.test(name)) {
      reader.problem(
        `data[${label}].name`,
        name ?? "",
        "must be a logical name: a lower-case letter, then up to 30 lower-case letters, digits and -",
      );
      return;
    }
    if (seen.has(name)) {
      reader.problem(`data[${label}].name`, name, "must be unique in the inventory: another entry has it");
      return;
    }
    seen.add(name);
    const kind = entry.kind;
    if (typeof kind !== "string" || !(DATA_KINDS as readonly string[]).includes(kind)) {
      reader.problem(`data[${label}].kind`, kind ?? "", `is not a known kind (${DATA_KINDS.join(", ")})`);
      return;
    }
    const rules = KIND_SETTINGS[kind as DataKind];
    for (const field of Object.keys(entry)) {
      if (field !== "name" && field !== "kind" && !(field in rules)) {
        reader.problem(
          `data[${label}].${field}`,
          entry[field],
          `is not a setting of kind ${kind} (${Object.keys(rules).join(", ") || "none"})`,
        );
      }
    }
    const raw = Object.fromEntries(
      Object.entries(rules).map(([field, rule]) => [field, setting(reader, label, entry, field, rule)]),
    );
    entries.push(entrySettings(reader, name, kind as DataKind, raw, legacyOnce));
  });
  checkDatabasePorts(reader, entries);
  return entries;
}

/** The port a database entry listens on. */
export function databasePort(entry: RdsDataSettings | AuroraDataSettings): number {
  if (entry.kind === "aurora") return AURORA_DEFAULTS[entry.engine].port;
  return entry.engine === "postgres" ? 5432 : 3306;
}

/** The servers' security group opens one database port: every database entry must listen on it. */
function checkDatabasePorts(reader: ConfigReader, entries: readonly DataEntrySettings[]): void {
  const databases = entries.filter(
    (entry): entry is RdsDataSettings | AuroraDataSettings => entry.kind === "rds" || entry.kind === "aurora",
  );
  const first = databases[0];
  for (const entry of databases.slice(1)) {
    if (databasePort(entry) !== databasePort(first)) {
      reader.problem(
        `data[${entry.name}].engine`,
        entry.engine,
        `listens on ${databasePort(entry)}, but data[${first.name}] (${first.engine}) on ${databasePort(first)}: ` +
          "the database security group opens one port, so every database of the inventory must use one engine family",
      );
    }
  }
}
