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
   * Put an access policy on both vaults that denies deleting recovery points
   * (`backup:DeleteRecoveryPoint`), shortening their lifecycle (`backup:UpdateRecoveryPointLifecycle`),
   * replacing or deleting the policy itself (`backup:PutBackupVaultAccessPolicy`,
   * `backup:DeleteBackupVaultAccessPolicy`), deleting the Vault Lock
   * (`backup:DeleteBackupVaultLockConfiguration`) and deleting the vault (`backup:DeleteBackupVault`) to
   * every principal except the deployer (see `exemptDeployer`) and `breakGlassPrincipalArns`. It
   * includes the shape AWS Config's `backup-recovery-point-manual-deletion-disabled` rule checks.
   * Default: true.
   */
  readonly denyRecoveryPointDeletion?: boolean;
  /**
   * Exempt the principal that deploys the component from the deny policy, so the next `pulumi up` may
   * still change the policy (it denies `PutBackupVaultAccessPolicy` to everyone else). The principal is
   * found at deploy time: the caller's identity (STS GetCallerIdentity) and, for an assumed-role
   * session, its role's ARN (`aws.iam.getSessionContext`, which reads the role with IAM GetRole). Set
   * false when only `breakGlassPrincipalArns` may manage the vaults; the deployer then cannot change the
   * policy either.
   * Default: true.
   */
  readonly exemptDeployer?: boolean;
  /**
   * IAM principals (role or user ARNs, `*` wildcards allowed) exempt from the deny policy, besides the
   * deployer.
   * Default: none.
   */
  readonly breakGlassPrincipalArns?: pulumi.Input<string>[];
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
  exempt: pulumi.Input<string>[],
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
        policy: denyRecoveryPointDeletionPolicy(exempt),
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
 * The vault access policy: deny deleting recovery points, shortening their lifecycle, replacing or
 * deleting this policy, deleting the lock and deleting the vault, to every principal but `exempt`.
 */
export function denyRecoveryPointDeletionPolicy(exempt: pulumi.Input<string>[]): pulumi.Output<string> {
  return pulumi.all(exempt).apply((arns) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyRecoveryPointDeletion",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: [...PROTECTED_VAULT_ACTIONS],
          Resource: "*",
          ...(arns.length > 0 && { Condition: { ArnNotLike: { "aws:PrincipalArn": arns } } }),
        },
      ],
    }),
  );
}

/**
 * The ARN `aws:PrincipalArn` holds for the principal running this deployment: the caller's ARN, or for an
 * assumed-role session its role's ARN, path included. Asked at deploy time only, of STS and (inside the
 * provider's `aws_iam_session_context`, for a session) IAM GetRole; recovery never runs the component.
 */
function deployingPrincipalArn(ctx: ComponentContext): pulumi.Output<string> {
  const caller = aws.getCallerIdentityOutput({}, { parent: ctx.parent });
  return aws.iam.getSessionContextOutput({ arn: caller.arn }, { parent: ctx.parent }).issuerArn;
}

/** Creates the primary and DR vaults, their keys unless given, access policies and locks. */
export function createVaultPair(ctx: ComponentContext, args: VaultPairArgs) {
  const denies = args.denyRecoveryPointDeletion ?? true;
  const exempt = [
    ...(args.breakGlassPrincipalArns ?? []),
    ...(denies && (args.exemptDeployer ?? true) ? [deployingPrincipalArn(ctx)] : []),
  ];
  return {
    primary: createVault(
      ctx,
      "primary",
      ctx.primaryRegion,
      args.primaryVaultName,
      args.primaryKmsKeyArn,
      args,
      exempt,
    ),
    dr: createVault(ctx, "dr", ctx.drRegion, args.drVaultName, args.drKmsKeyArn, args, exempt),
  };
}
