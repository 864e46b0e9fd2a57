import type { DrPosture, RegionPosture } from "@restorekit/backup-restore-dr";
import { RESTORED_KEYS } from "../../stacks/config";
import type { RestoredDataProtection } from "../../stacks/restoredDataProtection";
import { alignRow, columnWidths } from "../output";
import { PlannedResource, SECRET, UNKNOWN } from "./engine";
import { num, usd } from "../cost/amounts";
import { natGatewayCount } from "../cost/plan";
import { PriceBook, PriceKey } from "../cost/prices";
import { PlanDiagnostic, PlanResult } from "./evaluate";
import { controlPlanes, FlipChange, outsideFlipScope } from "./flipChanges";

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

function pick(inputs: unknown, dotted: string): unknown {
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

function compact(value: unknown): string {
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

/** `key=value` pairs of the inputs that matter for this type. */
export function keyInputs(resource: PlannedResource): string {
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
        const copies = Array.isArray(rule.copyActions) && rule.copyActions.length > 0 ? " copy->DR" : "";
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

/** Something the resources bill by the hour, with what it costs a month at the price file's prices. */
export interface HourlyCharge {
  /** The resource and what bills, e.g. `app-alb: application load balancer (hours, LCUs and ...)`. */
  readonly charge: string;
  /** Dollars a month at the price file's hourly prices; unset when the file has no price for it. */
  readonly monthlyUsd?: number;
  /** How `monthlyUsd` is reached, term by term, or where the price is to be found. */
  readonly arithmetic: string;
}

/** The VPC's availability zones as the program asked for them (awsx picks two when it names none). */
function zoneCount(resources: readonly PlannedResource[]): number {
  const vpc = resources.find((resource) => resource.type === "awsx:ec2:Vpc");
  const names = vpc?.inputs.availabilityZoneNames;
  if (Array.isArray(names)) return names.length;
  const count = vpc?.inputs.numberOfAvailabilityZones;
  return typeof count === "number" ? count : 2;
}

/**
 * What the resources bill by the hour, whatever they hold (what a standby dr stack should keep small),
 * each with its monthly cost at `prices`, the price file `dr cost` uses. Traffic (LCUs, data) is extra.
 */
export function hourlyCharges(resources: readonly PlannedResource[], prices: PriceBook): HourlyCharge[] {
  const hours = prices.hoursPerMonth;
  const zones = zoneCount(resources);
  const at = (charge: string, terms: [number, string, PriceKey][], note = ""): HourlyCharge => {
    const monthlyUsd =
      Math.round(terms.reduce((sum, [n, , key]) => sum + n * hours * prices.prices[key].usd, 0) * 100) / 100;
    const sum = terms
      .map(([n, what, key]) => `${num(n)} ${what} x ${num(hours)} h x $${prices.prices[key].usd}`)
      .join(" + ");
    return { charge, monthlyUsd, arithmetic: `${sum} = ${usd(monthlyUsd)}${note}` };
  };
  const unpriced = (charge: string, what: string, page: string): HourlyCharge => ({
    charge,
    arithmetic: `no ${what} price in the price file: see ${page}`,
  });
  // Interface endpoints bill per endpoint and availability zone whether or not anything uses them.
  const endpoints = resources.filter(
    (resource) =>
      resource.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && resource.inputs.vpcEndpointType === "Interface",
  );
  const endpointCharges =
    endpoints.length === 0
      ? []
      : [
          at(`${endpoints.map((endpoint) => endpoint.name).join(", ")}: interface VPC endpoints`, [
            [endpoints.length * zones, "endpoint-AZ", "vpcInterfaceEndpointAzHour"],
          ]),
        ];
  const standing = resources.flatMap((resource) => {
    const inputs = resource.inputs;
    switch (resource.type) {
      case "awsx:lb:ApplicationLoadBalancer":
        return [
          at(
            `${resource.name}: application load balancer (hours, LCUs and its public IPv4 addresses)`,
            [
              [1, "ALB", "albHour"],
              [zones, "public IPv4", "publicIpv4Hour"],
            ],
            "; LCUs with traffic on top",
          ),
        ];
      case "awsx:ec2:Vpc": {
        const strategy = pick(inputs, "natGateways.strategy");
        const gateways = natGatewayCount(String(strategy), zones);
        return strategy === "None"
          ? []
          : [
              at(`${resource.name}: NAT gateways (${compact(strategy)}) and their Elastic IPs`, [
                [gateways, "NAT gateway", "natGatewayHour"],
                [gateways, "Elastic IP", "publicIpv4Hour"],
              ]),
            ];
      }
      case "aws:autoscaling/group:Group": {
        const desired = inputs.desiredCapacity;
        const template = resources.find((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate")?.inputs;
        return desired === 0
          ? []
          : [
              unpriced(
                `${resource.name}: ${compact(desired)} EC2 instance(s) (min ${compact(inputs.minSize)})`,
                `EC2 ${compact(template?.instanceType ?? UNKNOWN)}`,
                prices.source.ec2 ?? "the EC2 pricing page",
              ),
            ];
      }
      case "aws:rds/instance:Instance":
        return [
          unpriced(
            `${resource.name}: RDS ${compact(inputs.instanceClass)}${inputs.multiAz === true ? " Multi-AZ" : ""}`,
            `RDS ${compact(inputs.instanceClass)}`,
            prices.source.rds ?? "the RDS pricing page",
          ),
        ];
      default:
        return [];
    }
  });
  return [...standing, ...endpointCharges];
}

/** Width of the text plan: longer lines are wrapped (`--json` carries every value in full). */
export const TEXT_WIDTH = 120;

/**
 * `words` filled into lines of at most `width`, the first starting with `first`, the others with
 * `hanging`; a word longer than a line is cut with "…".
 */
export function fillWords(
  words: readonly string[],
  first: string,
  hanging: string,
  width = TEXT_WIDTH,
): string[] {
  const lines: string[] = [];
  let current = first;
  let hasWord = false;
  for (const word of words) {
    if (hasWord && current.length + 1 + word.length > width) {
      lines.push(current);
      current = hanging;
      hasWord = false;
    }
    const room = width - current.length - (hasWord ? 1 : 0);
    current += `${hasWord ? " " : ""}${word.length > room ? `${word.slice(0, room - 1)}…` : word}`;
    hasWord = true;
  }
  lines.push(current);
  return lines;
}

/** `line` within `width`: wrapped at spaces, continuation lines indented 4 more than the line. */
export function wrapLine(line: string, width = TEXT_WIDTH): string[] {
  if (line.length <= width) return [line];
  const lead = line.length - line.trimStart().length;
  return fillWords(line.slice(lead).split(" "), line.slice(0, lead), " ".repeat(lead + 4), width);
}

/**
 * Rows in aligned columns, none wider than `maxColumn` (a longer cell pushes the rest of its row). A row
 * longer than `width` puts its last cell on the lines below, indented, so the columns stay aligned.
 */
function table(
  rows: string[][],
  indent = "  ",
  width = Number.POSITIVE_INFINITY,
  maxColumn = width,
): string[] {
  const widths = columnWidths(rows).map((columnWidth) => Math.min(maxColumn, columnWidth));
  const render = (row: string[]) => alignRow(row, widths, indent);
  return rows.flatMap((row) => {
    const line = render(row);
    if (line.length <= width) return [line];
    return [render(row.slice(0, -1)), ...wrapLine(`${indent}    ${row[row.length - 1]}`, width)];
  });
}

/** How many resources of each type the plan creates, the most numerous first. */
export function resourceCounts(resources: readonly PlannedResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const resource of resources) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
  return [...counts].sort(([a, m], [b, n]) => n - m || shortType(a).localeCompare(shortType(b)));
}

function minutes(value: number | undefined): string {
  return value === undefined ? "unbounded" : `${value} min`;
}

function lock(region: RegionPosture): string {
  const l = region.lock;
  if (!l) return "none";
  const bounds = [
    l.minRetentionDays !== undefined ? `min ${l.minRetentionDays} d` : undefined,
    l.maxRetentionDays !== undefined ? `max ${l.maxRetentionDays} d` : undefined,
    l.changeableForDays !== undefined ? `immutable after ${l.changeableForDays} d` : undefined,
  ].filter((part) => part !== undefined);
  return `${l.mode}${bounds.length ? ` (${bounds.join(", ")})` : ""}`;
}

/**
 * The DR posture BackupRestoreDR computed for the prod stack: worst-case RPO per region against the
 * objective (with its arithmetic), retention, cold storage, copies to DR, Vault Lock and S3 replication.
 */
export function renderPosture(posture: DrPosture): string[] {
  const meets = (region: RegionPosture) =>
    region.meetsRpo === undefined ? "no objective" : region.meetsRpo ? "yes" : "NO";
  const objective = (value: number | undefined) => (value === undefined ? "none" : `${value} min`);
  const regions = [
    ["primary", posture.primary],
    ["dr", posture.dr],
  ] as const;
  return [
    "DR posture (from BackupRestoreDR):",
    `  Objectives: RPO ${objective(posture.rpoMinutes)}, RTO ${objective(posture.rtoMinutes)}`,
    ...table([
      ["REGION", "SIDE", "WORST-CASE RPO", "MEETS RPO", "LONGEST RETENTION", "COLD AFTER", "VAULT LOCK"],
      ...regions.map(([side, region]) => [
        region.region,
        side,
        minutes(region.worstCaseRpoMinutes),
        meets(region),
        region.longestRetentionDays === undefined ? "-" : `${region.longestRetentionDays} d`,
        region.coldStorageAfterDays === undefined ? "never" : `${region.coldStorageAfterDays} d`,
        lock(region),
      ]),
    ]),
    "  Worst case, term by term:",
    ...regions.map(([, region]) => `    ${region.region}: ${region.rpoArithmetic}`),
    `  Rules storing in ${posture.primary.region}: ${posture.primary.rules.join(", ") || "none"}`,
    `  Copies to ${posture.dr.region}: ${posture.dr.rules.length > 0 ? posture.dr.rules.join(", ") : "none: no rule copies to DR"}`,
    `  S3 replication: ${posture.replicatedBuckets} bucket(s) to ${posture.dr.region}, ${
      posture.replicationRpoMinutes === undefined
        ? "no time bound (Replication Time Control off)"
        : `within ${posture.replicationRpoMinutes} min (Replication Time Control)`
    }`,
    `  RTO: ${objective(posture.rtoMinutes)} objective; a drill measures it (the recovery CLI's drill command).`,
  ];
}

/** The prod side's data: its own resources, or what a failback restored (the same keys as the dr stack's). */
function renderFailedBack(result: PlanResult): string {
  const set = RESTORED_KEYS.flatMap((name) => {
    const value = result.config[`${result.project}:${name}`]?.value ?? "";
    return value === "" ? [] : [`${name}=${value}`];
  });
  return set.length > 0
    ? `  Failed-back data the servers use (the rest is prod's own; the pre-disaster resources stay): ${set.join(" ")}`
    : "  Data the servers use: prod's own (no failed-back identifiers set)";
}

/** The dr stack's plan for restored data: what it selects, where it stores and copies, how often, from when. */
function renderRestoredDataProtection(protection: RestoredDataProtection | undefined): string[] {
  if (protection === undefined || typeof protection !== "object") return [];
  const tags = Object.entries(protection.selectionTags)
    .map(([key, value]) => `${key}=${value}`)
    .join(" or ");
  const within = (region: RegionPosture) =>
    region.worstCaseRpoMinutes === undefined ? "unbounded" : `within ${region.worstCaseRpoMinutes} min`;
  return [
    `  Restored data protection (exists in standby; selects nothing until a recovery restores tagged resources):`,
    `    Selects resources in ${protection.local.region} tagged ${tags} (prod's data: ${protection.resourceTypes.join(", ")})`,
    `    Stores in ${compact(protection.vaultName)}: ${protection.local.rules.join(", ")}; first recovery point ${within(
      protection.local,
    )} of a restore (${protection.local.rpoArithmetic})`,
    `    Copies to ${compact(protection.copyVaultArn)}: ${protection.copies.rules.join(", ") || "none"}; ${within(
      protection.copies,
    )} once ${protection.copies.region} answers (${protection.copies.rpoArithmetic})`,
    `    While ${protection.copies.region} is down: ${protection.copiesWhilePrimaryDown}`,
  ];
}

/** The dr side's posture: mode, capacity, what it reads from prod, the restored data it is pointed at. */
function renderDrPosture(result: PlanResult): string[] {
  const outputs = result.outputs ?? {};
  const capacity = (outputs.capacity ?? {}) as Record<string, unknown>;
  const config = (name: string) => result.config[`${result.project}:${name}`]?.value ?? "";
  const primary = config("primaryStack");
  return [
    `DR posture: mode ${result.mode}, capacity ${compact(capacity.minSize)}/${compact(capacity.desiredCapacity)}/${compact(
      capacity.maxSize,
    )} (min/desired/max); RPO ${compact(outputs.rpoMinutes)} min and RTO ${compact(outputs.rtoMinutes)} min from ${primary}.`,
    `  Prod's backups, copies and replication live in the ${primary} stack: \`npm run plan -- --stack ${primary}\` shows them.`,
    ...renderRestoredDataProtection(outputs.restoredDataProtection as RestoredDataProtection | undefined),
    `  Restored data: ${RESTORED_KEYS.map((name) => `${name}=${config(name) || "(unset)"}`).join(" ")}`,
    `  Application bucket: ${compact(outputs.appBucketName)}; DNS: ${
      outputs.dnsName !== undefined
        ? `${compact(outputs.dnsName)}'s SECONDARY record -> this load balancer, answered while the failover switch is 1`
        : "no public name configured"
    }`,
  ];
}

/** What a flip from standby changes and the control planes it calls: the dr stack's static stability. */
export function renderFlip(changes: readonly FlipChange[], region: string): string[] {
  const { inRegion, outside } = controlPlanes(changes, region);
  const beyond = outsideFlipScope(changes);
  return [
    "Flip from standby (this config with dr-app:mode standby and no restored identifiers) changes:",
    ...(changes.length > 0
      ? changes.map((change) => `  ~ ${shortType(change.type)} ${change.name}: ${change.keys.join(", ")}`)
      : ["  nothing"]),
    `  Control planes called: ${inRegion.join(", ") || "none"}; outside ${region}: ${outside.join(", ") || "none"}.`,
    ...(beyond.length > 0
      ? [
          "  Not statically stable: a flip must change only the Auto Scaling group and the launch template, but",
          ...beyond.map((sentence) => `    ${sentence}`),
        ]
      : []),
  ];
}

function renderDiagnostics(stackLabel: string, diagnostics: readonly PlanDiagnostic[]): string[] {
  if (diagnostics.length === 0) return [];
  const indent = (message: string) => message.split("\n").join("\n        ");
  return [
    "Diagnostics:",
    `  pulumi:pulumi:Stack (${stackLabel}):`,
    ...diagnostics.map((d) => `    ${d.severity}: ${indent(d.message)}`),
  ];
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

/** The human-readable plan, within {@link TEXT_WIDTH} columns; `prices` give the hourly items' cost. */
export function renderText(result: PlanResult, prices: PriceBook): string {
  const stackLabel = `${result.project}-${result.stack}`;
  const configErrors = result.diagnostics.filter((d) => d.phase === "config" && d.severity === "error");
  if (configErrors.length > 0) {
    // Pulumi reports these before it starts the program, as a bare `error:` line.
    return configErrors.map((d) => `error: ${d.message}`).join("\n") + "\n";
  }
  const lines: string[] = [
    `Previewing update (${result.stack}) offline: the real program on Pulumi's mock engine; nothing reaches AWS or a Pulumi backend.`,
    `Config: Pulumi.yaml defaults + ${result.stackFile}${
      Object.values(result.config).some((entry) => entry.source === "override") ? " + --config" : ""
    }; role ${result.role ?? UNKNOWN}${
      result.mode ? `, mode ${result.mode}` : ""
    }, aws:region ${result.region ?? UNKNOWN}`,
    "",
  ];
  const failed = result.diagnostics.some((d) => d.severity === "error");
  if (!failed) {
    const custom = result.resources.filter((r) => r.custom || r.type.startsWith("awsx:"));
    lines.push(
      `Resources: ${custom.length} to create, ${result.resources.length - custom.length} component(s); <unknown>: known only after deployment`,
      ...table(
        [
          ["TYPE", "NAME", "REGION", "INPUTS THAT MATTER"],
          ...sortForDisplay(result.resources, result.region).map((r) => [
            `+ ${shortType(r.type)}`,
            r.name,
            resourceRegion(r, result.region),
            keyInputs(r),
          ]),
        ],
        "  ",
        TEXT_WIDTH,
        36,
      ),
      "",
      ...fillWords(
        resourceCounts(result.resources).map(
          ([type, count], index, all) => `${count} ${shortType(type)}${index < all.length - 1 ? "," : ""}`,
        ),
        "By type: ",
        "    ",
      ),
      "",
    );
    for (const reference of result.stackReferences) {
      lines.push(`StackReference ${reference.name}: ${reference.note}`);
      lines.push(
        ...Object.entries(reference.outputs).map(([key, value]) => `  ${key}: ${compact(value)}`),
        "",
      );
    }
    for (const invoke of result.invokes) {
      lines.push(`Invoke ${invoke.token}: ${invoke.answer}`, "");
    }
    lines.push(
      "Outputs:",
      ...Object.entries(result.outputs ?? {}).map(([key, value]) =>
        key === "posture" ? `  posture: (below)` : `  ${key}: ${compact(value)}`,
      ),
      "",
    );
    lines.push(
      ...(result.posture
        ? [...renderPosture(result.posture), renderFailedBack(result)]
        : renderDrPosture(result)),
      "",
    );
    if (result.flip) lines.push(...renderFlip(result.flip, result.region ?? UNKNOWN), "");
    const charges = hourlyCharges(result.resources, prices);
    const total = charges.reduce((sum, charge) => sum + (charge.monthlyUsd ?? 0), 0);
    lines.push(
      `Billed by the hour while deployed (besides storage and requests), a month at the prices of ${prices.asOf}:`,
      ...(charges.length > 0
        ? charges.flatMap((charge) => [
            `  ${charge.charge}: ${charge.monthlyUsd === undefined ? "not priced" : `${usd(charge.monthlyUsd)}/month`}`,
            `    ${charge.arithmetic}`,
          ])
        : ["  nothing"]),
      ...(charges.some((charge) => charge.monthlyUsd !== undefined)
        ? [
            `  Priced items: ${usd(total)}/month (dr cost --help: the whole estimate, from the same price file)`,
          ]
        : []),
      "",
    );
  }
  lines.push(...renderDiagnostics(stackLabel, result.diagnostics));
  if (failed) lines.push("", `error: preview failed: the program for stack ${result.stack} did not evaluate`);
  return lines
    .flatMap((line) => line.split("\n"))
    .flatMap((line) => wrapLine(line))
    .join("\n")
    .replace(/\n*$/, "\n");
}

/** The machine-readable plan (`--json`), every value in full. */
export function renderJson(result: PlanResult, prices: PriceBook): string {
  return (
    JSON.stringify(
      {
        project: result.project,
        stack: result.stack,
        offline: true,
        stackFile: result.stackFile,
        role: result.role,
        mode: result.mode,
        region: result.region,
        config: result.config,
        resources: sortForDisplay(result.resources, result.region).map((r) => ({
          type: r.type,
          name: r.name,
          custom: r.custom,
          region: resourceRegion(r, result.region),
          inputs: r.inputs,
        })),
        resourceCount: result.resources.length,
        stackReferences: result.stackReferences,
        invokes: result.invokes,
        outputs: result.outputs,
        posture: result.posture,
        resourceCounts: Object.fromEntries(resourceCounts(result.resources)),
        hourlyCharges: hourlyCharges(result.resources, prices),
        prices: { title: prices.title, asOf: prices.asOf, file: prices.file },
        ...(result.flip && {
          flip: {
            changes: result.flip,
            controlPlanes: controlPlanes(result.flip, result.region ?? ""),
            outsideScope: outsideFlipScope(result.flip),
          },
        }),
        diagnostics: result.diagnostics,
      },
      null,
      2,
    ) + "\n"
  );
}
