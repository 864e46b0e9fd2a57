// The dr stack outputs the recovery CLI reads and what it sets after a restore, as plain types.
import type { RtoForecast } from "@restorekit/backup-restore-dr";
import type { DrSettings } from "./config";

/**
 * The dr stack outputs the recovery CLI reads (docs/CONTRACTS.md), as plain values. stacks/dr.ts exports
 * them and scripts/recovery/drStack.ts reads them; this module holds only types, so the scripts take the shape from
 * here without loading the program that registers the resources.
 */
export interface DrContractOutputs {
  readonly role: "dr";
  readonly mode: DrSettings["mode"];
  readonly region: string;
  readonly primaryRegion: string;
  readonly drVaultName: string;
  readonly primaryVaultName: string;
  readonly backupRoleArn: string;
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  readonly availabilityZones: string[];
  readonly appSecurityGroupId: string;
  readonly dbSecurityGroupId: string;
  readonly dbSubnetGroupName: string;
  readonly loadBalancerDnsName: string;
  readonly healthCheckUrl: string;
  readonly rpoMinutes: number;
  readonly rtoMinutes: number;
  /**
   * Prod's RTO forecast (its posture's `rtoForecast`) with the inputs it was computed from: `dr status`
   * calibrates it with measured restores. Absent when prod declares no forecast.
   */
  readonly rtoForecast: RtoForecast | undefined;
  /** Source bucket name -> replica bucket name, as the prod stack reports it. */
  readonly replicaBuckets: Record<string, string>;
  /**
   * ARN of the stack's Secrets Manager secret, in its own region, holding the application's database
   * credential: the recovery CLI (a failback on prod's) writes it after restoring the database, the
   * servers read it (stacks/databaseCredential.ts).
   */
  readonly dbCredentialSecretArn: string;
  /** What the CLI sets on what it restores, so that it is protected as prod's own data is. */
  readonly restoredSettings: RestoredSettings;
  /**
   * The data prod's servers use, as the prod stack reported it (its `appData`) at this stack's last update:
   * after a failback, whose last step updates this stack, the `fb-` copies. A recovery wires these over the
   * resources they replaced, the volume too, whose copy has no name to tell it by. Absent from a prod stack
   * that does not report it (the recovery then asks for `--app-resource` between two candidates).
   */
  readonly primaryAppData: PrimaryAppData;
}

/** Identifiers of the data prod's servers use (the prod stack's `appData` output, stacks/failedBack.ts). */
export interface PrimaryAppData {
  readonly dbEndpoint?: string;
  readonly dbInstanceId?: string;
  readonly tableName?: string;
  readonly bucketName?: string;
  readonly volumeId?: string;
}

/**
 * Prod's settings a restored resource does not bring back by itself, which the recovery CLI sets after a
 * restore of prod's data (a recovery's in DR, a failback's in prod): the selection tags (a restored DynamoDB
 * table carries no tags, AWS Backup developer guide "Restore a backup by resource type", Copy tags during a
 * restore) and the databases' windows (`PreferredBackupWindow` is not a restore key: RDS picks one at random).
 */
export interface RestoredSettings {
  /** Prod's backup selection tags, e.g. `{ backup: "true" }`. */
  readonly selectionTags: Record<string, string>;
  /** Prod's databases' daily backup window (`hh24:mi-hh24:mi` UTC); absent when prod does not report it. */
  readonly backupWindow?: string;
  /** Prod's databases' weekly maintenance window (`ddd:hh24:mi-ddd:hh24:mi` UTC); absent likewise. */
  readonly maintenanceWindow?: string;
}

/** The outputs the program knows from its config alone; the others come from resources or from prod. */
export type DrOutputsFromConfig = "role" | "mode" | "region" | "primaryRegion";

/** The list and map outputs: the recovery CLI reads them as empty, never absent, on a half-built stack. */
export type DrCollectionOutputs =
  "privateSubnetIds" | "publicSubnetIds" | "availabilityZones" | "replicaBuckets";
