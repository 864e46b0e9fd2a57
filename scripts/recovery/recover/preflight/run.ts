// The run to continue: the unfinished journal of a resumed run, or the previous one to archive.
import { DrError } from "../../../errors";
import { Output } from "../../../output";
import { JournalStore, RunJournal } from "../../core/journal";
import { RestoreCommandOptions } from "../options";

/** The run a command continues, and the finished one a new run follows. */
export interface RunToContinue {
  /** The run to resume (or, for --retry-failed and --cleanup, to continue); undefined: a new run. */
  readonly journal?: RunJournal;
  /** The finished or abandoned run a new one replaces: archived when the new run starts. */
  readonly previous?: RunJournal;
}

/**
 * Reads the journal of the last run of this kind and decides what this command does with it: resume
 * an unfinished run, continue a finished one (--retry-failed, --cleanup), or start a new one after it
 * (a finished run, or --new-run abandoning an unfinished one). Refuses, before anything is read or
 * started, what cannot be continued.
 */
export function openRun(store: JournalStore, options: RestoreCommandOptions, out: Output): RunToContinue {
  const kind = store.kind;
  const last = store.load();
  if (last && options.newRun) {
    if (last.state === "running") {
      out.warn(`abandoning ${kind} run ${last.runId}: its restore jobs keep running in AWS`);
    }
    return { previous: last };
  }
  if (last && last.state === "finished" && !options.retryFailed && !options.cleanupOnly) {
    return { previous: last };
  }
  if ((options.retryFailed || options.cleanupOnly) && !last) {
    throw new DrError(
      `${options.retryFailed ? "--retry-failed" : "--cleanup"}: no previous ${kind} run in ${store.file}`,
    );
  }
  if (options.cleanupOnly && last?.state === "running") {
    throw new DrError(
      `--cleanup: drill run ${last.runId} has not finished: run 'dr drill' again to resume it (it cleans up at the end)`,
    );
  }
  return { journal: last };
}
