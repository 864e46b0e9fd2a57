// The options of dr recover and dr drill.
import { PollOptions } from "../core/restoreJobs";

/** Options of `dr recover` and `dr drill`. */
export interface RestoreCommandOptions {
  /** Act without asking. Required when stdin is not a terminal. Default false. */
  readonly yes: boolean;
  /** Print the plan, the restore metadata and the config, start nothing. Default false. */
  readonly dryRun: boolean;
  /** Restore the newest point at or before this ISO time. Default: the newest. */
  readonly asOf?: string;
  /** Restore only these types / ARNs. Default: everything in the vault. */
  readonly only: readonly string[];
  /** `<type>.<key>=<value>` restore metadata overrides. */
  readonly metadata: readonly string[];
  /** Which restored resource feeds a single-valued dr config key when several qualify. */
  readonly appResources: readonly string[];
  /** Abandon an unfinished run and start a new one. Default false. */
  readonly newRun: boolean;
  /** Start new jobs for the failed restores of the last run. Default false. */
  readonly retryFailed: boolean;
  /** DR vault. Default: the dr stack's `drVaultName` output. */
  readonly vault?: string;
  /**
   * Isolated (logically air-gapped) vault, read beside the DR vault: a resource without a clean DR point takes
   * its point from it. Default: the dr stack's `isolatedVaultName` output; none without it.
   */
  readonly isolatedVault?: string;
  /** Take every recovery point from the isolated vault, none from the DR vault. Default false. */
  readonly fromIsolated?: boolean;
  /** Role AWS Backup restores with. Default: the dr stack's `backupRoleArn` output. */
  readonly iamRoleArn?: string;
  /** Health check URL. Default: the dr stack's `healthCheckUrl` output. */
  readonly healthUrl?: string;
  /** How long the health check may take. Default 10 minutes. */
  readonly healthTimeoutMs?: number;
  /**
   * How long the dr stack's servers or tasks may take, after the flip, to all run its latest launch
   * template version or task definition revision before the health check's answer counts. Default 30 minutes.
   */
  readonly rolloutTimeoutMs?: number;
  /** How restore jobs are polled (--poll-initial, --poll-max). Default: {@link PollOptions} defaults. */
  readonly poll?: PollOptions;
  /** Flip the dr stack to active. recover: default true (--no-flip); drill: default false (--flip). */
  readonly flip: boolean;
  /** Overlap the infrastructure update with the restores. Default true. */
  readonly overlap: boolean;
  /** recover: do not check that the primary region is down. Default false. */
  readonly skipPrimaryCheck?: boolean;
  /** drill: keep what was restored. Default false. */
  readonly keep?: boolean;
  /** drill: only delete what the last drill left (after --keep or a failure). Default false. */
  readonly cleanupOnly?: boolean;
}
