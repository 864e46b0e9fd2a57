// Reads before a run: the caller's credentials, a vault and its recovery points, whether the primary region answers.
import { BackupClient, DescribeBackupVaultCommand } from "@aws-sdk/client-backup";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import {
  describeAwsError,
  describeCredentialsError,
  httpStatusOf,
  isCredentialsError,
  isNotFoundError,
} from "../../aws/errors";
import { DrError, errorMessage } from "../../errors";

/** Who the CLI acts as. */
export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
}

/** STS GetCallerIdentity: fails with one actionable line on missing or expired credentials. */
export async function checkCredentials(sts: STSClient, profile?: string): Promise<CallerIdentity> {
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    return { account: out.Account ?? "unknown", arn: out.Arn ?? "unknown" };
  } catch (err) {
    if (isCredentialsError(err)) {
      throw new DrError(describeCredentialsError(err, profile));
    }
    throw new DrError(`cannot verify AWS credentials with STS: ${describeAwsError(err)}`);
  }
}

/** A vault the CLI reads from. */
export interface VaultInfo {
  readonly name: string;
  readonly arn: string;
  readonly numberOfRecoveryPoints: number;
  /** Its Vault Lock's retention bounds in days (DescribeBackupVault), each undefined when not enforced. */
  readonly lock?: { readonly minRetentionDays?: number; readonly maxRetentionDays?: number };
  /** DescribeBackupVault's `VaultType` (`BACKUP_VAULT`, `LOGICALLY_AIR_GAPPED_BACKUP_VAULT`...), when answered. */
  readonly type?: string;
}

/**
 * DescribeBackupVault: fails with one line when the vault does not exist or cannot be read. `accountId`: the
 * vault's owner when it is not the caller's account (a logically air-gapped vault shared through AWS RAM).
 */
export async function checkVault(
  backup: BackupClient,
  vaultName: string,
  region: string,
  accountId?: string,
): Promise<VaultInfo> {
  try {
    const out = await backup.send(
      new DescribeBackupVaultCommand({
        BackupVaultName: vaultName,
        ...(accountId && { BackupVaultAccountId: accountId }),
      }),
    );
    return {
      ...(out.VaultType && { type: out.VaultType }),
      name: vaultName,
      arn: out.BackupVaultArn ?? "",
      numberOfRecoveryPoints: Number(out.NumberOfRecoveryPoints ?? 0),
      lock:
        out.MinRetentionDays !== undefined || out.MaxRetentionDays !== undefined
          ? { minRetentionDays: out.MinRetentionDays, maxRetentionDays: out.MaxRetentionDays }
          : undefined,
    };
  } catch (err) {
    throw vaultError(err, vaultName, region);
  }
}

/** The one-line error for a failed vault call. */
export function vaultError(err: unknown, vaultName: string, region: string): DrError {
  if (isCredentialsError(err)) {
    return new DrError(describeCredentialsError(err));
  }
  if (isNotFoundError(err)) {
    return new DrError(`no backup vault named '${vaultName}' in ${region}`);
  }
  return new DrError(`backup vault '${vaultName}' in ${region} is not reachable: ${describeAwsError(err)}`);
}

/** What the primary-region probe saw. */
export interface PrimaryProbe {
  /** True when the primary region's AWS Backup API answered (success or a 4xx error). */
  readonly reachable: boolean;
  readonly detail: string;
}

/**
 * Asks the primary region's AWS Backup API about the primary vault, once, with a short time-out.
 * An answer (even an error like AccessDenied) means the region is up; a time-out, a network
 * failure or a 5xx means it is not. Failing over while the primary is healthy risks split brain,
 * so the recover command refuses in that case unless told otherwise.
 */
export async function probePrimary(
  backup: BackupClient,
  primaryVaultName: string,
  timeoutMs = 5_000,
): Promise<PrimaryProbe> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    await backup.send(new DescribeBackupVaultCommand({ BackupVaultName: primaryVaultName }), {
      abortSignal: controller.signal,
    });
    return { reachable: true, detail: `primary vault '${primaryVaultName}' answered` };
  } catch (err) {
    const status = httpStatusOf(err);
    if (status !== undefined && status < 500) {
      return { reachable: true, detail: `primary region answered (${describeAwsError(err)})` };
    }
    if (controller.signal.aborted) {
      return { reachable: false, detail: `no answer within ${Math.round(timeoutMs / 1000)} s` };
    }
    return {
      reachable: false,
      detail: status !== undefined ? `HTTP ${status}: ${describeAwsError(err)}` : errorMessage(err),
    };
  } finally {
    clearTimeout(timer);
  }
}
