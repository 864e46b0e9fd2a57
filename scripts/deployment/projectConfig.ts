// Pulumi.yaml's config declarations and a stack's config resolved and type-checked as `pulumi` does.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

/**
 * A config error Pulumi reports before it runs the program (`error: <message>`, exit 255). The
 * offline plan reports these the same way, with exit code 2 (bad input).
 */
export class ProjectConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProjectConfigError";
  }
}

/** A key's declaration in Pulumi.yaml's `config:` section. */
export interface ConfigDeclaration {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly items?: { readonly type: string; readonly items?: unknown };
  readonly secret?: boolean;
  readonly value?: unknown;
}

/** What the plan needs from Pulumi.yaml. */
export interface ProjectFile {
  readonly directory: string;
  /** The project file read: `Pulumi.yaml` or `Pulumi.yml`. */
  readonly file: string;
  readonly name: string;
  readonly main?: string;
  /** Declarations keyed as written (`role`, `dr-app:role` or `aws:region`). */
  readonly config: Readonly<Record<string, ConfigDeclaration>>;
}

/** The config a stack's program sees, as Pulumi hands it over: fully qualified keys, string values. */
export interface ResolvedConfig {
  readonly stack: string;
  /** The stack settings file that was read. */
  readonly stackFile: string;
  /** `namespace:key` -> value; objects and arrays as JSON, as Pulumi passes them to programs. */
  readonly values: Readonly<Record<string, string>>;
  /** Keys whose values are secrets (`secure:` in the stack file, or `secret: true` declarations). */
  readonly secretKeys: readonly string[];
  /** Where each value came from. */
  readonly sources: Readonly<Record<string, "stack" | "default" | "override">>;
  /** Problems Pulumi lets pass but a reader should know about (undeclared keys: likely typos). */
  readonly warnings: readonly string[];
}

/** Value given to a `secure:` stack value: the offline plan holds no key to decrypt it. */
export const OFFLINE_SECRET_PLACEHOLDER = "offline-secret-placeholder";

function readYaml(file: string): unknown {
  try {
    return YAML.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new ProjectConfigError(`could not read ${path.basename(file)}: ${(err as Error).message}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The type's name in error messages (`array<string>`), as Pulumi's InferFullTypeName. */
function fullTypeName(type: string | undefined, items: ConfigDeclaration["items"]): string {
  return items
    ? `array<${fullTypeName(items.type, items.items as ConfigDeclaration["items"])}>`
    : (type ?? "");
}

/** Pulumi's ValidateConfigValue: does `value` (a string for scalars, parsed JSON otherwise) fit the type? */
export function fitsType(
  type: string | undefined,
  items: ConfigDeclaration["items"],
  value: unknown,
): boolean {
  switch (type) {
    case undefined:
      return true;
    case "string":
      return typeof value === "string";
    case "integer":
      return (
        (typeof value === "number" && Number.isInteger(value)) ||
        (typeof value === "string" && /^[+-]?\d+$/.test(value.trim()))
      );
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "array":
      return (
        Array.isArray(value) &&
        items !== undefined &&
        value.every((item) => fitsType(items.type, items.items as ConfigDeclaration["items"], item))
      );
    default:
      return false;
  }
}

/** Reads Pulumi.yaml (or .yml) in `directory` and checks its config declarations as `pulumi` does. */
export function loadProject(directory: string): ProjectFile {
  const file = ["Pulumi.yaml", "Pulumi.yml"]
    .map((name) => path.join(directory, name))
    .find((f) => fs.existsSync(f));
  if (!file) {
    throw new ProjectConfigError(`no Pulumi.yaml project file found in ${directory}`);
  }
  const raw = readYaml(file);
  if (!isRecord(raw) || typeof raw.name !== "string" || raw.name === "") {
    throw new ProjectConfigError("project is missing a non-empty string 'name' attribute");
  }
  const name = raw.name;
  const config: Record<string, ConfigDeclaration> = {};
  for (const [key, declared] of Object.entries(isRecord(raw.config) ? raw.config : {})) {
    const inProject = !key.includes(":") || key.startsWith(`${name}:`);
    // Pulumi's shorthand: a bare value is a default for project keys and a value for others.
    const declaration: ConfigDeclaration = isRecord(declared)
      ? (declared as ConfigDeclaration)
      : inProject
        ? { default: declared }
        : { value: declared };
    if (declaration.type === "array" && declaration.items === undefined) {
      throw new ProjectConfigError(
        `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`,
      );
    }
    if (declaration.type !== undefined && declaration.default !== undefined) {
      if (!fitsType(declaration.type, declaration.items, declaration.default)) {
        throw new ProjectConfigError(
          `The default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(declaration.type, declaration.items)}'`,
        );
      }
    }
    config[key] = declaration;
  }
  return {
    directory,
    file: path.basename(file),
    name,
    main: typeof raw.main === "string" ? raw.main : undefined,
    config,
  };
}

/** An override written as JSON (`[...]`, `{...}`) is structured, as `pulumi config set --json` makes it. */
function parseStructured(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** `pulumi config`'s string form of a value: scalars as text, the rest as JSON. */
function asConfigString(value: unknown): string {
  return typeof value === "string"
    ? value
    : typeof value === "object"
      ? JSON.stringify(value)
      : String(value);
}

/**
 * The config `pulumi preview --stack <stack>` would give the program: the stack file's values,
 * `overrides` (like `--config key=value`), then the project's defaults for keys left unset; checked
 * against the declarations with Pulumi's own messages. Secure values cannot be decrypted offline: they
 * get a placeholder and stay marked secret.
 */
export function resolveStackConfig(
  project: ProjectFile,
  stack: string,
  overrides: Readonly<Record<string, string>> = {},
  {
    allowUnknownOverrides = false,
    plaintextOverrides = false,
    stackFile: givenFile,
  }: {
    allowUnknownOverrides?: boolean;
    plaintextOverrides?: boolean;
    /**
     * The stack's settings file to read instead of `Pulumi.<stack>.yaml` next to Pulumi.yaml (a config kept
     * elsewhere: docs/examples/service/Pulumi.prod.yaml). @default `Pulumi.<stack>.yaml` next to Pulumi.yaml
     */
    stackFile?: string;
  } = {},
): ResolvedConfig {
  const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
  const declared = new Set(Object.keys(project.config).map(qualify));
  const undeclared = (key: string) => key.startsWith(`${project.name}:`) && !declared.has(key);
  // A stack file is the operator's record, which Pulumi lets carry extra keys; a --config given now
  // that names no declared key is a typo whose plan would mislead.
  const unknownOverrides = Object.keys(overrides).map(qualify).filter(undeclared);
  if (unknownOverrides.length > 0 && !allowUnknownOverrides) {
    throw new ProjectConfigError(
      `--config ${unknownOverrides.map((key) => `'${key}'`).join(", ")}: not declared in Pulumi.yaml, so the program would ignore ${
        unknownOverrides.length === 1 ? "it" : "them"
      } (a typo?); pass --allow-unknown-config to plan anyway`,
    );
  }
  const stackFile = givenFile ?? path.join(project.directory, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(stackFile)) {
    throw new ProjectConfigError(
      givenFile
        ? `--config-file ${givenFile}: no such file (the settings of stack '${stack}')`
        : `no stack named '${stack}' found (no Pulumi.${stack}.yaml next to Pulumi.yaml)`,
    );
  }
  const raw = readYaml(stackFile);
  const stackConfig = isRecord(raw) && isRecord(raw.config) ? raw.config : {};

  const values: Record<string, string> = {};
  const typed: Record<string, unknown> = {};
  const sources: Record<string, "stack" | "default" | "override"> = {};
  const secretKeys = new Set<string>();
  for (const [key, value] of Object.entries(stackConfig)) {
    const fullKey = qualify(key);
    if (isRecord(value) && typeof value.secure === "string") {
      values[fullKey] = OFFLINE_SECRET_PLACEHOLDER;
      typed[fullKey] = OFFLINE_SECRET_PLACEHOLDER;
      secretKeys.add(fullKey);
    } else {
      values[fullKey] = asConfigString(value);
      typed[fullKey] = typeof value === "object" && value !== null ? value : asConfigString(value);
    }
    sources[fullKey] = "stack";
  }
  for (const [key, value] of Object.entries(overrides)) {
    const fullKey = qualify(key);
    values[fullKey] = value;
    // `config set-all --plaintext` stores a string whatever it reads as (the program's getObject parses it).
    typed[fullKey] = plaintextOverrides ? value : parseStructured(value);
    sources[fullKey] = "override";
    secretKeys.delete(fullKey);
  }

  const missing: string[] = [];
  for (const key of Object.keys(project.config).sort()) {
    const declaration = project.config[key];
    const fullKey = qualify(key);
    if (fullKey in values) continue;
    const fallback = declaration.value ?? declaration.default;
    if (fallback === undefined) {
      if (fullKey.startsWith(`${project.name}:`)) missing.push(key);
      continue;
    }
    values[fullKey] = asConfigString(fallback);
    typed[fullKey] = typeof fallback === "object" ? fallback : asConfigString(fallback);
    sources[fullKey] = "default";
  }
  if (missing.length > 0) {
    const list =
      missing.length === 1
        ? `'${missing[0]}'`
        : `${missing
            .slice(0, -1)
            .map((key) => `'${key}'`)
            .join(", ")} and '${missing[missing.length - 1]}'`;
    throw new ProjectConfigError(
      `Stack '${stack}' is missing configuration value${missing.length === 1 ? "" : "s"} ${list}`,
    );
  }

  for (const key of Object.keys(project.config).sort()) {
    const declaration = project.config[key];
    const fullKey = qualify(key);
    if (declaration.type === undefined || !(fullKey in values)) continue;
    if (declaration.secret && sources[fullKey] === "stack" && !secretKeys.has(fullKey)) {
      throw new ProjectConfigError(
        `Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret`,
      );
    }
    if (secretKeys.has(fullKey)) continue;
    if (!fitsType(declaration.type, declaration.items, typed[fullKey])) {
      throw new ProjectConfigError(
        `Stack '${stack}' with configuration key '${key}' value '${asConfigString(typed[fullKey])}' must be of type '${fullTypeName(declaration.type, declaration.items)}'`,
      );
    }
  }

  const warnings = Object.keys(values)
    .filter(undeclared)
    .map(
      (key) =>
        `Stack '${stack}' sets configuration key '${key}', which Pulumi.yaml does not declare: the program ignores it (a typo?)`,
    );

  return { stack, stackFile, values, secretKeys: [...secretKeys], sources, warnings };
}
