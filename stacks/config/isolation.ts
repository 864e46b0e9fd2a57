/** Reads the isolated copy: the logically air-gapped vault, on by default for prod, its bounds and sharing. */
import { IsolationArgs } from "@restorekit/backup-restore-dr";
import { DataEntrySettings } from "./settings";
import { ConfigReader } from "./reader";

/**
 * The isolated copy, on unless `isolation` is false: prod's threat model includes someone holding admin
 * credentials in its account, and only a logically air-gapped vault keeps a copy they cannot delete. Its
 * bounds must be set while it is on: AWS replaces the vault when they change (terraform-provider-aws
 * logically_air_gapped_vault.go, ForceNew), so they may not follow the plan's retentions silently; the
 * component then checks every DR copy against them like AWS.
 */
export function readIsolation(reader: ConfigReader): IsolationArgs {
  const enabled = reader.boolean("isolation");
  const minRetentionDays = reader.integer("isolationMinRetentionDays", 0, 36500);
  const maxRetentionDays = reader.integer("isolationMaxRetentionDays", 0, 36500);
  const recoveryAccountIds = reader.stringArray("isolationRecoveryAccountIds");
  if (enabled) {
    for (const [key, value] of [
      ["isolationMinRetentionDays", minRetentionDays],
      ["isolationMaxRetentionDays", maxRetentionDays],
    ] as const) {
      if (value === 0) {
        reader.problem(
          key,
          value,
          "must be set (7 to 36500 days) while isolation is on: AWS replaces the logically air-gapped vault when its retention bounds change (terraform-provider-aws logically_air_gapped_vault.go, ForceNew), so they are chosen once, not derived from the plan",
        );
      }
    }
  }
  return {
    enabled,
    ...(minRetentionDays > 0 && { minRetentionDays }),
    ...(maxRetentionDays > 0 && { maxRetentionDays }),
    ...(recoveryAccountIds.length > 0 && { recoveryAccountIds }),
  };
}

/**
 * The kinds whose backups AWS Backup does not fully manage, with the AWS managed key the stack encrypts
 * them with unless `customerManagedDataKey` is on (RDS and Aurora: aws/rds; EBS: aws/ebs). DynamoDB, EFS
 * and S3 are fully managed and copy into the vault with the vault's own key.
 */
export const NOT_FULLY_MANAGED_KEYS: Readonly<Partial<Record<DataEntrySettings["kind"], string>>> = {
  rds: "aws/rds",
  aurora: "aws/rds",
  ebs: "aws/ebs",
};

/** Why such a resource's copies cannot reach the LAG vault, with the source. */
export const AWS_MANAGED_KEY_SOURCE =
  'AWS Backup copies a resource type it does not fully manage into a logically air-gapped vault only when the source is encrypted with a customer managed key (AWS Backup developer guide, "Logically air-gapped vault", Compatible encryption; "Full AWS Backup management")';

/** An inventory resource whose copies cannot reach the isolated vault, and the AWS managed key why. */
export interface NotIsolated {
  readonly name: string;
  readonly kind: string;
  readonly key: string;
}

/**
 * The inventory resources whose copies cannot reach the isolated vault: with isolation on and
 * `customerManagedDataKey` off, each RDS, Aurora and EBS entry is under an AWS managed key, so AWS fails
 * its copy jobs into the vault and only the DR vault holds its copies.
 */
export function notIsolatedEntries(
  data: readonly DataEntrySettings[],
  isolation: IsolationArgs,
  customerManagedDataKey: boolean,
): NotIsolated[] {
  if (!(isolation.enabled ?? false) || customerManagedDataKey) return [];
  return data.flatMap((entry) => {
    const key = NOT_FULLY_MANAGED_KEYS[entry.kind];
    return key === undefined ? [] : [{ name: entry.name, kind: entry.kind, key }];
  });
}

/** One warning per {@link notIsolatedEntries} entry, naming it, its key, the source and the way out. */
export function isolationKeyWarnings(
  data: readonly DataEntrySettings[],
  isolation: IsolationArgs,
  customerManagedDataKey: boolean,
): string[] {
  return notIsolatedEntries(data, isolation, customerManagedDataKey).map(
    ({ name, kind, key }) =>
      `data entry '${name}' (${kind}) is not in the isolated vault: encrypted with the AWS managed key ${key}, and ${AWS_MANAGED_KEY_SOURCE}; only the DR vault holds its copies. Set dr-app:customerManagedDataKey to true for a new deployment (it REPLACES existing resources: restore the data into them first).`,
  );
}
