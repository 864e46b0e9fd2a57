/** The report of a failback rehearsal: the recovery, the days in DR and the failback, with the freeze window and the writes lost. */
import { RunReport, writeReportFiles } from "../recovery/core/report";
import { FailbackReport } from "../recovery/failback/report";
import { formatDuration } from "../time";
import { WritesTally } from "./abandonedWrites";
import { RehearsalLabel } from "../dependencies";
import {
  RunVerdict,
  describeObjective,
  judgeObjective,
  judgeRun,
  resultWord,
  verdictLine,
} from "../recovery/core/verdict";

/** How the whole cycle ended. */
export type CycleOutcome = "success" | "failed" | "writes-lost" | "dry-run";

/** The report of `dr rehearse failback`, written beside the recovery's and the failback's own. */
export interface CycleReport {
  readonly kind: "cycle";
  /** The failback's run id (the recovery's when no failback ran). */
  readonly runId: string;
  readonly rehearsal: RehearsalLabel;
  readonly outcome: CycleOutcome;
  readonly recovery: {
    readonly runId: string;
    readonly outcome: string;
    readonly exitCode: number;
    readonly report?: string;
    /** Measured RTO and data-restored time, seconds; achieved RPO, minutes; with the targets. */
    readonly rto: RunReport["rto"];
    readonly rpo: RunReport["rpo"];
  };
  /** Simulated days the application served from DR between the two commands. */
  readonly daysInDr: number;
  readonly failback?: {
    readonly runId?: string;
    readonly outcome?: string;
    readonly exitCode: number;
    readonly report?: string;
    /** Start to traffic back on prod. */
    readonly failbackSeconds?: number;
    /** The phase it stopped at, when it did. */
    readonly stoppedAt?: string;
    readonly stoppedBecause?: string;
  };
  /** The write freeze: its start, when no dr server was left, its end (traffic back), its length. */
  readonly freeze?: FailbackReport["freeze"];
  /** Counted once prod runs on the failed-back data; absent with {@link writesNotCounted} otherwise. */
  readonly writes?: WritesTally;
  readonly writesNotCounted?: string;
  /** The failover switch's alarm in the DR region at the end (ALARM: traffic on DR; OK: on prod). */
  readonly switchState?: string;
  readonly notes: string[];
  /**
   * The cycle against its objectives: the recovery's RPO and RTO as its own report judged them, and no
   * write lost (target 0) once they are counted.
   */
  readonly verdict: RunVerdict;
}

/** Inputs of {@link buildCycleReport}. */
export interface CycleInputs {
  readonly rehearsal: RehearsalLabel;
  readonly daysInDr: number;
  readonly recovery: { readonly report: RunReport; readonly file?: string; readonly exitCode: number };
  readonly failback?: { readonly report?: FailbackReport; readonly file?: string; readonly exitCode: number };
  readonly writes?: WritesTally;
  readonly switchState?: string;
}

/**
 * Puts the cycle together. The outcome is `success` only when the recovery succeeded (whatever its
 * objectives: the verdict says those), the failback exited 0 and no write was lost; a failback that
 * failed or stopped is `failed`, whatever else happened.
 */
export function buildCycleReport(inputs: CycleInputs): CycleReport {
  const { recovery, failback } = inputs;
  const fb = failback?.report;
  const stopped = fb?.phases.find((p) => p.outcome === "failed");
  const prodTookData = fb?.phases.some((p) => p.phase === "prod-data" && p.outcome === "ok") ?? false;
  let writesNotCounted: string | undefined;
  if (!failback) {
    writesNotCounted = "no failback ran";
  } else if (!fb) {
    writesNotCounted = "the failback wrote no report (a dry run starts nothing)";
  } else if (!prodTookData) {
    writesNotCounted = `the failback stopped before prod took the restored data${
      stopped ? ` (at ${stopped.phase})` : ""
    }: nothing was abandoned, every write is still in DR`;
  }
  const writes = writesNotCounted ? undefined : inputs.writes;
  let outcome: CycleOutcome;
  if (recovery.report.outcome !== "success" || !failback || failback.exitCode !== 0) {
    outcome = "failed";
  } else if (!fb) {
    outcome = "dry-run";
  } else if (fb.outcome !== "success") {
    outcome = "failed";
  } else {
    outcome = (writes?.lost ?? 0) > 0 ? "writes-lost" : "success";
  }
  const notes: string[] = [];
  if (failback && failback.exitCode !== 0) {
    notes.push(
      `the failback exited ${failback.exitCode}: in a real failback, fix the cause and run the same 'dr failback --yes' again; it resumes where it stopped`,
    );
  }
  if (writes && writes.lost > 0) {
    notes.push(`${writes.lost} write(s) did not reach the data prod runs on: see the table`);
  }
  return {
    kind: "cycle",
    runId: fb?.runId ?? recovery.report.runId,
    rehearsal: inputs.rehearsal,
    outcome,
    recovery: {
      runId: recovery.report.runId,
      outcome: recovery.report.outcome,
      exitCode: recovery.exitCode,
      report: recovery.file,
      rto: recovery.report.rto,
      rpo: recovery.report.rpo,
    },
    daysInDr: inputs.daysInDr,
    failback: failback && {
      runId: fb?.runId,
      outcome: fb?.outcome,
      exitCode: failback.exitCode,
      report: failback.file,
      failbackSeconds: fb?.failbackSeconds,
      stoppedAt: stopped?.phase,
      stoppedBecause: stopped?.detail,
    },
    freeze: fb?.freeze,
    writes,
    writesNotCounted,
    switchState: inputs.switchState,
    notes,
    verdict: judgeRun(outcome === "failed" ? "failed" : "success", [
      // A report written before verdicts has none.
      ...(recovery.report.verdict?.objectives ?? []),
      judgeObjective(outcome === "failed" ? "failed" : "success", {
        objective: "writes lost",
        target: 0,
        targetText: "0",
        achieved: writes?.lost,
        achievedText: writes ? String(writes.lost) : undefined,
        unmeasured: "not counted",
      }),
    ]),
  };
}

/** The cycle's last line: its result against the objectives and its exit code. */
export function cycleVerdictLine(report: CycleReport): string {
  return verdictLine(
    `rehearsal of the cycle (recover, ${report.daysInDr} day(s) in DR, failback)`,
    report.verdict,
  );
}

const duration = (seconds: number | undefined) =>
  seconds === undefined ? "-" : formatDuration(seconds * 1000);

/** Where the traffic ended up: back on prod after the failback's time, or still on DR. */
function trafficText(failbackSeconds: number | undefined): string {
  return failbackSeconds === undefined
    ? "traffic still on DR"
    : `traffic back on prod ${duration(failbackSeconds)} after the failback began`;
}

/** The freeze window in one line: start, no server left, end, length. */
function freezeLine(freeze: CycleReport["freeze"]): string {
  return freeze
    ? `${freeze.startedAt} to ${freeze.endedAt ?? "(not ended: writes still frozen)"} (${duration(
        freeze.durationSeconds,
      )}; no dr server from ${freeze.confirmedAt ?? "-"})`
    : "none (the failback did not reach its freeze)";
}

function writesLine(report: CycleReport): string {
  return report.writes
    ? `${report.writes.lost} of ${report.writes.writtenInDr} written in DR, and to prod's abandoned data`
    : `not counted: ${report.writesNotCounted}`;
}

/** A few lines for the terminal at the end of the rehearsal. */
export function renderCycleSummary(report: CycleReport): string[] {
  const { recovery, failback } = report;
  return [
    `rehearsal of the cycle (recover, ${report.daysInDr} day(s) in DR, failback): ${report.outcome.toUpperCase()}`,
    ...report.verdict.objectives.map((o) => `  ${describeObjective(o)}`),
    `  recovery ${recovery.runId}: ${recovery.outcome}; RTO ${duration(recovery.rto.measuredSeconds)} (data restored after ${duration(
      recovery.rto.dataRestoredSeconds,
    )}); RPO ${recovery.rpo.achievedMinutes ?? "-"} min`,
    `  failback ${failback?.runId ?? "-"}: ${failback?.outcome ?? "did not run"}${
      failback?.stoppedAt ? `, stopped at ${failback.stoppedAt}` : ""
    }; ${trafficText(failback?.failbackSeconds)}`,
    `  write freeze: ${freezeLine(report.freeze)}`,
    `  writes lost: ${writesLine(report)}`,
  ];
}

/** The report as Markdown. */
export function renderCycleMarkdown(report: CycleReport): string {
  const { recovery, failback } = report;
  const lines = [
    `# DR cycle rehearsal ${report.runId}: ${report.outcome}`,
    "",
    `- REHEARSAL (scenario \`${report.rehearsal.scenario}\`, clock at ${report.rehearsal.speed}x${report.rehearsal.compute ? `, the application on the ${report.rehearsal.compute}` : ""}): against the local simulation of AWS; nothing ran in AWS. Times are simulated (local processing is not counted in them, at any speed).`,
    `- Verdict: ${resultWord(report.verdict)} (exit ${report.verdict.exitCode})`,
    ...report.verdict.objectives.map((o) => `  - ${describeObjective(o)}`),
    `- Recovery ${recovery.runId}: ${recovery.outcome} (exit ${recovery.exitCode}); measured RTO ${duration(
      recovery.rto.measuredSeconds,
    )}${recovery.rto.targetMinutes !== undefined ? ` (target ${recovery.rto.targetMinutes} min)` : ""}, data restored after ${duration(
      recovery.rto.dataRestoredSeconds,
    )}; achieved RPO ${recovery.rpo.achievedMinutes ?? "-"} min${
      recovery.rpo.targetMinutes !== undefined ? ` (target ${recovery.rpo.targetMinutes} min)` : ""
    }${recovery.report ? `; report ${recovery.report}` : ""}`,
    `- Days in DR: ${report.daysInDr}, the application writing to the restored data`,
    `- Failback ${failback?.runId ?? "-"}: ${failback?.outcome ?? "did not run"}${
      failback ? ` (exit ${failback.exitCode})` : ""
    }${failback?.stoppedAt ? `; stopped at ${failback.stoppedAt}: ${failback.stoppedBecause ?? ""}` : ""}; ${trafficText(
      failback?.failbackSeconds,
    )}${failback?.report ? `; report ${failback.report}` : ""}`,
    `- Write freeze: ${freezeLine(report.freeze)}`,
    `- Writes lost: ${writesLine(report)}`,
    ...(report.switchState ? [`- Failover switch alarm at the end: ${report.switchState}`] : []),
  ];
  if (report.writes) {
    lines.push(
      "",
      "## Writes",
      "",
      "| Where | Type | Resource | Id | Written | Final backup captured | In the primary restore | Lost |",
      "|---|---|---|---|---|---|---|---|",
      ...report.writes.resources.map(
        (r) =>
          `| ${r.side === "dr" ? "DR (restored)" : "prod (pre-disaster)"} | ${r.resourceType} | ${r.logicalName} | ${r.id} | ${r.written} | ${
            r.capturedByFinalBackup ?? "-"
          } | ${r.inPrimaryRestore ?? "-"} | ${r.lost} |`,
      ),
      "",
      ...report.writes.basis.map((b) => `- ${b}`),
    );
  }
  if (report.notes.length > 0) {
    lines.push("", "## Notes", "", ...report.notes.map((n) => `- ${n}`));
  }
  return `${lines.join("\n")}\n`;
}

/** Writes the report as `rehearsal-cycle-<run id>.json` and `.md`; returns both paths. */
export function writeCycleReport(
  report: CycleReport,
  dir: string,
): Promise<{ json: string; markdown: string }> {
  return writeReportFiles(report, renderCycleMarkdown(report), dir);
}
