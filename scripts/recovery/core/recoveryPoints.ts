// Recovery points of a vault: the listing, the --only filter and the newest completed point per resource.
import {
  BackupClient,
  RecoveryPointByBackupVault,
  paginateListRecoveryPointsByBackupVault,
} from "@aws-sdk/client-backup";
import {
  ResourceType,
  SUPPORTED_RESOURCE_TYPES,
  parseResourceType,
  resourceNameFromArn,
  toResourceType,
} from "../resources/types";

/** A recovery point reduced to what the CLI decides on. */
export interface RecoveryPoint {
  readonly recoveryPointArn: string;
  readonly resourceArn: string;
  /** AWS Backup's `ResourceType` as returned (may be a type the CLI does not restore). */
  readonly resourceTypeName: string;
  readonly status: string;
  readonly statusMessage?: string;
  readonly creationDate: Date;
  readonly completionDate?: Date;
  readonly backupVaultName: string;
  readonly resourceName: string;
}

/** A protected resource the CLI will not restore, and why. */
export interface SkippedPoint {
  readonly resourceArn: string;
  readonly resourceTypeName: string;
  readonly recoveryPointArn?: string;
  readonly reason: string;
}

/**
 * "N skipped" for a run's summary: protected resources left out of it. A resource that is
 * restored is not skipped, even when newer unusable points of it were passed over; those are
 * counted apart.
 */
export function describeSkipped(
  restoredResourceArns: readonly string[],
  skipped: readonly SkippedPoint[],
): string {
  const restored = new Set(restoredResourceArns);
  const left = skipped.filter((s) => !restored.has(s.resourceArn));
  const resources = new Set(left.map((s) => s.resourceArn)).size;
  const passedOver = skipped.length - left.length;
  return `${resources} skipped${passedOver > 0 ? `, ${passedOver} newer point(s) passed over` : ""}`;
}

/** A recovery point chosen for restore, with its supported type. */
export interface SelectedPoint extends RecoveryPoint {
  readonly resourceType: ResourceType;
}

/**
 * Lists every recovery point of a vault, across all pages (the seed's script read only the first
 * 20). Pages of 1000, the API maximum, keep the number of calls low on large vaults.
 */
export async function listAllRecoveryPoints(
  backup: BackupClient,
  vaultName: string,
  pageSize = 1000,
  filter: VaultFilter = {},
  accountId?: string,
): Promise<RecoveryPoint[]> {
  const points: RecoveryPoint[] = [];
  const pages = paginateListRecoveryPointsByBackupVault(
    { client: backup, pageSize },
    { BackupVaultName: vaultName, ...filter, ...(accountId && { BackupVaultAccountId: accountId }) },
  );
  for await (const page of pages) {
    for (const raw of page.RecoveryPoints ?? []) {
      const point = toRecoveryPoint(raw, vaultName);
      if (point) {
        points.push(point);
      }
    }
  }
  return points;
}

function toRecoveryPoint(raw: RecoveryPointByBackupVault, vaultName: string): RecoveryPoint | undefined {
  if (!raw.RecoveryPointArn || !raw.ResourceArn || !raw.CreationDate) {
    return undefined;
  }
  return {
    recoveryPointArn: raw.RecoveryPointArn,
    resourceArn: raw.ResourceArn,
    resourceTypeName: raw.ResourceType ?? "unknown",
    status: raw.Status ?? "UNKNOWN",
    statusMessage: raw.StatusMessage,
    creationDate: new Date(raw.CreationDate),
    completionDate: raw.CompletionDate ? new Date(raw.CompletionDate) : undefined,
    backupVaultName: raw.BackupVaultName ?? vaultName,
    resourceName: raw.ResourceName || resourceNameFromArn(raw.ResourceArn),
  };
}

/** The server-side filters of ListRecoveryPointsByBackupVault the CLI uses. */
export interface VaultFilter {
  readonly ByResourceType?: string;
  readonly ByResourceArn?: string;
  readonly ByCreatedBefore?: Date;
}

/**
 * The listings that cover `--only` and `--as-of`, so a run reads only the part of the vault it can
 * use: one per `--only` type or resource ARN, each bounded by `--as-of`. A recovery point ARN
 * cannot be filtered on, so with one the whole vault is read. Undefined: read everything.
 */
export function vaultFilters(only: readonly string[], asOf?: Date): VaultFilter[] | undefined {
  // Created before is strict: a millisecond later keeps a point made at the --as-of instant.
  const bound = asOf ? { ByCreatedBefore: new Date(asOf.getTime() + 1) } : {};
  if (only.length === 0 || only.some((value) => /^arn:[^:]+:backup:/.test(value))) {
    return asOf ? [bound] : undefined;
  }
  const filters: VaultFilter[] = only.map((value) =>
    value.startsWith("arn:")
      ? { ByResourceArn: value, ...bound }
      : { ByResourceType: parseResourceType(value, "--only"), ...bound },
  );
  const key = (f: VaultFilter) => `${f.ByResourceArn ?? ""}|${f.ByResourceType ?? ""}`;
  return filters.filter((f, i) => filters.findIndex((g) => key(g) === key(f)) === i);
}

/** Groups points by protected resource, newest first within each group. */
export function groupByResource(points: readonly RecoveryPoint[]): Map<string, RecoveryPoint[]> {
  const groups = new Map<string, RecoveryPoint[]>();
  for (const point of points) {
    const group = groups.get(point.resourceArn) ?? [];
    group.push(point);
    groups.set(point.resourceArn, group);
  }
  for (const group of groups.values()) {
    group.sort((a, b) => b.creationDate.getTime() - a.creationDate.getTime());
  }
  return groups;
}

/** The newest COMPLETED point of each protected resource (status report: any type). */
export function newestCompletedPerResource(
  points: readonly RecoveryPoint[],
): Map<string, RecoveryPoint | undefined> {
  const result = new Map<string, RecoveryPoint | undefined>();
  for (const [resourceArn, group] of groupByResource(points)) {
    result.set(
      resourceArn,
      group.find((p) => p.status === "COMPLETED"),
    );
  }
  return result;
}

/** Options of {@link selectRecoveryPoints}. */
export interface SelectionOptions {
  /** Use the newest point created at or before this time. Default: the newest point. */
  readonly asOf?: Date;
  /**
   * Restore only resources matching one of these: a resource type (`RDS`, `dynamodb`...), a
   * protected resource ARN or a recovery point ARN. Default: every resource in the vault.
   */
  readonly only?: readonly string[];
}

/** The outcome of {@link selectRecoveryPoints}. */
export interface Selection {
  readonly selected: SelectedPoint[];
  readonly skipped: SkippedPoint[];
}

/**
 * Picks one recovery point per protected resource: the newest COMPLETED one (at or before
 * `asOf` when given). Newer points that are not usable (PARTIAL, EXPIRED, still CREATING...) are
 * reported with the reason they were passed over; resources of a type the CLI does not restore are
 * skipped with the list of supported types.
 */
export function selectRecoveryPoints(
  points: readonly RecoveryPoint[],
  options: SelectionOptions = {},
): Selection {
  const filters = (options.only ?? []).map(parseOnlyFilter);
  const selected: SelectedPoint[] = [];
  const skipped: SkippedPoint[] = [];
  const asOf = options.asOf?.getTime();

  for (const [resourceArn, group] of groupByResource(points)) {
    if (filters.length > 0 && !group.some((p) => filters.some((f) => f(p)))) {
      continue;
    }
    const typeName = group[0].resourceTypeName;
    const type = toResourceType(typeName);
    if (!type) {
      skipped.push({
        resourceArn,
        resourceTypeName: typeName,
        reason: `resource type '${typeName}' is not restored by this CLI (supported: ${SUPPORTED_RESOURCE_TYPES.join(", ")})`,
      });
      continue;
    }
    const candidates = asOf === undefined ? group : group.filter((p) => p.creationDate.getTime() <= asOf);
    const chosen = candidates.find((p) => p.status === "COMPLETED");
    for (const passedOver of candidates) {
      if (passedOver === chosen) {
        break;
      }
      skipped.push({
        resourceArn,
        resourceTypeName: typeName,
        recoveryPointArn: passedOver.recoveryPointArn,
        reason: `${passedOver.status} recovery point of ${passedOver.creationDate.toISOString()} passed over${
          passedOver.statusMessage ? ` (${passedOver.statusMessage})` : ""
        }`,
      });
    }
    if (!chosen) {
      skipped.push({
        resourceArn,
        resourceTypeName: typeName,
        reason:
          candidates.length === 0
            ? `no recovery point at or before ${options.asOf?.toISOString()}`
            : "no COMPLETED recovery point",
      });
      continue;
    }
    selected.push({ ...chosen, resourceType: type });
  }
  selected.sort(
    (a, b) => a.resourceType.localeCompare(b.resourceType) || a.resourceName.localeCompare(b.resourceName),
  );
  return { selected, skipped };
}

/** `--only` value to predicate: a type name (validated), or an exact resource / recovery point ARN. */
export function parseOnlyFilter(value: string): (point: RecoveryPoint) => boolean {
  if (value.startsWith("arn:")) {
    return (p) => p.resourceArn === value || p.recoveryPointArn === value;
  }
  const type = parseResourceType(value, "--only");
  return (p) => toResourceType(p.resourceTypeName) === type;
}
