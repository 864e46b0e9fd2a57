import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext } from "./context";
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
   * Put an access policy on both vaults that denies `backup:DeleteRecoveryPoint`,
   * `backup:UpdateRecoveryPointLifecycle` and `backup:PutBackupVaultAccessPolicy` to every principal
   * except `breakGlassPrincipalArns` (the shape AWS Config's
   * `backup-recovery-point-manual-deletion-disabled` rule checks).
   * Default: true.
   */
  readonly denyRecoveryPointDeletion?: boolean;
  /**
   * IAM principals (role or user ARNs, `*` wildcards allowed) exempt from the deny policy. Include the
   * role that deploys this stack if it must be able to change the vault policy later.
   * Default: none: nobody can delete recovery points or change the policy through AWS Backup.
   */
  readonly breakGlassPrincipalArns?: pulumi.Input<string>[];
}

/** Actions the vault access policy denies. AWS rejects wildcards in vault policy actions. */
export const PROTECTED_VAULT_ACTIONS = [
  "backup:DeleteRecoveryPoint",
  "backup:UpdateRecoveryPointLifecycle",
  "backup:PutBackupVaultAccessPolicy",
] as const;

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
  if (args.denyRecoveryPointDeletion ?? true) {
    new aws.backup.VaultPolicy(
      `${ctx.name}-${role}-vault-policy`,
      {
        region,
        backupVaultName: vault.name,
        policy: denyRecoveryPointDeletionPolicy(args.breakGlassPrincipalArns),
      },
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
 * The vault access policy: deny deleting recovery points, shortening their lifecycle and replacing this
 * policy to every principal but the break-glass ones.
 */
export function denyRecoveryPointDeletionPolicy(
  breakGlassPrincipalArns: pulumi.Input<string>[] | undefined,
): pulumi.Output<string> {
  return pulumi.all(breakGlassPrincipalArns ?? []).apply((exempt) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyRecoveryPointDeletion",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: [...PROTECTED_VAULT_ACTIONS],
          Resource: "*",
          ...(exempt.length > 0 && { Condition: { ArnNotLike: { "aws:PrincipalArn": exempt } } }),
        },
      ],
    }),
  );
}

/** Creates the primary and DR vaults, their keys unless given, access policies and locks. */
export function createVaultPair(ctx: ComponentContext, args: VaultPairArgs) {
  return {
    primary: createVault(
      ctx,
      "primary",
      ctx.primaryRegion,
      args.primaryVaultName,
      args.primaryKmsKeyArn,
      args,
    ),
    dr: createVault(ctx, "dr", ctx.drRegion, args.drVaultName, args.drKmsKeyArn, args),
  };
}
