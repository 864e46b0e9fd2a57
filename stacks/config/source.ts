/** Where a stack's raw config values come from, and which stack they belong to. */
/** Where config values come from: Pulumi's runtime config, or a plain map in tests. */
export interface ConfigSource {
  /** The raw value of a fully qualified key (`dr-app:role`, `aws:region`), or undefined when unset. */
  get(fullKey: string): string | undefined;
}

/** A config given as values: fully qualified key -> raw value (what Pulumi passes to a program). */
export function configSource(values: Readonly<Record<string, string>>): ConfigSource {
  return { get: (fullKey) => values[fullKey] };
}

/** The project and stack a config belongs to. */
export interface StackIdentity {
  readonly project: string;
  readonly stack: string;
}
