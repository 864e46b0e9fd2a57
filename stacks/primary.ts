// The prod stack: the environment, the data it protects, BackupRestoreDR, and its outputs for the dr stack.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupRestoreDR, DrPosture, validation } from "@restorekit/backup-restore-dr";
import {
  AuroraDataSettings,
  DataEntrySettings,
  DatabaseSettings,
  databasePort,
  PrimarySettings,
  RdsDataSettings,
  stackTags,
  ZERO_CAPACITY,
} from "./config";
import { dataVariableName, dataVariables } from "./dataVariables";
import type { DataInventoryEntry } from "./drContract";
import { defineInventory, Inventory } from "./inventory";
import { defineDatabaseCredentials, defineSecretsManagerEndpoint } from "./databaseCredential";
import { needsSecretsManagerEndpoint } from "./interfaceEndpoints";
import { defineFailoverSwitch, FailoverSwitchOutputs } from "./dnsFailover";
import { defineNetwork, defineServers, Environment } from "./environment";
import type { ComputeOutput } from "./drContract";
import { BACKUP_TAG, protectionArgs, replicatedBuckets } from "./protection";
import { AppData, ownServed, servedData, singleAppData } from "./failedBack";
import { RestoredDataPlan, restoredDataPlan } from "./restoredDataProtection";
import { defineBackupRegionSettings } from "./regionSettings";
import { FAILED_BACK_NAME_PREFIXES, isRestoredName, restoredNamePatterns } from "./restoredNames";
import { defineRestoredClusterInstances } from "./restoredClusters";

/** Port each database engine listens on. */
export const DB_PORTS: Record<DatabaseSettings["engine"], number> = {
  postgres: 5432,
  mysql: 3306,
  mariadb: 3306,
};

/** Outputs of the prod stack: the contract of docs/CONTRACTS.md, then what the dr stack and operators use. */
export interface PrimaryStackOutputs {
  readonly role: "primary";
  readonly region: string;
  readonly drRegion: string;
  readonly primaryVaultName: pulumi.Output<string>;
  readonly primaryVaultArn: pulumi.Output<string>;
  readonly drVaultName: pulumi.Output<string>;
  readonly drVaultArn: pulumi.Output<string>;
  /** The logically air-gapped vault in the DR region (issue: isolated copy), absent when isolation is off. */
  readonly isolatedVaultName: pulumi.Output<string | undefined>;
  /** The logically air-gapped vault in the DR region (issue: isolated copy), absent when isolation is off. */
  readonly isolatedVaultArn: pulumi.Output<string | undefined>;
  /** The deployment's restore testing plan in the DR region, absent when restore testing is off. */
  readonly restoreTestingPlanArn: pulumi.Output<string | undefined>;
  readonly backupRoleArn: pulumi.Output<string>;
  readonly planId: pulumi.Output<string>;
  /** Source bucket name -> replica bucket name in the DR region. */
  readonly replicaBuckets: pulumi.Output<Record<string, string>>;
  readonly replicaBucketArns: pulumi.Output<string[]>;
  /** What runs the application: its Auto Scaling group or ECS service (stacks/drContract.ts `ComputeOutput`). */
  readonly compute: pulumi.Output<ComputeOutput>;
  readonly rpoMinutes: number;
  readonly rtoMinutes: number;
  /** Worst-case RPO per region, retention, cold storage, copies, lock (from BackupRestoreDR). */
  readonly posture: pulumi.Output<DrPosture>;
  /** KMS key of the DR vault and the replicas: the dr stack's servers decrypt replicas with it. */
  readonly drKeyArn: pulumi.Output<string>;
  /** The inventory's first bucket, database (RDS or Aurora), table and volume: absent without one. */
  readonly appBucketName?: pulumi.Output<string>;
  readonly dbInstanceId?: pulumi.Output<string>;
  readonly dbEndpoint?: pulumi.Output<string>;
  /** The database port: the dr stack opens it in its database security group. */
  readonly dbPort: number;
  readonly tableName?: pulumi.Output<string>;
  readonly volumeId?: pulumi.Output<string>;
  /** The application's data inventory: every entry of `data`, its source ARN as AWS Backup records it. */
  readonly dataInventory: pulumi.Output<DataInventoryEntry[]>;
  readonly vpcId: pulumi.Output<string>;
  readonly availabilityZones: pulumi.Output<string[]>;
  /** Prod's network, where `dr failback` restores the data that comes back (docs/CONTRACTS.md). */
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly appSecurityGroupId: pulumi.Output<string>;
  readonly dbSecurityGroupId: pulumi.Output<string>;
  readonly dbSubnetGroupName: pulumi.Output<string>;
  readonly loadBalancerDnsName: pulumi.Output<string>;
  readonly healthCheckUrl: pulumi.Output<string>;
  /** The public DNS name, when configured. */
  readonly dnsName?: string;
  /** With DNS: the operator's failover switch and its health checks (the dr stack reads `drHealthCheckId`). */
  readonly failoverSwitch?: FailoverSwitchOutputs;
  /** The secret of the failed-back database's credential, which `dr failback` writes (stacks/databaseCredential.ts). */
  readonly dbCredentialSecretArn: pulumi.Output<string>;
  /** Logical name -> each database's failed-back credential secret, which `dr failback` writes (the first's is `dbCredentialSecretArn`). */
  readonly dbCredentialSecretArns: pulumi.Output<Record<string, string>>;
  /** The secret the servers read their database credential from now. */
  readonly appDbSecretArn: pulumi.Output<string>;
  /** Prod's rules and selection tags, which the dr stack's plan for restored data applies in DR. */
  readonly restoredDataPlan: RestoredDataPlan;
  /**
   * The data the servers use: the failed-back identifiers where configured, else prod's own (the
   * `dbEndpoint`, `dbInstanceId`, `tableName`, `appBucketName` and `volumeId` outputs, which stay the
   * pre-disaster resources).
   */
  readonly appData: AppData;
}

/** What {@link definePrimary} creates. */
export interface PrimaryStack {
  readonly environment: Environment;
  /** Every entry of the data inventory, created, by kind. */
  readonly inventory: Inventory;
  readonly protection: BackupRestoreDR;
  readonly outputs: PrimaryStackOutputs;
}

/** The tags of an inventory entry: the selection tag only while the servers use it, not a failed-back copy. */
function dataTagsOf(settings: PrimarySettings, tags: Record<string, string>) {
  // After a failback prod runs on the `fb-` copies (tagged by the failback), and its pre-disaster resources,
  // kept, must stop being backed up, or the next recovery would restore their stale data (stacks/README.md,
  // "After a failback").
  return (entry: DataEntrySettings) =>
    ownServed(settings.restoredData, entry) ? { ...tags, ...BACKUP_TAG } : tags;
}

/**
 * The prod stack: the environment at its configured capacity, the application's data inventory (`data`:
 * by default an RDS database, a DynamoDB table, an EBS volume and an S3 bucket), each entry tagged
 * `backup=true` while the servers use it rather than a failed-back copy, and BackupRestoreDR protecting
 * them with the configured plan, copying to the DR region and replicating the inventory's buckets there.
 */
export function definePrimary(settings: PrimarySettings): PrimaryStack {
  const name = "app";
  const region = settings.region;
  const tags = stackTags(settings);
  const databases = settings.data.filter(
    (entry): entry is RdsDataSettings | AuroraDataSettings => entry.kind === "rds" || entry.kind === "aurora",
  );
  const dbPort = databases.length > 0 ? databasePort(databases[0]) : DB_PORTS[settings.database.engine];

  const network = defineNetwork(name, {
    role: "primary",
    region,
    settings: settings.environment,
    dbPort,
    tags,
  });
  const inventory = defineInventory(name, {
    settings,
    network,
    tagsOf: dataTagsOf(settings, tags),
    dbPort,
  });
  // A failed-back cluster comes without instances, as a restored one on the dr stack (stacks/restoredClusters.ts).
  defineRestoredClusterInstances(name, {
    region,
    data: settings.data,
    restoredData: settings.restoredData,
    network,
    restoredHere: (_, id) => isRestoredName(id, FAILED_BACK_NAME_PREFIXES),
    tags,
  });
  const appCredential = appDatabaseCredential(name, settings, inventory, tags);
  const served = servedData(settings.restoredData, inventory.entries, settings.restored);
  const servedSingle = singleAppData(served);
  const partition = validation.partitionOf(region);
  const dns = settings.environment.dns;
  const failoverSwitch = dns && defineFailoverSwitch(name, { drRegion: settings.drRegion, dns, tags });
  const firstEngine = databases[0]?.engine ?? settings.database.engine;
  const servers = defineServers(name, network, {
    dependsOn: [...inventory.mountTargets],
    // Held at zero by the failback while prod's data is older than DR's (scripts/recovery/failback/README.md).
    capacity: settings.holdServers ? ZERO_CAPACITY : settings.capacity,
    app: {
      ...Object.fromEntries(
        Object.entries(servedSingle).map(([key, value]) => [key, value.apply((known) => known ?? "")]),
      ),
      dbSecretId: appCredential.used,
      dbEngine: firstEngine,
      dataVariables: pulumi
        .all([served, appCredential.perDatabase])
        .apply(([entries, secrets]) => ({ ...dataVariables(entries), ...secrets })),
    },
    // Prod's own data, and by the failback's name prefixes what a failback restores: granted in advance, so
    // taking failed-back data (config, stacks/failedBack.ts) changes only the launch template.
    dataAccess: {
      bucketArns: [
        ...inventory.buckets.map((bucket) => bucket.arn),
        ...restoredNamePatterns(`arn:${partition}:s3:::`, "", FAILED_BACK_NAME_PREFIXES),
      ],
      tableArns: [
        ...inventory.tables.map((table) => table.arn),
        ...restoredNamePatterns(
          `arn:${partition}:dynamodb:${region}:*:table/`,
          "",
          FAILED_BACK_NAME_PREFIXES,
        ),
      ],
      secretArns: appCredential.readable,
      ...(inventory.fileSystems.length > 0 && {
        // Any file system of the region: a failed-back one has no name to grant by, as a volume.
        fileSystemArns: [`arn:${partition}:elasticfilesystem:${region}:*:file-system/*`],
      }),
      attachVolumes: true,
    },
    dns: dns &&
      failoverSwitch && { dns, failover: "PRIMARY", healthCheckId: failoverSwitch.primaryHealthCheckId },
  });
  const environment: Environment = { ...network, ...servers };
  if (needsSecretsManagerEndpoint(settings.environment)) {
    defineSecretsManagerEndpoint(name, environment);
  }

  const s3Entries = settings.data.filter((entry) => entry.kind === "s3");
  const replicated = inventory.buckets
    .filter((_, index) => s3Entries[index].replicate)
    .map((bucket) => bucket.bucket);
  const protectionOf = protectionArgs(settings, replicated);
  const protection = new BackupRestoreDR(name, protectionOf);
  defineBackupRegionSettings(name, region);
  const sources = replicatedBuckets(settings, replicated).map((bucket) => bucket.sourceBucket);

  const replicaBuckets = pulumi
    .all([pulumi.all(sources), protection.replicaBucketNames])
    .apply(([sourceNames, replicaNames]) =>
      Object.fromEntries(sourceNames.map((source, index) => [source, replicaNames[index]])),
    );
  const [database] = inventory.databases;
  const [cluster] = inventory.clusters;
  const [table] = inventory.tables;
  const [volume] = inventory.volumes;
  const [appBucket] = inventory.buckets;

  return {
    environment,
    inventory,
    protection,
    outputs: {
      role: "primary",
      region,
      drRegion: settings.drRegion,
      primaryVaultName: protection.primaryVaultName,
      primaryVaultArn: protection.primaryVaultArn,
      drVaultName: protection.drVaultName,
      drVaultArn: protection.drVaultArn,
      isolatedVaultName: protection.isolatedVaultName,
      isolatedVaultArn: protection.isolatedVaultArn,
      restoreTestingPlanArn: protection.restoreTestingPlanArn,
      backupRoleArn: protection.backupRoleArn,
      planId: protection.planId,
      replicaBuckets,
      replicaBucketArns: protection.replicaBucketArns,
      rpoMinutes: settings.objectives.rpoMinutes,
      rtoMinutes: settings.objectives.rtoMinutes,
      posture: protection.posture,
      drKeyArn: protection.drKeyArn,
      ...(appBucket && { appBucketName: appBucket.bucket }),
      ...(database
        ? { dbInstanceId: database.identifier, dbEndpoint: database.endpoint }
        : cluster && {
            dbInstanceId: cluster.clusterIdentifier,
            dbEndpoint: pulumi.interpolate`${cluster.endpoint}:${cluster.port}`,
          }),
      dbPort,
      ...(table && { tableName: table.name }),
      ...(volume && { volumeId: volume.id }),
      dataInventory: pulumi.all(inventory.entries.map((entry) => entry.inventory)),
      vpcId: environment.vpc.vpcId,
      availabilityZones: environment.availabilityZones,
      privateSubnetIds: environment.vpc.privateSubnetIds,
      appSecurityGroupId: environment.appSecurityGroup.id,
      dbSecurityGroupId: environment.dbSecurityGroup.id,
      dbSubnetGroupName: environment.dbSubnetGroup.name,
      loadBalancerDnsName: environment.loadBalancerDnsName,
      healthCheckUrl: environment.healthCheckUrl,
      compute: environment.computeOutput,
      ...(dns && { dnsName: dns.domainName }),
      ...(failoverSwitch && { failoverSwitch }),
      dbCredentialSecretArn: appCredential.failedBack.arn,
      dbCredentialSecretArns: pulumi.all(
        Object.fromEntries(
          Object.entries(appCredential.failedBackByDatabase).map(([database, secret]) => [
            database,
            secret.arn,
          ]),
        ),
      ),
      appDbSecretArn: appCredential.used,
      restoredDataPlan: restoredDataPlan(protectionOf),
      appData: servedSingle,
    },
  };
}

/** The database credential secrets of the prod stack, and the one its servers read. */
interface AppCredential {
  /** The failed-back database's credential, written by `dr failback`. */
  readonly failedBack: aws.secretsmanager.Secret;
  /** Each database's failed-back credential, by logical name (the first's is {@link failedBack}). */
  readonly failedBackByDatabase: Readonly<Record<string, aws.secretsmanager.Secret>>;
  /** The secret the servers read now: its name where known at preview (the failed-back one), else its ARN. */
  readonly used: pulumi.Output<string>;
  /** Every secret the servers may read: the failed-back one always, so taking failed-back data changes no IAM policy. */
  readonly readable: pulumi.Input<string>[];
  /** `APP_DATA_<NAME>_SECRET_ID` of each database of the inventory: its own secret, or its failed-back one. */
  readonly perDatabase: pulumi.Output<Record<string, string>>;
}

/** The secret RDS manages for a database or cluster (`manageMasterUserPassword`), "" until it exists. */
function managedSecretOf(resource: aws.rds.Instance | aws.rds.Cluster): pulumi.Output<string> {
  return resource.masterUserSecrets.apply((secrets) => secrets?.[0]?.secretArn ?? "");
}

/**
 * The servers read their credential from: the failed-back secret when they use a failed-back database
 * (the first database entry's `restoredData` id with `fb-`/`fbdrill-`); else, for prod's own database, the
 * secret RDS manages (`manageMasterUserPassword`, the default) or, with `dbPassword` set, a secret holding
 * it. Every one is in the primary region; a database restored in the DR region has its own credential there
 * (stacks/dr.ts). Each further database of the inventory is told its own managed secret.
 */
function appDatabaseCredential(
  name: string,
  settings: PrimarySettings,
  inventory: Inventory,
  tags: Record<string, string>,
): AppCredential {
  const region = settings.region;
  const db = settings.database;
  const databaseEntries = settings.data.filter((entry) => entry.kind === "rds" || entry.kind === "aurora");
  // One per database, created before any failback: taking failed-back data changes no secret and no grant.
  const failedBackSecrets = defineDatabaseCredentials(name, {
    region,
    role: "primary",
    tags,
    databases: databaseEntries.map((entry) => entry.name),
  });
  const failedBack = failedBackSecrets.first;
  const resources: (aws.rds.Instance | aws.rds.Cluster)[] = [];
  let rds = 0;
  let aurora = 0;
  for (const entry of databaseEntries) {
    resources.push(entry.kind === "rds" ? inventory.databases[rds++] : inventory.clusters[aurora++]);
  }
  const [firstEntry] = databaseEntries;
  let own: pulumi.Output<string> = pulumi.output("");
  if (firstEntry?.kind === "rds" && db.password !== undefined) {
    const ownSecret = new aws.secretsmanager.Secret(`${name}-db-password`, {
      region,
      namePrefix: `${pulumi.getProject()}-${pulumi.getStack()}-${name}-db-password-`,
      description: "dr-app primary: the configured master password of the stack's own database (dbPassword)",
      tags,
    });
    new aws.secretsmanager.SecretVersion(`${name}-db-password`, {
      region,
      secretId: ownSecret.id,
      secretString: pulumi.secret(
        pulumi.jsonStringify({
          username: firstEntry.username,
          password: db.password,
          engine: firstEntry.engine,
          dbname: firstEntry.dbName,
        }),
      ),
    });
    own = ownSecret.arn;
  } else if (resources.length > 0) {
    own = managedSecretOf(resources[0]);
  }
  const others = databaseEntries
    .slice(1)
    .map((entry, index) => ({ entry, secret: managedSecretOf(resources[index + 1]) }));
  const restoredId = firstEntry && settings.restoredData[firstEntry.name]?.id;
  const usesFailedBack = restoredId !== undefined && isRestoredName(restoredId, FAILED_BACK_NAME_PREFIXES);
  const used = usesFailedBack ? failedBack.name : own;
  // Each database's secret: its failed-back one (the failback writes it) once `restoredData` names a copy.
  const secretOf = (entry: DataEntrySettings, ownSecret: pulumi.Output<string>) =>
    ownServed(settings.restoredData, entry) ? ownSecret : failedBackSecrets.byDatabase[entry.name].name;
  const perDatabase = [
    ...(firstEntry ? [{ entry: firstEntry, secret: used }] : []),
    ...others.map((other) => ({ entry: other.entry, secret: secretOf(other.entry, other.secret) })),
  ];
  return {
    failedBack,
    failedBackByDatabase: failedBackSecrets.byDatabase,
    used,
    readable: [
      failedBack.arn,
      own,
      ...others.map((other) => other.secret),
      ...Object.values(failedBackSecrets.byDatabase)
        .filter((secret) => secret !== failedBack)
        .map((secret) => secret.arn),
    ],
    perDatabase: pulumi
      .all(perDatabase.map((database) => database.secret))
      .apply((secrets) =>
        Object.fromEntries(
          perDatabase.map(({ entry }, index) => [dataVariableName(entry.name, "SECRET_ID"), secrets[index]]),
        ),
      ),
  };
}
