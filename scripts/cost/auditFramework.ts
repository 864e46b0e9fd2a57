/** The AWS Backup Audit Manager framework's control evaluations: each control, each resource, once a day. */
import { num } from "./amounts";
import { costLine, CostPart } from "./costLine";
import { CostPlan } from "./inputs";
import { PriceBook } from "./prices";

/**
 * The framework's control evaluations a month, at the price file's `backupAuditControlEvaluation` (marked
 * unverified there: AWS Config's rule evaluation price stands in for Audit Manager's own). Assumed: each
 * control evaluates each inventoried resource once a day (AWS Backup developer guide, "AWS Backup Audit
 * Manager controls and remediation": controls occur "automatically every 24 hours"; which resources each
 * control counts is not documented per resource). AWS Config's configuration items, which the controls
 * need recorded, are named in a note and not priced: their number follows the resources' changes.
 */
export function auditFrameworkCost(
  framework: CostPlan["auditFramework"],
  region: string,
  prices: PriceBook,
): CostPart {
  if (!framework) return { lines: [] };
  const days = prices.hoursPerMonth / 24;
  const controls = framework.controls.length;
  const evaluations = controls * framework.resources * days;
  return {
    lines: [
      costLine(prices, {
        section: "audit framework",
        item: `AWS Backup Audit Manager control evaluations (${region}), unverified price`,
        quantity: evaluations,
        unit: "evaluation",
        price: "backupAuditControlEvaluation",
        terms: `${num(controls)} controls (${framework.controls.join(", ")}) x ${num(framework.resources)} resources x ${num(days)} days (assumed: each control evaluates each resource once a day) = ${num(evaluations)} evaluations`,
      }),
    ],
    notes: [
      "The audit framework's evaluation price is unverified: AWS Backup charges Audit Manager per control evaluation, and the price file uses AWS Config's price per rule evaluation in its place (backupAuditControlEvaluation): check it. Its controls also need AWS Config to record the resource types in the primary region; those configuration items are billed by AWS Config and not estimated here.",
    ],
  };
}
