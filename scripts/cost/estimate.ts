import {
  BackupRuleArgs,
  copyLifecycle,
  DEFAULT_HORIZON_START,
  DEFAULT_SCHEDULE,
  DEFAULT_TIME_ZONE,
  LifecycleArgs,
  parseAwsCron,
} from "@restorekit/backup-restore-dr";
import { PriceBook, PriceKey } from "./prices";

/** Endpoint-AZ-hours a month of `endpoints` interface endpoints, each in `zones` availability zones. */
export function interfaceEndpointHours(endpoints: number, zones: number, hoursPerMonth: number): number {
  return endpoints * zones * hoursPerMonth;
}

/** The sizes the estimate is for: what the user tells it about the protected data. */
export interface CostInputs {
  /** GB of RDS database storage the plan backs up. */
  readonly dbGb: number;
  /** GB of S3 data replicated to the DR region. */
  readonly s3Gb: number;
  /** GB of EBS volumes the plan backs up (instance volumes and standalone volumes together). */
  readonly ebsGb: number;
  /** GB of DynamoDB tables the plan backs up. */
  readonly dynamodbGb: number;
  /** EC2 instances whose volumes make up part of `ebsGb` (shown, not priced on its own). */
  readonly instances: number;
  /** Percent of the RDS, EBS and DynamoDB data that changes (new or overwritten blocks) per day. */
  readonly dailyChangePct: number;
  /** Percent of the S3 data written (new or overwritten objects) per day. */
  readonly s3DailyChangePct: number;
  /** Average size of an S3 object in MB, which sets the number of replication PUT requests. */
  readonly s3ObjectMb: number;
}

/** The dr stack as it idles in standby. */
export interface IdleDrEnvironment {
  /** Internet-facing Application Load Balancers. */
  readonly loadBalancers: number;
  /** Availability zones of each load balancer: one public IPv4 address each. */
  readonly availabilityZones: number;
  /** NAT gateways (a dr stack must have none). */
  readonly natGateways: number;
  /**
   * Interface VPC endpoints, each in every availability zone (stacks/interfaceEndpoints.ts
   * `interfaceEndpointCount`): the EC2 API one the servers attach their volume through, Secrets Manager's
   * for their database credential, and `interfaceEndpoints` (Session Manager, logs).
   */
  readonly interfaceEndpoints: number;
}

/** What the deployment does with the data: the plan, the replication, the idle dr stack. */
export interface CostPlan {
  /** Name of the plan, e.g. `seed`. */
  readonly name: string;
  readonly primaryRegion: string;
  readonly drRegion: string;
  /** The backup plan's rules, with their schedules, lifecycles and copies to DR. */
  readonly rules: readonly BackupRuleArgs[];
  /** S3 cross-region replication; unset: S3 is not replicated. */
  readonly s3Replication?: {
    /** Storage class of the replicas: `STANDARD` or `STANDARD_IA`. */
    readonly storageClass: string;
    readonly replicationTimeControl: boolean;
  };
  /** Customer managed KMS keys the protection creates (the two vault keys). */
  readonly kmsKeys: number;
  /** CloudWatch alarms the protection creates (failure metrics of both vaults). */
  readonly alarms: number;
  readonly idleDr: IdleDrEnvironment;
  /** DNS failover: the operator's switch, two Route 53 health checks on a CloudWatch alarm (stacks/README.md). */
  readonly failoverSwitch: boolean;
}

/** Which part of the bill a line belongs to. */
export type CostSection =
  | "primary vault"
  | "DR vault"
  | "cross-region copies"
  | "S3 replication"
  | "idle dr stack"
  | "keys and alarms";

/** One line of the estimate, with the arithmetic that gives it. */
export interface CostLine {
  readonly section: CostSection;
  readonly item: string;
  /** Amount of `unit` per month (or once, for one-time lines). */
  readonly quantity: number;
  readonly unit: string;
  /** Dollars per `unit`. */
  readonly unitPrice: number;
  /** Dollars per month (once, for one-time lines), rounded to the cent. */
  readonly monthly: number;
  /** Every factor, written out: `500 GB full + 96 x 10 GB = 1,460 GB-month x $0.095 = $138.70`. */
  readonly arithmetic: string;
  /** The price key used. */
  readonly price: PriceKey;
}

/** The estimate: lines, total and what it assumes. */
export interface CostEstimate {
  readonly plan: string;
  readonly primaryRegion: string;
  readonly drRegion: string;
  readonly inputs: CostInputs;
  /** Monthly lines. */
  readonly lines: CostLine[];
  /** Sum of the lines' rounded `monthly` amounts. */
  readonly total: number;
  /** Costs paid once when protection starts (first full copies), not in `total`. */
  readonly oneTime: CostLine[];
  readonly oneTimeTotal: number;
  /** The model, one sentence each. */
  readonly model: string[];
  /** Things the estimate leaves out or cannot know. */
  readonly notes: string[];
  readonly prices: {
    readonly title: string;
    readonly asOf: string;
    readonly notice: string;
    readonly file?: string;
  };
}

/** A data set AWS Backup protects, and how its backups are stored and billed. */
interface DataKind {
  readonly label: string;
  readonly size: (inputs: CostInputs) => number;
  /** Incremental (snapshot chains) or a full copy per backup. */
  readonly incremental: boolean;
  readonly warmPrice: PriceKey;
  /** Cold tier price; unset when AWS has no cold storage for the type. */
  readonly coldPrice?: PriceKey;
  /** Whether the rule must opt in to the archive tier for cold storage to apply. */
  readonly coldNeedsArchiveOptIn?: boolean;
}

const KINDS: readonly DataKind[] = [
  { label: "RDS", size: (i) => i.dbGb, incremental: true, warmPrice: "backupWarmRds" },
  {
    label: "EBS",
    size: (i) => i.ebsGb,
    incremental: true,
    warmPrice: "backupWarmEbs",
    coldPrice: "backupColdEbs",
    coldNeedsArchiveOptIn: true,
  },
  {
    label: "DynamoDB",
    size: (i) => i.dynamodbGb,
    incremental: false,
    warmPrice: "backupWarmDynamodb",
    coldPrice: "backupColdDynamodb",
  },
];

const DAYS_PER_YEAR = 365;

/**
 * Average runs per day of a rule's schedule over the year from {@link DEFAULT_HORIZON_START}, in the rule's
 * time zone (24 for hourly, 1 for daily, 1/7 for weekly).
 */
export function runsPerDay(rule: BackupRuleArgs): number {
  const schedule = parseAwsCron(rule.schedule ?? DEFAULT_SCHEDULE);
  const from = DEFAULT_HORIZON_START;
  const to = new Date(from.getTime() + DAYS_PER_YEAR * 86_400_000);
  const runs = schedule.runsBetween(from, to, rule.scheduleTimezone ?? DEFAULT_TIME_ZONE).length;
  return runs / DAYS_PER_YEAR;
}

/** Rounds to the cent, half up, after removing binary floating-point noise (730 x 0.0225 = 16.43). */
export function cents(amount: number): number {
  return Math.round(Number((amount * 100).toPrecision(12))) / 100;
}

/** A number for arithmetic text: whole numbers plain, others to 2 decimals (4 below 10), with separators. */
export function num(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const digits = Math.abs(value) >= 10 ? 2 : 4;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Dollars to the cent: `$1,234.56`. */
export function usd(amount: number): string {
  return `${amount < 0 ? "-" : ""}$${Math.abs(amount).toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;
}

/** A unit price as the price file gives it: `$0.0125`. */
function unitUsd(price: number): string {
  return `$${price}`;
}

interface StorageRule {
  readonly rule: BackupRuleArgs;
  readonly lifecycle: LifecycleArgs;
  readonly perDay: number;
}

/** Days a recovery point stays warm, and days it spends cold, for `kind` under `lifecycle`. */
function tiers(kind: DataKind, lifecycle: LifecycleArgs): { warmDays: number; coldDays: number } {
  const cold = lifecycle.moveToColdStorageAfterDays;
  const applies =
    kind.coldPrice !== undefined &&
    cold !== undefined &&
    cold < lifecycle.deleteAfterDays &&
    (!kind.coldNeedsArchiveOptIn || lifecycle.optInToArchiveForSupportedResources === true);
  return applies
    ? { warmDays: cold, coldDays: lifecycle.deleteAfterDays - cold }
    : { warmDays: lifecycle.deleteAfterDays, coldDays: 0 };
}

/**
 * Estimates the monthly cost of the DR protection of `inputs` under `plan` at `prices`. Pure: same inputs,
 * same lines. The model (also returned in `model`):
 *
 * - Snapshot types (RDS, EBS) are incremental: a region holds one full copy of the data plus, for every
 *   retained recovery point after the first of each rule, the data changed since the previous run of that
 *   rule (`size x dailyChangePct / runsPerDay`, at most the full size). Retained points = runs per day x
 *   retention days. DynamoDB backups are full copies, one per recovery point.
 * - A point is warm until the lifecycle's cold day and cold until its delete day. RDS has no cold storage
 *   (AWS keeps it warm whatever the lifecycle says); EBS goes cold (the Snapshots Archive tier, where each
 *   point is a full copy) only when the rule opts in to archiving; DynamoDB goes cold with AWS Backup's
 *   advanced features, which its cross-region copies need anyway.
 * - The DR vault holds the copies of the rules that copy, under the copy lifecycle. Each copy after the
 *   first moves that run's increment across regions (a full copy for DynamoDB).
 * - S3 replicas are billed at the replica storage class for the whole data set; every day's written data
 *   crosses regions once and is one PUT per object in the replica bucket.
 * - The idle dr stack is its load balancer (hours, capacity units, one public IPv4 address per zone) and any
 *   NAT gateway; its Auto Scaling group runs nothing in standby.
 */
export function estimateCost(inputs: CostInputs, plan: CostPlan, prices: PriceBook): CostEstimate {
  const daysPerMonth = prices.hoursPerMonth / 24;
  const price = (key: PriceKey) => prices.prices[key].usd;
  const lines: CostLine[] = [];
  const oneTime: CostLine[] = [];
  const notes: string[] = [];
  const line = (
    target: CostLine[],
    section: CostSection,
    item: string,
    quantity: number,
    unit: string,
    key: PriceKey,
    terms: string,
  ) => {
    const unitPrice = price(key);
    const monthly = cents(quantity * unitPrice);
    target.push({
      section,
      item,
      quantity,
      unit,
      unitPrice,
      monthly,
      price: key,
      arithmetic: `${terms} x ${unitUsd(unitPrice)}/${prices.prices[key].unit} = ${usd(monthly)}`,
    });
  };

  const primaryRules: StorageRule[] = plan.rules.map((rule) => ({
    rule,
    lifecycle: rule.lifecycle,
    perDay: runsPerDay(rule),
  }));
  const drRules: StorageRule[] = plan.rules.flatMap((rule) => {
    const copy = copyLifecycle(rule);
    return copy ? [{ rule, lifecycle: copy, perDay: runsPerDay(rule) }] : [];
  });
  const changeFraction = inputs.dailyChangePct / 100;

  for (const [section, region, rules] of [
    ["primary vault", plan.primaryRegion, primaryRules],
    ["DR vault", plan.drRegion, drRules],
  ] as const) {
    for (const kind of KINDS) {
      const size = kind.size(inputs);
      if (size <= 0 || rules.length === 0) continue;
      const warmTerms: string[] = [];
      const coldTerms: string[] = [];
      let warm = 0;
      let cold = 0;
      if (kind.incremental) {
        warm += size;
        warmTerms.push(`${num(size)} GB full copy`);
      }
      for (const { rule, lifecycle, perDay } of rules) {
        const { warmDays, coldDays } = tiers(kind, lifecycle);
        const warmPoints = perDay * warmDays;
        const coldPoints = perDay * coldDays;
        const pointsText = (points: number, days: number) =>
          perDay === 1 ? num(points) : `(${num(perDay)}/day x ${num(days)} d = ${num(points)})`;
        if (kind.incremental) {
          const increment = Math.min(size, (size * changeFraction) / perDay);
          const extra = Math.max(0, warmPoints - 1);
          warm += extra * increment;
          warmTerms.push(`${rule.name}: (${pointsText(warmPoints, warmDays)} - 1) x ${num(increment)} GB`);
        } else {
          warm += warmPoints * size;
          warmTerms.push(`${rule.name}: ${pointsText(warmPoints, warmDays)} x ${num(size)} GB`);
        }
        if (coldPoints > 0) {
          cold += coldPoints * size;
          coldTerms.push(`${rule.name}: ${pointsText(coldPoints, coldDays)} x ${num(size)} GB full`);
        }
      }
      line(
        lines,
        section,
        `${kind.label} backups, warm (${region})`,
        warm,
        "GB-month",
        kind.warmPrice,
        `${warmTerms.join(" + ")} = ${num(warm)} GB-month`,
      );
      if (cold > 0 && kind.coldPrice) {
        line(
          lines,
          section,
          `${kind.label} backups, cold (${region})`,
          cold,
          "GB-month",
          kind.coldPrice,
          `${coldTerms.join(" + ")} = ${num(cold)} GB-month`,
        );
      }
    }
  }

  for (const kind of KINDS) {
    const size = kind.size(inputs);
    if (size <= 0) continue;
    for (const { rule, perDay } of drRules) {
      const perCopy = kind.incremental ? Math.min(size, (size * changeFraction) / perDay) : size;
      const copies = perDay * daysPerMonth;
      const gb = copies * perCopy;
      line(
        lines,
        "cross-region copies",
        `${kind.label} copies of ${rule.name}, ${plan.primaryRegion} -> ${plan.drRegion}`,
        gb,
        "GB",
        "crossRegionTransfer",
        `${num(copies)} copies/month x ${num(perCopy)} GB${kind.incremental ? " changed" : " full"} = ${num(gb)} GB`,
      );
    }
    if (drRules.length > 0) {
      line(
        oneTime,
        "cross-region copies",
        `first full ${kind.label} copy, ${plan.primaryRegion} -> ${plan.drRegion}`,
        size,
        "GB",
        "crossRegionTransfer",
        `${num(size)} GB`,
      );
    }
  }

  if (inputs.s3Gb > 0 && plan.s3Replication) {
    const replication = plan.s3Replication;
    const storageKey: PriceKey | undefined =
      replication.storageClass === "STANDARD"
        ? "s3Standard"
        : replication.storageClass === "STANDARD_IA"
          ? "s3StandardIa"
          : undefined;
    if (storageKey === undefined) {
      throw new Error(
        `no price for the replica storage class ${replication.storageClass}: the price file has STANDARD and STANDARD_IA`,
      );
    }
    line(
      lines,
      "S3 replication",
      `S3 replica storage, ${replication.storageClass} (${plan.drRegion})`,
      inputs.s3Gb,
      "GB-month",
      storageKey,
      `${num(inputs.s3Gb)} GB`,
    );
    const written = inputs.s3Gb * (inputs.s3DailyChangePct / 100) * daysPerMonth;
    const writtenText = `${num(inputs.s3Gb)} GB x ${num(inputs.s3DailyChangePct)}%/day x ${num(daysPerMonth)} days = ${num(written)} GB`;
    line(
      lines,
      "S3 replication",
      `S3 replication transfer, ${plan.primaryRegion} -> ${plan.drRegion}`,
      written,
      "GB",
      "crossRegionTransfer",
      writtenText,
    );
    const thousands = (written * 1024) / inputs.s3ObjectMb / 1000;
    line(
      lines,
      "S3 replication",
      `S3 replication PUT requests (${plan.drRegion})`,
      thousands,
      "1,000 requests",
      "s3PutRequests",
      `${num(written)} GB x 1,024 MB/GB / ${num(inputs.s3ObjectMb)} MB per object = ${num(thousands)} thousand PUTs`,
    );
    if (replication.replicationTimeControl) {
      line(
        lines,
        "S3 replication",
        "S3 Replication Time Control",
        written,
        "GB",
        "s3ReplicationTimeControl",
        `${num(written)} GB replicated`,
      );
    }
    line(
      oneTime,
      "S3 replication",
      `objects already in the bucket (S3 Batch Replication), ${plan.primaryRegion} -> ${plan.drRegion}`,
      inputs.s3Gb,
      "GB",
      "crossRegionTransfer",
      `${num(inputs.s3Gb)} GB`,
    );
    notes.push(
      "Replication needs versioning on both buckets: overwritten and deleted objects stay as noncurrent versions, billed as storage in both regions until a lifecycle rule expires them. Not estimated here.",
      "Live replication copies only objects written after it is enabled; the objects already in the bucket need S3 Batch Replication (a job fee per object, not estimated).",
    );
  } else if (inputs.s3Gb > 0) {
    notes.push(`S3 (${num(inputs.s3Gb)} GB) is not replicated by this deployment, so it adds nothing here.`);
  }

  const hours = prices.hoursPerMonth;
  const idle = plan.idleDr;
  line(
    lines,
    "idle dr stack",
    `Application Load Balancer (${plan.drRegion})`,
    idle.loadBalancers * hours,
    "ALB-hour",
    "albHour",
    `${num(idle.loadBalancers)} ALB x ${num(hours)} h`,
  );
  line(
    lines,
    "idle dr stack",
    "load balancer capacity units",
    0,
    "LCU-hour",
    "albLcuHour",
    `${num(idle.loadBalancers)} ALB x ${num(hours)} h x 0 LCU (no traffic in standby)`,
  );
  line(
    lines,
    "idle dr stack",
    "public IPv4 addresses of the load balancer",
    idle.loadBalancers * idle.availabilityZones * hours,
    "IP-hour",
    "publicIpv4Hour",
    `${num(idle.loadBalancers)} ALB x ${num(idle.availabilityZones)} zones x ${num(hours)} h`,
  );
  line(
    lines,
    "idle dr stack",
    "NAT gateways",
    idle.natGateways * hours,
    "NAT-hour",
    "natGatewayHour",
    `${num(idle.natGateways)} NAT gateways x ${num(hours)} h`,
  );
  line(
    lines,
    "idle dr stack",
    "interface VPC endpoints (EC2 API, Secrets Manager; with interfaceEndpoints Session Manager, CloudWatch Logs)",
    interfaceEndpointHours(idle.interfaceEndpoints, idle.availabilityZones, hours),
    "endpoint-AZ-hour",
    "vpcInterfaceEndpointAzHour",
    `${num(idle.interfaceEndpoints)} endpoints${idle.interfaceEndpoints === 0 ? " (dr-app:interfaceEndpoints false)" : ""} x ${num(idle.availabilityZones)} zones x ${num(hours)} h`,
  );
  if (plan.failoverSwitch) {
    line(
      lines,
      "keys and alarms",
      "Route 53 health checks of the DNS failover switch",
      2,
      "health-check-month",
      "route53HealthCheckMonth",
      "2 health checks (serve-primary, serve-dr) on one alarm",
    );
    line(
      lines,
      "keys and alarms",
      `CloudWatch alarm of the DNS failover switch (${plan.drRegion})`,
      1,
      "alarm-month",
      "cloudwatchAlarmMonth",
      "1 alarm",
    );
  }
  line(
    lines,
    "keys and alarms",
    `KMS keys (${plan.primaryRegion}, ${plan.drRegion})`,
    plan.kmsKeys,
    "key-month",
    "kmsKeyMonth",
    `${num(plan.kmsKeys)} keys (primary and DR vault keys; the replicas use the DR key)`,
  );
  line(
    lines,
    "keys and alarms",
    "CloudWatch alarms on failed backup, copy and restore jobs",
    plan.alarms,
    "alarm-month",
    "cloudwatchAlarmMonth",
    `${num(plan.alarms)} alarms`,
  );

  const ignoredCold = plan.rules.some((rule) => rule.lifecycle.moveToColdStorageAfterDays !== undefined);
  const model = [
    "Snapshot backups (RDS, EBS) are incremental: each region holds one full copy plus, per retained recovery point after the first of each rule, the data changed since that rule's previous run (size x daily change / runs per day, at most the full size).",
    "Retained recovery points = runs per day x retention days; DynamoDB backups are full copies, one per recovery point.",
    "A point is warm until the lifecycle's cold day and cold until its delete day, for the types with cold storage.",
    `Months have ${num(hours)} hours (${num(daysPerMonth)} days); each line is rounded to the cent and the total is the sum of the rounded lines.`,
    "Copies to the DR vault after the first are incremental and move each run's changed data across regions; the first full copy is a one-time cost.",
  ];
  if (ignoredCold && inputs.dbGb > 0) {
    notes.push(
      "RDS has no cold storage: AWS ignores the plan's move to cold storage for RDS and keeps its snapshots warm for the whole retention.",
    );
  }
  if (inputs.ebsGb > 0 && plan.rules.some((r) => r.lifecycle.moveToColdStorageAfterDays !== undefined)) {
    notes.push(
      "EBS goes cold only in rules that opt in to the EBS Snapshots Archive tier (optInToArchiveForSupportedResources), where each archived point is a full copy of the volume; rules that do not opt in keep EBS warm. Check AWS Backup's 'Feature availability by resource' table for your account.",
    );
  }
  if (inputs.dbGb > 0) {
    notes.push(
      "RDS gives free backup storage up to the provisioned database size in the primary region only; the database's own automated backups usually use it, so no credit is taken.",
    );
  }
  notes.push(
    "Restores, restore testing, KMS and S3 request charges besides replication PUTs, and the dr stack's running cost after a failover are not monthly overhead and are left out; a restore from cold storage also pays a retrieval charge.",
  );

  const sum = (items: CostLine[]) => cents(items.reduce((total, item) => total + item.monthly, 0));
  return {
    plan: plan.name,
    primaryRegion: plan.primaryRegion,
    drRegion: plan.drRegion,
    inputs,
    lines,
    total: sum(lines),
    oneTime,
    oneTimeTotal: sum(oneTime),
    model,
    notes,
    prices: {
      title: prices.title,
      asOf: prices.asOf,
      notice: prices.notice,
      ...(prices.file !== undefined && { file: prices.file }),
    },
  };
}
