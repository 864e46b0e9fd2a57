/**
 * How the recovery CLI names what it restores (docs/CONTRACTS.md): `dr-<runId>-<source>` for a recovery,
 * `drill-<runId>-<source>` for a drill, both in the DR region. The dr stack grants its servers the restored
 * tables and buckets by these prefixes, so the grants exist in standby and a flip changes no IAM policy. A
 * contract test keeps them equal to the CLI's naming.
 */
export const RESTORED_NAME_PREFIXES = ["dr-", "drill-"] as const;

/**
 * How a failback names what it restores in the primary region: `fb-<runId>-<source>`, and
 * `fbdrill-<runId>-<source>` for a failback drill. The prod stack grants its servers these prefixes in
 * advance, so taking failed-back data changes no IAM policy either.
 */
export const FAILED_BACK_NAME_PREFIXES = ["fb-", "fbdrill-"] as const;

/** Whether `name` carries one of `prefixes`. @default prefixes the recovery's, {@link RESTORED_NAME_PREFIXES} */
export function isRestoredName(name: string, prefixes: readonly string[] = RESTORED_NAME_PREFIXES): boolean {
  return prefixes.some((prefix) => name.startsWith(prefix));
}

/**
 * `<base><prefix>*<suffix>` for each of `prefixes`, e.g. table ARNs `arn:aws:dynamodb:us-west-2:*:table/dr-*`.
 * @default prefixes the recovery's, {@link RESTORED_NAME_PREFIXES}
 */
export function restoredNamePatterns(
  base: string,
  suffix = "",
  prefixes: readonly string[] = RESTORED_NAME_PREFIXES,
): string[] {
  return prefixes.map((prefix) => `${base}${prefix}*${suffix}`);
}
