import { CONFIG_NAMESPACE } from "../../../stacks/config";
import { FailbackJournal, FailbackResource } from "./journal";
import { PhaseContext, PhaseResult, applyOnce } from "./phaseContext";

/** The prod stack's config keys through which it takes failed-back data (docs/CONTRACTS.md). */
export const PROD_DATA_KEYS = {
  dbEndpoint: `${CONFIG_NAMESPACE}:failbackDbEndpoint`,
  dbInstanceId: `${CONFIG_NAMESPACE}:failbackDbInstanceId`,
  tableName: `${CONFIG_NAMESPACE}:failbackTableName`,
  volumeId: `${CONFIG_NAMESPACE}:failbackVolumeId`,
} as const;

/** The prod config a failback will set, with placeholders for what only the restores tell (for the plan). */
export function prodConfigPreview(resources: readonly FailbackResource[]): Record<string, string> {
  const config: Record<string, string> = {};
  for (const r of resources) {
    const name = r.targetName ?? r.sourceName;
    if (r.role === "db") {
      config[PROD_DATA_KEYS.dbInstanceId] = name;
      config[PROD_DATA_KEYS.dbEndpoint] = `<endpoint of ${name}, when restored>`;
    } else if (r.role === "table") {
      config[PROD_DATA_KEYS.tableName] = name;
    } else if (r.role === "volume") {
      config[PROD_DATA_KEYS.volumeId] = `<volume id restored from ${r.sourceName}>`;
    }
  }
  return config;
}

/** The prod config from the primary-region restores that completed. */
export function prodDataConfig(journal: FailbackJournal): Record<string, string> {
  const config: Record<string, string> = {};
  for (const plan of journal.plan) {
    const record = journal.jobs[plan.recoveryPointArn];
    const resource = journal.failback.resources.find((r) => r.sourceArn === plan.resourceArn);
    if (record?.status !== "COMPLETED" || !resource?.role || !record.resourceId) {
      continue;
    }
    if (resource.role === "db") {
      config[PROD_DATA_KEYS.dbInstanceId] = record.resourceId;
      if (record.endpoint) {
        config[PROD_DATA_KEYS.dbEndpoint] = record.endpoint;
      }
    } else if (resource.role === "table") {
      config[PROD_DATA_KEYS.tableName] = record.resourceId;
    } else {
      config[PROD_DATA_KEYS.volumeId] = record.resourceId;
    }
  }
  return config;
}

/**
 * Phase 6: prod takes the restored data by configuration, as the dr stack takes a recovery's: its
 * failback keys set to the restored identifiers, then `pulumi up`. Not by importing into prod's state,
 * which would need state surgery on the live stack and replace the pre-disaster resource's definition;
 * the config is reversible and leaves the pre-disaster resources untouched, kept until deleted.
 */
export async function runProdData(pc: PhaseContext): Promise<PhaseResult> {
  const config = prodDataConfig(pc.journal);
  if (Object.keys(config).length === 0) {
    return { outcome: "skipped", detail: "no restored resource feeds a prod config key" };
  }
  const result = await applyOnce(pc, pc.pre.prodStack, "prod", config);
  return result.ok
    ? {
        outcome: "ok",
        detail: `prod stack '${pc.pre.prodStack.name}' set to ${Object.keys(config).length} restored identifier(s)`,
      }
    : { outcome: "failed", detail: `prod stack update failed: ${result.message ?? "unknown error"}` };
}
