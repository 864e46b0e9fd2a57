// The dr stack outputs the recovery CLI reads and what it sets after a restore, as plain types.
import type { RtoForecast } from "@restorekit/backup-restore-dr";
import type { DrMode } from "./config/schema";

/**
 * The dr stack outputs the recovery CLI reads (docs/CONTRACTS.md), as plain values. stacks/dr.ts exports
 * them and scripts/recovery/drStack.ts reads them; this module holds only types, so the scripts take the shape from
 * here without loading the program that registers the resources.
 */
export interface DrContractOutputs {
  readonly role: "dr";
  readonly mode: DrMode;
  readonly region: string;
  readonly primaryRegion: string;
  readonly drVaultName: string;
  readonly primaryVaultName: string;
  /** The logically air-gapped vault in the DR region (issue: isolated copy), absent when isolation is off. */
  readonly isolatedVaultName?: string;
  /** The logically air-gapped vault in the DR region (issue: isolated copy), absent when isolation is off. */
  readonly isolatedVaultArn?: string;
  /**
   * Prod's restore testing plan in the DR region (the component's `restoreTestingPlanArn`): `dr status`
   * measures only its restore jobs. Absent when prod runs no restore testing.
   */
  readonly restoreTestingPlanArn?: string;
  readonly backupRoleArn: string;
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  readonly availabilityZones: string[];
  readonly appSecurityGroupId: string;
  readonly dbSecurityGroupId: string;
  readonly dbSubnetGroupName: string;
  readonly loadBalancerDnsName: string;
  readonly healthCheckUrl: string;
  /** What runs the application, and how the recovery CLI finds it (scripts/recovery/compute/). */
  readonly compute: ComputeOutput;
  readonly rpoMinutes: number;
  readonly rtoMinutes: number;
  /**
   * Prod's RTO forecast (its posture's `rtoForecast`) with the inputs it was computed from: `dr status`
   * calibrates it with measured restores. Absent when prod declares no forecast.
   */
  readonly rtoForecast: RtoForecast | undefined;
  /** Source bucket name -> replica bucket name, as the prod stack reports it. */
  readonly replicaBuckets: Record<string, string>;
  /**
   * ARN of the stack's Secrets Manager secret, in its own region, holding the application's database
   * credential: the recovery CLI (a failback on prod's) writes it after restoring the database, the
   * servers read it (stacks/databaseCredential.ts).
   */
  readonly dbCredentialSecretArn: string;
  /**
   * Logical name -> ARN of its credential secret, for every database (`rds`, `aurora`) of the stack's `data`:
   * the recovery CLI writes each restored database's credential into its own entry's secret (the first
   * database's is `dbCredentialSecretArn`), the servers read it by `APP_DATA_<NAME>_SECRET_ID`. Read as {}
   * when absent (a stack deployed before it exported it).
   */
  readonly dbCredentialSecretArns: Record<string, string>;
  /** What the CLI sets on what it restores, so that it is protected as prod's own data is. */
  readonly restoredSettings: RestoredSettings;
  /**
   * The data prod's servers use, as the prod stack reported it (its `appData`) at this stack's last update:
   * after a failback, whose last step updates this stack, the `fb-` copies. A recovery wires these over the
   * resources they replaced, the volume too, whose copy has no name to tell it by. Absent from a prod stack
   * that does not report it (the recovery then asks for `--app-resource` between two candidates).
   */
  readonly primaryAppData: PrimaryAppData;
  /**
   * The application's data inventory as the prod stack declares and exports it (its `dataInventory`), read
   * at this stack's last update: what a recovery restores and wires, one entry per resource. Empty from a
   * prod stack that does not export it.
   */
  readonly dataInventory: DataInventoryEntry[];
}

/** The kinds of application data the inventory holds; scripts/recovery/resources/ has a module for each. */
export type DataKind = "rds" | "aurora" | "dynamodb" | "ebs" | "efs" | "s3";

/**
 * One resource of the application's data inventory, as the prod stack exports it (`dataInventory`) and the
 * dr stack re-exports it. The recovery CLI maps each recovery point to its entry by `sourceArn`.
 */
export interface DataInventoryEntry {
  /**
   * The logical name, unique in the inventory (`[a-z][a-z0-9-]{0,30}`), e.g. `orders-db`: the servers'
   * variables and the restored resources' config entries are named after it.
   */
  readonly name: string;
  readonly kind: DataKind;
  /**
   * The resource's ARN as AWS Backup records it in a recovery point's `ResourceArn` (RDS instance or
   * Aurora cluster, DynamoDB table, EBS volume, EFS file system, `arn:aws:s3:::<bucket>`).
   */
  readonly sourceArn: string;
  /** Its identifier in its service: instance or cluster identifier, table name, volume id, file system id, bucket. */
  readonly sourceId: string;
  /**
   * An EFS file system's declared throughput (the entry's `throughputMode` and, when `provisioned`,
   * `provisionedThroughputInMibps`): no restore metadata key carries it, so the recovery CLI sets it on the
   * restored file system (EFS UpdateFileSystem). Absent for the other kinds, and from a prod stack deployed
   * before it was exported (the restored file system then keeps the mode AWS Backup gave it).
   */
  readonly throughput?: EfsThroughput;
}

/** An EFS file system's throughput mode, as CreateFileSystem and UpdateFileSystem take it (EFS API reference). */
export interface EfsThroughput {
  readonly mode: "bursting" | "elastic" | "provisioned";
  /** MiB/s, with mode `provisioned` only (UpdateFileSystem ProvisionedThroughputInMibps). */
  readonly provisionedMibps?: number;
}

/**
 * What a recovery (on dr) or a failback (on prod) restored for one inventory entry: the stack's structured
 * config value `restoredData` maps each logical name to one of these.
 */
export interface RestoredDataEntry {
  readonly kind: DataKind;
  /** The restored resource's identifier: instance or cluster identifier, table name, volume id, file system id, bucket. */
  readonly id: string;
  /** A database's `host:port` (rds, aurora). */
  readonly endpoint?: string;
  /** The restored resource's ARN, when its service gives one. */
  readonly arn?: string;
}

/** The `restoredData` config value: logical name (a {@link DataInventoryEntry.name}) -> what was restored for it. */
export type RestoredData = Readonly<Record<string, RestoredDataEntry>>;

/** Identifiers of the data prod's servers use (the prod stack's `appData` output, stacks/failedBack.ts). */
export interface PrimaryAppData {
  readonly dbEndpoint?: string;
  readonly dbInstanceId?: string;
  readonly tableName?: string;
  readonly bucketName?: string;
  readonly volumeId?: string;
}

/**
 * Prod's settings a restored resource does not bring back by itself, which the recovery CLI sets after a
 * restore of prod's data (a recovery's in DR, a failback's in prod): the selection tags (a restored DynamoDB
 * table carries no tags, AWS Backup developer guide "Restore a backup by resource type", Copy tags during a
 * restore) and the databases' windows (`PreferredBackupWindow` is not a restore key: RDS picks one at random).
 */
export interface RestoredSettings {
  /** Prod's backup selection tags, e.g. `{ backup: "true" }`. */
  readonly selectionTags: Record<string, string>;
  /** Prod's databases' daily backup window (`hh24:mi-hh24:mi` UTC); absent when prod does not report it. */
  readonly backupWindow?: string;
  /** Prod's databases' weekly maintenance window (`ddd:hh24:mi-ddd:hh24:mi` UTC); absent likewise. */
  readonly maintenanceWindow?: string;
}

/** The outputs the program knows from its config alone; the others come from resources or from prod. */
export type DrOutputsFromConfig = "role" | "mode" | "region" | "primaryRegion";

/** The list and map outputs: the recovery CLI reads them as empty, never absent, on a half-built stack. */
export type DrCollectionOutputs =
  "privateSubnetIds" | "publicSubnetIds" | "availabilityZones" | "replicaBuckets" | "dataInventory";

/**
 * The `compute` output of both stacks: the Auto Scaling group of the application's servers, or its ECS
 * service. The recovery CLI scales, freezes and watches it through scripts/recovery/compute/<kind>.ts.
 */
export type ComputeOutput =
  | { readonly kind: "autoscaling"; readonly groupName: string }
  | {
      readonly kind: "ecs";
      readonly clusterName: string;
      readonly serviceName: string;
      /**
       * The load balancer's target group the service's tasks register in: the freeze and the rollout
       * read its targets' health. Absent from a stack deployed before it was output: ECS alone is read.
       */
      readonly targetGroupArn?: string;
    };
