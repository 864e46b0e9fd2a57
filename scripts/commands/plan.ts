// `dr plan`: its flags, bound into PlanCommandOptions, and the run that plans a stack offline.
import * as path from "path";
import { Command, InvalidArgumentError, Option } from "commander";
import { CommandContext, currentDir } from "../context";
import { DrError } from "../errors";
import type { PlanCommandOptions } from "../plan/command";
import { CommandWiring, RunCommand, runWith } from "./command";

/** The plan, loaded when the command runs. */
const runPlan: RunCommand<PlanCommandOptions> = async (ctx, options) =>
  (await import("../plan/command")).runPlan(ctx, options);

function collectConfig(pair: string, previous: Record<string, string>): Record<string, string> {
  const separator = pair.indexOf("=");
  if (separator <= 0) {
    throw new InvalidArgumentError(`expected key=value, got '${pair}'`);
  }
  return { ...previous, [pair.slice(0, separator)]: pair.slice(separator + 1) };
}

/**
 * The options of `cmd`, a command registered by {@link register}. The stack is the global `--stack`, which
 * the plan needs given (its default, `dr`, is the recovery commands'); the project directory the global
 * `--work-dir`, or the deprecated `--cwd`, which says so once.
 */
export function bindPlanOptions(cmd: Command, ctx: CommandContext): PlanCommandOptions {
  if (cmd.parent?.getOptionValueSource("stack") !== "cli") {
    throw new DrError("dr plan needs the stack to plan: --stack prod or --stack dr");
  }
  const opts = cmd.opts<{
    mode?: "standby" | "active";
    config: Record<string, string>;
    allowUnknownConfig: boolean;
    json: boolean;
    cwd?: string;
    configFile?: string;
  }>();
  if (opts.cwd !== undefined) {
    ctx.out.warn("dr plan --cwd is deprecated: use the global --work-dir <dir>");
  }
  return {
    stack: ctx.global.stack,
    mode: opts.mode,
    json: opts.json,
    config: opts.config,
    allowUnknownConfig: opts.allowUnknownConfig,
    projectDir: opts.cwd !== undefined ? path.resolve(currentDir(ctx.deps), opts.cwd) : ctx.global.workDir,
    ...(opts.configFile !== undefined && { configFile: path.resolve(currentDir(ctx.deps), opts.configFile) }),
  };
}

/** Registers `dr plan [--mode <mode>] [-c <key=value>] [--allow-unknown-config] [--config-file <path>] [--json]`. */
export function register(
  program: Command,
  wiring: CommandWiring,
  run: RunCommand<PlanCommandOptions> = runPlan,
): Command {
  return (
    program
      .command("plan")
      // Its help lists the global options too: -s, --stack and --work-dir are among them.
      .configureHelp({ showGlobalOptions: true })
      .description(
        "evaluate the dr-app program for a stack on Pulumi's mock engine, offline, and print what it would create and the DR posture",
      )
      .addOption(new Option("--mode <mode>", "set dr-app:mode for this plan").choices(["standby", "active"]))
      .option(
        "-c, --config <key=value>",
        "further config, as `pulumi preview --config` (repeatable); a key Pulumi.yaml does not declare is an error",
        collectConfig,
        {},
      )
      .option(
        "--allow-unknown-config",
        "plan with --config keys Pulumi.yaml does not declare (a warning)",
        false,
      )
      .option(
        "--config-file <path>",
        "the stack's settings file to plan instead of Pulumi.<stack>.yaml (e.g. docs/examples/service/Pulumi.prod.yaml); a dr stack's prod settings are read beside it when there",
      )
      .option("--json", "print JSON for machines: full values, nothing else on stdout", false)
      // Before the global --work-dir, the plan had its own; it still works, with a warning.
      .addOption(new Option("--cwd <dir>", "deprecated: the global --work-dir").hideHelp())
      .addHelpText(
        "after",
        "\nExit codes: 0 the program evaluated, 1 it did not (diagnostics say why), 2 bad config or usage.",
      )
      .action(runWith(wiring, bindPlanOptions, run))
  );
}
