// Checks registered resources against the provider's constraints: values, unknowns, cross-argument rules.
import * as pulumi from "@pulumi/pulumi";
import { SECRET, UNKNOWN } from "../../scripts/plan/engine";
import { MOCK_AUTONAME_SUFFIX } from "../helpers/mockEngine";
import { RecordedResource } from "./registrations";
import { describeRule, Rule, TypeConstraints } from "./rules";

/** One input the provider would reject, and why. */
export interface Violation {
  readonly resource: RecordedResource;
  readonly rule: Rule;
  readonly file: string;
  /** Names the variant, the resource, the argument path, the value, the rule and the provider file. */
  readonly message: string;
}

/** A value found at a path, with the concrete path (list indexes filled in). */
interface Found {
  readonly path: string;
  readonly value: unknown;
}

/** Placeholders the offline plan shows for values only a deployment knows, e.g. `<prod:drVaultName>`. */
const PLACEHOLDER = /^<[^<>]+>$/;

/**
 * Whether a value is unknown before deployment: the provider validates only known values at preview, so
 * neither does the checker. Unknowns are the mock engine's unknown, the plan's `<unknown>` and `[secret]`
 * markers and its `<stack:output>` placeholders for StackReference values.
 */
function isUnknown(value: unknown): boolean {
  return (
    pulumi.isUnknown(value) ||
    value === UNKNOWN ||
    value === SECRET ||
    (typeof value === "string" && PLACEHOLDER.test(value))
  );
}

/** Every value at `path` under `root`, skipping absent ones (undefined or null: not set in the config). */
function resolve(root: unknown, path: string, prefix = ""): Found[] {
  let found: Found[] = [{ path: prefix, value: root }];
  for (const segment of path.split(".")) {
    const each = segment.endsWith("[]");
    const key = each ? segment.slice(0, -2) : segment;
    const next: Found[] = [];
    for (const { path: at, value } of found) {
      const into = (item: unknown, itemPath: string) => {
        if (item === null || typeof item !== "object" || isUnknown(item)) return;
        const child = (item as Record<string, unknown>)[key];
        if (child === undefined || child === null) return;
        const childPath = itemPath ? `${itemPath}.${key}` : key;
        if (each && Array.isArray(child)) {
          child.forEach((element, i) => next.push({ path: `${childPath}[${i}]`, value: element }));
        } else {
          next.push({ path: childPath, value: child });
        }
      };
      if (Array.isArray(value)) value.forEach((item, i) => into(item, `${at}[${i}]`));
      else into(value, at);
    }
    found = next;
  }
  return found;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Why a single value breaks a validator, or undefined when it passes. */
function validatorFailure(rule: Rule, value: unknown): string | undefined {
  switch (rule.kind) {
    case "StringLenBetween": {
      if (typeof value !== "string") return "is not a string";
      return value.length < rule.min || value.length > rule.max
        ? `has ${value.length} characters, outside ${rule.min}-${rule.max}`
        : undefined;
    }
    case "StringMatch":
      if (typeof value !== "string") return "is not a string";
      return rule.pattern.test(value) ? undefined : rule.message;
    case "StringInSlice": {
      if (typeof value !== "string") return "is not a string";
      const fold = (s: string) => (rule.ignoreCase ? s.toLowerCase() : s);
      return rule.values.some((allowed) => fold(allowed) === fold(value))
        ? undefined
        : `is not one of ${rule.values.join(", ")}`;
    }
    case "IntBetween": {
      if (typeof value !== "number" || !Number.isInteger(value)) return "is not a whole number";
      const max = rule.max ?? Infinity;
      return value < rule.min || value > max
        ? rule.max === undefined
          ? `is less than ${rule.min}`
          : `is outside ${rule.min}-${rule.max}`
        : undefined;
    }
    case "IntInSliceOrDivisibleBy": {
      if (typeof value !== "number" || !Number.isInteger(value)) return "is not a whole number";
      if (rule.values.includes(value)) return undefined;
      if (rule.divisor === undefined) return `is not one of ${rule.values.join(", ")}`;
      return value % rule.divisor === 0
        ? undefined
        : `is neither one of ${rule.values.join(", ")} nor a multiple of ${rule.divisor}`;
    }
    case "StringIsJSON":
      if (typeof value !== "string") return "is not a string";
      try {
        JSON.parse(value);
        return undefined;
      } catch (err) {
        return `is not valid JSON (${(err as Error).message})`;
      }
    case "ValidARN":
      if (typeof value !== "string") return "is not a string";
      if (rule.alsoAllowed?.includes(value)) return undefined;
      return validArnFailure(value);
    default:
      return undefined;
  }
}

const ARN_PARTITION = /^aws(-[a-z]+)*$/;
const ARN_REGION = /^([a-z]{2}(-[a-z]+)+-\d{1,2})?$/;
const ARN_ACCOUNT = /^(aws|aws-managed|third-party|\d{12}|cw.{10})?$/;

/** internal/verify/validate.go, ValidARN: arn.Parse, then the partition, region and account patterns. */
function validArnFailure(value: string): string | undefined {
  const parts = value.split(":");
  if (parts[0] !== "arn" || parts.length < 6)
    return "is not an ARN (arn:partition:service:region:account:resource)";
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(":");
  if (!ARN_PARTITION.test(partition)) return `has an invalid ARN partition "${partition}"`;
  if (service === "") return "has an empty ARN service";
  if (!ARN_REGION.test(region)) return `has an invalid ARN region "${region}"`;
  if (!ARN_ACCOUNT.test(account)) return `has an invalid ARN account "${account}"`;
  if (resource === "") return "has an empty ARN resource";
  return undefined;
}

/** The inputs the provider sees: with the name Pulumi generates when the program leaves it to auto-naming. */
function effectiveInputs(resource: RecordedResource, constraints: TypeConstraints): Record<string, unknown> {
  const property = constraints.autoName;
  if (!property) return resource.inputs;
  const inputs = resource.inputs;
  if (inputs[property] !== undefined || inputs[`${property}Prefix`] !== undefined) return inputs;
  return { ...inputs, [property]: `${resource.name}${MOCK_AUTONAME_SUFFIX}` };
}

/** The elements a cross-argument rule applies to: the resource itself, or each block of `within`. */
function scopes(inputs: Record<string, unknown>, within: string | undefined): Found[] {
  return within ? resolve(inputs, within) : [{ path: "", value: inputs }];
}

/** Why the set of present arguments breaks a cross-argument rule, or undefined when it holds. */
function crossFailure(rule: Rule, present: Map<string, Found[]>): string | undefined {
  const isSet = (path: string) => (present.get(path)?.length ?? 0) > 0;
  const shown = (paths: readonly string[]) =>
    paths
      .filter(isSet)
      .map((p) =>
        present
          .get(p)!
          .map((f) => `${f.path} = ${show(f.value)}`)
          .join(", "),
      )
      .join("; ");
  switch (rule.kind) {
    case "ExactlyOneOf": {
      const set = rule.paths.filter(isSet);
      if (set.length === 1) return undefined;
      return set.length === 0 ? "none is set" : `${set.length} are set: ${shown(set)}`;
    }
    case "AtLeastOneOf":
      return rule.paths.some(isSet) ? undefined : "none is set";
    case "ConflictsWith": {
      if (!isSet(rule.path)) return undefined;
      const conflicting = rule.with.filter(isSet);
      return conflicting.length === 0 ? undefined : `both set: ${shown([rule.path, ...conflicting])}`;
    }
    case "RequiredWith": {
      if (!isSet(rule.path)) return undefined;
      const missing = rule.with.filter((p) => !isSet(p));
      return missing.length === 0 ? undefined : `${shown([rule.path])} but ${missing.join(", ")} unset`;
    }
    default:
      return undefined;
  }
}

function crossPaths(rule: Rule): readonly string[] {
  switch (rule.kind) {
    case "ExactlyOneOf":
    case "AtLeastOneOf":
      return rule.paths;
    case "ConflictsWith":
    case "RequiredWith":
      return [rule.path, ...rule.with];
    default:
      return [];
  }
}

/** Applies one type's rules to one registered resource. */
export function checkResource(resource: RecordedResource, constraints: TypeConstraints): Violation[] {
  const violations: Violation[] = [];
  const inputs = effectiveInputs(resource, constraints);
  const where = `${resource.source}: ${resource.type} "${resource.name}"`;
  const report = (rule: Rule, detail: string) =>
    violations.push({
      resource,
      rule,
      file: constraints.file,
      message: `${where}: ${detail} breaks ${describeRule(rule)} (terraform-provider-aws ${constraints.file})`,
    });
  for (const rule of constraints.rules) {
    const paths = crossPaths(rule);
    if (paths.length > 0) {
      const within = "within" in rule ? rule.within : undefined;
      for (const scope of scopes(inputs, within)) {
        const present = new Map(paths.map((p) => [p, resolve(scope.value, p, scope.path)]));
        // The provider cannot decide a cross-argument rule on values it does not know yet; neither do we.
        if ([...present.values()].flat().some((f) => isUnknown(f.value))) continue;
        const failure = crossFailure(rule, present);
        if (failure) report(rule, `${scope.path ? `${scope.path}: ` : ""}${failure}`);
      }
      continue;
    }
    const path = (rule as { path: string }).path;
    for (const found of resolve(inputs, path)) {
      if (isUnknown(found.value)) continue;
      const failure = validatorFailure(rule, found.value);
      if (failure) report(rule, `${found.path} = ${show(found.value)} ${failure}`);
    }
  }
  return violations;
}

/** Applies each resource's type rules; resources of types without an entry are the coverage test's concern. */
export function checkAll(
  resources: readonly RecordedResource[],
  table: ReadonlyMap<string, TypeConstraints>,
): Violation[] {
  return resources.flatMap((resource) => {
    const constraints = table.get(resource.type);
    return constraints ? checkResource(resource, constraints) : [];
  });
}
