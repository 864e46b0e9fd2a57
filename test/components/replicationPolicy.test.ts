import { expect } from "chai";
import { BUCKETS_PER_REPLICATION_ROLE } from "../../components/src/replication";
import { replicationPolicyDocument } from "../../components/src/replicationPolicy";

/** IAM: a role's inline policies may total 10,240 characters, whitespace not counted (IAM quotas page). */
const ROLE_INLINE_POLICY_LIMIT = 10_240;

describe("replication role policy", () => {
  it("GIVEN a full role of the longest bucket names and key ARNs THEN its policy stays under IAM's limit", () => {
    const name = (prefix: string, i: number) => `${prefix}${"b".repeat(58)}${String(i).padStart(4, "0")}`;
    const buckets = Array.from({ length: BUCKETS_PER_REPLICATION_ROLE }, (_, i) => i);
    const document = replicationPolicyDocument({
      partition: "aws-us-gov",
      primaryRegion: "us-gov-east-1",
      sourceBuckets: buckets.map((i) => name("s", i)),
      replicaBucketArns: buckets.map((i) => `arn:aws-us-gov:s3:::${name("r", i)}`),
      drKeyArn: `arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-${"0".repeat(32)}`,
      sourceKmsKeyArns: buckets.map(
        (i) =>
          `arn:aws-us-gov:kms:us-gov-east-1:123456789012:key/mrk-${"1".repeat(28)}${String(i).padStart(4, "0")}`,
      ),
    });
    expect(name("s", 0)).to.have.length(63);
    expect(JSON.stringify(document).length).to.be.below(ROLE_INLINE_POLICY_LIMIT);
  });

  it("scopes each statement to exactly the given buckets and keys", () => {
    const document = replicationPolicyDocument({
      partition: "aws",
      primaryRegion: "us-east-1",
      sourceBuckets: ["src"],
      replicaBucketArns: ["arn:aws:s3:::replica"],
      drKeyArn: "arn:aws:kms:us-west-2:123456789012:key/dr",
      sourceKmsKeyArns: [],
    });
    expect(document.Statement.map((s) => [s.Sid, s.Resource])).to.deep.equal([
      ["ReadSourceConfiguration", ["arn:aws:s3:::src"]],
      ["ReadSourceVersions", ["arn:aws:s3:::src/*"]],
      ["WriteReplicas", ["arn:aws:s3:::replica/*"]],
      ["EncryptReplicas", ["arn:aws:kms:us-west-2:123456789012:key/dr"]],
      ["DecryptSourcesThroughS3", ["arn:aws:kms:us-east-1:${aws:PrincipalAccount}:key/*"]],
    ]);
  });

  it("GIVEN no source key THEN the role may decrypt objects under the AWS managed key aws/s3 (any key of the role's account in the source region, through S3 there)", () => {
    // S3 user guide, "Replicating encrypted objects": the role needs kms:Decrypt on the source object's key.
    // aws/s3's key ARN is not known in advance and an IAM policy cannot name a key by alias.
    const document = replicationPolicyDocument({
      partition: "aws-cn",
      primaryRegion: "cn-north-1",
      sourceBuckets: ["src"],
      replicaBucketArns: ["arn:aws-cn:s3:::replica"],
      drKeyArn: "arn:aws-cn:kms:cn-northwest-1:210987654321:key/dr",
      sourceKmsKeyArns: [],
    });
    expect(document.Statement).to.deep.include({
      Sid: "DecryptSourcesThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: ["arn:aws-cn:kms:cn-north-1:${aws:PrincipalAccount}:key/*"],
      Condition: { StringLike: { "kms:ViaService": "s3.cn-north-1.*" } },
    });
  });
});
