import * as pulumi from "@pulumi/pulumi";
import {
  BACKUP_PLAN_NAMES,
  BackupPlanArgs,
  BackupPlanName,
  chooseDatabaseWindows,
  copyLifecycle,
  DatabaseWindowsArgs,
  NAMED_BACKUP_PLANS,
  ObjectiveEnforcement,
  REPLICA_STORAGE_CLASSES,
  validation,
  VaultLockArgs,
} from "@restorekit/backup-restore-dr";
import { isRestoredName, RESTORED_NAME_PREFIXES } from "./restoredNames";

/** Config namespace of the `dr-app` project (docs/CONTRACTS.md). */
export const CONFIG_NAMESPACE = "dr-app";

/** The value types Pulumi accepts in a project's `config:` declarations. */
export type ConfigValueType = "string" | "integer" | "boolean" | "array";

/** One key as declared in Pulumi.yaml: type, description, default (and item type for arrays). */
export interface ConfigKeyDeclaration {
  readonly type: ConfigValueType;
  readonly description: string;
  readonly default: string | number | boolean | readonly string[];
  readonly items?: { readonly type: "string" };
}

const SEED_CAPACITY = { min: 2, desired: 3, max: 10 } as const;

/**
 * Every config key of the `dr-app` project, exactly as Pulumi.yaml declares it (a test keeps the two
 * equal). Pulumi applies these defaults before the program runs; the program applies them too, so it
 * behaves the same when evaluated without the CLI (the offline plan, tests, the benchmark).
 */
export const CONFIG_SCHEMA = {
  role: {
    type: "string",
    description: "Which side this stack is: primary (the application, its data and their protection) or dr.",
    default: "primary",
  },
  mode: {
    type: "string",
    description:
      "dr only: standby (zero capacity) or active (running, pointed at the restored data). The recovery CLI sets it.",
    default: "standby",
  },
  primaryRegion: {
    type: "string",
    description: "Region of the primary (prod) stack; a primary stack's aws:region must equal it.",
    default: "us-east-1",
  },
  drRegion: {
    type: "string",
    description:
      "Region of the dr stack, the DR vault and the S3 replicas; a dr stack's aws:region must equal it.",
    default: "us-west-2",
  },
  primaryStack: {
    type: "string",
    description:
      "dr only: the prod stack read through a StackReference (org/project/stack, or a stack name of this project).",
    default: "prod",
  },
  vpcCidr: {
    type: "string",
    description: "CIDR block of the VPC, /16 to /24; give each region its own so they can be peered later.",
    default: "10.0.0.0/16",
  },
  availabilityZones: {
    type: "array",
    items: { type: "string" },
    description:
      "The two availability zones of the VPC, e.g. [us-east-1a, us-east-1b]; empty: the region's first two.",
    default: [],
  },
  natGateways: {
    type: "string",
    description:
      "NAT gateways of the VPC: None, Single or OnePerAz. A dr stack must use None (they are billed by the hour).",
    default: "Single",
  },
  interfaceEndpoints: {
    type: "boolean",
    description:
      "Interface VPC endpoints for Session Manager (ssm, ssmmessages, ec2messages) and CloudWatch Logs in the private subnets, so operators reach the servers without a NAT gateway. About $58 a month for two AZs.",
    default: false,
  },
  instanceType: {
    type: "string",
    description: "EC2 instance type of the application servers.",
    default: "t3.small",
  },
  amiId: {
    type: "string",
    description:
      "AMI of the application servers: an ami-... id (it must exist in the stack's region) or resolve:ssm:<parameter>.",
    default: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
  },
  appPort: {
    type: "integer",
    description: "Port the application listens on; the load balancer forwards to it.",
    default: 80,
  },
  healthCheckPath: {
    type: "string",
    description: "HTTP path the load balancer and the recovery CLI check, e.g. /health.",
    default: "/health",
  },
  minSize: {
    type: "integer",
    description: "primary: minimum number of application servers.",
    default: SEED_CAPACITY.min,
  },
  desiredCapacity: {
    type: "integer",
    description: "primary: desired number of application servers.",
    default: SEED_CAPACITY.desired,
  },
  maxSize: {
    type: "integer",
    description: "primary: maximum number of application servers.",
    default: SEED_CAPACITY.max,
  },
  holdServers: {
    type: "boolean",
    description:
      "primary: true holds the application servers at zero whatever minSize and desiredCapacity say. dr failback sets it before the write freeze (prod's servers would serve the pre-disaster data) and its prod-data update lifts it.",
    default: false,
  },
  drActiveMinSize: {
    type: "integer",
    description: "dr: minimum number of application servers in active mode (standby is always 0).",
    default: SEED_CAPACITY.min,
  },
  drActiveDesiredCapacity: {
    type: "integer",
    description: "dr: desired number of application servers in active mode (standby is always 0).",
    default: SEED_CAPACITY.desired,
  },
  drActiveMaxSize: {
    type: "integer",
    description: "dr: maximum number of application servers in active mode (standby is always 0).",
    default: SEED_CAPACITY.max,
  },
  route53ZoneId: {
    type: "string",
    description:
      "Route 53 hosted zone of domainName. When set, prod owns its PRIMARY failover record and the failover switch, dr its SECONDARY record; set it on both stacks.",
    default: "",
  },
  domainName: {
    type: "string",
    description: "Public DNS name of the application, e.g. api.example.com; requires route53ZoneId.",
    default: "",
  },
  retainData: {
    type: "boolean",
    description:
      "Keep the database, table, volume, bucket, vaults, keys and replicas in AWS when they leave the stack. false only for throw-away stacks.",
    default: true,
  },
  dbEngine: {
    type: "string",
    description: "primary: RDS engine: postgres, mysql or mariadb.",
    default: "postgres",
  },
  dbEngineVersion: {
    type: "string",
    description: "primary: RDS engine version (a major version picks the newest minor).",
    default: "16",
  },
  dbInstanceClass: {
    type: "string",
    description: "primary: RDS instance class.",
    default: "db.t3.medium",
  },
  dbAllocatedStorage: {
    type: "integer",
    description: "primary: RDS storage in GiB, 20 to 65536.",
    default: 20,
  },
  dbMultiAz: {
    type: "boolean",
    description: "primary: run the database Multi-AZ.",
    default: false,
  },
  dbName: {
    type: "string",
    description: "primary: name of the database created in the RDS instance.",
    default: "app",
  },
  dbUsername: {
    type: "string",
    description: "primary: master user name of the database.",
    default: "appadmin",
  },
  dbPassword: {
    type: "string",
    description:
      "primary: master password, set with `pulumi config set --secret dbPassword`. Empty: RDS manages it in Secrets Manager of the primary region.",
    default: "",
  },
  volumeSizeGiB: {
    type: "integer",
    description: "primary: size of the application's EBS data volume in GiB.",
    default: 20,
  },
  appBucketName: {
    type: "string",
    description: "primary: name of the application's S3 bucket; empty: a unique generated name.",
    default: "",
  },
  backupPlan: {
    type: "string",
    description:
      "primary: the backup plan: seed (daily at 03:00 UTC copied to DR, plus hourly kept 3 days locally) or daily (the daily rule alone).",
    default: "seed",
  },
  replicateAppBucket: {
    type: "boolean",
    description: "primary: replicate the application bucket to a replica bucket in drRegion.",
    default: true,
  },
  replicatedBuckets: {
    type: "array",
    items: { type: "string" },
    description: "primary: names of further existing buckets in primaryRegion to replicate to drRegion.",
    default: [],
  },
  replicatedBucketKmsKeys: {
    type: "array",
    items: { type: "string" },
    description:
      "primary: <bucket>=<KMS key ARN> for each replicatedBuckets bucket whose objects are SSE-KMS under a customer managed key: the replication role may decrypt with it (objects under a key it cannot use do not replicate).",
    default: [],
  },
  replicationTimeControl: {
    type: "boolean",
    description: "primary: S3 Replication Time Control (99.99% of objects within 15 minutes, extra cost).",
    default: false,
  },
  replicaStorageClass: {
    type: "string",
    description: "primary: storage class of the replicas, e.g. STANDARD or STANDARD_IA.",
    default: "STANDARD",
  },
  rpoMinutes: {
    type: "integer",
    description:
      "Recovery point objective in minutes, checked against the plan's worst case in each region. The seed plan's DR worst case is 1680.",
    default: 1800,
  },
  rtoMinutes: {
    type: "integer",
    description: "Recovery time objective in minutes; the recovery CLI measures drills against it.",
    default: 480,
  },
  copyLandingMinutes: {
    type: "integer",
    description:
      "primary: minutes a cross-region copy takes to land in the DR vault, counted into the DR worst case.",
    default: 60,
  },
  objectivesEnforcement: {
    type: "string",
    description: "primary: error (fail the preview) or warn when the plan cannot meet rpoMinutes.",
    default: "error",
  },
  vaultLock: {
    type: "string",
    description:
      "primary: Vault Lock on both vaults: governance (removable only by privileged principals), compliance (immutable after the cooling-off days) or none.",
    default: "governance",
  },
  vaultLockMinRetentionDays: {
    type: "integer",
    description:
      "primary: with vaultLock, the shortest retention a recovery point may have; 0: the shortest retention of the plan's rules and copies.",
    default: 0,
  },
  vaultLockMaxRetentionDays: {
    type: "integer",
    description:
      "primary: with vaultLock, the longest retention a recovery point may have; 0: the longest retention of the plan's rules and copies.",
    default: 0,
  },
  vaultLockChangeableForDays: {
    type: "integer",
    description: "primary: with vaultLock compliance, days (at least 3) before the lock becomes immutable.",
    default: 3,
  },
  breakGlassPrincipalArns: {
    type: "array",
    items: { type: "string" },
    description:
      "primary: IAM role or user ARNs exempt from the vaults' policy denying recovery point, policy, lock and vault deletion, besides deployerPrincipalArns.",
    default: [],
  },
  deployerPrincipalArns: {
    type: "array",
    items: { type: "string" },
    description:
      "primary: IAM role or user ARNs that run `pulumi up` on prod (CI, operators' SSO roles, whoever runs dr failback; an assumed role by its role ARN), exempt from the vaults' deny policy, which then also denies changing itself to everyone else; empty: the policy leaves its own changes to IAM, and each one alerts.",
    default: [],
  },
  restoredDbEndpoint: {
    type: "string",
    description:
      "host:port of the restored RDS instance the servers use: on dr the recovery's (set by the recovery CLI), on prod the failed-back one (set by dr failback); empty on prod: its own database.",
    default: "",
  },
  restoredDbInstanceId: {
    type: "string",
    description:
      "identifier of the restored RDS instance: on dr the recovery's, on prod the failed-back one (fb-... or fbdrill-...).",
    default: "",
  },
  restoredTableName: {
    type: "string",
    description:
      "name of the restored DynamoDB table: on dr the recovery's (dr-... or drill-...), on prod the failed-back one (fb-... or fbdrill-...); empty on prod: its own table.",
    default: "",
  },
  restoredVolumeId: {
    type: "string",
    description:
      "id of the restored EBS volume: on dr the recovery's, on prod the failed-back one; empty on prod: its own volume.",
    default: "",
  },
  restoredBucketName: {
    type: "string",
    description:
      "bucket the application uses: on dr a replica or a restored bucket (empty: the replica of the application bucket), on prod a failed-back bucket (fb-... or fbdrill-...; empty: its own).",
    default: "",
  },
} as const satisfies Record<string, ConfigKeyDeclaration>;

/** A key of the `dr-app` namespace. */
export type ConfigKey = keyof typeof CONFIG_SCHEMA;

/**
 * The restored identifiers: the recovery CLI passes them to the dr stack (docs/CONTRACTS.md), a failback to
 * the prod stack, by the same keys.
 */
export const RESTORED_KEYS = [
  "restoredDbEndpoint",
  "restoredDbInstanceId",
  "restoredTableName",
  "restoredVolumeId",
  "restoredBucketName",
] as const satisfies readonly ConfigKey[];

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
  /** Public DNS name; unset: no record. @default unset */
  readonly dns?: DnsSettings;
}

/** What both roles share. */
interface CommonSettings {
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
  /** Failed-back data the servers use instead of prod's own resources, which stay as they are. @default none */
  readonly restored: RestoredIdentifiers;
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
  readonly mode: "standby" | "active";
  /** Capacity in active mode. @default 2 / 3 / 10 (the guide's) */
  readonly activeCapacity: Capacity;
  /** The prod stack for the StackReference. @default "prod" */
  readonly primaryStack: string;
  readonly restored: RestoredIdentifiers;
}

/** Typed, validated settings of a `dr-app` stack. */
export type StackSettings = PrimarySettings | DrSettings;

/** Tags every resource of a stack carries. */
export function stackTags(
  settings: Pick<StackSettings, "project" | "stack" | "role">,
): Record<string, string> {
  return { app: settings.project, stack: settings.stack, role: settings.role };
}

/**
 * Invalid configuration, every problem at once, each worded like Pulumi's own config errors
 * (`Configuration 'dr-app:key' value 'v' ...`). A RunError, so `pulumi preview` prints the message alone.
 */
export class StackConfigError extends pulumi.RunError {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "StackConfigError";
  }
}

/** Where config values come from: Pulumi's runtime config, or a plain map in tests. */
export interface ConfigSource {
  /** The raw value of a fully qualified key (`dr-app:role`, `aws:region`), or undefined when unset. */
  get(fullKey: string): string | undefined;
}

/** A config given as values: fully qualified key -> raw value (what Pulumi passes to a program). */
export function configSource(values: Readonly<Record<string, string>>): ConfigSource {
  return { get: (fullKey) => values[fullKey] };
}

/** The project and stack a config belongs to. */
export interface StackIdentity {
  readonly project: string;
  readonly stack: string;
}

/** Reads keys with the schema's defaults, recording each problem instead of stopping at the first. */
class ConfigReader {
  readonly problems: string[] = [];

  constructor(private readonly source: ConfigSource) {}

  private raw(key: ConfigKey): string {
    const value = this.source.get(`${CONFIG_NAMESPACE}:${key}`);
    if (value !== undefined) return value;
    const fallback = CONFIG_SCHEMA[key].default;
    return typeof fallback === "string" ? fallback : JSON.stringify(fallback);
  }

  /** Records `Configuration 'dr-app:key' value 'v' <rule>`. */
  problem(key: string, value: unknown, rule: string): void {
    const fullKey = key.includes(":") ? key : `${CONFIG_NAMESPACE}:${key}`;
    const shown = typeof value === "string" ? value : JSON.stringify(value);
    this.problems.push(`Configuration '${fullKey}' value '${shown}' ${rule}`);
  }

  /** A string that must match `check` (empty included). */
  string(key: ConfigKey, check?: { pattern: RegExp; rule: string }): string {
    const value = this.raw(key);
    if (check && !check.pattern.test(value)) {
      this.problem(key, value, check.rule);
    }
    return value;
  }

  /** A string that, when set, must match `check`; empty means unset. */
  optional(key: ConfigKey, check?: { pattern: RegExp; rule: string }): string | undefined {
    return this.raw(key) === "" ? undefined : this.string(key, check);
  }

  oneOf<T extends string>(key: ConfigKey, allowed: readonly T[]): T {
    const value = this.raw(key);
    if (!(allowed as readonly string[]).includes(value)) {
      // Pulumi's ConfigEnumError wording.
      this.problem(key, value, `is not a legal enum value (${JSON.stringify(allowed)})`);
      return allowed[0];
    }
    return value as T;
  }

  integer(key: ConfigKey, min: number, max?: number): number {
    const value = this.raw(key);
    const parsed = Number(value);
    if (value.trim() === "" || !Number.isInteger(parsed)) {
      this.problem(key, value, "is not a valid integer");
      return Number(CONFIG_SCHEMA[key].default);
    }
    if (parsed < min || (max !== undefined && parsed > max)) {
      // Pulumi's ConfigRangeError wording.
      this.problem(
        key,
        value,
        `is outside of the legal range (${max === undefined ? `min ${min}` : `${min}-${max}`}, inclusive)`,
      );
    }
    return parsed;
  }

  boolean(key: ConfigKey): boolean {
    const value = this.raw(key);
    if (value !== "true" && value !== "false") {
      this.problem(key, value, "is not a valid boolean");
      return CONFIG_SCHEMA[key].default === true;
    }
    return value === "true";
  }

  stringArray(key: ConfigKey): string[] {
    const value = this.raw(key);
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === "string")) {
        return parsed;
      }
    } catch {
      // reported below
    }
    this.problem(key, value, "is not a valid array of strings");
    return [];
  }
}

const REGION_ZONE = /^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

function readCapacity(reader: ConfigReader, keys: [ConfigKey, ConfigKey, ConfigKey]): Capacity {
  const [minKey, desiredKey, maxKey] = keys;
  const capacity = {
    minSize: reader.integer(minKey, 0, 10000),
    desiredCapacity: reader.integer(desiredKey, 0, 10000),
    maxSize: reader.integer(maxKey, 1, 10000),
  };
  if (capacity.minSize > capacity.desiredCapacity) {
    reader.problem(
      minKey,
      String(capacity.minSize),
      `must not exceed ${CONFIG_NAMESPACE}:${desiredKey} (${capacity.desiredCapacity})`,
    );
  }
  if (capacity.desiredCapacity > capacity.maxSize) {
    reader.problem(
      desiredKey,
      String(capacity.desiredCapacity),
      `must not exceed ${CONFIG_NAMESPACE}:${maxKey} (${capacity.maxSize})`,
    );
  }
  return capacity;
}

function readEnvironment(
  reader: ConfigReader,
  region: string,
  role: StackSettings["role"],
): EnvironmentSettings {
  const vpcCidr = reader.string("vpcCidr");
  const cidr = CIDR.exec(vpcCidr);
  if (
    !cidr ||
    cidr.slice(1, 5).some((octet) => Number(octet) > 255) ||
    Number(cidr[5]) < 16 ||
    Number(cidr[5]) > 24
  ) {
    reader.problem("vpcCidr", vpcCidr, "must be an IPv4 CIDR block from /16 to /24, e.g. 10.0.0.0/16");
  }
  const availabilityZones = reader.stringArray("availabilityZones");
  if (availabilityZones.length !== 0 && availabilityZones.length !== 2) {
    reader.problem(
      "availabilityZones",
      availabilityZones,
      "must name exactly two availability zones, or none",
    );
  }
  for (const zone of availabilityZones) {
    if (!REGION_ZONE.test(zone) || !zone.startsWith(region)) {
      reader.problem(
        "availabilityZones",
        availabilityZones,
        `must name zones of the stack's region ${region}, e.g. ${region}a`,
      );
      break;
    }
  }
  if (new Set(availabilityZones).size !== availabilityZones.length) {
    reader.problem("availabilityZones", availabilityZones, "must name two different zones");
  }
  const natGateways = reader.oneOf<NatGatewayStrategy>("natGateways", ["None", "Single", "OnePerAz"]);
  if (role === "dr" && natGateways !== "None") {
    reader.problem(
      "natGateways",
      natGateways,
      "must be None on a dr stack: NAT gateways are billed by the hour, and standby runs nothing",
    );
  }
  const zoneId = reader.optional("route53ZoneId", {
    pattern: /^Z[A-Z0-9]{1,32}$/,
    rule: "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
  });
  const domainName = reader.optional("domainName", {
    pattern: HOSTNAME,
    rule: "must be a lower-case DNS name such as api.example.com",
  });
  if ((zoneId === undefined) !== (domainName === undefined)) {
    const [setKey, unsetKey] =
      zoneId === undefined ? ["domainName", "route53ZoneId"] : ["route53ZoneId", "domainName"];
    reader.problem(
      setKey,
      zoneId ?? domainName,
      `needs ${CONFIG_NAMESPACE}:${unsetKey} as well: the DNS record needs both the zone and the name`,
    );
  }
  return {
    vpcCidr,
    availabilityZones,
    natGateways,
    interfaceEndpoints: reader.boolean("interfaceEndpoints"),
    instanceType: reader.string("instanceType", {
      pattern: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
      rule: "must be an EC2 instance type such as t3.small",
    }),
    amiId: reader.string("amiId", {
      pattern: /^(ami-[0-9a-f]{8,17}|resolve:ssm:\S+)$/,
      rule: "must be an AMI id (ami-...) or resolve:ssm:<parameter name>",
    }),
    appPort: reader.integer("appPort", 1, 65535),
    healthCheckPath: reader.string("healthCheckPath", {
      pattern: /^\/\S*$/,
      rule: "must be a path starting with /",
    }),
    dns: zoneId !== undefined && domainName !== undefined ? { zoneId, domainName } : undefined,
  };
}

function readDatabase(reader: ConfigReader): DatabaseSettings {
  const password = reader.optional("dbPassword");
  if (password !== undefined && (!/^[\x21-\x7e]{8,128}$/.test(password) || /[/"@]/.test(password))) {
    // The value is a secret: the message shows where the problem is, never the value.
    reader.problem(
      "dbPassword",
      "[secret]",
      'must be 8 to 128 printable ASCII characters other than /, ", @ and space',
    );
  }
  return {
    engine: reader.oneOf("dbEngine", ["postgres", "mysql", "mariadb"] as const),
    engineVersion: reader.string("dbEngineVersion", {
      pattern: /^\d+(\.\d+)*$/,
      rule: "must be a version such as 16 or 16.4",
    }),
    instanceClass: reader.string("dbInstanceClass", {
      pattern: /^db\.[a-z0-9]+\.[a-z0-9]+$/,
      rule: "must be an RDS instance class such as db.t3.medium",
    }),
    allocatedStorage: reader.integer("dbAllocatedStorage", 20, 65536),
    multiAz: reader.boolean("dbMultiAz"),
    name: reader.string("dbName", {
      pattern: /^[A-Za-z][A-Za-z0-9_]{0,62}$/,
      rule: "must start with a letter and hold only letters, digits and _ (at most 63)",
    }),
    username: reader.string("dbUsername", {
      pattern: /^[A-Za-z][A-Za-z0-9_]{0,15}$/,
      rule: "must start with a letter and hold only letters, digits and _ (at most 16)",
    }),
    password,
  };
}

/** How long each rule keeps its recovery points and each copy its copies, in days. */
function retentionsOf(plan: BackupPlanArgs): number[] {
  return plan.rules.flatMap((rule) => {
    const copy = copyLifecycle(rule);
    return copy ? [rule.lifecycle.deleteAfterDays, copy.deleteAfterDays] : [rule.lifecycle.deleteAfterDays];
  });
}

/**
 * The Vault Lock: by default governance mode, bounded by the plan's own shortest and longest retention, so
 * it fails no job of the plan and a job asking for less or more (an edited lifecycle) fails.
 */
function readVaultLock(reader: ConfigReader, plan: BackupPlanArgs): VaultLockArgs | undefined {
  const mode = reader.oneOf("vaultLock", ["none", "governance", "compliance"] as const);
  const retentions = retentionsOf(plan);
  const minRetentionDays = reader.integer("vaultLockMinRetentionDays", 0, 36500) || Math.min(...retentions);
  const maxRetentionDays = reader.integer("vaultLockMaxRetentionDays", 0, 36500) || Math.max(...retentions);
  const changeableForDays = reader.integer("vaultLockChangeableForDays", 3, 36500);
  if (mode === "none") return undefined;
  if (minRetentionDays > maxRetentionDays) {
    reader.problem(
      "vaultLockMinRetentionDays",
      String(minRetentionDays),
      `must not exceed ${CONFIG_NAMESPACE}:vaultLockMaxRetentionDays (${maxRetentionDays})`,
    );
  }
  return { minRetentionDays, maxRetentionDays, ...(mode === "compliance" && { changeableForDays }) };
}

/** A list of IAM principal ARNs: `breakGlassPrincipalArns` or `deployerPrincipalArns`. */
function readPrincipals(
  reader: ConfigReader,
  key: "breakGlassPrincipalArns" | "deployerPrincipalArns",
): string[] {
  const arns = reader.stringArray(key);
  arns.forEach((arn, index) =>
    validation
      .checkArn(`${key}[${index}]`, arn, "iam")
      .forEach((issue) =>
        reader.problem(key, arns, `has ${issue.field} ${JSON.stringify(arn)} that ${issue.rule}`),
      ),
  );
  return arns;
}

/** `replicatedBucketKmsKeys`: `<bucket>=<KMS key ARN>` entries, each for a bucket of `replicatedBuckets`. */
function readSourceKeys(reader: ConfigReader, extraBuckets: readonly string[]): Record<string, string> {
  const entries = reader.stringArray("replicatedBucketKmsKeys");
  const keys: Record<string, string> = {};
  entries.forEach((entry, index) => {
    const field = `replicatedBucketKmsKeys[${index}]`;
    const problem = (rule: string) =>
      reader.problem(
        "replicatedBucketKmsKeys",
        entries,
        `has ${field} ${JSON.stringify(entry)} that ${rule}`,
      );
    const separator = entry.indexOf("=");
    if (separator < 0) {
      problem(
        "must be <bucket>=<KMS key ARN>, e.g. legacy-reports=arn:aws:kms:us-east-1:111122223333:key/...",
      );
      return;
    }
    const [bucket, arn] = [entry.slice(0, separator), entry.slice(separator + 1)];
    validation.checkArn(field, arn, "kms").forEach((issue) => problem(issue.rule));
    if (!extraBuckets.includes(bucket)) {
      problem(`names a bucket not in ${CONFIG_NAMESPACE}:replicatedBuckets.`);
    }
    keys[bucket] = arn;
  });
  return keys;
}

function readPrimary(reader: ConfigReader, common: CommonSettings): PrimarySettings {
  const backupPlanName = reader.oneOf("backupPlan", BACKUP_PLAN_NAMES);
  const plan = NAMED_BACKUP_PLANS[backupPlanName]();
  const extraBuckets = reader.stringArray("replicatedBuckets");
  extraBuckets.forEach((bucket, index) =>
    validation
      .checkSourceBucket(`replicatedBuckets[${index}]`, bucket)
      .forEach((issue) =>
        reader.problem(
          "replicatedBuckets",
          extraBuckets,
          `has ${issue.field} ${JSON.stringify(bucket)} that ${issue.rule}`,
        ),
      ),
  );
  const sourceKmsKeyArns = readSourceKeys(reader, extraBuckets);
  const appBucketName = reader.optional("appBucketName");
  if (appBucketName !== undefined) {
    validation
      .checkSourceBucket("appBucketName", appBucketName)
      .forEach((issue) => reader.problem("appBucketName", appBucketName, issue.rule));
  }
  return {
    ...common,
    role: "primary",
    capacity: readCapacity(reader, ["minSize", "desiredCapacity", "maxSize"]),
    holdServers: reader.boolean("holdServers"),
    database: readDatabase(reader),
    volumeSizeGiB: reader.integer("volumeSizeGiB", 1, 16384),
    appBucketName,
    backupPlanName,
    plan,
    databaseWindows: chooseDatabaseWindows(plan),
    replication: {
      replicateAppBucket: reader.boolean("replicateAppBucket"),
      extraBuckets,
      sourceKmsKeyArns,
      replicationTimeControl: reader.boolean("replicationTimeControl"),
      replicaStorageClass: reader.oneOf("replicaStorageClass", REPLICA_STORAGE_CLASSES),
    },
    copyLandingMinutes: reader.integer("copyLandingMinutes", 0),
    objectivesEnforcement: reader.oneOf<ObjectiveEnforcement>("objectivesEnforcement", ["error", "warn"]),
    vaultLock: readVaultLock(reader, plan),
    breakGlassPrincipalArns: readPrincipals(reader, "breakGlassPrincipalArns"),
    deployerPrincipalArns: readPrincipals(reader, "deployerPrincipalArns"),
    restored: readRestored(reader, "primary"),
  };
}

function restoredBucket(reader: ConfigReader): string | undefined {
  const bucket = reader.optional("restoredBucketName");
  if (bucket !== undefined) {
    validation
      .checkSourceBucket("restoredBucketName", bucket)
      .forEach((issue) => reader.problem("restoredBucketName", bucket, issue.rule));
  }
  return bucket;
}

function restoredTable(reader: ConfigReader, role: StackSettings["role"]): string | undefined {
  const table = reader.optional("restoredTableName", {
    pattern: /^[\w.-]{3,255}$/,
    rule: "must be a DynamoDB table name: 3-255 letters, digits, _, - and .",
  });
  // On prod the table may also be prod's own, whose generated name only the program knows (stacks/failedBack.ts).
  if (role === "dr" && table !== undefined && !isRestoredName(table)) {
    reader.problem(
      "restoredTableName",
      table,
      `must start with ${RESTORED_NAME_PREFIXES.join(" or ")}, as the recovery CLI names restored tables: the servers are granted no other table`,
    );
  }
  return table;
}

/** The restored identifiers, on either side, each of the shape its service gives it. */
function readRestored(reader: ConfigReader, role: StackSettings["role"]): RestoredIdentifiers {
  return {
    dbEndpoint: reader.optional("restoredDbEndpoint", {
      pattern: /^[\w.-]+(:\d{1,5})?$/,
      rule: "must be host:port, e.g. restored-db.abc123.us-west-2.rds.amazonaws.com:5432",
    }),
    dbInstanceId: reader.optional("restoredDbInstanceId"),
    tableName: restoredTable(reader, role),
    volumeId: reader.optional("restoredVolumeId", {
      pattern: /^vol-[0-9a-f]{8,17}$/,
      rule: "must be an EBS volume id such as vol-0123456789abcdef0",
    }),
    bucketName: restoredBucket(reader),
  };
}

function readDr(reader: ConfigReader, common: CommonSettings): DrSettings {
  return {
    ...common,
    role: "dr",
    mode: reader.oneOf("mode", ["standby", "active"] as const),
    activeCapacity: readCapacity(reader, ["drActiveMinSize", "drActiveDesiredCapacity", "drActiveMaxSize"]),
    primaryStack: reader.string("primaryStack", {
      pattern: /^([\w.-]+\/){0,2}[\w.-]+$/,
      rule: "must be a stack name, or organization/project/stack",
    }),
    restored: readRestored(reader, "dr"),
  };
}

/**
 * Reads and validates the stack's config. Problems are collected and thrown together as a
 * `StackConfigError`, so one preview shows all of them. Pure: it reads only `source` and `identity` and
 * returns plain data (no Outputs), so the program (which takes both from the Pulumi runtime, stacks/program.ts),
 * the offline tools (scripts/deployment) and tests derive the same settings from the same config.
 */
export function readSettings(source: ConfigSource, identity: StackIdentity): StackSettings {
  const reader = new ConfigReader(source);
  const role = reader.oneOf("role", ["primary", "dr"] as const);
  const primaryRegion = reader.string("primaryRegion");
  const drRegion = reader.string("drRegion");
  for (const [key, value] of [
    ["primaryRegion", primaryRegion],
    ["drRegion", drRegion],
  ] as const) {
    if (!validation.KNOWN_REGIONS.has(value)) {
      reader.problem(key, value, "is not an AWS region name such as us-east-1");
    }
  }
  if (primaryRegion === drRegion) {
    reader.problem(
      "drRegion",
      drRegion,
      "must differ from dr-app:primaryRegion: a DR copy in the same region is lost with it",
    );
  }
  const expectedRegion = role === "primary" ? primaryRegion : drRegion;
  const region = source.get("aws:region");
  if (region === undefined) {
    // Pulumi's ConfigMissingError wording.
    reader.problems.push(
      "Missing required configuration variable 'aws:region'\n\tplease set a value using the command `pulumi config set aws:region <value>`",
    );
  } else if (region !== expectedRegion) {
    reader.problem(
      "aws:region",
      region,
      `must equal ${CONFIG_NAMESPACE}:${role === "primary" ? "primaryRegion" : "drRegion"} (${expectedRegion}) on a stack with role ${role}`,
    );
  }
  const stackRegion = region ?? expectedRegion;
  const mode = reader.string("mode");
  if (role === "primary") {
    if (mode === "active") {
      reader.problem(
        "mode",
        mode,
        "applies to a dr stack only; a primary stack always runs at its configured capacity",
      );
    }
  }
  const common: CommonSettings = {
    project: identity.project,
    stack: identity.stack,
    region: stackRegion,
    primaryRegion,
    drRegion,
    environment: readEnvironment(reader, stackRegion, role),
    retainData: reader.boolean("retainData"),
    objectives: { rpoMinutes: reader.integer("rpoMinutes", 1), rtoMinutes: reader.integer("rtoMinutes", 1) },
  };
  const settings = role === "primary" ? readPrimary(reader, common) : readDr(reader, common);
  if (reader.problems.length > 0) {
    throw new StackConfigError(reader.problems);
  }
  return settings;
}
