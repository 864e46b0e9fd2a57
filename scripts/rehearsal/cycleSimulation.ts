/** What the simulation adds for a failback rehearsal: prod's resources, both groups of servers, the application's writes, the switch and the jobs' times. */
import { FakeAwsOptions, FakeAws } from "../simulation/fakeAwsServer";
import { failoverSwitchAlarm } from "../simulation/failoverSwitch";
import { ScriptedOutcome } from "../simulation/backupJobs";
import { FakeAlarm } from "../simulation/cloudWatch";
import { ProtectedResource, RehearsalEstate, physicalId } from "./estate";
import { OfflineDrStack } from "./offlineStack";
import { Scenario, matchResources } from "./scenarios";
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

/** The Auto Scaling group name a deployment of `stack` gives its application servers. */
export function groupName(stack: string): string {
  return `${stack}-app-asg`;
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

/** Options of {@link cycleSimulation}. */
export interface CycleSimulationOptions {
  readonly estate: RehearsalEstate;
  readonly scenario: Scenario;
  /** dr and prod stack names, unqualified. */
  readonly drStack: string;
  readonly stacks: CycleStacks;
  readonly origins: DrOrigins;
}

/**
 * The simulation's options for a failback rehearsal, beside those of a recovery's:
 * - prod's pre-disaster resources in the primary region (what the failback leaves behind, kept);
 * - the dr stack's application servers (its Auto Scaling group follows the dr stack's last `up`, in
 *   the VPC the dr stack reports) and prod's (following the prod stack's);
 * - the application, writing every {@link APPLICATION_WRITE_MINUTES} to each resource restored in DR
 *   while a dr server runs (the write freeze stops it);
 * - the failover switch's alarm in ALARM (traffic on DR);
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
  return {
    resources: estate.resources.map((r) => ({
      type: r.resourceType,
      id: r.name,
      region: estate.primaryRegion,
      metadata: r.restoreMetadata,
    })),
    autoScalingGroups: [
      {
        region: estate.drRegion,
        name: groupName(options.drStack),
        desiredCapacity: () => stacks.dr?.appliedCapacity() ?? 0,
        vpcId: physicalId("vpc", options.drStack, "app-vpc"),
      },
      {
        region: estate.primaryRegion,
        name: groupName(estate.primaryStack),
        desiredCapacity: () => stacks.prod?.appliedCapacity() ?? 0,
        vpcId: physicalId("vpc", estate.primaryStack, "app-vpc"),
      },
    ],
    application: {
      region: estate.drRegion,
      autoScalingGroupName: groupName(options.drStack),
      everyMs: APPLICATION_WRITE_MINUTES * MIN,
      // What the recovery restored in DR (the failback's restores are in the primary region).
      writesTo: (resource) => resource.restoreJobId !== undefined,
    },
    alarms: [switchAlarm(estate)],
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
