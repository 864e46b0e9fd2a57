// The one answer to Ctrl-C of a run (recover, drill, failback): what keeps running in AWS, how to resume, its exit code.
import { ExitCode, InterruptedError } from "../../errors";
import { Output } from "../../output";
import { JobAttempt, JournalStore, RunJournal } from "./journal";
import { isFinalStatus } from "./restoreJobs";
import { RunLock } from "./runLock";

/** What {@link runInterruptible} says and releases. */
export interface InterruptibleRun {
  readonly out: Output;
  /** The run's journal: what it holds when Ctrl-C comes says what keeps running in AWS. */
  readonly store: JournalStore;
  /** The command that resumes an unfinished run of this kind, e.g. `dr recover`. */
  readonly command: string;
  /** Aborted on Ctrl-C / SIGTERM; its reason may be an {@link UnresumableInterrupt}. */
  readonly signal: AbortSignal;
  /** The run lock, released however the run ends. Default: none (a dry run takes no lock). */
  readonly lock?: RunLock;
}

/**
 * The reason a rehearsal gives its rehearsed command's signal when the operator presses Ctrl-C: the
 * simulation ends with the process, so nothing is left to resume and no resume hint is true.
 */
export class UnresumableInterrupt extends InterruptedError {
  constructor(readonly why: string) {
    super("interrupted");
  }
}

/**
 * The moment a run commits to starting something in AWS. Until the body {@link StartGate.open}s it,
 * Ctrl-C ends the command at once ("nothing was started"): nothing of this command is under way.
 * Once open, Ctrl-C lets the body stop at a journaled point.
 */
export class StartGate {
  private opened = false;

  constructor(private readonly signal: AbortSignal) {}

  /** Throws an {@link InterruptedError} if Ctrl-C came; otherwise the run starts things from here on. */
  open(): void {
    if (this.signal.aborted) {
      throw new InterruptedError();
    }
    this.opened = true;
  }

  get isOpen(): boolean {
    return this.opened;
  }
}

/**
 * Runs a command's body, which opens the gate before it starts anything. Ctrl-C (an
 * {@link InterruptedError}, or the abort while the gate is closed) ends it with one line saying what
 * keeps running in AWS and how to resume it, and exit code `interrupted`.
 */
export async function runInterruptible(
  run: InterruptibleRun,
  body: (gate: StartGate) => Promise<number>,
): Promise<number> {
  const gate = new StartGate(run.signal);
  let onAbort = () => {};
  // Before the gate opens nothing of this run is under way: the command need not reach a journaled point.
  const abortedBeforeStart = new Promise<"interrupted">((resolve) => {
    onAbort = () => {
      if (!gate.isOpen) resolve("interrupted");
    };
    if (run.signal.aborted) onAbort();
    else run.signal.addEventListener("abort", onAbort, { once: true });
  });
  const running = body(gate);
  try {
    const ended = await Promise.race([running, abortedBeforeStart]);
    if (ended !== "interrupted") {
      return ended;
    }
  } catch (err) {
    if (!(err instanceof InterruptedError)) {
      throw err;
    }
  } finally {
    run.signal.removeEventListener("abort", onAbort);
    run.lock?.release();
  }
  // The abandoned body may still reject: it was told to stop.
  running.catch(() => {});
  run.out.warn(interruptedMessage(run, gate.isOpen));
  return ExitCode.interrupted;
}

/** The line Ctrl-C ends a run with: what this command started, what keeps running in AWS, how to resume. */
function interruptedMessage(run: Omit<InterruptibleRun, "out" | "lock">, started: boolean): string {
  const journal = run.store.load();
  const unfinished = journal?.state === "running" ? journal : undefined;
  const jobs = unfinished ? jobsUnderWay(unfinished) : [];
  const underWay =
    jobs.length > 0
      ? `${jobs.length} job(s) keep running in AWS (${jobs.join(", ")})`
      : "none of its jobs is still running in AWS";
  if (run.signal.reason instanceof UnresumableInterrupt) {
    return `interrupted: ${run.signal.reason.why}`;
  }
  if (!started) {
    return unfinished
      ? `interrupted before this command started anything. ${run.command} run ${unfinished.runId} is unfinished: ${underWay}; run '${run.command}' to resume it (journal ${run.store.file}).`
      : "interrupted: nothing was started. Re-run the same command to start.";
  }
  if (unfinished) {
    return `interrupted: ${run.command} run ${unfinished.runId}: ${underWay}. Re-run the same command to resume (journal ${run.store.file}).`;
  }
  return journal
    ? `interrupted after ${run.command} run ${journal.runId} finished: nothing of it is running (journal ${run.store.file}).`
    : "interrupted: nothing was started. Re-run the same command to start.";
}

/** A backup or copy job of a failback, as its journal holds it. */
type TransferJob = JobAttempt & { readonly jobId?: string };
type Transfer = { readonly backup?: TransferJob; readonly copy?: TransferJob };

/** The jobs of a run not seen to end: restore jobs, and a failback's backup and copy jobs. */
function jobsUnderWay(journal: RunJournal): string[] {
  const named = (kind: string, job: JobAttempt | undefined, id: string | undefined): string[] =>
    job && !isFinalStatus(job.status) ? [id ? `${kind} ${id}` : `${kind} being started`] : [];
  // A failback's journal (failback/journal.ts) adds its backup and copy jobs; core/ reads it by its shape.
  const transfers = (journal as { failback?: { transfers?: Transfer[] } }).failback?.transfers ?? [];
  return [
    ...Object.values(journal.jobs).flatMap((j) => named("restore job", j, j.restoreJobId)),
    ...transfers.flatMap((t) => [
      ...named("backup job", t.backup, t.backup?.jobId),
      ...named("copy job", t.copy, t.copy?.jobId),
    ]),
  ];
}
