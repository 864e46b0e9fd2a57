// The backup plan in the primary region, and its rules in the provider's form for plans the component lacks.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext } from "./context";
import { toAwsLifecycle } from "./lifecycle";
import { physicalName, PLAN_NAME } from "./naming";
import {
  BackupPlanArgs,
  BackupRuleArgs,
  copyLifecycle,
  DEFAULT_COMPLETION_WINDOW_MINUTES,
  DEFAULT_SCHEDULE,
  DEFAULT_START_WINDOW_MINUTES,
} from "./rule";
import { DEFAULT_TIME_ZONE } from "./schedule";

/**
 * The provider's form of one rule: store in `vaults.targetVaultName`, copy to `vaults.copyVaultArn` when
 * asked, and then also to `vaults.isolatedVaultArn` when given, with the same retention and no cold storage.
 */
export function toAwsRule(rule: BackupRuleArgs, vaults: PlanVaultsArgs): aws.types.input.backup.PlanRule {
  const copy = copyLifecycle(rule);
  const { targetVaultName, copyVaultArn, isolatedVaultArn } = vaults;
  return {
    ruleName: rule.name,
    targetVaultName,
    schedule: rule.schedule ?? DEFAULT_SCHEDULE,
    scheduleExpressionTimezone: rule.scheduleTimezone ?? DEFAULT_TIME_ZONE,
    startWindow: rule.startWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES,
    completionWindow: rule.completionWindowMinutes ?? DEFAULT_COMPLETION_WINDOW_MINUTES,
    enableContinuousBackup: rule.enableContinuousBackup ?? false,
    lifecycle: toAwsLifecycle(rule.lifecycle),
    recoveryPointTags: rule.recoveryPointTags,
    copyActions: copy
      ? [
          { destinationVaultArn: copyVaultArn, lifecycle: toAwsLifecycle(copy) },
          ...(isolatedVaultArn !== undefined
            ? [{ destinationVaultArn: isolatedVaultArn, lifecycle: { deleteAfter: copy.deleteAfterDays } }]
            : []),
        ]
      : [],
  };
}

/** The vaults of a backup plan outside the component. */
export interface PlanVaultsArgs {
  /** Name of the vault every rule stores its recovery points in (the plan's region). */
  readonly targetVaultName: pulumi.Input<string>;
  /** ARN of the vault a rule with `copyToDr` copies to (another region), with the copy's lifecycle. */
  readonly copyVaultArn: pulumi.Input<string>;
  /**
   * ARN of a logically air-gapped vault each rule with `copyToDr` also copies to, keeping the copy's
   * retention in warm storage.
   * Default: none.
   */
  readonly isolatedVaultArn?: pulumi.Input<string>;
}

/**
 * The `rules` input of an `aws.backup.Plan` for `plan`, with the component's defaults and lifecycle
 * mapping, storing in and copying to the given vaults: for a plan the component does not create, such
 * as one in the DR region that protects what a recovery restored there and copies it back to the
 * primary vault. Validate `plan` first (`validation.checkPlan`).
 */
export function toAwsPlanRules(
  plan: BackupPlanArgs,
  vaults: PlanVaultsArgs,
): aws.types.input.backup.PlanRule[] {
  return plan.rules.map((rule) => toAwsRule(rule, vaults));
}

/** Creates the backup plan in the primary region. */
export function createPlan(
  ctx: ComponentContext,
  plan: BackupPlanArgs,
  primaryVaultName: pulumi.Input<string>,
  drVaultArn: pulumi.Input<string>,
  isolatedVaultArn: pulumi.Input<string> | undefined,
): aws.backup.Plan {
  const logicalName = `${ctx.name}-plan`;
  return new aws.backup.Plan(
    logicalName,
    {
      region: ctx.primaryRegion,
      name: plan.name ?? physicalName(logicalName, PLAN_NAME),
      rules: toAwsPlanRules(plan, {
        targetVaultName: primaryVaultName,
        copyVaultArn: drVaultArn,
        ...(isolatedVaultArn !== undefined && { isolatedVaultArn }),
      }),
      tags: ctx.tags,
    },
    ctx.child,
  );
}
