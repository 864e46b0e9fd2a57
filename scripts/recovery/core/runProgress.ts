// The progress lines of a restore run: each job's state with its estimate, paced, and the run's summary with its own.
import { Clock } from "../../clock";
import { Output } from "../../output";
import { formatDuration } from "../../time";
import { Eta, etaText, jobEta, runEta, runEtaText } from "./eta";
import { JobRecord, PlannedRestore, RunJournal } from "./journal";
import { PacerOptions, ProgressPacer } from "./progressPacer";
import { JobSnapshot, isFinalStatus, percentDone } from "./restoreJobs";
import { RestoreJobMonitor } from "./restoreMonitor";

/**
 * How long past its due time a summary waits: a poll due at the same moment answers first, and the job
 * lines it prints make the summary unneeded (a ListRestoreJobs call takes well under this; unsourced).
 */
const SUMMARY_GRACE_MS = 5_000;

/**
 * A restore run's progress lines: `RDS app-db: RUNNING 40% eta 14:32 (in ~18 min)` on a change of state
 * and on PercentDone steps, and in quiet times `waiting: ... run eta ...` ever less often
 * ({@link ProgressPacer}). A job's estimate comes from AWS's figures, else its own progress, else how long
 * the run's completed jobs of its type took (eta.ts).
 */
export class RunProgress {
  private readonly pacer: ProgressPacer;
  /** The longest a completed job of each resource type took in this run, ms. */
  private readonly observedMs = new Map<string, number>();

  constructor(
    private readonly journal: RunJournal,
    private readonly ctx: { readonly out: Output; readonly clock: Clock },
    private readonly monitor: RestoreJobMonitor,
    pacing?: PacerOptions,
  ) {
    this.pacer = new ProgressPacer(ctx.clock.now(), pacing);
    for (const plan of journal.plan) {
      this.completed(plan, journal.jobs[plan.recoveryPointArn]);
    }
  }

  /** A job's event line (started, adopted, resumed, ended) was printed: the quiet time starts again. */
  event(plan: PlannedRestore): void {
    this.pacer.jobLine(plan.recoveryPointArn, this.ctx.clock.now(), true, undefined);
  }

  /** A job's new state or percentage (before `record` takes it in): its line, when the pacer lets it through. */
  change(plan: PlannedRestore, record: JobRecord, snapshot: JobSnapshot): void {
    if (isFinalStatus(snapshot.status)) {
      return;
    }
    const now = this.ctx.clock.now();
    const percent = percentDone(snapshot.percentDone);
    const changed = snapshot.status !== record.status;
    if (this.pacer.jobLine(plan.recoveryPointArn, now, changed, percent)) {
      const eta = etaText(this.jobEta(plan, record), now, (at) => this.ctx.out.clockTime(at));
      this.ctx.out.info(
        `${plan.resourceType} ${plan.resourceName}: ${snapshot.status}${percent !== undefined ? ` ${percent}%` : ""} ${eta}`,
      );
    }
  }

  /** A job that completed: how long it took is the estimate for its type's jobs with no figure of their own. */
  completed(plan: PlannedRestore, record: JobRecord | undefined): void {
    if (record?.status !== "COMPLETED" || !record.startedAt || !record.completedAt) {
      return;
    }
    const took = Date.parse(record.completedAt) - Date.parse(record.startedAt);
    this.observedMs.set(plan.resourceType, Math.max(took, this.observedMs.get(plan.resourceType) ?? 0));
  }

  /** Prints the summary line whenever the pacer says, until `stop` aborts. */
  async summaries(stop: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.pacer.nextSummaryAt() + SUMMARY_GRACE_MS - this.ctx.clock.now();
      if (wait > 0) {
        try {
          await this.ctx.clock.sleep(wait, stop);
        } catch {
          return;
        }
        continue;
      }
      this.ctx.out.info(this.summary());
      this.pacer.summaryPrinted(this.ctx.clock.now());
    }
  }

  /** `waiting: 0 pending, 1 running, 3 completed, 0 failed of 4; run eta 14:32 (in ~18 min); 13m 19s since start` */
  summary(): string {
    const now = this.ctx.clock.now();
    const records = this.journal.plan.map((plan) => ({
      plan,
      record: this.journal.jobs[plan.recoveryPointArn],
    }));
    const by = (...states: string[]) => records.filter(({ record }) => states.includes(record.status)).length;
    const run = runEta(
      records
        .filter(({ record }) => !isFinalStatus(record.status))
        .map(({ plan, record }) =>
          record.restoreJobId
            ? { started: true, eta: this.jobEta(plan, record) }
            : { started: false, expectedMs: this.observedMs.get(plan.resourceType) },
        ),
      now,
    );
    return (
      `waiting: ${by("STARTING", "PENDING")} pending, ${by("RUNNING")} running, ${by("COMPLETED")} completed, ` +
      `${by("FAILED", "ABORTED")} failed of ${records.length}; run ${runEtaText(run, now, (at) => this.ctx.out.clockTime(at))}; ` +
      `${formatDuration(now - Date.parse(this.journal.startedAt))} since start`
    );
  }

  private jobEta(plan: PlannedRestore, record: JobRecord): Eta | undefined {
    const track =
      (record.restoreJobId && this.monitor.track(record.restoreJobId)) ||
      (record.startedAt ? { createdAt: Date.parse(record.startedAt) } : undefined);
    return track && jobEta(track, this.ctx.clock.now(), this.observedMs.get(plan.resourceType));
  }
}
