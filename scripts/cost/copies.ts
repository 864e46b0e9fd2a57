/** Cross-region copies to the DR vault: each run's increment (or full copy) a month, and the first full copy. */
import { num } from "./amounts";
import { drStorageRules, isolatedStorageRules, StorageRule } from "./backupRules";
import { CostLine, costLine, CostPart } from "./costLine";
import { CostInputs, CostPlan } from "./inputs";
import { PriceBook } from "./prices";
import { DataSet, dataSets, runIncrement } from "./vaultStorage";

/** Where copies go: the DR vault, and the isolated vault, each copy job crossing regions on its own. */
interface CopyDestination {
  /** Said after the regions in each line's item: empty for the DR vault. */
  readonly label: string;
  readonly rules: readonly StorageRule[];
}

/**
 * What crosses regions for the rules that copy to DR: per data kind, destination (the DR vault, and the
 * isolated vault when the plan has it) and rule, a month of copies, and once, when protection starts, the
 * first full copy of each data kind to each destination.
 */
export function crossRegionCopies(inputs: CostInputs, plan: CostPlan, prices: PriceBook): CostPart {
  const destinations: CopyDestination[] = [
    { label: "", rules: drStorageRules(plan) },
    { label: " (isolated vault)", rules: isolatedStorageRules(plan) },
  ];
  const lines: CostLine[] = [];
  const oneTime: CostLine[] = [];
  for (const set of dataSets(inputs)) {
    if (set.gb <= 0) continue;
    for (const destination of destinations) {
      const copies = copiesTo(destination, set, inputs, plan, prices);
      lines.push(...copies.lines);
      oneTime.push(...copies.oneTime);
    }
  }
  return { lines, oneTime };
}

/** One destination's copies of one data kind: a month of each rule's copies, and the first full copy. */
function copiesTo(
  { label, rules }: CopyDestination,
  set: DataSet,
  inputs: CostInputs,
  plan: CostPlan,
  prices: PriceBook,
): { lines: CostLine[]; oneTime: CostLine[] } {
  const daysPerMonth = prices.hoursPerMonth / 24;
  const size = set.gb;
  const route = `${plan.primaryRegion} -> ${plan.drRegion}${label}`;
  const lines = rules.map(({ rule, perDay }) => {
    const perCopy = runIncrement(set, inputs, perDay);
    const copies = perDay * daysPerMonth;
    const gb = copies * perCopy;
    return costLine(prices, {
      section: "cross-region copies",
      item: `${set.label} copies of ${rule.name}, ${route}`,
      quantity: gb,
      unit: "GB",
      price: "crossRegionTransfer",
      terms: `${num(copies)} copies/month x ${num(perCopy)} GB${set.kind.incremental ? " changed" : " full"} = ${num(gb)} GB`,
    });
  });
  const oneTime =
    rules.length > 0
      ? [
          costLine(prices, {
            section: "cross-region copies",
            item: `first full ${set.label} copy, ${route}`,
            quantity: size,
            unit: "GB",
            price: "crossRegionTransfer",
            terms: `${num(size)} GB`,
          }),
        ]
      : [];
  return { lines, oneTime };
}
