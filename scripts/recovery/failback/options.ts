// What `dr failback` is asked to do, and the checks on it before anything starts.
import { DrError } from "../../errors";
import { PollOptions } from "../core/restoreJobs";
import { checkHealthUrl } from "../core/health";

/** Options of `dr failback`. */
export interface FailbackOptions {
  /** Act without asking. Required when stdin is not a terminal. Default false. */
  readonly yes: boolean;
  /** Print the whole plan, start nothing (wins over `yes`, as for recover). Default false. */
  readonly dryRun: boolean;
  /**
   * A failback drill: the DR vault's newest points copied to the primary vault and restored there into
   * `fbdrill-` names, checked, then deleted; no freeze, no prod change, no traffic switch. Default false.
   */
  readonly drill: boolean;
  /** Drill: keep what it restored. Default false. */
  readonly keep: boolean;
  /** Skip the unfrozen backups and copies before the freeze (the final ones then carry everything). Default false. */
  readonly skipPreCopy: boolean;
  /** The prod stack (may be `org/dr-app/prod`). Default `prod`. */
  readonly prodStack: string;
  /** The recovery journal whose restored resources come back. Default `<state-dir>/recover.json`. */
  readonly recoveryJournal?: string;
  /** Role of the backup and copy jobs in the DR region. Default: the dr stack's `backupRoleArn` output. */
  readonly iamRoleArn?: string;
  /** Prod's health check URL. Default: the prod stack's `healthCheckUrl` output. */
  readonly healthUrl?: string;
  /** How long prod's health check may take. Default 10 minutes. */
  readonly healthTimeoutMs: number;
  /** How long the dr servers (and prod's, held first) may take to reach zero after the freeze. Default 10 minutes. */
  readonly freezeTimeoutMs: number;
  /** How long prod's servers may take to all run the latest launch template after prod-data. Default 30 minutes. */
  readonly rolloutTimeoutMs: number;
  /** How long the public name may take to resolve to prod's load balancer after the switch. Default 10 minutes. */
  readonly trafficTimeoutMs: number;
  readonly poll: PollOptions;
}

/**
 * Refuses bad or contradicting input before anything is read or started, naming the flag, the value
 * and the rule.
 */
export function checkFailbackOptions(options: FailbackOptions): void {
  if (options.drill && options.skipPreCopy) {
    throw new DrError(
      "--skip-pre-copy applies to a failback: a drill (--drill) makes no backups, it copies the DR vault's newest points; drop one",
    );
  }
  if (!options.drill && options.keep) {
    throw new DrError(
      "--keep applies to a drill (--drill): a failback keeps everything it restores, and deletes nothing",
    );
  }
  if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/.test(options.prodStack)) {
    throw new DrError(
      `--prod-stack '${options.prodStack}' is not a stack name: letters, digits, '-', '_' or '.', optionally qualified as <org>/<project>/<stack>`,
    );
  }
  if (options.healthUrl !== undefined) {
    checkHealthUrl("--health-url", options.healthUrl);
  }
  if (options.iamRoleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(options.iamRoleArn)) {
    throw new DrError(
      `--iam-role-arn '${options.iamRoleArn}' is not an IAM role ARN: use arn:aws:iam::<12-digit account>:role/<name>`,
    );
  }
}
