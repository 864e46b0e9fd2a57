// The failback's report: each phase and job, the freeze window and the writes lost, as Markdown and JSON.
import { formatDuration } from "../../time";
import { FlipRecord, HealthRecord, JobStatus, RunOutcome } from "../core/journal";
import { renderFlips, writeReportFiles } from "../core/report";
import { writeReportIndex } from "../core/reportIndex";
import {
  BucketPair,
  FailbackJournal,
  FailbackKind,
  S3CopyRecord,
  TrafficRecord,
  TransferJob,
} from "./journal";
import { RehearsalLabel } from "../../dependencies";
import { PhaseRecord } from "../core/phaseRunner";
import {
  RunVerdict,
  describeObjective,
  judgeObjective,
  judgeRun,
  resultWord,
  verdictLine,
} from "../core/verdict";

/** One backup, copy or restore job in the report. */
export interface FailbackReportJob {
  readonly kind: "backup" | "copy" | "restore";
  readonly phase: string;
  readonly resourceType: string;
  readonly resource: string;
  readonly jobId?: string;
  readonly status: JobStatus | "NOT_STARTED";
  readonly message?: string;
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly durationSeconds?: number;
  /** The recovery point a backup or copy made, the resource a restore made. */
  readonly result?: string;
}

/** Writes made in DR that did not come back, and how that was worked out. */
export interface WritesLost {
  /** Sum of the two below, when both are known. */
  readonly total?: number;
  /** Database and volume writes after their final backup began: 0 when the freeze was confirmed first. */
  readonly databases?: number;
  /** S3 objects written in DR that are not in their source bucket after the copy back, over every bucket. */
  readonly s3Objects?: number;
  /** How each figure was reached, from the times and counts the run observed. */
  readonly basis: string[];
}

/** The report of a failback or failback drill, written as JSON and Markdown. */
export interface FailbackReport {
  readonly kind: FailbackKind;
  readonly runId: string;
  readonly drStack: string;
  readonly prodStack: string;
  readonly drRegion: string;
  readonly primaryRegion: string;
  readonly drVault: string;
  readonly primaryVault: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly outcome: RunOutcome;
  /** Start to traffic back on prod (without a switch: prod healthy); a drill: start to the last restore's end. */
  readonly failbackSeconds?: number;
  readonly freeze?: {
    readonly startedAt: string;
    readonly confirmedAt?: string;
    readonly endedAt?: string;
    readonly durationSeconds?: number;
  };
  readonly writesLost?: WritesLost;
  readonly phases: PhaseRecord[];
  readonly jobs: FailbackReportJob[];
  /** The copy back (a drill: the count) of each bucket. */
  readonly s3?: S3CopyRecord[];
  readonly traffic?: TrafficRecord;
  readonly flips: FlipRecord[];
  readonly health?: HealthRecord;
  readonly cleanup?: { readonly kept: boolean; readonly deleted: number; readonly failed: number };
  readonly notes: string[];
  readonly rehearsal?: RehearsalLabel;
  /** The failback against its objective (verdict.ts): no write made in DR lost (a drill writes nothing). */
  readonly verdict: RunVerdict;
}

const seconds = (from?: string, to?: string) =>
  from && to ? Math.round((Date.parse(to) - Date.parse(from)) / 1000) : undefined;

function transferJob(
  kind: "backup" | "copy",
  phase: string,
  resourceType: string,
  resource: string,
  job: TransferJob,
): FailbackReportJob {
  return {
    kind,
    phase,
    resourceType,
    resource,
    jobId: job.jobId,
    status: job.jobId || job.status !== "STARTING" ? job.status : "NOT_STARTED",
    message: job.statusMessage,
    startedAt: job.startedAt,
    endedAt: job.completedAt,
    durationSeconds: seconds(job.startedAt, job.completedAt),
    result: job.recoveryPointArn,
  };
}

/**
 * Writes lost, from what the run observed: database and volume writes are 0 when the freeze was
 * confirmed (no dr server left) before every final backup began, unknown otherwise; S3 objects are
 * those written in DR and not found in the source bucket after the copy, plus any written after the
 * DR bucket was listed.
 */
export function writesLost(journal: FailbackJournal): WritesLost {
  const { freeze, transfers, resources, s3 } = journal.failback;
  const basis: string[] = [];
  let databases: number | undefined;
  const finals = transfers.filter((t) => t.phase === "final-copy" && t.backup?.startedAt);
  if (resources.length === 0) {
    databases = 0;
    basis.push("no database, table or volume was in use in DR");
  } else if (finals.length < resources.length) {
    basis.push("not every final backup started: database writes unknown");
  } else if (!freeze?.confirmedAt) {
    basis.push("the freeze was not confirmed: database writes unknown");
  } else {
    for (const again of freeze.reapplied ?? []) {
      basis.push(
        `dr served again before ${again.at} (${again.reason}): the freeze was applied again and the final backups taken anew`,
      );
    }
    const first = finals.map((t) => t.backup?.startedAt as string).sort()[0];
    if (Date.parse(first) >= Date.parse(freeze.confirmedAt)) {
      databases = 0;
      basis.push(
        `no dr server was in service from ${freeze.confirmedAt}, before the first final backup began at ${first}: nothing written in DR is missing from the final backups`,
      );
    } else {
      basis.push(
        `a final backup began at ${first}, before the freeze was confirmed at ${freeze.confirmedAt}: writes in between may be missing`,
      );
    }
  }
  const { s3Objects, s3Basis } = s3WritesLost(journal.failback.buckets, s3 ?? []);
  basis.push(...s3Basis);
  return {
    total: databases !== undefined && s3Objects !== undefined ? databases + s3Objects : undefined,
    databases,
    s3Objects,
    basis,
  };
}

/**
 * S3 objects lost over every bucket: for each, those written in DR and not in its source bucket after the
 * copy, those written after the DR bucket was listed, and the deletes made in DR not carried back; unknown
 * while any bucket's copy back has not finished. One line of basis per bucket, naming it when there are several.
 */
function s3WritesLost(
  buckets: readonly BucketPair[],
  records: readonly S3CopyRecord[],
): { s3Objects?: number; s3Basis: string[] } {
  if (buckets.length === 0) {
    return { s3Objects: 0, s3Basis: ["no bucket was in use in DR"] };
  }
  let total: number | undefined = 0;
  const s3Basis = buckets.map((bucket) => {
    const s3 = records.find((r) => r.drBucket === bucket.drBucket);
    const which = buckets.length > 1 ? `${bucket.drBucket} -> ${bucket.sourceBucket}: ` : "";
    if (s3?.verified === undefined || s3.written === undefined) {
      total = undefined;
      return `${which}the S3 copy back did not finish: S3 writes unknown`;
    }
    const deletesLost = (s3.deletesToCarry ?? 0) - (s3.deletesCarried ?? 0);
    if (total !== undefined) {
      total += s3.written - s3.verified + (s3.writtenAfterListing ?? 0) + deletesLost;
    }
    return (
      `${which}${s3.written} object(s) written to the DR bucket since ${s3.since}, ${s3.verified} found in the source bucket after the copy, ${s3.writtenAfterListing ?? 0} written after the DR bucket was listed` +
      (s3.deletesToCarry
        ? `, ${s3.deletesCarried ?? 0} of ${s3.deletesToCarry} delete(s) made in DR carried back`
        : "")
    );
  });
  return { s3Objects: total, s3Basis };
}

/** Inputs of {@link buildFailbackReport} that are not in the journal. */
export interface FailbackReportContext {
  readonly nowMs: number;
  readonly outcome: RunOutcome;
  readonly cleanup?: FailbackReport["cleanup"];
  readonly notes: string[];
  readonly rehearsal?: RehearsalLabel;
}

/** Builds the report from the run's journal. */
export function buildFailbackReport(
  journal: FailbackJournal,
  context: FailbackReportContext,
): FailbackReport {
  const { failback } = journal;
  const byArn = new Map(failback.resources.map((r) => [r.drResourceArn, r]));
  const jobs: FailbackReportJob[] = [];
  for (const transfer of failback.transfers) {
    const resource = byArn.get(transfer.drResourceArn);
    const type = resource?.resourceType ?? "?";
    const name = resource?.sourceName ?? transfer.drResourceArn;
    if (transfer.backup) {
      jobs.push(transferJob("backup", transfer.phase, type, name, transfer.backup));
    }
    if (transfer.copy) {
      jobs.push(transferJob("copy", transfer.phase, type, name, transfer.copy));
    }
  }
  for (const plan of journal.plan) {
    const record = journal.jobs[plan.recoveryPointArn];
    jobs.push({
      kind: "restore",
      phase: "restore",
      resourceType: plan.resourceType,
      resource: plan.resourceName,
      jobId: record?.restoreJobId,
      status: record?.status ?? "NOT_STARTED",
      message: record?.statusMessage,
      startedAt: record?.startedAt,
      endedAt: record?.completedAt,
      durationSeconds: seconds(record?.startedAt, record?.completedAt),
      result: record?.endpoint ?? record?.resourceId ?? plan.targetName,
    });
  }
  const drill = journal.kind === "failback-drill";
  const lastRestore = journal.plan
    .map((p) => journal.jobs[p.recoveryPointArn]?.completedAt)
    .filter((t): t is string => t !== undefined)
    .sort()
    .pop();
  const back = drill
    ? lastRestore
    : ((failback.traffic?.ok ? failback.traffic.at : undefined) ??
      (failback.traffic ? undefined : journal.health?.healthy ? journal.health.checkedAt : undefined));
  const freeze = failback.freeze;
  const lost = drill ? undefined : writesLost(journal);
  return {
    kind: journal.kind as FailbackKind,
    runId: journal.runId,
    drStack: journal.stackName,
    prodStack: failback.prodStackName,
    drRegion: failback.drRegion,
    primaryRegion: journal.region,
    drVault: failback.drVaultName,
    primaryVault: journal.vaultName,
    startedAt: journal.startedAt,
    finishedAt: new Date(context.nowMs).toISOString(),
    outcome: context.outcome,
    failbackSeconds: seconds(journal.startedAt, back),
    freeze: freeze ? { ...freeze, durationSeconds: seconds(freeze.startedAt, freeze.endedAt) } : undefined,
    writesLost: lost,
    phases: failback.phases,
    jobs,
    s3: failback.s3,
    traffic: failback.traffic,
    flips: journal.flips,
    health: journal.health,
    cleanup: context.cleanup,
    notes: context.notes,
    ...(context.rehearsal ? { rehearsal: context.rehearsal } : {}),
    verdict: judgeRun(
      context.outcome,
      lost
        ? [
            judgeObjective(context.outcome, {
              objective: "writes lost",
              target: 0,
              targetText: "0",
              achieved: lost.total,
              achievedText: lost.total === undefined ? undefined : String(lost.total),
              unmeasured: "unknown: see the report's basis",
            }),
          ]
        : [],
    ),
  };
}

/** The failback's last line: its result against its objective and its exit code. */
export function failbackVerdictLine(report: FailbackReport): string {
  return verdictLine(
    `${report.rehearsal ? "rehearsal of " : ""}${report.kind} ${report.runId}`,
    report.verdict,
  );
}

const cell = (text: string | number | undefined) =>
  text === undefined ? "-" : String(text).replace(/\|/g, "\\|").replace(/\n/g, " ");
const duration = (value: number | undefined) => (value === undefined ? "-" : formatDuration(value * 1000));

/** The report as Markdown, for the incident or drill record. */
export function renderFailbackMarkdown(report: FailbackReport): string {
  const drill = report.kind === "failback-drill";
  const lost = report.writesLost;
  const lines = [
    `# DR failback${drill ? " drill" : ""}${report.rehearsal ? " rehearsal" : ""} ${report.runId}: ${resultWord(report.verdict).toLowerCase()}`,
    "",
    ...(report.rehearsal
      ? [
          `- REHEARSAL (scenario \`${report.rehearsal.scenario}\`, clock at ${report.rehearsal.speed}x): against the local simulation of AWS; nothing ran in AWS. Times are simulated (local processing is not counted in them, at any speed).`,
        ]
      : []),
    `- Verdict: ${resultWord(report.verdict)} (exit ${report.verdict.exitCode})`,
    ...report.verdict.objectives.map((o) => `  - ${describeObjective(o)}`),
    `- From \`${report.drStack}\` in ${report.drRegion} (vault \`${report.drVault}\`) to \`${report.prodStack}\` in ${report.primaryRegion} (vault \`${report.primaryVault}\`)`,
    `- Started ${report.startedAt}, finished ${report.finishedAt}`,
    `- Measured failback time (${drill ? "start to the last restore" : "start to traffic back on prod"}): ${duration(report.failbackSeconds)}`,
    ...(report.freeze
      ? [
          `- Write freeze: from ${report.freeze.startedAt} (no dr server from ${report.freeze.confirmedAt ?? "-"}) to ${report.freeze.endedAt ?? "-"}: ${duration(report.freeze.durationSeconds)}`,
        ]
      : []),
    ...(lost
      ? [
          `- Writes lost: ${lost.total ?? "unknown"} (databases and volumes: ${lost.databases ?? "unknown"}; S3 objects: ${lost.s3Objects ?? "unknown"})`,
          ...lost.basis.map((b) => `  - ${b}`),
        ]
      : []),
    ...(report.health
      ? [
          `- Prod health check ${report.health.url}: ${report.health.healthy ? "healthy" : "NOT healthy"} after ${report.health.attempts} attempt(s)`,
        ]
      : []),
    ...(report.traffic
      ? [
          `- Traffic: ${report.traffic.namespace} ${report.traffic.metricName} = ${report.traffic.value} in ${report.traffic.region}: ${report.traffic.ok ? `published at ${report.traffic.at}` : `NOT published${report.traffic.detail ? ` (${report.traffic.detail})` : ""}`}`,
        ]
      : []),
    "",
    "## Phases",
    "",
    "| Phase | Started | Ended | Outcome |",
    "|---|---|---|---|",
    ...report.phases.map(
      (p) =>
        `| ${p.phase} | ${p.startedAt} | ${cell(p.endedAt)} | ${p.outcome ?? "interrupted"}${p.detail ? `: ${cell(p.detail)}` : ""} |`,
    ),
    "",
    "## Jobs",
    "",
    "| Job | Phase | Type | Resource | Id | Status | Started | Ended | Duration | Result |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...report.jobs.map(
      (j) =>
        `| ${j.kind} | ${j.phase} | ${j.resourceType} | ${cell(j.resource)} | ${cell(j.jobId)} | ${j.status}${
          j.message ? `: ${cell(j.message)}` : ""
        } | ${cell(j.startedAt)} | ${cell(j.endedAt)} | ${duration(j.durationSeconds)} | ${cell(j.result)} |`,
    ),
  ];
  if (report.s3 && report.s3.length > 0) {
    lines.push("", "## S3", "");
    for (const s3 of report.s3) {
      lines.push(
        `- ${s3.drBucket ? `\`${s3.drBucket}\` -> \`${s3.sourceBucket}\`: w` : "W"}ritten in DR since ${s3.since}: ${cell(s3.written)}; already in the source bucket: ${cell(s3.alreadyThere)}; copied: ${cell(s3.copied)}; verified after: ${cell(s3.verified)}${s3.countOnly ? " (drill: counted only)" : ""}`,
        ...(s3.missing && s3.missing.length > 0 ? [`  - Missing: ${s3.missing.join(", ")}`] : []),
      );
    }
  }
  lines.push(...renderFlips("Stack updates", report.flips));
  if (report.cleanup) {
    lines.push(
      "",
      "## Cleanup",
      "",
      report.cleanup.kept
        ? "- Kept (--keep)."
        : `- ${report.cleanup.deleted} deleted, ${report.cleanup.failed} failed.`,
    );
  }
  if (report.notes.length > 0) {
    lines.push("", "## Notes", "", ...report.notes.map((n) => `- ${n}`));
  }
  return `${lines.join("\n")}\n`;
}

/** Writes the report's JSON and Markdown files beside recover's, and rewrites the directory's index; returns both paths. */
export async function writeFailbackReport(
  report: FailbackReport,
  dir: string,
): Promise<{ json: string; markdown: string }> {
  const paths = await writeReportFiles(report, renderFailbackMarkdown(report), dir);
  await writeReportIndex(dir);
  return paths;
}

/** A few lines for the terminal at the end of a run. */
export function renderFailbackSummary(report: FailbackReport): string[] {
  const count = (status: string) => report.jobs.filter((j) => j.status === status).length;
  const lines = [
    `${report.rehearsal ? "rehearsal of " : ""}${report.kind} ${report.runId}: ${resultWord(report.verdict)}`,
    `  jobs: ${count("COMPLETED")} completed, ${count("FAILED") + count("ABORTED")} failed, of ${report.jobs.length} (backups, copies, restores)`,
    `  measured failback time: ${duration(report.failbackSeconds)}`,
  ];
  if (report.freeze) {
    lines.push(
      `  write freeze: ${report.freeze.startedAt} to ${report.freeze.endedAt ?? "-"} (${duration(report.freeze.durationSeconds)})`,
    );
  }
  if (report.writesLost) {
    lines.push(`  writes lost: ${report.writesLost.total ?? "unknown"}`);
  }
  return lines;
}
