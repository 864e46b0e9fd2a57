// Checks of the monitoring's email addresses, restore testing's schedule, windows and types, the audit framework.
import {
  AuditFrameworkArgs,
  auditScopeTag,
  RECOVERY_POINT_AGE_HOURS,
  restoreTimeTarget,
} from "../auditFramework";
import { nonRestoreMinutes, RtoForecastArgs } from "../rtoForecast";
import { DrObjectivesArgs } from "../objectives";
import { MonitoringArgs } from "../monitoring";
import { RESTORE_TESTING_RESOURCE_TYPES, RestoreTestingArgs } from "../restoreTesting";
import { ValidationIssue } from "./issue";
import { checkSchedule, checkTimezone } from "./rule";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Email subscriptions must be addresses. */
export function checkMonitoring(monitoring: MonitoringArgs): ValidationIssue[] {
  return (monitoring.emailAddresses ?? []).flatMap((address, index) =>
    EMAIL.test(address)
      ? []
      : [{ field: `monitoring.emailAddresses[${index}]`, value: address, rule: "must be an email address." }],
  );
}

function checkRange(
  field: string,
  value: number | undefined,
  min: number,
  max: number,
  unit: string,
): ValidationIssue[] {
  if (value === undefined || (Number.isInteger(value) && value >= min && value <= max)) return [];
  return [{ field, value, rule: `must be a whole number of ${unit} from ${min} to ${max}.` }];
}

/**
 * Restore testing: a valid schedule and time zone, start window 1-168 hours, selection window 1-365 days,
 * validation window 1-168 hours, known resource types, each at most once.
 */
export function checkRestoreTesting(testing: RestoreTestingArgs): ValidationIssue[] {
  const issues: ValidationIssue[] = [
    ...(testing.schedule !== undefined ? checkSchedule("restoreTesting.schedule", testing.schedule) : []),
    ...(testing.scheduleTimezone !== undefined
      ? checkTimezone("restoreTesting.scheduleTimezone", testing.scheduleTimezone)
      : []),
    ...checkRange("restoreTesting.startWindowHours", testing.startWindowHours, 1, 168, "hours"),
    ...checkRange("restoreTesting.selectionWindowDays", testing.selectionWindowDays, 1, 365, "days"),
  ];
  if (testing.selections.length === 0) {
    issues.push({
      field: "restoreTesting.selections",
      value: [],
      rule: "must list at least one resource type; leave restoreTesting unset to test nothing.",
    });
  }
  const seen = new Map<string, number>();
  testing.selections.forEach((selection, index) => {
    const field = `restoreTesting.selections[${index}]`;
    if (!RESTORE_TESTING_RESOURCE_TYPES.includes(selection.resourceType)) {
      issues.push({
        field: `${field}.resourceType`,
        value: selection.resourceType,
        rule: `must be one of ${RESTORE_TESTING_RESOURCE_TYPES.join(", ")}.`,
      });
    }
    const first = seen.get(selection.resourceType);
    if (first !== undefined) {
      issues.push({
        field: `${field}.resourceType`,
        value: selection.resourceType,
        rule: `must be listed once: restoreTesting.selections[${first}] tests the same type.`,
      });
    } else {
      seen.set(selection.resourceType, index);
    }
    issues.push(
      ...checkRange(`${field}.validationWindowHours`, selection.validationWindowHours, 1, 168, "hours"),
    );
  });
  return issues;
}

/**
 * The audit framework: a name AWS takes (terraform-provider-aws validFrameworkName: a letter, then letters,
 * digits and underscores, at most 256), a restore-time target, its own or the RTO objective's less the
 * forecast's non-restore terms, an RPO the recovery-point control can take (1 to 744 hours), and a
 * selection of exactly one tag, the controls' scope (AWS Backup developer guide, "Controls and
 * remediation": "a Tagged resources scope with a single tag key and optional value"; with no scope, the
 * controls evaluate every resource of their types in the region, and each evaluation is billed:
 * "Metering, costs, and billing").
 */
export function checkAuditFramework(
  framework: AuditFrameworkArgs,
  objectives: DrObjectivesArgs | undefined,
  rtoForecast: RtoForecastArgs | undefined,
  selectionTags: { readonly [key: string]: string } | undefined,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (auditScopeTag(selectionTags) === undefined) {
    issues.push({
      field: "selection.tags",
      value: selectionTags ?? {},
      rule: "must be exactly one tag with auditFramework: it is the controls' scope (a control scope takes one tag), and without it the controls audit, and bill, every resource of their types in the primary region.",
    });
  }
  if (framework.name !== undefined && !/^[A-Za-z][0-9A-Za-z_]{0,255}$/.test(framework.name)) {
    issues.push({
      field: "auditFramework.name",
      value: framework.name,
      rule: "must be 1 to 256 characters, starting with a letter, of letters, numbers and underscores.",
    });
  }
  const target = framework.maxRestoreMinutes;
  if (target !== undefined && !(Number.isInteger(target) && target >= 1)) {
    issues.push({
      field: "auditFramework.maxRestoreMinutes",
      value: target,
      rule: "must be a whole number of minutes, at least 1.",
    });
  } else if (target === undefined && objectives?.rtoMinutes === undefined) {
    issues.push({
      field: "auditFramework.maxRestoreMinutes",
      value: undefined,
      rule: "must be set when objectives.rtoMinutes is not: RESTORE_TIME_FOR_RESOURCES_MEET_TARGET needs a target.",
    });
  } else if (target === undefined && objectives?.rtoMinutes !== undefined) {
    const derived = restoreTimeTarget(framework, objectives, rtoForecast);
    if (derived !== undefined && derived < 1) {
      issues.push({
        field: "auditFramework.maxRestoreMinutes",
        value: undefined,
        rule: `must be set: its default, objectives.rtoMinutes (${objectives.rtoMinutes}) less the forecast's ${nonRestoreMinutes(rtoForecast ?? { resources: [] })} min of flip, boot, health, switch and DNS, leaves no restore time.`,
      });
    }
  }
  const rpo = objectives?.rpoMinutes;
  if (rpo !== undefined && Math.ceil(rpo / 60) > RECOVERY_POINT_AGE_HOURS.max) {
    issues.push({
      field: "objectives.rpoMinutes",
      value: rpo,
      rule: `must be at most ${RECOVERY_POINT_AGE_HOURS.max * 60} (${RECOVERY_POINT_AGE_HOURS.max} hours) with auditFramework: BACKUP_LAST_RECOVERY_POINT_CREATED takes a recovery point age of ${RECOVERY_POINT_AGE_HOURS.min} to ${RECOVERY_POINT_AGE_HOURS.max} hours.`,
    });
  }
  return issues;
}
