// `dr failback`: its flags, bound into FailbackOptions, and the run that brings the application back.
import type { Command } from "commander";
import type { FailbackOptions } from "../recovery/failback/options";
import { parseSeconds } from "../time";
import { CommandWiring, RunCommand, runWith } from "./command";

/** The failback, loaded when the command runs. */
const runFailback: RunCommand<FailbackOptions> = async (ctx, options) =>
  (await import("../recovery/failback/run")).runFailback(ctx, options);

/** The options of `cmd`, a command registered by {@link register}. */
export function bindFailbackOptions(cmd: Command): FailbackOptions {
  const o = cmd.opts<Record<string, string | boolean | undefined>>();
  return {
    yes: Boolean(o.yes),
    dryRun: Boolean(o.dryRun),
    drill: Boolean(o.drill),
    keep: Boolean(o.keep),
    skipPreCopy: Boolean(o.skipPreCopy),
    prodStack: String(o.prodStack),
    recoveryJournal: o.recoveryJournal as string | undefined,
    iamRoleArn: o.iamRoleArn as string | undefined,
    healthUrl: o.healthUrl as string | undefined,
    healthTimeoutMs: parseSeconds("--health-timeout", String(o.healthTimeout)),
    freezeTimeoutMs: parseSeconds("--freeze-timeout", String(o.freezeTimeout)),
    rolloutTimeoutMs: parseSeconds("--rollout-timeout", String(o.rolloutTimeout)),
    trafficTimeoutMs: parseSeconds("--traffic-timeout", String(o.trafficTimeout)),
    poll: {
      initialDelayMs: parseSeconds("--poll-initial", String(o.pollInitial)),
      maxDelayMs: parseSeconds("--poll-max", String(o.pollMax)),
    },
  };
}

/** Registers `dr failback [--dry-run | --yes] [--drill] ...`. */
export function register(
  program: Command,
  wiring: CommandWiring,
  run: RunCommand<FailbackOptions> = runFailback,
): Command {
  return program
    .command("failback")
    .description(
      "bring the application back to the primary region: back up and copy the restored data, freeze writes, restore it into prod, copy S3 back, check prod, move traffic, dr to standby, report",
    )
    .option("-y, --yes", "act without asking (required when stdin is not a terminal)")
    .option("--dry-run", "print the whole plan; start nothing")
    .option(
      "--drill",
      "a failback drill: copy the DR vault's newest points, restore them as fbdrill- resources in the primary region, check, delete",
    )
    .option("--keep", "drill: keep the restored resources")
    .option(
      "--skip-pre-copy",
      "no unfrozen backups and copies before the freeze (the final ones carry everything)",
    )
    .option("--prod-stack <name>", "the prod stack", "prod")
    .option(
      "--recovery-journal <file>",
      "the journal of the recovery whose resources come back (default: <state-dir>/recover.json)",
    )
    .option(
      "--iam-role-arn <arn>",
      "role of the backup and copy jobs (default: dr stack output backupRoleArn)",
    )
    .option("--health-url <url>", "prod's health check URL (default: prod stack output healthCheckUrl)")
    .option("--health-timeout <seconds>", "how long prod's health check may take", "600")
    .option("--freeze-timeout <seconds>", "how long the dr servers may take to reach zero", "600")
    .option(
      "--rollout-timeout <seconds>",
      "how long prod's servers may take to all run the latest launch template after prod-data",
      "1800",
    )
    .option(
      "--traffic-timeout <seconds>",
      "how long the public name may take to resolve to prod's load balancer after the switch",
      "600",
    )
    .option("--poll-initial <seconds>", "delay before the first status poll of a job", "2")
    .option("--poll-max <seconds>", "maximum delay between status polls of a job", "15")
    .addHelpText(
      "after",
      "\nNeeds the Pulumi CLI (the dr and prod stacks: outputs, config, up) and AWS credentials, like recover.\n" +
        "Re-running the same command after a crash or Ctrl-C resumes at the phase it stopped in; no job is started twice.",
    )
    .action(runWith(wiring, bindFailbackOptions, run));
}
