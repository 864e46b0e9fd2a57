import { num, usd } from "./amounts";
import { CostLine } from "./costLine";
import { CostEstimate } from "./estimate";
import { SeedComparison } from "./seed";

const WIDTH = 100;

function row(label: string, amount: string, indent = "  "): string {
  const room = WIDTH - indent.length - amount.length - 1;
  const text = label.length > room ? `${label.slice(0, room - 1)}…` : label;
  return `${indent}${text.padEnd(room)} ${amount}`;
}

/** Wraps `text` at {@link WIDTH}; continuation lines take `hanging` (default `indent`). */
function wrap(text: string, indent: string, hanging = indent): string[] {
  const out: string[] = [];
  let current = "";
  const prefix = () => (out.length === 0 ? indent : hanging);
  for (const word of text.split(" ")) {
    if (current !== "" && prefix().length + current.length + 1 + word.length > WIDTH) {
      out.push(prefix() + current);
      current = word;
    } else {
      current = current === "" ? word : `${current} ${word}`;
    }
  }
  if (current !== "") out.push(prefix() + current);
  return out;
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
