/** The `dr-app` config keys as Pulumi.yaml declares them (`CONFIG_SCHEMA`), the restored keys and the dr modes. */
/** Config namespace of the `dr-app` project (docs/CONTRACTS.md). */
export const CONFIG_NAMESPACE = "dr-app";

/** The value types Pulumi accepts in a project's `config:` declarations. */
export type ConfigValueType = "string" | "integer" | "boolean" | "array";

/** One key as declared in Pulumi.yaml: type, description, default (and item type for arrays). */
export interface ConfigKeyDeclaration {
  /** Unset for a structured value (a list of objects, an object): Pulumi then checks no type. */
  readonly type?: ConfigValueType;
  readonly description: string;
  readonly default:
    | string
    | number
    | boolean
    | readonly string[]
    | readonly Readonly<Record<string, string | number | boolean>>[]
    | Readonly<Record<string, never>>;
  readonly items?: { readonly type: "string" };
}

/**
 * The modes of a dr stack (`dr-app:mode`), standby first (the default): standby runs at zero capacity,
 * active runs the servers pointed at the restored data.
 */
export const DR_MODES = { standby: "standby", active: "active" } as const;

/** A dr stack's mode. */
export type DrMode = (typeof DR_MODES)[keyof typeof DR_MODES];

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
    default: DR_MODES.standby,
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
  compute: {
    type: "string",
    description:
      "What runs the application: autoscaling (EC2 servers in an Auto Scaling group) or ecs (a Fargate service). Both sit behind the same load balancer, at zero in a dr stack's standby.",
    default: "autoscaling",
  },
  containerImage: {
    type: "string",
    description:
      "compute ecs: the application's container image; it listens on appPort and answers healthCheckPath. A dr stack has no NAT gateway: use an image in the DR region's ECR.",
    default: "public.ecr.aws/docker/library/python:3.12-alpine",
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
  tableSizeGiB: {
    type: "integer",
    description:
      "primary: expected size of the DynamoDB table in GiB, a declared estimate for the RTO forecast (deploy time cannot ask DynamoDB).",
    default: 1,
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
  replicaObjectLockDays: {
    type: "integer",
    description:
      "primary: days of S3 Object Lock (COMPLIANCE) on each replicated version in the replica buckets, at most the plan's longest retention; 0: no Object Lock. Cannot be turned off once on.",
    default: 0,
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
  data: {
    description:
      "The application's data inventory, one entry per resource (prod creates it; dr learns from it only whether a file system needs its NFS group in standby): name (a-z, 0-9, -; unique), kind (rds, aurora, dynamodb, ebs, efs, s3) and the kind's settings (README.md, \"Adopting it for your application\"). The default is the example's database, table, volume and bucket; an rds entry without settings takes the db* keys, an ebs entry volumeSizeGiB, an s3 entry appBucketName and replicateAppBucket.",
    default: [
      { name: "db", kind: "rds" },
      { name: "table", kind: "dynamodb", hashKey: "pk", rangeKey: "sk" },
      { name: "volume", kind: "ebs" },
      { name: "bucket", kind: "s3" },
    ],
  },
  restoredData: {
    description:
      "What a recovery (on dr) or a failback (on prod) restored, as a JSON object: logical name -> {kind, id, endpoint?, arn?}. The recovery CLI sets it; empty: dr uses the replicas only, prod its own resources.",
    default: {},
  },
  isolation: {
    type: "boolean",
    description:
      "primary: a logically air-gapped vault in the DR region receiving a second copy of every DR copy, under a compliance lock no one in the account can lift.",
    default: true,
  },
  isolationMinRetentionDays: {
    type: "integer",
    description:
      "primary: with isolation (required then), the shortest retention (at least 7) a copy may have in the air-gapped vault; AWS replaces the vault when it changes. 0: unset.",
    default: 0,
  },
  isolationMaxRetentionDays: {
    type: "integer",
    description:
      "primary: with isolation (required then), the longest retention a copy may have in the air-gapped vault; AWS replaces the vault when it changes. 0: unset.",
    default: 0,
  },
  customerManagedDataKey: {
    type: "boolean",
    description:
      "primary: encrypt the inventory's databases and volumes with a customer managed key the stack creates, so their copies can reach the air-gapped vault (AWS managed keys cannot). Changing it REPLACES those resources: false keeps existing data; a new deployment should turn it on.",
    default: false,
  },
  auditFramework: {
    type: "boolean",
    description:
      "primary: an AWS Backup Audit Manager framework in the primary region with the controls the objectives call for (restore time, last recovery point within the RPO, cross-Region copy, vault lock); its control evaluations are billed (`dr cost`), and AWS Config must record the resource types.",
    default: false,
  },
  isolationRecoveryAccountIds: {
    type: "array",
    items: { type: "string" },
    description:
      "primary: with isolation, 12-digit AWS account ids the air-gapped vault is shared with through AWS RAM, to restore from when this account is compromised.",
    default: [],
  },
  restoredDbEndpoint: {
    type: "string",
    description:
      "Deprecated (use restoredData; read for the default example's entries, with a warning): host:port of the restored RDS instance the servers use: on dr the recovery's (set by the recovery CLI), on prod the failed-back one (set by dr failback); empty on prod: its own database.",
    default: "",
  },
  restoredDbInstanceId: {
    type: "string",
    description:
      "Deprecated (use restoredData; read for the default example's entries, with a warning): identifier of the restored RDS instance: on dr the recovery's, on prod the failed-back one (fb-... or fbdrill-...).",
    default: "",
  },
  restoredTableName: {
    type: "string",
    description:
      "Deprecated (use restoredData; read for the default example's entries, with a warning): name of the restored DynamoDB table: on dr the recovery's (dr-... or drill-...), on prod the failed-back one (fb-... or fbdrill-...); empty on prod: its own table.",
    default: "",
  },
  restoredVolumeId: {
    type: "string",
    description:
      "Deprecated (use restoredData; read for the default example's entries, with a warning): id of the restored EBS volume: on dr the recovery's, on prod the failed-back one; empty on prod: its own volume.",
    default: "",
  },
  restoredBucketName: {
    type: "string",
    description:
      "Deprecated (use restoredData; read for the default example's entries, with a warning): bucket the application uses: on dr a replica or a restored bucket (empty: the replica of the application bucket), on prod a failed-back bucket (fb-... or fbdrill-...; empty: its own).",
    default: "",
  },
} as const satisfies Record<string, ConfigKeyDeclaration>;

/** A key of the `dr-app` namespace. */
export type ConfigKey = keyof typeof CONFIG_SCHEMA;

/**
 * The old restored identifiers (deprecated: `restoredData` replaces them), still read for one release as
 * the default example's entries. The recovery CLI passed them to the dr stack (docs/CONTRACTS.md), a failback to
 * the prod stack, by the same keys.
 */
export const RESTORED_KEYS = [
  "restoredDbEndpoint",
  "restoredDbInstanceId",
  "restoredTableName",
  "restoredVolumeId",
  "restoredBucketName",
] as const satisfies readonly ConfigKey[];
