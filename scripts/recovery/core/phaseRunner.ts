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
  const { out, clock } = journal;
  const existing = phaseRecord(journal.records, phase);
  if (existing?.endedAt && existing.outcome !== "failed") {
    out.info(`${phase}: done at ${existing.endedAt}${existing.detail ? ` (${existing.detail})` : ""}`);
    return { outcome: existing.outcome ?? "ok", detail: existing.detail };
  }
  if (journal.signal.aborted) {
    throw new InterruptedError();
  }
  const record: PhaseRecord<P> = existing ?? { phase, startedAt: iso(clock.now()) };
  if (existing) {
    out.info(`${phase}: resuming (started ${existing.startedAt})`);
    delete record.endedAt;
    delete record.outcome;
  } else {
    journal.records.push(record);
    out.info(`${phase}: started`);
  }
  journal.save();
  const result = await body();
  record.endedAt = iso(clock.now());
  record.outcome = result.outcome;
  record.detail = result.detail;
  journal.save();
  const line = `${phase}: ${result.outcome}${result.detail ? ` (${result.detail})` : ""}`;
  if (result.outcome === "failed") {
    out.warn(line);
  } else {
    out.info(line);
  }
  return result;
}

/**
 * Runs `phases` in order on {@link runPhase}, from the first that has not ended; a failed phase that
 * stops the run ends it there. Returns the phase the run stopped at, or undefined when all ran.
 */
export async function runPhases<P extends string>(
  journal: PhaseJournal<P>,
  phases: readonly Phase<P>[],
): Promise<P | undefined> {
  for (const phase of phases) {
    const result = await runPhase(journal, phase.name, phase.run);
    if (result.outcome === "failed" && phase.stopsOnFailure !== false) {
      return phase.name;
    }
  }
  return undefined;
}
