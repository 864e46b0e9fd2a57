/** A logically air-gapped (LAG) vault in the simulation: what DescribeBackupVault shows of it, who may delete its points, its copies. */
import { createHash } from "crypto";
import { FakeApiError, FakeVault, vaultArn } from "./backupJobs";
import { ACCOUNT } from "./fixtures";
import { isolatedCopyFailure } from "./isolatedCopyRule";
import { SimPoint } from "./recoveryPoints";
import { VaultLock } from "./vaultLock";

/**
 * DescribeBackupVault's `VaultType` of a LAG vault (AWS Backup API, DescribeBackupVault `VaultType`: one of
 * `BACKUP_VAULT | LOGICALLY_AIR_GAPPED_BACKUP_VAULT | RESTORE_ACCESS_BACKUP_VAULT`).
 */
export const LAG_VAULT_TYPE = "LOGICALLY_AIR_GAPPED_BACKUP_VAULT";

/**
 * The Vault Lock a simulated LAG vault has unless told otherwise. A LAG vault is always under Vault Lock in
 * compliance mode (developer guide, "Logically air-gapped vault": "each vault is equipped with AWS Backup
 * Vault Lock's compliance mode"), created with both bounds (CreateLogicallyAirGappedBackupVault:
 * `MinRetentionDays`, "the minimum value accepted is 7 days", and `MaxRetentionDays`, both required). The
 * values are the fake's own: 7 days, the least AWS accepts, and the project's default maximum of 97.
 */
export const DEFAULT_ISOLATED_LOCK: VaultLock = { minRetentionDays: 7, maxRetentionDays: 97 };

/** A LAG vault the simulation holds beside the DR vault, in the DR region. */
export interface IsolatedVaultSeed {
  readonly name: string;
  /** Its recovery points (copies of the DR vault's, as the copy rule to it would have made them). */
  readonly points: SimPoint[];
  /** Its compliance-mode lock. Default {@link DEFAULT_ISOLATED_LOCK}. */
  readonly lock?: VaultLock;
  /** The account that owns it and shares it with the fake's through AWS RAM. Default the fake's account. */
  readonly ownerAccount?: string;
}

/** A simulated vault of `region` made from {@link IsolatedVaultSeed}. */
export function isolatedVault(region: string, seed: IsolatedVaultSeed): FakeVault {
  return {
    region,
    name: seed.name,
    points: seed.points,
    lock: seed.lock ?? DEFAULT_ISOLATED_LOCK,
    type: LAG_VAULT_TYPE,
    ...(seed.ownerAccount && { ownerAccount: seed.ownerAccount }),
  };
}

/**
 * DescribeBackupVault's fields that tell a LAG vault: `VaultType`, and `VaultState` (`CREATING | AVAILABLE |
 * FAILED`; terraform-provider-aws waits for `AVAILABLE` after creating one, logically_air_gapped_vault.go).
 * A simulated LAG vault is always AVAILABLE. For a standard vault the fake answers neither (unsourced: AWS
 * may answer `VaultType: BACKUP_VAULT`); the CLI reads an absent type as a standard vault.
 */
export function isolatedVaultFields(vault: FakeVault): Record<string, unknown> {
  return vault.type === LAG_VAULT_TYPE ? { VaultType: LAG_VAULT_TYPE, VaultState: "AVAILABLE" } : {};
}

/**
 * Why DeleteRecoveryPoint of a point of `vault` is refused, or undefined when it goes ahead. A LAG vault's
 * compliance-mode lock lets no one, root and the owning account's admins included, delete a recovery point
 * before its retention ends (AWS, "Cyber resilience on AWS: a reference approach for recovery from ransomware
 * and destructive events", 2026: "A logically air-gapped vault is always locked in Compliance mode. The
 * service itself enforces retention, so recovery points can't be deleted by any principal, including the
 * account root user or a compromised administrator, within the retention period"; developer guide,
 * "Logically air-gapped vault": always compliance mode, points stored in a service-owned account). The error type
 * (InvalidRequestException) and the message are the fake's guesses: AWS documents the refusal, not its
 * wording. A standard vault's points are deleted: the fake evaluates no vault access policy (an attacker
 * holding the deployer's role, which the deny policy exempts, is what the scenario models).
 */
export function deletionRefusal(vault: FakeVault, recoveryPointArn: string): FakeApiError | undefined {
  if (vault.type !== LAG_VAULT_TYPE) {
    return undefined;
  }
  return new FakeApiError(
    400,
    "InvalidRequestException",
    `Recovery point ${recoveryPointArn} is in logically air-gapped backup vault ${vault.name}, locked in compliance mode: it cannot be deleted before its retention period ends`,
  );
}

/**
 * Who may read a vault, by the call's `BackupVaultAccountId` (ListRecoveryPointsByBackupVault,
 * GetRecoveryPointRestoreMetadata, DescribeBackupVault take it: "the account ID of the specified backup
 * vault"). A vault another account owns (a LAG vault shared through AWS RAM, `ownerAccount`) read without it
 * is refused with AccessDeniedException "Insufficient privileges to perform this action" (developer guide,
 * "Logically air-gapped vault", Troubleshoot: reading a shared vault without the owner's account ID; the
 * section was read through the independent review, not retrieved verbatim here; the same words answer
 * DescribeBackupVault of a vault that does not exist, aws-sdk-js issue 2625). An account ID that does not own
 * the vault is answered as a vault it does not know (ResourceNotFoundException, *unsourced*).
 */
export function checkVaultAccount(
  vault: FakeVault | undefined,
  name: string,
  accountId: string | undefined,
): void {
  const owner = vault?.ownerAccount ?? ACCOUNT;
  if (accountId === undefined && owner !== ACCOUNT) {
    throw new FakeApiError(403, "AccessDeniedException", "Insufficient privileges to perform this action.");
  }
  if (accountId !== undefined && accountId !== owner) {
    throw new FakeApiError(
      404,
      "ResourceNotFoundException",
      `Backup vault ${name} of account ${accountId} not found`,
    );
  }
}

/**
 * The LAG vault's copies of `points` (a rule's copy action into it, CopyActions.DestinationBackupVaultArn):
 * each a COMPLETED point of the same resource and data, created `delayMs` after its source (the copy's
 * time), with its own ARN in `region` and `SourceBackupVaultArn` naming the DR vault. A point whose copy
 * AWS fails (isolatedCopyRule.ts: a type not fully managed by AWS Backup with an AWS managed key, a type the
 * LAG vault does not take) has none: {@link refusedIsolatedCopies} says which and why. The ARN has AWS
 * Backup's form, `arn:aws:backup:<region>:<account>:recovery-point:<id>`, whatever the resource type (an EBS
 * or RDS snapshot's ARN in a standard vault is the service's own): developer guide, "Logically air-gapped
 * vault", Considerations and limitations (the recovery point ARN of a point in a LAG vault; the section was
 * read through the independent review, not retrieved verbatim here). The id after `recovery-point:` is the
 * fake's own hash.
 */
export function isolatedCopies(
  points: readonly SimPoint[],
  region: string,
  sourceVaultName: string,
  delayMs = 0,
): SimPoint[] {
  return completed(points)
    .filter((p) => isolatedCopyFailure(p) === undefined)
    .map((p) => ({
      ...p,
      recoveryPointArn: `arn:aws:backup:${region}:${ACCOUNT}:recovery-point:${createHash("sha256")
        .update(`isolated:${p.recoveryPointArn}`)
        .digest("hex")
        .slice(0, 32)}`,
      creationDate: new Date(p.creationDate.getTime() + delayMs),
      status: "COMPLETED",
      sourceBackupVaultArn: vaultArn(region, sourceVaultName),
    }));
}

/** A COMPLETED point whose copy into a LAG vault fails, and the copy job's reason. */
export interface RefusedCopy {
  readonly point: SimPoint;
  readonly reason: string;
}

/** The COMPLETED points of `points` that {@link isolatedCopies} leaves out, each with why AWS fails its copy. */
export function refusedIsolatedCopies(points: readonly SimPoint[]): RefusedCopy[] {
  return completed(points).flatMap((point) => {
    const reason = isolatedCopyFailure(point);
    return reason === undefined ? [] : [{ point, reason }];
  });
}

function completed(points: readonly SimPoint[]): SimPoint[] {
  return points.filter((p) => (p.status ?? "COMPLETED") === "COMPLETED");
}
