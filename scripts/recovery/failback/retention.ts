/** How long a failback's own backups and copies are kept: the Lifecycle of its StartBackupJob and StartCopyJob calls. */
import type { Lifecycle } from "@aws-sdk/client-backup";
import type { VaultInfo } from "../core/awsChecks";

/**
 * Days a failback's backups (DR vault) and copies (primary vault) are kept, before the target vault's lock
 * moves it into its bounds. They serve the failback only: the restores in the primary region come from the
 * copies, and once prod runs on the restored `fb-` resources its own plan backs them up (and copies them
 * to DR) by their tag. A week outlives a failback stopped over a weekend and resumed at its restores, and
 * the first daily backup of the restored resources; beyond that they are duplicates that cost storage.
 */
export const FAILBACK_RETENTION_DAYS = 7;

/**
 * The Lifecycle of a failback's job into `vault`: {@link FAILBACK_RETENTION_DAYS} clamped into the vault's
 * Vault Lock bounds (DescribeBackupVault's MinRetentionDays and MaxRetentionDays). Both are needed:
 * - a job with no Lifecycle keeps its recovery point forever: AWS Backup expires points by their lifecycle
 *   only (AWS Backup API, StartBackupJob `Lifecycle`: "AWS Backup will transition and expire backups
 *   automatically according to the lifecycle that you define"), and in a vault whose deny policy stops
 *   operators deleting points (components/src/vaultPair.ts) that costs storage forever;
 * - a vault with a lock fails a job whose retention is outside its bounds, no retention (forever) being
 *   longer than any maximum (AWS Backup API, PutBackupVaultLockConfiguration, MinRetentionDays and
 *   MaxRetentionDays: "the vault fails the backup or copy job"). The project locks both vaults by default,
 *   bounded by the plan's own shortest and longest retention (stacks/config/vaultLock.ts, 3 and 97 days for `seed`).
 */
export function failbackLifecycle(vault: VaultInfo): Lifecycle {
  const min = vault.lock?.minRetentionDays ?? 1;
  const max = vault.lock?.maxRetentionDays ?? Number.POSITIVE_INFINITY;
  return { DeleteAfterDays: Math.min(Math.max(FAILBACK_RETENTION_DAYS, min), max) };
}
