// Name patterns AWS enforces (vaults, backup plans, buckets) and the check against them.
import { ValidationIssue } from "./issue";

/** A name pattern AWS enforces, with the wording used in messages. */
export interface NamePattern {
  readonly pattern: RegExp;
  readonly description: string;
}

/** CreateBackupVault: `^[a-zA-Z0-9\-\_]{2,50}$`. */
export const VAULT_NAME_PATTERN: NamePattern = {
  pattern: /^[a-zA-Z0-9\-_]{2,50}$/,
  description: "2-50 letters, digits, '-' or '_' (AWS Backup vault names, no '.')",
};
/** Backup plan, rule and selection names: `^[a-zA-Z0-9\-\_\.]{1,50}$`. */
export const BACKUP_NAME_PATTERN: NamePattern = {
  pattern: /^[a-zA-Z0-9\-_.]{1,50}$/,
  description: "1-50 letters, digits, '-', '_' or '.'",
};
/** S3 bucket names: 3-63 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit. */
export const BUCKET_NAME_PATTERN: NamePattern = {
  pattern: /^(?!xn--)(?!.*\.\.)(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  description:
    "3-63 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit, not an IP address (S3 bucket naming rules)",
};

/** An issue when `value` does not match `pattern`. */
export function checkName(
  field: string,
  value: string,
  { pattern, description }: NamePattern,
): ValidationIssue[] {
  return pattern.test(value) ? [] : [{ field, value, rule: `must be ${description}.` }];
}

/** An existing source bucket's name must be a bucket name. */
export function checkSourceBucket(field: string, bucket: string): ValidationIssue[] {
  return checkName(field, bucket, BUCKET_NAME_PATTERN);
}
