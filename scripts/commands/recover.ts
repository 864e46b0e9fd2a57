// `dr recover`: its flags, bound into RestoreCommandOptions, and the run that restores and flips.
import type { Command } from "commander";
import type { RestoreCommandOptions } from "../recovery/recover/options";
import { CommandWiring, RunCommand, runWith } from "./command";
import { addRestoreFlags, bindRestoreOptions, examplesHelp } from "./restoreFlags";

/** The recovery, loaded when the command runs. */
const runRecover: RunCommand<RestoreCommandOptions> = async (ctx, options) =>
  (await import("../recovery/recover/restoreCommand")).runRecover(ctx, options);

/** The options of `cmd`, a command registered by {@link register}: the dr stack flips unless --no-flip. */
export function bindRecoverOptions(cmd: Command): RestoreCommandOptions {
  return bindRestoreOptions(cmd, true);
}

/** Registers `dr recover [--dry-run | --yes] [--as-of <time>] [--only <type|arn>] ...`. */
export function register(
  program: Command,
  wiring: CommandWiring,
  run: RunCommand<RestoreCommandOptions> = runRecover,
): Command {
  return addRestoreFlags(
    program
      .command("recover")
      .description(
        "restore the newest good recovery points in parallel, flip the dr stack to active, check health, report",
      ),
  )
    .option("--skip-primary-check", "do not check that the primary region is down")
    .option("--no-flip", "restore only; leave the dr stack as it is")
    .addHelpText(
      "after",
      examplesHelp([
        [
          "dr recover --dry-run",
          "the points it would restore, their metadata, the dr config; starts nothing",
        ],
        ["dr recover --yes", "restore everything, flip the dr stack to active, check health, report"],
        ["dr recover --yes --as-of 2026-04-12T09:30Z", "restore the newest points at or before that time"],
        ["dr recover --yes --only RDS --no-flip", "restore the databases only; leave the dr stack as it is"],
        ["dr recover --yes --retry-failed", "start new jobs for the restores of the last run that failed"],
      ]),
    )
    .action(runWith(wiring, bindRecoverOptions, run));
}
