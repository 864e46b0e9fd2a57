// The one answer to Ctrl-C of a run (recover, drill, failback): what keeps running in AWS, how to resume, its exit code.
import * as fs from "fs";
import { ExitCode, InterruptedError } from "../../errors";
import { Output } from "../../output";
import { RunLock } from "./runLock";

/** What {@link runInterruptible} says and releases. */
export interface InterruptibleRun {
  readonly out: Output;
  /** The run's journal file: it exists once the run has started something. */
  readonly journalFile: string;
  /** What keeps running in AWS after Ctrl-C, e.g. "restore jobs". */
  readonly jobs: string;
  /** The run lock, released however the run ends. Default: none (a dry run takes no lock). */
  readonly lock?: RunLock;
}

/**
 * Runs a command's body; an interruption (Ctrl-C, SIGTERM: an {@link InterruptedError}) ends it with one
 * line saying whether anything was started and how to resume, and exit code `interrupted`.
 */
export async function runInterruptible(run: InterruptibleRun, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof InterruptedError) {
      run.out.warn(
        fs.existsSync(run.journalFile)
          ? `interrupted: ${run.jobs} already started keep running in AWS. Re-run the same command to resume (journal ${run.journalFile}).`
          : "interrupted: nothing was started. Re-run the same command to start.",
      );
      return ExitCode.interrupted;
    }
    throw err;
  } finally {
    run.lock?.release();
  }
}
