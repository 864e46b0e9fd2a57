// The component's arguments: regions, vaults, plan, selection, replication, objectives, monitoring, tags.
import * as pulumi from "@pulumi/pulumi";
import { AuditFrameworkArgs } from "./auditFramework";
import { DatabaseWindowsArgs } from "./databaseWindows";
import { IsolationArgs } from "./isolatedVault";
import { MonitoringArgs } from "./monitoring";
import { DrObjectivesArgs } from "./objectives";
import { S3ReplicationArgs } from "./replication";
import { RestoreTestingArgs } from "./restoreTesting";
import { RtoForecastArgs } from "./rtoForecast";
import { BackupPlanArgs } from "./rule";
import { BackupSelectionArgs } from "./selection";
import { VaultPairArgs } from "./vaultPair";

/** Arguments of `BackupRestoreDR`. */
export interface BackupRestoreDRArgs {
  /** Region of the protected resources, the primary vault and the backup plan, e.g. `us-east-1`. */
  readonly primaryRegion: string;
  /** Region of the DR vault and the S3 replicas, e.g. `us-west-2`; must differ from `primaryRegion`. */
  readonly drRegion: string;
  /**
   * The vault pair, its keys, lock and access policy.
   * Default: both vaults auto-named, each with a new rotating KMS key, deletion denied, no lock.
   */
  readonly vaults?: VaultPairArgs;
  /**
   * The isolated copy: a logically air-gapped vault in the DR region, under a compliance lock no one in the
   * account can lift, receiving a second copy of every recovery point copied to DR.
   * Default: off (see `IsolationArgs.enabled`).
   */
  readonly isolation?: IsolationArgs;
  /** The backup plan: rules with schedules, lifecycles and copies to DR. `BackupPlanPresets.seed()` is a start. */
  readonly plan: BackupPlanArgs;
  /** Which resources the plan protects, e.g. `{ tags: { backup: "true" } }`. */
  readonly selection: BackupSelectionArgs;
  /**
   * The backup and maintenance windows of the RDS databases the selection protects. AWS Backup starts no
   * snapshot of a database within an hour before, or during, either window; the component rejects a plan
   * with a run whose whole start window falls there (it would expire, silently widening the RPO). Without
   * set windows RDS picks them at random in an 8-hour block (03:00-11:00 UTC in us-east-1), which nothing
   * can check: set them on the databases and here (`chooseDatabaseWindows(plan)` derives a pair).
   * Default: not checked.
   */
  readonly databaseWindows?: DatabaseWindowsArgs;
  /**
   * S3 cross-region replication of buckets into replicas in the DR region.
   * Default: no replication.
   */
  readonly replication?: S3ReplicationArgs;
  /**
   * Recovery objectives the plan is checked against; the computed worst case is in `posture`.
   * Default: none: the posture is computed and shown, not enforced.
   */
  readonly objectives?: DrObjectivesArgs;
  /**
   * What a recovery restores (kind and size of each resource) and the minutes of its other steps: the
   * component forecasts the RTO from them (`posture.rtoForecast`) and checks it against
   * `objectives.rtoMinutes` as it checks the RPO.
   * Default: no forecast.
   */
  readonly rtoForecast?: RtoForecastArgs;
  /**
   * Alerts on failed, aborted and expired jobs in both regions: SNS topics, EventBridge rules, vault
   * notifications and CloudWatch alarms.
   * Default: enabled, with no email subscription.
   */
  readonly monitoring?: MonitoringArgs;
  /**
   * AWS Backup restore testing of the DR vault, the automatic form of the quarterly drill.
   * Default: no restore testing.
   */
  readonly restoreTesting?: RestoreTestingArgs;
  /**
   * An AWS Backup Audit Manager framework checking the objectives continuously: restore time within the
   * RTO (RESTORE_TIME_FOR_RESOURCES_MEET_TARGET), the last recovery point within the RPO, copies to the DR
   * region, the vault lock. Charged per control evaluation; needs AWS Config recording in the primary region.
   * Default: no framework.
   */
  readonly auditFramework?: AuditFrameworkArgs;
  /**
   * Keep vaults, KMS keys and replica buckets in AWS when they leave the stack (`pulumi destroy` or a
   * replacement): they may hold the only copy of the data. Set false only for throw-away environments.
   * Default: true.
   */
  readonly retainOnDelete?: boolean;
  /**
   * Tags for every taggable resource the component creates.
   * Default: none.
   */
  readonly tags?: { [key: string]: pulumi.Input<string> };
}
