/** AWS Backup over its REST-JSON wire protocol: parses a request, calls the Backup model, answers. */
import { FakeApiError } from "./backupJobs";
import type { BackupModel } from "./backupModel";
import type { FakeServiceAnswer, FakeServiceRequest } from "./fakeService";
import { JobFilter, jobQuery, queryTime } from "./jobListing";
import { RegionSettings } from "./regionSettings";
import { answerVaultAccessPolicy } from "./vaultAccessPolicy";

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

/** Options of {@link BackupService}. */
export interface BackupServiceOptions {
  /** Vault access policies (GetBackupVaultAccessPolicy) by vault name. Default none. */
  readonly vaultAccessPolicies?: Readonly<Record<string, string>>;
  /** Answer every n-th DescribeRestoreJob / ListRestoreJobs with a ThrottlingException. Default never. */
  readonly throttleEvery?: number;
}

/** A route: the operation a method and path name, and what it answers given the path's parts. */
interface Route {
  readonly operation: string;
  readonly method: string;
  /** The path's fixed parts (`*` for a parameter), e.g. ["restore-jobs", "*"]. */
  readonly path: readonly string[];
  readonly answer: (request: ParsedRequest) => unknown;
}

interface ParsedRequest {
  readonly region: string;
  readonly parts: readonly string[];
  readonly query: URLSearchParams;
  readonly body: () => Record<string, unknown>;
}

/** The query's filter and paging of a job listing, or an InvalidParameterValueException. */
function listing(query: URLSearchParams): {
  filter: JobFilter;
  paging: { MaxResults?: number; NextToken?: string };
} {
  const parsed = jobQuery(query, Number.POSITIVE_INFINITY);
  if ("error" in parsed) {
    throw new FakeApiError(400, "InvalidParameterValueException", parsed.error);
  }
  return parsed;
}

/**
 * AWS Backup's REST-JSON protocol, on the paths of the API reference (PUT /restore-jobs, GET
 * /restore-jobs/{id}, GET /backup-vaults/{name}/recovery-points, ...): each request is parsed, given to
 * the {@link BackupModel}, and its answer or {@link FakeApiError} put on the wire (dates as epoch
 * seconds, the error type in `x-amzn-errortype`).
 */
export class BackupService {
  private restoreReads = 0;
  /** ThrottlingException answers given so far. */
  throttled = 0;
  private readonly routes: Route[];

  constructor(
    private readonly model: BackupModel,
    private readonly options: BackupServiceOptions = {},
  ) {
    const jobs = model.backupAndCopy;
    this.routes = [
      {
        operation: "StartBackupJob",
        method: "PUT",
        path: ["backup-jobs"],
        answer: (r) => jobs.startBackup(r.region, r.body() as never),
      },
      {
        operation: "ListBackupJobs",
        method: "GET",
        path: ["backup-jobs"],
        answer: (r) => {
          const { filter, paging } = listing(r.query);
          return model.listBackupJobs(r.region, filter, paging);
        },
      },
      {
        operation: "DescribeBackupJob",
        method: "GET",
        path: ["backup-jobs", "*"],
        answer: (r) => jobs.describeBackup(r.region, r.parts[1]),
      },
      {
        operation: "StartCopyJob",
        method: "PUT",
        path: ["copy-jobs"],
        answer: (r) => jobs.startCopy(r.region, r.body() as never),
      },
      {
        operation: "ListCopyJobs",
        method: "GET",
        path: ["copy-jobs"],
        answer: (r) => {
          const { filter, paging } = listing(r.query);
          return model.listCopyJobs(r.region, filter, paging);
        },
      },
      {
        operation: "DescribeCopyJob",
        method: "GET",
        path: ["copy-jobs", "*"],
        answer: (r) => ({ CopyJob: jobs.describeCopy(r.region, r.parts[1]) }),
      },
      {
        operation: "DescribeBackupVault",
        method: "GET",
        path: ["backup-vaults", "*"],
        answer: (r) =>
          model.describeVault(r.region, r.parts[1], r.query.get("backupVaultAccountId") ?? undefined),
      },
      // GET /account-settings is DescribeRegionSettings, PUT UpdateRegionSettings: the call's region's.
      {
        operation: "DescribeRegionSettings",
        method: "GET",
        path: ["account-settings"],
        answer: (r) => model.regionSettings.describe(r.region),
      },
      {
        operation: "UpdateRegionSettings",
        method: "PUT",
        path: ["account-settings"],
        answer: (r) => {
          model.regionSettings.update(r.region, r.body() as RegionSettings);
          return {};
        },
      },
      {
        operation: "ListRecoveryPointsByBackupVault",
        method: "GET",
        path: ["backup-vaults", "*", "recovery-points"],
        answer: (r) => {
          const maxResults = r.query.get("maxResults");
          return model.listRecoveryPoints(
            r.region,
            r.parts[1],
            {
              resourceType: r.query.get("resourceType") ?? undefined,
              resourceArn: r.query.get("resourceArn") ?? undefined,
              createdBefore: queryTime(r.query.get("createdBefore")),
              accountId: r.query.get("backupVaultAccountId") ?? undefined,
            },
            {
              MaxResults: maxResults === null ? undefined : Number(maxResults),
              NextToken: r.query.get("nextToken") ?? undefined,
            },
          );
        },
      },
      {
        operation: "GetRecoveryPointRestoreMetadata",
        method: "GET",
        path: ["backup-vaults", "*", "recovery-points", "*", "restore-metadata"],
        answer: (r) =>
          model.restoreMetadata(
            r.region,
            r.parts[1],
            r.parts[3],
            r.query.get("backupVaultAccountId") ?? undefined,
          ),
      },
      {
        operation: "DeleteRecoveryPoint",
        method: "DELETE",
        path: ["backup-vaults", "*", "recovery-points", "*"],
        answer: (r) => {
          model.deleteRecoveryPoint(r.region, r.parts[1], r.parts[3]);
          return {};
        },
      },
      {
        operation: "StartRestoreJob",
        method: "PUT",
        path: ["restore-jobs"],
        answer: (r) => model.restores.start(r.region, r.body() as never),
      },
      {
        operation: "DescribeRestoreJob",
        method: "GET",
        path: ["restore-jobs", "*"],
        answer: (r) => {
          this.throttle();
          return model.restores.describe(r.region, r.parts[1]);
        },
      },
      {
        operation: "ListRestoreJobs",
        method: "GET",
        path: ["restore-jobs"],
        answer: (r) => {
          this.throttle();
          const { filter, paging } = listing(r.query);
          return model.listRestoreJobs(r.region, filter, paging);
        },
      },
    ];
  }

  /** Every n-th restore job read is refused ({@link BackupServiceOptions.throttleEvery}). */
  private throttle(): void {
    this.restoreReads++;
    if (this.options.throttleEvery && this.restoreReads % this.options.throttleEvery === 0) {
      this.throttled++;
      throw new FakeApiError(400, "ThrottlingException", "Rate exceeded");
    }
  }

  /** Answers a request signed for `backup`. */
  answer(request: FakeServiceRequest): FakeServiceAnswer {
    const parts = request.url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const policy = answerVaultAccessPolicy(
      { method: request.method, parts, region: request.region },
      this.model.findVault(request.region, parts[1] ?? "") !== undefined,
      this.options.vaultAccessPolicies ?? {},
    );
    if (policy) {
      return policy;
    }
    const route = this.routes.find(
      (r) =>
        r.method === request.method &&
        r.path.length === parts.length &&
        r.path.every((p, i) => p === "*" || p === parts[i]),
    );
    if (!route) {
      return error(
        "unknown",
        400,
        "UnknownOperationException",
        `the fake does not serve ${request.method} ${request.url.pathname}`,
      );
    }
    try {
      const body = () => JSON.parse(request.body || "{}") as Record<string, unknown>;
      const answer = route.answer({ region: request.region, parts, query: request.url.searchParams, body });
      return { operation: route.operation, status: 200, body: onTheWire(answer) };
    } catch (err) {
      if (err instanceof FakeApiError) {
        return error(route.operation, err.status, err.type, err.message);
      }
      throw err;
    }
  }
}

function error(operation: string, status: number, type: string, message: string): FakeServiceAnswer {
  return { operation, status, body: { Message: message }, headers: { "x-amzn-errortype": type } };
}
