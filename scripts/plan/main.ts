import * as path from "path";
import { Command, InvalidArgumentError, Option } from "commander";
import { evaluatePlan } from "./evaluate";
import { renderJson, renderText } from "./render";

/** Parsed command line of `npm run plan`. */
export interface PlanCommandOptions {
  readonly stack: string;
  readonly mode?: "standby" | "active";
  readonly json: boolean;
  readonly config: Record<string, string>;
  readonly projectDir: string;
}

function collectConfig(pair: string, previous: Record<string, string>): Record<string, string> {
  const separator = pair.indexOf("=");
  if (separator <= 0) {
    throw new InvalidArgumentError(`expected key=value, got '${pair}'`);
  }
  return { ...previous, [pair.slice(0, separator)]: pair.slice(separator + 1) };
}

/** The command line, parsed; exits with usage on a mistake. */
export function parseCommandLine(argv: readonly string[]): PlanCommandOptions {
  const command = new Command("plan")
    .description(
      "Evaluate the dr-app program for a stack on Pulumi's mock engine, offline, and print what it would create and the DR posture.",
    )
    .requiredOption("-s, --stack <name>", "stack whose Pulumi.<name>.yaml is read (prod, dr)")
    .addOption(new Option("--mode <mode>", "set dr-app:mode for this plan").choices(["standby", "active"]))
    .option(
      "-c, --config <key=value>",
      "further config, as `pulumi preview --config` (repeatable)",
      collectConfig,
      {},
    )
    .option("--json", "print JSON for machines", false)
    .option("--cwd <dir>", "directory of Pulumi.yaml", path.resolve(__dirname, "..", ".."))
    .showHelpAfterError()
    .parse([...argv], { from: "user" });
  const opts = command.opts<{
    stack: string;
    mode?: "standby" | "active";
    config: Record<string, string>;
    json: boolean;
    cwd: string;
  }>();
  return {
    stack: opts.stack,
    mode: opts.mode,
    json: opts.json,
    config: opts.config,
    projectDir: path.resolve(opts.cwd),
  };
}

/** Runs the plan and returns the exit code: 0 when the program evaluated, 1 on any error. */
export async function main(argv: readonly string[]): Promise<number> {
  const options = parseCommandLine(argv);
  const result = await evaluatePlan({
    projectDir: options.projectDir,
    stack: options.stack,
    mode: options.mode,
    configOverrides: options.config,
  });
  const failed = result.diagnostics.some((d) => d.severity === "error");
  if (options.json) {
    process.stdout.write(renderJson(result));
    if (failed) {
      process.stderr.write(
        result.diagnostics
          .filter((d) => d.severity === "error")
          .map((d) => `error: ${d.message}\n`)
          .join(""),
      );
    }
  } else {
    (failed ? process.stderr : process.stdout).write(renderText(result));
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
