// The run report: built from the journal, rendered as Markdown and JSON, written to the report directory.
import * as fs from "fs";
import * as path from "path";
import { FlipRecord, HealthRecord, JobStatus, RunJournal, RunKind, RunOutcome } from "./journal";
import { SkippedPoint, describeSkipped } from "./recoveryPoints";
import type { UnwiredEntry } from "./drConfig";
import { formatDuration } from "../../time";
import { RehearsalLabel } from "../../dependencies";
import { reportBaseName } from "./reportPages";
import type { RtoForecast } from "@restorekit/backup-restore-dr";
import { forecastItemFor } from "../resources/restoreTime";
import { toResourceType } from "../resources/types";
import type { DataInventoryEntry } from "../../../stacks/drContract";
import { entryClaiming } from "./inventory";
import {
  RunVerdict,
  describeObjective,
  durationText,
  judgeObjective,
  judgeRun,
  resultWord,
  verdictLine,
} from "./verdict";

/** One restore in the report. */
export interface ReportJob {
  readonly resourceType: string;
  readonly resourceName: string;
  readonly resourceArn: string;
  readonly recoveryPointArn: string;
  readonly recoveryPointCreatedAt: string;
  /** The isolated (logically air-gapped) vault the point came from, and why; absent for the DR vault's. */
  readonly isolated?: { readonly vaultName: string; readonly why: string };
  /** Age of the recovery point when the run started: the data this resource lost. */
  readonly dataAgeMinutes: number;
  readonly targetName?: string;
  readonly restoreJobId?: string;
  readonly status: JobStatus | "NOT_STARTED";
  readonly message?: string;
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly durationSeconds?: number;
  readonly createdResourceArn?: string;
  readonly resourceId?: string;
  readonly endpoint?: string;
  readonly verification?: { ok: boolean; detail: string };
  readonly deletion?: { ok: boolean; detail: string };
}

/** The report of a recover or drill run, written as JSON and Markdown. */
export interface RunReport {
  readonly kind: RunKind;
  readonly runId: string;
  readonly stack: string;
  readonly region: string;
  readonly vault: string;
  readonly asOf?: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly outcome: RunOutcome;
  readonly rto: {
    readonly targetMinutes?: number;
    /** Run start to a healthy DR endpoint; absent when health was not reached or not checked. */
    readonly measuredSeconds?: number;
    /** Run start to the end of the last restore job. */
    readonly dataRestoredSeconds?: number;
    readonly met?: boolean;
  };
  readonly rpo: {
    readonly targetMinutes?: number;
    /** Oldest recovery point restored, measured at run start. */
    readonly achievedMinutes?: number;
    readonly met?: boolean;
  };
  readonly jobs: ReportJob[];
  readonly skipped: SkippedPoint[];
  readonly flips: FlipRecord[];
  readonly health?: HealthRecord;
  readonly cleanup?: { readonly kept: boolean; readonly deleted: number; readonly failed: number };
  readonly notes: string[];
  /**
   * The data inventory's entries the flip did not point the application at, each with why: any makes the
   * run partial. Absent when the run did not flip.
   */
  readonly dataNotWired?: readonly UnwiredEntry[];
  /** Present when the run was a rehearsal against the local simulation (`dr rehearse`). */
  readonly rehearsal?: RehearsalLabel;
  /** The run against its objectives (verdict.ts): the overall result, the exit code, RPO and RTO. */
  readonly verdict: RunVerdict;
  /** The deployment's RTO forecast against what this run measured; absent when prod declares none. */
  readonly forecast?: ForecastComparison;
}

/** The RTO forecast against a run's measurements, per restore and for the whole run. */
export interface ForecastComparison {
  /**
   * Forecast minutes until the servers are healthy: the forecast without the operator's switch and DNS,
   * which a run does not do (it ends at healthy servers), so it compares with `measuredMinutes`.
   */
  readonly predictedMinutes: number;
  /** Forecast minutes of the operator's switch and DNS after healthy servers: not measured by a run. */
  readonly trafficMinutes: number;
  /** Measured minutes until healthy; absent when health was not reached. */
  readonly measuredMinutes?: number;
  readonly restores: ForecastRestoreComparison[];
}

/**
 * How a restore found its forecast: `entry`, the forecast's resource named as the data inventory's entry that
 * claims the restore (by its source ARN); `name`, no entry claims it and the forecast has a resource of its
 * kind and AWS name; `kind`, no entry claims it and the forecast's only resource of its kind stands in.
 */
export type ForecastMatch = "entry" | "name" | "kind";

/** One restore of a run against its forecast. */
export interface ForecastRestoreComparison {
  readonly resourceType: string;
  readonly resourceName: string;
  /** The data inventory's entry that claims the restore (its source ARN); absent when none does. */
  readonly entryName?: string;
  /** How the forecast was found; absent when the forecast has no resource for this restore. */
  readonly matchedBy?: ForecastMatch;
  /** Forecast minutes until usable, its wave's wait included; absent when the forecast has no such resource. */
  readonly predictedMinutes?: number;
  /** Measured minutes of the restore job; absent when it did not finish. */
  readonly measuredMinutes?: number;
}

/** Inputs of {@link buildReport} that are not in the journal. */
export interface ReportContext {
  readonly nowMs: number;
  readonly outcome: RunOutcome;
  readonly rtoMinutes?: number;
  readonly rpoMinutes?: number;
  readonly cleanup?: RunReport["cleanup"];
  readonly notes?: string[];
  readonly rehearsal?: RehearsalLabel;
  /** The flip's entries left unwired (FlipOutcome.unwired). */
  readonly dataNotWired?: readonly UnwiredEntry[];
  /** The deployment's RTO forecast (the dr stack's `rtoForecast` output). */
  readonly rtoForecast?: RtoForecast;
  /**
   * Prod's data inventory (the dr stack's `dataInventory` output): each restore is compared with the
   * forecast of the entry that claims it. Default: none, every restore is matched by kind.
   */
  readonly dataInventory?: readonly DataInventoryEntry[];
}

/**
 * The forecast against the run: each restore's predicted and measured minutes, and the whole run's. A
 * restore is compared with the forecast of the inventory entry that claims it, so two resources of one kind
 * each get their own; only a restore no entry claims falls back to its kind (forecastItemFor).
 */
function compareWithForecast(
  forecast: RtoForecast,
  jobs: readonly ReportJob[],
  measuredSeconds: number | undefined,
  inventory: readonly DataInventoryEntry[],
): ForecastComparison {
  return {
    predictedMinutes: forecast.healthyMinutes,
    trafficMinutes: forecast.trafficMinutes,
    ...(measuredSeconds !== undefined && { measuredMinutes: round1(measuredSeconds / 60) }),
    restores: jobs.map((job): ForecastRestoreComparison => {
      const resourceType = toResourceType(job.resourceType);
      const entry =
        resourceType &&
        entryClaiming(
          { resourceArn: job.resourceArn, resourceName: job.resourceName, resourceType },
          inventory,
        );
      const item = forecastItemFor(
        forecast.restores,
        job.resourceType,
        entry?.name ?? job.resourceName,
        entry !== undefined,
      );
      const matchedBy: ForecastMatch | undefined =
        item && (entry ? "entry" : item.name === job.resourceName ? "name" : "kind");
      return {
        resourceType: job.resourceType,
        resourceName: job.resourceName,
        ...(entry && { entryName: entry.name }),
        ...(matchedBy && { matchedBy }),
        ...(item && { predictedMinutes: round1(item.startMinutes + item.usableMinutes) }),
        ...(job.durationSeconds !== undefined && { measuredMinutes: round1(job.durationSeconds / 60) }),
      };
    }),
  };
}

/** What a report line says of how a restore found its forecast, or why it has none. */
function matchText(r: ForecastRestoreComparison): string {
  const entry = r.entryName === undefined ? undefined : `inventory entry '${r.entryName}'`;
  switch (r.matchedBy) {
    case "entry":
      return entry ?? "-";
    case "name":
      return "its name: no inventory entry claims it";
    case "kind":
      return `its kind: no inventory entry claims it, the forecast's only ${r.resourceType}`;
    default:
      return entry
        ? `${entry}: not in the forecast`
        : `none: no inventory entry claims it, and the forecast has not exactly one ${r.resourceType}`;
  }
}

/** Builds the report from the run's journal. */
export function buildReport(journal: RunJournal, context: ReportContext): RunReport {
  const startMs = Date.parse(journal.startedAt);
  const jobs: ReportJob[] = journal.plan.map((plan) => {
    const record = journal.jobs[plan.recoveryPointArn];
    const startedMs = record?.startedAt ? Date.parse(record.startedAt) : undefined;
    const endedMs = record?.completedAt ? Date.parse(record.completedAt) : undefined;
    return {
      resourceType: plan.resourceType,
      resourceName: plan.resourceName,
      resourceArn: plan.resourceArn,
      recoveryPointArn: plan.recoveryPointArn,
      recoveryPointCreatedAt: plan.recoveryPointCreatedAt,
      ...(plan.isolated && { isolated: plan.isolated }),
      dataAgeMinutes: round1((startMs - Date.parse(plan.recoveryPointCreatedAt)) / 60_000),
      targetName: plan.targetName,
      restoreJobId: record?.restoreJobId,
      status: record?.status ?? "NOT_STARTED",
      message: record?.statusMessage,
      startedAt: record?.startedAt,
      endedAt: record?.completedAt,
      durationSeconds:
        startedMs !== undefined && endedMs !== undefined
          ? Math.round((endedMs - startedMs) / 1000)
          : undefined,
      createdResourceArn: record?.createdResourceArn,
      resourceId: record?.resourceId,
      endpoint: record?.endpoint,
      verification: record?.verification
        ? { ok: record.verification.ok, detail: record.verification.detail }
        : undefined,
      deletion: record?.deletion ? { ok: record.deletion.ok, detail: record.deletion.detail } : undefined,
    };
  });

  const completed = jobs.filter((j) => j.status === "COMPLETED");
  const lastEnd = Math.max(
    ...completed.map((j) => (j.endedAt ? Date.parse(j.endedAt) : Number.NaN)).filter(Number.isFinite),
  );
  const dataRestoredSeconds = Number.isFinite(lastEnd) ? Math.round((lastEnd - startMs) / 1000) : undefined;
  const measuredSeconds =
    journal.health?.healthy === true
      ? Math.round((Date.parse(journal.health.checkedAt) - startMs) / 1000)
      : undefined;
  const achievedMinutes =
    completed.length > 0 ? Math.max(...completed.map((j) => j.dataAgeMinutes)) : undefined;
  const minutes = (value: number | undefined) => (value === undefined ? undefined : `${value} min`);
  const rpoVerdict = judgeObjective(context.outcome, {
    objective: "RPO",
    target: context.rpoMinutes,
    targetText: minutes(context.rpoMinutes),
    achieved: achievedMinutes,
    achievedText: minutes(achievedMinutes),
    unmeasured: "nothing restored",
  });
  // A missed RPO whose oldest point came from the isolated vault: the verdict says where the data came from.
  const oldest = completed.find((j) => j.dataAgeMinutes === achievedMinutes);
  const rpo =
    rpoVerdict.state === "missed" && oldest?.isolated && rpoVerdict.reason === undefined
      ? {
          ...rpoVerdict,
          reason: `oldest point: ${oldest.resourceType} ${oldest.resourceName} from the isolated vault '${oldest.isolated.vaultName}'`,
        }
      : rpoVerdict;
  // The health check follows the restores: the RTO is at least the time the data took.
  const rto = judgeObjective(context.outcome, {
    objective: "RTO",
    target: context.rtoMinutes === undefined ? undefined : context.rtoMinutes * 60,
    targetText: minutes(context.rtoMinutes),
    achieved: measuredSeconds,
    achievedText: durationText(measuredSeconds),
    atLeast: dataRestoredSeconds,
    atLeastText: `data restored after ${durationText(dataRestoredSeconds)}`,
    unmeasured: journal.health ? "health not reached" : "no health check ran",
  });
  const met = (state: string) =>
    state === "met" ? true : state === "missed" || state === "not-met" ? false : undefined;

  return {
    kind: journal.kind,
    runId: journal.runId,
    stack: journal.stackName,
    region: journal.region,
    vault: journal.vaultName,
    asOf: journal.asOf,
    startedAt: journal.startedAt,
    finishedAt: new Date(context.nowMs).toISOString(),
    outcome: context.outcome,
    rto: {
      targetMinutes: context.rtoMinutes,
      measuredSeconds,
      dataRestoredSeconds,
      met: met(rto.state),
    },
    rpo: {
      targetMinutes: context.rpoMinutes,
      achievedMinutes,
      met: met(rpo.state),
    },
    jobs,
    skipped: journal.skipped,
    flips: journal.flips,
    health: journal.health,
    cleanup: context.cleanup,
    notes: context.notes ?? [],
    ...(context.dataNotWired ? { dataNotWired: context.dataNotWired } : {}),
    ...(context.rehearsal ? { rehearsal: context.rehearsal } : {}),
    verdict: judgeRun(context.outcome, [rpo, rto]),
    ...(context.rtoForecast && {
      forecast: compareWithForecast(context.rtoForecast, jobs, measuredSeconds, context.dataInventory ?? []),
    }),
  };
}

/** The run's last line: its result against the objectives and its exit code. */
export function reportVerdictLine(report: RunReport): string {
  return verdictLine(
    `${report.rehearsal ? "rehearsal of " : ""}${report.kind} ${report.runId}`,
    report.verdict,
  );
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function seconds(value: number | undefined): string {
  return value === undefined ? "-" : formatDuration(value * 1000);
}

function cell(text: string | undefined): string {
  return (text ?? "-").replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** A report's section of stack updates (config and `up`), as a Markdown table; none without updates. */
export function renderFlips(heading: string, flips: readonly FlipRecord[]): string[] {
  if (flips.length === 0) {
    return [];
  }
  return [
    "",
    `## ${heading}`,
    "",
    "| Phase | Config | Started | Ended | Result |",
    "|---|---|---|---|---|",
    ...flips.map(
      (f) =>
        `| ${f.phase} | ${cell(
          Object.entries(f.config)
            .map(([k, v]) => `${k}=${v}`)
            .join(", "),
        )} | ${f.startedAt} | ${cell(f.endedAt)} | ${f.ok === undefined ? "interrupted" : f.ok ? "ok" : "FAILED"}${
          f.message ? `: ${cell(f.message)}` : ""
        } |`,
    ),
  ];
}

/** The report as Markdown, for the incident document or the drill record. */
export function renderMarkdown(report: RunReport): string {
  const title = `${report.kind === "drill" ? "DR drill" : "DR recovery"}${report.rehearsal ? " rehearsal" : ""}`;
  const lines: string[] = [
    `# ${title} ${report.runId}: ${resultWord(report.verdict).toLowerCase()}`,
    "",
    ...(report.rehearsal
      ? [
          `- REHEARSAL (scenario \`${report.rehearsal.scenario}\`, clock at ${report.rehearsal.speed}x${report.rehearsal.compute ? `, the application on the ${report.rehearsal.compute}` : ""}): against the local simulation of AWS; nothing ran in AWS. Times are simulated (local processing is not counted in them, at any speed).`,
        ]
      : []),
    `- Verdict: ${resultWord(report.verdict)} (exit ${report.verdict.exitCode})`,
    ...report.verdict.objectives.map((o) => `  - ${describeObjective(o)}`),
    `- Stack: \`${report.stack}\`, region \`${report.region}\`, vault \`${report.vault}\``,
    `- Started ${report.startedAt}, finished ${report.finishedAt}`,
    ...(report.asOf ? [`- Recovery points as of ${report.asOf}`] : []),
    `- Measured RTO (start to healthy): ${seconds(report.rto.measuredSeconds)}`,
    `- Data restored after: ${seconds(report.rto.dataRestoredSeconds)}`,
    `- Achieved RPO (oldest point used): ${report.rpo.achievedMinutes === undefined ? "-" : `${report.rpo.achievedMinutes} min`}`,
    ...(report.health
      ? [
          `- Health check ${report.health.url}: ${report.health.healthy ? "healthy" : "NOT healthy"} after ${report.health.attempts} attempt(s)` +
            (report.health.lastError
              ? ` (${report.health.lastError})`
              : report.health.lastStatus
                ? ` (HTTP ${report.health.lastStatus})`
                : ""),
        ]
      : []),
    "",
    "## Restore jobs",
    "",
    "| Type | Resource | Point created | Data age | Job | Status | Started | Ended | Duration | New resource |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...report.jobs.map(
      (j) =>
        `| ${j.resourceType} | ${cell(j.resourceName)} | ${j.recoveryPointCreatedAt}${
          j.isolated ? ` (isolated vault ${cell(j.isolated.vaultName)})` : ""
        } | ${j.dataAgeMinutes} min | ${cell(
          j.restoreJobId,
        )} | ${j.status}${j.message ? `: ${cell(j.message)}` : ""} | ${cell(j.startedAt)} | ${cell(j.endedAt)} | ${seconds(
          j.durationSeconds,
        )} | ${cell(j.endpoint ?? j.resourceId ?? j.targetName)} |`,
    ),
  ];
  if (report.forecast) {
    const minutesCell = (value: number | undefined) => (value === undefined ? "-" : `${value} min`);
    lines.push(
      "",
      "## Forecast against measured",
      "",
      "| Type | Resource | Forecast until usable | Measured | Forecast of |",
      "|---|---|---|---|---|",
      ...report.forecast.restores.map(
        (r) =>
          `| ${r.resourceType} | ${cell(r.resourceName)} | ${minutesCell(r.predictedMinutes)} | ${minutesCell(r.measuredMinutes)} | ${cell(matchText(r))} |`,
      ),
      `| **Whole run** | start to healthy | ${minutesCell(report.forecast.predictedMinutes)} | ${minutesCell(report.forecast.measuredMinutes)} | the critical path |`,
      `| After the run | operator's switch and DNS | ${minutesCell(report.forecast.trafficMinutes)} | not measured: the run does not move DNS | the switch and DNS terms |`,
    );
  }
  if (report.skipped.length > 0) {
    lines.push("", "## Skipped", "", "| Type | Resource | Reason |", "|---|---|---|");
    lines.push(
      ...report.skipped.map((s) => `| ${s.resourceTypeName} | ${cell(s.resourceArn)} | ${cell(s.reason)} |`),
    );
  }
  lines.push(...renderFlips("dr stack updates", report.flips));
  const checked = report.jobs.filter((j) => j.verification || j.deletion);
  if (checked.length > 0) {
    lines.push("", "## Drill checks and cleanup", "", "| Resource | Came up | Deleted |", "|---|---|---|");
    lines.push(
      ...checked.map(
        (j) =>
          `| ${cell(j.resourceId ?? j.targetName)} | ${j.verification ? `${j.verification.ok ? "yes" : "NO"}: ${cell(j.verification.detail)}` : "-"} | ${
            j.deletion
              ? `${j.deletion.ok ? "yes" : "NO"}: ${cell(j.deletion.detail)}`
              : report.cleanup?.kept
                ? "kept (--keep)"
                : "-"
          } |`,
      ),
    );
  }
  if (report.dataNotWired && report.dataNotWired.length > 0) {
    lines.push(
      "",
      "## Data not wired",
      "",
      "The application was not pointed at these entries of the data inventory; its health check does not cover them.",
      "",
      "| Entry | Kind | Why |",
      "|---|---|---|",
      ...report.dataNotWired.map((u) => `| ${cell(u.name)} | ${u.kind} | ${cell(u.reason)} |`),
    );
  }
  if (report.notes.length > 0) {
    lines.push("", "## Notes", "", ...report.notes.map((n) => `- ${n}`));
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Writes a run's report as `<dir>/<kind>-<runId>.json` and `.md` (`rehearsal-<kind>-<runId>.*` for a
 * rehearsal) and returns both paths; asynchronous, so a Ctrl-C during a slow write is still noticed.
 */
export async function writeReportFiles(
  report: { readonly kind: string; readonly runId: string; readonly rehearsal?: RehearsalLabel },
  markdownText: string,
  dir: string,
): Promise<{ json: string; markdown: string }> {
  await fs.promises.mkdir(dir, { recursive: true });
  const base = path.join(dir, reportBaseName(report));
  const json = `${base}.json`;
  const markdown = `${base}.md`;
  await fs.promises.writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  await fs.promises.writeFile(markdown, markdownText);
  return { json, markdown };
}

/** A few lines for the terminal at the end of a run. */
export function renderSummary(report: RunReport): string[] {
  const count = (status: string) => report.jobs.filter((j) => j.status === status).length;
  const failed = report.jobs.filter((j) => j.status === "FAILED" || j.status === "ABORTED");
  const lines = [
    `${report.rehearsal ? "rehearsal of " : ""}${report.kind} ${report.runId}: ${resultWord(report.verdict)}`,
    `  restore jobs: ${count("COMPLETED")} completed, ${failed.length} failed, ${
      report.jobs.length - count("COMPLETED") - failed.length
    } unfinished, ${describeSkipped(
      report.jobs.map((j) => j.resourceArn),
      report.skipped,
    )}`,
    `  measured RTO: ${seconds(report.rto.measuredSeconds)}${
      report.rto.targetMinutes !== undefined ? ` (target ${report.rto.targetMinutes} min)` : ""
    }; data restored after ${seconds(report.rto.dataRestoredSeconds)}`,
    `  achieved RPO: ${report.rpo.achievedMinutes === undefined ? "-" : `${report.rpo.achievedMinutes} min`}${
      report.rpo.targetMinutes !== undefined ? ` (target ${report.rpo.targetMinutes} min)` : ""
    }`,
    ...report.verdict.objectives.map((o) => `  ${describeObjective(o)}`),
  ];
  for (const job of failed) {
    lines.push(`  FAILED ${job.resourceType} ${job.resourceName}: ${job.message ?? "no message from AWS"}`);
  }
  for (const entry of report.dataNotWired ?? []) {
    lines.push(`  NOT WIRED ${entry.name} (${entry.kind}): ${entry.reason}`);
  }
  return lines;
}
