// ARN checks: an ARN of a given service, and AWS Backup's limits on a selection's ARN lists.
import { ValidationIssue } from "./issue";

const ARN = /^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$/;

/** An issue when `value` is not an ARN of `service` (e.g. `kms`, `iam`). */
export function checkArn(field: string, value: string, service: string): ValidationIssue[] {
  const match = ARN.test(value) && value.split(":")[2] === service;
  return match
    ? []
    : [{ field, value, rule: `must be an ARN of ${service} (arn:<partition>:${service}:...).` }];
}

/** Most ARNs a selection may list, and the lower limit when any has a wildcard. */
export const MAX_SELECTION_ARNS = 500;
export const MAX_SELECTION_WILDCARD_ARNS = 30;

/**
 * AWS Backup selection ARN lists: at most 500 ARNs, or 30 when any has a wildcard; the wildcard only at
 * the end of the ARN (a prefix pattern), or the whole value `*`.
 */
export function checkSelectionArns(field: string, arns: readonly string[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  arns.forEach((arn, index) => {
    if (arn !== "*" && !arn.startsWith("arn:")) {
      issues.push({ field: `${field}[${index}]`, value: arn, rule: 'must be an ARN or "*".' });
    } else if (arn.slice(0, -1).split(":").slice(5).join(":").includes("*")) {
      issues.push({
        field: `${field}[${index}]`,
        value: arn,
        rule: "may have a wildcard '*' only at the end of the resource part: AWS Backup supports prefix patterns such as arn:aws:s3:::my-bucket-*.",
      });
    }
  });
  const wildcards = arns.some((arn) => arn.includes("*"));
  const limit = wildcards ? MAX_SELECTION_WILDCARD_ARNS : MAX_SELECTION_ARNS;
  if (arns.length > limit) {
    issues.push({
      field,
      value: `${arns.length} ARNs`,
      rule: `must list at most ${limit} ARNs${wildcards ? " when any has a wildcard" : ""}: AWS Backup's limit per selection.`,
    });
  }
  return issues;
}
