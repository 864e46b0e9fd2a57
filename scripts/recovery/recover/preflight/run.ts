// The run to continue: the unfinished journal of a resumed run, or the previous one to archive.
import { DrError } from "../../../errors";
import { Output } from "../../../output";
import { JournalStore, RunJournal } from "../../core/journal";
import { RestoreCommandOptions } from "../options";
import { copies, lastRevertSucceeded, undeletedCopies } from "../../core/cleanup";

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
export function openRun(
  store: JournalStore,
  options: RestoreCommandOptions,
  out: Output,
  /** The command line of this kind with `flags`, as the operator types it (core's nextCommand). */
  command: (flags: string) => string,
): RunToContinue {
  const kind = store.kind;
  const last = store.load();
  if (last && kind === "drill") {
    refuseOverDrillCopies(last, options, (flags) => `'${command(flags).trimEnd()}'`);
  }
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

/**
 * A drill must not lose track of its copies (each is billed until deleted) nor be retried once its clean-up
 * has begun: a new drill (or --new-run) is refused while the last drill holds undeleted copies, so
 * `dr drill --cleanup` still reaches them; --retry-failed is refused once the clean-up put the stack back or
 * deleted copies (a retry would check and flip beside copies that are gone).
 */
function refuseOverDrillCopies(
  last: RunJournal,
  options: RestoreCommandOptions,
  command: (flags: string) => string,
): void {
  const left = undeletedCopies(last);
  if (options.retryFailed) {
    const deleted = Object.values(last.jobs).filter((j) => j.deletion?.ok).length;
    const reverted = lastRevertSucceeded(last);
    if (!reverted && !Object.values(last.jobs).some((j) => j.deletion)) {
      return;
    }
    const done = [
      ...(reverted ? ["the dr stack put back"] : []),
      ...(deleted > 0 ? [`${copies(deleted)} deleted`] : []),
    ];
    throw new DrError(
      `--retry-failed: drill run ${last.runId} was cleaned up (${done.join(", ")}): its restores cannot be retried beside copies that are gone; start a new drill with ${command("")}${
        left.length > 0 ? ` once ${command("--cleanup")} has deleted the ${copies(left.length)} left` : ""
      }`,
    );
  }
  if (options.cleanupOnly || left.length === 0) {
    return;
  }
  if (last.state === "running" && options.newRun) {
    throw new DrError(
      `--new-run: drill run ${last.runId} has not finished and its ${left.length} restore(s) make copies: run ${command(
        last.previousConfig ? "--flip" : "",
      )} to resume it (it deletes them at the end), then start a new drill`,
    );
  }
  if (last.state === "finished") {
    throw new DrError(
      `drill run ${last.runId} still has ${copies(left.length)} undeleted (${left.map((c) => c.label).join(", ")}): delete them with ${command("--cleanup")} before a new drill`,
    );
  }
}
