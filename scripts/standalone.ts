import { Command, CommanderError } from "commander";
import { DrError, ExitCode, errorMessage } from "./errors";

/**
 * Runs one command (`runbook` or `cost`) outside the `dr` CLI, under a root program with the same global
 * options the CLI has (`--stack`, `--work-dir`, `--pulumi-root`), so `npm run runbook -- ...` and
 * `dr runbook ...` take the same flags. Returns the exit code: 0, 2 for bad input, 3 for a failure.
 */
export async function runStandalone(
  name: string,
  register: (program: Command) => void,
  argv: readonly string[],
): Promise<number> {
  const program = new Command("dr")
    .option("--stack <name>", "either stack of the prod/dr pair (default: the only dr stack)")
    .option(
      "--work-dir <dir>",
      "directory of the project's Pulumi.yaml (default: nearest above the current directory)",
    )
    .option("--pulumi-root <dir>", "directory containing bin/pulumi (default: pulumi on the PATH)")
    .exitOverride();
  register(program);
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync([name, ...argv], { from: "user" });
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    process.stderr.write(`error: ${errorMessage(err)}\n`);
    return err instanceof DrError ? err.exitCode : ExitCode.failed;
  }
}
