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
import { readDatabase } from "./database";
import { readPrincipals } from "./principals";
import { ConfigReader } from "./reader";
import { readExtraBuckets, readSourceKeys } from "./replication";
import { readRestored } from "./restored";
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
  return {
    ...common,
    role: "primary",
    capacity: readCapacity(reader, ["minSize", "desiredCapacity", "maxSize"]),
    holdServers: reader.boolean("holdServers"),
    database: readDatabase(reader),
    volumeSizeGiB: reader.integer("volumeSizeGiB", 1, 16384),
    tableSizeGiB: reader.integer("tableSizeGiB", 1),
    appBucketName,
    backupPlanName,
    plan,
    databaseWindows: chooseDatabaseWindows(plan),
    replication: {
      replicateAppBucket: reader.boolean("replicateAppBucket"),
      extraBuckets,
      sourceKmsKeyArns,
      replicationTimeControl: reader.boolean("replicationTimeControl"),
      replicaStorageClass: reader.oneOf("replicaStorageClass", REPLICA_STORAGE_CLASSES),
    },
    copyLandingMinutes: reader.integer("copyLandingMinutes", 0),
    objectivesEnforcement: reader.oneOf<ObjectiveEnforcement>("objectivesEnforcement", ["error", "warn"]),
    vaultLock: readVaultLock(reader, plan),
    breakGlassPrincipalArns: readPrincipals(reader, "breakGlassPrincipalArns"),
    deployerPrincipalArns: readPrincipals(reader, "deployerPrincipalArns"),
    restored: readRestored(reader, "primary"),
  };
}
