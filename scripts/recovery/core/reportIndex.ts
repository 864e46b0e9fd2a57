// The index of the report directory: every run with its RTO, RPO and outcome, and the trend against the previous run of its kind.
import * as fs from "fs";
import * as path from "path";
import { RehearsalLabel } from "../../dependencies";
import { formatDuration } from "../../time";
import { htmlPage, metText, verdictHtml } from "./reportPage";
import { escapeXml } from "./timeline";

/** One run of the report directory, as the index and the comparison read it from its JSON report. */
export interface RunSummary {
  /** The JSON report's file name in the directory. */
  readonly file: string;
  /** The file the index links: the HTML page beside it (a failback's Markdown). */
  readonly page: string;
  /** recover, drill, failback, failback-drill. */
  readonly kind: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly outcome: string;
  readonly stack: string;
  readonly rehearsal?: RehearsalLabel;
  /** Recover and drill: the measured RTO; failback: the measured failback time. Seconds. */
  readonly timeSeconds?: number;
  readonly rtoTargetMinutes?: number;
  readonly rtoMet?: boolean;
  /** Achieved RPO (recover, drill), minutes. */
  readonly rpoMinutes?: number;
  readonly rpoTargetMinutes?: number;
  readonly rpoMet?: boolean;
  /**
   * Each job's resource and duration, to name the resources that got slower; a restore's type, resource
   * name and source ARN (absent in a report that lacks it), for the restore-time calibration.
   */
  readonly jobs: readonly {
    readonly name: string;
    readonly durationSeconds?: number;
    readonly restore?: {
      readonly resourceType: string;
      readonly resourceName: string;
      readonly resourceArn?: string;
    };
  }[];
}

/** The fields of a recover, drill or failback JSON report that a summary reads. */
interface ReportFields {
  kind?: unknown;
  runId?: unknown;
  startedAt?: unknown;
  outcome?: unknown;
  stack?: string;
  drStack?: string;
  rehearsal?: RehearsalLabel;
  failbackSeconds?: number;
  rto?: { measuredSeconds?: number; targetMinutes?: number; met?: boolean };
  rpo?: { achievedMinutes?: number; targetMinutes?: number; met?: boolean };
  jobs?: {
    kind?: string;
    resourceType?: string;
    resourceName?: string;
    resourceArn?: string;
    resource?: string;
    durationSeconds?: number;
    status?: string;
  }[];
}

const RUN_KINDS = new Set(["recover", "drill", "failback", "failback-drill"]);

/** The summary of one JSON report, or undefined for any other JSON file (a cycle report, a stray file). */
export function summarize(file: string, report: ReportFields): RunSummary | undefined {
  if (
    typeof report.kind !== "string" ||
    !RUN_KINDS.has(report.kind) ||
    typeof report.runId !== "string" ||
    typeof report.startedAt !== "string" ||
    typeof report.outcome !== "string"
  ) {
    return undefined;
  }
  const failback = report.kind.startsWith("failback");
  return {
    file,
    // A failback has no HTML page yet: its Markdown is what the index links.
    page: file.replace(/\.json$/, failback ? ".md" : ".html"),
    kind: report.kind,
    runId: report.runId,
    startedAt: report.startedAt,
    outcome: report.outcome,
    stack: report.stack ?? report.drStack ?? "",
    ...(report.rehearsal ? { rehearsal: report.rehearsal } : {}),
    timeSeconds: failback ? report.failbackSeconds : report.rto?.measuredSeconds,
    rtoTargetMinutes: report.rto?.targetMinutes,
    rtoMet: report.rto?.met,
    rpoMinutes: report.rpo?.achievedMinutes,
    rpoTargetMinutes: report.rpo?.targetMinutes,
    rpoMet: report.rpo?.met,
    jobs: (report.jobs ?? []).map((j) => ({
      name: `${j.kind && j.kind !== "restore" ? `${j.kind} ` : ""}${j.resourceType ?? ""} ${j.resourceName ?? j.resource ?? ""}`.trim(),
      durationSeconds: j.durationSeconds,
      ...((j.kind === undefined || j.kind === "restore") &&
        j.status === "COMPLETED" &&
        j.resourceType !== undefined &&
        j.resourceName !== undefined && {
          restore: {
            resourceType: j.resourceType,
            resourceName: j.resourceName,
            ...(j.resourceArn !== undefined && { resourceArn: j.resourceArn }),
          },
        }),
    })),
  };
}

/**
 * Every run whose JSON report is in `dir`, oldest first (by start, then run id); none when it is missing.
 * `except` (a file name) is not read: the report of the run being written, which may not be complete, or
 * not a file at all (a pipe). Only regular files are read, so nothing there can block the run.
 */
export async function readRunSummaries(dir: string, except?: string): Promise<RunSummary[]> {
  let names: string[];
  try {
    names = (await fs.promises.readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && entry.name.endsWith(".json") && entry.name !== except)
      .map((entry) => entry.name)
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const summaries: RunSummary[] = [];
  for (const name of names) {
    try {
      const summary = summarize(
        name,
        JSON.parse(await fs.promises.readFile(path.join(dir, name), "utf8")) as ReportFields,
      );
      if (summary) summaries.push(summary);
    } catch {
      // Not a report (or half written by a run in progress): the index lists reports only.
    }
  }
  return summaries.sort((a, b) =>
    a.startedAt === b.startedAt ? a.runId.localeCompare(b.runId) : a.startedAt < b.startedAt ? -1 : 1,
  );
}

/**
 * What a run is compared with: runs of the same command on the same stack, real with real, and a
 * rehearsal with rehearsals of the same scenario (another scenario fails on purpose).
 */
export function comparisonKey(run: RunSummary): string {
  return `${run.rehearsal ? `rehearsal ${run.rehearsal.scenario}` : "real"} ${run.kind} ${run.stack}`;
}

/** What a kind of run is called in the index: `drill`, `rehearsal of recover (all-fine)`. */
export function kindText(run: Pick<RunSummary, "kind" | "rehearsal">): string {
  return run.rehearsal ? `rehearsal of ${run.kind} (${run.rehearsal.scenario})` : run.kind;
}

/** The run before `run` of its kind (see {@link comparisonKey}), from `runs` oldest first. */
export function previousRun(runs: readonly RunSummary[], run: RunSummary): RunSummary | undefined {
  const key = comparisonKey(run);
  const index = runs.findIndex((r) => r.file === run.file);
  return runs
    .slice(0, index < 0 ? runs.length : index)
    .filter((r) => comparisonKey(r) === key && r.file !== run.file)
    .pop();
}

/** A run against the previous one of its kind. */
export interface Trend {
  readonly previous: RunSummary;
  /** This run's time minus the previous one's, seconds: positive is slower. */
  readonly timeDeltaSeconds?: number;
  /** This run's RPO minus the previous one's, minutes: positive is older data. */
  readonly rpoDeltaMinutes?: number;
  /** Resources whose job took longer than last time, the biggest change first. */
  readonly slower: readonly { readonly name: string; readonly deltaSeconds: number }[];
}

/** The trend of `run` against `previous`. */
export function trend(run: RunSummary, previous: RunSummary): Trend {
  const before = new Map(previous.jobs.map((j) => [j.name, j.durationSeconds]));
  const slower = run.jobs
    .map((j) => ({ name: j.name, now: j.durationSeconds, then: before.get(j.name) }))
    .filter((j) => j.now !== undefined && j.then !== undefined && j.now > j.then)
    .map((j) => ({ name: j.name, deltaSeconds: (j.now as number) - (j.then as number) }))
    .sort((a, b) => b.deltaSeconds - a.deltaSeconds || a.name.localeCompare(b.name));
  return {
    previous,
    timeDeltaSeconds:
      run.timeSeconds !== undefined && previous.timeSeconds !== undefined
        ? run.timeSeconds - previous.timeSeconds
        : undefined,
    rpoDeltaMinutes:
      run.rpoMinutes !== undefined && previous.rpoMinutes !== undefined
        ? Math.round((run.rpoMinutes - previous.rpoMinutes) * 10) / 10
        : undefined,
    slower,
  };
}

/** A signed duration: `+2m 10s`, `-45s`, `same`. */
export function signedDuration(seconds: number): string {
  if (seconds === 0) return "same";
  return `${seconds > 0 ? "+" : "-"}${formatDuration(Math.abs(seconds) * 1000)}`;
}

/** The trend in one line: `RTO +2m 10s (slower), RPO -30 min (fresher data)`; what could not be compared says so. */
export function trendText(t: Trend, timeName = "RTO"): string {
  const time =
    t.timeDeltaSeconds === undefined
      ? `${timeName} not comparable (not measured in one of the runs)`
      : `${timeName} ${signedDuration(t.timeDeltaSeconds)}${t.timeDeltaSeconds > 0 ? " (slower)" : t.timeDeltaSeconds < 0 ? " (faster)" : ""}`;
  const rpo =
    t.rpoDeltaMinutes === undefined
      ? ""
      : `, RPO ${t.rpoDeltaMinutes === 0 ? "same" : `${t.rpoDeltaMinutes > 0 ? "+" : ""}${t.rpoDeltaMinutes} min`}${t.rpoDeltaMinutes > 0 ? " (older data)" : t.rpoDeltaMinutes < 0 ? " (fresher data)" : ""}`;
  return `${time}${rpo}`;
}

const durationText = (seconds: number | undefined) =>
  seconds === undefined ? "-" : formatDuration(seconds * 1000);

interface IndexRow {
  readonly run: RunSummary;
  readonly time: string;
  readonly rpo: string;
  readonly against: string;
}

function indexRows(runs: readonly RunSummary[]): IndexRow[] {
  return [...runs].reverse().map((run) => {
    const previous = previousRun(runs, run);
    const failback = run.kind.startsWith("failback");
    return {
      run,
      time: `${durationText(run.timeSeconds)}${
        run.rtoTargetMinutes !== undefined
          ? ` (objective ${formatDuration(run.rtoTargetMinutes * 60_000)}: ${metText(run.rtoMet)})`
          : ""
      }`,
      rpo: failback
        ? "-"
        : `${run.rpoMinutes === undefined ? "-" : formatDuration(run.rpoMinutes * 60_000)}${
            run.rpoTargetMinutes !== undefined
              ? ` (objective ${formatDuration(run.rpoTargetMinutes * 60_000)}: ${metText(run.rpoMet)})`
              : ""
          }`,
      against: previous
        ? `${trendText(trend(run, previous), failback ? "time" : "RTO")} against ${previous.runId}`
        : "first of its kind here",
    };
  });
}

const mdCell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The index as Markdown: newest first. */
export function renderIndexMarkdown(runs: readonly RunSummary[]): string {
  return `${[
    "# DR reports",
    "",
    "Every recovery, drill and failback (and their rehearsals) reported in this directory, newest first. RTO: start to healthy (a failback: start to traffic back on prod); RPO: the oldest recovery point restored. Each run is compared with the previous run of the same command on the same stack (a rehearsal: of the same scenario).",
    "",
    "| Started | Run | Kind | Outcome | RTO | RPO | Against the previous |",
    "|---|---|---|---|---|---|---|",
    ...indexRows(runs).map(
      (r) =>
        `| ${r.run.startedAt} | [${mdCell(r.run.runId)}](${r.run.page}) | ${mdCell(kindText(r.run))} | ${r.run.outcome} | ${r.time} | ${r.rpo} | ${mdCell(r.against)} |`,
    ),
  ].join("\n")}\n`;
}

/** The index as an HTML page: newest first, each run linked to its own page. */
export function renderIndexHtml(runs: readonly RunSummary[]): string {
  const rows = indexRows(runs).map(
    (r) =>
      `<tr><td>${escapeXml(r.run.startedAt)}</td><td><a href="${escapeXml(encodeURI(r.run.page))}">${escapeXml(r.run.runId)}</a></td><td>${escapeXml(kindText(r.run))}</td><td>${verdictHtml(r.run.outcome)}</td><td>${escapeXml(r.time)}</td><td>${escapeXml(r.rpo)}</td><td>${escapeXml(r.against)}</td></tr>`,
  );
  return htmlPage(
    "DR reports",
    [
      "<h1>DR reports</h1>",
      `<p class="muted">Every recovery, drill and failback (and their rehearsals) reported in this directory, newest first. RTO: start to healthy (a failback: start to traffic back on prod); RPO: the oldest recovery point restored. Each run is compared with the previous run of the same command on the same stack (a rehearsal: of the same scenario).</p>`,
      "<table>",
      "<tr><th>Started</th><th>Run</th><th>Kind</th><th>Outcome</th><th>RTO</th><th>RPO</th><th>Against the previous</th></tr>",
      ...rows,
      "</table>",
    ].join("\n"),
  );
}

/** Writes a file whole or not at all (temporary file, rename): two runs writing the index never mix. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await fs.promises.writeFile(temp, text);
  await fs.promises.rename(temp, file);
}

/** Rewrites `index.md` and `index.html` in `dir` from the reports there; returns both paths. */
export async function writeReportIndex(
  dir: string,
  runs?: readonly RunSummary[],
): Promise<{ markdown: string; html: string }> {
  const all = runs ?? (await readRunSummaries(dir));
  const markdown = path.join(dir, "index.md");
  const html = path.join(dir, "index.html");
  await writeAtomically(markdown, renderIndexMarkdown(all));
  await writeAtomically(html, renderIndexHtml(all));
  return { markdown, html };
}
