/** The parts of the dr stack's network that restored resources are placed into. */
export interface RestoreNetwork {
  readonly vpcId?: string;
  readonly privateSubnetIds: readonly string[];
  readonly availabilityZones: readonly string[];
  readonly appSecurityGroupId?: string;
  readonly dbSecurityGroupId?: string;
  readonly dbSubnetGroupName?: string;
}

/**
 * Restore metadata keys are matched case-insensitively ("not case sensitive" per AWS), but the
 * key spelling AWS returned is kept when a value is replaced.
 */
export class MetadataMap {
  private readonly values = new Map<string, { key: string; value: string }>();

  constructor(initial: Readonly<Record<string, string>>) {
    for (const [key, value] of Object.entries(initial)) {
      this.values.set(key.toLowerCase(), { key, value });
    }
  }

  has(key: string): boolean {
    return this.values.has(key.toLowerCase());
  }

  get(key: string): string | undefined {
    return this.values.get(key.toLowerCase())?.value;
  }

  set(key: string, value: string): void {
    const existing = this.values.get(key.toLowerCase());
    this.values.set(key.toLowerCase(), { key: existing?.key ?? key, value });
  }

  /** Lists keep the format AWS used for the key: a JSON array, or comma-separated. */
  setList(key: string, items: readonly string[]): void {
    const existing = this.values.get(key.toLowerCase());
    const commaSeparated = existing !== undefined && !existing.value.trim().startsWith("[");
    this.set(key, commaSeparated ? items.join(",") : JSON.stringify(items));
  }

  delete(key: string): void {
    this.values.delete(key.toLowerCase());
  }

  entries(): Array<[string, string]> {
    return [...this.values.values()].map(({ key, value }) => [key, value]);
  }

  toRecord(): Record<string, string> {
    return Object.fromEntries(this.entries());
  }
}

/** Removes `key` when present, with a note saying it was `what`. */
export function dropIfPresent(meta: MetadataMap, notes: string[], key: string, what: string): void {
  if (meta.has(key)) {
    meta.delete(key);
    notes.push(`${key} removed: ${what}`);
  }
}

/**
 * Keeps only `keep` of a JSON object value; the key goes when nothing is left (or the value is not
 * a JSON object, which cannot be read safely).
 */
export function keepJsonFields(
  meta: MetadataMap,
  notes: string[],
  key: string,
  keep: string[],
  what: string,
): void {
  const raw = meta.get(key);
  if (raw === undefined) {
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    dropIfPresent(meta, notes, key, what);
    return;
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  const kept = entries.filter(([k, v]) => keep.includes(k) && v !== "" && v !== null);
  const removed = entries.filter(([k, v]) => !keep.includes(k) && v !== "" && v !== null).map(([k]) => k);
  if (removed.length === 0) {
    return;
  }
  if (kept.length === 0) {
    meta.delete(key);
    notes.push(`${key} removed: ${what} (${removed.join(", ")})`);
    return;
  }
  meta.set(key, JSON.stringify(Object.fromEntries(kept)));
  notes.push(`${key}: ${removed.join(", ")} removed (${what}), ${kept.map(([k]) => k).join(", ")} kept`);
}
