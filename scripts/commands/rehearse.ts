// `dr rehearse`: its arguments and flags, bound into RehearsalOptions, and the run that rehearses a command
// against the local simulation.
import * as path from "path";
import { Argument, Command } from "commander";
import { DEFAULT_DAYS_IN_DR, parseDaysInDr } from "../rehearsal/failbackLeg";
import { DEFAULT_SPEED, parseSpeed } from "../rehearsal/command";
import { REHEARSED_COMMANDS, RehearsalOptions, RehearsedCommand, runRehearsal } from "../rehearsal/rehearse";
import { BUILT_IN_SCENARIOS } from "../rehearsal/scenarios";
import { CommandContext, currentDir } from "../context";
import { CommandWiring, RunCommand, runWith } from "./command";

/** Width of the name column of the help's lists. */
const NAME_WIDTH = Math.max(...BUILT_IN_SCENARIOS.map((s) => s.name.length)) + 2;

/** The options of `cmd`, a command registered by {@link register}, under the root options of `ctx`. */
export function bindRehearseOptions(cmd: Command, { global }: CommandContext): RehearsalOptions {
  const [command, flags] = cmd.processedArgs as [RehearsedCommand, string[]];
  const o = cmd.opts<{ scenario: string; speed: string; daysInDr?: string; rehearsalDir?: string }>();
  return {
    command,
    scenario: o.scenario,
    speed: parseSpeed(o.speed),
    passthrough: flags,
    daysInDr: o.daysInDr === undefined ? undefined : parseDaysInDr(o.daysInDr),
    workDir: global.workDir,
    stack: global.stack.split("/").pop() ?? global.stack,
    rehearsalDir: path.resolve(o.rehearsalDir ?? path.join(global.workDir, ".dr-rehearsal")),
    realStateDir: global.stateDir,
    reportDir: global.reportDir,
  };
}

/** The rehearsal, which runs the rehearsed command through the CLI's entry point `runCli`. */
function rehearsal(runCli: CommandWiring["runCli"]): RunCommand<RehearsalOptions> {
  return (ctx, options) => {
    const { deps } = ctx;
    return runRehearsal(
      options,
      {
        stdout: deps.stdout,
        stderr: deps.stderr,
        env: deps.env,
        fetch: deps.fetch,
        cwd: currentDir(deps),
        runCli,
      },
      ctx.signal,
    );
  };
}

/**
 * Registers `dr rehearse [recover|drill|failback] [--scenario <name|file>] [--speed <x>]
 * [--days-in-dr <n>] [-- <flags>]`.
 */
export function register(
  program: Command,
  wiring: CommandWiring,
  run: RunCommand<RehearsalOptions> = rehearsal(wiring.runCli),
): Command {
  const commands = Object.keys(REHEARSED_COMMANDS) as RehearsedCommand[];
  return program
    .command("rehearse")
    .description(
      "practise a recovery or the whole way there and back offline: the real recover, drill or recover then failback against a local simulation of AWS and the stacks on the mock engine",
    )
    .addArgument(
      new Argument(
        "[command]",
        "the command to rehearse; failback: the whole cycle (recover, days in DR, failback)",
      )
        .choices(commands)
        .default("recover"),
    )
    .argument(
      "[flags...]",
      "after --: flags for the rehearsed command (for failback: the failback's), e.g. -- --only RDS",
    )
    .option(
      "--scenario <name|file>",
      `what happens: ${BUILT_IN_SCENARIOS.map((s) => s.name).join(", ")}, or a JSON/YAML file`,
      "all-fine",
    )
    .option(
      "--speed <x>",
      "how many times faster than real time the simulated waits pass (the measured times are the same at any speed)",
      String(DEFAULT_SPEED),
    )
    .option(
      "--days-in-dr <n>",
      `failback: simulated days the application serves from DR, writing, before the failback (default: ${DEFAULT_DAYS_IN_DR})`,
    )
    .option(
      "--rehearsal-dir <dir>",
      "where the rehearsal keeps its journals (default: <work-dir>/.dr-rehearsal)",
    )
    .addHelpText(
      "after",
      [
        "",
        "Needs no AWS account, no credentials and no Pulumi CLI: nothing leaves 127.0.0.1. The recovery points come",
        "from the prod stack evaluated offline (what its backup selections take); the report is written to",
        "<report-dir>/rehearsal-<command>-<run id>.md and .json.",
        "",
        "`dr rehearse failback` rehearses the way back, which needs a recovery to bring back: it runs `dr recover`,",
        "lets the application write to the restored data in DR for --days-in-dr simulated days, brings the primary",
        "region back, and runs `dr failback --yes` on the same simulation with the prod stack offline too. Its",
        "rehearsal-cycle-<run id>.md adds the freeze window, the writes lost (counted with the simulation's write",
        "counters: writes after a final backup began, objects not copied back, writes to prod's abandoned data), and",
        "the recovery's RTO and RPO. It exits non-zero when the recovery or the failback fails, or a write is lost.",
        "",
        "Flags after --:",
        ...commands.map((c) => `  ${c.padEnd(NAME_WIDTH)}${REHEARSED_COMMANDS[c].join(", ")}`),
        "",
        "Scenarios:",
        ...BUILT_IN_SCENARIOS.map((s) => `  ${s.name.padEnd(NAME_WIDTH)}${s.description}`),
      ].join("\n"),
    )
    .action(runWith(wiring, bindRehearseOptions, run));
}
