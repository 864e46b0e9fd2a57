// The vault pair: both regions' backup vaults, their KMS keys, the lock and the deny-delete policy.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext } from "./context";
import { protectVaultKey } from "./keyPolicy";
import { physicalName, VAULT_NAME } from "./naming";

/**
 * AWS Backup Vault Lock for both vaults. Governance mode when `changeableForDays` is unset (removable by
 * sufficiently privileged users); compliance mode when set (immutable once that many days have passed).
 */
export interface VaultLockArgs {
  /**
   * Shortest retention a recovery point may have in the vault, 1-36500 days; jobs asking for less fail.
   * Default: no minimum.
   */
  readonly minRetentionDays?: number;
  /**
   * Longest retention a recovery point may have in the vault, 1-36500 days; jobs asking for more fail.
   * Default: no maximum.
   */
  readonly maxRetentionDays?: number;
  /**
   * Days (at least 3, AWS's cooling-off period) until the lock becomes immutable (compliance mode).
   * Default: unset: governance mode.
   */
  readonly changeableForDays?: number;
}

/** The two vaults: one in the primary region, one in the DR region, each with its KMS key. */
export interface VaultPairArgs {
  /**
   * Name of the primary vault: 2-50 letters, digits, `-` or `_`.
   * Default: derived from the component name, always valid.
   */
  readonly primaryVaultName?: string;
  /**
   * Name of the DR vault: 2-50 letters, digits, `-` or `_`.
   * Default: derived from the component name, always valid.
   */
  readonly drVaultName?: string;
  /**
   * ARN of an existing KMS key (in the primary region) to encrypt the primary vault.
   * Default: a customer managed key created by the component, with yearly rotation.
   */
  readonly primaryKmsKeyArn?: pulumi.Input<string>;
  /**
   * ARN of an existing KMS key (in the DR region) to encrypt the DR vault and the S3 replicas.
   * Default: a customer managed key created by the component, with yearly rotation.
   */
  readonly drKmsKeyArn?: pulumi.Input<string>;
  /**
   * Vault Lock applied to both vaults.
   * Default: no lock.
   */
  readonly lock?: VaultLockArgs;
  /**
   * Put an access policy on both vaults that denies deleting recovery points
   * (`backup:DeleteRecoveryPoint`), shortening their lifecycle (`backup:UpdateRecoveryPointLifecycle`),
   * deleting the Vault Lock (`backup:DeleteBackupVaultLockConfiguration`) and deleting the vault
   * (`backup:DeleteBackupVault`) to every principal but `deployerPrincipalArns` and
   * `breakGlassPrincipalArns`; with `deployerPrincipalArns` also replacing or deleting the policy itself
   * (`backup:PutBackupVaultAccessPolicy`, `backup:DeleteBackupVaultAccessPolicy`). It includes the shape
   * AWS Config's `backup-recovery-point-manual-deletion-disabled` rule checks.
   * Default: true.
   */
  readonly denyRecoveryPointDeletion?: boolean;
  /**
   * The principals that deploy the component (role or user ARNs as `aws:PrincipalArn` reports them: an
   * assumed-role session counts as its role, path included; `*` wildcards allowed), e.g. the CI role and
   * the operators' SSO roles. They are exempt from the deny policy, and the policy then also denies
   * replacing or deleting itself to everyone else. The policy is the same whoever runs `pulumi up`, so
   * any listed principal may update it; an update by anyone else is denied (an explicit deny wins).
   * Default: none: the policy leaves replacing and deleting itself to IAM, so no deployer is ever locked
   * out, and still denies the other actions to everyone but `breakGlassPrincipalArns`; every change of
   * the policy or the lock raises an alert (see `monitoring`), so protection is not lifted silently.
   */
  readonly deployerPrincipalArns?: pulumi.Input<string>[];
  /**
   * IAM principals (role or user ARNs, `*` wildcards allowed) exempt from the deny policy, besides
   * `deployerPrincipalArns`.
   * Default: none.
   */
  readonly breakGlassPrincipalArns?: pulumi.Input<string>[];
  /**
   * Put a key policy on the keys the component creates that keeps KMS's default grant to the account (IAM
   * policies administer and use the key) and denies `kms:ScheduleKeyDeletion` and `kms:DisableKey`, and
   * with `breakGlassPrincipalArns` also `kms:PutKeyPolicy`, to every principal but the break-glass ones: an
   * admin of the account can no longer make every recovery point unreadable by deleting the keys. Without
   * break-glass principals no one can delete or disable the keys, and replacing the policy stays with IAM
   * (and raises an alert, see `monitoring`). With them, only they can change this policy later (a
   * `pulumi up` changing it must run as one of them). Keys you bring keep their own policy.
   * Default: true.
   */
  readonly protectKeys?: boolean;
}

/**
 * Actions the vault access policy denies: every AWS Backup action that removes recovery points or the
 * protections around them. AWS rejects wildcards in vault policy actions, so each is named.
 */
export const PROTECTED_VAULT_ACTIONS = [
  "backup:DeleteRecoveryPoint",
  "backup:UpdateRecoveryPointLifecycle",
  "backup:PutBackupVaultAccessPolicy",
  "backup:DeleteBackupVaultAccessPolicy",
  "backup:DeleteBackupVaultLockConfiguration",
  "backup:DeleteBackupVault",
] as const;

/**
 * The actions that change the policy itself: denied only when `deployerPrincipalArns` names who may still
 * make them, so a stack whose deployers are unnamed never locks them out of its own `pulumi up`.
 */
export const VAULT_POLICY_ACTIONS = [
  "backup:PutBackupVaultAccessPolicy",
  "backup:DeleteBackupVaultAccessPolicy",
] as const;

/** The actions the deny policy covers: all of {@link PROTECTED_VAULT_ACTIONS} when deployers are named. */
export function deniedVaultActions(deployersNamed: boolean): string[] {
  return PROTECTED_VAULT_ACTIONS.filter(
    (action) => deployersNamed || !(VAULT_POLICY_ACTIONS as readonly string[]).includes(action),
  );
}

/** One vault and the key that encrypts it. */
export interface VaultWithKey {
  readonly vault: aws.backup.Vault;
  readonly keyArn: pulumi.Output<string>;
}

function createVault(
  ctx: ComponentContext,
  role: "primary" | "dr",
  region: string,
  explicitName: string | undefined,
  keyArn: pulumi.Input<string> | undefined,
  args: VaultPairArgs,
  policy: pulumi.Output<string> | undefined,
): VaultWithKey {
  const key =
    keyArn === undefined
      ? new aws.kms.Key(
          `${ctx.name}-${role}-key`,
          {
            region,
            description: `AWS Backup ${role} vault key for ${ctx.name}`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            tags: ctx.tags,
          },
          ctx.keep,
        )
      : undefined;
  if (key && (args.protectKeys ?? true)) {
    protectVaultKey(ctx, role, region, key, args.breakGlassPrincipalArns ?? []);
  }
  const logicalName = `${ctx.name}-${role}-vault`;
  const vault = new aws.backup.Vault(
    logicalName,
    {
      region,
      name: explicitName ?? physicalName(logicalName, VAULT_NAME),
      kmsKeyArn: key ? key.arn : keyArn,
      tags: ctx.tags,
    },
    ctx.keep,
  );
  if (policy) {
    new aws.backup.VaultPolicy(
      `${ctx.name}-${role}-vault-policy`,
      { region, backupVaultName: vault.name, policy },
      ctx.keep,
    );
  }
  if (args.lock) {
    new aws.backup.VaultLockConfiguration(
      `${ctx.name}-${role}-vault-lock`,
      {
        region,
        backupVaultName: vault.name,
        minRetentionDays: args.lock.minRetentionDays,
        maxRetentionDays: args.lock.maxRetentionDays,
        changeableForDays: args.lock.changeableForDays,
      },
      ctx.keep,
    );
  }
  return { vault, keyArn: key ? key.arn : pulumi.output(keyArn as pulumi.Input<string>) };
}

/**
 * The vault access policy: deny `actions` (see {@link deniedVaultActions}) to every principal but `exempt`.
 * It names no caller, so it is the same whoever deploys.
 */
export function denyRecoveryPointDeletionPolicy(
  exempt: pulumi.Input<string>[],
  actions: readonly string[] = PROTECTED_VAULT_ACTIONS,
): pulumi.Output<string> {
  return pulumi.all(exempt).apply((arns) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyRecoveryPointDeletion",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: [...actions],
          Resource: "*",
          ...(arns.length > 0 && { Condition: { ArnNotLike: { "aws:PrincipalArn": arns } } }),
        },
      ],
    }),
  );
}

/** Creates the primary and DR vaults, their keys unless given, access policies and locks. */
export function createVaultPair(ctx: ComponentContext, args: VaultPairArgs) {
  const deployers = args.deployerPrincipalArns ?? [];
  const policy =
    (args.denyRecoveryPointDeletion ?? true)
      ? denyRecoveryPointDeletionPolicy(
          [...deployers, ...(args.breakGlassPrincipalArns ?? [])],
          deniedVaultActions(deployers.length > 0),
        )
      : undefined;
  return {
    primary: createVault(
      ctx,
      "primary",
      ctx.primaryRegion,
      args.primaryVaultName,
      args.primaryKmsKeyArn,
      args,
      policy,
    ),
    dr: createVault(ctx, "dr", ctx.drRegion, args.drVaultName, args.drKmsKeyArn, args, policy),
  };
}
