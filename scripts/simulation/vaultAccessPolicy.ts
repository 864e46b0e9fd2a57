// GetBackupVaultAccessPolicy: the access policy of a simulated vault, as AWS Backup answers it.
import { vaultArn } from "./backupJobs";
import type { FakeServiceAnswer } from "./fakeService";

/**
 * Answers `GET /backup-vaults/<name>/access-policy` (AWS Backup API reference, GetBackupVaultAccessPolicy:
 * `{ BackupVaultArn, BackupVaultName, Policy }`), or undefined for any other request. A vault that does
 * not exist, or has no policy, is a ResourceNotFoundException (the same page's Errors; that a vault
 * without a policy answers it is an unsourced guess, and what the AWS CLI shows for such a vault).
 * @param policies access policy documents by vault name, in the vault's region
 */
export function answerVaultAccessPolicy(
  request: { readonly method: string; readonly parts: readonly string[]; readonly region: string },
  vaultExists: boolean,
  policies: Readonly<Record<string, string>>,
): FakeServiceAnswer | undefined {
  const { method, parts, region } = request;
  if (
    method !== "GET" ||
    parts.length !== 3 ||
    parts[0] !== "backup-vaults" ||
    parts[2] !== "access-policy"
  ) {
    return undefined;
  }
  const name = parts[1];
  const policy = vaultExists ? policies[name] : undefined;
  if (policy === undefined) {
    return {
      operation: "GetBackupVaultAccessPolicy",
      status: 404,
      body: {
        Message: vaultExists ? `Backup vault ${name} has no access policy` : `Backup vault ${name} not found`,
      },
      headers: { "x-amzn-errortype": "ResourceNotFoundException" },
    };
  }
  return {
    operation: "GetBackupVaultAccessPolicy",
    status: 200,
    body: { BackupVaultArn: vaultArn(region, name), BackupVaultName: name, Policy: policy },
  };
}
