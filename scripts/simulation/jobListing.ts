/** AWS Backup's job listings (ListBackupJobs, ListCopyJobs, ListRestoreJobs): their filters and pages. */

/**
 * What a listed backup, copy or restore job carries besides its id (the fields of AWS's BackupJob,
 * CopyJob and RestoreJobsListMember that the simulation knows; kind-only fields are optional).
 */
export interface SimJobRecord {
  /** Backup and copy jobs: their state. */
  State?: string;
  /** Restore jobs: their status (RestoreJobsListMember.Status). */
  Status?: string;
  ResourceArn?: string;
  ResourceType?: string;
  CreationDate: Date;
  StatusMessage?: string;
  CompletionDate?: Date;
  /** Backup jobs: the vault the recovery point goes to. */
  BackupVaultName?: string;
  /** Who started the job: a backup plan (BackupJob) or a restore testing plan (RestoreJobCreator). */
  CreatedBy?: { BackupPlanId?: string; RestoreTestingPlanArn?: string };
  /** Copy jobs: where the copy goes, and the point copied. */
  DestinationBackupVaultArn?: string;
  SourceRecoveryPointArn?: string;
}

/**
 * The filters ListBackupJobs, ListCopyJobs and ListRestoreJobs take (the SDK's `By...` inputs; on the
 * wire the query parameters `state`, `status`, `createdAfter`, ...), as the API reference describes them
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListBackupJobs.html,
 * API_ListCopyJobs.html, API_ListRestoreJobs.html: ByStatus, ByResourceType, ByCreatedAfter/Before,
 * ByCompleteAfter/Before, ByRestoreTestingPlanArn). Time bounds are strict, as for the other listings of the simulation.
 */
export interface JobFilter {
  readonly ByState?: string;
  /** ListRestoreJobs: the job's Status. */
  readonly ByStatus?: string;
  readonly ByResourceArn?: string;
  readonly ByResourceType?: string;
  readonly ByBackupVaultName?: string;
  readonly ByDestinationVaultArn?: string;
  readonly BySourceRecoveryPointArn?: string;
  /** ListRestoreJobs: the restore testing plan that started the job. */
  readonly ByRestoreTestingPlanArn?: string;
  readonly ByCreatedAfter?: Date;
  readonly ByCreatedBefore?: Date;
  readonly ByCompleteAfter?: Date;
  readonly ByCompleteBefore?: Date;
}

/** Paging of a job listing: MaxResults 1-1000, an opaque NextToken, and the simulation's page cap. */
export interface JobPaging {
  readonly MaxResults?: number;
  readonly NextToken?: string;
  /** Largest page answered, whatever MaxResults says, so callers' paging is exercised. */
  readonly pageCap: number;
}

const after = (value: Date | undefined, bound: Date | undefined) =>
  bound === undefined || (value !== undefined && value.getTime() > bound.getTime());
const before = (value: Date | undefined, bound: Date | undefined) =>
  bound === undefined || (value !== undefined && value.getTime() < bound.getTime());
const equal = (value: string | undefined, wanted: string | undefined) =>
  wanted === undefined || value === wanted;

/**
 * One page of backup, copy or restore job records matching `filter`, with the next page's token while
 * more remain: the Backup model's listings (backupModel.ts), whichever front end asks. A MaxResults outside 1-1000 is refused as AWS refuses it.
 */
export function jobPage<T extends SimJobRecord>(
  records: readonly T[],
  filter: JobFilter,
  paging: JobPaging,
): { items: T[]; NextToken?: string } {
  const maxResults = paging.MaxResults ?? 1000;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) {
    throw new RangeError(`maxResults must be between 1 and 1000 (got ${maxResults})`);
  }
  const matching = records.filter(
    (j) =>
      equal(j.State, filter.ByState) &&
      equal(j.Status, filter.ByStatus) &&
      equal(j.ResourceArn, filter.ByResourceArn) &&
      equal(j.ResourceType, filter.ByResourceType) &&
      equal(j.BackupVaultName, filter.ByBackupVaultName) &&
      equal(j.DestinationBackupVaultArn, filter.ByDestinationVaultArn) &&
      equal(j.SourceRecoveryPointArn, filter.BySourceRecoveryPointArn) &&
      equal(j.CreatedBy?.RestoreTestingPlanArn, filter.ByRestoreTestingPlanArn) &&
      after(j.CreationDate, filter.ByCreatedAfter) &&
      before(j.CreationDate, filter.ByCreatedBefore) &&
      after(j.CompletionDate, filter.ByCompleteAfter) &&
      before(j.CompletionDate, filter.ByCompleteBefore),
  );
  const offset = paging.NextToken ? Number(paging.NextToken) : 0;
  const size = Math.min(maxResults, paging.pageCap);
  const next = offset + size < matching.length ? String(offset + size) : undefined;
  return { items: matching.slice(offset, offset + size), ...(next ? { NextToken: next } : {}) };
}

/** Query timestamps arrive as ISO-8601 date-times (the SDK's default for query strings) or epoch seconds. */
export function queryTime(value: string | null): number | undefined {
  if (value === null) {
    return undefined;
  }
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  return Number.isNaN(ms) ? Number.NaN : ms;
}

/** The query parameters of ListBackupJobs / ListCopyJobs / ListRestoreJobs (the SDK's serialisation) as a filter and paging. */
export function jobQuery(
  query: URLSearchParams,
  pageCap: number,
): { filter: JobFilter; paging: JobPaging } | { error: string } {
  const text = (name: string) => query.get(name) ?? undefined;
  const times: Record<string, Date | undefined> = {};
  for (const name of ["createdAfter", "createdBefore", "completeAfter", "completeBefore"]) {
    const ms = queryTime(query.get(name));
    if (Number.isNaN(ms)) {
      return { error: `${name} is not a timestamp` };
    }
    times[name] = ms === undefined ? undefined : new Date(ms);
  }
  const maxResults = query.get("maxResults");
  return {
    filter: {
      ByState: text("state"),
      ByStatus: text("status"),
      ByResourceArn: text("resourceArn"),
      ByResourceType: text("resourceType"),
      ByBackupVaultName: text("backupVaultName"),
      ByDestinationVaultArn: text("destinationVaultArn"),
      BySourceRecoveryPointArn: text("sourceRecoveryPointArn"),
      ByRestoreTestingPlanArn: text("restoreTestingPlanArn"),
      ByCreatedAfter: times.createdAfter,
      ByCreatedBefore: times.createdBefore,
      ByCompleteAfter: times.completeAfter,
      ByCompleteBefore: times.completeBefore,
    },
    paging: {
      MaxResults: maxResults === null ? undefined : Number(maxResults),
      NextToken: text("nextToken"),
      pageCap,
    },
  };
}

/** PercentDone as AWS Backup returns it: a string with two decimals and a percent sign ("42.00%"). */
export function percentText(percent: number): string {
  return `${percent.toFixed(2)}%`;
}
