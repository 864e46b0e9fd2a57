/**
 * Argument constraints terraform-provider-aws declares in a resource's schema, as data. @pulumi/aws is that
 * provider behind the Pulumi bridge: these run at `pulumi preview`, where the mock engine accepts anything.
 *
 * Paths are Pulumi property paths (camelCase of the provider's snake_case), `.` into objects and `[]` into
 * every element of a list, e.g. `rules[].copyActions[].destinationVaultArn`. Blocks of at most one item are
 * objects in Pulumi (`lifecycle.deleteAfter`); a plain segment applied to a list also goes into each element.
 */
export type Rule =
  /** schema `ExactlyOneOf` or a `resourcevalidator.ExactlyOneOf` config validator. */
  | { readonly kind: "ExactlyOneOf"; readonly paths: readonly string[]; readonly within?: string }
  /** schema `ConflictsWith` on `path`. */
  | {
      readonly kind: "ConflictsWith";
      readonly path: string;
      readonly with: readonly string[];
      readonly within?: string;
    }
  /** schema `AtLeastOneOf`. */
  | { readonly kind: "AtLeastOneOf"; readonly paths: readonly string[]; readonly within?: string }
  /** schema `RequiredWith` on `path`: when it is set, every one of `with` must be set. */
  | {
      readonly kind: "RequiredWith";
      readonly path: string;
      readonly with: readonly string[];
      readonly within?: string;
    }
  /** `validation.StringLenBetween` / `stringvalidator.LengthBetween`. */
  | { readonly kind: "StringLenBetween"; readonly path: string; readonly min: number; readonly max: number }
  /** `validation.StringMatch` / `stringvalidator.RegexMatches`, or a CustomizeDiff that applies a pattern. */
  | {
      readonly kind: "StringMatch";
      readonly path: string;
      readonly pattern: RegExp;
      readonly message: string;
    }
  /** `validation.StringInSlice` / `enum.Validate` / `stringvalidator.OneOf`. */
  | {
      readonly kind: "StringInSlice";
      readonly path: string;
      readonly values: readonly string[];
      /** The provider's `ignoreCase` argument. @default false */
      readonly ignoreCase?: boolean;
    }
  /** `validation.IntBetween` / `int64validator.Between`; `IntAtLeast` has no `max`. */
  | { readonly kind: "IntBetween"; readonly path: string; readonly min: number; readonly max?: number }
  /** `validation.IntInSlice(values)`, or with `divisor` `validation.Any(IntInSlice, IntDivisibleBy(divisor))`. */
  | {
      readonly kind: "IntInSliceOrDivisibleBy";
      readonly path: string;
      readonly values: readonly number[];
      /** @default none: only `values` */
      readonly divisor?: number;
    }
  /** `validation.StringIsJSON`, the IAM policy document schemas and JSON-normalising validators. */
  | { readonly kind: "StringIsJSON"; readonly path: string }
  /** `verify.ValidARN` / `validators.ARN()`, optionally also accepting some literal values (e.g. `*`). */
  | { readonly kind: "ValidARN"; readonly path: string; readonly alsoAllowed?: readonly string[] };

/** Every kind of rule, in the order the table shows them. */
export const RULE_KINDS = [
  "ExactlyOneOf",
  "ConflictsWith",
  "AtLeastOneOf",
  "RequiredWith",
  "StringLenBetween",
  "StringMatch",
  "StringInSlice",
  "IntBetween",
  "IntInSliceOrDivisibleBy",
  "StringIsJSON",
  "ValidARN",
] as const satisfies readonly Rule["kind"][];

/** What the provider declares for one resource type, read from one file. */
export interface TypeConstraints {
  /** Pulumi type token, e.g. `aws:backup/selection:Selection`. */
  readonly type: string;
  /** The provider source file the rules were read from, e.g. `internal/service/backup/selection.go`. */
  readonly file: string;
  /** The rules checked; may be empty when `note` says why. */
  readonly rules: readonly Rule[];
  /**
   * The property Pulumi auto-names (`<logical name>-<7 random hex>`) when the program sets neither it nor
   * its `…Prefix`; name rules then check the generated name. @default none
   */
  readonly autoName?: string;
  /**
   * What reading the file found beyond the rules: e.g. that every constraint is already a required
   * property in @pulumi/aws's types, or that the type is an awsx component checked against awsx's rules.
   */
  readonly note?: string;
}

/** A rule as the table and messages print it, e.g. `ConflictsWith(bucket, bucketPrefix)`. */
export function describeRule(rule: Rule): string {
  const scope = "within" in rule && rule.within ? ` in each ${rule.within}` : "";
  switch (rule.kind) {
    case "ExactlyOneOf":
    case "AtLeastOneOf":
      return `${rule.kind}(${rule.paths.join(", ")})${scope}`;
    case "ConflictsWith":
    case "RequiredWith":
      return `${rule.kind}(${rule.path} -> ${rule.with.join(", ")})${scope}`;
    case "StringLenBetween":
      return `StringLenBetween(${rule.path}, ${rule.min}, ${rule.max})`;
    case "StringMatch":
      return `StringMatch(${rule.path}, ${rule.pattern})`;
    case "StringInSlice":
      return `StringInSlice(${rule.path}, ${rule.values.join("|")})`;
    case "IntBetween":
      return rule.max === undefined
        ? `IntAtLeast(${rule.path}, ${rule.min})`
        : `IntBetween(${rule.path}, ${rule.min}, ${rule.max})`;
    case "IntInSliceOrDivisibleBy":
      return rule.divisor === undefined
        ? `IntInSlice(${rule.path}, ${rule.values.join("|")})`
        : `IntInSliceOrDivisibleBy(${rule.path}, ${rule.values.join("|")} or n*${rule.divisor})`;
    case "StringIsJSON":
      return `StringIsJSON(${rule.path})`;
    case "ValidARN":
      return `ValidARN(${rule.path}${rule.alsoAllowed ? ` or ${rule.alsoAllowed.join("|")}` : ""})`;
  }
}
