/** The estimate: the cost model's parts composed into lines, totals, the model's sentences and notes. */
import { cents, num } from "./amounts";
import { auditFrameworkCost } from "./auditFramework";
import { CostLine, CostPart } from "./costLine";
import { crossRegionCopies } from "./copies";
import { idleDrStack } from "./idleDr";
import { CostInputs, CostPlan } from "./inputs";
import { keysAndAlarms } from "./keysAndAlarms";
import { PriceBook } from "./prices";
import { s3Replication } from "./replication";
import { backupKindOf, vaultStorage } from "./vaultStorage";

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
 *   first moves that run's increment across regions (a full copy for DynamoDB). With the isolated copy, the
 *   logically air-gapped vault holds the same copies again, warm, and its copy jobs cross regions too.
 * - S3 replicas are billed at the replica storage class for the whole data set; every day's written data
 *   crosses regions once and is one PUT per object in the replica bucket.
 * - The idle dr stack is its load balancer (hours, capacity units, one public IPv4 address per zone) and any
 *   NAT gateway; its Auto Scaling group runs nothing in standby.
 */
export function estimateCost(inputs: CostInputs, plan: CostPlan, prices: PriceBook): CostEstimate {
  const storage = vaultStorage(inputs, plan, prices);
  const copies = crossRegionCopies(inputs, plan, prices);
  const replication = s3Replication(inputs, plan, prices);
  const audit = auditFrameworkCost(plan.auditFramework, plan.primaryRegion, prices);
  const parts: CostPart[] = [
    storage,
    copies,
    replication,
    idleDrStack(plan, prices),
    keysAndAlarms(plan, prices),
    audit,
  ];
  const lines = parts.flatMap((part) => part.lines);
  const oneTime = parts.flatMap((part) => part.oneTime ?? []);
  const sum = (items: readonly CostLine[]) => cents(items.reduce((total, item) => total + item.monthly, 0));
  return {
    plan: plan.name,
    primaryRegion: plan.primaryRegion,
    drRegion: plan.drRegion,
    inputs,
    lines,
    total: sum(lines),
    oneTime,
    oneTimeTotal: sum(oneTime),
    model: modelSentences(prices.hoursPerMonth),
    notes: [
      ...unpricedEntries(inputs),
      ...(replication.notes ?? []),
      ...(storage.notes ?? []),
      ...(audit.notes ?? []),
      LEFT_OUT,
    ],
    prices: {
      title: prices.title,
      asOf: prices.asOf,
      notice: prices.notice,
      ...(prices.file !== undefined && { file: prices.file }),
    },
  };
}

/** The inventory entries no line prices, and why: no price for their backups, no size, or not replicated. */
function unpricedEntries(inputs: CostInputs): string[] {
  const unpriced = (inputs.entries ?? []).flatMap((entry) => {
    if (entry.kind !== "s3" && !backupKindOf(entry.kind)) {
      return [`${entry.name} (${entry.kind}): the price file has no price for its backups`];
    }
    if (entry.gb <= 0) return [`${entry.name} (${entry.kind}): ${entry.size}`];
    if (entry.kind === "s3" && !entry.replicated) return [`${entry.name} (s3): not replicated`];
    return [];
  });
  return unpriced.length > 0 ? [`Inventory entries no line prices: ${unpriced.join("; ")}.`] : [];
}

/** What no line prices: costs that are not monthly overhead. */
const LEFT_OUT =
  "Restores, restore testing, KMS and S3 request charges besides replication PUTs, and the dr stack's running cost after a failover are not monthly overhead and are left out; a restore from cold storage also pays a retrieval charge.";

/** The model the lines follow, one sentence each, for months of `hoursPerMonth` hours. */
function modelSentences(hoursPerMonth: number): string[] {
  return [
    "Snapshot backups (RDS, EBS) are incremental: each region holds one full copy plus, per retained recovery point after the first of each rule, the data changed since that rule's previous run (size x daily change / runs per day, at most the full size).",
    "Retained recovery points = runs per day x retention days; DynamoDB backups are full copies, one per recovery point.",
    "A point is warm until the lifecycle's cold day and cold until its delete day, for the types with cold storage.",
    `Months have ${num(hoursPerMonth)} hours (${num(hoursPerMonth / 24)} days); each line is rounded to the cent and the total is the sum of the rounded lines.`,
    "Copies to the DR vault after the first are incremental and move each run's changed data across regions; the first full copy is a one-time cost.",
    "With the isolated copy, a logically air-gapped vault in the DR region holds a second chain of the DR copies, warm for the copy's retention, and each copy job to it crosses regions on its own (incremental storage there is assumed like a standard vault's).",
  ];
}
