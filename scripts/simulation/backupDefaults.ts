/** The one set of defaults of the simulated AWS Backup, whichever front end (HTTP or SDK mock) serves it. */

const MIN = 60_000;

/**
 * Defaults of the Backup model (backupModel.ts). Where AWS documents a behaviour the model follows it;
 * the values below are the simulation's own choices where AWS documents none.
 */
export const BACKUP_DEFAULTS = {
  /** The DR region: the DR vault's, and where restores run unless the call says otherwise. */
  drRegion: "us-west-2",
  /** The primary region: the primary vault's. */
  primaryRegion: "us-east-1",
  /** The DR vault's name. */
  vaultName: "dr-vault",
  /** How long a restore takes (clock ms) when its recovery point does not say. */
  restoreMs: 3000,
  /**
   * Largest page a listing answers, whatever MaxResults says (AWS's own limit is 1000), so callers'
   * paging is exercised.
   */
  pageSize: 2,
  /** Restore job ids: `job-001`, `job-002`, ... (AWS documents the id as an opaque string). */
  restoreJobId: (n: number): string => `job-${String(n).padStart(3, "0")}`,
  /** How long a job stays PENDING (restore) or CREATED (backup, copy): its first tenth, at most this. */
  maxPendingMs: MIN,
} as const;

/**
 * How long a job of `durationMs` waits before it runs (restore: PENDING; backup, copy: CREATED): its first
 * tenth, at most {@link BACKUP_DEFAULTS.maxPendingMs}. AWS documents the states, not their lengths.
 */
export function pendingMs(durationMs: number): number {
  return Math.min(durationMs * 0.1, BACKUP_DEFAULTS.maxPendingMs);
}
