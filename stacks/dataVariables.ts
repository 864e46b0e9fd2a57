/** The servers' variables for the data inventory: `APP_DATA_<NAME>_<ATTR>`, one per logical name and attribute. */
import type { DataKind, RestoredDataEntry } from "./drContract";

/** What a server is told about one resource of each kind: variable attribute -> the field it comes from. */
export const DATA_ATTRIBUTES: Readonly<
  Record<DataKind, readonly { readonly attribute: string; readonly field: "id" | "endpoint" | "arn" }[]>
> = {
  rds: [
    { attribute: "ENDPOINT", field: "endpoint" },
    { attribute: "ID", field: "id" },
    { attribute: "ARN", field: "arn" },
  ],
  aurora: [
    { attribute: "ENDPOINT", field: "endpoint" },
    { attribute: "ID", field: "id" },
    { attribute: "ARN", field: "arn" },
  ],
  dynamodb: [
    { attribute: "NAME", field: "id" },
    { attribute: "ARN", field: "arn" },
  ],
  s3: [
    { attribute: "NAME", field: "id" },
    { attribute: "ARN", field: "arn" },
  ],
  ebs: [{ attribute: "VOLUME_ID", field: "id" }],
  efs: [{ attribute: "FILE_SYSTEM_ID", field: "id" }],
};

/** The variables that list the inventory itself: its logical names, comma-separated, in inventory order. */
export const DATA_NAMES_VARIABLE = "APP_DATA_NAMES";

/**
 * The variable of one logical name and attribute: `APP_DATA_<NAME>_<ATTR>`, NAME upper-cased with `-` ->
 * `_` (`orders-db`, `ENDPOINT` -> `APP_DATA_ORDERS_DB_ENDPOINT`). `KIND` names the entry's kind.
 */
export function dataVariableName(logicalName: string, attribute: string): string {
  return `APP_DATA_${logicalName.toUpperCase().replace(/-/g, "_")}_${attribute}`;
}

/**
 * The application's path of the inventory's file system `name` (its `APP_DATA_<NAME>_MOUNT_PATH`): the file
 * system's root for prod's own, the directory AWS Backup restored into for a restored one ({@link rootPathOf}).
 */
export function mountPathOf(name: string): string {
  return `/mnt/dr-app/${name}`;
}

/**
 * Where the file system `name`'s root is mounted (its `APP_DATA_<NAME>_ROOT_PATH`). A full restore of an EFS
 * file system, to a new one too, puts the data in a recovery directory `aws-backup-restore_<datetime>` off
 * the root (AWS Backup developer guide, "Restore an Amazon EFS file system", restoring-efs.html): the
 * application's path ({@link mountPathOf}) is then that directory, bound there from this root.
 */
export function rootPathOf(name: string): string {
  return `/mnt/dr-app/.root/${name}`;
}

/** The name of the directories AWS Backup restores an EFS file system into, off its root (restoring-efs.html). */
export const EFS_RESTORE_DIRECTORY_PREFIX = "aws-backup-restore_";

/** One inventory entry as the servers see it: its name, kind and, when there is one, what they use. */
export interface ServedDataEntry {
  readonly name: string;
  readonly kind: DataKind;
  /** What the servers use for it: prod's own resource, or what a recovery or failback restored. */
  readonly used?: RestoredDataEntry;
  /** `used` is a restored (or failed-back) copy, not prod's own resource nor a replica. @default false */
  readonly restored?: boolean;
}

/**
 * Every variable of the inventory, in its order: `APP_DATA_NAMES`, then per entry `_KIND` and each of its
 * kind's attributes ({@link DATA_ATTRIBUTES}; a file system also its `_MOUNT_PATH`, `_ROOT_PATH` and `_RESTORED`:
 * `true` when its data is in a restore's `aws-backup-restore_*` directory), empty where nothing is used yet (a dr stack in standby has
 * no restored table), so the application and the health endpoint can tell "not restored" from "absent".
 */
export function dataVariables(entries: readonly ServedDataEntry[]): Record<string, string> {
  const variables: Record<string, string> = {
    [DATA_NAMES_VARIABLE]: entries.map((entry) => entry.name).join(","),
  };
  for (const entry of entries) {
    variables[dataVariableName(entry.name, "KIND")] = entry.kind;
    for (const { attribute, field } of DATA_ATTRIBUTES[entry.kind]) {
      variables[dataVariableName(entry.name, attribute)] = entry.used?.[field] ?? "";
    }
    if (entry.kind === "efs") {
      variables[dataVariableName(entry.name, "MOUNT_PATH")] = mountPathOf(entry.name);
      variables[dataVariableName(entry.name, "ROOT_PATH")] = rootPathOf(entry.name);
      variables[dataVariableName(entry.name, "RESTORED")] = entry.restored === true ? "true" : "false";
    }
  }
  return variables;
}

/** A file system the servers (or tasks) mount, as its variables describe it. */
export interface MountedFileSystem {
  readonly name: string;
  readonly fileSystemId: string;
  /** Where its root is mounted ({@link rootPathOf}). */
  readonly rootPath: string;
  /** The application's path ({@link mountPathOf}). */
  readonly mountPath: string;
  /** Its data is in a restore's `aws-backup-restore_*` directory off the root. */
  readonly restored: boolean;
}

/**
 * The file systems the variables name with an id (`APP_DATA_<NAME>_KIND=efs` and a `_FILE_SYSTEM_ID`), in
 * inventory order: none for a dr stack in standby, which uses no file system yet.
 */
export function mountedFileSystems(
  values: Readonly<Record<string, string | undefined>>,
): MountedFileSystem[] {
  const names = (values[DATA_NAMES_VARIABLE] ?? "").split(",").filter(Boolean);
  return names.flatMap((name) => {
    const fileSystemId = values[dataVariableName(name, "FILE_SYSTEM_ID")];
    if (values[dataVariableName(name, "KIND")] !== "efs" || !fileSystemId) return [];
    return [
      {
        name,
        fileSystemId,
        rootPath: rootPathOf(name),
        mountPath: mountPathOf(name),
        restored: values[dataVariableName(name, "RESTORED")] === "true",
      },
    ];
  });
}
