import { expect } from "chai";
import * as component from "@restorekit/backup-restore-dr";

// The package's runtime exports are frozen public API (components/README.md, "Versioning policy"): a name
// added here is a minor release, a name removed a major one. Change these lists only together with the
// README and the CHANGELOG.

const TOP_LEVEL = [
  "AwsCronError",
  "BACKUP_PLAN_NAMES",
  "BackupPlanPresets",
  "BackupRestoreDR",
  "BackupRestoreDRValidationError",
  "DEFAULT_COMPLETION_WINDOW_MINUTES",
  "DEFAULT_COPY_LANDING_MINUTES",
  "DEFAULT_HORIZON_START",
  "DEFAULT_RESTORE_TESTING_SCHEDULE",
  "DEFAULT_SCHEDULE",
  "DEFAULT_START_WINDOW_MINUTES",
  "DEFAULT_TIME_ZONE",
  "DR_FAILURE_METRICS",
  "FAILURE_METRICS",
  "NAMED_BACKUP_PLANS",
  "OBJECT_LOCK_MODES",
  "ObjectiveEnforcement",
  "REPLICA_STORAGE_CLASSES",
  "RESTORE_TESTING_RESOURCE_TYPES",
  "RESTORE_TIME_KINDS",
  "RESTORE_TIME_TERMS",
  "RestoreTestingResourceType",
  "RestoreTimeKind",
  "VaultLockMode",
  "auditControlNames",
  "auditScopeTag",
  "backupPlanByName",
  "chooseDatabaseWindows",
  "computePosture",
  "copyLifecycle",
  "createJobAlerts",
  "estimateRestore",
  "forecastRto",
  "parseAwsCron",
  "toAwsPlanRules",
  "validation",
  "worstCaseIntervalMinutes",
];

const VALIDATION = [
  "BACKUP_NAME_PATTERN",
  "BUCKET_NAME_PATTERN",
  "BackupRestoreDRValidationError",
  "KNOWN_REGIONS",
  "MAX_CONTINUOUS_RETENTION_DAYS",
  "MAX_RETENTION_DAYS",
  "MAX_SELECTION_ARNS",
  "MAX_SELECTION_WILDCARD_ARNS",
  "MAX_WINDOW_MINUTES",
  "MIN_CHANGEABLE_FOR_DAYS",
  "MIN_COLD_STORAGE_DAYS",
  "MIN_START_WINDOW_MINUTES",
  "VAULT_NAME_PATTERN",
  "checkArn",
  "checkAuditFramework",
  "checkDatabaseWindows",
  "checkIsolation",
  "checkLifecycle",
  "checkLock",
  "checkMonitoring",
  "checkName",
  "checkObjectivesArgs",
  "checkPlan",
  "checkRegions",
  "checkReplicaObjectLock",
  "checkReplication",
  "checkRestoreTesting",
  "checkRetentionWithinLock",
  "checkRpo",
  "checkRto",
  "checkRtoForecastArgs",
  "checkRule",
  "checkSchedule",
  "checkSelection",
  "checkSelectionArns",
  "checkSourceBucket",
  "checkTimezone",
  "checkVaults",
  "checkWindows",
  "databaseWindowOverlapMinutes",
  "deferredValueName",
  "formatIssue",
  "isKnown",
  "partitionOf",
  "throwIfInvalid",
  "validateArgs",
];

describe("package exports", () => {
  it("exports exactly the documented runtime names at the top level", () => {
    expect(Object.keys(component).sort()).to.deep.equal(TOP_LEVEL);
  });

  it("exports exactly these checks under validation", () => {
    expect(Object.keys(component.validation).sort()).to.deep.equal(VALIDATION);
  });

  it("exports the validation error class at the top level and under validation as one class", () => {
    expect(component.BackupRestoreDRValidationError).to.equal(
      component.validation.BackupRestoreDRValidationError,
    );
  });

  it("keeps the internals out: resource builders, naming and AWS mapping helpers", () => {
    for (const internal of [
      "createPlan",
      "createVaultPair",
      "createMonitoring",
      "toAwsRule",
      "physicalName",
    ]) {
      expect(component, internal).not.to.have.property(internal);
    }
  });
});
