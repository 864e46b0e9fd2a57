import * as path from "path";
import { Command, InvalidArgumentError, Option } from "commander";
import { DrError, ExitCode } from "../errors";
import { REPOSITORY_DIR } from "../repository";

/** The plan's options, parsed: the same for `dr plan` and `npm run plan`. */
export interface PlanCommandOptions {
  readonly stack: string;
  readonly mode?: "standby" | "active";
  readonly json: boolean;
  readonly config: Record<string, string>;
  readonly allowUnknownConfig: boolean;
  readonly projectDir: string;
}

/** Where the plan writes. */
export interface PlanIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

function collectConfig(pair: string, previous: Record<string, string>): Record<string, string> {
  const separator = pair.indexOf("=");
  if (separator <= 0) {
    throw new InvalidArgumentError(`expected key=value, got '${pair}'`);
  }
  return { ...previous, [pair.slice(0, separator)]: pair.slice(separator + 1) };
}

/** The plan's own options (the stack comes from `-s, --stack`, a global option in `dr`). */
export function addPlanOptions(command: Command): Command {
  return command
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
    .option("--json", "print JSON for machines: full values, nothing else on stdout", false)
    .option("--cwd <dir>", "directory of Pulumi.yaml (default: this repository)")
    .addHelpText(
      "after",
      "\nExit codes: 0 the program evaluated, 1 it did not (diagnostics say why), 2 bad config or usage.",
    );
}

/** The parsed options of a command built with {@link addPlanOptions}, for `stack`. */
export function planOptions(command: Command, stack: string): PlanCommandOptions {
  const opts = command.opts<{
    mode?: "standby" | "active";
    config: Record<string, string>;
    allowUnknownConfig: boolean;
    json: boolean;
    cwd?: string;
  }>();
  return {
    stack,
    mode: opts.mode,
    json: opts.json,
    config: opts.config,
    allowUnknownConfig: opts.allowUnknownConfig,
    projectDir: path.resolve(opts.cwd ?? REPOSITORY_DIR),
  };
}

/**
 * Runs the plan and returns the exit code: 0 when the program evaluated, 1 when it did not, 2 for a config
 * error (found before the program runs: nothing was evaluated). With `json`, stdout holds only the JSON.
 */
export async function runPlan(options: PlanCommandOptions, io: PlanIo): Promise<number> {
  // The program, the Pulumi SDK and the component load only when a plan runs.
  const { evaluatePlan } = await import("./evaluate");
  const { renderJson, renderText } = await import("./render");
  const { loadPriceBook } = await import("../cost/prices");
  const result = await evaluatePlan({
    projectDir: options.projectDir,
    stack: options.stack,
    mode: options.mode,
    configOverrides: options.config,
    allowUnknownConfig: options.allowUnknownConfig,
  });
  // The price file `dr cost` reads by default, for the monthly cost of what bills by the hour.
  const prices = loadPriceBook();
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const code =
    errors.length === 0
      ? ExitCode.ok
      : errors.some((d) => d.phase === "config")
        ? ExitCode.usage
        : ExitCode.partial;
  if (options.json) {
    io.out(renderJson(result, prices));
    io.err(errors.map((d) => `error: ${d.message}\n`).join(""));
  } else {
    (code === ExitCode.ok ? io.out : io.err)(renderText(result, prices));
  }
  return code;
}

/**
 * Adds `plan` to the `dr` program: the stack is the global `-s, --stack`, which the plan needs given
 * explicitly (its default, `dr`, is the recovery commands').
 */
export function registerPlanCommand(program: Command, setCode: (code: number) => void): Command {
  // Its help lists the global options too: -s, --stack is one of them.
  return addPlanOptions(program.command("plan").configureHelp({ showGlobalOptions: true })).action(
    async (_opts, cmd: Command) => {
      if (program.getOptionValueSource("stack") !== "cli") {
        throw new DrError("dr plan needs the stack to plan: --stack prod or --stack dr");
      }
      const output = cmd.configureOutput();
      const write = (writer: ((text: string) => void) | undefined, stream: NodeJS.WriteStream) =>
        writer ?? ((text: string) => stream.write(text));
      setCode(
        await runPlan(planOptions(cmd, program.opts<{ stack: string }>().stack), {
          out: write(output.writeOut, process.stdout),
          err: write(output.writeErr, process.stderr),
        }),
      );
    },
  );
}
