// The arguments prod gives BackupRestoreDR, from its settings alone: plan, selection tag, replication, lock.
import * as pulumi from "@pulumi/pulumi";
import { BackupRestoreDRArgs, ReplicatedBucketArgs, RtoForecastArgs } from "@restorekit/backup-restore-dr";
import { PrimarySettings, stackTags } from "./config";
import { SWITCH_ALARM } from "./dnsFailover";
import { TARGET_HEALTH_CHECK } from "./environment";

/**
 * Minutes from the operator's decision to publish the failover switch: a human step, *(unsourced)* guess
 * for a drill to correct.
 */
const OPERATOR_SWITCH_MINUTES = 5;
/**
 * Minutes Route 53 takes to read the switch's alarm state into its CLOUDWATCH_METRIC health checks: not
 * published, *(unsourced)* guess.
 */
const ROUTE53_ALARM_READ_MINUTES = 1;
/** The TTL of an alias record to a load balancer, seconds (Route 53 developer guide, alias records: 60 s). */
const ALIAS_TTL_SECONDS = 60;

/** The tag the backup selection matches, as in the guide: `backup=true`. */
export const BACKUP_TAG = { backup: "true" } as const;

/**
 * The buckets the prod stack replicates to the DR region, in order: the inventory's buckets to replicate,
 * then `replicatedBuckets`, each with its source KMS key when one is configured.
 * @param appBuckets the inventory's buckets to replicate (their Outputs in the program), or one application
 * bucket's label offline, replicated when `replicateAppBucket`.
 */
export function replicatedBuckets(
  settings: PrimarySettings,
  appBuckets: pulumi.Input<string> | readonly pulumi.Input<string>[],
): ReplicatedBucketArgs[] {
  const { replicateAppBucket, extraBuckets, sourceKmsKeyArns } = settings.replication;
  const own = Array.isArray(appBuckets)
    ? (appBuckets as readonly pulumi.Input<string>[])
    : replicateAppBucket
      ? [appBuckets as pulumi.Input<string>]
      : [];
  return [
    ...own.map((sourceBucket) => ({ sourceBucket })),
    ...extraBuckets.map((sourceBucket) => ({
      sourceBucket,
      ...(sourceKmsKeyArns[sourceBucket] !== undefined && {
        sourceKmsKeyArn: sourceKmsKeyArns[sourceBucket],
      }),
    })),
  ];
}

/**
 * What a recovery of prod restores, for the RTO forecast: each entry of the data inventory (`data`) under
 * its logical name, the name `dr status` gives restore testing's measurements of it (by its source ARN in
 * `dataInventory`). A database at its allocated storage, a volume at its size, a table at the declared
 * `tableSizeGiB`; an Aurora cluster's restore does not depend on its size in the model (1 GiB stands in).
 * File systems and buckets are left out: the stacks know no size for them, and the buckets are replicated.
 * The health term is the target group's cadence (interval x healthy threshold), the DNS term the switch's
 * alarm evaluation, Route 53's read of it and the alias TTL, after the operator's switch.
 */
function rtoForecast(settings: PrimarySettings): RtoForecastArgs {
  const switchMinutes = (SWITCH_ALARM.periodSeconds * SWITCH_ALARM.evaluationPeriods) / 60;
  return {
    healthCheckMinutes: (TARGET_HEALTH_CHECK.interval * TARGET_HEALTH_CHECK.healthyThreshold) / 60,
    // With a public name the operator throws the switch (stacks/dnsFailover.ts), its alarm evaluates,
    // Route 53 reads it and resolvers drop the old answer after the alias's TTL; without one the forecast
    // ends at healthy servers behind the DR load balancer.
    operatorSwitchMinutes: settings.environment.dns ? OPERATOR_SWITCH_MINUTES : 0,
    dnsMinutes: settings.environment.dns
      ? switchMinutes + ROUTE53_ALARM_READ_MINUTES + ALIAS_TTL_SECONDS / 60
      : 0,
    resources: settings.data.flatMap((entry): RtoForecastArgs["resources"] => {
      switch (entry.kind) {
        case "rds":
          return [{ kind: "RDS", name: entry.name, sizeGiB: entry.allocatedStorage }];
        case "aurora":
          return [{ kind: "Aurora", name: entry.name, sizeGiB: 1 }];
        case "ebs":
          return [{ kind: "EBS", name: entry.name, sizeGiB: entry.sizeGiB }];
        case "dynamodb":
          return [{ kind: "DynamoDB", name: entry.name, sizeGiB: settings.tableSizeGiB }];
        default:
          return [];
      }
    }),
  };
}

/**
 * The arguments the prod stack gives BackupRestoreDR, from its settings alone: the plan, the selection by
 * {@link BACKUP_TAG}, the database windows, the replication, the objectives, the vaults' lock and
 * break-glass principals, the isolated copy, retention and tags. Pure, so the offline tools (scripts/deployment: the plan,
 * runbook and cost) describe exactly what prod deploys.
 * @param appBuckets as {@link replicatedBuckets} takes them.
 */
export function protectionArgs(
  settings: PrimarySettings,
  appBuckets: pulumi.Input<string> | readonly pulumi.Input<string>[],
): BackupRestoreDRArgs {
  const buckets = replicatedBuckets(settings, appBuckets);
  return {
    primaryRegion: settings.primaryRegion,
    drRegion: settings.drRegion,
    plan: settings.plan,
    selection: { tags: { ...BACKUP_TAG } },
    databaseWindows: settings.databaseWindows,
    replication:
      buckets.length > 0
        ? {
            buckets,
            replicationTimeControl: settings.replication.replicationTimeControl,
            replicaStorageClass: settings.replication.replicaStorageClass,
            ...(settings.replication.replicaObjectLockDays > 0 && {
              objectLock: { days: settings.replication.replicaObjectLockDays },
            }),
          }
        : undefined,
    rtoForecast: rtoForecast(settings),
    objectives: {
      rpoMinutes: settings.objectives.rpoMinutes,
      rtoMinutes: settings.objectives.rtoMinutes,
      copyLandingMinutes: settings.copyLandingMinutes,
      enforcement: settings.objectivesEnforcement,
    },
    vaults: {
      lock: settings.vaultLock,
      deployerPrincipalArns: settings.deployerPrincipalArns,
      breakGlassPrincipalArns: settings.breakGlassPrincipalArns,
    },
    isolation: settings.isolation,
    ...(settings.auditFramework && { auditFramework: {} }),
    retainOnDelete: settings.retainData,
    tags: stackTags(settings),
  };
}
