// The isolated copy's checks: its vault name, the LAG vault's retention bounds, every DR copy within them.
import { IsolationArgs, isolationRetentionBounds, MIN_LAG_RETENTION_DAYS } from "../isolatedVault";
import { BackupRuleArgs, copyLifecycle } from "../rule";
import { ValidationIssue } from "./issue";
import { MAX_RETENTION_DAYS } from "./lifecycle";
import { checkName, VAULT_NAME_PATTERN } from "./names";

/** AWS account ids: `^[0-9]{12}$` (AWS Backup and RAM `AccountId`). */
const ACCOUNT_ID = /^[0-9]{12}$/;

function checkBound(field: string, value: number | undefined, min: number): ValidationIssue[] {
  if (value === undefined || (Number.isInteger(value) && value >= min && value <= MAX_RETENTION_DAYS)) {
    return [];
  }
  return [
    {
      field,
      value,
      rule: `must be a whole number of days from ${min} to ${MAX_RETENTION_DAYS}: AWS accepts no logically air-gapped vault retention outside them (CreateLogicallyAirGappedBackupVault).`,
    },
  ];
}

/**
 * A bound left to the plan would move with it, and AWS replaces a logically air-gapped vault whose bounds
 * change (terraform-provider-aws internal/service/backup/logically_air_gapped_vault.go: `min_retention_days`
 * and `max_retention_days` are ForceNew): a retention edit would silently create a new, empty vault and
 * leave the copies in the old one out of sight. So both are required while isolation is on.
 */
function requireBound(
  field: string,
  value: number | undefined,
  fromPlan: number,
  which: "shortest" | "longest",
): ValidationIssue[] {
  if (value !== undefined) return [];
  return [
    {
      field,
      value,
      rule: `must be set with isolation on (the plan's ${which} DR copy retention is ${fromPlan} days): AWS replaces a logically air-gapped vault when its retention bounds change (terraform-provider-aws logically_air_gapped_vault.go, ForceNew), so bounds that follow the plan would move the isolated copies to a new, empty vault whenever a retention changes.`,
    },
  ];
}

/** Where a rule's DR copy retention is set: its `copyToDr.lifecycle`, else its own lifecycle. */
function copyRetentionField(rule: BackupRuleArgs, index: number): string {
  return rule.copyToDr?.lifecycle
    ? `plan.rules[${index}].copyToDr.lifecycle.deleteAfterDays`
    : `plan.rules[${index}].lifecycle.deleteAfterDays`;
}

/**
 * With isolation on: at least one rule copies to DR (the LAG vault receives those copies); both bounds set
 * explicitly ({@link requireBound}), from 7 (AWS's minimum) to 36500 days, the minimum not above the maximum; every DR copy's retention within the
 * bounds, since the vault's compliance lock fails every copy job outside them (AWS Backup API,
 * PutBackupVaultLockConfiguration; a LAG vault is always under it); recovery accounts of 12 digits.
 */
export function checkIsolation(
  isolation: IsolationArgs,
  rules: readonly BackupRuleArgs[],
): ValidationIssue[] {
  if (!(isolation.enabled ?? false)) {
    return [];
  }
  const issues: ValidationIssue[] = [
    ...(isolation.vaultName !== undefined
      ? checkName("isolation.vaultName", isolation.vaultName, VAULT_NAME_PATTERN)
      : []),
    ...checkBound("isolation.minRetentionDays", isolation.minRetentionDays, MIN_LAG_RETENTION_DAYS),
    ...checkBound("isolation.maxRetentionDays", isolation.maxRetentionDays, MIN_LAG_RETENTION_DAYS),
  ];
  (isolation.recoveryAccountIds ?? []).forEach((account, index) => {
    if (!ACCOUNT_ID.test(account)) {
      issues.push({
        field: `isolation.recoveryAccountIds[${index}]`,
        value: account,
        rule: "must be a 12-digit AWS account id.",
      });
    }
  });
  if (!rules.some((rule) => rule.copyToDr)) {
    issues.push({
      field: "isolation.enabled",
      value: true,
      rule: "needs at least one rule with copyToDr: the isolated vault receives the copies to DR.",
    });
    return issues;
  }
  const { minRetentionDays, maxRetentionDays } = isolationRetentionBounds(isolation, rules);
  issues.push(
    ...requireBound("isolation.minRetentionDays", isolation.minRetentionDays, minRetentionDays, "shortest"),
    ...requireBound("isolation.maxRetentionDays", isolation.maxRetentionDays, maxRetentionDays, "longest"),
  );
  if (minRetentionDays > maxRetentionDays) {
    issues.push({
      field: "isolation.minRetentionDays",
      value: minRetentionDays,
      rule: `must not exceed isolation.maxRetentionDays (${maxRetentionDays}).`,
    });
  }
  rules.forEach((rule, index) => {
    const copy = copyLifecycle(rule);
    if (!copy) return;
    const days = copy.deleteAfterDays;
    const floor = Math.max(minRetentionDays, MIN_LAG_RETENTION_DAYS);
    if (days < floor) {
      issues.push({
        field: copyRetentionField(rule, index),
        value: days,
        rule: `must be at least ${floor} with isolation on, the isolated vault's minimum retention (AWS's least is ${MIN_LAG_RETENTION_DAYS}): its compliance lock fails every copy that keeps recovery points for less.`,
      });
    }
    if (days > maxRetentionDays) {
      issues.push({
        field: copyRetentionField(rule, index),
        value: days,
        rule: `must be at most isolation.maxRetentionDays (${maxRetentionDays}): the isolated vault's compliance lock fails every copy that keeps recovery points for longer.`,
      });
    }
  });
  return issues;
}
