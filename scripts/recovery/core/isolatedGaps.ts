// The resources the DR vault holds a point of and the isolated vault none, and why AWS may not have copied them there.
import { resourceOf } from "../resources/registry";
import { toResourceType } from "../resources/types";
import { RecoveryPoint } from "./recoveryPoints";

/** A resource with a COMPLETED point in the DR vault and none in the isolated vault. */
export interface IsolatedGap {
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly resourceName: string;
  /** Why the isolated vault may hold no copy of it (see {@link whyNoIsolatedCopy}). */
  readonly why: string;
}

/**
 * Why AWS may not have copied a resource of `resourceType` into a logically air-gapped vault. A type AWS
 * Backup does not fully manage (resources/: `fullyManagedByBackup`; DynamoDB only with advanced backup,
 * `copyNeedsAdvancedBackup`) copies into one only when its source is encrypted with a customer managed key
 * (developer guide, "Logically air-gapped vault", Compatible encryption: "AWS managed keys for not fully
 * managed resources are not supported"; "Encryption for backups in AWS Backup", Independent encryption). The
 * CLI cannot tell an AWS managed key from the recovery point listing; the copy job's status message (in the
 * region that ran the rule) says which it was.
 */
export function whyNoIsolatedCopy(resourceType: string): string {
  const type = toResourceType(resourceType);
  const resource = type && resourceOf(type);
  if (!resource || resource.fullyManagedByBackup) {
    return "its copy into the isolated vault has not completed (still running, or failed: see the copy jobs)";
  }
  if (resource.copyNeedsAdvancedBackup) {
    return `without advanced DynamoDB backup in the region AWS Backup does not fully manage ${resourceType}, and its copies into a logically air-gapped vault fail unless its source is encrypted with a customer managed key; see the copy jobs' status message`;
  }
  return `AWS Backup does not fully manage ${resourceType}: its copies into a logically air-gapped vault fail unless its source is encrypted with a customer managed key (the stacks' default, aws/rds or aws/ebs, is an AWS managed key); see the copy jobs' status message`;
}

/**
 * The resources with a COMPLETED point in `drPoints` and no COMPLETED point in `isolatedPoints`, each with
 * {@link whyNoIsolatedCopy}: what a recovery from the isolated vault alone could not restore.
 */
export function isolatedGaps(
  drPoints: readonly RecoveryPoint[],
  isolatedPoints: readonly RecoveryPoint[],
): IsolatedGap[] {
  const completed = (p: RecoveryPoint) => p.status === "COMPLETED";
  const isolated = new Set(isolatedPoints.filter(completed).map((p) => p.resourceArn));
  const gaps = new Map<string, IsolatedGap>();
  for (const p of drPoints.filter(completed)) {
    if (!isolated.has(p.resourceArn) && !gaps.has(p.resourceArn)) {
      gaps.set(p.resourceArn, {
        resourceArn: p.resourceArn,
        resourceType: p.resourceTypeName,
        resourceName: p.resourceName,
        why: whyNoIsolatedCopy(p.resourceTypeName),
      });
    }
  }
  return [...gaps.values()].sort(
    (a, b) => a.resourceType.localeCompare(b.resourceType) || a.resourceName.localeCompare(b.resourceName),
  );
}
