// Checks of arguments that may be known only at deployment, and the gate every child waits for.
import * as pulumi from "@pulumi/pulumi";
import { BackupRestoreDRArgs } from "../backupRestoreDRArgs";
import { ReplicatedBucketArgs, S3ReplicationArgs } from "../replication";
import { BackupSelectionArgs } from "../selection";
import { VaultPairArgs } from "../vaultPair";
import { checkArn, checkSelectionArns } from "./arns";
import { isKnown, throwIfInvalid, ValidationIssue } from "./issue";
import { checkSourceBucket } from "./names";

/** A check of one argument that may be known only at deployment (an Output or a promise). */
export interface InputCheck {
  /** The argument's value as given. */
  readonly value: pulumi.Input<unknown>;
  /** The check, run on the value once it is known. */
  readonly check: (resolved: unknown) => ValidationIssue[];
}

function inputCheck<T>(value: pulumi.Input<T>, check: (resolved: T) => ValidationIssue[]): InputCheck {
  return { value, check: check as (resolved: unknown) => ValidationIssue[] };
}

/** The issues of the checks whose values are known now; the others wait for `validationGate`. */
export function knownIssues(checks: readonly InputCheck[]): ValidationIssue[] {
  return checks.filter(({ value }) => isKnown(value)).flatMap(({ value, check }) => check(value));
}

function arnInputCheck(
  field: string,
  value: pulumi.Input<string> | undefined,
  service: string,
): InputCheck[] {
  return value === undefined ? [] : [inputCheck(value, (arn) => checkArn(field, arn, service))];
}

function selectionArnsInputCheck(field: string, arns: pulumi.Input<string>[] | undefined): InputCheck[] {
  if (arns === undefined) return [];
  const value: pulumi.Input<string[]> = arns.every(isKnown) ? (arns as string[]) : pulumi.all(arns);
  return [inputCheck(value, (resolved) => checkSelectionArns(field, resolved))];
}

/** Checks of the vault arguments that may be Outputs: the KMS keys, the deployers and the break-glass principals. */
export function vaultInputChecks(vaults: VaultPairArgs): InputCheck[] {
  return [
    ...arnInputCheck("vaults.primaryKmsKeyArn", vaults.primaryKmsKeyArn, "kms"),
    ...arnInputCheck("vaults.drKmsKeyArn", vaults.drKmsKeyArn, "kms"),
    ...(vaults.deployerPrincipalArns ?? []).flatMap((arn, index) =>
      arnInputCheck(`vaults.deployerPrincipalArns[${index}]`, arn, "iam"),
    ),
    ...(vaults.breakGlassPrincipalArns ?? []).flatMap((arn, index) =>
      arnInputCheck(`vaults.breakGlassPrincipalArns[${index}]`, arn, "iam"),
    ),
  ];
}

/** Checks of the selection arguments that may be Outputs: the ARN lists and the role. */
export function selectionInputChecks(selection: BackupSelectionArgs): InputCheck[] {
  return [
    ...selectionArnsInputCheck("selection.resources", selection.resources),
    ...selectionArnsInputCheck("selection.notResources", selection.notResources),
    ...arnInputCheck("selection.roleArn", selection.roleArn, "iam"),
  ];
}

/** The check of a replicated bucket's source name. */
export function sourceBucketCheck(bucket: ReplicatedBucketArgs, index: number): InputCheck[] {
  return [
    inputCheck(bucket.sourceBucket, (name) =>
      checkSourceBucket(`replication.buckets[${index}].sourceBucket`, name),
    ),
  ];
}

/** The check of a replicated bucket's source KMS key, when it has one. */
export function sourceKeyCheck(bucket: ReplicatedBucketArgs, index: number): InputCheck[] {
  return arnInputCheck(`replication.buckets[${index}].sourceKmsKeyArn`, bucket.sourceKmsKeyArn, "kms");
}

function replicationInputChecks(replication: S3ReplicationArgs): InputCheck[] {
  return replication.buckets.flatMap((bucket, index) => [
    ...sourceBucketCheck(bucket, index),
    ...sourceKeyCheck(bucket, index),
  ]);
}

/**
 * The checks of the arguments that may be Outputs: KMS keys, break-glass principals, the backup role,
 * selection ARNs, source buckets and their keys. `validateArgs` runs those known now; the others run
 * when they resolve (see `validationGate`).
 */
export function inputChecks(args: BackupRestoreDRArgs): InputCheck[] {
  return [
    ...vaultInputChecks(args.vaults ?? {}),
    ...selectionInputChecks(args.selection),
    ...(args.replication ? replicationInputChecks(args.replication) : []),
  ];
}

/**
 * One Output for every check of a value known only at deployment: it resolves to no resources once every
 * value resolved valid, and fails with the component's validation error for the first one that did not.
 * Every child takes it as `dependsOn`, so an invalid value fails the deployment once, before any child
 * registers, rather than once per resource that uses the value (and in no serialization error's words).
 * A value still unknown at preview holds nothing back; the others are checked as they resolve.
 */
export function validationGate(
  componentName: string,
  checks: readonly InputCheck[],
): pulumi.Output<pulumi.Resource[]> {
  const gates = checks.map(({ value, check }) =>
    (pulumi.output(value) as pulumi.Output<unknown>).apply((resolved) => {
      throwIfInvalid(componentName, check(resolved));
      return [] as pulumi.Resource[];
    }),
  );
  return pulumi.all(gates).apply(() => [] as pulumi.Resource[]);
}
