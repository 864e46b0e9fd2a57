/** What the simulation adds for a failback rehearsal: prod's resources, both groups of servers, users following the public name, the switch, the DR servers' login and the jobs' times. */
import type { RestoredData } from "../../stacks/drContract";
import { DR_CONFIG_KEYS, RESTORED_DATA_KEY } from "../recovery/core/stackHandle";
import { FakeAppLogin, FakeAwsOptions, FakeAws } from "../simulation/fakeAwsServer";
import { failoverDnsName, failoverSwitchAlarm } from "../simulation/failoverSwitch";
import { ScriptedOutcome } from "../simulation/backupJobs";
import { FakeAlarm } from "../simulation/cloudWatch";
import { SimResource } from "../simulation/resourceStore";
import { loadBalancerDnsName, privateSubnetIds } from "./deployedOutputs";
import { ProtectedResource, RehearsalEstate, physicalId } from "./estate";
import { prodLaunchTemplateVersion } from "./offlineProdStack";
import { OfflineDrStack } from "./offlineStack";
import { Scenario, matchResources } from "./scenarios";
import { EcsCompute, followingService, groupName } from "./rehearsedCompute";
import type { ComputeOutput } from "../../stacks/drContract";
import { INCREMENTAL_SHARE, backupMinutes, copyMinutes } from "./transferDurations";

const MIN = 60_000;

/** Simulated minutes between two writes of the application to each resource it uses. */
export const APPLICATION_WRITE_MINUTES = 15;

/** The public name a failback rehearsal gives both stacks, so the traffic switch is rehearsed too. */
export const REHEARSAL_DOMAIN = "app.rehearsal.example";

/** Its Route 53 hosted zone (a well-formed id no account has). */
export const REHEARSAL_ZONE_ID = "Z0REHEARSAL000000000";

/** The failover switch's alarm in the DR region (ALARM: the public name serves from DR). */
export function switchAlarm(estate: RehearsalEstate): FakeAlarm {
  return failoverSwitchAlarm(estate.drRegion, REHEARSAL_DOMAIN, "ALARM");
}

/** The stacks the simulated groups follow, set once they exist. */
export interface CycleStacks {
  dr?: OfflineDrStack;
  prod?: OfflineDrStack;
}

/**
 * The prod resources a recovery's restores in DR came from, by the DR resource's ARN: filled in once
 * the recovery has run (the simulation's restore jobs say which point each resource came from).
 */
export type DrOrigins = Map<string, ProtectedResource>;

/** Fills {@link DrOrigins} from the restores the recovery made in the DR region. */
export function recordDrOrigins(fake: FakeAws, estate: RehearsalEstate, origins: DrOrigins): void {
  for (const resource of fake.resources(estate.drRegion)) {
    const job = resource.restoreJobId ? fake.jobs.get(resource.restoreJobId) : undefined;
    const source = estate.resources.find((r) => r.resourceArn === job?.point.resourceArn);
    if (source) {
      origins.set(resource.arn, source);
    }
  }
}

/** Whether `resource` is one of prod's pre-disaster databases, tables or volumes (what its servers use before a failback). */
export function isPreDisaster(estate: RehearsalEstate, resource: SimResource): boolean {
  return (
    resource.region === estate.primaryRegion &&
    resource.restoreJobId === undefined &&
    resource.type !== "S3" &&
    estate.resources.some((r) => r.resourceArn === resource.arn)
  );
}

/** The config keys naming restored data a stack's servers use (`restoredDbEndpoint` names no resource by id). */
const NAMING_KEYS = [
  DR_CONFIG_KEYS.restoredDbInstanceId,
  DR_CONFIG_KEYS.restoredTableName,
  DR_CONFIG_KEYS.restoredBucketName,
  DR_CONFIG_KEYS.restoredVolumeId,
];

/**
 * The restored data a stack's last `up` pointed its servers at, by logical name: its `restoredData`, else
 * nothing (the five single-valued keys are read by {@link servesFrom} as well, a stack flipped before it).
 */
export function appliedRestoredData(stack: OfflineDrStack | undefined): RestoredData {
  const raw = stack?.appliedConfig(RESTORED_DATA_KEY);
  if (raw === undefined) return {};
  try {
    return JSON.parse(raw) as RestoredData;
  } catch {
    return {};
  }
}

/** Whether a stack's servers use `resource`: its last `up` named it in its restored data (the servers' user data). */
export function servesFrom(stack: OfflineDrStack | undefined, resource: SimResource): boolean {
  return (
    Object.values(appliedRestoredData(stack)).some((entry) => entry.id === resource.id) ||
    NAMING_KEYS.some((key) => stack?.appliedConfig(key) === resource.id)
  );
}

/**
 * The database a stack's servers log in to as `name` (its restored data's entry), or with no name the only
 * database its restored data names; else, a stack whose last `up` set the single-valued keys, the one
 * `restoredDbInstanceId` names.
 */
function appliedDatabase(stack: OfflineDrStack | undefined, name?: string): string | undefined {
  const data = appliedRestoredData(stack);
  const databases = Object.values(data).filter((e) => e.kind === "rds" || e.kind === "aurora");
  const entry = name === undefined ? (databases.length === 1 ? databases[0] : undefined) : data[name];
  return entry ? entry.id : stack?.appliedConfig(DR_CONFIG_KEYS.restoredDbInstanceId);
}

/**
 * The DR servers' logins: one per database with its own secret (`dbCredentialSecretArns`), else, a stack
 * with the single secret only, one with it to the database its single-valued keys name; none without a secret.
 */
function drLogins(options: CycleSimulationOptions, stacks: CycleStacks): FakeAppLogin[] {
  const region = options.estate.drRegion;
  const byDatabase = Object.entries(options.drCredentialSecretArns ?? {});
  if (byDatabase.length > 0) {
    return byDatabase.map(([name, secretId]) => ({
      region,
      name,
      secretId,
      database: () => appliedDatabase(stacks.dr, name),
    }));
  }
  const single = options.drCredentialSecretArn;
  return single
    ? [
        {
          region,
          secretId: single,
          database: () => appliedDatabase(stacks.dr),
        },
      ]
    : [];
}

/** Options of {@link cycleSimulation}. */
export interface CycleSimulationOptions {
  readonly estate: RehearsalEstate;
  readonly scenario: Scenario;
  /** dr and prod stack names, unqualified. */
  readonly drStack: string;
  readonly stacks: CycleStacks;
  readonly origins: DrOrigins;
  /** The health check URLs the rehearsal serves for dr's and prod's load balancers (their hosts are the load balancers' names). */
  readonly healthUrls: { readonly dr: string; readonly prod: string };
  /** The dr stack's database credential secret (its `dbCredentialSecretArn`), which the DR servers read; none: no login checked. */
  readonly drCredentialSecretArn?: string;
  /**
   * What runs each stack's application (their `compute` outputs as deployed): an ECS service is simulated
   * in place of the Auto Scaling group. @default both on Auto Scaling groups
   */
  readonly compute?: { readonly dr: ComputeOutput; readonly prod: ComputeOutput };
  /** The dr stack's secret of each database (its `dbCredentialSecretArns`): each database's login is checked. @default {} */
  readonly drCredentialSecretArns?: Readonly<Record<string, string>>;
}

/** Simulated minutes a new server takes to launch, and to warm up in an instance refresh (the stacks' health check grace period). */
const LAUNCH_MINUTES = 3;
const WARMUP_MINUTES = 5;

/**
 * The simulation's options for a failback rehearsal, beside those of a recovery's:
 * - prod's pre-disaster resources in the primary region (what the failback leaves behind, kept);
 * - the dr stack's application servers (its Auto Scaling group follows the dr stack's last `up`, in
 *   the VPC the dr stack reports) and prod's, as stacks/environment.ts defines them and bench/failback.ts
 *   wires them: tagged role=primary in prod's private subnets, following the prod stack's last `up`
 *   (`holdServers` holds them at zero), on the pre-disaster data (launch template version 1) until an `up`
 *   points them at the failed-back data (version 2, rolled by an instance refresh, 50 % healthy);
 * - users, every {@link APPLICATION_WRITE_MINUTES}, reaching the application by its public name, which
 *   Route 53's failover rules answer (the switch's alarm and each load balancer's targets): dr's servers
 *   write to the restored data the dr stack names, prod's to what their launch template names; with no server
 *   behind the answer nothing is written (`appRequests` lists every request);
 * - the failover switch's alarm in ALARM (traffic on DR);
 * - the DR servers' logins: each database's credential secret must open the database the dr stack names for it;
 * - backup and copy times by resource type and size, incremental after the first, and the failback
 *   backups the scenario makes fail.
 */
export function cycleSimulation(options: CycleSimulationOptions): Partial<FakeAwsOptions> {
  const { estate, scenario, stacks, origins } = options;
  const origin = (arn: string) => origins.get(arn);
  const minutesOf = (of: (r: ProtectedResource) => number, fallbackMs: number) => (arn: string) => {
    const resource = origin(arn);
    return resource ? of(resource) * MIN : fallbackMs;
  };
  const failing = new Map<ProtectedResource, ScriptedOutcome>();
  (scenario.failbackBackups ?? []).forEach((rule, i) => {
    for (const resource of matchResources(
      scenario,
      `failbackBackups[${i}].resource`,
      rule.resource,
      estate.resources,
    )) {
      failing.set(resource, {
        state: rule.outcome === "ABORTED" ? "ABORTED" : "FAILED",
        message: rule.message ?? `Backup of ${resource.name} failed`,
      });
    }
  });
  const prod = () => stacks.prod;
  const alarm = switchAlarm(estate);
  const drGroup = groupName(options.drStack);
  const prodGroup = groupName(estate.primaryStack);
  const ecsOf = (compute: ComputeOutput | undefined) => (compute?.kind === "ecs" ? compute : undefined);
  const drService = ecsOf(options.compute?.dr);
  const prodService = ecsOf(options.compute?.prod);
  // prod's servers or tasks on the pre-disaster data (version or revision 1) until an `up` points them at
  // the failed-back data.
  const prodWritesTo = (resource: SimResource, version: number) =>
    version === 1 ? isPreDisaster(estate, resource) : resource.type !== "S3" && servesFrom(prod(), resource);
  const ecsService = (service: EcsCompute | undefined) =>
    service && { ecsService: { cluster: service.clusterName, service: service.serviceName } };
  return {
    resources: estate.resources.map((r) => ({
      type: r.resourceType,
      id: r.name,
      region: estate.primaryRegion,
      metadata: r.restoreMetadata,
    })),
    ecsServices: [
      ...(drService
        ? [followingService({ region: estate.drRegion, compute: drService, stack: () => stacks.dr })]
        : []),
      ...(prodService
        ? [
            followingService({
              region: estate.primaryRegion,
              compute: prodService,
              stack: prod,
              writesTo: prodWritesTo,
            }),
          ]
        : []),
    ],
    autoScalingGroups: [
      {
        region: estate.drRegion,
        name: drGroup,
        desiredCapacity: () => stacks.dr?.appliedCapacity() ?? 0,
        vpcId: physicalId("vpc", options.drStack, "app-vpc"),
        launchMs: LAUNCH_MINUTES * MIN,
      },
      {
        region: estate.primaryRegion,
        name: prodGroup,
        vpcId: physicalId("vpc", estate.primaryStack, "app-vpc"),
        subnetIds: privateSubnetIds(estate.primaryStack),
        tags: { role: "primary" },
        // The program's capacity as last applied: 0 while `holdServers` holds them (stacks/primary.ts).
        desiredCapacity: () => prod()?.appliedCapacity() ?? 0,
        launchTemplateVersion: () => prodLaunchTemplateVersion(prod()),
        instanceRefresh: { minHealthyPercentage: 50, instanceWarmupMs: WARMUP_MINUTES * MIN },
        launchMs: LAUNCH_MINUTES * MIN,
        writesTo: prodWritesTo,
      },
    ].filter((group) => (group.region === estate.drRegion ? !drService : !prodService)),
    application: {
      region: estate.drRegion,
      autoScalingGroupName: drGroup,
      everyMs: APPLICATION_WRITE_MINUTES * MIN,
      // What the dr stack's servers use: the restored data its last `up` named.
      writesTo: (resource) => servesFrom(stacks.dr, resource),
      domainName: REHEARSAL_DOMAIN,
    },
    alarms: [alarm],
    dns: [
      failoverDnsName(REHEARSAL_DOMAIN, alarm, {
        primary: {
          loadBalancerDnsName: loadBalancerDnsName(options.healthUrls.prod),
          region: estate.primaryRegion,
          autoScalingGroupName: prodGroup,
          ...ecsService(prodService),
        },
        secondary: {
          loadBalancerDnsName: loadBalancerDnsName(options.healthUrls.dr),
          region: estate.drRegion,
          autoScalingGroupName: drGroup,
          ...ecsService(drService),
        },
      }),
    ],
    appLogins: drLogins(options, stacks),
    jobScript: {
      backupMs: minutesOf((r) => backupMinutes(r.resourceType, r.sizeGiB), 10 * MIN),
      copyMs: minutesOf((r) => copyMinutes(r.resourceType, r.sizeGiB), 15 * MIN),
      restoreMs: minutesOf((r) => r.restoreMinutes, 3000),
      incrementalFactor: INCREMENTAL_SHARE,
      backupOutcome: ({ resourceArn }) => {
        const resource = origin(resourceArn);
        return resource ? failing.get(resource) : undefined;
      },
    },
  };
}
