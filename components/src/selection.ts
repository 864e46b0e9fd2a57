// Which resources the plan protects: tags, conditions and ARNs; the backup role and the selection.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext } from "./context";
import { IAM_NAME_CHAR, IAM_ROLE_NAME_PREFIX_MAX, namePrefix, physicalName, PLAN_NAME } from "./naming";
import { partitionOf } from "./validation/regions";

/** A tag key and value compared by a selection condition. */
export interface TagConditionArgs {
  /** Tag key, e.g. `backup` (`aws:ResourceTag/` is added when missing). */
  readonly key: string;
  /** Value to compare; `StringLike` and `StringNotLike` accept `*` anywhere. */
  readonly value: string;
}

/** Tag conditions a resource must all meet (AND), evaluated by AWS Backup, case-sensitive. */
export interface SelectionConditionsArgs {
  /** Default: none. */
  readonly stringEquals?: TagConditionArgs[];
  /** Default: none. */
  readonly stringLike?: TagConditionArgs[];
  /** Default: none. */
  readonly stringNotEquals?: TagConditionArgs[];
  /** Default: none. */
  readonly stringNotLike?: TagConditionArgs[];
}

/**
 * Which resources the plan protects. A resource is selected when it matches any of `tags` or
 * `resources` and all `conditions`, and is not in `notResources`. At least one of `tags`, `conditions`
 * and `resources` is required (an empty selection would make AWS Backup select every resource).
 */
export interface BackupSelectionArgs {
  /**
   * Selection name: 1-50 letters, digits, `-`, `_` or `.`.
   * Default: derived from the component name.
   */
  readonly name?: string;
  /**
   * Resources carrying any one of these tags (OR), e.g. `{ backup: "true" }`.
   * Default: none.
   */
  readonly tags?: { [key: string]: string };
  /**
   * Tag conditions every selected resource must meet (AND). Given without `tags` or `resources`, they
   * filter all supported resources (`resources: ["*"]`).
   * Default: none.
   */
  readonly conditions?: SelectionConditionsArgs;
  /**
   * Resource ARNs to protect (OR), at most 500, or 30 if any has a wildcard; a wildcard `*` only at the
   * end.
   * Default: none.
   */
  readonly resources?: pulumi.Input<string>[];
  /**
   * Resource ARNs to leave out, same limits as `resources`.
   * Default: none.
   */
  readonly notResources?: pulumi.Input<string>[];
  /**
   * IAM role AWS Backup assumes to back up and restore. It must trust `backup.amazonaws.com`.
   * Default: a role created by the component with AWS's managed policies for backup, restore, S3 backup and S3 restore.
   */
  readonly roleArn?: pulumi.Input<string>;
}

/** The four kinds of tag condition, in the order AWS Backup's API lists them. */
export const CONDITION_KINDS: readonly (keyof SelectionConditionsArgs)[] = [
  "stringEquals",
  "stringLike",
  "stringNotEquals",
  "stringNotLike",
];

/** Whether the conditions hold at least one entry. */
export function hasConditions(conditions: SelectionConditionsArgs | undefined): boolean {
  return CONDITION_KINDS.some((kind) => (conditions?.[kind]?.length ?? 0) > 0);
}

/** The AWS managed policies the component's backup role gets (S3 ones have no `service-role/` path). */
export const BACKUP_ROLE_MANAGED_POLICIES = [
  "service-role/AWSBackupServiceRolePolicyForBackup",
  "service-role/AWSBackupServiceRolePolicyForRestores",
  "AWSBackupServiceRolePolicyForS3Backup",
  "AWSBackupServiceRolePolicyForS3Restore",
] as const;

/** Condition keys must name the tag as `aws:ResourceTag/<key>`. */
export function conditionKey(key: string): string {
  return key.startsWith("aws:ResourceTag/") ? key : `aws:ResourceTag/${key}`;
}

/** The backup role (created unless given) and the selection attached to the plan. */
export interface SelectionResources {
  readonly selection: aws.backup.Selection;
  readonly roleArn: pulumi.Output<string>;
}

/**
 * Creates the role AWS Backup assumes, with AWS's managed policies for backup and restore. Returns the
 * role and its policy attachments, which the selection waits for (CreateBackupSelection checks that the
 * role may call tag:GetResources).
 */
function createBackupRole(ctx: ComponentContext): {
  role: aws.iam.Role;
  attachments: aws.iam.RolePolicyAttachment[];
} {
  const role = new aws.iam.Role(
    `${ctx.name}-backup-role`,
    {
      namePrefix: namePrefix(`${ctx.name}-backup`, IAM_ROLE_NAME_PREFIX_MAX, IAM_NAME_CHAR),
      description: `AWS Backup service role for ${ctx.name}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
      tags: ctx.tags,
    },
    ctx.child,
  );
  const partition = partitionOf(ctx.primaryRegion);
  const attachments = BACKUP_ROLE_MANAGED_POLICIES.map(
    (policy) =>
      new aws.iam.RolePolicyAttachment(
        `${ctx.name}-backup-role-${policy.split("/").pop()}`,
        { role: role.name, policyArn: `arn:${partition}:iam::aws:policy/${policy}` },
        ctx.child,
      ),
  );
  return { role, attachments };
}

/** `opts` also depending on `resources`, after whatever `opts.dependsOn` holds (the component's gate). */
function withDependencies(
  opts: pulumi.CustomResourceOptions,
  resources: pulumi.Resource[],
): pulumi.CustomResourceOptions {
  const gate = pulumi.output(opts.dependsOn ?? []) as pulumi.Output<pulumi.Resource | pulumi.Resource[]>;
  return {
    ...opts,
    dependsOn: gate.apply((before) => [...([] as pulumi.Resource[]).concat(before), ...resources]),
  };
}

/** Creates the selection (and the backup role unless one is given) for the plan. */
export function createSelection(
  ctx: ComponentContext,
  selection: BackupSelectionArgs,
  planId: pulumi.Input<string>,
): SelectionResources {
  const created = selection.roleArn ? undefined : createBackupRole(ctx);
  const roleArn = created ? created.role.arn : pulumi.output(selection.roleArn as pulumi.Input<string>);
  const conditions = selection.conditions ?? {};
  const toCondition = (list: TagConditionArgs[] | undefined) =>
    (list ?? []).map(({ key, value }) => ({ key: conditionKey(key), value }));
  const hasTagsOrResources =
    Object.keys(selection.tags ?? {}).length > 0 || (selection.resources?.length ?? 0) > 0;
  const logicalName = `${ctx.name}-selection`;
  const resource = new aws.backup.Selection(
    logicalName,
    {
      region: ctx.primaryRegion,
      name: selection.name ?? physicalName(logicalName, PLAN_NAME),
      planId,
      iamRoleArn: roleArn,
      selectionTags: Object.entries(selection.tags ?? {}).map(([key, value]) => ({
        type: "STRINGEQUALS",
        key,
        value,
      })),
      conditions: hasConditions(conditions)
        ? [
            {
              stringEquals: toCondition(conditions.stringEquals),
              stringLikes: toCondition(conditions.stringLike),
              stringNotEquals: toCondition(conditions.stringNotEquals),
              stringNotLikes: toCondition(conditions.stringNotLike),
            },
          ]
        : undefined,
      // Conditions alone filter every supported resource.
      resources: selection.resources ?? (hasTagsOrResources ? [] : ["*"]),
      notResources: selection.notResources ?? [],
    },
    // The provider retries CreateBackupSelection while IAM propagates the role (selection.go), but only
    // once the attachments exist can it succeed; waiting for them costs nothing.
    created ? withDependencies(ctx.child, created.attachments) : ctx.child,
  );
  return { selection: resource, roleArn };
}
