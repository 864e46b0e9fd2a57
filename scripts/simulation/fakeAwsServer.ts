import * as http from "http";
import { AddressInfo } from "net";
import { AutoScalingGroups, FakeAutoScalingGroup } from "./autoScaling";
import { answerJobRequest } from "./backupJobService";
import { BackupAndCopyJobs, FakeVault, JobScript, vaultArn } from "./backupJobs";
import { BackupPlanRun, BackupPlanRunResult, BackupPlanRuns } from "./backupPlan";
import { CloudWatchMetrics, FakeAlarm } from "./cloudWatch";
import { loginProblem } from "./databaseLogin";
import { dataPlaneServices } from "./dataPlanes";
import { FailoverResolver, FakeDnsName } from "./dnsResolver";
import { FakeDnsServer, startDnsServer } from "./dnsServer";
import type { FakeService } from "./fakeService";
import { ACCOUNT } from "./fixtures";
import { queryTime } from "./jobListing";
import { Reachability } from "./reachability";
import { SeedSecret, SimulatedSecrets } from "./secretsManager";
import { RegionSettings, RegionSettingsStore } from "./regionSettings";
import { answerVaultAccessPolicy } from "./vaultAccessPolicy";
import { ResourceStore, SeedResource, SimResource, resourceArn, restoredId } from "./resourceStore";
import { restoredDeletionProtection, restoredTags } from "./restoredResources";
import {
  SimPoint,
  defaultRestoreMetadata,
  filterRecoveryPoints,
  percentText,
  recoveryPointPage,
} from "./simulatedBackup";
import { DEFAULT_VAULT_LOCK, VaultLock, lockFields } from "./vaultLock";

/** Options of {@link startFakeAws}. */
export interface FakeAwsOptions {
  /** The DR vault's recovery points. Completed backup and copy jobs add to it. */
  readonly points: SimPoint[];
  /** The DR vault. Default `dr-vault`. */
  readonly vaultName?: string;
  /** The DR region: the DR vault's, and the default of what restore jobs create. Default us-west-2. */
  readonly drRegion?: string;
  /** The primary region: the primary vault's. Default us-east-1. */
  readonly primaryRegion?: string;
  /**
   * Region that does not answer at the start (every service but STS gets HTTP 503, as if the region
   * were down); {@link FakeAws.setReachable} changes it later. `none` for every region up. Default
   * the primary region.
   */
  readonly downRegion?: string;
  /** The primary vault's recovery points (with {@link primaryVaultName}). Default none. */
  readonly primaryPoints?: SimPoint[];
  /** Resources in the regions' data planes before anything runs (prod's database, the replica bucket...). */
  readonly resources?: readonly SeedResource[];
  /** Durations and outcomes of backup and copy jobs. */
  readonly jobScript?: JobScript;
  /** Largest page ListBackupJobs and ListCopyJobs return, whatever maxResults says. Default 2. */
  readonly jobsPageSize?: number;
  /** Auto Scaling groups (DescribeAutoScalingGroups), e.g. the dr stack's application servers. */
  readonly autoScalingGroups?: readonly FakeAutoScalingGroup[];
  /** CloudWatch metric alarms (DescribeAlarms), e.g. the failover switch of stacks/dnsFailover.ts. */
  readonly alarms?: readonly FakeAlarm[];
  /** Clock ms from a data point's arrival to the alarm's evaluation of it. Default a minute (the switch's period). */
  readonly alarmEvaluationMs?: number;
  /** The application: writes while its Auto Scaling group has instances (see {@link FakeApplication}). */
  readonly application?: FakeApplication;
  /**
   * Public names with failover alias records (Route 53): the resolver answers them (dnsResolver.ts), a
   * DNS server on UDP 127.0.0.1 serves the answers ({@link FakeAws.dnsAddress}), and the application's
   * users follow them when it has a `domainName`. Default none.
   */
  readonly dns?: readonly FakeDnsName[];
  /** Answer every n-th DescribeRestoreJob / ListRestoreJobs with a ThrottlingException (the SDK retries it). */
  readonly throttleEvery?: number;
  /** Largest page ListRestoreJobs returns, whatever maxResults says. Default 2, so paging is exercised. */
  readonly restoreJobsPageSize?: number;
  /** The first n requests to /health get HTTP 503 (the application still starting). Default 0. */
  readonly unhealthyRequests?: number;
  /** Time source of restore job progress. Default: real time (`Date.now()`). */
  readonly clock?: { now(): number };
  /** The primary vault, in the primary region. Default none. */
  readonly primaryVaultName?: string;
  /** Vault access policies (GetBackupVaultAccessPolicy) by vault name, e.g. prod's deny policy. Default none. */
  readonly vaultAccessPolicies?: Readonly<Record<string, string>>;
  /** Further services by SigV4 signing name (e.g. `rds`), asked before the fake gives up. Default none. */
  readonly services?: Readonly<Record<string, FakeService>>;
  /**
   * Vault Lock bounds by vault name (`none`: no lock). A vault not named has the project's default lock,
   * {@link DEFAULT_VAULT_LOCK} (min 3, max 97 days, on both vaults, as the prod stack deploys it).
   */
  readonly vaultLocks?: Readonly<Record<string, VaultLock | "none">>;
  /**
   * AWS Backup's settings by region (DescribeRegionSettings), each merged over AWS's defaults (advanced
   * DynamoDB backup on): e.g. `{ "us-west-2": { ResourceTypeManagementPreference: { DynamoDB: false } } }`.
   */
  readonly regionSettings?: Readonly<Record<string, RegionSettings>>;
  /** Secrets Manager secrets before anything runs (the stacks' database credential secrets). Default none. */
  readonly secrets?: readonly SeedSecret[];
  /** How long RDS takes to apply a new master password (ModifyDBInstance / ModifyDBCluster). Default 3 s. */
  readonly credentialResetMs?: number;
  /**
   * How long after ModifyDB* MasterUserPassword DescribeDB* still shows the database `available` with
   * nothing pending, before the reset shows. Default 0.
   */
  readonly credentialRegisterMs?: number;
  /**
   * The application's login, checked by /health: it reads `secretId`'s AWSCURRENT value in `region` and logs
   * in to the database `database()` names (an RDS instance or Aurora cluster identifier of that region);
   * /health answers 503 while that fails. Default: /health checks no login.
   */
  readonly appLogin?: FakeAppLogin;
}

/** The application's database login, as the servers' health check does it (stacks/health_server.py). */
export interface FakeAppLogin {
  readonly region: string;
  /** ARN or name of the credential secret the servers are given. */
  readonly secretId: string;
  /** The database the servers use now (e.g. the dr stack's `restoredDbInstanceId`), or undefined. */
  readonly database: () => string | undefined;
}

/**
 * The application's writes: every `everyMs` while any instance of its Auto Scaling group runs
 * (InService or still draining), one write to each live resource `writesTo` accepts (for a bucket, an
 * object `app/<time>.json`). Writes stop once the group's instances are gone: a write freeze.
 *
 * With a `domainName`, the writes are users' requests to the public name: each goes to the load balancer
 * the resolver answers at that moment, and one of its group's servers taking requests (round robin)
 * writes to the resources of its region its group's `writesTo` accepts for the launch template version
 * it was launched with. No server behind the answered load balancer: the request fails, nothing is written.
 */
export interface FakeApplication {
  readonly region: string;
  readonly autoScalingGroupName: string;
  /** Clock ms between two writes. */
  readonly everyMs: number;
  readonly writesTo: (resource: SimResource) => boolean;
  /** The public name users reach it by (one of the fake's `dns` names). Default: none, its group's servers only. */
  readonly domainName?: string;
}

/** One user request of the application (with a `domainName`): where it went and what it wrote. */
export interface AppRequest {
  readonly at: number;
  /** The load balancer the name resolved to. */
  readonly loadBalancerDnsName?: string;
  readonly region?: string;
  readonly autoScalingGroupName?: string;
  /** The serving server's launch template version; undefined when no server took it. */
  readonly launchTemplateVersion?: number;
  /** ARNs written. */
  readonly wrote: readonly string[];
}

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
  /** Restore jobs, by id, with the region they run in (that of the StartRestoreJob call). */
  readonly jobs: Map<
    string,
    {
      recoveryPointArn: string;
      token?: string;
      startedAt: number;
      metadata: Record<string, string>;
      region: string;
      point: SimPoint;
      /** StartRestoreJob's CopySourceTagsToRestoredResource (absent: false). */
      copySourceTags: boolean;
    }
  >;
  /** A restore job as DescribeRestoreJob answers it now, or undefined when there is no such job. */
  describeJob(id: string): Record<string, unknown> | undefined;
  /** ThrottlingException answers given so far. */
  readonly throttled: number;
  /** Backup and copy jobs of every region (their records: `listBackups(region)`, `listCopies(region)`). */
  readonly backupAndCopy: BackupAndCopyJobs;
  /** From now on `region` answers (`up`) or every call into it gets HTTP 503. */
  setReachable(region: string, up: boolean): void;
  /** The vault `name` of `region` with its recovery points now, or undefined. */
  vault(region: string, name: string): FakeVault | undefined;
  /** The live data-plane resources now (of one region when given): restored, seeded, not deleted. */
  resources(region?: string): SimResource[];
  /** A live resource by ARN (S3: `arn:aws:s3:::<bucket>`), or undefined. */
  resource(arn: string): SimResource | undefined;
  /** The application writes to a resource now (`count` writes; S3: use {@link putObject}). */
  write(arn: string, count?: number): void;
  /** The application uploads an object to a bucket now (`size`: its bytes, default the body's). */
  putObject(bucket: string, key: string, body: string, size?: number): void;
  /** Sets the desired capacity of an Auto Scaling group whose capacity is a number. */
  setDesiredCapacity(region: string, name: string, desired: number): void;
  /** CloudWatch's data points and alarm states (`points(...)`, `alarmState(alarm)`). */
  readonly cloudWatch: CloudWatchMetrics;
  /** Auto Scaling groups, their instances and instance refreshes. */
  readonly autoScaling: AutoScalingGroups;
  /** Route 53's answers for the `dns` names. */
  readonly resolver: FailoverResolver;
  /** The DNS server answering the resolver's A records (`127.0.0.1:<port>`), when there are `dns` names. */
  readonly dnsAddress?: string;
  /** The application's user requests so far (with a `domainName`). */
  readonly appRequests: readonly AppRequest[];
  /** Secrets Manager's secrets (`value(region, id)`, `versions(region, id)`, `add(seed)`). */
  readonly secrets: SimulatedSecrets;
  /**
   * One scheduled run of a backup plan's rule now (backupPlan.ts): a backup job for every live resource of
   * the region carrying one of the selection tags, and a copy job for each once it completes.
   */
  runBackupPlan(plan: BackupPlanRun): BackupPlanRunResult;
  /** Why the application's login fails now ({@link FakeAwsOptions.appLogin}), or undefined when it succeeds. */
  loginProblem(): string | undefined;
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
 * A local HTTP server speaking just enough AWS for two regions, the primary and the DR region:
 * Backup's REST-JSON protocol (vaults, recovery points in pages, restore metadata; restore, backup
 * and copy jobs that progress with the clock), STS's query protocol (GetCallerIdentity), the data
 * planes of dataPlanes.ts, and a /health endpoint. Point the CLI at it with AWS_ENDPOINT_URL or
 * AWS_ENDPOINT_URL_<SERVICE>. The region comes from the SigV4 credential scope, as a real endpoint
 * would route it; scripts/simulation/README.md lists what is served.
 */
export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const vaultName = options.vaultName ?? "dr-vault";
  const drRegion = options.drRegion ?? "us-west-2";
  const primaryRegion = options.primaryRegion ?? "us-east-1";
  const requests: FakeRequest[] = [];
  const starts = new Map<string, number>();
  const jobs: FakeAws["jobs"] = new Map();
  const now = () => (options.clock ?? Date).now();
  const reachability = new Reachability(now, [options.downRegion ?? primaryRegion]);
  const store = new ResourceStore(now);
  for (const seed of options.resources ?? []) {
    store.add(seed);
  }
  const lockOf = (name: string) => {
    const lock = options.vaultLocks?.[name] ?? DEFAULT_VAULT_LOCK;
    return lock === "none" ? undefined : lock;
  };
  const vaults: FakeVault[] = [
    { region: drRegion, name: vaultName, points: options.points, lock: lockOf(vaultName) },
  ];
  if (options.primaryVaultName !== undefined) {
    vaults.push({
      region: primaryRegion,
      name: options.primaryVaultName,
      points: options.primaryPoints ?? [],
      lock: lockOf(options.primaryVaultName),
    });
  }
  const regionSettings = new RegionSettingsStore(options.regionSettings);
  const backupAndCopy = new BackupAndCopyJobs({
    now,
    store,
    vaults,
    reachability,
    script: options.jobScript ?? {},
    regionSettings,
  });
  const planRuns = new BackupPlanRuns(backupAndCopy, store, `arn:aws:iam::${ACCOUNT}:role/backup-role`);
  const autoScaling = new AutoScalingGroups(options.autoScalingGroups ?? [], now);
  const cloudWatch = new CloudWatchMetrics(options.alarms ?? [], now, options.alarmEvaluationMs);
  const secrets = new SimulatedSecrets(now);
  for (const seed of options.secrets ?? []) {
    secrets.add(seed);
  }
  const dataPlanes: Record<string, FakeService> = {
    ...dataPlaneServices(
      store,
      (r) => reachability.isUp(r),
      (r) => autoScaling.instances(r),
      options.credentialResetMs,
      options.credentialRegisterMs,
    ),
    secretsmanager: secrets.service(),
    autoscaling: autoScaling.service(),
    monitoring: cloudWatch.service(),
    ...options.services,
  };
  const resolver = new FailoverResolver(options.dns ?? [], {
    now,
    alarmState: (alarm, at) => cloudWatch.alarmState(alarm, at).state,
    hasHealthyTarget: (region, name, at) =>
      reachability.isUp(region, at) && autoScaling.servingSlots(region, name, at).length > 0,
  });
  const dnsServer: FakeDnsServer | undefined = options.dns?.length
    ? await startDnsServer((name) => {
        settle();
        return resolver.addresses(name);
      })
    : undefined;
  const appRequests: AppRequest[] = [];
  const app = options.application;
  let lastAppWrite = now();
  const materialized = new Set<string>();
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
  const findVault = (region: string, name: string) =>
    vaults.find((v) => v.region === region && v.name === name);

  const describe = (id: string) => {
    const job = jobs.get(id);
    if (!job) {
      return undefined;
    }
    const point = job.point;
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
    return {
      ...base,
      Status: "COMPLETED",
      PercentDone: "100.00%",
      CompletionDate: epoch(job.startedAt + duration),
      CreatedResourceArn: resourceArn(
        point.resourceType,
        job.region,
        restoredId(point.resourceType, id, job.metadata),
      ),
    };
  };

  const writeAll = (resources: SimResource[], at: number) => {
    for (const resource of resources) {
      if (resource.type === "S3") {
        store.putObject(resource, `app/${new Date(at).toISOString()}.json`, `{"at":${at}}`, at);
      } else {
        store.write(resource, 1, at);
      }
    }
    return resources.map((r) => r.arn);
  };
  /** A user's request at `at`: to the load balancer Route 53 answers, served by one of its servers, if any. */
  const userRequest = (application: FakeApplication, at: number): AppRequest => {
    const record = resolver.answer(application.domainName as string, at);
    if (!record) {
      return { at, wrote: [] };
    }
    const { region, autoScalingGroupName } = record.targets;
    const where = { at, loadBalancerDnsName: record.loadBalancerDnsName, region, autoScalingGroupName };
    const slots = reachability.isUp(region, at)
      ? autoScaling.servingSlots(region, autoScalingGroupName, at)
      : [];
    if (slots.length === 0) {
      return { ...where, wrote: [] };
    }
    const server = slots[appRequests.length % slots.length];
    const group = autoScaling.group(region, autoScalingGroupName);
    const accepts = (resource: SimResource) =>
      group.writesTo
        ? group.writesTo(resource, server.launchTemplateVersion)
        : application.writesTo(resource);
    return {
      ...where,
      launchTemplateVersion: server.launchTemplateVersion,
      wrote: writeAll(store.list(region).filter(accepts), at),
    };
  };

  /**
   * Brings the data planes and vaults up to the clock: what completed restore jobs created appears
   * (with the state their recovery point captured; an S3 restore into an existing bucket adds the
   * objects to it), and completed backup and copy jobs add their recovery points.
   */
  const settle = () => {
    autoScaling.observe();
    for (; app && lastAppWrite + app.everyMs <= now(); lastAppWrite += app.everyMs) {
      const at = lastAppWrite + app.everyMs;
      if (app.domainName !== undefined) {
        appRequests.push(userRequest(app, at));
      } else if (autoScaling.serving(app.region, app.autoScalingGroupName, at)) {
        writeAll(store.list(app.region).filter(app.writesTo), at);
      }
    }
    for (const [id, job] of jobs) {
      if (materialized.has(id) || describe(id)?.Status !== "COMPLETED") {
        continue;
      }
      materialized.add(id);
      const type = job.point.resourceType;
      const name = restoredId(type, id, job.metadata);
      const existing = type === "S3" ? store.bucket(name) : store.find(job.region, [type], name);
      if (existing) {
        for (const [key, object] of Object.entries(job.point.state?.objects ?? {})) {
          existing.objects.set(key, object);
        }
        continue;
      }
      store.add({
        type,
        id: name,
        region: job.region,
        metadata: job.metadata,
        state: job.point.state,
        restoreJobId: id,
        tags: restoredTags(type, job.point.tags, job.copySourceTags),
        settings: { deletionProtection: restoredDeletionProtection(type, job.metadata) },
      });
    }
    backupAndCopy.settle();
    if (planRuns.settle()) {
      backupAndCopy.settle();
    }
    store.settleReplication((r) => reachability.isUp(r));
  };

  const currentLoginProblem = () => {
    const login = options.appLogin;
    if (!login) {
      return undefined;
    }
    const id = login.database();
    const db = id === undefined ? undefined : store.find(login.region, ["RDS", "Aurora"], id);
    return loginProblem(db, secrets.value(login.region, login.secretId), now());
  };

  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      settle();
      const url = new URL(req.url ?? "/", "http://localhost");
      if (url.pathname === "/health") {
        healthRequests++;
        const starting = healthRequests <= (options.unhealthyRequests ?? 0);
        const login = currentLoginProblem();
        send(res, starting || login ? 503 : 200, {
          status: starting ? "starting" : login ? "unhealthy" : "ok",
          ...(login && { problems: [`database login: ${login}`] }),
        });
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
      if (!reachability.isUp(region)) {
        record("region-down");
        fail(res, 503, "ServiceUnavailableException", "Service unavailable");
        return;
      }
      const extra = dataPlanes[service];
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
      const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
      const jobAnswer = answerJobRequest(
        backupAndCopy,
        { region, method: req.method ?? "", parts, query: url.searchParams, body },
        options.jobsPageSize ?? 2,
      );
      if (jobAnswer) {
        record(jobAnswer.operation);
        send(
          res,
          jobAnswer.status,
          jobAnswer.body,
          jobAnswer.errorType ? { "x-amzn-errortype": jobAnswer.errorType } : {},
        );
        return;
      }
      const policyAnswer = answerVaultAccessPolicy(
        { method: req.method ?? "", parts, region },
        findVault(region, parts[1] ?? "") !== undefined,
        options.vaultAccessPolicies ?? {},
      );
      if (policyAnswer) {
        record(policyAnswer.operation);
        send(res, policyAnswer.status, policyAnswer.body, policyAnswer.headers);
        return;
      }
      if (parts[0] === "backup-vaults" && parts.length === 2 && req.method === "GET") {
        record("DescribeBackupVault");
        const vault = findVault(region, parts[1]);
        if (!vault) {
          fail(res, 404, "ResourceNotFoundException", `Backup vault ${parts[1]} not found`);
          return;
        }
        send(res, 200, {
          BackupVaultName: vault.name,
          BackupVaultArn: vaultArn(region, vault.name),
          NumberOfRecoveryPoints: vault.points.length,
          ...lockFields(vault.lock),
        });
        return;
      }
      if (parts[0] === "account-settings" && parts.length === 1) {
        // GET /account-settings is DescribeRegionSettings, PUT UpdateRegionSettings (AWS Backup API):
        // the settings of the call's region.
        if (req.method === "PUT") {
          record("UpdateRegionSettings");
          regionSettings.update(region, JSON.parse(body || "{}") as RegionSettings);
          send(res, 200, {});
          return;
        }
        record("DescribeRegionSettings");
        send(res, 200, regionSettings.describe(region));
        return;
      }
      if (parts[0] === "backup-vaults" && parts[2] === "recovery-points" && parts.length === 3) {
        record("ListRecoveryPointsByBackupVault");
        const vault = findVault(region, parts[1]);
        if (!vault) {
          fail(res, 404, "ResourceNotFoundException", `Backup vault ${parts[1]} not found`);
          return;
        }
        const createdBefore = queryTime(url.searchParams.get("createdBefore"));
        const points = filterRecoveryPoints(vault.points, {
          resourceType: url.searchParams.get("resourceType") ?? undefined,
          resourceArn: url.searchParams.get("resourceArn") ?? undefined,
          createdBefore,
        });
        const page = recoveryPointPage(
          points,
          vault.name,
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
        const point = findVault(region, parts[1])?.points.find((p) => p.recoveryPointArn === parts[3]);
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
          CopySourceTagsToRestoredResource?: boolean;
        };
        starts.set(input.RecoveryPointArn, (starts.get(input.RecoveryPointArn) ?? 0) + 1);
        const existing = [...jobs.entries()].find(
          ([, j]) => input.IdempotencyToken && j.token === input.IdempotencyToken,
        );
        if (existing) {
          send(res, 200, { RestoreJobId: existing[0], RecoveryPointArn: input.RecoveryPointArn });
          return;
        }
        const point = vaults
          .filter((v) => v.region === region)
          .flatMap((v) => v.points)
          .find((p) => p.recoveryPointArn === input.RecoveryPointArn);
        if (!point) {
          fail(res, 404, "ResourceNotFoundException", `Recovery point ${input.RecoveryPointArn} not found`);
          return;
        }
        const id = `job-${String(nextJob++).padStart(3, "0")}`;
        jobs.set(id, {
          recoveryPointArn: input.RecoveryPointArn,
          token: input.IdempotencyToken,
          startedAt: now(),
          metadata: input.Metadata,
          region,
          point,
          copySourceTags: input.CopySourceTagsToRestoredResource === true,
        });
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
        const job = jobs.get(parts[1])?.region === region ? describe(parts[1]) : undefined;
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
          [...jobs.entries()].filter(([, j]) => j.region === region).map(([id]) => describe(id) as ListedJob),
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
  const live = (arn: string) => {
    settle();
    const resource = store.byArn(arn);
    if (!resource) {
      throw new Error(`the fake has no resource ${arn}`);
    }
    return resource;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    starts,
    jobs,
    describeJob: describe,
    get throttled() {
      return throttled;
    },
    backupAndCopy,
    setReachable: (region, up) => {
      settle();
      reachability.set(region, up);
    },
    vault: (region, name) => {
      settle();
      return findVault(region, name);
    },
    resources: (region) => {
      settle();
      return store.list(region);
    },
    resource: (arn) => {
      settle();
      return store.byArn(arn);
    },
    write: (arn, count) => store.write(live(arn), count),
    setDesiredCapacity: (region, name, desired) => {
      settle();
      autoScaling.setDesiredCapacity(region, name, desired);
    },
    cloudWatch,
    autoScaling,
    resolver,
    dnsAddress: dnsServer?.address,
    appRequests,
    secrets,
    runBackupPlan: (plan) => {
      settle();
      return planRuns.run(plan);
    },
    loginProblem: () => {
      settle();
      return currentLoginProblem();
    },
    putObject: (bucket, key, body, size) => {
      store.putObject(live(resourceArn("S3", "", bucket)), key, body, undefined, { size });
    },
    close: async () => {
      await dnsServer?.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
