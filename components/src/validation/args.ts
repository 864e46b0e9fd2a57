// `validateArgs`: every rule of the component's arguments that can be checked before anything is created.
import { BackupRestoreDRArgs } from "../backupRestoreDRArgs";
import { ValidationIssue } from "./issue";
import { BACKUP_RESTORE_DR_ARGS_SHAPE } from "./argsShape";
import { checkDatabaseWindows } from "./databaseWindows";
import { checkIsolation } from "./isolation";
import { checkObjectivesArgs } from "./objectives";
import { checkAuditFramework, checkMonitoring, checkRestoreTesting } from "./operations";
import { checkRegions } from "./regions";
import { checkReplicaObjectLock, checkReplication } from "./replication";
import { checkRtoForecastArgs } from "./rtoForecast";
import { checkPlan } from "./rule";
import { checkSelection } from "./selection";
import { checkShape } from "./shape";
import { checkVaults } from "./vault";

/**
 * Every rule AWS enforces on the component's arguments that can be checked before anything is created.
 * Inputs that are still unknown (Outputs) are skipped here and checked when they resolve. Arguments of
 * the wrong shape (missing, mistyped, unknown) are reported alone: the other rules assume the shape.
 */
export function validateArgs(args: BackupRestoreDRArgs): ValidationIssue[] {
  const shapeIssues = checkShape("args", args, BACKUP_RESTORE_DR_ARGS_SHAPE, "BackupRestoreDR");
  if (shapeIssues.length > 0) {
    return shapeIssues;
  }
  return [
    ...checkRegions(args.primaryRegion, args.drRegion),
    ...checkVaults(args.vaults ?? {}, args.plan.rules),
    ...(args.isolation ? checkIsolation(args.isolation, args.plan.rules) : []),
    ...checkPlan(args.plan),
    ...checkSelection(args.selection),
    ...(args.databaseWindows ? checkDatabaseWindows(args.databaseWindows, args.plan.rules) : []),
    ...(args.replication ? checkReplication(args.replication) : []),
    ...(args.replication?.objectLock
      ? checkReplicaObjectLock(args.replication.objectLock, args.plan.rules)
      : []),
    ...(args.objectives ? checkObjectivesArgs(args.objectives) : []),
    ...(args.rtoForecast ? checkRtoForecastArgs(args.rtoForecast) : []),
    ...(args.monitoring ? checkMonitoring(args.monitoring) : []),
    ...(args.restoreTesting ? checkRestoreTesting(args.restoreTesting) : []),
    ...(args.auditFramework
      ? checkAuditFramework(args.auditFramework, args.objectives, args.rtoForecast, args.selection.tags)
      : []),
  ];
}
