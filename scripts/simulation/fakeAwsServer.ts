/** The local AWS over HTTP: assembles the models and their services behind one router (startFakeAws). */
import { ApplicationRun, AppRequest, FakeApplication, ServingUnit } from "./application";
import { AutoScalingGroups, FakeAutoScalingGroup } from "./autoScaling";
import { BACKUP_DEFAULTS } from "./backupDefaults";
import { BackupAndCopyJobs, FakeApiError, FakeVault, JobScript } from "./backupJobs";
import { BackupModel } from "./backupModel";
import { BackupPlanRun, BackupPlanRunResult, BackupPlanRuns } from "./backupPlan";
import { BackupService, onTheWire } from "./backupService";
import { CloudWatchMetrics, FakeAlarm } from "./cloudWatch";
import { loginProblem } from "./databaseLogin";
import { dataPlaneServices } from "./dataPlanes";
import { EcsServices, FakeEcsService } from "./ecsModel";
import { ecsService } from "./ecsService";
import { FakeTargetGroup, TargetGroups } from "./elbModel";
import { elbService } from "./elbService";
import { FailoverResolver, FakeDnsName, FakeTargets } from "./dnsResolver";
import { FakeDnsServer, startDnsServer } from "./dnsServer";
import type { FakeService } from "./fakeService";
import { ACCOUNT } from "./fixtures";
import { FakeRequest, startRouter } from "./httpRouter";
import { Reachability } from "./reachability";
import type { IsolatedVaultSeed } from "./isolatedVault";
import type { SimPoint } from "./recoveryPoints";
import type { RegionSettings } from "./regionSettings";
import { ResourceStore, SeedResource, SimResource, resourceArn } from "./resourceStore";
import type { RestoreJob } from "./restoreJobs";
import { SeedSecret, SimulatedSecrets } from "./secretsManager";
import { stsService } from "./stsService";
import type { VaultLock } from "./vaultLock";

export type { AppRequest, FakeApplication } from "./application";
export type { FakeRequest } from "./httpRouter";

/** Options of {@link startFakeAws}. */
export interface FakeAwsOptions {
  /** The DR vault's recovery points. Completed backup and copy jobs add to it. */
  readonly points: SimPoint[];
  /** The DR vault. Default {@link BACKUP_DEFAULTS.vaultName}. */
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
  /** A logically air-gapped vault in the DR region, beside the DR vault (isolatedVault.ts). Default none. */
  readonly isolatedVault?: IsolatedVaultSeed;
  /** Resources in the regions' data planes before anything runs (prod's database, the replica bucket...). */
  readonly resources?: readonly SeedResource[];
  /** Durations and outcomes of backup and copy jobs. */
  readonly jobScript?: JobScript;
  /** Largest page of every Backup listing, whatever maxResults says. Default {@link BACKUP_DEFAULTS.pageSize}. */
  readonly pageSize?: number;
  /** Largest page ListBackupJobs and ListCopyJobs return. Default {@link pageSize}. */
  readonly jobsPageSize?: number;
  /** Auto Scaling groups (DescribeAutoScalingGroups), e.g. the dr stack's application servers. */
  readonly autoScalingGroups?: readonly FakeAutoScalingGroup[];
  /** ECS services (DescribeServices, ListTasks, ...), e.g. the dr stack's application with `compute: ecs`. */
  readonly ecsServices?: readonly FakeEcsService[];
  /**
   * Load balancer target groups (DescribeTargetHealth), each following the ECS service it names among
   * {@link ecsServices}: the stack's `compute.targetGroupArn`. Default none.
   */
  readonly targetGroups?: readonly FakeTargetGroup[];
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
  /** Largest page ListRestoreJobs returns. Default {@link pageSize}. */
  readonly restoreJobsPageSize?: number;
  /** Restore job ids by their number. Default {@link BACKUP_DEFAULTS.restoreJobId} (`job-001`). */
  readonly restoreJobId?: (n: number) => string;
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
  /** Further logins, one per database the application uses (each with its own secret), checked as {@link appLogin}. @default [] */
  readonly appLogins?: readonly FakeAppLogin[];
}

/** The application's database login, as the servers' health check does it (stacks/health_server.py). */
export interface FakeAppLogin {
  readonly region: string;
  /** ARN or name of the credential secret the servers are given. */
  readonly secretId: string;
  /** The database the servers use now (e.g. the dr stack's `restoredDbInstanceId`), or undefined. */
  readonly database: () => string | undefined;
  /** The database's logical name, naming it in the problem when the application logs in to several. @default none */
  readonly name?: string;
}

/** A running fake. */
export interface FakeAws {
  readonly url: string;
  readonly requests: FakeRequest[];
  /** StartRestoreJob calls per recovery point ARN. */
  readonly starts: Map<string, number>;
  /** Restore jobs, by id, with the region they run in (that of the StartRestoreJob call). */
  readonly jobs: Map<string, RestoreJob>;
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
  /**
   * DeleteRecoveryPoint as a caller with every IAM permission would send it (BackupModel.deleteRecoveryPoint):
   * undefined once deleted, else AWS's refusal (a LAG vault's compliance lock).
   */
  deleteRecoveryPoint(region: string, vaultName: string, recoveryPointArn: string): string | undefined;
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
  /** ECS services, their deployments and tasks. */
  readonly ecs: EcsServices;
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

/**
 * A local HTTP server speaking just enough AWS for two regions, the primary and the DR region:
 * Backup's REST-JSON protocol (vaults, recovery points in pages, restore metadata; restore, backup
 * and copy jobs that progress with the clock), STS's query protocol (GetCallerIdentity), the data
 * planes of dataPlanes.ts, and a /health endpoint. Point the CLI at it with AWS_ENDPOINT_URL or
 * AWS_ENDPOINT_URL_<SERVICE>. The region comes from the SigV4 credential scope, as a real endpoint
 * would route it; scripts/simulation/README.md lists what is served.
 */
export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const now = () => (options.clock ?? Date).now();
  const primaryRegion = options.primaryRegion ?? BACKUP_DEFAULTS.primaryRegion;
  const reachability = new Reachability(now, [options.downRegion ?? primaryRegion]);
  const store = new ResourceStore(now);
  for (const seed of options.resources ?? []) {
    store.add(seed);
  }
  const backup = new BackupModel({
    now,
    points: options.points,
    vaultName: options.vaultName,
    drRegion: options.drRegion,
    primaryRegion,
    primaryVaultName: options.primaryVaultName,
    isolatedVault: options.isolatedVault,
    primaryPoints: options.primaryPoints,
    vaultLocks: options.vaultLocks,
    regionSettings: options.regionSettings,
    jobScript: options.jobScript,
    pageSize: options.pageSize,
    restoreJobsPageSize: options.restoreJobsPageSize,
    jobsPageSize: options.jobsPageSize,
    restoreJobId: options.restoreJobId,
    store,
    reachability,
  });
  const backupService = new BackupService(backup, {
    vaultAccessPolicies: options.vaultAccessPolicies,
    throttleEvery: options.throttleEvery,
  });
  const planRuns = new BackupPlanRuns(
    backup.backupAndCopy,
    store,
    `arn:aws:iam::${ACCOUNT}:role/backup-role`,
  );
  const autoScaling = new AutoScalingGroups(options.autoScalingGroups ?? [], now);
  const cloudWatch = new CloudWatchMetrics(options.alarms ?? [], now, options.alarmEvaluationMs);
  const secrets = new SimulatedSecrets(now);
  for (const seed of options.secrets ?? []) {
    secrets.add(seed);
  }
  const ecs = new EcsServices(options.ecsServices ?? [], now);
  /** The servers of a group, or the tasks of an ECS service, taking requests at `at`. */
  const servingUnits = (targets: FakeTargets, at: number): ServingUnit[] => {
    const { region, ecsService } = targets;
    if (ecsService) {
      const spec = ecs.find(region, ecsService.cluster, ecsService.service);
      return ecs.servingTasks(region, ecsService.cluster, ecsService.service, at).map((task) => ({
        version: task.revision,
        ...(spec?.writesTo && { writesTo: (r: SimResource) => spec.writesTo?.(r, task.revision) ?? false }),
      }));
    }
    const group = autoScaling.group(region, targets.autoScalingGroupName);
    return autoScaling.servingSlots(region, targets.autoScalingGroupName, at).map((slot) => ({
      version: slot.launchTemplateVersion,
      ...(group.writesTo && {
        writesTo: (r: SimResource) => group.writesTo?.(r, slot.launchTemplateVersion) ?? false,
      }),
    }));
  };
  const resolver = new FailoverResolver(options.dns ?? [], {
    now,
    alarmState: (alarm, at) => cloudWatch.alarmState(alarm, at).state,
    hasHealthyTarget: (targets, at) =>
      reachability.isUp(targets.region, at) && servingUnits(targets, at).length > 0,
  });
  const application = new ApplicationRun(options.application, {
    now,
    store,
    autoScaling,
    resolver,
    reachability,
    servingUnits,
  });

  /** Brings every model up to the clock: the application's writes, restores, backups, copies, replication. */
  const settle = () => {
    autoScaling.observe();
    ecs.observe();
    application.settle();
    backup.settle();
    if (planRuns.settle()) {
      backup.backupAndCopy.settle();
    }
    store.settleReplication((r) => reachability.isUp(r));
  };
  const logins = [...(options.appLogin ? [options.appLogin] : []), ...(options.appLogins ?? [])];
  const currentLoginProblem = () => {
    for (const login of logins) {
      const id = login.database();
      const db = id === undefined ? undefined : store.find(login.region, ["RDS", "Aurora"], id);
      const problem = loginProblem(db, secrets.value(login.region, login.secretId), now());
      if (problem) {
        return login.name && logins.length > 1 ? `${login.name}: ${problem}` : problem;
      }
    }
    return undefined;
  };
  let healthRequests = 0;
  const health = () => {
    healthRequests++;
    const starting = healthRequests <= (options.unhealthyRequests ?? 0);
    const login = currentLoginProblem();
    return {
      status: starting || login ? 503 : 200,
      body: {
        status: starting ? "starting" : login ? "unhealthy" : "ok",
        ...(login && { problems: [`database login: ${login}`] }),
      },
    };
  };

  const requests: FakeRequest[] = [];
  const router = await startRouter({
    services: {
      sts: stsService,
      backup: (request) => backupService.answer(request),
      ...dataPlaneServices(
        store,
        (r) => reachability.isUp(r),
        (r) => autoScaling.instances(r),
        options.credentialResetMs,
        options.credentialRegisterMs,
      ),
      secretsmanager: secrets.service(),
      autoscaling: autoScaling.service(),
      ecs: ecsService(ecs),
      elasticloadbalancing: elbService(new TargetGroups(options.targetGroups ?? [], ecs, now)),
      monitoring: cloudWatch.service(),
      ...options.services,
    },
    global: ["sts"],
    isUp: (region) => reachability.isUp(region),
    settle,
    health,
    requests,
  });
  const dnsServer: FakeDnsServer | undefined = options.dns?.length
    ? await startDnsServer((name) => {
        settle();
        return resolver.addresses(name);
      })
    : undefined;
  const live = (arn: string) => {
    settle();
    const resource = store.byArn(arn);
    if (!resource) {
      throw new Error(`the fake has no resource ${arn}`);
    }
    return resource;
  };
  return {
    url: router.url,
    requests,
    starts: backup.restores.starts,
    jobs: backup.restores.jobs,
    describeJob: (id) => {
      const job = backup.restores.peek(id);
      return job && (onTheWire(job) as Record<string, unknown>);
    },
    get throttled() {
      return backupService.throttled;
    },
    backupAndCopy: backup.backupAndCopy,
    setReachable: (region, up) => {
      settle();
      reachability.set(region, up);
    },
    vault: (region, name) => {
      settle();
      return backup.findVault(region, name);
    },
    deleteRecoveryPoint: (region, vaultName, recoveryPointArn) => {
      settle();
      try {
        backup.deleteRecoveryPoint(region, vaultName, recoveryPointArn);
        return undefined;
      } catch (err) {
        if (err instanceof FakeApiError) {
          return `${err.type}: ${err.message}`;
        }
        throw err;
      }
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
    ecs,
    resolver,
    dnsAddress: dnsServer?.address,
    appRequests: application.requests,
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
      await router.close();
    },
  };
}
