/** The estimate as text (every line with its arithmetic under it, wrapped at 100 columns) and as JSON. */
import { amountRow, wrapText } from "../output";
import { num, usd } from "./amounts";
import { CostLine } from "./costLine";
import { CostEstimate } from "./estimate";
import { SeedComparison } from "./seed";

/** Width of the estimate's text. */
const WIDTH = 100;

/** `label` with `amount` flush right on the estimate's width. */
function row(label: string, amount: string, indent = "  "): string {
  return amountRow(label, amount, WIDTH, indent);
}

/** `text` wrapped at the estimate's width; continuation lines take `hanging` (default `indent`). */
function wrap(text: string, indent: string, hanging = indent): string[] {
  // Words longer than a line stay whole: the price file's notice may hold a link.
  return wrapText(text, { width: WIDTH, first: indent, hanging, longWords: "whole" });
}

function renderLines(lines: readonly CostLine[]): string[] {
  const out: string[] = [];
  let section = "";
  for (const line of lines) {
    if (line.section !== section) {
      section = line.section;
      out.push("", section);
    }
    out.push(row(line.item, usd(line.monthly)));
    out.push(...wrap(line.arithmetic, "      "));
  }
  return out;
}

/**
 * The estimate as text: the prices' date and notice, the inputs, every line with its arithmetic under it,
 * the monthly total, the one-time costs, the model and the notes; then the comparison with the guide's
 * claim when one is given.
 */
export function renderCostText(estimate: CostEstimate, comparison?: SeedComparison): string {
  const i = estimate.inputs;
  const out: string[] = [
    `Monthly DR overhead estimate: plan ${estimate.plan}, ${estimate.primaryRegion} -> ${estimate.drRegion}`,
    `Prices: ${estimate.prices.title}, as of ${estimate.prices.asOf}${estimate.prices.file ? ` (${estimate.prices.file})` : ""}`,
    ...wrap(estimate.prices.notice, "  "),
    "",
    "Inputs:",
    ...wrap(
      `database ${num(i.dbGb)} GB, S3 ${num(i.s3Gb)} GB, EBS ${num(i.ebsGb)} GB (${num(i.instances)} instances), ` +
        `DynamoDB ${num(i.dynamodbGb)} GB, daily change ${num(i.dailyChangePct)}% (S3 ${num(i.s3DailyChangePct)}%), ` +
        `S3 objects ${num(i.s3ObjectMb)} MB on average`,
      "  ",
    ),
    ...(i.entries && i.entries.length > 0
      ? [
          "Data inventory:",
          ...i.entries.flatMap((e) => wrap(`${e.name} (${e.kind}): ${e.size}`, "  ", "    ")),
        ]
      : []),
    ...renderLines(estimate.lines),
    "",
    "-".repeat(WIDTH),
    row("Total per month", usd(estimate.total), ""),
  ];
  if (estimate.oneTime.length > 0) {
    out.push("", "One-time, when protection starts (not in the total)");
    for (const line of estimate.oneTime) {
      out.push(row(line.item, usd(line.monthly)));
      out.push(...wrap(line.arithmetic, "      "));
    }
    out.push(row("One-time total", usd(estimate.oneTimeTotal), ""));
  }
  out.push("", "Model");
  for (const sentence of estimate.model) out.push(...wrap(`- ${sentence}`, "  ", "    "));
  out.push("", "Not in the estimate");
  for (const sentence of estimate.notes) out.push(...wrap(`- ${sentence}`, "  ", "    "));
  if (comparison) {
    out.push(
      "",
      "Against the guide's claim",
      row(`this estimate, for ${comparison.claim.example}`, `${usd(comparison.total)}/month`),
      row("the guide, for the same example", `${comparison.claim.text} (the guide's claim)`),
      ...wrap(
        comparison.verdict === "within"
          ? "The estimate falls within the guide's range."
          : comparison.verdict === "above"
            ? `The estimate is ${usd(comparison.total - comparison.claim.high)} above the top of the guide's range (${(comparison.total / comparison.claim.high).toFixed(1)}x).`
            : `The estimate is ${usd(comparison.claim.low - comparison.total)} below the bottom of the guide's range.`,
        "  ",
      ),
    );
    for (const sentence of comparison.explanation) out.push(...wrap(`- ${sentence}`, "  ", "    "));
  }
  return `${out.join("\n")}\n`;
}

/** The estimate (and comparison) as pretty-printed JSON. */
export function renderCostJson(estimate: CostEstimate, comparison?: SeedComparison): string {
  return `${JSON.stringify({ ...estimate, ...(comparison && { comparison }) }, null, 2)}\n`;
}
