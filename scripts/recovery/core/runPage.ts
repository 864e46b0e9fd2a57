// The HTML page of a recover or drill run: verdict, timeline, RTO by phase, per-resource objectives, trend, next steps, provenance.
import * as path from "path";
import { formatDuration } from "../../time";
import { Provenance } from "./provenance";
import { RunReport } from "./report";
import { RunSummary, Trend, kindText, signedDuration, trendText } from "./reportIndex";
import { htmlPage, metText, verdictHtml } from "./reportPage";
import { jobState, runTimeline, runTitle } from "./runTimeline";
import { Timeline, breakdown, criticalPath, escapeXml, renderTimelineSvg } from "./timeline";
import { withinObjective } from "./verdict";

/** What a run's page shows beyond its report: where it came from and how it compares. */
export interface PageContext {
  readonly provenance: Provenance;
  /** The run against the previous one of its kind; absent for the first. */
  readonly trend?: Trend;
  /** File names of the run's other reports, linked from the page. */
  readonly files: { readonly markdown: string; readonly json: string };
}

const duration = (ms: number | undefined) => (ms === undefined ? "-" : formatDuration(ms));
const minutes = (value: number | undefined) => (value === undefined ? undefined : value * 60_000);

/**
 * An objective's verdict for the page, from the run's verdict (verdict.ts, the one rule every summary
 * uses): `met` only when measured within the objective in a run that succeeded.
 */
export function objectiveVerdict(report: RunReport, objective: "RPO" | "RTO"): string {
  const verdict = report.verdict.objectives.find((o) => o.objective === objective);
  switch (verdict?.state) {
    case "met":
      return "met";
    case "missed":
      return `MISSED${verdict.reason ? ` (${verdict.reason})` : ""}`;
    case "not-met":
      return `not met: the run ended ${report.outcome}`;
    case "no-target":
      return "-";
    default:
      return "not measured";
  }
}

/** The RTO cut along the critical path, as a table: each step, its span and its share. */
export function breakdownHtml(timeline: Timeline, untilMs: number, heading: string): string {
  const total = untilMs - timeline.startMs;
  const rows = breakdown(timeline, untilMs).map((row) => {
    const span = row.endMs - row.startMs;
    return `<tr${row.barId ? ` class="critical-row" data-id="${escapeXml(row.barId)}"` : ""}><td>${escapeXml(row.label)}</td><td class="num">+${duration(row.startMs - timeline.startMs)}</td><td class="num">+${duration(row.endMs - timeline.startMs)}</td><td class="num">${duration(span)}</td><td class="num">${total > 0 ? Math.round((span / total) * 100) : 0}%</td></tr>`;
  });
  return [
    `<h2>${escapeXml(heading)}</h2>`,
    `<p class="muted">The steps on the critical path (outlined in the timeline), each from when it began to what it waited for; "(between steps)" is time no recorded step covers.</p>`,
    "<table>",
    "<tr><th>Step</th><th>From</th><th>To</th><th>Duration</th><th>Share</th></tr>",
    ...rows,
    `<tr><th>Total</th><td></td><td></td><td class="num"><strong>${duration(total)}</strong></td><td class="num">100%</td></tr>`,
    "</table>",
  ].join("\n");
}

/** How the run compares with the previous one of its kind, as HTML. */
export function trendHtml(
  run: Pick<RunSummary, "kind" | "rehearsal">,
  t: Trend | undefined,
  timeName: string,
): string {
  if (!t) {
    return `<h2>Against the previous run</h2>\n<p>The first ${escapeXml(kindText(run))} reported in this directory: nothing to compare with yet.</p>`;
  }
  const p = t.previous;
  return [
    "<h2>Against the previous run</h2>",
    `<p>Previous ${escapeXml(kindText(p))}: <a href="${escapeXml(encodeURI(p.page))}">${escapeXml(p.runId)}</a>, started ${escapeXml(p.startedAt)}, ${escapeXml(p.outcome)}.</p>`,
    `<p><strong>${escapeXml(trendText(t, timeName))}</strong></p>`,
    t.slower.length > 0
      ? `<p>Slower than last time:</p>\n<ul>\n${t.slower
          .map((s) => `<li>${escapeXml(s.name)}: ${escapeXml(signedDuration(s.deltaSeconds))}</li>`)
          .join("\n")}\n</ul>`
      : "<p>No resource took longer than last time.</p>",
    `<p><a href="index.html">All runs and their trend</a></p>`,
  ].join("\n");
}

/** The provenance as a definition list. */
export function provenanceHtml(p: Provenance): string {
  const rows: [string, string][] = [
    ["Tool version", p.toolVersion],
    ["Commit", p.commit ?? "not a git checkout"],
    ["Operator", p.operator],
    ["Command", p.commandLine],
    ...(p.rehearsal
      ? ([
          [
            "Rehearsal",
            `scenario ${p.rehearsal.scenario}, clock at ${p.rehearsal.speed}x${p.rehearsal.compute ? `, the application on the ${p.rehearsal.compute}` : ""}`,
          ],
        ] as [string, string][])
      : []),
  ];
  return [
    "<h2>Provenance</h2>",
    "<dl>",
    ...rows.map(([k, v]) => `<dt>${escapeXml(k)}</dt><dd><code>${escapeXml(v)}</code></dd>`),
    "</dl>",
  ].join("\n");
}

/** The next steps: the report's notes, which the Markdown lists too. */
export function nextStepsHtml(notes: readonly string[]): string {
  return [
    "<h2>Next steps and notes</h2>",
    notes.length > 0
      ? `<ul>\n${notes.map((n) => `<li>${escapeXml(n)}</li>`).join("\n")}\n</ul>`
      : "<p>None: the run left nothing to do.</p>",
  ].join("\n");
}

/** Per resource: its data age against the RPO, when its data was back against the RTO. */
function objectivesHtml(report: RunReport): string {
  const start = Date.parse(report.startedAt);
  const rpo = minutes(report.rpo.targetMinutes);
  const rto = minutes(report.rto.targetMinutes);
  const rows = report.jobs.map((job) => {
    const restored = jobState(job.status) === "ok";
    const readyMs = restored && job.endedAt ? Date.parse(job.endedAt) - start : undefined;
    const ageMs = job.dataAgeMinutes * 60_000;
    const rpoVerdict = rpo === undefined || !restored ? "not measured" : metText(withinObjective(ageMs, rpo));
    const rtoVerdict =
      rto === undefined || readyMs === undefined ? "not measured" : metText(withinObjective(readyMs, rto));
    return `<tr><td>${escapeXml(job.resourceType)}</td><td>${escapeXml(job.resourceName)}</td><td>${escapeXml(job.status)}</td><td class="num">${duration(ageMs)}</td><td>${verdictHtml(rpoVerdict)}</td><td class="num">${duration(readyMs)}</td><td>${verdictHtml(rtoVerdict)}</td></tr>`;
  });
  return [
    "<h2>Objectives per resource</h2>",
    `<p class="muted">Data age: how old the restored recovery point was when the run started (RPO objective ${duration(rpo)}). Data back after: run start to the end of its restore job (RTO objective ${duration(rto)}; the run's RTO also counts the stack update and the health check). Not measured: no objective, or the resource was not restored.</p>`,
    "<table>",
    "<tr><th>Type</th><th>Resource</th><th>Status</th><th>Data age</th><th>RPO</th><th>Data back after</th><th>RTO</th></tr>",
    ...rows,
    "</table>",
  ].join("\n");
}

/** The recover or drill page: deterministic, every text from the run escaped, nothing fetched. */
export function renderRunPage(report: RunReport, context: PageContext): string {
  const timeline = runTimeline(report);
  const start = timeline.startMs;
  const rtoEnd = timeline.rtoEndMs;
  const critical = new Set(criticalPath(timeline));
  const criticalLabels = timeline.bars.filter((b) => critical.has(b.id)).map((b) => b.label);
  const rtoVerdict = objectiveVerdict(report, "RTO");
  const rpoVerdict = objectiveVerdict(report, "RPO");
  const body = [
    `<h1>${escapeXml(runTitle(report))}</h1>`,
    ...(report.rehearsal
      ? [
          `<p class="rehearsal">REHEARSAL (scenario <code>${escapeXml(report.rehearsal.scenario)}</code>, clock at ${report.rehearsal.speed}x): against the local simulation of AWS; nothing ran in AWS. Times are simulated.</p>`,
        ]
      : []),
    `<p>Stack <code>${escapeXml(report.stack)}</code>, region <code>${escapeXml(report.region)}</code>, vault <code>${escapeXml(report.vault)}</code>. Started ${escapeXml(report.startedAt)}, finished ${escapeXml(report.finishedAt)}.</p>`,
    "<table>",
    `<tr><th>Outcome</th><td>${verdictHtml(report.outcome)}</td><td></td></tr>`,
    `<tr><th>RTO (start to healthy)</th><td class="num">${duration(rtoEnd === undefined ? undefined : rtoEnd - start)}</td><td>objective ${duration(minutes(report.rto.targetMinutes))}: ${verdictHtml(rtoVerdict)}</td></tr>`,
    `<tr><th>Data restored after</th><td class="num">${duration(report.rto.dataRestoredSeconds === undefined ? undefined : report.rto.dataRestoredSeconds * 1000)}</td><td></td></tr>`,
    `<tr><th>RPO (oldest point restored)</th><td class="num">${duration(minutes(report.rpo.achievedMinutes))}</td><td>objective ${duration(minutes(report.rpo.targetMinutes))}: ${verdictHtml(rpoVerdict)}</td></tr>`,
    "</table>",
    context.trend
      ? `<p>Against the previous run: <strong>${escapeXml(trendText(context.trend))}</strong>.</p>`
      : "",
    "<h2>Timeline</h2>",
    `<p class="muted">Critical path (what the run's end waited for): ${escapeXml(criticalLabels.join(" → "))}.</p>`,
    renderTimelineSvg(timeline),
    breakdownHtml(
      timeline,
      rtoEnd ?? timeline.endMs,
      rtoEnd !== undefined
        ? `RTO by phase: ${duration(rtoEnd - start)} from start to healthy`
        : `Run time by phase: ${duration(timeline.endMs - start)} (RTO not measured: the service was not found healthy)`,
    ),
    objectivesHtml(report),
    trendHtml({ kind: report.kind, rehearsal: report.rehearsal }, context.trend, "RTO"),
    nextStepsHtml(report.notes),
    provenanceHtml(context.provenance),
    `<p class="muted">Also as <a href="${escapeXml(encodeURI(path.basename(context.files.markdown)))}">Markdown</a> and <a href="${escapeXml(encodeURI(path.basename(context.files.json)))}">JSON</a>; <a href="index.html">all runs</a>.</p>`,
  ].filter((part) => part !== "");
  return htmlPage(runTitle(report), body.join("\n"));
}
