/** Reads the isolated copy: the logically air-gapped vault, on by default for prod, its bounds and sharing. */
import { IsolationArgs } from "@restorekit/backup-restore-dr";
import { ConfigReader } from "./reader";

/**
 * The isolated copy, on unless `isolation` is false: prod's threat model includes someone holding admin
 * credentials in its account, and only a logically air-gapped vault keeps a copy they cannot delete. Its
 * bounds default (0) to the plan's own DR copy retentions, which the component then checks like AWS.
 */
export function readIsolation(reader: ConfigReader): IsolationArgs {
  const enabled = reader.boolean("isolation");
  const minRetentionDays = reader.integer("isolationMinRetentionDays", 0, 36500);
  const maxRetentionDays = reader.integer("isolationMaxRetentionDays", 0, 36500);
  const recoveryAccountIds = reader.stringArray("isolationRecoveryAccountIds");
  return {
    enabled,
    ...(minRetentionDays > 0 && { minRetentionDays }),
    ...(maxRetentionDays > 0 && { maxRetentionDays }),
    ...(recoveryAccountIds.length > 0 && { recoveryAccountIds }),
  };
}
