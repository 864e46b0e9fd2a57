// Region checks: both regions real and different; the ARN partition of a region.
import * as aws from "@pulumi/aws";
import { ValidationIssue } from "./issue";

/** Region names @pulumi/aws knows (its `Region` enum), kept current with the provider. */
export const KNOWN_REGIONS: ReadonlySet<string> = new Set(Object.values(aws.Region));

/** Both regions must be real and different. */
export function checkRegions(primaryRegion: string, drRegion: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const [field, region] of [
    ["primaryRegion", primaryRegion],
    ["drRegion", drRegion],
  ] as const) {
    if (!KNOWN_REGIONS.has(region)) {
      issues.push({ field, value: region, rule: 'must be an AWS region name such as "us-east-1".' });
    }
  }
  if (primaryRegion === drRegion) {
    issues.push({
      field: "drRegion",
      value: drRegion,
      rule: "must differ from primaryRegion: a disaster recovery copy in the same region is lost with it.",
    });
  }
  return issues;
}

/** The ARN partition of a region: `aws`, `aws-cn`, `aws-us-gov`, ... */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("us-isof-")) return "aws-iso-f";
  if (region.startsWith("eu-isoe-")) return "aws-iso-e";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("eusc-")) return "aws-eusc";
  return "aws";
}
