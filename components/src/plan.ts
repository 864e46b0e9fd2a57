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

/** The provider's form of one rule: target the primary vault, copy to the DR vault when asked. */
export function toAwsRule(
  rule: BackupRuleArgs,
  primaryVaultName: pulumi.Input<string>,
  drVaultArn: pulumi.Input<string>,
): aws.types.input.backup.PlanRule {
  const copy = copyLifecycle(rule);
  return {
    ruleName: rule.name,
    targetVaultName: primaryVaultName,
    schedule: rule.schedule ?? DEFAULT_SCHEDULE,
    scheduleExpressionTimezone: rule.scheduleTimezone ?? DEFAULT_TIME_ZONE,
    startWindow: rule.startWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES,
    completionWindow: rule.completionWindowMinutes ?? DEFAULT_COMPLETION_WINDOW_MINUTES,
    enableContinuousBackup: rule.enableContinuousBackup ?? false,
    lifecycle: toAwsLifecycle(rule.lifecycle),
    recoveryPointTags: rule.recoveryPointTags,
    copyActions: copy ? [{ destinationVaultArn: drVaultArn, lifecycle: toAwsLifecycle(copy) }] : [],
  };
}

/** Creates the backup plan in the primary region. */
export function createPlan(
  ctx: ComponentContext,
  plan: BackupPlanArgs,
  primaryVaultName: pulumi.Input<string>,
  drVaultArn: pulumi.Input<string>,
): aws.backup.Plan {
  const logicalName = `${ctx.name}-plan`;
  return new aws.backup.Plan(
    logicalName,
    {
      region: ctx.primaryRegion,
      name: plan.name ?? physicalName(logicalName, PLAN_NAME),
      rules: plan.rules.map((rule) => toAwsRule(rule, primaryVaultName, drVaultArn)),
      tags: ctx.tags,
    },
    ctx.child,
  );
}
