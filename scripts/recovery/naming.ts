import { createHash, randomBytes } from "crypto";
import { ResourceType } from "./resourceTypes";

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

/** Prefix of the names a run gives to restored resources: `drill-<runId>-` or `dr-<runId>-`. */
export function namePrefix(kind: "recover" | "drill", runId: string): string {
  return `${kind === "drill" ? "drill" : "dr"}-${runId}-`;
}

interface NameRule {
  maxLength: number;
  lowerCase: boolean;
  invalid: RegExp;
}

// Service naming rules: RDS/Aurora identifiers (letters, digits, single hyphens, <= 63), S3 buckets
// (lower case, digits, hyphens, <= 63), DynamoDB tables ([A-Za-z0-9_.-], <= 255), EFS creation
// tokens (<= 64).
const rules: Record<ResourceType, NameRule> = {
  RDS: { maxLength: 63, lowerCase: true, invalid: /[^a-z0-9-]/g },
  Aurora: { maxLength: 63, lowerCase: true, invalid: /[^a-z0-9-]/g },
  S3: { maxLength: 63, lowerCase: true, invalid: /[^a-z0-9-]/g },
  DynamoDB: { maxLength: 255, lowerCase: false, invalid: /[^A-Za-z0-9_.-]/g },
  EFS: { maxLength: 64, lowerCase: false, invalid: /[^A-Za-z0-9_.-]/g },
  EC2: { maxLength: 255, lowerCase: false, invalid: /[^A-Za-z0-9_.-]/g },
  EBS: { maxLength: 255, lowerCase: false, invalid: /[^A-Za-z0-9_.-]/g },
};

/**
 * The name of the restored copy of `sourceName`: `prefix + sourceName`, made valid for the
 * service. When it must be shortened, a hash of the full name keeps two long sources distinct.
 */
export function restoredName(type: ResourceType, prefix: string, sourceName: string): string {
  const rule = rules[type];
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
