// Tests: which resources the isolated vault holds no copy of, and why AWS may not have copied them there.
import { expect } from "chai";
import { isolatedGaps, whyNoIsolatedCopy } from "../../../../scripts/recovery/core/isolatedGaps";
import { RecoveryPoint } from "../../../../scripts/recovery/core/recoveryPoints";

const point = (type: string, name: string, status = "COMPLETED"): RecoveryPoint => ({
  recoveryPointArn: `arn:aws:backup:us-west-2:111122223333:recovery-point:${type}-${name}-${status}`,
  resourceArn: `arn:${type}:${name}`,
  resourceTypeName: type,
  resourceName: name,
  status,
  creationDate: new Date(0),
  backupVaultName: "v",
});

describe("the isolated vault's gaps", () => {
  it("a resource with a COMPLETED DR point and no COMPLETED isolated one, once, sorted by type and name", () => {
    const dr = [
      point("S3", "app-data"),
      point("RDS", "production-db"),
      point("RDS", "production-db"),
      point("EBS", "vol-0data"),
      point("EFS", "fs-0shared", "PARTIAL"),
    ];
    const isolated = [point("S3", "app-data"), point("EBS", "vol-0data", "EXPIRED")];
    expect(isolatedGaps(dr, isolated).map((g) => `${g.resourceType} ${g.resourceName}`)).to.deep.equal([
      "EBS vol-0data",
      "RDS production-db",
    ]);
  });

  it("says why per type: a customer managed key for the types AWS Backup does not fully manage, advanced backup for DynamoDB, a pending or failed copy for the others", () => {
    expect(whyNoIsolatedCopy("EC2")).to.equal(
      "AWS Backup does not fully manage EC2: its copies into a logically air-gapped vault fail unless its source is encrypted with a customer managed key (the stacks' default, aws/rds or aws/ebs, is an AWS managed key); see the copy jobs' status message",
    );
    expect(whyNoIsolatedCopy("DynamoDB")).to.match(
      /^without advanced DynamoDB backup in the region AWS Backup does not fully manage DynamoDB/,
    );
    expect(whyNoIsolatedCopy("S3")).to.equal(
      "its copy into the isolated vault has not completed (still running, or failed: see the copy jobs)",
    );
    expect(whyNoIsolatedCopy("Redshift")).to.equal(whyNoIsolatedCopy("EFS"));
  });
});
