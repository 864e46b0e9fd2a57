// The selection's checks: a valid name, at least one criterion, tag keys, ARN lists and role.
import { BackupSelectionArgs, CONDITION_KINDS, hasConditions } from "../selection";
import { ValidationIssue } from "./issue";
import { knownIssues, selectionInputChecks } from "./inputChecks";
import { BACKUP_NAME_PATTERN, checkName } from "./names";

/**
 * A selection needs a valid name, at least one criterion (AWS would otherwise select every supported
 * resource), non-empty tag keys, well-formed ARN lists and role (see `selectionInputChecks`).
 */
export function checkSelection(selection: BackupSelectionArgs): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (selection.name !== undefined) {
    issues.push(...checkName("selection.name", selection.name, BACKUP_NAME_PATTERN));
  }
  const tagCount = Object.keys(selection.tags ?? {}).length;
  if (tagCount === 0 && !hasConditions(selection.conditions) && (selection.resources?.length ?? 0) === 0) {
    issues.push({
      field: "selection",
      value: "no tags, conditions or resources",
      rule: "must select by at least one of tags, conditions or resources: an empty selection makes AWS Backup back up every supported resource in the region.",
    });
  }
  for (const key of Object.keys(selection.tags ?? {})) {
    if (key.trim() === "") {
      issues.push({ field: "selection.tags", value: key, rule: "must not have an empty tag key." });
    }
  }
  for (const kind of CONDITION_KINDS) {
    (selection.conditions?.[kind] ?? []).forEach((condition, index) => {
      if (condition.key.trim() === "") {
        issues.push({
          field: `selection.conditions.${kind}[${index}].key`,
          value: condition.key,
          rule: "must name a tag key.",
        });
      }
    });
  }
  issues.push(...knownIssues(selectionInputChecks(selection)));
  return issues;
}
