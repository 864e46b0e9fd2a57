/** How the plan shows a resource: short type, region, the inputs that matter, counts per type, display order. */
import { PlannedResource, SECRET, UNKNOWN } from "./engine";

/** Resource types AWS does not place in a region. */
const GLOBAL_TYPE = /^aws:(iam|route53|cloudfront|organizations)\//;

/** The inputs worth a column, per type: dot paths into the inputs (`rules[0].destination.storageClass`). */
const KEY_INPUTS: Record<string, string[]> = {
  "awsx:ec2:Vpc": ["cidrBlock", "availabilityZoneNames", "numberOfAvailabilityZones", "natGateways.strategy"],
  "awsx:lb:ApplicationLoadBalancer": [
    "listener.port",
    "defaultTargetGroup.port",
    "defaultTargetGroup.healthCheck.path",
  ],
  "aws:ec2/vpcEndpoint:VpcEndpoint": ["serviceName", "vpcEndpointType"],
  "aws:ec2/launchTemplate:LaunchTemplate": ["instanceType", "imageId"],
  "aws:autoscaling/group:Group": ["minSize", "desiredCapacity", "maxSize", "waitForCapacityTimeout"],
  "aws:ecs/service:Service": [
    "desiredCount",
    "launchType",
    "deploymentMinimumHealthyPercent",
    "waitForSteadyState",
  ],
  "aws:ecs/taskDefinition:TaskDefinition": ["family", "cpu", "memory"],
  "aws:rds/instance:Instance": [
    "engine",
    "engineVersion",
    "instanceClass",
    "allocatedStorage",
    "multiAz",
    "password",
    "manageMasterUserPassword",
    "deletionProtection",
    "backupWindow",
    "maintenanceWindow",
    "tags.backup",
  ],
  "aws:dynamodb/table:Table": [
    "billingMode",
    "pointInTimeRecovery.enabled",
    "deletionProtectionEnabled",
    "tags.backup",
  ],
  "aws:ebs/volume:Volume": ["availabilityZone", "size", "type", "encrypted", "tags.backup"],
  "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix", "tags.backup"],
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": [
    "bucket",
    "rules[0].destination.bucket",
    "rules[0].destination.storageClass",
    "rules[0].destination.replicationTime.status",
  ],
  "aws:s3/bucketVersioning:BucketVersioning": ["bucket", "versioningConfiguration.status"],
  "aws:kms/key:Key": ["enableKeyRotation", "deletionWindowInDays"],
  "aws:backup/vault:Vault": ["name", "kmsKeyArn"],
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration": [
    "minRetentionDays",
    "maxRetentionDays",
    "changeableForDays",
  ],
  "aws:route53/record:Record": [
    "name",
    "type",
    "setIdentifier",
    "failoverRoutingPolicies[0].type",
    "healthCheckId",
  ],
  "aws:route53/healthCheck:HealthCheck": ["type", "cloudwatchAlarmName", "invertHealthcheck"],
  "aws:rds/subnetGroup:SubnetGroup": ["subnetIds"],
  "pulumi:pulumi:StackReference": ["name"],
};

/** Pulumi's short form of a type token: `aws:autoscaling/group:Group` -> `aws:autoscaling:Group`. */
export function shortType(type: string): string {
  const [pkg, module, member] = type.split(":");
  return member === undefined ? type : `${pkg}:${module.split("/")[0]}:${member}`;
}

/** The region a resource lands in: its `region` input, `global`, or the provider's default. */
export function resourceRegion(resource: PlannedResource, defaultRegion: string | undefined): string {
  const region = resource.inputs.region;
  if (typeof region === "string") return region;
  if (GLOBAL_TYPE.test(resource.type)) return "global";
  if (!resource.custom || resource.type.startsWith("pulumi:")) return "-";
  return `${defaultRegion ?? UNKNOWN} (provider default)`;
}

/** The value at the dot path `dotted` (`rules[0].destination.bucket`) of `inputs`; UNKNOWN stays UNKNOWN. */
export function pick(inputs: unknown, dotted: string): unknown {
  return dotted
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== "")
    .reduce<unknown>((value, part) => {
      if (value === UNKNOWN) return UNKNOWN;
      return typeof value === "object" && value !== null
        ? (value as Record<string, unknown>)[part]
        : undefined;
    }, inputs);
}

/** A value as one short string: strings and the unknown/secret markers as they are, the rest as JSON. */
export function compact(value: unknown): string {
  if (value === UNKNOWN || value === SECRET) return value;
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** `tcp/80<-0.0.0.0/0`: one security group rule, with where it lets traffic from or to. */
function securityGroupRule(rule: Record<string, unknown>, direction: "<-" | "->"): string {
  const ports =
    rule.protocol === "-1"
      ? "all"
      : `${compact(rule.protocol)}/${rule.fromPort === rule.toPort ? compact(rule.fromPort) : `${compact(rule.fromPort)}-${compact(rule.toPort)}`}`;
  const peers = [
    ...(Array.isArray(rule.cidrBlocks) ? rule.cidrBlocks.map(compact) : []),
    ...(Array.isArray(rule.securityGroups) ? rule.securityGroups.map((group) => `sg:${compact(group)}`) : []),
  ];
  return `${ports}${direction}${peers.join(",") || "?"}`;
}

/** The regions of the deployment a plan belongs to (`dr-app:primaryRegion`, `dr-app:drRegion`). */
export interface PlanRegions {
  /** The primary region. @default unknown */
  readonly primary?: string;
  /** The DR region. @default unknown */
  readonly dr?: string;
}

/** The region field of a backup vault's ARN, `arn:<partition>:backup:<region>:<account>:backup-vault:<name>`. */
const VAULT_ARN = /^arn:[\w-]+:backup:([a-z0-9-]+):[^:]*:backup-vault:/;

/**
 * `copy-><region>`: where a backup rule's copy lands. A destination vault ARN names its region; one only a
 * deployment knows (`<unknown>`, another stack's placeholder) lands in the other region of the pair than
 * the plan's, since every plan this program creates copies across the pair: prod's to the DR vault, the dr
 * stack's back to the primary vault. The pair's regions are marked `(primary)` and `(DR)`.
 */
export function copyLabel(destinationVaultArn: unknown, source: unknown, regions: PlanRegions): string {
  const named =
    typeof destinationVaultArn === "string" ? VAULT_ARN.exec(destinationVaultArn)?.[1] : undefined;
  const other = source === regions.primary ? regions.dr : source === regions.dr ? regions.primary : undefined;
  const region = named ?? other;
  if (region === undefined) return `copy->${compact(destinationVaultArn)}`;
  const role = region === regions.primary ? " (primary)" : region === regions.dr ? " (DR)" : "";
  return `copy->${region}${role}`;
}

/** `key=value` pairs of the inputs that matter for this type; `regions` name where a backup plan copies. */
export function keyInputs(resource: PlannedResource, regions: PlanRegions = {}): string {
  if (resource.type === "aws:ec2/securityGroup:SecurityGroup") {
    const list = (key: string, direction: "<-" | "->") => {
      const rules = resource.inputs[key];
      return Array.isArray(rules) && rules.length > 0
        ? `${key}=${rules.map((rule: Record<string, unknown>) => securityGroupRule(rule, direction)).join(",")}`
        : `${key}=none`;
    };
    return `${list("ingress", "<-")} ${list("egress", "->")}`;
  }
  if (resource.type === "aws:backup/selection:Selection" && Array.isArray(resource.inputs.selectionTags)) {
    const tags = resource.inputs.selectionTags as Record<string, unknown>[];
    return `selectionTags=${tags.map((tag) => `${compact(tag.key)}=${compact(tag.value)}`).join(",")}`;
  }
  if (resource.type === "aws:backup/plan:Plan") {
    const rules = resource.inputs.rules;
    if (!Array.isArray(rules)) return `rules=${compact(rules)}`;
    return rules
      .map((rule: Record<string, unknown>) => {
        const lifecycle = (rule.lifecycle ?? {}) as Record<string, unknown>;
        // A second copy to the same region goes to another vault there (prod's: the isolated copy).
        const copies = (Array.isArray(rule.copyActions) ? rule.copyActions : [])
          .map((copy: Record<string, unknown>) =>
            copyLabel(copy.destinationVaultArn, resource.inputs.region, regions),
          )
          .map((label, index, labels) => ` ${labels.indexOf(label) < index ? `${label} again` : label}`)
          .join("");
        const cold =
          lifecycle.coldStorageAfter !== undefined ? ` cold ${compact(lifecycle.coldStorageAfter)}d` : "";
        return `${compact(rule.ruleName)}: ${compact(rule.schedule)} keep ${compact(lifecycle.deleteAfter)}d${cold}${copies}`;
      })
      .join("; ");
  }
  return (KEY_INPUTS[resource.type] ?? [])
    .map((path) => [path, pick(resource.inputs, path)] as const)
    .filter(([, value]) => value !== undefined)
    .map(([path, value]) => `${path}=${compact(value)}`)
    .join(" ");
}

/** How many resources of each type the plan creates, the most numerous first. */
export function resourceCounts(resources: readonly PlannedResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const resource of resources) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
  return [...counts].sort(([a, m], [b, n]) => n - m || shortType(a).localeCompare(shortType(b)));
}

/** Components first, then the stack's region, the other regions and global resources; by type and name. */
export function sortForDisplay(
  resources: readonly PlannedResource[],
  stackRegion: string | undefined,
): PlannedResource[] {
  const rank = (resource: PlannedResource) => {
    const region = resourceRegion(resource, stackRegion);
    if (region === "-") return 0;
    if (region === stackRegion) return 1;
    return region === "global" ? 3 : 2;
  };
  return [...resources].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      resourceRegion(a, stackRegion).localeCompare(resourceRegion(b, stackRegion)) ||
      shortType(a.type).localeCompare(shortType(b.type)) ||
      a.name.localeCompare(b.name),
  );
}
