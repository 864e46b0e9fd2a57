import { DR_CONFIG_KEYS, DrStackOutputs } from "../drStack";
import { PlannedRestore, RunJournal } from "../journal";
import { ResourceType } from "../resourceTypes";

/** Which restored resource feeds each of the dr stack's single-valued config keys. */
export interface AppResources {
  readonly db?: PlannedRestore;
  readonly table?: PlannedRestore;
  readonly volume?: PlannedRestore;
  readonly bucket?: PlannedRestore;
}

const roles: Array<{ role: keyof AppResources; types: ResourceType[]; key: string }> = [
  { role: "db", types: ["RDS", "Aurora"], key: "restoredDbEndpoint / restoredDbInstanceId" },
  { role: "table", types: ["DynamoDB"], key: "restoredTableName" },
  { role: "volume", types: ["EBS"], key: "restoredVolumeId" },
  { role: "bucket", types: ["S3"], key: "restoredBucketName" },
];

/** The restores chosen for the dr stack config, and every reason a real run would refuse the choice. */
export interface AppResourceChoice {
  readonly app: AppResources;
  /** One sentence per unmatched --app-resource and per ambiguous role; empty when all is clear. */
  readonly problems: string[];
}

/**
 * Picks, per role, the restore whose result goes into the dr stack config. One candidate is taken
 * as is; several need `--app-resource <arn|name>` naming the one the application uses. Every
 * problem is collected, with the candidates' ARNs, so one run (or one --dry-run) shows them all,
 * before anything starts.
 */
export function chooseAppResources(
  plan: readonly PlannedRestore[],
  designated: readonly string[],
): AppResourceChoice {
  const choice: Partial<Record<keyof AppResources, PlannedRestore>> = {};
  const problems: string[] = [];
  const matches = (p: PlannedRestore, value: string) =>
    p.resourceArn === value || p.recoveryPointArn === value || p.resourceName === value;
  for (const value of designated) {
    if (!plan.some((p) => matches(p, value))) {
      problems.push(`--app-resource '${value}' matches none of the recovery points to restore`);
    }
  }
  for (const { role, types, key } of roles) {
    const candidates = plan.filter((p) => types.includes(p.resourceType));
    const named = candidates.filter((p) => designated.some((d) => matches(p, d)));
    const pool = named.length > 0 ? named : candidates;
    if (pool.length > 1) {
      problems.push(
        `${pool.length} ${types.join("/")} resources will be restored but the dr stack takes one ${key}: name one with --app-resource <arn|name>: ${pool
          .map((p) => `${p.resourceName} (${p.resourceArn})`)
          .join(", ")}`,
      );
    } else if (pool.length === 1) {
      choice[role] = pool[0];
    }
  }
  return { app: choice, problems };
}

/** The config split by when it is known: before the restores finish, or only after. */
export interface DrConfigPlan {
  /** `mode: active` and the names the CLI chose: can be applied while the data is restoring. */
  readonly early: Record<string, string>;
  /** Restores whose results (endpoint, volume id) the remaining keys need. */
  readonly lateDependencies: PlannedRestore[];
}

/** What the dr stack config needs, and which of it is known up front. */
export function planDrConfig(app: AppResources, outputs: DrStackOutputs): DrConfigPlan {
  const early: Record<string, string> = { [DR_CONFIG_KEYS.mode]: "active" };
  if (app.db?.targetName) {
    early[DR_CONFIG_KEYS.restoredDbInstanceId] = app.db.targetName;
  }
  if (app.table?.targetName) {
    early[DR_CONFIG_KEYS.restoredTableName] = app.table.targetName;
  }
  const replicas = Object.values(outputs.replicaBuckets);
  if (app.bucket?.targetName) {
    early[DR_CONFIG_KEYS.restoredBucketName] = app.bucket.targetName;
  } else if (replicas.length === 1) {
    // No S3 restore: the app reads the cross-region replica, already in the DR region.
    early[DR_CONFIG_KEYS.restoredBucketName] = replicas[0];
  }
  return {
    early,
    lateDependencies: [app.db, app.volume].filter((p): p is PlannedRestore => p !== undefined),
  };
}

/** The config that needed finished restores, from the journal (only restores that completed). */
export function lateDrConfig(app: AppResources, journal: RunJournal): Record<string, string> {
  const config: Record<string, string> = {};
  const db = app.db ? journal.jobs[app.db.recoveryPointArn] : undefined;
  if (db?.status === "COMPLETED" && db.endpoint) {
    config[DR_CONFIG_KEYS.restoredDbEndpoint] = db.endpoint;
  }
  const volume = app.volume ? journal.jobs[app.volume.recoveryPointArn] : undefined;
  if (volume?.status === "COMPLETED" && volume.resourceId) {
    config[DR_CONFIG_KEYS.restoredVolumeId] = volume.resourceId;
  }
  return config;
}

/** Placeholders for the late keys, for --dry-run. */
export function lateDrConfigPreview(app: AppResources): Record<string, string> {
  const config: Record<string, string> = {};
  if (app.db) {
    config[DR_CONFIG_KEYS.restoredDbEndpoint] =
      `<endpoint of ${app.db.targetName ?? app.db.resourceName}, when restored>`;
  }
  if (app.volume) {
    config[DR_CONFIG_KEYS.restoredVolumeId] = `<volume id restored from ${app.volume.resourceName}>`;
  }
  return config;
}
