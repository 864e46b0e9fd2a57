import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

/** A config value as it stands in the YAML: string, number, boolean, list, or `[secret]` for secure values. */
export type ConfigValue = string | number | boolean | readonly unknown[] | Readonly<Record<string, unknown>>;

/** What a secure (`{ secure: ... }`) value reads as: the runbook never needs a secret's value. */
export const SECRET_VALUE = "[secret]";

/** One stack's settings file, `Pulumi.<stack>.yaml`. */
export interface StackConfigFile {
  /** Stack name, from the file name. */
  readonly name: string;
  /** Path of the file. */
  readonly file: string;
  /** Fully qualified keys (`dr-app:role`, `aws:region`) and their values. */
  readonly values: Readonly<Record<string, ConfigValue>>;
}

/** The project's config, read offline from Pulumi.yaml and the Pulumi.<stack>.yaml files beside it. */
export interface ProjectConfig {
  /** Directory of Pulumi.yaml. */
  readonly dir: string;
  /** Project name (`name:` in Pulumi.yaml). */
  readonly project: string;
  /** Fully qualified keys and the defaults (or values) Pulumi.yaml declares. */
  readonly defaults: Readonly<Record<string, ConfigValue>>;
  /** The stacks with a settings file, by name. */
  readonly stacks: Readonly<Record<string, StackConfigFile>>;
}

function readYaml(file: string): unknown {
  try {
    return parseYaml(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function qualify(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

function plainValue(value: unknown): ConfigValue | undefined {
  const record = asRecord(value);
  if ("secure" in record) return SECRET_VALUE;
  if (value === null || value === undefined) return undefined;
  return value as ConfigValue;
}

/**
 * Reads Pulumi.yaml (project name and `config:` declarations: `key: { type, default }` for the project's
 * own keys, `ns:key: { value }` or a plain value for others) and every `Pulumi.<stack>.yaml` next to it
 * (`config: { ns:key: value }`), without the Pulumi CLI. Secure values read as {@link SECRET_VALUE}.
 * @throws Error when `dir` has no Pulumi.yaml or a file is not valid YAML.
 */
export function readProjectConfig(dir: string): ProjectConfig {
  const projectFile = ["Pulumi.yaml", "Pulumi.yml"]
    .map((f) => path.join(dir, f))
    .find((f) => fs.existsSync(f));
  if (projectFile === undefined) {
    throw new Error(`no Pulumi.yaml in ${dir}: pass --work-dir <directory of the Pulumi project>`);
  }
  const project = asRecord(readYaml(projectFile));
  const name = typeof project.name === "string" ? project.name : path.basename(dir);
  const defaults: Record<string, ConfigValue> = {};
  for (const [key, declaration] of Object.entries(asRecord(project.config))) {
    const record = asRecord(declaration);
    const value =
      "default" in record
        ? plainValue(record.default)
        : "value" in record
          ? plainValue(record.value)
          : "type" in record
            ? undefined
            : plainValue(declaration);
    if (value !== undefined) defaults[qualify(name, key)] = value;
  }
  const stacks: Record<string, StackConfigFile> = {};
  for (const entry of fs.readdirSync(dir).sort()) {
    const match = /^Pulumi\.(.+)\.ya?ml$/.exec(entry);
    if (!match) continue;
    const file = path.join(dir, entry);
    const values: Record<string, ConfigValue> = {};
    for (const [key, value] of Object.entries(asRecord(asRecord(readYaml(file)).config))) {
      const plain = plainValue(value);
      if (plain !== undefined) values[qualify(name, key)] = plain;
    }
    stacks[match[1]] = { name: match[1], file, values };
  }
  return { dir, project: name, defaults, stacks };
}

/** Reads one stack's values with the project's defaults, by key within the project's namespace. */
export class StackView {
  constructor(
    readonly project: ProjectConfig,
    readonly stack: StackConfigFile,
  ) {}

  get name(): string {
    return this.stack.name;
  }

  /** The raw value of a fully qualified or project key, from the stack file, else Pulumi.yaml. */
  raw(key: string): ConfigValue | undefined {
    const full = qualify(this.project.project, key);
    return this.stack.values[full] ?? this.project.defaults[full];
  }

  /** Whether the stack file itself sets `key`. */
  isSet(key: string): boolean {
    return qualify(this.project.project, key) in this.stack.values;
  }

  /** The value as a string (lists and objects as JSON), or `fallback` when unset. */
  string(key: string, fallback = ""): string {
    const value = this.raw(key);
    if (value === undefined) return fallback;
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  }

  /** A whole number, or `fallback` when unset or not a number. */
  integer(key: string, fallback: number): number {
    const value = Number(this.string(key, String(fallback)));
    return Number.isInteger(value) ? value : fallback;
  }

  /** `true`/`false`, or `fallback` when unset. */
  boolean(key: string, fallback: boolean): boolean {
    const value = this.string(key, String(fallback));
    return value === "true" ? true : value === "false" ? false : fallback;
  }

  /** A list of strings (a YAML list or a JSON string), empty when unset. */
  list(key: string): string[] {
    const value = this.raw(key);
    const parsed = typeof value === "string" ? safeJson(value) : value;
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string") : [];
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
