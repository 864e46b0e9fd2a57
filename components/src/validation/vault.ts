// The vaults' checks: names, lock limits, every rule's retention within the lock, keys, principals.
import { BackupRuleArgs } from "../rule";
import { VaultLockArgs, VaultPairArgs } from "../vaultPair";
import { ValidationIssue } from "./issue";
import { knownIssues, vaultInputChecks } from "./inputChecks";
import { MAX_RETENTION_DAYS } from "./lifecycle";
import { checkName, VAULT_NAME_PATTERN } from "./names";

/** AWS's cooling-off period before a compliance-mode lock becomes immutable, in days. */
export const MIN_CHANGEABLE_FOR_DAYS = 3;

function checkDays(field: string, value: number | undefined, min: number, why: string): ValidationIssue[] {
  if (value === undefined || (Number.isInteger(value) && value >= min && value <= MAX_RETENTION_DAYS)) {
    return [];
  }
  return [
    { field, value, rule: `must be a whole number of days from ${min} to ${MAX_RETENTION_DAYS}${why}.` },
  ];
}

/** Lock limits 1-36500 days, minimum not above maximum, `changeableForDays` at least 3. */
export function checkLock(lock: VaultLockArgs): ValidationIssue[] {
  const issues = [
    ...checkDays("vaults.lock.minRetentionDays", lock.minRetentionDays, 1, ""),
    ...checkDays("vaults.lock.maxRetentionDays", lock.maxRetentionDays, 1, ""),
    ...checkDays(
      "vaults.lock.changeableForDays",
      lock.changeableForDays,
      MIN_CHANGEABLE_FOR_DAYS,
      ": AWS enforces a 72-hour cooling-off period before a compliance lock takes effect",
    ),
  ];
  if (
    lock.minRetentionDays !== undefined &&
    lock.maxRetentionDays !== undefined &&
    lock.minRetentionDays > lock.maxRetentionDays
  ) {
    issues.push({
      field: "vaults.lock.minRetentionDays",
      value: lock.minRetentionDays,
      rule: `must not exceed vaults.lock.maxRetentionDays (${lock.maxRetentionDays}).`,
    });
  }
  return issues;
}

/**
 * A locked vault fails every backup or copy job whose retention is outside the lock's limits, so each
 * rule (primary vault) and each copy (DR vault) must retain within them.
 */
export function checkRetentionWithinLock(
  lock: VaultLockArgs,
  rules: readonly BackupRuleArgs[],
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const check = (field: string, days: number) => {
    if (lock.minRetentionDays !== undefined && days < lock.minRetentionDays) {
      issues.push({
        field,
        value: days,
        rule: `must be at least vaults.lock.minRetentionDays (${lock.minRetentionDays}): the locked vault would fail every job that keeps its recovery points for less.`,
      });
    }
    if (lock.maxRetentionDays !== undefined && days > lock.maxRetentionDays) {
      issues.push({
        field,
        value: days,
        rule: `must be at most vaults.lock.maxRetentionDays (${lock.maxRetentionDays}): the locked vault would fail every job that keeps its recovery points for longer.`,
      });
    }
  };
  rules.forEach((rule, index) => {
    check(`plan.rules[${index}].lifecycle.deleteAfterDays`, rule.lifecycle.deleteAfterDays);
    if (rule.copyToDr?.lifecycle) {
      check(
        `plan.rules[${index}].copyToDr.lifecycle.deleteAfterDays`,
        rule.copyToDr.lifecycle.deleteAfterDays,
      );
    }
  });
  return issues;
}

/** Vault names, lock and lock-versus-retention, keys and break-glass principals. */
export function checkVaults(vaults: VaultPairArgs, rules: readonly BackupRuleArgs[]): ValidationIssue[] {
  return [
    ...(vaults.primaryVaultName !== undefined
      ? checkName("vaults.primaryVaultName", vaults.primaryVaultName, VAULT_NAME_PATTERN)
      : []),
    ...(vaults.drVaultName !== undefined
      ? checkName("vaults.drVaultName", vaults.drVaultName, VAULT_NAME_PATTERN)
      : []),
    ...(vaults.lock ? [...checkLock(vaults.lock), ...checkRetentionWithinLock(vaults.lock, rules)] : []),
    ...knownIssues(vaultInputChecks(vaults)),
  ];
}
