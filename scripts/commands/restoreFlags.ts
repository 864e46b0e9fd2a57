// The flags `dr recover` and `dr drill` share, their binding into RestoreCommandOptions, and the layout of their help's examples.
import type { Command } from "commander";
import type { RestoreCommandOptions } from "../recovery/recover/options";
import { parseSeconds } from "../time";

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds the flags recover and drill share to `cmd`. */
export function addRestoreFlags(cmd: Command): Command {
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
    .option(
      "--isolated-vault <name-or-arn>",
      "logically air-gapped vault, read when the DR vault has no clean point for a resource; an ARN of another account's vault (shared through AWS RAM) reads it as that account's (default: dr stack output isolatedVaultName)",
    )
    .option(
      "--from-isolated",
      "take every recovery point from the isolated vault, none from the DR vault (e.g. after its points were deleted or tampered with)",
    )
    .option("--iam-role-arn <arn>", "role AWS Backup restores with (default: dr stack output backupRoleArn)")
    .option("--health-url <url>", "URL to check after the flip (default: dr stack output healthCheckUrl)")
    .option("--health-timeout <seconds>", "how long the health check may take", "600")
    .option(
      "--rollout-timeout <seconds>",
      "how long the dr stack's servers or tasks may take to all run its latest launch template or task definition after the flip, before the health check counts",
      "1800",
    )
    .option("--new-run", "abandon the unfinished run in the journal and start a new one")
    .option(
      "--retry-failed",
      "start new restore jobs for the failed restores of the last run (with --metadata: changed for them, e.g. another instance class or name)",
    )
    .option("--no-overlap", "update the dr stack once, after every restore has finished")
    .option("--poll-initial <seconds>", "delay before the first status poll of a job", "2")
    .option("--poll-max <seconds>", "maximum delay between status polls of a job", "15");
}

/**
 * The options of `cmd`, a command built with {@link addRestoreFlags}.
 * @param flipDefault whether the dr stack flips when neither `--flip` nor `--no-flip` is given
 */
export function bindRestoreOptions(cmd: Command, flipDefault: boolean): RestoreCommandOptions {
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
    isolatedVault: o.isolatedVault as string | undefined,
    fromIsolated: Boolean(o.fromIsolated),
    iamRoleArn: o.iamRoleArn as string | undefined,
    healthUrl: o.healthUrl as string | undefined,
    healthTimeoutMs: parseSeconds("--health-timeout", String(o.healthTimeout)),
    rolloutTimeoutMs: parseSeconds("--rollout-timeout", String(o.rolloutTimeout)),
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

/** The help's examples section: per example, what it does as a `#` comment, then the command line. */
export function examplesHelp(examples: readonly (readonly [string, string])[]): string {
  return ["", "Examples:", examples.map(([line, what]) => `  # ${what}\n  ${line}`).join("\n\n")].join("\n");
}
