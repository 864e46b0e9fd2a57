// The vault keys' policy: IAM administers the key as by default, but no one except break-glass can destroy it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext } from "./context";

/**
 * The KMS calls that destroy a vault key or lift its protection: scheduling its deletion (30 days later
 * every recovery point it encrypts is unreadable), disabling it (the same at once, reversibly) and
 * replacing its policy (which lifts this deny).
 */
export const KEY_DESTRUCTION_ACTIONS = [
  "kms:ScheduleKeyDeletion",
  "kms:DisableKey",
  "kms:PutKeyPolicy",
] as const;

/**
 * The actions the key policy denies: all of {@link KEY_DESTRUCTION_ACTIONS} when break-glass principals are
 * named; without them `kms:PutKeyPolicy` is left to IAM, or no one could ever change the policy again.
 */
export function deniedKeyActions(breakGlassNamed: boolean): string[] {
  return KEY_DESTRUCTION_ACTIONS.filter((action) => breakGlassNamed || action !== "kms:PutKeyPolicy");
}

/** The account root principal of a KMS key ARN (`arn:<partition>:kms:<region>:<account>:key/<id>`). */
export function accountRootOf(keyArn: string): string {
  const [, partition, , , account] = keyArn.split(":");
  return `arn:${partition}:iam::${account}:root`;
}

/**
 * A vault key's policy. Its first statement is KMS's default key policy statement: the account's root
 * principal may do everything, which lets IAM policies grant use and administration of the key (KMS
 * developer guide, "Default key policy"), so the deployer manages the key as before and AWS Backup uses it.
 * Its second denies {@link deniedKeyActions} to every principal, the root user included, but
 * `breakGlass` (an explicit deny wins over any allow, IAM "Policy evaluation logic").
 */
export function vaultKeyPolicy(keyArn: string, breakGlass: readonly string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EnableIamPolicies",
        Effect: "Allow",
        Principal: { AWS: accountRootOf(keyArn) },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "DenyKeyDestruction",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: deniedKeyActions(breakGlass.length > 0),
        Resource: "*",
        ...(breakGlass.length > 0 && { Condition: { ArnNotLike: { "aws:PrincipalArn": [...breakGlass] } } }),
      },
    ],
  });
}

/**
 * Puts {@link vaultKeyPolicy} on a key the component created (a key you bring keeps your policy). With
 * break-glass principals named, the deployer itself may no longer call `kms:PutKeyPolicy`, which KMS's
 * lockout safety check refuses unless bypassed (PutKeyPolicy, `BypassPolicyLockoutSafetyCheck`): the
 * bypass is set then, and a later change of this policy must be deployed by a break-glass principal.
 */
export function protectVaultKey(
  ctx: ComponentContext,
  role: string,
  region: string,
  key: aws.kms.Key,
  breakGlass: pulumi.Input<string>[],
): aws.kms.KeyPolicy {
  return new aws.kms.KeyPolicy(
    `${ctx.name}-${role}-key-policy`,
    {
      region,
      keyId: key.keyId,
      policy: pulumi.all([key.arn, pulumi.all(breakGlass)]).apply(([arn, arns]) => vaultKeyPolicy(arn, arns)),
      bypassPolicyLockoutSafetyCheck: breakGlass.length > 0,
    },
    ctx.keep,
  );
}
