/** Reads the settings of a stack with `role: primary` (prod): capacity, data, backup plan, replication, vaults. */
import {
  BACKUP_PLAN_NAMES,
  chooseDatabaseWindows,
  NAMED_BACKUP_PLANS,
  ObjectiveEnforcement,
  REPLICA_STORAGE_CLASSES,
  validation,
} from "@restorekit/backup-restore-dr";
import { readCapacity } from "./capacity";
import { readData } from "./data";
import { readDatabase } from "./database";
import { isolationKeyWarnings, readIsolation } from "./isolation";
import { readPrincipals } from "./principals";
import { ConfigReader } from "./reader";
import { readExtraBuckets, readSourceKeys } from "./replication";
import { readRestored, readRestoredData } from "./restored";
import { CommonSettings, PrimarySettings } from "./settings";
import { readVaultLock } from "./vaultLock";

/** A primary stack's own settings on top of `common`, its keys read in the order they report problems. */
export function readPrimary(reader: ConfigReader, common: CommonSettings): PrimarySettings {
  const backupPlanName = reader.oneOf("backupPlan", BACKUP_PLAN_NAMES);
  const plan = NAMED_BACKUP_PLANS[backupPlanName]();
  const extraBuckets = readExtraBuckets(reader);
  const sourceKmsKeyArns = readSourceKeys(reader, extraBuckets);
  const appBucketName = reader.optional("appBucketName");
  if (appBucketName !== undefined) {
    validation
      .checkSourceBucket("appBucketName", appBucketName)
      .forEach((issue) => reader.problem("appBucketName", appBucketName, issue.rule));
  }
  const capacity = readCapacity(reader, ["minSize", "desiredCapacity", "maxSize"]);
  const holdServers = reader.boolean("holdServers");
  const database = readDatabase(reader);
  const volumeSizeGiB = reader.integer("volumeSizeGiB", 1, 16384);
  const replicateAppBucket = reader.boolean("replicateAppBucket");
  const restored = readRestored(reader, "primary");
  const isolation = readIsolation(reader);
  const customerManagedDataKey = reader.boolean("customerManagedDataKey");
  const data = readData(reader, () => ({ database, volumeSizeGiB, appBucketName, replicateAppBucket }));
  reader.warnings.push(...isolationKeyWarnings(data, isolation, customerManagedDataKey));
  return {
    ...common,
    role: "primary",
    capacity,
    holdServers,
    database,
    volumeSizeGiB,
    tableSizeGiB: reader.integer("tableSizeGiB", 1),
    appBucketName,
    data,
    backupPlanName,
    plan,
    databaseWindows: chooseDatabaseWindows(plan),
    replication: {
      replicateAppBucket,
      extraBuckets,
      sourceKmsKeyArns,
      replicationTimeControl: reader.boolean("replicationTimeControl"),
      replicaStorageClass: reader.oneOf("replicaStorageClass", REPLICA_STORAGE_CLASSES),
      replicaObjectLockDays: reader.integer("replicaObjectLockDays", 0, 36500),
    },
    copyLandingMinutes: reader.integer("copyLandingMinutes", 0),
    objectivesEnforcement: reader.oneOf<ObjectiveEnforcement>("objectivesEnforcement", ["error", "warn"]),
    vaultLock: readVaultLock(reader, plan),
    breakGlassPrincipalArns: readPrincipals(reader, "breakGlassPrincipalArns"),
    deployerPrincipalArns: readPrincipals(reader, "deployerPrincipalArns"),
    isolation,
    customerManagedDataKey,
    auditFramework: reader.boolean("auditFramework"),
    restored,
    restoredData: readRestoredData(reader, "primary", restored),
  };
}
