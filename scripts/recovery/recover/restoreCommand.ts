// dr recover and dr drill: their phases in order (preflight, select, start, flip, verify, report).
import { destroyAwsClients } from "../../aws/clients";
import { CommandContext } from "../../context";
import { cleanUpAfterDrill } from "../core/cleanup";
import { restoreAndFlip } from "./flip/flip";
import { runInterruptible } from "../core/interrupt";
import { JournalStore, RunKind } from "../core/journal";
import { newRunId } from "../core/naming";
import { RestoreCommandOptions } from "./options";
import { ParsedInput, parseRestoreInput } from "./preflight/input";
import { preflight } from "./preflight/preflight";
import { openRun } from "./preflight/run";
import { reportRun } from "./report/outcome";
import { RunLock } from "../core/runLock";
import { selectRestores } from "./select/select";
import { showDryRun, showSelection } from "./select/show";
import { beginRun } from "./start/begin";
import { credentialTarget } from "../core/credentialTarget";
import { restoredSettingsOrWarn } from "../core/restoreRun";
import { NOT_VERIFIED, verifyRun } from "./verify/verify";

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
    { out: ctx.out, journalFile: new JournalStore(global.stateDir, kind).file, jobs: "restore jobs", lock },
    () => runPhases(ctx, kind, options, input, commandStart, lock),
  );
}

/** preflight, select, start (with the flip overlapping the restores), verify, a drill's cleanup, report. */
async function runPhases(
  ctx: CommandContext,
  kind: RunKind,
  options: RestoreCommandOptions,
  input: ParsedInput,
  commandStart: number,
  lock: RunLock | undefined,
): Promise<number> {
  const { out, deps, global } = ctx;
  const store = new JournalStore(global.stateDir, kind);
  const run = openRun(store, options, out);
  const pre = await preflight(ctx, kind, options, run);
  const drillCtx = { clients: pre.clients, clock: deps.clock, store, out };
  try {
    if (options.cleanupOnly && run.journal) {
      const cleanup = await cleanUpAfterDrill(run.journal, drillCtx, pre.stack, false);
      return await reportRun(ctx, run.journal, store, pre.outputs, { verification: NOT_VERIFIED, cleanup });
    }
    if (run.journal) {
      if (options.asOf || options.only.length > 0 || options.metadata.length > 0) {
        out.warn(
          `resuming ${kind} run ${run.journal.runId}: its recovery points and metadata are kept, --as-of/--only/--metadata are ignored (pass --new-run to start over)`,
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

    const journal = await beginRun(ctx, options, store, {
      kind,
      runId,
      commandStart,
      input,
      run,
      pre,
      selection,
      repoint,
    });
    const flip = await restoreAndFlip(
      journal,
      {
        clients: pre.clients,
        clock: deps.clock,
        store,
        out,
        signal: ctx.signal,
        poll: options.poll,
        credential: credentialTarget(
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
    const verification = await verifyRun(ctx, journal, store, pre.clients, options, pre.outputs, flip);
    const cleanup =
      kind === "drill"
        ? await cleanUpAfterDrill(journal, drillCtx, pre.stack, options.keep ?? false)
        : undefined;
    return await reportRun(ctx, journal, store, flip?.outputs ?? pre.outputs, {
      flip,
      verification,
      cleanup,
    });
  } finally {
    destroyAwsClients(pre.clients);
  }
}
