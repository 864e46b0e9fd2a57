// What every failback phase runs with, and stack updates applied once however often the run resumes.
import { CommandContext } from "../../context";
import { throwIfInterrupted as throwIfAborted } from "../../errors";
import { FlipRecord, JournalStore } from "../core/journal";
import { PhaseJournal, PhaseRecord, phaseRecord as recordOf } from "../core/phaseRunner";
import { FailbackJournal, FailbackPhase } from "./journal";
import { FailbackOptions } from "./options";
import { FailbackPreflight } from "./preflight";
import { DrOutputs, StackHandle } from "../../dependencies";
import { applyConfig } from "../core/stackUpdate";

/** What every phase of a failback runs with. */
export interface PhaseContext {
  readonly command: CommandContext;
  readonly pre: FailbackPreflight;
  readonly journal: FailbackJournal;
  readonly store: JournalStore;
  readonly options: FailbackOptions;
}

/** What applyConfig (a stack's config set and `up`, journaled) needs. */
export function stackContext(pc: PhaseContext) {
  const { clock } = pc.command.deps;
  return { clock, out: pc.command.out, store: pc.store, signal: pc.command.signal };
}

/**
 * A stack's config set and `up` (applyConfig: journaled before and after), skipped when the journal
 * shows the same update already applied: a resumed run never updates a stack twice.
 */
export async function applyOnce(
  pc: PhaseContext,
  stack: StackHandle,
  phase: FlipRecord["phase"],
  values: Record<string, string>,
  removeKeys: readonly string[] = [],
  /** Only an update started at or after this ISO time counts as applied. Default: any. */
  since?: string,
): Promise<{ ok: boolean; message?: string; outputs?: DrOutputs }> {
  const label = `${stack === pc.pre.prodStack ? "prod" : "dr"} stack ${stack.name}`;
  const done = pc.journal.flips.find(
    (f) =>
      f.phase === phase &&
      f.ok === true &&
      (since === undefined || Date.parse(f.startedAt) >= Date.parse(since)),
  );
  if (done) {
    pc.command.out.info(`${label}: ${phase} update already applied at ${done.endedAt}`);
    return { ok: true, message: done.message };
  }
  return applyConfig(pc.journal, stackContext(pc), stack, phase, values, removeKeys, label);
}

/** Writes the journal now (synchronously, durably). */
export function save(pc: PhaseContext): void {
  pc.store.save(pc.journal);
}

/** Throws an InterruptedError (errors.ts) once Ctrl-C was pressed: the phase stops at a journaled point. */
export function throwIfInterrupted(pc: PhaseContext): void {
  throwIfAborted(pc.command.signal);
}

/** The journal's record of a phase, or undefined when it never started. */
export function phaseRecord(
  journal: FailbackJournal,
  phase: FailbackPhase,
): PhaseRecord<FailbackPhase> | undefined {
  return recordOf(journal.failback.phases, phase);
}

/** The failback's journal as the phase runner keeps its phase records in it. */
export function phaseJournal(pc: PhaseContext): PhaseJournal<FailbackPhase> {
  return {
    records: pc.journal.failback.phases,
    save: () => save(pc),
    clock: pc.command.deps.clock,
    out: pc.command.out,
    signal: pc.command.signal,
  };
}
