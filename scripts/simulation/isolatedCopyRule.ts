/** Which recovery points a logically air-gapped (LAG) vault takes a copy of in the simulation: supported types, full AWS Backup management, the source's key. */
import { SimPoint } from "./recoveryPoints";

/**
 * The resource types the simulation lets into a LAG vault: the types the CLI restores that AWS lists for
 * LAG vaults. The preview page listed "Amazon EC2, Amazon EBS, Amazon S3, Amazon EFS, Amazon RDS"; the
 * current page sends readers to "Feature availability by resource" ("for resource types you can copy to a
 * logically air-gapped vault") and names Aurora in its "Considerations and limitations" (cross-Region
 * copies). DynamoDB is taken as supported with advanced DynamoDB backup only (its full management, below).
 * The feature table was not retrievable as full text here: the membership of DynamoDB and Aurora is
 * *partly verified*. Any other type's copy fails ({@link isolatedCopyFailure}).
 */
const LAG_TYPES: ReadonlySet<string> = new Set(["Aurora", "DynamoDB", "EBS", "EC2", "EFS", "RDS", "S3"]);

/**
 * Whether AWS Backup fully manages the point's backups: S3 and EFS always, DynamoDB with advanced DynamoDB
 * backup (its points then have AWS Backup ARNs, `arn:aws:backup:`; without it `arn:aws:dynamodb:`). RDS,
 * Aurora, EBS and EC2 are not (developer guide, "Encryption for backups in AWS Backup", Independent
 * encryption: "AWS Backup offers independent encryption for resource types that support full AWS Backup
 * management ... Backups of resource types that are not fully managed by AWS Backup typically inherit the
 * encryption settings from their source resource"; its table lists S3, VMware, DynamoDB with advanced
 * backup, EFS among the independently encrypted).
 */
function fullyManaged(point: SimPoint): boolean {
  switch (point.resourceType) {
    case "S3":
    case "EFS":
      return true;
    case "DynamoDB":
      return point.recoveryPointArn.startsWith("arn:aws:backup:");
    default:
      return false;
  }
}

/**
 * Why a copy of `point` into a LAG vault fails, or undefined when it completes. A type the LAG vault does
 * not take fails; a type AWS Backup does not fully manage (RDS, EBS, EC2, Aurora, DynamoDB without advanced
 * backup) copies only when its source is encrypted with a customer managed key (developer guide, "Logically
 * air-gapped vault", Compatible encryption: for resource types not fully managed by AWS Backup "the source
 * must be encrypted with a customer managed key. AWS managed keys for not fully managed resources are not
 * supported"). A point's key defaults to AWS managed (SimPoint.sourceKey). That the copy job starts and ends
 * FAILED (rather than StartCopyJob refusing) and the message's wording are the fake's *(unsourced)*: AWS
 * documents the rule, not how the job reports it.
 */
export function isolatedCopyFailure(point: SimPoint): string | undefined {
  if (!LAG_TYPES.has(point.resourceType)) {
    return `Resource type ${point.resourceType} is not supported by logically air-gapped backup vaults`;
  }
  if (fullyManaged(point) || point.sourceKey === "customer-managed") {
    return undefined;
  }
  return `${point.resourceType} resource ${point.resourceArn} is not fully managed by AWS Backup and is encrypted with an AWS managed key: a copy into a logically air-gapped backup vault needs the source encrypted with a customer managed key`;
}
