// The report phase of recover and drill: the outcome, the exit code and the report files.
import { iso } from "../../../clock";
import { CommandContext } from "../../../context";
import { throwIfInterrupted } from "../../../errors";
import { DrillCleanup } from "../../core/cleanup";
import { FlipOutcome } from "../flip/flip";
import { JournalStore, RunJournal, RunOutcome } from "../../core/journal";
import { nextCommand } from "../preflight/liveRecovery";
import { isFinalStatus } from "../../core/restoreJobs";
import { Verification } from "../verify/verify";
import { buildReport, renderSummary, reportVerdictLine } from "../../core/report";
import { writeReport } from "../../core/reportWriter";
import { DrOutputs } from "../../../dependencies";
import { adviseFailure } from "../../core/failureAdvice";
import { pendingResume } from "./resume";
import { declaredNotSet } from "../../core/inventory";

/** What the phases after the restores found: the outcome is judged on them. */
export interface RunFindings {
  /** The flip, when the dr stack was to be flipped. */
  readonly flip?: FlipOutcome;
  readonly verification: Verification;
  /** Drill: what its end did with the restored resources. */
  readonly cleanup?: DrillCleanup;
}

/**
 * Judges the run (success, partial, failed) and reports it: the report files, the summary and its notes,
 * and last the verdict against the RPO and RTO objectives (verdict.ts). Returns the verdict's exit code: a
 * run that missed an objective exits 1 as a partial one does. The run counts as finished only once its
 * report is out.
 */
export async function reportRun(
  ctx: CommandContext,
  journal: RunJournal,
  store: JournalStore,
  outputs: DrOutputs,
  findings: RunFindings,
): Promise<number> {
  const { flip, verification, cleanup } = findings;
  const c = counts(journal);
  const notes = [...verification.notes, ...(cleanup?.notes ?? [])];
  let outcome: RunOutcome = "success";
  if (c.completed === 0 || (flip && !flip.ok)) {
    outcome = "failed";
  } else if (
    c.failed > 0 ||
    c.unfinished > 0 ||
    verification.resourcesFailed > 0 ||
    verification.healthy === false ||
    (cleanup?.failed ?? 0) > 0 ||
    (flip?.unwired?.length ?? 0) > 0 ||
    c.declaredNotSet.length > 0
  ) {
    outcome = "partial";
  }
  notes.push(...c.declaredNotSet);
  const resume = pendingResume(ctx, journal, flip, c);
  notes.push(...resume.notes);
  if (journal.kind === "recover" && outcome !== "success" && c.failed > 0) {
    notes.push(...failureNextSteps(ctx, journal));
  }
  const now = ctx.deps.clock.now();
  const report = buildReport(journal, {
    nowMs: now,
    outcome,
    rtoMinutes: outputs.rtoMinutes,
    rpoMinutes: outputs.rpoMinutes,
    cleanup: cleanup?.summary,
    rehearsal: ctx.deps.rehearsal,
    dataNotWired: flip?.unwired,
    rtoForecast: outputs.rtoForecast,
    dataInventory: outputs.dataInventory,
    notes: [
      ...notes,
      ...journal.plan.flatMap((p) =>
        p.notes.filter((n) => /must|not usable/.test(n)).map((n) => `${p.resourceName}: ${n}`),
      ),
    ],
  });
  const paths = await writeReport(report, ctx.global.reportDir);
  ctx.out.print("");
  for (const line of renderSummary(report)) {
    ctx.out.print(line);
  }
  for (const note of report.notes) {
    ctx.out.print(`  note: ${note}`);
  }
  ctx.out.print(`  report: ${paths.markdown} (JSON: ${paths.json})`);
  ctx.out.print(reportVerdictLine(report));
  // The run is finished only once its report is out: interrupted before, a re-run resumes and
  // writes it (every job is final by then, so that re-run starts nothing).
  throwIfInterrupted(ctx.signal);
  if (!resume.open) {
    journal.state = "finished";
    journal.finishedAt = iso(now);
  }
  journal.outcome = outcome;
  store.save(journal);
  return report.verdict.exitCode;
}

function counts(journal: RunJournal) {
  const records = journal.plan.map((p) => journal.jobs[p.recoveryPointArn]);
  return {
    completed: records.filter((r) => r?.status === "COMPLETED").length,
    failed: records.filter((r) => r?.status === "FAILED" || r?.status === "ABORTED").length,
    unfinished: records.filter((r) => !r || !isFinalStatus(r.status)).length,
    /** Copies not given what their inventory entry declares (PlannedRestore.declared), with AWS's reason. */
    declaredNotSet: declaredNotSet(journal),
  };
}

/** One `next:` note per failed restore: what fixes it, from AWS's message (core/failureAdvice.ts). */
function failureNextSteps(ctx: CommandContext, journal: RunJournal): string[] {
  return journal.plan.flatMap((plan) => {
    const record = journal.jobs[plan.recoveryPointArn];
    if (record?.status !== "FAILED" && record?.status !== "ABORTED") {
      return [];
    }
    const advice = adviseFailure(plan, record.statusMessage, (flags) => nextCommand(ctx, "recover", flags));
    return [`next for ${plan.resourceType} ${plan.resourceName} (${advice.failureClass}): ${advice.text}`];
  });
}
