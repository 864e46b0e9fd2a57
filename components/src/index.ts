// The package's public API, named one by one: under the versioning policy (README.md) every name here is
// frozen until the next major version, so internals (the create* functions, naming and AWS mapping
// helpers, which take the unexported ComponentContext) stay out. test/components/exports.test.ts pins the
// runtime list.

// The component, its arguments and its outputs.
export { BackupRestoreDR } from "./backupRestoreDR";
export type { BackupRestoreDRArgs } from "./backupRestoreDRArgs";
export type { VaultLockArgs, VaultPairArgs } from "./vaultPair";
export type { IsolationArgs } from "./isolatedVault";
export type { BackupPlanArgs, BackupRuleArgs, CopyToDrArgs } from "./rule";
export { toAwsPlanRules } from "./plan";
export type { PlanVaultsArgs } from "./plan";
export type { LifecycleArgs } from "./lifecycle";
export type { BackupSelectionArgs, SelectionConditionsArgs, TagConditionArgs } from "./selection";
export { chooseDatabaseWindows } from "./databaseWindows";
export type { DatabaseWindowsArgs } from "./databaseWindows";
export { OBJECT_LOCK_MODES, REPLICA_STORAGE_CLASSES } from "./replication";
export type { ReplicaObjectLockArgs, ReplicatedBucketArgs, S3ReplicationArgs } from "./replication";
export { ObjectiveEnforcement } from "./objectives";
export type { DrObjectivesArgs } from "./objectives";
export { createJobAlerts, DR_FAILURE_METRICS, FAILURE_METRICS } from "./monitoring";
export type { JobAlertsArgs, JobKind, MonitoringArgs } from "./monitoring";
export { RESTORE_TESTING_RESOURCE_TYPES, RestoreTestingResourceType } from "./restoreTesting";
export type { RestoreTestingArgs, RestoreTestingSelectionArgs } from "./restoreTesting";
export { RESTORE_TIME_KINDS, RESTORE_TIME_TERMS, RestoreTimeKind, estimateRestore } from "./restoreTime";
export type { RestoreEstimate, RestoreEstimateArgs, RestoreTimeTerms } from "./restoreTime";
export { forecastRto } from "./rtoForecast";
export type { ForecastRestore, RtoForecast, RtoForecastArgs } from "./rtoForecast";
export type { AuditFrameworkArgs } from "./auditFramework";
export { auditControlNames, auditScopeTag } from "./auditFramework";
export { VaultLockMode } from "./posture";
export type { DrPosture, IsolatedPosture, LockPosture, RegionPosture } from "./posture";

// The defaults the component applies, for tools that describe a deployment as it will be.
export { DEFAULT_COMPLETION_WINDOW_MINUTES, DEFAULT_SCHEDULE, DEFAULT_START_WINDOW_MINUTES } from "./rule";
export { DEFAULT_COPY_LANDING_MINUTES } from "./objectives";
export { DEFAULT_RESTORE_TESTING_SCHEDULE } from "./restoreTesting";

// Presets.
export { BACKUP_PLAN_NAMES, backupPlanByName, BackupPlanPresets, NAMED_BACKUP_PLANS } from "./presets";
export type { BackupPlanName } from "./presets";

// Schedule and objectives helpers: the arithmetic behind the `posture` output.
export {
  AwsCronError,
  DEFAULT_HORIZON_START,
  DEFAULT_TIME_ZONE,
  parseAwsCron,
  worstCaseIntervalMinutes,
} from "./schedule";
export type { AwsCronSchedule, WorstCaseIntervalOptions } from "./schedule";
export { computePosture } from "./posture";
export { copyLifecycle } from "./rule";

// Validation: the error the constructor throws, and every check on its own.
export { BackupRestoreDRValidationError } from "./validation/issue";
export type { ValidationIssue } from "./validation/issue";
export * as validation from "./validation";
