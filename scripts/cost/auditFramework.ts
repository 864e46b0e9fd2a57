/** The AWS Backup Audit Manager framework's control evaluations: each control, each resource, once a day. */
import { num } from "./amounts";
import { costLine, CostPart } from "./costLine";
import { CostPlan } from "./inputs";
import { PriceBook } from "./prices";

/**
 * What `dr cost` and `dr plan` say of a framework whose controls have no tag scope, in place of a price:
 * AWS evaluates every resource of the controls' types in the region (AWS Backup developer guide,
 * "Creating frameworks using the AWS Backup API": with no scope input the default scope is all of them), each evaluation billed.
 */
export const UNSCOPED_AUDIT =
  "The audit framework's control evaluations are not estimated: its controls have no tag scope, so they evaluate, and bill, every resource of their types in the region";

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
  if (framework.resources === undefined) {
    return { lines: [], notes: [`${UNSCOPED_AUDIT} (${region}: ${framework.controls.join(", ")}).`] };
  }
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
