// The one contract every `dr` command module keeps: what the CLI gives it (CommandWiring), what it exports
// (CommandModule), and the run function its action calls with the bound options (RunCommand).
import type { Command } from "commander";
import type { CliDeps, CommandContext, GlobalOptions } from "../context";
import { Output } from "../output";

/** What the CLI gives every command it registers. */
export interface CommandWiring {
  readonly deps: CliDeps;
  /** Aborted on Ctrl-C / SIGTERM. */
  readonly signal: AbortSignal;
  /** Receives the command's exit code. */
  readonly setCode: (code: number) => void;
  /** The root options (`--stack`, `--work-dir`, ...) as `cmd` sees them, with their defaults. */
  readonly global: (cmd: Command) => GlobalOptions;
  /** The CLI's own entry point: `dr rehearse` runs the rehearsed command with it. */
  readonly runCli: (argv: readonly string[], deps: CliDeps, signal: AbortSignal) => Promise<number>;
}

/**
 * Runs a command with its bound options and returns the exit code. Each command module has a default
 * one, which loads the command's domain code only when it runs; tests pass their own to check the binding.
 */
export type RunCommand<Options> = (ctx: CommandContext, options: Options) => Promise<number>;

/** What every command module exports. */
export interface CommandModule<Options = unknown> {
  /**
   * Adds the command to `program` with its flags; its action binds them into `Options` and calls `run`.
   * @param run what the action calls. @default the command's own run function
   */
  register(program: Command, wiring: CommandWiring, run?: RunCommand<Options>): Command;
}

/** The output of a command: through `deps`, its time stamps in UTC with `--utc`, else in the local zone. */
function outputOf(deps: CliDeps, global: GlobalOptions): Output {
  return new Output(deps.stdout, deps.stderr, () => deps.clock.now(), global.utc ? "UTC" : undefined);
}

/** The context a command of `wiring` runs with, for its command object `cmd`. */
export function commandContext(wiring: CommandWiring, cmd: Command): CommandContext {
  const { deps, signal } = wiring;
  const global = wiring.global(cmd);
  return { deps, global, out: outputOf(deps, global), signal };
}

/**
 * The action of a command: binds `cmd`'s flags with `bind` (which may warn through the context's output,
 * or refuse with a DrError before anything runs), runs `run` and stores its exit code.
 */
export function runWith<Options>(
  wiring: CommandWiring,
  bind: (cmd: Command, ctx: CommandContext) => Options,
  run: RunCommand<Options>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    // Commander passes the command object last.
    const cmd = args[args.length - 1] as Command;
    const ctx = commandContext(wiring, cmd);
    wiring.setCode(await run(ctx, bind(cmd, ctx)));
  };
}
