// `dr runbook`: its flags, bound into RunbookOptions, and the run that writes the operator runbook.
import type { Command } from "commander";
import type { CommandContext } from "../context";
import type { RunbookOptions } from "../runbook/command";
import { CommandWiring, RunCommand, runWith } from "./command";
import { givenWorkDir } from "../projectDir";

/** The runbook writer, loaded when the command runs. */
const runRunbook: RunCommand<RunbookOptions> = async (ctx, options) =>
  (await import("../runbook/command")).runRunbook(ctx, options);

/**
 * The options of `cmd`, a command registered by {@link register}: its flags, the global `--stack` and
 * `--pulumi-root`, and the global `--work-dir` or `$DR_WORK_DIR` as given (without either the project is looked for above the
 * current directory).
 */
export function bindRunbookOptions(cmd: Command, ctx: CommandContext): RunbookOptions {
  const o = cmd.opts<Pick<RunbookOptions, "out" | "fromStack" | "outputs" | "prodOutputs" | "checkout">>();
  return {
    out: o.out,
    fromStack: o.fromStack,
    outputs: o.outputs,
    prodOutputs: o.prodOutputs,
    checkout: o.checkout,
    stack: ctx.global.stack,
    workDir: givenWorkDir(cmd.optsWithGlobals<{ workDir?: string }>().workDir, ctx.deps.env),
    pulumiRoot: ctx.global.pulumiRoot,
  };
}

/** Registers `dr runbook [--out <file>] [--from-stack | --outputs <file> --prod-outputs <file>]`. */
export function register(
  program: Command,
  wiring: CommandWiring,
  run: RunCommand<RunbookOptions> = runRunbook,
): Command {
  return program
    .command("runbook")
    .description(
      "write the operator runbook (Markdown) from this deployment's config and stack outputs: commands, timings, checks, rollback, fail-back, drills",
    )
    .option("--out <file>", "write to this file (default: standard output)")
    .option("--from-stack", "read both stacks' outputs through the Automation API (needs the Pulumi CLI)")
    .option("--outputs <file>", "the dr stack's outputs: `pulumi stack output --json --stack dr > file`")
    .option("--prod-outputs <file>", "the prod stack's outputs, likewise")
    .option(
      "--checkout <dir>",
      "where this repository is on the machine the runbook's commands run on (default: this checkout)",
    )
    .addHelpText(
      "after",
      "\nWithout --from-stack or --outputs, values only the stacks know (vault names, URLs) are written as\n" +
        "`pulumi stack output` look-ups marked PLACEHOLDER. --stack names either stack of the pair.",
    )
    .action(runWith(wiring, bindRunbookOptions, run));
}
