// Run ids and the names given to restored resources (the prefix each kind of run uses).
import { createHash, randomBytes } from "crypto";
import type { RunKind } from "./journal";
import type { NameRule } from "../resources/resourceRecovery";

/**
 * A run id: UTC time stamp plus two random hex digits, e.g. `20260412t093000a7`. Short enough to
 * prefix resource names, sortable, and unique enough for runs started by hand.
 */
export function newRunId(nowMs: number, random: () => string = () => randomBytes(1).toString("hex")): string {
  const stamp = new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "")
    .toLowerCase();
  return `${stamp}${random()}`;
}

/** What each kind of run starts the names of what it restores with (stacks/restoredNames.ts grants them). */
const NAME_PREFIXES: Record<RunKind, string> = {
  recover: "dr",
  drill: "drill",
  failback: "fb",
  "failback-drill": "fbdrill",
};

/**
 * Prefix of the names a run gives to restored resources: `dr-<runId>-`, `drill-<runId>-`, and in the
 * primary region `fb-<runId>-` (failback) or `fbdrill-<runId>-` (failback drill).
 */
export function namePrefix(kind: RunKind, runId: string): string {
  return `${NAME_PREFIXES[kind]}-${runId}-`;
}

/**
 * The name of the restored copy of `sourceName`: `prefix + sourceName`, made valid by the service's
 * rule. When it must be shortened, a hash of the full name keeps two long sources distinct.
 */
export function restoredName(rule: NameRule, prefix: string, sourceName: string): string {
  const clean = (text: string) => {
    let out = rule.lowerCase ? text.toLowerCase() : text;
    out = out.replace(rule.invalid, "-").replace(/-{2,}/g, "-");
    return out;
  };
  let name = clean(prefix + sourceName).replace(/-+$/, "");
  if (name.length > rule.maxLength) {
    const hash = createHash("sha256").update(sourceName).digest("hex").slice(0, 6);
    name = `${name.slice(0, rule.maxLength - hash.length - 1).replace(/-+$/, "")}-${hash}`;
  }
  return name;
}
