// `dr drill`: its flags, bound into RestoreCommandOptions, and the run that restores, checks and cleans up.
import type { Command } from "commander";
import type { RestoreCommandOptions } from "../recovery/recover/options";
import { CommandWiring, RunCommand, runWith } from "./command";
import { addRestoreFlags, bindRestoreOptions, examplesHelp } from "./restoreFlags";

/** The drill, loaded when the command runs. */
const runDrill: RunCommand<RestoreCommandOptions> = async (ctx, options) =>
  (await import("../recovery/recover/restoreCommand")).runDrill(ctx, options);

/** The options of `cmd`, a command registered by {@link register}: the dr stack flips only with --flip. */
export function bindDrillOptions(cmd: Command): RestoreCommandOptions {
  return bindRestoreOptions(cmd, false);
}

/** Registers `dr drill [--dry-run | --yes] [--flip] [--keep | --cleanup] ...`. */
export function register(
  program: Command,
  wiring: CommandWiring,
  run: RunCommand<RestoreCommandOptions> = runDrill,
): Command {
  return addRestoreFlags(
    program
      .command("drill")
      .description(
        "restore into drill-named resources, check them, report, then delete exactly what was restored",
      ),
  )
    .option("--flip", "also flip the dr stack to active, without switching DNS, and back afterwards")
    .option("--keep", "keep the restored resources")
    .option("--cleanup", "delete what the last drill left behind (after --keep), then exit")
    .addHelpText(
      "after",
      examplesHelp([
        ["dr drill --dry-run", "the points the drill would restore; starts nothing"],
        ["dr drill --yes", "restore into drill- names, check, report, then delete what was restored"],
        ["dr drill --yes --flip", "also flip the dr stack to active (no DNS switch), and back afterwards"],
        ["dr drill --yes --keep", "keep the restored resources to look at them"],
        ["dr drill --cleanup", "delete what the last drill kept or left behind"],
      ]),
    )
    .action(runWith(wiring, bindDrillOptions, run));
}
