// The isolated copy: a logically air-gapped vault in the DR region, and its optional sharing through AWS RAM.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext } from "./context";
import { physicalName, VAULT_NAME } from "./naming";
import { BackupRuleArgs, copyLifecycle } from "./rule";

/**
 * A logically air-gapped (LAG) vault in the DR region that receives a second copy of every recovery point a
 * rule copies to DR. AWS keeps a LAG vault under Vault Lock in compliance mode from its creation, stores its
 * recovery points in an AWS service-owned account and encrypts them with an AWS-owned key: no principal of
 * the production account, its root user included, can delete a copy before its retention ends, nor delete
 * the key that protects it (AWS Backup developer guide, "Logically air-gapped vault").
 *
 * Each rule with `copyToDr` gets a second copy action to this vault, beside the one to the DR vault (AWS
 * Backup allows up to five copy actions per rule, "AWS Backup quotas"). The copy keeps the DR copy's
 * retention and stays in warm storage: the component asks for no cold-storage transition in a LAG vault.
 * The plan cannot target the LAG vault directly (`targetLogicallyAirGappedBackupVaultArn` must name a vault
 * in the plan's own region, the primary region).
 */
export interface IsolationArgs {
  /**
   * Create the LAG vault and copy to it. The vault's compliance lock is irreversible and every copy is
   * billed for its whole retention, so a library user opts in; this repository's prod stack turns it on
   * (its `isolation` config), since its threat model includes someone holding admin credentials.
   * Default: false.
   */
  readonly enabled?: boolean;
  /**
   * Name of the LAG vault: 2-50 letters, digits, `-` or `_`.
   * Default: derived from the component name, always valid.
   */
  readonly vaultName?: string;
  /**
   * Shortest retention a copy may have in the LAG vault: 7 (AWS's minimum) to 36500 days. AWS fails every
   * copy job asking for less, and no one can delete a copy before it. Required with `enabled`: AWS replaces
   * the vault when a bound changes (terraform-provider-aws logically_air_gapped_vault.go, ForceNew), so it
   * is chosen once rather than derived from the plan. Default: none (required).
   */
  readonly minRetentionDays?: number;
  /**
   * Longest retention a copy may have in the LAG vault: `minRetentionDays` to 36500 days. AWS fails every
   * copy job asking for more. Required with `enabled`, like `minRetentionDays`. Default: none (required).
   */
  readonly maxRetentionDays?: number;
  /**
   * 12-digit ids of recovery accounts the LAG vault is shared with through AWS RAM, so they can restore
   * from it when the production account is compromised or closed. Sharing creates a RAM resource share in
   * the DR region that allows principals outside your organization. (Multi-party approval, the other
   * way AWS offers to reach the vault when the account is lost, has no resource in the AWS provider yet: associate
   * an approval team with `aws backup associate-backup-vault-mpa-approval-team` after deploying.)
   * Default: none: the vault is not shared.
   */
  readonly recoveryAccountIds?: string[];
}

/** AWS's shortest minimum retention for a LAG vault (CreateLogicallyAirGappedBackupVault, MinRetentionDays). */
export const MIN_LAG_RETENTION_DAYS = 7;

/** How long each rule that copies to DR keeps its copies, in days. */
export function drCopyRetentions(rules: readonly BackupRuleArgs[]): number[] {
  return rules.flatMap((rule) => {
    const copy = copyLifecycle(rule);
    return copy ? [copy.deleteAfterDays] : [];
  });
}

/** The LAG vault's retention bounds: the given ones, else the plan's shortest and longest DR copy. */
export function isolationRetentionBounds(
  isolation: IsolationArgs,
  rules: readonly BackupRuleArgs[],
): { minRetentionDays: number; maxRetentionDays: number } {
  const retentions = drCopyRetentions(rules);
  return {
    minRetentionDays: isolation.minRetentionDays ?? Math.min(...retentions),
    maxRetentionDays: isolation.maxRetentionDays ?? Math.max(...retentions),
  };
}

/** Whether the isolated copy is on. */
export function isolationEnabled(isolation: IsolationArgs | undefined): isolation is IsolationArgs {
  return isolation?.enabled ?? false;
}

/** The LAG vault and, when recovery accounts are named, its RAM share. */
export interface IsolatedVault {
  readonly vault: aws.backup.LogicallyAirGappedVault;
}

/** Creates the LAG vault in the DR region (kept on destroy like every vault) and shares it when asked. */
export function createIsolatedVault(
  ctx: ComponentContext,
  isolation: IsolationArgs,
  rules: readonly BackupRuleArgs[],
): IsolatedVault {
  const logicalName = `${ctx.name}-isolated-vault`;
  const bounds = isolationRetentionBounds(isolation, rules);
  const vault = new aws.backup.LogicallyAirGappedVault(
    logicalName,
    {
      region: ctx.drRegion,
      name: isolation.vaultName ?? physicalName(logicalName, VAULT_NAME),
      minRetentionDays: bounds.minRetentionDays,
      maxRetentionDays: bounds.maxRetentionDays,
      tags: ctx.tags,
    },
    ctx.keep,
  );
  const accounts = isolation.recoveryAccountIds ?? [];
  if (accounts.length > 0) {
    const share = new aws.ram.ResourceShare(
      `${ctx.name}-isolated-vault-share`,
      {
        region: ctx.drRegion,
        name: `${ctx.name}-isolated-vault`,
        allowExternalPrincipals: true,
        tags: ctx.tags,
      },
      ctx.child,
    );
    new aws.ram.ResourceAssociation(
      `${ctx.name}-isolated-vault-share-vault`,
      { region: ctx.drRegion, resourceArn: vault.arn, resourceShareArn: share.arn },
      ctx.child,
    );
    accounts.forEach((account) => {
      new aws.ram.PrincipalAssociation(
        `${ctx.name}-isolated-vault-share-${account}`,
        { region: ctx.drRegion, principal: account, resourceShareArn: share.arn },
        ctx.child,
      );
    });
  }
  return { vault };
}

/** The name and ARN outputs of the isolated copy, undefined when isolation is off. */
export function isolatedVaultOutputs(isolated: IsolatedVault | undefined) {
  return {
    name: isolated ? isolated.vault.name : pulumi.output<string | undefined>(undefined),
    arn: isolated ? isolated.vault.arn : pulumi.output<string | undefined>(undefined),
  };
}
