// The one phase runner of recover, drill and failback: phases in order, each journaled when it starts and ends, resumable.
import { Clock, iso } from "../../clock";
import { InterruptedError } from "../../errors";
import { Output } from "../../output";

/** How a phase ended: `failed` stops the run after it (a re-run retries the phase). */
export type PhaseOutcome = "ok" | "failed" | "skipped";

/** When a phase started and ended, as the journal saw it. */
export interface PhaseRecord<P extends string = string> {
  readonly phase: P;
  startedAt: string;
  endedAt?: string;
  /** ok: done; failed: the run stops after it (a re-run retries it); skipped: not needed or not asked for. */
  outcome?: PhaseOutcome;
  detail?: string;
}

/** How a phase ended, and why, for its line and its record. */
export interface PhaseResult {
  readonly outcome: PhaseOutcome;
  readonly detail?: string;
}

/** Where a run keeps its phase records, and what its phases run with. */
export interface PhaseJournal<P extends string> {
  /** The run's phase records, in the journal: a phase is looked up here and its record written here. */
  readonly records: PhaseRecord<P>[];
  /** Writes the journal now (synchronously, durably). */
  save(): void;
  readonly clock: Clock;
  readonly out: Output;
  /** Aborted on Ctrl-C: no phase starts after it. */
  readonly signal: AbortSignal;
  /**
   * How phases are announced: `lines` prints a line when a phase starts, resumes, ends or is found done
   * (`X: started`, `X: ok`); `quiet` prints none, for a command whose phases speak for themselves.
   * Default `lines`.
   */
  readonly announce?: "lines" | "quiet";
}

/** One phase of a pipeline: its name and what it runs. */
export interface Phase<P extends string> {
  readonly name: P;
  readonly run: () => Promise<PhaseResult>;
  /** Whether a failure stops the run after this phase. Default true. */
  readonly stopsOnFailure?: boolean;
}

/** The journal's record of a phase, or undefined when it never started. */
export function phaseRecord<P extends string>(
  records: readonly PhaseRecord<P>[],
  phase: P,
): PhaseRecord<P> | undefined {
  return records.find((p) => p.phase === phase);
}

/** Whether the journal shows `phase` done: ended ok or skipped (a failed phase is run again). */
export function phaseDone<P extends string>(records: readonly PhaseRecord<P>[], phase: P): boolean {
  const record = phaseRecord(records, phase);
  return record?.endedAt !== undefined && record.outcome !== "failed";
}

/**
 * Drops the records of `phases`, so they run again: a run continued on purpose (new attempts at what
 * failed, a clean-up after `--keep`) redoes them.
 */
export function reopenPhases<P extends string>(records: PhaseRecord<P>[], phases: readonly P[]): void {
  for (let i = records.length - 1; i >= 0; i--) {
    if (phases.includes(records[i].phase)) {
      records.splice(i, 1);
    }
  }
}

/**
 * Runs one phase with its start and end journaled: a phase that ended ok or skipped is not run again;
 * one that started without ending (a crash, Ctrl-C) or failed is run again, and its jobs are adopted
 * from the journal, never started twice.
 */
export async function runPhase<P extends string>(
  journal: PhaseJournal<P>,
  phase: P,
  body: () => Promise<PhaseResult>,
): Promise<PhaseResult> {
  const { clock } = journal;
  const say = (line: string, warn = false): void => {
    if (journal.announce === "quiet") {
      return;
    }
    if (warn) {
      journal.out.warn(line);
    } else {
      journal.out.info(line);
    }
  };
  const existing = phaseRecord(journal.records, phase);
  if (existing?.endedAt && phaseDone(journal.records, phase)) {
    say(`${phase}: done at ${existing.endedAt}${existing.detail ? ` (${existing.detail})` : ""}`);
    return { outcome: existing.outcome ?? "ok", detail: existing.detail };
  }
  if (journal.signal.aborted) {
    throw new InterruptedError();
  }
  const record: PhaseRecord<P> = existing ?? { phase, startedAt: iso(clock.now()) };
  if (existing) {
    say(`${phase}: resuming (started ${existing.startedAt})`);
    delete record.endedAt;
    delete record.outcome;
  } else {
    journal.records.push(record);
    say(`${phase}: started`);
  }
  journal.save();
  const result = await body();
  record.endedAt = iso(clock.now());
  record.outcome = result.outcome;
  record.detail = result.detail;
  journal.save();
  say(
    `${phase}: ${result.outcome}${result.detail ? ` (${result.detail})` : ""}`,
    result.outcome === "failed",
  );
  return result;
}

/** How {@link runPhases} treats the records of the phases after one that runs. */
export interface RunPhasesOptions {
  /**
   * Once a phase runs (again), drop the records of the phases after it, so they run again too: they
   * ran on what it did before (recover: a re-run restore phase makes the verification stale). Default
   * false: a phase that ended stays done whatever runs before it (failback: a journal of an earlier
   * phase order keeps each phase it ended).
   */
  readonly chained?: boolean;
}

/**
 * Runs `phases` in order on {@link runPhase}, from the first that has not ended; a failed phase that
 * stops the run ends it there. Returns the phase the run stopped at, or undefined when all ran.
 */
export async function runPhases<P extends string>(
  journal: PhaseJournal<P>,
  phases: readonly Phase<P>[],
  options: RunPhasesOptions = {},
): Promise<P | undefined> {
  let ran = false;
  for (const phase of phases) {
    if (ran && options.chained) {
      reopenPhases(journal.records, [phase.name]);
    } else {
      ran ||= !phaseDone(journal.records, phase.name);
    }
    const result = await runPhase(journal, phase.name, phase.run);
    if (result.outcome === "failed" && phase.stopsOnFailure !== false) {
      return phase.name;
    }
  }
  return undefined;
}
