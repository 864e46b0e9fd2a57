// The prod stack: the environment, the data it protects, BackupRestoreDR, and its outputs for the dr stack.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupRestoreDR, DrPosture, validation } from "@restorekit/backup-restore-dr";
import { DatabaseSettings, PrimarySettings, stackTags, ZERO_CAPACITY } from "./config";
import { defineDatabaseCredential, defineSecretsManagerEndpoint } from "./databaseCredential";
import { needsSecretsManagerEndpoint } from "./interfaceEndpoints";
import { defineFailoverSwitch, FailoverSwitchOutputs } from "./dnsFailover";
import { defineNetwork, defineServers, Environment } from "./environment";
import { BACKUP_TAG, protectionArgs, replicatedBuckets } from "./protection";
import { AppData, appData, ownServed } from "./failedBack";
import { RestoredDataPlan, restoredDataPlan } from "./restoredDataProtection";
import { defineBackupRegionSettings } from "./regionSettings";
import { FAILED_BACK_NAME_PREFIXES, isRestoredName, restoredNamePatterns } from "./restoredNames";

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
  readonly backupRoleArn: pulumi.Output<string>;
  readonly planId: pulumi.Output<string>;
  /** Source bucket name -> replica bucket name in the DR region. */
  readonly replicaBuckets: pulumi.Output<Record<string, string>>;
  readonly replicaBucketArns: pulumi.Output<string[]>;
  readonly rpoMinutes: number;
  readonly rtoMinutes: number;
  /** Worst-case RPO per region, retention, cold storage, copies, lock (from BackupRestoreDR). */
  readonly posture: pulumi.Output<DrPosture>;
  /** KMS key of the DR vault and the replicas: the dr stack's servers decrypt replicas with it. */
  readonly drKeyArn: pulumi.Output<string>;
  readonly appBucketName: pulumi.Output<string>;
  readonly dbInstanceId: pulumi.Output<string>;
  readonly dbEndpoint: pulumi.Output<string>;
  /** The database port: the dr stack opens it in its database security group. */
  readonly dbPort: number;
  readonly tableName: pulumi.Output<string>;
  readonly volumeId: pulumi.Output<string>;
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
  readonly database: aws.rds.Instance;
  readonly table: aws.dynamodb.Table;
  readonly volume: aws.ebs.Volume;
  readonly appBucket: aws.s3.Bucket;
  readonly protection: BackupRestoreDR;
  readonly outputs: PrimaryStackOutputs;
}

/**
 * The prod stack: the environment at its configured capacity, the data the guide protects (an RDS
 * database, a DynamoDB table, an EBS volume and an S3 bucket, each tagged `backup=true` while the servers use
 * it rather than a failed-back copy), and
 * BackupRestoreDR protecting them with the configured plan, copying to the DR region and replicating the
 * application bucket there.
 */
export function definePrimary(settings: PrimarySettings): PrimaryStack {
  const name = "app";
  const region = settings.region;
  const tags = stackTags(settings);
  // Only the data the servers use carries the selection tag: after a failback prod runs on the `fb-` copies
  // (tagged by the failback), and its pre-disaster resources, kept, must stop being backed up, or the next
  // recovery would restore their stale data (stacks/README.md, "After a failback").
  const served = ownServed(settings.restored);
  const dataTags = (isServed: boolean) => (isServed ? { ...tags, ...BACKUP_TAG } : tags);
  const keep: pulumi.CustomResourceOptions = { retainOnDelete: settings.retainData };
  const db = settings.database;
  const dbPort = DB_PORTS[db.engine];

  const appBucket = new aws.s3.Bucket(
    `${name}-bucket`,
    {
      region,
      ...(settings.appBucketName !== undefined && { bucket: settings.appBucketName }),
      tags: dataTags(served.bucket),
    },
    keep,
  );
  new aws.s3.BucketPublicAccessBlock(`${name}-bucket-public-access-block`, {
    region,
    bucket: appBucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const table = new aws.dynamodb.Table(
    `${name}-table`,
    {
      region,
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      rangeKey: "sk",
      attributes: [
        { name: "pk", type: "S" },
        { name: "sk", type: "S" },
      ],
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: settings.retainData,
      tags: dataTags(served.table),
    },
    keep,
  );

  const network = defineNetwork(name, {
    role: "primary",
    region,
    settings: settings.environment,
    dbPort,
    tags,
  });

  const database = new aws.rds.Instance(
    `${name}-db`,
    {
      region,
      engine: db.engine,
      engineVersion: db.engineVersion,
      instanceClass: db.instanceClass,
      allocatedStorage: db.allocatedStorage,
      storageType: "gp3",
      storageEncrypted: true,
      multiAz: db.multiAz,
      dbName: db.name,
      username: db.username,
      ...(db.password !== undefined
        ? { password: pulumi.secret(db.password) }
        : { manageMasterUserPassword: true }),
      port: dbPort,
      dbSubnetGroupName: network.dbSubnetGroup.name,
      vpcSecurityGroupIds: [network.dbSecurityGroup.id],
      publiclyAccessible: false,
      backupRetentionPeriod: 7,
      // Chosen from the plan: RDS would otherwise draw them in an 8-hour block (03:00-11:00 UTC in
      // us-east-1) that may swallow a rule's start window, and AWS Backup would skip that run.
      backupWindow: settings.databaseWindows.backupWindow,
      maintenanceWindow: settings.databaseWindows.maintenanceWindow,
      copyTagsToSnapshot: true,
      deletionProtection: settings.retainData,
      skipFinalSnapshot: !settings.retainData,
      ...(settings.retainData && {
        finalSnapshotIdentifier: `${settings.project}-${settings.stack}-db-final`,
      }),
      tags: dataTags(served.db),
    },
    keep,
  );
  const appCredential = appDatabaseCredential(name, settings, database, tags);
  const volume = new aws.ebs.Volume(
    `${name}-volume`,
    {
      region,
      availabilityZone: network.availabilityZones[0],
      size: settings.volumeSizeGiB,
      type: "gp3",
      encrypted: true,
      tags: dataTags(served.volume),
    },
    keep,
  );
  const servedData = appData(settings.restored, {
    dbEndpoint: database.endpoint,
    dbInstanceId: database.identifier,
    tableName: table.name,
    bucketName: appBucket.bucket,
    volumeId: volume.id,
  });
  const partition = validation.partitionOf(region);
  const dns = settings.environment.dns;
  const failoverSwitch = dns && defineFailoverSwitch(name, { drRegion: settings.drRegion, dns, tags });
  const servers = defineServers(name, network, {
    // Held at zero by the failback while prod's data is older than DR's (scripts/recovery/failback/README.md).
    capacity: settings.holdServers ? ZERO_CAPACITY : settings.capacity,
    app: { ...servedData, dbSecretId: appCredential.used, dbEngine: db.engine },
    // Prod's own data, and by the failback's name prefixes what a failback restores: granted in advance, so
    // taking failed-back data (config, stacks/failedBack.ts) changes only the launch template.
    dataAccess: {
      bucketArns: [
        appBucket.arn,
        ...restoredNamePatterns(`arn:${partition}:s3:::`, "", FAILED_BACK_NAME_PREFIXES),
      ],
      tableArns: [
        table.arn,
        ...restoredNamePatterns(
          `arn:${partition}:dynamodb:${region}:*:table/`,
          "",
          FAILED_BACK_NAME_PREFIXES,
        ),
      ],
      secretArns: appCredential.readable,
      attachVolumes: true,
    },
    dns: dns &&
      failoverSwitch && { dns, failover: "PRIMARY", healthCheckId: failoverSwitch.primaryHealthCheckId },
  });
  const environment: Environment = { ...network, ...servers };
  if (needsSecretsManagerEndpoint(settings.environment)) {
    defineSecretsManagerEndpoint(name, environment);
  }

  const protectionOf = protectionArgs(settings, appBucket.bucket);
  const protection = new BackupRestoreDR(name, protectionOf);
  defineBackupRegionSettings(name, region);
  const sources = replicatedBuckets(settings, appBucket.bucket).map((bucket) => bucket.sourceBucket);

  const replicaBuckets = pulumi
    .all([pulumi.all(sources), protection.replicaBucketNames])
    .apply(([sourceNames, replicaNames]) =>
      Object.fromEntries(sourceNames.map((source, index) => [source, replicaNames[index]])),
    );

  return {
    environment,
    database,
    table,
    volume,
    appBucket,
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
      backupRoleArn: protection.backupRoleArn,
      planId: protection.planId,
      replicaBuckets,
      replicaBucketArns: protection.replicaBucketArns,
      rpoMinutes: settings.objectives.rpoMinutes,
      rtoMinutes: settings.objectives.rtoMinutes,
      posture: protection.posture,
      drKeyArn: protection.drKeyArn,
      appBucketName: appBucket.bucket,
      dbInstanceId: database.identifier,
      dbEndpoint: database.endpoint,
      dbPort,
      tableName: table.name,
      volumeId: volume.id,
      vpcId: environment.vpc.vpcId,
      availabilityZones: environment.availabilityZones,
      privateSubnetIds: environment.vpc.privateSubnetIds,
      appSecurityGroupId: environment.appSecurityGroup.id,
      dbSecurityGroupId: environment.dbSecurityGroup.id,
      dbSubnetGroupName: environment.dbSubnetGroup.name,
      loadBalancerDnsName: environment.loadBalancerDnsName,
      healthCheckUrl: environment.healthCheckUrl,
      ...(dns && { dnsName: dns.domainName }),
      ...(failoverSwitch && { failoverSwitch }),
      dbCredentialSecretArn: appCredential.failedBack.arn,
      appDbSecretArn: appCredential.used,
      restoredDataPlan: restoredDataPlan(protectionOf),
      appData: servedData,
    },
  };
}

/** The database credential secrets of the prod stack, and the one its servers read. */
interface AppCredential {
  /** The failed-back database's credential, written by `dr failback`. */
  readonly failedBack: aws.secretsmanager.Secret;
  /** The secret the servers read now: its name where known at preview (the failed-back one), else its ARN. */
  readonly used: pulumi.Output<string>;
  /** Every secret the servers may read: the failed-back one always, so taking failed-back data changes no IAM policy. */
  readonly readable: pulumi.Input<string>[];
}

/**
 * The servers read their credential from: the failed-back secret when they use a failed-back database
 * (`restoredDbInstanceId` with `fb-`/`fbdrill-`); else, for prod's own database, the secret RDS manages
 * (`manageMasterUserPassword`, the default) or, with `dbPassword` set, a secret holding it. Every one is in
 * the primary region; a database restored in the DR region has its own credential there (stacks/dr.ts).
 */
function appDatabaseCredential(
  name: string,
  settings: PrimarySettings,
  database: aws.rds.Instance,
  tags: Record<string, string>,
): AppCredential {
  const region = settings.region;
  const db = settings.database;
  const failedBack = defineDatabaseCredential(name, { region, role: "primary", tags });
  let own: pulumi.Output<string>;
  if (db.password === undefined) {
    own = database.masterUserSecrets.apply((secrets) => secrets?.[0]?.secretArn ?? "");
  } else {
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
          username: db.username,
          password: db.password,
          engine: db.engine,
          dbname: db.name,
        }),
      ),
    });
    own = ownSecret.arn;
  }
  const restoredId = settings.restored.dbInstanceId;
  const usesFailedBack = restoredId !== undefined && isRestoredName(restoredId, FAILED_BACK_NAME_PREFIXES);
  return {
    failedBack,
    used: usesFailedBack ? failedBack.name : own,
    readable: [failedBack.arn, own],
  };
}
