// One broken rule as messages word it, the validation error that lists them, and when a value is known.
import * as pulumi from "@pulumi/pulumi";

/**
 * One broken rule: which argument, the value it had, and the rule it breaks (worded as AWS words it, with
 * the reason when AWS gives one).
 */
export interface ValidationIssue {
  /** Path of the argument, e.g. `plan.rules[1].lifecycle.deleteAfterDays`. */
  readonly field: string;
  /** The value that breaks the rule. */
  readonly value: unknown;
  /** The rule, phrased to follow the value: `must be at least 60: ...`. */
  readonly rule: string;
}

/** `field (value) rule`, the one-line form every message uses. */
export function formatIssue(issue: ValidationIssue): string {
  return `${issue.field} (${renderValue(issue.value)}) ${issue.rule}`;
}

/** How messages name a value that is not known yet, or undefined for a known value. */
export function deferredValueName(value: unknown): string | undefined {
  if (pulumi.Output.isInstance(value)) return "an Output";
  if (value instanceof Promise) return "a Promise";
  return undefined;
}

function renderValue(value: unknown): string {
  const deferred = deferredValueName(value);
  if (deferred) {
    return deferred;
  }
  if (typeof value === "string") {
    return JSON.stringify(value);
  }
  if (value === undefined) {
    return "unset";
  }
  return JSON.stringify(value) ?? String(value);
}

/**
 * Thrown by the `BackupRestoreDR` constructor before anything is registered, listing every broken rule at
 * once so a single `pulumi preview` shows all of them.
 */
export class BackupRestoreDRValidationError extends Error {
  constructor(
    /** Name of the component whose arguments are invalid. */
    readonly componentName: string,
    /** Every broken rule, in argument order. */
    readonly issues: readonly ValidationIssue[],
  ) {
    super(
      issues.length === 1
        ? `BackupRestoreDR "${componentName}": ${formatIssue(issues[0])}`
        : `BackupRestoreDR "${componentName}" has ${issues.length} invalid arguments:\n` +
            issues.map((issue) => `  - ${formatIssue(issue)}`).join("\n"),
    );
    this.name = "BackupRestoreDRValidationError";
  }
}

/** Throws `BackupRestoreDRValidationError` when there is any issue. */
export function throwIfInvalid(componentName: string, issues: readonly ValidationIssue[]): void {
  if (issues.length > 0) {
    throw new BackupRestoreDRValidationError(componentName, issues);
  }
}

/**
 * Whether a value can be checked now. Outputs and promises are checked when they resolve (see
 * `validationGate`).
 */
export function isKnown<T>(value: pulumi.Input<T> | undefined): value is T {
  return !pulumi.Output.isInstance(value) && !(value instanceof Promise);
}
