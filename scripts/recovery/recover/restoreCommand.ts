// dr recover and dr drill: their phases in order (preflight, select, start, flip, verify, report), the journaled ones on the phase runner.
import { destroyAwsClients } from "../../aws/clients";
import { CommandContext } from "../../context";
import { DrillCleanup, cleanUpAfterDrill } from "../core/cleanup";
import { FlipOutcome, restoreAndFlip } from "./flip/flip";
import { StartGate, runInterruptible } from "../core/interrupt";
import { JournalStore, RunJournal, RunKind } from "../core/journal";
import { newRunId } from "../core/naming";
import { RestoreCommandOptions } from "./options";
import { ParsedInput, parseRestoreInput } from "./preflight/input";
import { preflight } from "./preflight/preflight";
import { openRun } from "./preflight/run";
import { nextCommand } from "./preflight/liveRecovery";
import { reportRun } from "./report/outcome";
import { RunLock } from "../core/runLock";
import { selectRestores } from "./select/select";
import { showDryRun, showSelection } from "./select/show";
import { beginRun } from "./start/begin";
import { credentialTargets } from "../core/credentialTarget";
import { restoredSettingsOrWarn } from "../core/restoreRun";
import { NOT_VERIFIED, Verification, verifyRun } from "./verify/verify";
import { Phase, PhaseJournal, PhaseRecord, reopenPhases, runPhases } from "../core/phaseRunner";
import { isFinalStatus } from "../core/restoreJobs";
import { StackHandle } from "../../dependencies";

/**
 * The phases of a run kept in its journal, in order: `flip` (the restores, with the dr stack's flip
 * overlapping them), `verify`, and a drill's `cleanup`. preflight, select and start run every time (they
 * open the run); the report is written after the phases, whether or not they all ended well.
 */
export const RECOVER_PHASES = ["flip", "verify", "cleanup"] as const;
export type RecoverPhase = (typeof RECOVER_PHASES)[number];

/** A recover or drill journal, with its phase records and what each phase found. */
export interface RecoverJournal extends RunJournal {
  /** The phase runner's records (absent from a journal written before them: its phases all run). */
  phases?: PhaseRecord<RecoverPhase>[];
  /** What each phase that ended found: a resumed run skips the phase and reports on these. */
  findings?: {
    flip?: FlipOutcome;
    verification?: Verification;
    cleanup?: DrillCleanup;
  };
}

/** `dr recover`: restore in the DR region, flip the dr stack to active, check health, report. */
export function runRecover(ctx: CommandContext, options: RestoreCommandOptions): Promise<number> {
  return runRestoreCommand(ctx, "recover", options);
}

/** `dr drill`: restore into drill-named resources, check them, report, delete them. */
export function runDrill(ctx: CommandContext, options: RestoreCommandOptions): Promise<number> {
  return runRestoreCommand(ctx, "drill", options);
}

async function runRestoreCommand(
  ctx: CommandContext,
  kind: RunKind,
  options: RestoreCommandOptions,
): Promise<number> {
  const { deps, global } = ctx;
  // The RTO is measured from here: the moment the operator started the command.
  const commandStart = deps.clock.now();
  // Bad input fails here, before the network is touched.
  const input = parseRestoreInput(kind, options, commandStart);
  // One run at a time per state directory; a dry run reads only and needs no lock.
  const lock = options.dryRun
    ? undefined
    : RunLock.acquire(global.stateDir, { command: `dr ${kind}`, nowMs: commandStart });
  return runInterruptible(
    {
      out: ctx.out,
      store: new JournalStore(global.stateDir, kind),
      command: `dr ${kind}`,
      signal: ctx.signal,
      lock,
    },
    (gate) => runRestorePhases(ctx, kind, options, input, commandStart, lock, gate),
  );
}

/** preflight, select, start (with the flip overlapping the restores), verify, a drill's cleanup, report. */
async function runRestorePhases(
  ctx: CommandContext,
  kind: RunKind,
  options: RestoreCommandOptions,
  input: ParsedInput,
  commandStart: number,
  lock: RunLock | undefined,
  gate: StartGate,
): Promise<number> {
  const { out, deps, global } = ctx;
  const store = new JournalStore(global.stateDir, kind);
  const run = openRun(store, options, out, (flags) => nextCommand(ctx, kind, flags));
  const pre = await preflight(ctx, kind, options, run);
  const drillCtx = { clients: pre.clients, clock: deps.clock, store, out };
  try {
    if (options.cleanupOnly && run.journal) {
      // What the last drill left (after --keep or a failure): its clean-up runs again, on its own.
      const journal: RecoverJournal = run.journal;
      const records = (journal.phases ??= []);
      reopenPhases(records, ["cleanup"]);
      gate.open();
      await runPhases(phaseJournal(ctx, store, journal), [cleanupPhase(journal, drillCtx, pre.stack, false)]);
      return await reportRun(ctx, journal, store, pre.outputs, {
        verification: NOT_VERIFIED,
        cleanup: journal.findings?.cleanup,
      });
    }
    if (run.journal) {
      const retryMetadata = options.retryFailed && options.metadata.length > 0;
      if (options.asOf || options.only.length > 0 || (options.metadata.length > 0 && !retryMetadata)) {
        out.warn(
          `resuming ${kind} run ${run.journal.runId}: its recovery points and metadata are kept, --as-of/--only/--metadata are ignored (pass --new-run to start over)`,
        );
      } else if (retryMetadata) {
        out.info(
          `retrying the failed restores of ${kind} run ${run.journal.runId} with --metadata; what completed is kept`,
        );
      } else {
        out.info(`resuming ${kind} run ${run.journal.runId} started ${run.journal.startedAt}`);
      }
    }
    const runId = run.journal?.runId ?? newRunId(commandStart, deps.runIdSuffix);
    lock?.setRunId(runId);

    const selection = await selectRestores(ctx, kind, options, input, pre, run.journal, runId);
    const repoint = showSelection(ctx, options, pre, selection);
    if (options.dryRun) {
      return showDryRun(ctx, selection);
    }

    const journal: RecoverJournal = await beginRun(ctx, options, store, {
      kind,
      runId,
      commandStart,
      input,
      run,
      pre,
      selection,
      repoint,
      gate,
    });
    const records = (journal.phases ??= []);
    const findings = (journal.findings ??= {});
    if (options.retryFailed) {
      // New attempts at the failed restores: the restores, the flip and what follows them run again.
      reopenPhases(records, RECOVER_PHASES);
    }
    const phases: Phase<RecoverPhase>[] = [
      {
        name: "flip",
        run: async () => {
          findings.flip = await restoreAndFlip(
            journal,
            {
              clients: pre.clients,
              clock: deps.clock,
              store,
              out,
              signal: ctx.signal,
              poll: options.poll,
              credentials: credentialTargets(
                kind,
                options.flip,
                journal.plan,
                options.appResources,
                pre.outputs,
                out,
              ),
              // A recovery's copies are protected as prod's data is, with the DR region's data planes only; a
              // drill's are not (they are deleted, and must not be backed up).
              protect: kind === "recover" ? restoredSettingsOrWarn(pre.outputs, out) : undefined,
            },
            options.flip
              ? { stack: pre.stack, config: selection.config, outputs: pre.outputs, overlap: options.overlap }
              : undefined,
          );
          // Restores not followed to the end, or a flip that failed: a re-run of the run does this phase again.
          const unfinished = journal.plan.some((p) => {
            const status = journal.jobs[p.recoveryPointArn]?.status;
            return !status || !isFinalStatus(status);
          });
          return { outcome: unfinished || findings.flip?.ok === false ? "failed" : "ok" };
        },
        // The verification and the report follow a flip that failed, and say so.
        stopsOnFailure: false,
      },
      {
        name: "verify",
        run: async () => {
          findings.verification = await verifyRun(
            ctx,
            journal,
            store,
            pre.clients,
            options,
            pre.outputs,
            findings.flip,
          );
          return { outcome: "ok" };
        },
      },
    ];
    if (kind === "drill") {
      phases.push(cleanupPhase(journal, drillCtx, pre.stack, options.keep ?? false));
    }
    // A restore phase that runs again (restores not followed to the end) makes the verification stale.
    await runPhases(phaseJournal(ctx, store, journal), phases, { chained: true });
    return await reportRun(ctx, journal, store, findings.flip?.outputs ?? pre.outputs, {
      flip: findings.flip,
      verification: findings.verification ?? NOT_VERIFIED,
      cleanup: findings.cleanup,
    });
  } finally {
    destroyAwsClients(pre.clients);
  }
}

/** The run's journal as the phase runner keeps its records in it; recover's output names no phases. */
function phaseJournal(
  ctx: CommandContext,
  store: JournalStore,
  journal: RecoverJournal,
): PhaseJournal<RecoverPhase> {
  return {
    records: (journal.phases ??= []),
    save: () => store.save(journal),
    clock: ctx.deps.clock,
    out: ctx.out,
    signal: ctx.signal,
    announce: "quiet",
  };
}

/** A drill's clean-up: the flip reverted and what it restored deleted (unless `keep`), as a phase. */
function cleanupPhase(
  journal: RecoverJournal,
  drillCtx: Parameters<typeof cleanUpAfterDrill>[1],
  stack: StackHandle,
  keep: boolean,
): Phase<RecoverPhase> {
  return {
    name: "cleanup",
    run: async () => {
      const cleanup = await cleanUpAfterDrill(journal, drillCtx, stack, keep);
      (journal.findings ??= {}).cleanup = cleanup;
      return { outcome: cleanup.failed > 0 ? "failed" : "ok" };
    },
    stopsOnFailure: false,
  };
}
