/** Cross-region copies to the DR vault: each run's increment (or full copy) a month, and the first full copy. */
import { num } from "./amounts";
import { drStorageRules } from "./backupRules";
import { CostLine, costLine, CostPart } from "./costLine";
import { CostInputs, CostPlan } from "./inputs";
import { PriceBook } from "./prices";
import { DATA_KINDS, runIncrement } from "./vaultStorage";

/**
 * What crosses regions for the rules that copy to DR: per data kind and rule, a month of copies, and once,
 * when protection starts, the first full copy of each data kind.
 */
export function crossRegionCopies(inputs: CostInputs, plan: CostPlan, prices: PriceBook): CostPart {
  const daysPerMonth = prices.hoursPerMonth / 24;
  const drRules = drStorageRules(plan);
  const lines: CostLine[] = [];
  const oneTime: CostLine[] = [];
  for (const kind of DATA_KINDS) {
    const size = kind.size(inputs);
    if (size <= 0) continue;
    for (const { rule, perDay } of drRules) {
      const perCopy = runIncrement(kind, inputs, perDay);
      const copies = perDay * daysPerMonth;
      const gb = copies * perCopy;
      lines.push(
        costLine(prices, {
          section: "cross-region copies",
          item: `${kind.label} copies of ${rule.name}, ${plan.primaryRegion} -> ${plan.drRegion}`,
          quantity: gb,
          unit: "GB",
          price: "crossRegionTransfer",
          terms: `${num(copies)} copies/month x ${num(perCopy)} GB${kind.incremental ? " changed" : " full"} = ${num(gb)} GB`,
        }),
      );
    }
    if (drRules.length > 0) {
      oneTime.push(
        costLine(prices, {
          section: "cross-region copies",
          item: `first full ${kind.label} copy, ${plan.primaryRegion} -> ${plan.drRegion}`,
          quantity: size,
          unit: "GB",
          price: "crossRegionTransfer",
          terms: `${num(size)} GB`,
        }),
      );
    }
  }
  return { lines, oneTime };
}
