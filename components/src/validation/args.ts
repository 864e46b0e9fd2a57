import { BackupRestoreDRArgs } from "../backupRestoreDRArgs";
import { isKnown, ValidationIssue } from "./issue";
import { checkArn } from "./arns";
import { BACKUP_RESTORE_DR_ARGS_SHAPE } from "./argsShape";
import { checkObjectivesArgs } from "./objectives";
import { checkMonitoring, checkRestoreTesting } from "./operations";
import { checkRegions } from "./regions";
import { checkReplication } from "./replication";
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
  const vaults = args.vaults ?? {};
  const keyIssues = (["primaryKmsKeyArn", "drKmsKeyArn"] as const).flatMap((field) => {
    const value = vaults[field];
    return value !== undefined && isKnown(value) ? checkArn(`vaults.${field}`, value, "kms") : [];
  });
  return [
    ...checkRegions(args.primaryRegion, args.drRegion),
    ...checkVaults(vaults, args.plan.rules),
    ...keyIssues,
    ...checkPlan(args.plan),
    ...checkSelection(args.selection),
    ...(args.replication ? checkReplication(args.replication) : []),
    ...(args.objectives ? checkObjectivesArgs(args.objectives) : []),
    ...(args.monitoring ? checkMonitoring(args.monitoring) : []),
    ...(args.restoreTesting ? checkRestoreTesting(args.restoreTesting) : []),
  ];
}
