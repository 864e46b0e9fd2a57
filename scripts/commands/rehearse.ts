// `dr rehearse`: its arguments and flags, bound into RehearsalOptions, and the run that rehearses a command
// against the local simulation.
import * as fs from "fs";
import * as path from "path";
import { Argument, Command, InvalidArgumentError } from "commander";
import { DEFAULT_DAYS_IN_DR, parseDaysInDr } from "../rehearsal/failbackLeg";
import { parseSeed } from "../rehearsal/restoreDurations";
import { DEFAULT_SPEED, parseSpeed } from "../rehearsal/command";
import { REHEARSED_COMMANDS, RehearsalOptions, RehearsedCommand, runRehearsal } from "../rehearsal/rehearse";
import { BUILT_IN_SCENARIOS } from "../rehearsal/scenarios";
import { CommandContext, currentDir } from "../context";
import { DrError } from "../errors";
import { CommandWiring, RunCommand, runWith } from "./command";

/** The scenario of `dr rehearse` without --scenario. */
const DEFAULT_SCENARIO = "all-fine";

/** The scenario without --scenario when the flags retry (-- --retry-failed): a failure a retry gets past. */
const RETRY_SCENARIO = "restore-transient";

/** Width of the name column of the help's lists. */
const NAME_WIDTH = Math.max(...BUILT_IN_SCENARIOS.map((s) => s.name.length)) + 2;

/** The options of `cmd`, a command registered by {@link register}, under the root options of `ctx`. */
export function bindRehearseOptions(cmd: Command, { global }: CommandContext): RehearsalOptions {
  const [word, rest] = cmd.processedArgs as [string, string[]];
  // `dr rehearse -- --only RDS`: the first word after -- is a flag of the rehearsed recover.
  const [command, flags] = word.startsWith("-")
    ? (["recover", [word, ...rest]] as const)
    : ([word as RehearsedCommand, rest] as const);
  const o = cmd.opts<{
    scenario?: string;
    speed: string;
    daysInDr?: string;
    seed?: string;
    rehearsalDir?: string;
    confirm?: boolean;
    example?: string;
  }>();
  return {
    command,
    scenario: o.scenario ?? (flags.includes("--retry-failed") ? RETRY_SCENARIO : DEFAULT_SCENARIO),
    speed: parseSpeed(o.speed),
    passthrough: flags,
    confirm: Boolean(o.confirm),
    daysInDr: o.daysInDr === undefined ? undefined : parseDaysInDr(o.daysInDr),
    ...(o.seed !== undefined && { seed: parseSeed(o.seed) }),
    workDir: global.workDir,
    stack: global.stack,
    rehearsalDir: path.resolve(o.rehearsalDir ?? path.join(global.workDir, ".dr-rehearsal")),
    realStateDir: global.stateDir,
    reportDir: global.reportDir,
    ...(global.utc && { utc: true }),
    ...(o.example !== undefined && { configDir: exampleDir(global.workDir, o.example) }),
  };
}

/** The built-in examples' stack files, under the work directory: docs/examples/<name>/Pulumi.<stack>.yaml. */
const EXAMPLES_DIR = path.join("docs", "examples");

/** The directory of the built-in example `name`, or a usage error listing those there are. */
function exampleDir(workDir: string, name: string): string {
  const root = path.join(workDir, EXAMPLES_DIR);
  const known = fs.existsSync(root)
    ? fs.readdirSync(root).filter((entry) => fs.statSync(path.join(root, entry)).isDirectory())
    : [];
  if (!known.includes(name)) {
    throw new DrError(
      `--example '${name}': no such built-in example in ${EXAMPLES_DIR} (examples: ${known.join(", ") || "none"})`,
    );
  }
  return path.join(root, name);
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
        isTTY: deps.isTTY,
        prompt: deps.prompt,
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
 * [--days-in-dr <n>] [--example <name>] [-- <flags>]`.
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
        `the command to rehearse (${commands.join(", ")}); failback: the whole cycle (recover, days in DR, failback)`,
      )
        .argParser((value: string) => {
          // A flag here is the first of the rehearsed recover's, after --.
          if (!value.startsWith("-") && !commands.includes(value as RehearsedCommand)) {
            throw new InvalidArgumentError(`Allowed choices are ${commands.join(", ")}.`);
          }
          return value;
        })
        .default("recover"),
    )
    .argument(
      "[flags...]",
      "after --: flags for the rehearsed command (for failback: the failback's), e.g. dr rehearse -- --only RDS",
    )
    .option(
      "--scenario <name|file>",
      `what happens: ${BUILT_IN_SCENARIOS.map((s) => s.name).join(", ")}, or a JSON/YAML file (default: ${DEFAULT_SCENARIO}; with -- --retry-failed: ${RETRY_SCENARIO})`,
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
      "--seed <n>",
      "draw each restore's duration from the simulation's ground truth with its noise, the same for the same seed (default: no noise, every run alike)",
    )
    .option(
      "--confirm",
      "practise the confirmation question: the rehearsed command asks it on this terminal, as a real run does, instead of being answered with --yes",
    )
    .option(
      "--example <name>",
      "rehearse a built-in example's stacks (docs/examples/<name>/Pulumi.<stack>.yaml, e.g. service) instead of the work directory's",
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
        "Examples:",
        "  dr rehearse -- --only RDS                                  a partial recovery: the database only",
        "  dr rehearse --scenario restore-transient -- --retry-failed  the recovery, then the retry its advice names",
        "  dr rehearse --confirm                                      answer the real confirmation question yourself",
        "",
        "With --retry-failed the rehearsal runs the recovery as the scenario makes it fail (with the flags before",
        "--retry-failed), then the retry with --retry-failed and the flags after it, e.g. -- --retry-failed --metadata",
        "dynamodb.targetTableName=dr-orders-2 for restore-name-conflict.",
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
