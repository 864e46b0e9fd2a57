// Writing a run's HTML page and the directory's index beside its Markdown and JSON, and the Markdown's "at a glance" lines.
import * as fs from "fs";
import * as path from "path";
import { RehearsalLabel } from "../../dependencies";
import { formatDuration } from "../../time";
import { Provenance, collectProvenance } from "./provenance";
import {
  RunSummary,
  Trend,
  previousRun,
  readRunSummaries,
  summarize,
  trend,
  trendText,
  writeAtomically,
  writeReportIndex,
} from "./reportIndex";
import { Timeline, criticalPath } from "./timeline";

/** What a run's page and glance lines need besides the report: the runs around it and its provenance. */
export interface RunSurroundings {
  readonly provenance: Provenance;
  readonly trend?: Trend;
  /** Every run in the directory with this one, oldest first: the index is written from it. */
  readonly runs: readonly RunSummary[];
}

/** The file name a report of `report`'s kind gets (`rehearsal-drill-<runId>`), without extension. */
export function reportBaseName(report: {
  readonly kind: string;
  readonly runId: string;
  readonly rehearsal?: RehearsalLabel;
}): string {
  return `${report.rehearsal ? "rehearsal-" : ""}${report.kind}-${report.runId}`;
}

/**
 * The runs already reported in `dir` with this one among them (a resumed run replaces its own earlier
 * report), the previous run of its kind, and the provenance of this process.
 */
export async function runSurroundings(
  report: Parameters<typeof summarize>[1] & {
    readonly kind: string;
    readonly runId: string;
    readonly rehearsal?: RehearsalLabel;
  },
  dir: string,
): Promise<RunSurroundings> {
  const file = `${reportBaseName(report)}.json`;
  const self = summarize(file, report);
  const others = await readRunSummaries(dir, file);
  const runs = self
    ? [...others, self].sort((a, b) =>
        a.startedAt === b.startedAt ? a.runId.localeCompare(b.runId) : a.startedAt < b.startedAt ? -1 : 1,
      )
    : others;
  const previous = self ? previousRun(runs, self) : undefined;
  return {
    provenance: await collectProvenance(report.rehearsal),
    trend: self && previous ? trend(self, previous) : undefined,
    runs,
  };
}

/** The Markdown's closing section: where the picture is, the critical path, the trend, the provenance. */
export function glanceMarkdown(
  baseName: string,
  timeline: Timeline,
  surroundings: RunSurroundings,
  timeName = "RTO",
): string {
  const critical = new Set(criticalPath(timeline));
  const steps = timeline.bars
    .filter((b) => critical.has(b.id) && !timeline.bars.some((c) => c.phase === b.id))
    .map(
      (b) => `${b.label} (${formatDuration((b.endMs ?? timeline.endMs) - (b.startMs ?? timeline.startMs))})`,
    );
  const p = surroundings.provenance;
  return [
    "",
    "## At a glance",
    "",
    `- Timeline, ${timeName} by phase and objectives per resource: \`${baseName}.html\` (every run and its trend: \`index.html\`)`,
    `- Critical path: ${steps.join(" -> ") || "-"}`,
    surroundings.trend
      ? `- Against the previous run ${surroundings.trend.previous.runId}: ${trendText(surroundings.trend, timeName)}`
      : "- Against the previous run: none of its kind in this directory yet",
    `- Tool ${p.toolVersion}, commit ${p.commit ?? "-"}, operator ${p.operator}: \`${p.commandLine.replace(/`/g, "'")}\``,
    "",
  ].join("\n");
}

/** Writes the run's page beside its JSON report and rewrites the directory's index; returns both paths. */
export async function writePageAndIndex(
  jsonFile: string,
  page: string,
  runs: readonly RunSummary[],
): Promise<{ html: string; index: string }> {
  const dir = path.dirname(jsonFile);
  await fs.promises.mkdir(dir, { recursive: true });
  const html = jsonFile.replace(/\.json$/, ".html");
  await writeAtomically(html, page);
  const index = await writeReportIndex(dir, runs);
  return { html, index: index.html };
}
