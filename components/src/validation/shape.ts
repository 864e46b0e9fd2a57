// A shape derived from a TypeScript type, and the checker naming every way a value departs from it.
import * as pulumi from "@pulumi/pulumi";
import { deferredValueName, ValidationIssue } from "./issue";

/**
 * What a value of the TypeScript type `T` must look like at run time, where JavaScript, YAML and other
 * languages can pass anything. Derived from `T`, so a shape that misses a field, or calls a required field
 * optional, does not compile.
 */
export type Shape<T> = [T] extends [string]
  ? { readonly kind: "string"; readonly values?: readonly T[] }
  : [T] extends [number]
    ? { readonly kind: "number" }
    : [T] extends [boolean]
      ? { readonly kind: "boolean" }
      : [T] extends [pulumi.Input<string>]
        ? { readonly kind: "string"; readonly input: true }
        : [T] extends [readonly (infer Item)[]]
          ? { readonly kind: "array"; readonly items: Shape<Item> }
          : string extends keyof T
            ? { readonly kind: "map"; readonly values: Shape<T[string]> }
            : { readonly kind: "object"; readonly fields: Fields<T> };

/** The shape of each field of `T`, optional exactly when the field is. */
export type Fields<T> = {
  readonly [K in keyof T]-?: Shape<NonNullable<T[K]>> &
    (undefined extends T[K] ? { readonly optional: true } : { readonly optional?: never });
};

/** Any shape, as the checker walks it. */
interface AnyShape {
  readonly kind: "string" | "number" | "boolean" | "array" | "map" | "object";
  readonly optional?: boolean;
  readonly input?: boolean;
  readonly values?: readonly string[] | AnyShape;
  readonly items?: AnyShape;
  readonly fields?: { readonly [field: string]: AnyShape };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !deferredValueName(value);
}

function typeIssue(field: string, value: unknown, shape: AnyShape): ValidationIssue | undefined {
  const deferred = deferredValueName(value);
  if (shape.input && (deferred || typeof value === "string")) return undefined;
  if (shape.input) return { field, value, rule: "must be a string or an Output of one." };
  if (deferred) {
    return {
      field,
      value,
      rule: `must be a plain ${shape.kind}, not an Output: the component checks it and lays out its resources before anything is deployed.`,
    };
  }
  const ok =
    shape.kind === "array"
      ? Array.isArray(value)
      : shape.kind === "map" || shape.kind === "object"
        ? isPlainObject(value)
        : typeof value === shape.kind;
  const article = shape.kind === "array" || shape.kind === "map" || shape.kind === "object" ? "an" : "a";
  const noun = shape.kind === "map" ? "object" : shape.kind;
  return ok ? undefined : { field, value, rule: `must be ${article} ${noun}.` };
}

function check(field: string, value: unknown, shape: AnyShape, component: string): ValidationIssue[] {
  if (value === undefined) {
    return shape.optional ? [] : [{ field, value, rule: "is required." }];
  }
  const wrongType = typeIssue(field, value, shape);
  if (wrongType) return [wrongType];
  switch (shape.kind) {
    case "string": {
      const allowed = shape.values as readonly string[] | undefined;
      return allowed && !allowed.includes(value as string)
        ? [{ field, value, rule: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}.` }]
        : [];
    }
    case "array":
      return (value as unknown[]).flatMap((item, index) =>
        check(`${field}[${index}]`, item, shape.items as AnyShape, component),
      );
    case "map":
      return Object.entries(value as object).flatMap(([key, item]) =>
        check(`${field}.${key}`, item, shape.values as AnyShape, component),
      );
    case "object": {
      const fields = shape.fields ?? {};
      const record = value as Record<string, unknown>;
      const prefix = field === "" ? "" : `${field}.`;
      return [
        ...Object.entries(fields).flatMap(([name, fieldShape]) =>
          check(`${prefix}${name}`, record[name], fieldShape, component),
        ),
        ...Object.keys(record)
          .filter((name) => !Object.hasOwn(fields, name) && record[name] !== undefined)
          .map((name) => ({
            field: `${prefix}${name}`,
            value: record[name],
            rule: `is not an argument of ${component}.`,
          })),
      ];
    }
    default:
      return [];
  }
}

/**
 * Every way `value` departs from `shape`: a required field missing, a value of the wrong JavaScript type,
 * an Output where a plain value is needed, a value outside an enumeration, a field `component` does not
 * have. Fields are named by path from `root` (`args` for the whole argument object).
 */
export function checkShape<T>(
  root: string,
  value: unknown,
  shape: Shape<T>,
  component: string,
): ValidationIssue[] {
  if (value === undefined || !isPlainObject(value)) {
    return check(root, value, shape as AnyShape, component);
  }
  return check("", value, shape as AnyShape, component);
}
