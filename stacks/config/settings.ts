/** The typed, validated settings of a `dr-app` stack: what the readers return and the program builds from. */
import {
  BackupPlanArgs,
  BackupPlanName,
  DatabaseWindowsArgs,
  IsolationArgs,
  ObjectiveEnforcement,
  VaultLockArgs,
} from "@restorekit/backup-restore-dr";
import type { RestoredData } from "../drContract";
import type { DrMode } from "./schema";

/** How many NAT gateways the VPC gets (awsx's strategies). */
export type NatGatewayStrategy = "None" | "Single" | "OnePerAz";

/** Number of application servers: the Auto Scaling group's bounds. */
export interface Capacity {
  readonly minSize: number;
  readonly desiredCapacity: number;
  readonly maxSize: number;
}

/** Zero: what a dr stack in standby runs. */
export const ZERO_CAPACITY: Capacity = { minSize: 0, desiredCapacity: 0, maxSize: 0 };

/** The public DNS name and its hosted zone. */
export interface DnsSettings {
  /** Route 53 hosted zone id, e.g. `Z0123456789ABCDEFGHIJ`. */
  readonly zoneId: string;
  /** Record name, e.g. `api.example.com`. */
  readonly domainName: string;
}

/** The network and compute both stacks build, in their own region. */
export interface EnvironmentSettings {
  /** CIDR block of the VPC. @default "10.0.0.0/16" */
  readonly vpcCidr: string;
  /** The two availability zones; empty: the region's first two. @default [] */
  readonly availabilityZones: readonly string[];
  /** NAT gateways of the VPC; always `None` on a dr stack. @default "Single" */
  readonly natGateways: NatGatewayStrategy;
  /**
   * Interface endpoints for Session Manager and CloudWatch Logs in the private subnets, billed per
   * endpoint and AZ-hour. @default false
   */
  readonly interfaceEndpoints: boolean;
  /** Instance type of the application servers. @default "t3.small" */
  readonly instanceType: string;
  /** AMI id or `resolve:ssm:` parameter. @default the latest Amazon Linux 2023 (SSM public parameter) */
  readonly amiId: string;
  /** Port the application listens on. @default 80 */
  readonly appPort: number;
  /** Health check path. @default "/health" */
  readonly healthCheckPath: string;
  /** What runs the application (`compute`): an Auto Scaling group or an ECS Fargate service. @default "autoscaling" */
  readonly compute: ComputeKind;
  /** The container image of an ECS service (`containerImage`). @default the Python 3.12 image of ECR Public */
  readonly containerImage: string;
  /** Public DNS name; unset: no record. @default unset */
  readonly dns?: DnsSettings;
}

/** An RDS instance of the inventory; unset settings come from the `db*` keys. */
export interface RdsDataSettings {
  readonly name: string;
  readonly kind: "rds";
  /** @default dbEngine ("postgres") */
  readonly engine: DatabaseSettings["engine"];
  /** @default dbEngineVersion ("16") */
  readonly engineVersion: string;
  /** @default dbInstanceClass ("db.t3.medium") */
  readonly instanceClass: string;
  /** GiB. @default dbAllocatedStorage (20) */
  readonly allocatedStorage: number;
  /** @default dbMultiAz (false) */
  readonly multiAz: boolean;
  /** @default dbName ("app") */
  readonly dbName: string;
  /** @default dbUsername ("appadmin") */
  readonly username: string;
}

/** An Aurora cluster of the inventory, with its instances. */
export interface AuroraDataSettings {
  readonly name: string;
  readonly kind: "aurora";
  /** Required: `aurora-postgresql` or `aurora-mysql`. */
  readonly engine: "aurora-postgresql" | "aurora-mysql";
  /** @default "16" (aurora-postgresql), "8.0" (aurora-mysql) */
  readonly engineVersion: string;
  /** @default "db.r6g.large" */
  readonly instanceClass: string;
  /** Number of cluster instances. @default 1 */
  readonly instances: number;
  /** @default "app" */
  readonly dbName: string;
  /** @default "appadmin" */
  readonly username: string;
}

/** A DynamoDB table of the inventory (on-demand, point-in-time recovery). */
export interface DynamoDbDataSettings {
  readonly name: string;
  readonly kind: "dynamodb";
  /** Partition key attribute (a string). Required. */
  readonly hashKey: string;
  /** Sort key attribute (a string). @default none */
  readonly rangeKey?: string;
}

/** An EBS data volume of the inventory, in the first availability zone. */
export interface EbsDataSettings {
  readonly name: string;
  readonly kind: "ebs";
  /** GiB. @default volumeSizeGiB (20) */
  readonly sizeGiB: number;
}

/** An EFS file system of the inventory, with a mount target in each private subnet. */
export interface EfsDataSettings {
  readonly name: string;
  readonly kind: "efs";
  /** @default "generalPurpose" */
  readonly performanceMode: "generalPurpose" | "maxIO";
  /** @default "elastic" */
  readonly throughputMode: "bursting" | "elastic" | "provisioned";
  /** MiB/s provisioned, 1-3414; required with throughputMode `provisioned`, refused otherwise. @default none */
  readonly provisionedThroughputInMibps?: number;
}

/** An S3 bucket of the inventory (public access blocked). */
export interface S3DataSettings {
  readonly name: string;
  readonly kind: "s3";
  /** Its name; unset: a unique generated one. @default appBucketName */
  readonly bucketName?: string;
  /** Replicate it to the DR region. @default replicateAppBucket (true) */
  readonly replicate: boolean;
}

/** One entry of the data inventory (`data`), as the prod stack creates it. */
export type DataEntrySettings =
  | RdsDataSettings
  | AuroraDataSettings
  | DynamoDbDataSettings
  | EbsDataSettings
  | EfsDataSettings
  | S3DataSettings;
/** The kinds of compute that run the application (config `compute`). */
export const COMPUTE_KINDS = ["autoscaling", "ecs"] as const;

/** What runs the application: an Auto Scaling group of EC2 servers, or an ECS service on Fargate. */
export type ComputeKind = (typeof COMPUTE_KINDS)[number];

/** What both roles share. */
export interface CommonSettings {
  /** Pulumi project name. */
  readonly project: string;
  /** Pulumi stack name. */
  readonly stack: string;
  /** The stack's region (`aws:region`). */
  readonly region: string;
  /** Region of the primary stack. @default "us-east-1" */
  readonly primaryRegion: string;
  /** Region of the dr stack. @default "us-west-2" */
  readonly drRegion: string;
  /** The environment (network, load balancer, servers) of this stack. */
  readonly environment: EnvironmentSettings;
  /** Keep data and its protection in AWS when it leaves the stack. @default true */
  readonly retainData: boolean;
  /** Recovery objectives, in minutes. @default RPO 1800, RTO 480 */
  readonly objectives: { readonly rpoMinutes: number; readonly rtoMinutes: number };
  /** What the program warns about when it runs (deprecated keys). @default none */
  readonly warnings: readonly string[];
}

/** The RDS database of the primary stack. */
export interface DatabaseSettings {
  /** @default "postgres" */
  readonly engine: "postgres" | "mysql" | "mariadb";
  /** @default "16" */
  readonly engineVersion: string;
  /** @default "db.t3.medium" */
  readonly instanceClass: string;
  /** GiB. @default 20 */
  readonly allocatedStorage: number;
  /** @default false */
  readonly multiAz: boolean;
  /** @default "app" */
  readonly name: string;
  /** @default "appadmin" */
  readonly username: string;
  /**
   * Master password, a secret: the prod stack hands it to RDS as a Pulumi secret. Unset: RDS manages it
   * in Secrets Manager. @default unset
   */
  readonly password?: string;
}

/** S3 cross-region replication of the primary stack's buckets. */
export interface ReplicationSettings {
  /** Replicate the application bucket. @default true */
  readonly replicateAppBucket: boolean;
  /** Further existing buckets to replicate. @default [] */
  readonly extraBuckets: readonly string[];
  /** KMS key of an extra bucket's SSE-KMS objects, by bucket name. @default none */
  readonly sourceKmsKeyArns: Readonly<Record<string, string>>;
  /** S3 Replication Time Control. @default false */
  readonly replicationTimeControl: boolean;
  /** Storage class of the replicas. @default "STANDARD" */
  readonly replicaStorageClass: string;
  /** Days of S3 Object Lock (COMPLIANCE) on each replicated version; 0: none. @default 0 */
  readonly replicaObjectLockDays: number;
}

/** Settings of a stack with `role: primary` (prod). */
export interface PrimarySettings extends CommonSettings {
  readonly role: "primary";
  /** Application servers. @default 2 / 3 / 10 */
  readonly capacity: Capacity;
  /** Servers held at zero whatever `capacity` says (the failback's write freeze). @default false */
  readonly holdServers: boolean;
  readonly database: DatabaseSettings;
  /** Size of the EBS data volume in GiB. @default 20 */
  readonly volumeSizeGiB: number;
  /** Expected size of the DynamoDB table in GiB, declared for the RTO forecast. @default 1 */
  readonly tableSizeGiB: number;
  /** Name of the application bucket; unset: generated. @default unset */
  readonly appBucketName?: string;
  /** Name of the backup plan preset. @default "seed" */
  readonly backupPlanName: BackupPlanName;
  /** The backup plan given to BackupRestoreDR, from `backupPlanName`. */
  readonly plan: BackupPlanArgs;
  /**
   * The database's backup and maintenance windows, derived from the plan's schedules so AWS Backup can
   * start every run (it starts no snapshot within an hour before, or during, either window).
   */
  readonly databaseWindows: Required<DatabaseWindowsArgs>;
  readonly replication: ReplicationSettings;
  /** Minutes for a copy to land in the DR vault. @default 60 */
  readonly copyLandingMinutes: number;
  /** What happens when the plan cannot meet the RPO. @default "error" */
  readonly objectivesEnforcement: ObjectiveEnforcement;
  /** Vault Lock on both vaults; unset: no lock. @default unset */
  readonly vaultLock?: VaultLockArgs;
  /** Principals exempt from the vaults' deny-deletion policy, besides the deployers. @default none */
  readonly breakGlassPrincipalArns: string[];
  /** Principals that deploy prod, exempt from the deny policy (`deployerPrincipalArns`). @default none */
  readonly deployerPrincipalArns: string[];
  /** The isolated copy (a logically air-gapped vault in the DR region). @default on, bounds from the plan */
  /**
   * Encrypt the inventory's RDS, Aurora and EBS resources with a customer managed key the stack creates:
   * AWS Backup copies a resource type it does not fully manage into a logically air-gapped vault only when
   * its source has one. Changing it replaces those resources. @default false
   */
  readonly customerManagedDataKey: boolean;
  /**
   * The component's AWS Backup Audit Manager framework (its `auditFramework`, with its defaults), whose control
   * evaluations `dr cost` prices. @default false
   */
  readonly auditFramework: boolean;
  readonly isolation: IsolationArgs;
  /** Failed-back data the servers use instead of prod's own resources, which stay as they are. @default none */
  readonly restored: RestoredIdentifiers;
  /** The application's data inventory (`data`). @default the example's database, table, volume and bucket */
  readonly data: readonly DataEntrySettings[];
  /**
   * Restored data the servers use, by logical name (`restoredData`, with the deprecated `restored*` keys
   * read as the default example's entries): on dr the recovery's, on prod a failback's. @default none
   */
  readonly restoredData: RestoredData;
}

/**
 * Identifiers of restored data the servers use instead: on dr what the recovery restored, on prod what a
 * failback restored (unset: prod's own resource). Unset until restored.
 */
export interface RestoredIdentifiers {
  readonly dbEndpoint?: string;
  readonly dbInstanceId?: string;
  readonly tableName?: string;
  readonly volumeId?: string;
  readonly bucketName?: string;
}

/** Settings of a stack with `role: dr`. */
export interface DrSettings extends CommonSettings {
  readonly role: "dr";
  /** standby: zero capacity; active: `activeCapacity`, pointed at the restored data. @default "standby" */
  readonly mode: DrMode;
  /** Capacity in active mode. @default 2 / 3 / 10 (the guide's) */
  readonly activeCapacity: Capacity;
  /** The prod stack for the StackReference. @default "prod" */
  readonly primaryStack: string;
  readonly restored: RestoredIdentifiers;
  /**
   * The inventory as this stack's config declares it (the same `data` as prod's): only whether it holds a
   * file system, so the mount targets' security group exists in standby. What is restored and wired
   * follows prod's exported `dataInventory`. @default the example's
   */
  readonly data: readonly DataEntrySettings[];
  /**
   * Restored data the servers use, by logical name (`restoredData`, with the deprecated `restored*` keys
   * read as the default example's entries): on dr the recovery's, on prod a failback's. @default none
   */
  readonly restoredData: RestoredData;
}

/** Typed, validated settings of a `dr-app` stack. */
export type StackSettings = PrimarySettings | DrSettings;

/** Tags every resource of a stack carries. */
export function stackTags(
  settings: Pick<StackSettings, "project" | "stack" | "role">,
): Record<string, string> {
  return { app: settings.project, stack: settings.stack, role: settings.role };
}
