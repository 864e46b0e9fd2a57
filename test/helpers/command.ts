// Runs one command module under the CLI's root options, with its output captured and its errors thrown,
// and binds a command's flags without running it (the run function replaced, as gh's tests pass runF).
import { commandWiring, rootProgram } from "../../scripts/cli";
import type { CommandModule, RunCommand } from "../../scripts/commands/command";
import type { CliDeps, CommandContext } from "../../scripts/context";
import { Capture } from "../fakes/capture";
import { testDeps } from "../fakes/deps";

/** What a command run wrote, and its exit code. */
export interface CommandRun {
  readonly out: string;
  readonly err: string;
  readonly code: number | undefined;
}

/**
 * Runs `dr <args>` (the command's name first) with only `module` registered: errors reach the caller as
 * thrown, not as exit codes.
 * @param deps replaces {@link testDeps}' fakes; stdout and stderr are always captured
 * @param run replaces the command's run function. @default the command's own
 */
export async function runCommand<Options>(
  module: CommandModule<Options>,
  args: readonly string[],
  deps: Partial<CliDeps> = {},
  run?: RunCommand<Options>,
): Promise<CommandRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  let code: number | undefined;
  const captured = testDeps({ ...deps, stdout, stderr });
  const program = rootProgram(captured);
  const command = module.register(
    program,
    commandWiring(captured, new AbortController().signal, (c) => (code = c)),
    run,
  );
  command.exitOverride();
  await program.parseAsync([...args], { from: "user" });
  return { out: stdout.text, err: stderr.text, code };
}

/** The options `dr <args>` binds for `module`, and the context it would run with, running nothing. */
export async function bindCommand<Options>(
  module: CommandModule<Options>,
  args: readonly string[],
  deps: Partial<CliDeps> = {},
): Promise<{ options: Options; ctx: CommandContext; err: string }> {
  let bound: { options: Options; ctx: CommandContext } | undefined;
  const { err } = await runCommand(module, args, deps, async (ctx, options) => {
    bound = { ctx, options };
    return 0;
  });
  if (bound === undefined) throw new Error(`dr ${args.join(" ")} did not run`);
  return { ...bound, err };
}
