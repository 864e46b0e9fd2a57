/** Reads raw config values by key with the schema's defaults, collecting problems into one `StackConfigError`. */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, CONFIG_SCHEMA, ConfigKey } from "./schema";
import { ConfigSource } from "./source";

/**
 * Invalid configuration, every problem at once, each worded like Pulumi's own config errors
 * (`Configuration 'dr-app:key' value 'v' ...`). A RunError, so `pulumi preview` prints the message alone.
 */
export class StackConfigError extends pulumi.RunError {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "StackConfigError";
  }
}

/** Reads keys with the schema's defaults, recording each problem instead of stopping at the first. */
export class ConfigReader {
  readonly problems: string[] = [];
  /** Not errors: what the stack should say when it runs (a deprecated key, for one). */
  readonly warnings: string[] = [];

  constructor(private readonly source: ConfigSource) {}

  private raw(key: ConfigKey): string {
    const value = this.source.get(`${CONFIG_NAMESPACE}:${key}`);
    if (value !== undefined) return value;
    const fallback = CONFIG_SCHEMA[key].default;
    return typeof fallback === "string" ? fallback : JSON.stringify(fallback);
  }

  /** Records `Configuration 'dr-app:key' value 'v' <rule>`. */
  problem(key: string, value: unknown, rule: string): void {
    const fullKey = key.includes(":") ? key : `${CONFIG_NAMESPACE}:${key}`;
    const shown = typeof value === "string" ? value : JSON.stringify(value);
    this.problems.push(`Configuration '${fullKey}' value '${shown}' ${rule}`);
  }

  /** A string that must match `check` (empty included). */
  string(key: ConfigKey, check?: { pattern: RegExp; rule: string }): string {
    const value = this.raw(key);
    if (check && !check.pattern.test(value)) {
      this.problem(key, value, check.rule);
    }
    return value;
  }

  /** A string that, when set, must match `check`; empty means unset. */
  optional(key: ConfigKey, check?: { pattern: RegExp; rule: string }): string | undefined {
    return this.raw(key) === "" ? undefined : this.string(key, check);
  }

  oneOf<T extends string>(key: ConfigKey, allowed: readonly T[]): T {
    const value = this.raw(key);
    if (!(allowed as readonly string[]).includes(value)) {
      // Pulumi's ConfigEnumError wording.
      this.problem(key, value, `is not a legal enum value (${JSON.stringify(allowed)})`);
      return allowed[0];
    }
    return value as T;
  }

  integer(key: ConfigKey, min: number, max?: number): number {
    const value = this.raw(key);
    const parsed = Number(value);
    if (value.trim() === "" || !Number.isInteger(parsed)) {
      this.problem(key, value, "is not a valid integer");
      return Number(CONFIG_SCHEMA[key].default);
    }
    if (parsed < min || (max !== undefined && parsed > max)) {
      // Pulumi's ConfigRangeError wording.
      this.problem(
        key,
        value,
        `is outside of the legal range (${max === undefined ? `min ${min}` : `${min}-${max}`}, inclusive)`,
      );
    }
    return parsed;
  }

  boolean(key: ConfigKey): boolean {
    const value = this.raw(key);
    if (value !== "true" && value !== "false") {
      this.problem(key, value, "is not a valid boolean");
      return CONFIG_SCHEMA[key].default === true;
    }
    return value === "true";
  }

  /** A structured value (Pulumi passes lists and objects to programs as JSON); undefined when not JSON. */
  json(key: ConfigKey): unknown {
    const value = this.raw(key);
    try {
      return JSON.parse(value) as unknown;
    } catch {
      this.problem(key, value, "is not valid JSON (a list or an object)");
      return undefined;
    }
  }

  stringArray(key: ConfigKey): string[] {
    const value = this.raw(key);
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed) && parsed.every((item) => typeof item === "string")) {
        return parsed;
      }
    } catch {
      // reported below
    }
    this.problem(key, value, "is not a valid array of strings");
    return [];
  }
}
