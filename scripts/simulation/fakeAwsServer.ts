import { createHash } from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import { ACCOUNT } from "./fixtures";
import {
  SimPoint,
  defaultRestoreMetadata,
  filterRecoveryPoints,
  percentText,
  recoveryPointPage,
} from "./simulatedBackup";

/** Options of {@link startFakeAws}. */
export interface FakeAwsOptions {
  readonly points: SimPoint[];
  readonly vaultName?: string;
  /** Region whose requests get HTTP 503, as if the region were down. Default us-east-1. */
  readonly downRegion?: string;
  /** Answer every n-th DescribeRestoreJob / ListRestoreJobs with a ThrottlingException (the SDK retries it). */
  readonly throttleEvery?: number;
  /** Largest page ListRestoreJobs returns, whatever maxResults says. Default 2, so paging is exercised. */
  readonly restoreJobsPageSize?: number;
  /** The first n requests to /health get HTTP 503 (the application still starting). Default 0. */
  readonly unhealthyRequests?: number;
  /** Time source of restore job progress. Default: real time (`Date.now()`). */
  readonly clock?: { now(): number };
  /** A primary vault DescribeBackupVault finds in any region that is not down. Default none. */
  readonly primaryVaultName?: string;
  /** Further services by SigV4 signing name (e.g. `rds`), asked before the fake gives up. Default none. */
  readonly services?: Readonly<Record<string, FakeService>>;
}

/** A request to a further service of the fake. */
export interface FakeServiceRequest {
  readonly region: string;
  readonly method: string;
  readonly url: URL;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** What a further service answers: a JSON-able body, or text (XML) when it is a string. */
export interface FakeServiceAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Name of the operation, for {@link FakeAws.requests}. */
  readonly operation: string;
}

/** A further service: answers a request signed for it. */
export type FakeService = (request: FakeServiceRequest) => FakeServiceAnswer;

/** One request the fake received. */
export interface FakeRequest {
  readonly service: string;
  readonly region: string;
  readonly method: string;
  readonly path: string;
  readonly operation: string;
}

/** A running fake. */
export interface FakeAws {
  readonly url: string;
  readonly requests: FakeRequest[];
  /** StartRestoreJob calls per recovery point ARN. */
  readonly starts: Map<string, number>;
  /** Restore jobs, by id. */
  readonly jobs: Map<
    string,
    { recoveryPointArn: string; token?: string; startedAt: number; metadata: Record<string, string> }
  >;
  /** A restore job as DescribeRestoreJob answers it now, or undefined when there is no such job. */
  describeJob(id: string): Record<string, unknown> | undefined;
  /** ThrottlingException answers given so far. */
  readonly throttled: number;
  close(): Promise<void>;
}

const epoch = (ms: number) => ms / 1000;

/** A restore job as the fake lists it (epoch seconds, as on the wire). */
interface ListedJob {
  readonly RestoreJobId: string;
  readonly Status: string;
  readonly CreationDate: number;
  readonly CompletionDate?: number;
  readonly ResourceType: string;
}

/** Query timestamps arrive as ISO-8601 date-times (the SDK's default for query strings) or epoch seconds. */
function queryTime(value: string | null): number | undefined {
  if (value === null) {
    return undefined;
  }
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  return Number.isNaN(ms) ? Number.NaN : ms;
}

/**
 * ListRestoreJobs as the API reference describes it
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_ListRestoreJobs.html): the filters
 * createdAfter / createdBefore / completeAfter / completeBefore, status and resourceType (query
 * parameters of ByCreatedAfter, ...), maxResults 1-1000, and an opaque nextToken to page on.
 */
function listRestoreJobs(
  all: ListedJob[],
  query: URLSearchParams,
  pageSizeCap: number,
): { RestoreJobs: ListedJob[]; NextToken?: string } | { error: string } {
  const bounds = {
    createdAfter: queryTime(query.get("createdAfter")),
    createdBefore: queryTime(query.get("createdBefore")),
    completeAfter: queryTime(query.get("completeAfter")),
    completeBefore: queryTime(query.get("completeBefore")),
  };
  for (const [name, value] of Object.entries(bounds)) {
    if (Number.isNaN(value)) {
      return { error: `${name} is not a timestamp` };
    }
  }
  const maxResults = Number(query.get("maxResults") ?? 1000);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 1000) {
    return { error: "maxResults must be between 1 and 1000" };
  }
  const status = query.get("status");
  const resourceType = query.get("resourceType");
  const completed = (j: ListedJob) => (j.CompletionDate ?? Number.NaN) * 1000;
  const matching = all.filter(
    (j) =>
      (bounds.createdAfter === undefined || j.CreationDate * 1000 > bounds.createdAfter) &&
      (bounds.createdBefore === undefined || j.CreationDate * 1000 < bounds.createdBefore) &&
      (bounds.completeAfter === undefined || completed(j) > bounds.completeAfter) &&
      (bounds.completeBefore === undefined || completed(j) < bounds.completeBefore) &&
      (status === null || j.Status === status) &&
      (resourceType === null || j.ResourceType === resourceType),
  );
  const offset = Number(query.get("nextToken") ?? 0);
  const size = Math.min(maxResults, pageSizeCap);
  const next = offset + size < matching.length ? String(offset + size) : undefined;
  return { RestoreJobs: matching.slice(offset, offset + size), ...(next ? { NextToken: next } : {}) };
}

/**
 * A local HTTP server speaking just enough AWS: Backup's REST-JSON protocol (vault, recovery
 * points in pages, restore metadata, restore jobs that progress in real time), STS's query
 * protocol (GetCallerIdentity) and a /health endpoint. Point the CLI at it with AWS_ENDPOINT_URL
 * or AWS_ENDPOINT_URL_BACKUP / AWS_ENDPOINT_URL_STS. The region comes from the SigV4 credential
 * scope, as a real endpoint would route it.
 */
export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const vaultName = options.vaultName ?? "dr-vault";
  const downRegion = options.downRegion ?? "us-east-1";
  const requests: FakeRequest[] = [];
  const starts = new Map<string, number>();
  const jobs: FakeAws["jobs"] = new Map();
  const now = () => (options.clock ?? Date).now();
  let describes = 0;
  let healthRequests = 0;
  let throttled = 0;
  let nextJob = 1;

  const send = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, {
      "content-type": typeof body === "string" ? "text/xml" : "application/json",
      ...headers,
    });
    res.end(text);
  };
  const fail = (res: http.ServerResponse, status: number, type: string, message: string) =>
    send(res, status, { Message: message }, { "x-amzn-errortype": type });

  const describe = (id: string) => {
    const job = jobs.get(id);
    if (!job) {
      return undefined;
    }
    const point = options.points.find((p) => p.recoveryPointArn === job.recoveryPointArn) as SimPoint;
    const duration = point.restoreMs ?? 3000;
    const elapsed = now() - job.startedAt;
    const base = {
      RestoreJobId: id,
      RecoveryPointArn: job.recoveryPointArn,
      CreationDate: epoch(job.startedAt),
      ResourceType: point.resourceType,
    };
    if (elapsed < duration * 0.1) {
      return { ...base, Status: "PENDING" };
    }
    if (elapsed < duration) {
      return { ...base, Status: "RUNNING", PercentDone: percentText((100 * elapsed) / duration) };
    }
    const outcome = point.outcome ?? "COMPLETED";
    if (outcome !== "COMPLETED") {
      return {
        ...base,
        Status: outcome,
        StatusMessage: point.failureMessage ?? "Restore failed",
        CompletionDate: epoch(job.startedAt + duration),
      };
    }
    const hash = createHash("sha256").update(id).digest("hex").slice(0, 17);
    const created = {
      RDS: `arn:aws:rds:us-west-2:${ACCOUNT}:db:${job.metadata.DBInstanceIdentifier}`,
      Aurora: `arn:aws:rds:us-west-2:${ACCOUNT}:cluster:${job.metadata.DBClusterIdentifier}`,
      DynamoDB: `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/${job.metadata.targetTableName}`,
      EBS: `arn:aws:ec2:us-west-2:${ACCOUNT}:volume/vol-${hash}`,
      EFS: `arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/fs-${hash.slice(0, 8)}`,
      S3: `arn:aws:s3:::${job.metadata.DestinationBucketName}`,
      EC2: `arn:aws:ec2:us-west-2:${ACCOUNT}:instance/i-${hash}`,
    }[point.resourceType];
    return {
      ...base,
      Status: "COMPLETED",
      PercentDone: "100.00%",
      CompletionDate: epoch(job.startedAt + duration),
      CreatedResourceArn: created,
    };
  };

  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      if (url.pathname === "/health") {
        healthRequests++;
        const starting = healthRequests <= (options.unhealthyRequests ?? 0);
        send(res, starting ? 503 : 200, { status: starting ? "starting" : "ok" });
        return;
      }
      const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(req.headers.authorization ?? "");
      const region = scope?.[1] ?? "unknown";
      const service = scope?.[2] ?? "unknown";
      const record = (operation: string) =>
        requests.push({ service, region, method: req.method ?? "", path: url.pathname, operation });

      if (service === "sts") {
        record("GetCallerIdentity");
        send(
          res,
          200,
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
            `<Arn>arn:aws:sts::${ACCOUNT}:assumed-role/dr-operator/ci</Arn><UserId>AROAEXAMPLE:ci</UserId><Account>${ACCOUNT}</Account>` +
            `</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        );
        return;
      }
      const extra = options.services?.[service];
      if (extra) {
        const answer = extra({ region, method: req.method ?? "", url, headers: req.headers, body });
        record(answer.operation);
        send(res, answer.status, answer.body ?? "", answer.headers);
        return;
      }
      if (service !== "backup") {
        record("unknown");
        fail(res, 400, "UnknownOperationException", `the fake does not serve ${service}`);
        return;
      }
      if (region === downRegion) {
        record("region-down");
        fail(res, 503, "ServiceUnavailableException", "Service unavailable");
        return;
      }
      const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
      if (parts[0] === "backup-vaults" && parts.length === 2 && req.method === "GET") {
        record("DescribeBackupVault");
        if (options.primaryVaultName !== undefined && parts[1] === options.primaryVaultName) {
          send(res, 200, {
            BackupVaultName: parts[1],
            BackupVaultArn: `arn:aws:backup:${region}:${ACCOUNT}:backup-vault:${parts[1]}`,
          });
          return;
        }
        if (parts[1] !== vaultName) {
          fail(res, 404, "ResourceNotFoundException", `Backup vault ${parts[1]} not found`);
          return;
        }
        send(res, 200, {
          BackupVaultName: vaultName,
          BackupVaultArn: `arn:aws:backup:${region}:${ACCOUNT}:backup-vault:${vaultName}`,
          NumberOfRecoveryPoints: options.points.length,
        });
        return;
      }
      if (parts[0] === "backup-vaults" && parts[2] === "recovery-points" && parts.length === 3) {
        record("ListRecoveryPointsByBackupVault");
        const createdBefore = queryTime(url.searchParams.get("createdBefore"));
        const points = filterRecoveryPoints(options.points, {
          resourceType: url.searchParams.get("resourceType") ?? undefined,
          resourceArn: url.searchParams.get("resourceArn") ?? undefined,
          createdBefore,
        });
        const page = recoveryPointPage(
          points,
          vaultName,
          url.searchParams.get("nextToken") ?? undefined,
          Math.min(Number(url.searchParams.get("maxResults") ?? 1000), 2),
        );
        send(res, 200, {
          ...page,
          RecoveryPoints: page.RecoveryPoints.map((p) => ({
            ...p,
            CreationDate: epoch(p.CreationDate.getTime()),
          })),
        });
        return;
      }
      if (parts[0] === "backup-vaults" && parts[2] === "recovery-points" && parts[4] === "restore-metadata") {
        record("GetRecoveryPointRestoreMetadata");
        const point = options.points.find((p) => p.recoveryPointArn === parts[3]);
        if (!point) {
          fail(res, 404, "ResourceNotFoundException", "Recovery point not found");
          return;
        }
        send(res, 200, {
          RecoveryPointArn: point.recoveryPointArn,
          ResourceType: point.resourceType,
          RestoreMetadata:
            point.restoreMetadata ??
            defaultRestoreMetadata(point.resourceType, point.resourceArn.split(/[:/]/).pop() ?? "x"),
        });
        return;
      }
      if (parts[0] === "restore-jobs" && parts.length === 1 && req.method === "PUT") {
        record("StartRestoreJob");
        const input = JSON.parse(body) as {
          RecoveryPointArn: string;
          IdempotencyToken?: string;
          Metadata: Record<string, string>;
        };
        starts.set(input.RecoveryPointArn, (starts.get(input.RecoveryPointArn) ?? 0) + 1);
        const existing = [...jobs.entries()].find(
          ([, j]) => input.IdempotencyToken && j.token === input.IdempotencyToken,
        );
        const id = existing?.[0] ?? `job-${String(nextJob++).padStart(3, "0")}`;
        if (!existing) {
          jobs.set(id, {
            recoveryPointArn: input.RecoveryPointArn,
            token: input.IdempotencyToken,
            startedAt: now(),
            metadata: input.Metadata,
          });
        }
        send(res, 200, { RestoreJobId: id, RecoveryPointArn: input.RecoveryPointArn });
        return;
      }
      if (parts[0] === "restore-jobs" && parts.length === 2 && req.method === "GET") {
        record("DescribeRestoreJob");
        describes++;
        if (options.throttleEvery && describes % options.throttleEvery === 0) {
          throttled++;
          fail(res, 400, "ThrottlingException", "Rate exceeded");
          return;
        }
        const job = describe(parts[1]);
        if (!job) {
          fail(res, 404, "ResourceNotFoundException", `Restore job ${parts[1]} not found`);
          return;
        }
        send(res, 200, job);
        return;
      }
      if (parts[0] === "restore-jobs" && parts.length === 1 && req.method === "GET") {
        record("ListRestoreJobs");
        describes++;
        if (options.throttleEvery && describes % options.throttleEvery === 0) {
          throttled++;
          fail(res, 400, "ThrottlingException", "Rate exceeded");
          return;
        }
        const page = listRestoreJobs(
          [...jobs.keys()].map((id) => describe(id) as ListedJob),
          url.searchParams,
          options.restoreJobsPageSize ?? 2,
        );
        if ("error" in page) {
          fail(res, 400, "InvalidParameterValueException", page.error);
          return;
        }
        send(res, 200, page);
        return;
      }
      record("unknown");
      fail(res, 400, "UnknownOperationException", `the fake does not serve ${req.method} ${url.pathname}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    starts,
    jobs,
    describeJob: describe,
    get throttled() {
      return throttled;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
