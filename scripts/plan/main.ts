// Standalone entry: `npm run plan -- <flags>`, the same options as `dr plan`.
import { Command, CommanderError } from "commander";
import { ExitCode } from "../errors";
import { addPlanOptions, planOptions, runPlan } from "./command";

/** Runs `npm run plan` on `argv` and returns the exit code (2 for a usage error). */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = ExitCode.ok;
  const command = addPlanOptions(new Command("plan"))
    .requiredOption("-s, --stack <name>", "stack whose Pulumi.<name>.yaml is read (prod, dr)")
    .showHelpAfterError()
    .exitOverride()
    .action(async (_opts, cmd: Command) => {
      code = await runPlan(planOptions(cmd, cmd.opts<{ stack: string }>().stack), {
        out: (text) => process.stdout.write(text),
        err: (text) => process.stderr.write(text),
      });
    });
  try {
    await command.parseAsync([...argv], { from: "user" });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    throw err;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = ExitCode.failed;
    },
  );
}
