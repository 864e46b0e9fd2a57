// AWS Backup restore testing of the DR vault: the plan and one selection per resource type.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext } from "./context";
import { DEFAULT_TIME_ZONE } from "./schedule";
import { conditionKey } from "./selection";

/** Resource types AWS Backup restore testing can test. */
export const RestoreTestingResourceType = {
  Aurora: "Aurora",
  DocumentDB: "DocumentDB",
  DynamoDB: "DynamoDB",
  EBS: "EBS",
  EC2: "EC2",
  EFS: "EFS",
  FSx: "FSx",
  Neptune: "Neptune",
  RDS: "RDS",
  S3: "S3",
} as const;
/** Resource types AWS Backup restore testing can test. */
export type RestoreTestingResourceType =
  (typeof RestoreTestingResourceType)[keyof typeof RestoreTestingResourceType];

/** The restore testing resource types, for checks at run time. */
export const RESTORE_TESTING_RESOURCE_TYPES: readonly RestoreTestingResourceType[] =
  Object.values(RestoreTestingResourceType);

/** One protected resource type to restore-test. */
export interface RestoreTestingSelectionArgs {
  /** The resource type, e.g. `RDS`. */
  readonly resourceType: RestoreTestingResourceType;
  /**
   * Hours AWS Backup keeps the restored resource for your validation before deleting it: 1-168.
   * Default: 24.
   */
  readonly validationWindowHours?: number;
  /**
   * Restore metadata to use instead of what AWS Backup infers (keys are not case-sensitive), e.g.
   * `{ dbSubnetGroupName: "dr-db" }` for RDS in the DR VPC.
   * Default: none.
   */
  readonly restoreMetadataOverrides?: { [key: string]: string };
}

/** AWS Backup restore testing of the DR vault: the automatic form of the quarterly DR drill. */
export interface RestoreTestingArgs {
  /**
   * When tests run, as an AWS cron expression.
   * Default: "cron(0 6 1 1,4,7,10 ? *)" (quarterly, 06:00 on the first day of the quarter).
   */
  readonly schedule?: string;
  /**
   * IANA time zone of the schedule.
   * Default: "Etc/UTC".
   */
  readonly scheduleTimezone?: string;
  /**
   * Hours within which a test must start: 1-168.
   * Default: 24.
   */
  readonly startWindowHours?: number;
  /**
   * How far back, in days, a recovery point may be chosen: 1-365.
   * Default: 7.
   */
  readonly selectionWindowDays?: number;
  /** The resource types to test, one selection each, at most one per type. */
  readonly selections: RestoreTestingSelectionArgs[];
}

/** Quarterly, like the guide's drill. */
export const DEFAULT_RESTORE_TESTING_SCHEDULE = "cron(0 6 1 1,4,7,10 ? *)";
/** A valid restore testing name made from `base`: other characters become `_`. */
export function restoreTestingName(base: string): string {
  return base.replace(/[^0-9A-Za-z_]/g, "_").slice(0, 50);
}

/**
 * Creates a restore testing plan on the DR vault (newest snapshot within the selection window) and a
 * selection per resource type, limited to the resources the backup selection's tags pick.
 */
export function createRestoreTesting(
  ctx: ComponentContext,
  args: RestoreTestingArgs,
  drVaultArn: pulumi.Output<string>,
  roleArn: pulumi.Input<string>,
  selectionTags: { [key: string]: string } | undefined,
): aws.backup.RestoreTestingPlan {
  const plan = new aws.backup.RestoreTestingPlan(
    `${ctx.name}-restore-testing`,
    {
      region: ctx.drRegion,
      name: restoreTestingName(`${ctx.name}_restore_testing`),
      scheduleExpression: args.schedule ?? DEFAULT_RESTORE_TESTING_SCHEDULE,
      scheduleExpressionTimezone: args.scheduleTimezone ?? DEFAULT_TIME_ZONE,
      startWindowHours: args.startWindowHours ?? 24,
      recoveryPointSelection: {
        algorithm: "LATEST_WITHIN_WINDOW",
        includeVaults: [drVaultArn],
        recoveryPointTypes: ["SNAPSHOT"],
        selectionWindowDays: args.selectionWindowDays ?? 7,
      },
      tags: ctx.tags,
    },
    ctx.child,
  );
  const tags = Object.entries(selectionTags ?? {});
  for (const selection of args.selections) {
    new aws.backup.RestoreTestingSelection(
      `${ctx.name}-restore-testing-${selection.resourceType.toLowerCase()}`,
      {
        region: ctx.drRegion,
        name: restoreTestingName(`${selection.resourceType}_selection`),
        restoreTestingPlanName: plan.name,
        protectedResourceType: selection.resourceType,
        iamRoleArn: roleArn,
        // The provider takes exactly one of the two (ExactlyOneOf in terraform-provider-aws's
        // restore_testing_selection.go): the selection's tags when it has any, else every resource of the
        // type with a recovery point in the DR vault.
        ...(tags.length > 0
          ? {
              protectedResourceConditions: {
                stringEquals: tags.map(([key, value]) => ({ key: conditionKey(key), value })),
              },
            }
          : { protectedResourceArns: ["*"] }),
        validationWindowHours: selection.validationWindowHours ?? 24,
        restoreMetadataOverrides: selection.restoreMetadataOverrides,
      },
      ctx.child,
    );
  }
  return plan;
}
