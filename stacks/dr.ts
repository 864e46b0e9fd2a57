// The dr stack: prod's environment in the DR region, at zero capacity in standby or pointed at restored data.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DrPosture, validation } from "@restorekit/backup-restore-dr";
import { DR_MODES, DrSettings, stackTags, ZERO_CAPACITY } from "./config";
import { FailoverSwitchOutputs } from "./dnsFailover";
import { defineDatabaseCredentials, defineSecretsManagerEndpoint } from "./databaseCredential";
import { needsSecretsManagerEndpoint } from "./interfaceEndpoints";
import { dataVariableName, dataVariables, ServedDataEntry } from "./dataVariables";
import type {
  DataInventoryEntry,
  DrContractOutputs,
  DrOutputsFromConfig,
  PrimaryAppData,
} from "./drContract";
import { singleAppData } from "./failedBack";
import { defineFileSystemAccess, defineMountTargets } from "./fileSystems";
import { defineNetwork, defineServers, Environment } from "./environment";
import {
  defineRestoredDataProtection,
  RestoredDataPlan,
  RestoredDataProtection,
  RestoredDataProtectionResources,
} from "./restoredDataProtection";
import { defineBackupRegionSettings } from "./regionSettings";
import { isRestoredName, RESTORED_NAME_PREFIXES, restoredNamePatterns } from "./restoredNames";
import { defineRestoredClusterInstances } from "./restoredClusters";

/** The contract's outputs as the program has them: from its config, or Outputs of resources and of prod. */
type DrContractStackOutputs = {
  readonly [K in keyof DrContractOutputs]: K extends DrOutputsFromConfig
    ? DrContractOutputs[K]
    : pulumi.Output<DrContractOutputs[K]>;
};

/** Outputs of the dr stack: the contract of docs/CONTRACTS.md (read by the recovery CLI), then extras. */
export interface DrStackOutputs extends DrContractStackOutputs {
  /** The Auto Scaling group's bounds in the current mode. */
  readonly capacity: { readonly minSize: number; readonly desiredCapacity: number; readonly maxSize: number };
  /** The bucket the application uses in DR: the restored one, or the replica of prod's bucket. */
  readonly appBucketName: pulumi.Output<string>;
  /** The public DNS name, when configured: its SECONDARY record points at the DR load balancer. */
  readonly dnsName?: string;
  /** ARN of the DR vault (prod's), where the plan for restored data stores. */
  readonly drVaultArn: pulumi.Output<string>;
  /** ARN of the primary vault (prod's), where that plan copies to: the destination of a failback's copies. */
  readonly primaryVaultArn: pulumi.Output<string>;
  /** What protects restored data in the DR region, where it goes, how often and from when. */
  readonly restoredDataProtection: pulumi.Output<RestoredDataProtection>;
  /** The role of that plan's selection, for on-demand backups and copies of restored data in DR. */
  readonly restoredDataRoleArn: pulumi.Output<string>;
  /** Id of that plan, in the DR region. */
  readonly restoredDataPlanId: pulumi.Output<string>;
  /** SNS topic of that plan's failed backup and copy jobs in the DR region: subscribe on-call to it. */
  readonly restoredDataAlertTopicArn: pulumi.Output<string>;
  /**
   * What the servers are told for each inventory entry (logical name, kind and what they use: restored,
   * a replica, or nothing yet): the wiring of `restoredData` against prod's `dataInventory`.
   */
  readonly wiredData: pulumi.Output<ServedDataEntry[]>;
}

/** What {@link defineDr} creates. */
export interface DrStack {
  readonly primary: pulumi.StackReference;
  readonly environment: Environment;
  readonly protection: RestoredDataProtectionResources;
  readonly outputs: DrStackOutputs;
}

/** The prod outputs the dr stack reads. */
export const PRIMARY_OUTPUTS_READ = [
  "drVaultName",
  "drVaultArn",
  "primaryVaultName",
  "primaryVaultArn",
  "backupRoleArn",
  "replicaBuckets",
  "appBucketName",
  "drKeyArn",
  "dbPort",
  "rpoMinutes",
  "rtoMinutes",
  "posture",
  "failoverSwitch",
  "restoredDataPlan",
  "appData",
] as const;

/**
 * The dr stack: the same environment as prod in the DR region, at zero capacity in standby (no NAT
 * gateway, no servers) or at its active capacity pointed at the restored data, with the SECONDARY
 * failover record of the public name when configured. It reads the vaults, the backup role, the replicas,
 * the objectives and the failover switch from the prod stack through a StackReference. It holds no data,
 * and switching mode changes only the Auto Scaling group's capacity and the launch template's user data
 * (the restored identifiers): every other resource is the same in standby, so a flip calls no control
 * plane outside the DR region (no IAM, no Route 53).
 */
export function defineDr(settings: DrSettings): DrStack {
  const name = "app";
  const region = settings.region;
  const active = settings.mode === DR_MODES.active;
  const restored = settings.restored;
  const primary = new pulumi.StackReference(settings.primaryStack);
  const fromPrimary = <T>(key: (typeof PRIMARY_OUTPUTS_READ)[number]) =>
    primary.requireOutput(key) as pulumi.Output<T>;

  const replicaBuckets = fromPrimary<Record<string, string>>("replicaBuckets");
  const appBucketName = pulumi
    .all([fromPrimary<string>("appBucketName"), replicaBuckets])
    .apply(([source, replicas]) => {
      const replicaNames = Object.values(replicas);
      if (restored.bucketName !== undefined) {
        if (!replicaNames.includes(restored.bucketName) && !isRestoredName(restored.bucketName)) {
          throw new pulumi.RunError(
            `Configuration 'dr-app:restoredBucketName' value '${restored.bucketName}' must be a replica bucket of ` +
              `the ${settings.primaryStack} stack (${replicaNames.join(", ") || "none"}) or a restored bucket named ` +
              `${RESTORED_NAME_PREFIXES.join("... or ")}...: the servers are granted no other bucket`,
          );
        }
        return restored.bucketName;
      }
      const replica = replicas[source];
      if (replica === undefined) {
        throw new pulumi.RunError(
          `the ${settings.primaryStack} stack replicates no application bucket (${source}) to ${region}: ` +
            "set dr-app:replicateAppBucket true on it, or dr-app:restoredBucketName on this stack",
        );
      }
      return replica;
    });
  const partition = validation.partitionOf(region);
  if (active && Object.keys(settings.restoredData).length === 0) {
    pulumi.log.warn(
      "dr-app:mode is active but dr-app:restoredData names no restored resource: the servers start on the " +
        "replicas alone, without a database or table, until the recovery CLI sets it.",
    );
  }
  // Optional: a prod stack deployed before it exported `dataInventory` leaves it empty.
  const dataInventory = primary
    .getOutput("dataInventory")
    .apply((inventory) => (inventory ?? []) as DataInventoryEntry[]);
  const served = restoredServed(settings, dataInventory, replicaBuckets);
  const single = singleAppData(served);
  const hasFileSystems =
    settings.data.some((entry) => entry.kind === "efs") ||
    Object.values(settings.restoredData).some((entry) => entry.kind === "efs");

  const tags = stackTags(settings);
  const dns = settings.environment.dns;
  const capacity = active ? settings.activeCapacity : ZERO_CAPACITY;
  // In standby too: the recovery writes its value, in this region only, and creates nothing.
  // One per database of `data`, in standby too: a flip writes no secret and changes no grant.
  const credentials = defineDatabaseCredentials(name, {
    region,
    role: "dr",
    tags,
    databases: settings.data
      .filter((entry) => entry.kind === "rds" || entry.kind === "aurora")
      .map((entry) => entry.name),
  });
  const dbCredential = credentials.first;
  const secretVariables = Object.fromEntries(
    Object.entries(credentials.byDatabase).map(([database, secret]) => [
      dataVariableName(database, "SECRET_ID"),
      secret.name,
    ]),
  );
  const network = defineNetwork(name, {
    role: "dr",
    region,
    settings: settings.environment,
    dbPort: fromPrimary<number>("dbPort"),
    tags,
  });
  // In standby too when the inventory has a file system: a flip then adds only the restored one's mount
  // targets, which the servers wait for.
  const mountTargets: aws.efs.MountTarget[] = [];
  if (hasFileSystems) {
    const access = defineFileSystemAccess(name, network, tags);
    for (const [logicalName, entry] of Object.entries(settings.restoredData)) {
      if (entry.kind !== "efs") continue;
      mountTargets.push(
        ...defineMountTargets(`${name}-${logicalName}`, {
          region,
          fileSystemId: entry.id,
          network,
          securityGroupId: access.id,
        }),
      );
    }
  }
  const environment: Environment = {
    ...network,
    ...defineServers(name, network, {
      dependsOn: mountTargets,
      capacity,
      app: {
        dbEndpoint: single.dbEndpoint.apply((value) => value ?? ""),
        dbInstanceId: single.dbInstanceId.apply((value) => value ?? ""),
        tableName: single.tableName.apply((value) => value ?? ""),
        bucketName: pulumi
          .all([single.bucketName, appBucketName])
          .apply(([inventoryBucket, bucket]) => inventoryBucket ?? bucket),
        volumeId: single.volumeId.apply((value) => value ?? ""),
        dbSecretId: dbCredential.name,
        dataVariables: pulumi
          .all([served, pulumi.all(secretVariables)])
          .apply(([entries, secrets]) => ({ ...dataVariables(entries), ...secrets })),
      },
      // By the replicas' names and the recovery CLI's naming, never by what is restored: the policy is
      // the same in standby and active, so a flip needs no IAM call.
      dataAccess: {
        bucketArns: replicaBuckets.apply((replicas) => [
          ...Object.values(replicas).map((replica) => `arn:${partition}:s3:::${replica}`),
          ...restoredNamePatterns(`arn:${partition}:s3:::`),
        ]),
        tableArns: restoredNamePatterns(`arn:${partition}:dynamodb:${region}:*:table/`),
        kmsKeyArns: [fromPrimary<string>("drKeyArn")],
        secretArns: [
          dbCredential,
          ...Object.values(credentials.byDatabase).filter((secret) => secret !== dbCredential),
        ].map((secret) => secret.arn),
        // Any file system of the region: a restored one has no name to grant by, as a volume.
        ...(hasFileSystems && {
          fileSystemArns: [`arn:${partition}:elasticfilesystem:${region}:*:file-system/*`],
        }),
        attachVolumes: true,
      },
      // In standby too: failover is the operator's switch (stacks/README.md), never a change of record.
      dns: dns && {
        dns,
        failover: "SECONDARY",
        healthCheckId: fromPrimary<FailoverSwitchOutputs>("failoverSwitch").apply(
          (failoverSwitch) => failoverSwitch.drHealthCheckId,
        ),
      },
      waitForCapacity: false,
    }),
  };

  // Active only, as the mount targets: a restored cluster's instance is added by the flip (DR region).
  defineRestoredClusterInstances(name, {
    region,
    data: settings.data,
    restoredData: settings.restoredData,
    network: environment,
    tags,
  });

  // The dr stack has no NAT gateway: the servers reach Secrets Manager through this endpoint.
  if (needsSecretsManagerEndpoint(settings.environment)) {
    defineSecretsManagerEndpoint(name, environment);
  }

  // In standby too: a failback's DynamoDB copies from this region need it (stacks/regionSettings.ts).
  defineBackupRegionSettings(name, region);
  // In standby too: a flip must create no IAM role and no plan (stacks/README.md, "Static stability").
  const protection = defineRestoredDataProtection(name, {
    region,
    primaryRegion: settings.primaryRegion,
    primaryStack: settings.primaryStack,
    plan: fromPrimary<RestoredDataPlan>("restoredDataPlan"),
    drVaultName: fromPrimary<string>("drVaultName"),
    primaryVaultArn: fromPrimary<string>("primaryVaultArn"),
    replicaBucketArns: replicaBuckets.apply((replicas) =>
      Object.values(replicas).map((replica) => `arn:${partition}:s3:::${replica}`),
    ),
    rpoMinutes: fromPrimary<number>("rpoMinutes"),
    tags,
  });

  return {
    primary,
    environment,
    protection,
    outputs: {
      role: "dr",
      mode: settings.mode,
      region,
      primaryRegion: settings.primaryRegion,
      drVaultName: fromPrimary("drVaultName"),
      primaryVaultName: fromPrimary("primaryVaultName"),
      // Optional: absent from a prod stack with isolation off, or deployed before it had the isolated copy.
      isolatedVaultName: primary.getOutput("isolatedVaultName") as pulumi.Output<string | undefined>,
      isolatedVaultArn: primary.getOutput("isolatedVaultArn") as pulumi.Output<string | undefined>,
      // Optional: absent when prod runs no restore testing, or was deployed before it exported the plan.
      restoreTestingPlanArn: primary.getOutput("restoreTestingPlanArn") as pulumi.Output<string | undefined>,
      backupRoleArn: fromPrimary("backupRoleArn"),
      vpcId: environment.vpc.vpcId,
      privateSubnetIds: environment.vpc.privateSubnetIds,
      publicSubnetIds: environment.vpc.publicSubnetIds,
      availabilityZones: environment.availabilityZones,
      appSecurityGroupId: environment.appSecurityGroup.id,
      dbSecurityGroupId: environment.dbSecurityGroup.id,
      dbSubnetGroupName: environment.dbSubnetGroup.name,
      loadBalancerDnsName: environment.loadBalancerDnsName,
      healthCheckUrl: environment.healthCheckUrl,
      compute: environment.computeOutput,
      rpoMinutes: fromPrimary("rpoMinutes"),
      rtoMinutes: fromPrimary("rtoMinutes"),
      // Optional: a prod stack deployed before it forecast the RTO reports a posture without one.
      rtoForecast: primary
        .getOutput("posture")
        .apply((posture) => (posture as DrPosture | undefined)?.rtoForecast),
      replicaBuckets,
      capacity,
      appBucketName,
      ...(dns && { dnsName: dns.domainName }),
      drVaultArn: fromPrimary("drVaultArn"),
      primaryVaultArn: fromPrimary("primaryVaultArn"),
      restoredDataProtection: protection.posture,
      restoredDataRoleArn: protection.role.arn,
      restoredDataPlanId: protection.plan.id,
      dbCredentialSecretArn: dbCredential.arn,
      dbCredentialSecretArns: pulumi.all(
        Object.fromEntries(
          Object.entries(credentials.byDatabase).map(([database, secret]) => [database, secret.arn]),
        ),
      ),
      restoredSettings: fromPrimary<RestoredDataPlan>("restoredDataPlan").apply((plan) => ({
        selectionTags: plan.selectionTags,
        ...plan.databaseWindows,
      })),
      restoredDataAlertTopicArn: protection.alertTopic.arn,
      // Optional: a prod stack deployed before it reported `appData` leaves it empty.
      primaryAppData: primary.getOutput("appData").apply((data) => (data ?? {}) as PrimaryAppData),
      dataInventory,
      wiredData: served,
    },
  };
}

/**
 * What the servers use for each inventory entry: what `restoredData` names for it, else, for a bucket, the
 * replica of prod's bucket (nothing for the others: a dr stack holds no data of its own). From a prod stack
 * that exports no inventory, every `restoredData` entry as it is. Checked against
 * the inventory: a name it does not hold, a kind other than the entry's, or a bucket that is neither a
 * replica nor named as the recovery names restored buckets (the servers are granted no other) is an error.
 */
function restoredServed(
  settings: DrSettings,
  inventory: pulumi.Output<DataInventoryEntry[]>,
  replicaBuckets: pulumi.Output<Record<string, string>>,
): pulumi.Output<ServedDataEntry[]> {
  const partition = validation.partitionOf(settings.region);
  return pulumi.all([inventory, replicaBuckets]).apply(([entries, replicas]) => {
    if (entries.length === 0) {
      // A prod stack that exports no inventory (deployed before it did): what restoredData names, as it is.
      return Object.entries(settings.restoredData).map(([name, used]) => ({
        name,
        kind: used.kind,
        used,
        restored: true,
      }));
    }
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    for (const [name, restoredEntry] of Object.entries(settings.restoredData)) {
      const entry = byName.get(name);
      if (entry === undefined) {
        throw new pulumi.RunError(
          `Configuration 'dr-app:restoredData' names '${name}', which is not in the ${settings.primaryStack} stack's data inventory ` +
            `(${entries.map((known) => known.name).join(", ")})`,
        );
      }
      if (restoredEntry.kind !== entry.kind) {
        throw new pulumi.RunError(
          `Configuration 'dr-app:restoredData.${name}.kind' value '${restoredEntry.kind}' must be ${entry.kind}, the kind of ${name} in the ${settings.primaryStack} stack's data inventory`,
        );
      }
      if (
        entry.kind === "s3" &&
        !Object.values(replicas).includes(restoredEntry.id) &&
        !isRestoredName(restoredEntry.id)
      ) {
        throw new pulumi.RunError(
          `Configuration 'dr-app:restoredData.${name}.id' value '${restoredEntry.id}' must be a replica bucket of ` +
            `the ${settings.primaryStack} stack (${Object.values(replicas).join(", ") || "none"}) or a restored bucket named ` +
            `${RESTORED_NAME_PREFIXES.join("... or ")}...: the servers are granted no other bucket`,
        );
      }
    }
    return entries.map((entry): ServedDataEntry => {
      const restoredEntry = settings.restoredData[entry.name];
      const replica = entry.kind === "s3" ? replicas[entry.sourceId] : undefined;
      const used =
        restoredEntry ??
        (replica !== undefined
          ? { kind: "s3" as const, id: replica, arn: `arn:${partition}:s3:::${replica}` }
          : undefined);
      return {
        name: entry.name,
        kind: entry.kind,
        ...(used && { used }),
        ...(restoredEntry !== undefined && { restored: true }),
      };
    });
  });
}
