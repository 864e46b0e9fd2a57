import { BackupAndCopyJobs, FakeApiError } from "./backupJobs";
import { jobPage, jobQuery } from "./jobListing";

/** A Backup request, routed by its path (`/backup-jobs/<id>` -> ["backup-jobs", id]). */
export interface BackupRoute {
  readonly region: string;
  readonly method: string;
  readonly parts: readonly string[];
  readonly query: URLSearchParams;
  readonly body: string;
}

/** A JSON answer: the body's Date values go on the wire as epoch seconds, as REST-JSON has them. */
export interface JsonAnswer {
  readonly operation: string;
  readonly status: number;
  readonly body: unknown;
  readonly errorType?: string;
}

/** Dates as REST-JSON puts them on the wire (epoch seconds), in objects and arrays at any depth. */
export function onTheWire(value: unknown): unknown {
  if (value instanceof Date) {
    return value.getTime() / 1000;
  }
  if (Array.isArray(value)) {
    return value.map(onTheWire);
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, onTheWire(v)]),
    );
  }
  return value;
}

const OPERATIONS: Record<string, string> = {
  "PUT backup-jobs": "StartBackupJob",
  "GET backup-jobs": "ListBackupJobs",
  "GET backup-jobs/": "DescribeBackupJob",
  "PUT copy-jobs": "StartCopyJob",
  "GET copy-jobs": "ListCopyJobs",
  "GET copy-jobs/": "DescribeCopyJob",
};

/**
 * StartBackupJob, DescribeBackupJob, ListBackupJobs, StartCopyJob, DescribeCopyJob and ListCopyJobs
 * over Backup's REST-JSON protocol (the paths of the API reference: PUT /backup-jobs, GET
 * /backup-jobs/{id}, GET /backup-jobs?state=..., and the same under /copy-jobs). Undefined for
 * any other path. `pageCap` is the largest page a listing answers.
 */
export function answerJobRequest(
  jobs: BackupAndCopyJobs,
  route: BackupRoute,
  pageCap: number,
): JsonAnswer | undefined {
  const [collection, id, ...rest] = route.parts;
  if ((collection !== "backup-jobs" && collection !== "copy-jobs") || rest.length > 0) {
    return undefined;
  }
  const operation = OPERATIONS[`${route.method} ${collection}${id ? "/" : ""}`];
  if (!operation) {
    return undefined;
  }
  try {
    const body = (): Record<string, string> => JSON.parse(route.body || "{}");
    const list = <T extends Parameters<typeof jobPage>[0][number]>(records: T[], key: string) => {
      const parsed = jobQuery(route.query, pageCap);
      if ("error" in parsed) {
        throw new FakeApiError(400, "InvalidParameterValueException", parsed.error);
      }
      try {
        const page = jobPage(records, parsed.filter, parsed.paging);
        return { [key]: page.items, NextToken: page.NextToken };
      } catch (err) {
        throw new FakeApiError(400, "InvalidParameterValueException", (err as Error).message);
      }
    };
    const answers: Record<string, () => unknown> = {
      StartBackupJob: () =>
        jobs.startBackup(route.region, body() as unknown as Parameters<BackupAndCopyJobs["startBackup"]>[1]),
      ListBackupJobs: () => list(jobs.listBackups(route.region), "BackupJobs"),
      DescribeBackupJob: () => jobs.describeBackup(route.region, id),
      StartCopyJob: () =>
        jobs.startCopy(route.region, body() as unknown as Parameters<BackupAndCopyJobs["startCopy"]>[1]),
      ListCopyJobs: () => list(jobs.listCopies(route.region), "CopyJobs"),
      DescribeCopyJob: () => ({ CopyJob: jobs.describeCopy(route.region, id) }),
    };
    return { operation, status: 200, body: onTheWire(answers[operation]()) };
  } catch (err) {
    if (err instanceof FakeApiError) {
      return { operation, status: err.status, body: { Message: err.message }, errorType: err.type };
    }
    throw err;
  }
}
