/**
 * How the recovery CLI names what it restores (docs/CONTRACTS.md): `dr-<runId>-<source>` for a recovery,
 * `drill-<runId>-<source>` for a drill. The dr stack grants its servers the restored tables and buckets by
 * these prefixes, so the grants exist in standby and a flip changes no IAM policy. A contract test keeps
 * them equal to the CLI's naming.
 */
export const RESTORED_NAME_PREFIXES = ["dr-", "drill-"] as const;

/** Whether `name` carries one of {@link RESTORED_NAME_PREFIXES}. */
export function isRestoredName(name: string): boolean {
  return RESTORED_NAME_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** `<base><prefix>*` for each prefix, e.g. table ARNs `arn:aws:dynamodb:us-west-2:*:table/dr-*`. */
export function restoredNamePatterns(base: string, suffix = ""): string[] {
  return RESTORED_NAME_PREFIXES.map((prefix) => `${base}${prefix}*${suffix}`);
}
