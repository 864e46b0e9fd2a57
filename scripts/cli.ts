import { Command, CommanderError, Option } from "commander";
import { setMaxListeners } from "events";
import * as fs from "fs";
import * as path from "path";
import * as readline from "readline";
import type { AwsClientOptions, AwsClients } from "./aws/clients";
import { systemClock } from "./clock";
import type { CliDeps, CommandContext, GlobalOptions } from "./context";
import { DrError, ExitCode, InterruptedError, errorMessage } from "./errors";
import { Output } from "./output";
import { findProjectDir } from "./projectDir";
import { REPOSITORY_DIR } from "./repository";
import type { RestoreCommandOptions } from "./recovery/recover/options";
import { parsePositive, parseSeconds } from "./time";

// Each command's dependencies (the AWS SDK clients, the Automation API, the Pulumi SDK and the component)
// load when that command runs, so `dr --help` and `dr --version` start in a fraction of a second.

/** What the commands in their own modules get from the program that registers them. */
interface ModuleWiring {
  readonly deps: CliDeps;
  readonly signal: AbortSignal;
  /** Receives the exit code of commands that have one. */
  readonly setCode: (code: number) => void;
  readonly global: (cmd: Command) => GlobalOptions;
}

/**
 * Commands that live in their own modules, registered only when the command line names them (help lists
 * them by their summary without loading them).
 */
const MODULE_COMMANDS: readonly {
  readonly name: string;
  readonly summary: string;
  readonly register: (program: Command, wiring: ModuleWiring) => Promise<unknown>;
}[] = [
  {
    name: "rehearse",
    summary: "practise a recovery offline, against a local simulation of AWS and the dr stack",
    register: async (program, wiring) =>
      (await import("./rehearsal/command")).registerRehearseCommand(program, { ...wiring, runCli: main }),
  },
  {
    name: "failback",
    summary: "bring the application back to the primary region, or drill it (--drill)",
    register: async (program, wiring) =>
      (await import("./recovery/failback/command")).registerFailbackCommand(program, wiring),
  },
  {
    name: "plan",
    summary: "what a stack would create, offline on Pulumi's mock engine, with the DR posture",
    register: async (program, { setCode }) =>
      (await import("./plan/command")).registerPlanCommand(program, setCode),
  },
  {
    name: "runbook",
    summary: "the recovery runbook of this deployment, from the stacks' config and outputs",
    register: async (program) => (await import("./runbook/command")).registerRunbookCommand(program),
  },
  {
    name: "cost",
    summary: "the monthly DR overhead from sizes you give, with every line's arithmetic",
    register: async (program) => (await import("./cost/command")).registerCostCommand(program),
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

const collect = (value: string, previous: string[] = []) => [...previous, value];

function globalOptions(cmd: Command, deps: CliDeps): GlobalOptions {
  const opts = cmd.optsWithGlobals<Record<string, string | undefined>>();
  const workDir = path.resolve(
    opts.workDir ?? findProjectDir(process.cwd()) ?? findProjectDir(__dirname) ?? process.cwd(),
  );
  return {
    region: opts.region ?? undefined,
    profile: opts.profile ?? deps.env.AWS_PROFILE,
    stack: opts.stack ?? "dr",
    workDir,
    pulumiRoot: opts.pulumiRoot,
    stateDir: path.resolve(opts.stateDir ?? path.join(workDir, ".dr")),
    reportDir: path.resolve(opts.reportDir ?? path.join(workDir, "reports")),
  };
}

function addRestoreOptions(cmd: Command): Command {
  return cmd
    .option("-y, --yes", "act without asking (required when stdin is not a terminal)")
    .option("--dry-run", "print the chosen points, restore metadata and config; start nothing")
    .option("--as-of <time>", "restore the newest point at or before this ISO-8601 time (UTC if no offset)")
    .option(
      "--only <type|arn>",
      "restore only this resource type or resource/recovery point ARN (repeatable)",
      collect,
      [],
    )
    .option(
      "--metadata <type.key=value>",
      "override restore metadata, e.g. rds.DBInstanceClass=db.r6g.large; empty value removes (repeatable)",
      collect,
      [],
    )
    .option(
      "--app-resource <arn|name>",
      "the resource whose restore feeds the dr stack config when several of a type are restored (repeatable)",
      collect,
      [],
    )
    .option("--vault <name>", "DR backup vault (default: dr stack output drVaultName)")
    .option("--iam-role-arn <arn>", "role AWS Backup restores with (default: dr stack output backupRoleArn)")
    .option("--health-url <url>", "URL to check after the flip (default: dr stack output healthCheckUrl)")
    .option("--health-timeout <seconds>", "how long the health check may take", "600")
    .option("--new-run", "abandon the unfinished run in the journal and start a new one")
    .option("--retry-failed", "start new restore jobs for the failed restores of the last run")
    .option("--no-overlap", "update the dr stack once, after every restore has finished")
    .option("--poll-initial <seconds>", "delay before the first status poll of a job", "2")
    .option("--poll-max <seconds>", "maximum delay between status polls of a job", "15");
}

function restoreOptions(cmd: Command, flipDefault: boolean): RestoreCommandOptions {
  const o = cmd.opts<Record<string, unknown>>();
  return {
    yes: Boolean(o.yes),
    dryRun: Boolean(o.dryRun),
    asOf: o.asOf as string | undefined,
    only: (o.only as string[]) ?? [],
    metadata: (o.metadata as string[]) ?? [],
    appResources: (o.appResource as string[]) ?? [],
    newRun: Boolean(o.newRun),
    retryFailed: Boolean(o.retryFailed),
    vault: o.vault as string | undefined,
    iamRoleArn: o.iamRoleArn as string | undefined,
    healthUrl: o.healthUrl as string | undefined,
    healthTimeoutMs: parseSeconds("--health-timeout", String(o.healthTimeout)),
    poll: {
      initialDelayMs: parseSeconds("--poll-initial", String(o.pollInitial)),
      maxDelayMs: parseSeconds("--poll-max", String(o.pollMax)),
    },
    flip: o.flip === undefined ? flipDefault : Boolean(o.flip),
    overlap: o.overlap !== false,
    skipPrimaryCheck: Boolean(o.skipPrimaryCheck),
    keep: Boolean(o.keep),
    cleanupOnly: Boolean(o.cleanup),
  };
}

/**
 * Builds the commander program for `argv`; each action stores its exit code through `setCode`. Of the
 * commands in their own modules, only the one `argv` names is registered in full (help shows the others
 * by summary).
 */
export async function buildProgram(
  deps: CliDeps,
  signal: AbortSignal,
  setCode: (code: number) => void,
  argv: readonly string[] = [],
): Promise<Command> {
  const context = (cmd: Command): CommandContext => ({
    deps,
    global: globalOptions(cmd, deps),
    out: new Output(deps.stdout, deps.stderr, () => deps.clock.now()),
    signal,
  });

  const program = new Command("dr")
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
      "directory of the project's Pulumi.yaml (default: nearest above the current directory)",
    )
    .option("--pulumi-root <dir>", "directory containing bin/pulumi (default: pulumi on the PATH)")
    .option("--state-dir <dir>", "where run journals are kept (default: <work-dir>/.dr)")
    .option("--report-dir <dir>", "where reports are written (default: <work-dir>/reports)")
    .configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: (text) => deps.stderr.write(text),
    })
    .exitOverride()
    .showHelpAfterError("(run 'dr --help' or 'dr <command> --help' for usage)")
    .addHelpText(
      "after",
      "\nExit codes: 0 ok, 1 partial / status finding, 2 bad input or state (nothing started),\n" +
        "3 recovery failed, 130 interrupted (re-run the same command to resume).",
    );

  program
    .command("status")
    .description(
      "recovery points per resource against the RPO, and failed backup/copy jobs (exit 1 on any finding)",
    )
    .option("--json", "print JSON")
    .option("--vault <name>", "DR backup vault (default: dr stack output drVaultName)")
    .option("--primary-vault <name>", "primary backup vault (default: dr stack output primaryVaultName)")
    .option("--primary-region <region>", "primary region (default: dr stack output primaryRegion)")
    .option("--rpo <minutes>", "recovery point objective (default: dr stack output rpoMinutes)")
    .option("--since-hours <hours>", "look-back window for failed jobs", "24")
    .action(async (_opts, cmd: Command) => {
      const o = cmd.opts<Record<string, string | boolean | undefined>>();
      const { runStatus } = await import("./recovery/status/status");
      setCode(
        await runStatus(context(cmd), {
          json: Boolean(o.json),
          vault: o.vault as string | undefined,
          primaryVault: o.primaryVault as string | undefined,
          primaryRegion: o.primaryRegion as string | undefined,
          rpoMinutes: o.rpo !== undefined ? parsePositive("--rpo", String(o.rpo)) : undefined,
          sinceHours: parsePositive("--since-hours", String(o.sinceHours)),
        }),
      );
    });

  addRestoreOptions(
    program
      .command("recover")
      .description(
        "restore the newest good recovery points in parallel, flip the dr stack to active, check health, report",
      ),
  )
    .option("--skip-primary-check", "do not check that the primary region is down")
    .option("--no-flip", "restore only; leave the dr stack as it is")
    .action(async (_opts, cmd: Command) => {
      const { runRecover } = await import("./recovery/recover/restoreCommand");
      setCode(await runRecover(context(cmd), restoreOptions(cmd, true)));
    });

  addRestoreOptions(
    program
      .command("drill")
      .description(
        "restore into drill-named resources, check them, report, then delete exactly what was restored",
      ),
  )
    .option("--flip", "also flip the dr stack to active, without switching DNS, and back afterwards")
    .option("--keep", "keep the restored resources")
    .option("--cleanup", "delete what the last drill left behind (after --keep), then exit")
    .action(async (_opts, cmd: Command) => {
      const { runDrill } = await import("./recovery/recover/restoreCommand");
      setCode(await runDrill(context(cmd), restoreOptions(cmd, false)));
    });

  // plan, runbook, cost and rehearse live with their own modules; `npm run plan|runbook|cost` runs some alone.
  const named = namedCommand(program, argv);
  const wiring: ModuleWiring = { deps, signal, setCode, global: (cmd) => globalOptions(cmd, deps) };
  for (const command of MODULE_COMMANDS) {
    if (command.name === named) {
      await command.register(program, wiring);
    } else {
      program.command(command.name).summary(command.summary);
    }
  }

  for (const cmd of program.commands) {
    cmd.exitOverride().configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: (text) => deps.stderr.write(text),
    });
  }
  // Options that are tuning knobs rather than everyday flags stay out of the short help.
  for (const cmd of program.commands) {
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
  try {
    const program = await buildProgram(deps, abortSignal, (c) => (code = c), argv);
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
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

/** Entry point of `scripts/bin/dr.js`: real dependencies, Ctrl-C handling, process exit code. */
export function run(): void {
  // The AWS SDK warns on every run under Node 20 (8 lines on stderr before any error line); the
  // engines field already says which Node versions this CLI supports. This is the SDK's own
  // switch (aws/aws-sdk-js-v3#7983); an operator who sets it otherwise keeps the warning.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (name: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) {
      process.stderr.write(`\n${name} again: exiting now\n`);
      process.exit(ExitCode.interrupted);
    }
    process.stderr.write(
      `\n${name}: stopping; the journal keeps every started job (press Ctrl-C again to exit at once)\n`,
    );
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  main(process.argv.slice(2), defaultDeps(), controller.signal).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`error: ${errorMessage(err)}\n`);
      process.exitCode = ExitCode.failed;
    },
  );
}
