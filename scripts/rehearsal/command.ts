import { Argument, Command } from "commander";
import * as path from "path";
import { CliDeps, GlobalOptions } from "../context";
import { DrError } from "../errors";
import { parsePositive } from "../time";
import { DEFAULT_DAYS_IN_DR, parseDaysInDr } from "./failbackLeg";
import { REHEARSED_COMMANDS, RehearsedCommand, runRehearsal } from "./rehearse";
import { BUILT_IN_SCENARIOS } from "./scenarios";

/** Default `--speed`: a 30-minute restore takes 18 seconds. */
export const DEFAULT_SPEED = 100;
/** Largest `--speed`: beyond it the CLI's shortest poll delays fall under a millisecond. */
export const MAX_SPEED = 10_000;

/** What the command needs from the CLI that registers it. */
export interface RehearseWiring {
  readonly deps: CliDeps;
  readonly signal: AbortSignal;
  readonly setCode: (code: number) => void;
  readonly global: (cmd: Command) => GlobalOptions;
  /** The CLI's own entry point, which runs the rehearsed command. */
  readonly runCli: (argv: readonly string[], deps: CliDeps, signal: AbortSignal) => Promise<number>;
}

/** Width of the name column of the help's lists. */
const NAME_WIDTH = Math.max(...BUILT_IN_SCENARIOS.map((s) => s.name.length)) + 2;

/** Parses `--speed`: a positive number up to {@link MAX_SPEED}. */
export function parseSpeed(text: string): number {
  const speed = parsePositive("--speed", text);
  if (speed > MAX_SPEED) {
    throw new DrError(`--speed '${text}' must be at most ${MAX_SPEED}`);
  }
  return speed;
}

/**
 * Registers `dr rehearse [recover|drill|failback] [--scenario <name|file>] [--speed <x>]
 * [--days-in-dr <n>] [-- <flags>]`.
 */
export function registerRehearseCommand(program: Command, wiring: RehearseWiring): void {
  const commands = Object.keys(REHEARSED_COMMANDS) as RehearsedCommand[];
  program
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
      "how many times faster than real time the simulated clock runs",
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
    .action(async (command: RehearsedCommand, flags: string[], _opts, cmd: Command) => {
      const o = cmd.opts<{ scenario: string; speed: string; daysInDr?: string; rehearsalDir?: string }>();
      const global = wiring.global(cmd);
      const { deps } = wiring;
      wiring.setCode(
        await runRehearsal(
          {
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
          },
          {
            stdout: deps.stdout,
            stderr: deps.stderr,
            env: deps.env,
            fetch: deps.fetch,
            cwd: process.cwd(),
            runCli: wiring.runCli,
          },
          wiring.signal,
        ),
      );
    });
}
