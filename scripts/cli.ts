// The `dr` program: its root options, the lazy registry of its commands (scripts/commands/), and main.
import { Command, CommanderError, Option } from "commander";
import { setMaxListeners } from "events";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as readline from "readline";
import type { AwsClientOptions, AwsClients } from "./aws/clients";
import { systemClock } from "./clock";
import type { CommandModule, CommandWiring } from "./commands/command";
import { CliDeps, GlobalOptions, currentDir } from "./context";
import { DrError, ExitCode, InterruptedError, errorMessage, untilAborted } from "./errors";
import { Output } from "./output";
import { findProjectDir, givenWorkDir } from "./projectDir";
import { REPOSITORY_DIR } from "./repository";

// Each command's dependencies (the AWS SDK clients, the Automation API, the Pulumi SDK and the component)
// load when that command runs, so `dr --help` and `dr --version` start in a fraction of a second.

/** A command of `dr`: its module, loaded when it is registered in full. */
interface RegistryEntry {
  readonly name: string;
  readonly load: () => Promise<CommandModule>;
  /**
   * The command only reads (nothing it does needs to finish): Ctrl-C ends it at once. The others stop
   * at a point where what they started is journaled, and say what keeps running.
   */
  readonly readsOnly?: true;
  /**
   * The root help's line for the command when the command line names another: then its module is not
   * loaded. Without one the command is always registered in full, for the root help to show its options:
   * status, recover and drill, whose modules load nothing but their flags until they run.
   */
  readonly summary?: string;
}

/** Every command, in the root help's order. */
const COMMANDS: readonly RegistryEntry[] = [
  { name: "status", readsOnly: true, load: () => import("./commands/status") },
  { name: "recover", load: () => import("./commands/recover") },
  { name: "drill", load: () => import("./commands/drill") },
  {
    name: "rehearse",
    summary: "practise a recovery offline, against a local simulation of AWS and the dr stack",
    load: () => import("./commands/rehearse"),
  },
  {
    name: "failback",
    summary: "bring the application back to the primary region, or drill it (--drill)",
    load: () => import("./commands/failback"),
  },
  {
    name: "plan",
    readsOnly: true,
    summary: "what a stack would create, offline on Pulumi's mock engine, with the DR posture",
    load: () => import("./commands/plan"),
  },
  {
    name: "runbook",
    readsOnly: true,
    summary: "the recovery runbook of this deployment, from the stacks' config and outputs",
    load: () => import("./commands/runbook"),
  },
  {
    name: "cost",
    readsOnly: true,
    summary: "the monthly DR overhead from sizes you give, with every line's arithmetic",
    load: () => import("./commands/cost"),
  },
];

/** The version of the program, from the repository's package.json. */
export function cliVersion(): string {
  const file = path.join(REPOSITORY_DIR, "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

/** The command the arguments name, skipping the global options and their values; `help <command>` too. */
export function namedCommand(program: Command, argv: readonly string[]): string | undefined {
  const takesValue = new Set(
    (program.options as Option[])
      .filter((option) => option.required || option.optional)
      .flatMap((option) => [option.long, option.short].filter((flag): flag is string => flag !== undefined)),
  );
  const operands: string[] = [];
  for (let i = 0; i < argv.length && operands.length < 2; i++) {
    const arg = argv[i];
    if (arg === "--") break;
    if (arg.startsWith("-")) {
      if (takesValue.has(arg)) i++;
      continue;
    }
    operands.push(arg);
  }
  return operands[0] === "help" ? operands[1] : operands[0];
}

/** The root options as `cmd` sees them, with their defaults. */
function globalOptions(cmd: Command, deps: CliDeps): GlobalOptions {
  const opts = cmd.optsWithGlobals<Record<string, string | undefined>>();
  const cwd = currentDir(deps);
  const workDir = path.resolve(
    cwd,
    givenWorkDir(opts.workDir, deps.env) ?? findProjectDir(cwd) ?? findProjectDir(__dirname) ?? cwd,
  );
  return {
    region: opts.region ?? undefined,
    profile: opts.profile ?? deps.env.AWS_PROFILE,
    stack: opts.stack ?? "dr",
    workDir,
    pulumiRoot: opts.pulumiRoot,
    stateDir: path.resolve(cwd, opts.stateDir ?? path.join(workDir, ".dr")),
    reportDir: path.resolve(cwd, opts.reportDir ?? path.join(workDir, "reports")),
    utc: Boolean(opts.utc),
  };
}

/** What the CLI gives every command it registers, for a run with `deps`, `signal` and `setCode`. */
export function commandWiring(
  deps: CliDeps,
  signal: AbortSignal,
  setCode: (code: number) => void,
): CommandWiring {
  return { deps, signal, setCode, global: (cmd) => globalOptions(cmd, deps), runCli: main };
}

/** Makes `cmd` write through `deps` and throw where commander would exit the process. */
function writeThrough(cmd: Command, deps: CliDeps): Command {
  return cmd.exitOverride().configureOutput({
    writeOut: (text) => deps.stdout.write(text),
    writeErr: (text) => deps.stderr.write(text),
  });
}

/** The `dr` program with its root options and no command, writing through `deps`. */
export function rootProgram(deps: CliDeps): Command {
  return writeThrough(
    new Command("restorekit-dr")
      .description(
        "Recovery CLI for backup-and-restore disaster recovery on AWS: status, recover, drill, failback, rehearse, plan, runbook, cost.\n" +
          "AWS credentials come from the standard chain (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL[_<SERVICE>] honoured).",
      )
      .option("--region <region>", "DR region (default: dr stack output region, else AWS_REGION)")
      .option("--profile <profile>", "AWS shared-config profile (default: AWS_PROFILE / standard chain)")
      .version(cliVersion(), "-V, --version", "print the version")
      .option(
        "-s, --stack <name>",
        "stack name (the recovery commands' dr stack; plan: the stack to plan)",
        "dr",
      )
      .option(
        "--work-dir <dir>",
        "directory of the project's Pulumi.yaml (default: $DR_WORK_DIR, else the nearest above the current directory, else this checkout)",
      )
      .option("--pulumi-root <dir>", "directory containing bin/pulumi (default: pulumi on the PATH)")
      .option("--state-dir <dir>", "where run journals are kept (default: <work-dir>/.dr)")
      .option("--report-dir <dir>", "where reports are written (default: <work-dir>/reports)")
      .option("--utc", "print times in UTC, marked Z (default: local time, honouring TZ, with its offset)"),
    deps,
  )
    .showHelpAfterError("(run 'restorekit-dr --help' or 'restorekit-dr <command> --help' for usage)")
    .addHelpText(
      "after",
      "\nExit codes: 0 ok: done, every objective met; 1 partial, an RPO or RTO objective missed (the last\n" +
        "line says which), or a status finding; 2 bad input or state (nothing started); 3 recovery failed;\n" +
        "130 interrupted (the last line says what keeps running and how to resume); 141 output closed.",
    );
}

/**
 * Builds the commander program for `argv`; each action stores its exit code through `setCode`. Of the
 * commands with a summary, only the one `argv` names is registered in full (help shows the others by
 * their summary).
 */
export async function buildProgram(
  deps: CliDeps,
  signal: AbortSignal,
  setCode: (code: number) => void,
  argv: readonly string[] = [],
): Promise<Command> {
  const program = rootProgram(deps);
  const named = namedCommand(program, argv);
  const wiring = commandWiring(deps, signal, setCode);
  for (const command of COMMANDS) {
    if (command.summary === undefined || command.name === named) {
      (await command.load()).register(program, wiring);
    } else {
      program.command(command.name).summary(command.summary);
    }
  }
  for (const cmd of program.commands) {
    writeThrough(cmd, deps);
    // Options that are tuning knobs rather than everyday flags stay out of the short help.
    for (const option of cmd.options as Option[]) {
      if (option.long === "--poll-initial") {
        option.hideHelp();
      }
    }
  }
  return program;
}

/** Default dependencies: the real process, AWS SDK and Automation API. */
export function defaultDeps(): CliDeps {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    isTTY: Boolean(process.stdin.isTTY),
    env: process.env,
    clock: systemClock,
    createClients: (options: AwsClientOptions): AwsClients =>
      // Synchronous by contract, so the clients module is required where it is first needed.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require("./aws/clients") as typeof import("./aws/clients")).createAwsClients(options),
    openStack: async (options) => (await import("./recovery/core/stackHandle")).openDrStack(options),
    fetch: (url, init) => fetch(url, init),
    resolveAddresses: async (hostname) =>
      (await import("./recovery/failback/nameResolution")).resolveWithDns(hostname, process.env),
    prompt: (question, signal) =>
      new Promise((resolve, reject) => {
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        // On a terminal readline takes Ctrl-C itself: hand it to the process's handler in run().
        rl.on("SIGINT", () => process.kill(process.pid, "SIGINT"));
        const onAbort = () => {
          rl.close();
          reject(new InterruptedError());
        };
        if (signal?.aborted) {
          onAbort();
          return;
        }
        signal?.addEventListener("abort", onAbort, { once: true });
        rl.question(question, (answer) => {
          signal?.removeEventListener("abort", onAbort);
          rl.close();
          resolve(answer);
        });
      }),
  };
}

/**
 * Runs the CLI on `argv` (user arguments, without node and script) and returns the exit code.
 * Errors the operator can act on become one line on stderr.
 */
export async function main(
  argv: readonly string[],
  deps: CliDeps = defaultDeps(),
  signal?: AbortSignal,
): Promise<number> {
  let code: number = ExitCode.ok;
  const abortSignal = signal ?? new AbortController().signal;
  // Every waiting job listens for Ctrl-C on this one signal: 40 jobs are not a leak.
  setMaxListeners(0, abortSignal);
  const out = new Output(deps.stdout, deps.stderr);
  let named: RegistryEntry | undefined;
  try {
    const program = await buildProgram(deps, abortSignal, (c) => (code = c), argv);
    named = COMMANDS.find((c) => c.name === namedCommand(program, argv));
    const parsing = program.parseAsync([...argv], { from: "user" });
    await (named?.readsOnly ? untilAborted(parsing, abortSignal) : parsing);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (err instanceof InterruptedError) {
      out.warn(
        named?.readsOnly
          ? `interrupted: 'dr ${named.name}' only reads; nothing was started or changed`
          : "interrupted",
      );
      return ExitCode.interrupted;
    }
    if (err instanceof DrError) {
      out.error(err.message);
      return err.exitCode;
    }
    out.error(
      `${errorMessage(err)}${deps.env.DR_DEBUG ? `\n${(err as Error).stack ?? ""}` : " (set DR_DEBUG=1 for details)"}`,
    );
    return ExitCode.failed;
  }
}

/** 128 + SIGPIPE: what a shell reports for a program SIGPIPE ended, as it ends `git log` in `git log | head`. */
export const CLOSED_OUTPUT_EXIT = 128 + os.constants.signals.SIGPIPE;

/**
 * Ends the process at once, quietly, with {@link CLOSED_OUTPUT_EXIT} when the reader of stdout or stderr
 * has gone (`dr help plan | head -1`). Node ignores SIGPIPE (nodejs.org/api/process.html, "Signal events"),
 * so the write fails with EPIPE instead, and that stream error unhandled would print a stack trace. The
 * clean-ups registered for the process's exit (run lock, journal) still run; a recovery resumes as after
 * a second Ctrl-C.
 */
function endWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") throw err;
      process.exit(CLOSED_OUTPUT_EXIT);
    });
  }
}

/** Entry point of `scripts/bin/restorekit-dr.js`: real dependencies, Ctrl-C handling, process exit code. */
export function run(): void {
  // The AWS SDK warns on every run under Node 20 (8 lines on stderr before any error line); the
  // engines field already says which Node versions this CLI supports. This is the SDK's own
  // switch (aws/aws-sdk-js-v3#7983); an operator who sets it otherwise keeps the warning.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  endWhenOutputCloses();
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (name: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) {
      process.stderr.write(`\n${name} again: exiting now\n`);
      process.exit(ExitCode.interrupted);
    }
    // What was running and what keeps running is the command's own last line.
    process.stderr.write(`\n${name}: stopping (press Ctrl-C again to exit at once)\n`);
    controller.abort();
  };
  // Each ends this process itself, whatever a wrapper (npx) does. SIGHUP (the terminal closed) keeps
  // Node's default: the process ends at once (its journal is written atomically, a re-run resumes), and
  // under nohup, which ignores it, the run goes on.
  for (const name of ["SIGINT", "SIGTERM"] as const) {
    process.on(name, onSignal);
  }
  main(process.argv.slice(2), defaultDeps(), controller.signal).then(
    (code) => {
      process.exitCode = code;
      // Interrupted: what the command abandoned (timers, sockets, a mock engine's promises) must not
      // keep the process alive.
      if (controller.signal.aborted) {
        process.exit(code);
      }
    },
    (err: unknown) => {
      process.stderr.write(`error: ${errorMessage(err)}\n`);
      process.exitCode = ExitCode.failed;
    },
  );
}
