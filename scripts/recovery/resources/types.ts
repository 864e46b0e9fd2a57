// The resource types the CLI restores, parsed from AWS Backup's names and from ARNs.
import { DrError } from "../../errors";

/** Resource types the CLI restores, spelled as AWS Backup's `ResourceType`. */
export const SUPPORTED_RESOURCE_TYPES = ["RDS", "Aurora", "EC2", "EBS", "DynamoDB", "EFS", "S3"] as const;

export type ResourceType = (typeof SUPPORTED_RESOURCE_TYPES)[number];

/** The supported type for an AWS Backup `ResourceType` (case-insensitive), or undefined. */
export function toResourceType(value: string | undefined): ResourceType | undefined {
  if (!value) {
    return undefined;
  }
  const lower = value.toLowerCase();
  return SUPPORTED_RESOURCE_TYPES.find((t) => t.toLowerCase() === lower);
}

/** Like {@link toResourceType} but fails with the list of supported types. */
export function parseResourceType(value: string, context: string): ResourceType {
  const type = toResourceType(value);
  if (!type) {
    throw new DrError(
      `${context}: unknown resource type '${value}'; supported types: ${SUPPORTED_RESOURCE_TYPES.join(", ")}`,
    );
  }
  return type;
}

/**
 * The short name of a resource from its ARN: `production-db` from
 * `arn:aws:rds:us-east-1:123456789012:db:production-db`, `Orders` from `...:table/Orders`,
 * `app-data` from `arn:aws:s3:::app-data`.
 */
export function resourceNameFromArn(arn: string): string {
  const parts = arn.split(":");
  const tail = parts.slice(5).join(":");
  const afterSlash = tail.includes("/") ? tail.slice(tail.lastIndexOf("/") + 1) : tail;
  const afterColon = afterSlash.includes(":")
    ? afterSlash.slice(afterSlash.lastIndexOf(":") + 1)
    : afterSlash;
  return afterColon || arn;
}

/** The region field of an ARN, or undefined for global ARNs (S3, IAM). */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(":")[3];
  return region ? region : undefined;
}
