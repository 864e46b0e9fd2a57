import { iso } from "../../clock";
import { CommandContext } from "../../context";
import { InterruptedError } from "../../errors";
import { FlipRecord, JournalStore } from "../core/journal";
import { FailbackJournal, FailbackPhase, PhaseRecord } from "./journal";
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

/** How a phase ended; `failed` stops the run after it (a re-run retries the phase). */
export interface PhaseResult {
  readonly outcome: NonNullable<PhaseRecord["outcome"]>;
  readonly detail?: string;
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

/** Throws {@link InterruptedError} once Ctrl-C was pressed: the phase stops at a journaled point. */
export function throwIfInterrupted(pc: PhaseContext): void {
  if (pc.command.signal.aborted) {
    throw new InterruptedError();
  }
}

/** The journal's record of a phase, or undefined when it never started. */
export function phaseRecord(journal: FailbackJournal, phase: FailbackPhase): PhaseRecord | undefined {
  return journal.failback.phases.find((p) => p.phase === phase);
}

/**
 * Runs one phase with its start and end journaled: a phase that ended ok or skipped is not run again;
 * one that started without ending (a crash, Ctrl-C) or failed is run again, and its jobs are adopted
 * from the journal, never started twice.
 */
export async function runPhase(
  pc: PhaseContext,
  phase: FailbackPhase,
  body: () => Promise<PhaseResult>,
): Promise<PhaseResult> {
  const { out, deps } = pc.command;
  const existing = phaseRecord(pc.journal, phase);
  if (existing?.endedAt && existing.outcome !== "failed") {
    out.info(`${phase}: done at ${existing.endedAt}${existing.detail ? ` (${existing.detail})` : ""}`);
    return { outcome: existing.outcome ?? "ok", detail: existing.detail };
  }
  throwIfInterrupted(pc);
  const record: PhaseRecord = existing ?? { phase, startedAt: iso(deps.clock.now()) };
  if (existing) {
    out.info(`${phase}: resuming (started ${existing.startedAt})`);
    delete record.endedAt;
    delete record.outcome;
  } else {
    pc.journal.failback.phases.push(record);
    out.info(`${phase}: started`);
  }
  save(pc);
  const result = await body();
  record.endedAt = iso(deps.clock.now());
  record.outcome = result.outcome;
  record.detail = result.detail;
  save(pc);
  const line = `${phase}: ${result.outcome}${result.detail ? ` (${result.detail})` : ""}`;
  if (result.outcome === "failed") {
    out.warn(line);
  } else {
    out.info(line);
  }
  return result;
}
