// The prod stack's data inventory: each `data` entry created, tagged while served, and described for dataInventory.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  AuroraDataSettings,
  DataEntrySettings,
  DynamoDbDataSettings,
  EbsDataSettings,
  EfsDataSettings,
  PrimarySettings,
  efsThroughput,
  RdsDataSettings,
  S3DataSettings,
} from "./config";
import type { DataInventoryEntry, RestoredDataEntry } from "./drContract";
import { Network } from "./environment";
import { defineFileSystemAccess, defineMountTargets } from "./fileSystems";

/** One created entry: its settings, its resource and what the servers are told about it. */
export interface CreatedEntry {
  readonly settings: DataEntrySettings;
  /** The entry as the prod stack exports it (`dataInventory`). */
  readonly inventory: pulumi.Output<DataInventoryEntry>;
  /** Prod's own resource, in the shape of a restored one (id, endpoint, arn). */
  readonly own: pulumi.Output<RestoredDataEntry>;
}

/** What {@link defineInventory} created, by kind for the stack's single-resource outputs. */
export interface Inventory {
  readonly entries: readonly CreatedEntry[];
  readonly databases: readonly aws.rds.Instance[];
  readonly clusters: readonly aws.rds.Cluster[];
  readonly tables: readonly aws.dynamodb.Table[];
  readonly volumes: readonly aws.ebs.Volume[];
  readonly buckets: readonly aws.s3.Bucket[];
  readonly fileSystems: readonly aws.efs.FileSystem[];
  /** The NFS group of the file systems' mount targets, with a file system in the inventory. */
  readonly fileSystemAccess?: aws.ec2.SecurityGroup;
  /** Every mount target: of prod's own file systems and of failed-back ones. The servers wait for them. */
  readonly mountTargets: readonly aws.efs.MountTarget[];
}

/** Where and how the entries are created. */
export interface InventoryArgs {
  readonly settings: PrimarySettings;
  readonly network: Network;
  /** The tags of an entry: with the backup selection tag while the servers use it. */
  readonly tagsOf: (entry: DataEntrySettings) => Record<string, string>;
  /** The database port every database entry listens on. */
  readonly dbPort: number;
}

/** `<name>-<entry>`: the example's entries keep their resource names (`app-db`, `app-table`, ...). */
function resourceName(name: string, entry: DataEntrySettings): string {
  return `${name}-${entry.name}`;
}

/** Describes one resource for `dataInventory` and the servers. */
function describe(
  entry: DataEntrySettings,
  sourceArn: pulumi.Output<string>,
  sourceId: pulumi.Output<string>,
  endpoint?: pulumi.Output<string>,
): CreatedEntry {
  return {
    settings: entry,
    inventory: pulumi.all([sourceArn, sourceId]).apply(([arn, id]) => ({
      name: entry.name,
      kind: entry.kind,
      sourceArn: arn,
      sourceId: id,
      ...(entry.kind === "efs" && { throughput: efsThroughput(entry) }),
    })),
    own: pulumi.all([sourceArn, sourceId, endpoint]).apply(([arn, id, host]) => ({
      kind: entry.kind,
      id,
      arn,
      ...(host !== undefined && { endpoint: host }),
    })),
  };
}

/**
 * Creates every entry of the inventory in prod's region, in the order of `data`: RDS instances and Aurora
 * clusters in the private subnets behind the database security group, with the plan's windows; DynamoDB
 * tables on demand with point-in-time recovery; EBS volumes in the first AZ; EFS file systems with a mount
 * target in each private subnet (and one for a failed-back copy `restoredData` names); S3 buckets with public access blocked. All encrypted, kept by `retainData`.
 */
/** The key of the databases and volumes: a customer managed key's ARN, or none (the AWS managed key). */
type DataEncryption = { readonly kmsKeyId?: pulumi.Output<string> };

/**
 * With `customerManagedDataKey`, a customer managed key (yearly rotation, kept like the data) for the
 * inventory's RDS, Aurora and EBS resources, so AWS Backup can copy them into the isolated vault (AWS
 * Backup developer guide, "Logically air-gapped vault", Compatible encryption). RDS and EBS take the key
 * only at creation: turning it on replaces existing resources (terraform-provider-aws: `kms_key_id` forces
 * a new instance, cluster and volume).
 */
function dataEncryption(
  name: string,
  settings: PrimarySettings,
  tags: Record<string, string>,
  keep: pulumi.CustomResourceOptions,
): DataEncryption {
  if (!settings.customerManagedDataKey) return {};
  const key = new aws.kms.Key(
    `${name}-data-key`,
    {
      region: settings.region,
      description: `${name}: the inventory's databases and volumes (customer managed, for the isolated vault)`,
      enableKeyRotation: true,
      tags,
    },
    keep,
  );
  return { kmsKeyId: key.arn };
}

export function defineInventory(name: string, args: InventoryArgs): Inventory {
  const { settings, network } = args;
  const keep: pulumi.CustomResourceOptions = { retainOnDelete: settings.retainData };
  const encryption = dataEncryption(name, settings, network.args.tags, keep);
  const created: CreatedEntry[] = [];
  const databases: aws.rds.Instance[] = [];
  const clusters: aws.rds.Cluster[] = [];
  const tables: aws.dynamodb.Table[] = [];
  const volumes: aws.ebs.Volume[] = [];
  const buckets: aws.s3.Bucket[] = [];
  const fileSystems: aws.efs.FileSystem[] = [];
  const mountTargets: aws.efs.MountTarget[] = [];
  const efsEntries = settings.data.filter((entry) => entry.kind === "efs");
  const fileSystemAccess =
    efsEntries.length > 0 ? defineFileSystemAccess(name, network, network.args.tags) : undefined;
  for (const entry of settings.data) {
    const tags = args.tagsOf(entry);
    switch (entry.kind) {
      case "s3": {
        const bucket = defineBucket(name, entry, settings.region, tags, keep);
        buckets.push(bucket);
        created.push(describe(entry, bucket.arn, bucket.bucket));
        break;
      }
      case "dynamodb": {
        const table = defineTable(name, entry, settings, tags, keep);
        tables.push(table);
        created.push(describe(entry, table.arn, table.name));
        break;
      }
      case "rds": {
        const database = defineDatabase(name, entry, args, databases.length === 0, tags, keep, encryption);
        databases.push(database);
        created.push(describe(entry, database.arn, database.identifier, database.endpoint));
        break;
      }
      case "aurora": {
        const cluster = defineCluster(name, entry, args, tags, keep, encryption);
        clusters.push(cluster);
        created.push(
          describe(
            entry,
            cluster.arn,
            cluster.clusterIdentifier,
            pulumi.interpolate`${cluster.endpoint}:${cluster.port}`,
          ),
        );
        break;
      }
      case "ebs": {
        const volume = defineVolume(name, entry, settings, network, tags, keep, encryption);
        volumes.push(volume);
        created.push(describe(entry, volume.arn, volume.id));
        break;
      }
      case "efs": {
        const fileSystem = defineFileSystem(name, entry, settings, tags, keep);
        mountTargets.push(
          ...defineMountTargets(resourceName(name, entry), {
            region: settings.region,
            fileSystemId: fileSystem.id,
            network,
            securityGroupId: fileSystemAccess!.id,
          }),
        );
        // A failback's copy is a new file system without mount targets (stacks/fileSystems.ts): placed too.
        const failedBack = settings.restoredData[entry.name];
        if (failedBack?.kind === "efs") {
          mountTargets.push(
            ...defineMountTargets(`${resourceName(name, entry)}-failed-back`, {
              region: settings.region,
              fileSystemId: failedBack.id,
              network,
              securityGroupId: fileSystemAccess!.id,
            }),
          );
        }
        fileSystems.push(fileSystem);
        created.push(describe(entry, fileSystem.arn, fileSystem.id));
        break;
      }
    }
  }
  return {
    entries: created,
    databases,
    clusters,
    tables,
    volumes,
    buckets,
    fileSystems,
    fileSystemAccess,
    mountTargets,
  };
}

function defineBucket(
  name: string,
  entry: S3DataSettings,
  region: string,
  tags: Record<string, string>,
  keep: pulumi.CustomResourceOptions,
): aws.s3.Bucket {
  const bucket = new aws.s3.Bucket(
    resourceName(name, entry),
    { region, ...(entry.bucketName !== undefined && { bucket: entry.bucketName }), tags },
    keep,
  );
  new aws.s3.BucketPublicAccessBlock(`${resourceName(name, entry)}-public-access-block`, {
    region,
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  return bucket;
}

function defineTable(
  name: string,
  entry: DynamoDbDataSettings,
  settings: PrimarySettings,
  tags: Record<string, string>,
  keep: pulumi.CustomResourceOptions,
): aws.dynamodb.Table {
  const keys = [entry.hashKey, ...(entry.rangeKey !== undefined ? [entry.rangeKey] : [])];
  return new aws.dynamodb.Table(
    resourceName(name, entry),
    {
      region: settings.region,
      billingMode: "PAY_PER_REQUEST",
      hashKey: entry.hashKey,
      ...(entry.rangeKey !== undefined && { rangeKey: entry.rangeKey }),
      attributes: keys.map((key) => ({ name: key, type: "S" })),
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: settings.retainData,
      tags,
    },
    keep,
  );
}

/**
 * Where a database entry (an RDS instance, an Aurora cluster) listens: the port every database entry shares,
 * in the network's DB subnet group, behind its database security group.
 */
function databaseNetwork(args: InventoryArgs) {
  const { network } = args;
  return {
    port: args.dbPort,
    dbSubnetGroupName: network.dbSubnetGroup.name,
    vpcSecurityGroupIds: [network.dbSecurityGroup.id],
  };
}

/**
 * What a database entry (an RDS instance, an Aurora cluster) keeps when it is deleted: while the stack
 * retains its data, deletion protection and a final snapshot named `<project>-<stack>-<entry>-final`;
 * otherwise neither.
 */
function databaseRetention(settings: PrimarySettings, entry: RdsDataSettings | AuroraDataSettings) {
  return {
    deletionProtection: settings.retainData,
    skipFinalSnapshot: !settings.retainData,
    ...(settings.retainData && {
      finalSnapshotIdentifier: `${settings.project}-${settings.stack}-${entry.name}-final`,
    }),
  };
}

/** An RDS instance; the first takes `dbPassword` when set, every other lets RDS manage its password. */
function defineDatabase(
  name: string,
  entry: RdsDataSettings,
  args: InventoryArgs,
  first: boolean,
  tags: Record<string, string>,
  keep: pulumi.CustomResourceOptions,
  encryption: DataEncryption,
): aws.rds.Instance {
  const { settings } = args;
  const password = first ? settings.database.password : undefined;
  return new aws.rds.Instance(
    resourceName(name, entry),
    {
      region: settings.region,
      engine: entry.engine,
      engineVersion: entry.engineVersion,
      instanceClass: entry.instanceClass,
      allocatedStorage: entry.allocatedStorage,
      storageType: "gp3",
      storageEncrypted: true,
      ...encryption,
      multiAz: entry.multiAz,
      dbName: entry.dbName,
      username: entry.username,
      ...(password !== undefined
        ? { password: pulumi.secret(password) }
        : { manageMasterUserPassword: true }),
      ...databaseNetwork(args),
      publiclyAccessible: false,
      backupRetentionPeriod: 7,
      // Chosen from the plan: RDS would otherwise draw them in an 8-hour block (03:00-11:00 UTC in
      // us-east-1) that may swallow a rule's start window, and AWS Backup would skip that run.
      backupWindow: settings.databaseWindows.backupWindow,
      maintenanceWindow: settings.databaseWindows.maintenanceWindow,
      copyTagsToSnapshot: true,
      ...databaseRetention(settings, entry),
      tags,
    },
    keep,
  );
}

/**
 * An Aurora cluster and its instances. AWS Backup backs up and records the cluster (its ARN is the
 * recovery point's ResourceArn), never the instances: AWS Backup developer guide, "Amazon Aurora backups".
 */
function defineCluster(
  name: string,
  entry: AuroraDataSettings,
  args: InventoryArgs,
  tags: Record<string, string>,
  keep: pulumi.CustomResourceOptions,
  encryption: DataEncryption,
): aws.rds.Cluster {
  const { settings, network } = args;
  const cluster = new aws.rds.Cluster(
    resourceName(name, entry),
    {
      region: settings.region,
      engine: entry.engine,
      engineVersion: entry.engineVersion,
      databaseName: entry.dbName,
      masterUsername: entry.username,
      manageMasterUserPassword: true,
      ...databaseNetwork(args),
      storageEncrypted: true,
      ...encryption,
      backupRetentionPeriod: 7,
      preferredBackupWindow: settings.databaseWindows.backupWindow,
      preferredMaintenanceWindow: settings.databaseWindows.maintenanceWindow,
      copyTagsToSnapshot: true,
      ...databaseRetention(settings, entry),
      tags,
    },
    keep,
  );
  for (let index = 0; index < entry.instances; index++) {
    new aws.rds.ClusterInstance(
      `${resourceName(name, entry)}-${index + 1}`,
      {
        region: settings.region,
        clusterIdentifier: cluster.id,
        engine: entry.engine,
        engineVersion: entry.engineVersion,
        instanceClass: entry.instanceClass,
        dbSubnetGroupName: network.dbSubnetGroup.name,
        publiclyAccessible: false,
        tags,
      },
      keep,
    );
  }
  return cluster;
}

function defineVolume(
  name: string,
  entry: EbsDataSettings,
  settings: PrimarySettings,
  network: Network,
  tags: Record<string, string>,
  keep: pulumi.CustomResourceOptions,
  encryption: DataEncryption,
): aws.ebs.Volume {
  return new aws.ebs.Volume(
    resourceName(name, entry),
    {
      region: settings.region,
      availabilityZone: network.availabilityZones[0],
      size: entry.sizeGiB,
      type: "gp3",
      encrypted: true,
      ...encryption,
      tags,
    },
    keep,
  );
}

function defineFileSystem(
  name: string,
  entry: EfsDataSettings,
  settings: PrimarySettings,
  tags: Record<string, string>,
  keep: pulumi.CustomResourceOptions,
): aws.efs.FileSystem {
  return new aws.efs.FileSystem(
    resourceName(name, entry),
    {
      region: settings.region,
      encrypted: true,
      performanceMode: entry.performanceMode,
      throughputMode: entry.throughputMode,
      ...(entry.provisionedThroughputInMibps !== undefined && {
        provisionedThroughputInMibps: entry.provisionedThroughputInMibps,
      }),
      tags: { ...tags, Name: `${settings.project}-${settings.stack}-${entry.name}` },
    },
    keep,
  );
}
