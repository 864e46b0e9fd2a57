/** Reads the Vault Lock, bounded by default by the backup plan's own retentions. */
import { BackupPlanArgs, copyLifecycle, VaultLockArgs } from "@restorekit/backup-restore-dr";
import { ConfigReader } from "./reader";
import { CONFIG_NAMESPACE } from "./schema";

/** How long each rule keeps its recovery points and each copy its copies, in days. */
function retentionsOf(plan: BackupPlanArgs): number[] {
  return plan.rules.flatMap((rule) => {
    const copy = copyLifecycle(rule);
    return copy ? [rule.lifecycle.deleteAfterDays, copy.deleteAfterDays] : [rule.lifecycle.deleteAfterDays];
  });
}

/**
 * The Vault Lock: by default governance mode, bounded by the plan's own shortest and longest retention, so
 * it fails no job of the plan and a job asking for less or more (an edited lifecycle) fails.
 */
export function readVaultLock(reader: ConfigReader, plan: BackupPlanArgs): VaultLockArgs | undefined {
  const mode = reader.oneOf("vaultLock", ["none", "governance", "compliance"] as const);
  const retentions = retentionsOf(plan);
  const minRetentionDays = reader.integer("vaultLockMinRetentionDays", 0, 36500) || Math.min(...retentions);
  const maxRetentionDays = reader.integer("vaultLockMaxRetentionDays", 0, 36500) || Math.max(...retentions);
  const changeableForDays = reader.integer("vaultLockChangeableForDays", 3, 36500);
  if (mode === "none") return undefined;
  if (minRetentionDays > maxRetentionDays) {
    reader.problem(
      "vaultLockMinRetentionDays",
      String(minRetentionDays),
      `must not exceed ${CONFIG_NAMESPACE}:vaultLockMaxRetentionDays (${maxRetentionDays})`,
    );
  }
  return { minRetentionDays, maxRetentionDays, ...(mode === "compliance" && { changeableForDays }) };
}
