// What a re-run of a recover or drill would still do: the notes naming that command, and whether the run stays open for it.
import { CommandContext } from "../../../context";
import { RunJournal } from "../../core/journal";
import { FlipOutcome } from "../flip/flip";
import { nextCommand } from "../preflight/liveRecovery";

/** What is left for a plain re-run of the same command. */
export interface Resume {
  /** The run stays `running`, so the same command resumes it (no new run, no restore started again). */
  readonly open: boolean;
  readonly notes: string[];
}

/**
 * Restore jobs not followed to the end, and a recovery's dr stack update that failed once the restores were
 * final (`completed` of them done): both are left to a re-run of the same command, which resumes this run.
 * A drill's failed flip is not: its clean-up has already put the stack back and deleted the copies.
 */
export function pendingResume(
  ctx: CommandContext,
  journal: RunJournal,
  flip: FlipOutcome | undefined,
  jobs: { readonly completed: number; readonly unfinished: number },
): Resume {
  // A drill resumed without --flip would not flip: the note names the flag it was started with.
  const command = nextCommand(
    ctx,
    journal.kind,
    journal.kind === "drill" && journal.previousConfig ? "--flip" : "",
  );
  const rerun = `'${command.trimEnd()}'`;
  const notes: string[] = [];
  if (jobs.unfinished > 0) {
    notes.push(
      `${jobs.unfinished} restore job(s) could not be followed to the end: re-run ${rerun} to resume waiting`,
    );
  }
  const flipToRetry = journal.kind === "recover" && flip !== undefined && !flip.ok && jobs.completed > 0;
  if (flipToRetry && jobs.unfinished === 0) {
    notes.push(
      `the dr stack update failed after the restores: fix its cause, then run ${rerun} again: it retries only the update (no restore starts again)`,
    );
  }
  return { open: jobs.unfinished > 0 || flipToRetry, notes };
}
