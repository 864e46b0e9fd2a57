// `dr status`: its flags, bound into StatusOptions, and the run that checks the recovery points.
import type { Command } from "commander";
import type { StatusOptions } from "../recovery/status/status";
import { parsePositive } from "../time";
import { CommandWiring, RunCommand, runWith } from "./command";

/** The status check, loaded when the command runs. */
const runStatus: RunCommand<StatusOptions> = async (ctx, options) =>
  (await import("../recovery/status/status")).runStatus(ctx, options);

/** The options of `cmd`, a command registered by {@link register}. */
export function bindStatusOptions(cmd: Command): StatusOptions {
  const o = cmd.opts<Record<string, string | boolean | undefined>>();
  return {
    json: Boolean(o.json),
    vault: o.vault as string | undefined,
    isolatedVault: o.isolatedVault as string | undefined,
    primaryVault: o.primaryVault as string | undefined,
    primaryRegion: o.primaryRegion as string | undefined,
    rpoMinutes: o.rpo !== undefined ? parsePositive("--rpo", String(o.rpo)) : undefined,
    sinceHours: parsePositive("--since-hours", String(o.sinceHours)),
  };
}

/** Registers `dr status [--json] [--vault <name>] ...`. */
export function register(
  program: Command,
  wiring: CommandWiring,
  run: RunCommand<StatusOptions> = runStatus,
): Command {
  return program
    .command("status")
    .description(
      "recovery points per resource against the RPO, and failed backup/copy jobs (exit 1 on any finding)",
    )
    .option("--json", "print JSON")
    .option("--vault <name>", "DR backup vault (default: dr stack output drVaultName)")
    .option(
      "--isolated-vault <name-or-arn>",
      "logically air-gapped vault, by name or ARN (another account's, shared through AWS RAM) (default: dr stack output isolatedVaultName; none without it)",
    )
    .option("--primary-vault <name>", "primary backup vault (default: dr stack output primaryVaultName)")
    .option("--primary-region <region>", "primary region (default: dr stack output primaryRegion)")
    .option("--rpo <minutes>", "recovery point objective (default: dr stack output rpoMinutes)")
    .option("--since-hours <hours>", "look-back window for failed jobs", "24")
    .action(runWith(wiring, bindStatusOptions, run));
}
