/** Vault Lock in the simulation: a vault's retention bounds, as DescribeBackupVault shows them, and the check of every job into it. */

/**
 * A vault's Vault Lock (PutBackupVaultLockConfiguration): the retention bounds, in days, every backup or
 * copy job into the vault must keep. A bound left out is not enforced.
 */
export interface VaultLock {
  readonly minRetentionDays?: number;
  readonly maxRetentionDays?: number;
}

/**
 * The lock the project deploys on both vaults by default (stacks/config.ts readVaultLock: governance mode,
 * bounded by the `seed` plan's shortest and longest retention: the hourly rule's 3 days, the daily rule's
 * and its copy's 97). test/scripts/simulation/vaultLock.test.ts holds it equal to the prod stack's settings.
 */
export const DEFAULT_VAULT_LOCK: VaultLock = { minRetentionDays: 3, maxRetentionDays: 97 };

/** A job's `Lifecycle` (StartBackupJob, StartCopyJob), as far as its retention goes. */
export interface JobLifecycle {
  readonly DeleteAfterDays?: number;
  readonly MoveToColdStorageAfterDays?: number;
}

/**
 * DescribeBackupVault's lock fields (API_DescribeBackupVault.html: `Locked`, `MinRetentionDays`,
 * `MaxRetentionDays`), none without a lock. `Locked` true for every configured lock, governance ones
 * included (unsourced guess: the reference says only "whether Backup Vault Lock is currently protecting
 * the backup vault").
 */
export function lockFields(lock: VaultLock | undefined): Record<string, unknown> {
  if (!lock || (lock.minRetentionDays === undefined && lock.maxRetentionDays === undefined)) {
    return { Locked: false };
  }
  return { Locked: true, MinRetentionDays: lock.minRetentionDays, MaxRetentionDays: lock.maxRetentionDays };
}

/**
 * Why the vault fails a backup or copy job into it, or undefined when the lock lets it in. AWS Backup API,
 * PutBackupVaultLockConfiguration (MinRetentionDays, MaxRetentionDays): "any backup or copy job to the vault
 * must have a lifecycle policy with a retention period equal to or longer than the minimum retention
 * period. If the job's retention period is shorter than that minimum retention period, then the vault
 * fails that backup or copy job" (and the same, shorter, for the maximum). A job without
 * `DeleteAfterDays` keeps its recovery point forever, longer than any maximum: AWS Backup expires points by
 * their lifecycle only (StartBackupJob `Lifecycle`: "AWS Backup will transition and expire backups
 * automatically according to the lifecycle that you define").
 * AWS fails the job, it does not refuse the Start call ("the vault fails the backup or copy job"); the
 * message is the fake's own.
 */
export function vaultLockFailure(
  vaultName: string,
  lock: VaultLock | undefined,
  lifecycle: JobLifecycle | undefined,
): string | undefined {
  const days = lifecycle?.DeleteAfterDays;
  const asked = days === undefined ? "no DeleteAfterDays (kept forever)" : `DeleteAfterDays ${days}`;
  const bounds = `between ${lock?.minRetentionDays ?? 1} and ${lock?.maxRetentionDays ?? "unlimited"} days`;
  if (lock?.maxRetentionDays !== undefined && (days === undefined || days > lock.maxRetentionDays)) {
    return `Backup vault ${vaultName} is locked: a job into it must keep its recovery point ${bounds}; its lifecycle has ${asked}, more than MaxRetentionDays ${lock.maxRetentionDays}`;
  }
  if (lock?.minRetentionDays !== undefined && days !== undefined && days < lock.minRetentionDays) {
    return `Backup vault ${vaultName} is locked: a job into it must keep its recovery point ${bounds}; its lifecycle has ${asked}, less than MinRetentionDays ${lock.minRetentionDays}`;
  }
  return undefined;
}
