// The plan benchmark: the prod program evaluated offline with 1, 50 and 500 replicated buckets, median times.
import * as path from "path";
import type { StackSettings } from "../stacks/config";
import { evaluatePlan } from "../scripts/plan/evaluate";
import { benchRules, RULE_COUNT } from "./planRules";

/** Replicated bucket counts the benchmark sizes the prod program to. */
export const BUCKET_COUNTS = [1, 50, 500] as const;
/** Timed evaluations per size, after one untimed warm-up; the median is reported. */
const RUNS = 3;

/** The prod settings with the application bucket and `buckets - 1` further buckets replicated. */
function sized(buckets: number): (settings: StackSettings) => StackSettings {
  return (settings) => {
    if (settings.role !== "primary") throw new Error("the benchmark sizes the prod stack");
    const extraBuckets = Array.from(
      { length: buckets - 1 },
      (_, i) => `bench-source-${String(i + 1).padStart(4, "0")}`,
    );
    return {
      ...settings,
      plan: { rules: benchRules() },
      replication: { ...settings.replication, replicateAppBucket: true, extraBuckets },
    };
  };
}

async function timeOnce(buckets: number): Promise<{ ms: number; resources: number }> {
  const result = await evaluatePlan({
    projectDir: path.resolve(__dirname, ".."),
    stack: "prod",
    adjustSettings: sized(buckets),
  });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || result.evaluationMs === undefined) {
    throw new Error(
      `the prod program failed with ${buckets} buckets: ${errors.map((e) => e.message).join("; ")}`,
    );
  }
  return { ms: result.evaluationMs, resources: result.resources.length };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  // Pulumi's runtime logs through console.warn when no engine is attached; the timings are the output here.
  console.warn = () => undefined;
  await timeOnce(1);
  const rows: { buckets: number; resources: number; ms: number }[] = [];
  for (const buckets of BUCKET_COUNTS) {
    const runs: number[] = [];
    let resources = 0;
    for (let run = 0; run < RUNS; run++) {
      const timed = await timeOnce(buckets);
      runs.push(timed.ms);
      resources = timed.resources;
    }
    rows.push({ buckets, resources, ms: median(runs) });
  }
  const base = rows[0].ms;
  const header = ["replicated buckets", "rules", "resources", "median ms", "x 1 bucket", "ms per resource"];
  const lines = rows.map((row) => [
    String(row.buckets),
    String(RULE_COUNT),
    String(row.resources),
    row.ms.toFixed(0),
    (row.ms / base).toFixed(1),
    (row.ms / row.resources).toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i])).join("  ");
  process.stdout.write(
    [
      `prod program on the Pulumi mock engine (preview mode, ${RULE_COUNT} backup rules), median of ${RUNS} runs, Node ${process.version}`,
      format(header),
      ...lines.map(format),
      "",
    ].join("\n"),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
