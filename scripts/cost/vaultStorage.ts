/** Backup storage in the primary and DR vaults: warm and cold GB-months per data kind, incremental or full. */
import { LifecycleArgs } from "@restorekit/backup-restore-dr";
import { num } from "./amounts";
import { drStorageRules, isolatedStorageRules, primaryStorageRules } from "./backupRules";
import { CostLine, costLine, CostPart } from "./costLine";
import { CostInputs, CostPlan } from "./inputs";
import { PriceBook, PriceKey } from "./prices";

/** A kind of data AWS Backup protects, and how its backups are stored and billed. */
export interface BackupKind {
  readonly label: string;
  readonly size: (inputs: CostInputs) => number;
  /** Incremental (snapshot chains) or a full copy per backup. */
  readonly incremental: boolean;
  readonly warmPrice: PriceKey;
  /** Price in a logically air-gapped vault. */
  readonly isolatedPrice: PriceKey;
  /** Cold tier price; unset when AWS has no cold storage for the type. */
  readonly coldPrice?: PriceKey;
  /** Whether the rule must opt in to the archive tier for cold storage to apply. */
  readonly coldNeedsArchiveOptIn?: boolean;
}

/** The data kinds the plan backs up: RDS and EBS snapshots (incremental), DynamoDB backups (full). */
export const DATA_KINDS: readonly BackupKind[] = [
  {
    label: "RDS",
    size: (i) => i.dbGb,
    incremental: true,
    warmPrice: "backupWarmRds",
    isolatedPrice: "backupIsolatedRds",
  },
  {
    label: "EBS",
    size: (i) => i.ebsGb,
    incremental: true,
    warmPrice: "backupWarmEbs",
    isolatedPrice: "backupIsolatedEbs",
    coldPrice: "backupColdEbs",
    coldNeedsArchiveOptIn: true,
  },
  {
    label: "DynamoDB",
    size: (i) => i.dynamodbGb,
    incremental: false,
    warmPrice: "backupWarmDynamodb",
    isolatedPrice: "backupIsolatedDynamodb",
    coldPrice: "backupColdDynamodb",
  },
];

/** One priced set of backups: an inventory entry, or a kind's total when the inputs have no entries. */
export interface DataSet {
  /** `orders-db (rds)`, or the kind's label (`RDS`). */
  readonly label: string;
  readonly kind: BackupKind;
  readonly gb: number;
}

/** The inventory kinds priced as each backup kind. */
const KIND_OF_ENTRY: Readonly<Record<string, string>> = { rds: "RDS", ebs: "EBS", dynamodb: "DynamoDB" };

/** The backup kind an inventory entry's backups are priced as; undefined when the price file has none (Aurora, EFS) or for S3, priced by its replication. */
export function backupKindOf(entryKind: string): BackupKind | undefined {
  return DATA_KINDS.find((k) => k.label === KIND_OF_ENTRY[entryKind]);
}

/** What the estimate prices: each inventory entry of a priced kind with a size, else each kind's total. */
export function dataSets(inputs: CostInputs): DataSet[] {
  if (!inputs.entries) {
    return DATA_KINDS.map((kind) => ({ label: kind.label, kind, gb: kind.size(inputs) }));
  }
  return inputs.entries.flatMap((entry) => {
    const kind = backupKindOf(entry.kind);
    return kind ? [{ label: `${entry.name} (${entry.kind})`, kind, gb: entry.gb }] : [];
  });
}

/** GB that one run of a rule running `perDay` times a day adds for `set`: its increment, or a full copy. */
export function runIncrement(set: DataSet, inputs: CostInputs, perDay: number): number {
  const size = set.gb;
  return set.kind.incremental ? Math.min(size, (size * (inputs.dailyChangePct / 100)) / perDay) : size;
}

/** Days a recovery point stays warm, and days it spends cold, for `kind` under `lifecycle`. */
function tiers(kind: BackupKind, lifecycle: LifecycleArgs): { warmDays: number; coldDays: number } {
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
 * The primary vault's and the DR vault's storage, warm and cold, per data kind, the isolated (logically
 * air-gapped) vault's when the plan has it, and the notes on cold storage AWS does not apply and on RDS's
 * free backup storage.
 */
export function vaultStorage(inputs: CostInputs, plan: CostPlan, prices: PriceBook): CostPart {
  const lines: CostLine[] = [];
  for (const [section, region, rules, isolated] of [
    ["primary vault", plan.primaryRegion, primaryStorageRules(plan), false],
    ["DR vault", plan.drRegion, drStorageRules(plan), false],
    ["isolated vault", plan.drRegion, isolatedStorageRules(plan), true],
  ] as const) {
    for (const set of dataSets(inputs)) {
      const { kind, gb: size } = set;
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
          const increment = runIncrement(set, inputs, perDay);
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
      lines.push(
        costLine(prices, {
          section,
          item: `${set.label} backups, ${isolated ? "logically air-gapped" : "warm"} (${region})`,
          quantity: warm,
          unit: "GB-month",
          price: isolated ? kind.isolatedPrice : kind.warmPrice,
          terms: `${warmTerms.join(" + ")} = ${num(warm)} GB-month`,
        }),
      );
      if (cold > 0 && kind.coldPrice) {
        lines.push(
          costLine(prices, {
            section,
            item: `${set.label} backups, cold (${region})`,
            quantity: cold,
            unit: "GB-month",
            price: kind.coldPrice,
            terms: `${coldTerms.join(" + ")} = ${num(cold)} GB-month`,
          }),
        );
      }
    }
  }
  return { lines, notes: storageNotes(inputs, plan) };
}

/** What the storage lines cannot show: cold storage AWS ignores or needs opting in to, RDS's free storage. */
function storageNotes(inputs: CostInputs, plan: CostPlan): string[] {
  const notes: string[] = [];
  const movesToCold = plan.rules.some((rule) => rule.lifecycle.moveToColdStorageAfterDays !== undefined);
  if (movesToCold && inputs.dbGb > 0) {
    notes.push(
      "RDS has no cold storage: AWS ignores the plan's move to cold storage for RDS and keeps its snapshots warm for the whole retention.",
    );
  }
  if (inputs.ebsGb > 0 && movesToCold) {
    notes.push(
      "EBS goes cold only in rules that opt in to the EBS Snapshots Archive tier (optInToArchiveForSupportedResources), where each archived point is a full copy of the volume; rules that do not opt in keep EBS warm. Check AWS Backup's 'Feature availability by resource' table for your account.",
    );
  }
  if (plan.isolatedCopy) {
    notes.push(
      "The logically air-gapped vault's prices (backupIsolated* in the price file) could not be checked against AWS Backup's pricing page when the file was written and are the standard warm prices: check them. Its copies are never deleted early: the vault's compliance lock keeps each one for its whole retention.",
    );
  }
  if (inputs.dbGb > 0) {
    notes.push(
      "RDS gives free backup storage up to the provisioned database size in the primary region only; the database's own automated backups usually use it, so no credit is taken.",
    );
  }
  return notes;
}
