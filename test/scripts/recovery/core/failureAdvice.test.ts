// The class of a failed restore from AWS's StatusMessage, and the advice that fits it.
import { expect } from "chai";
import {
  FailureClass,
  adviseFailure,
  classifyFailure,
} from "../../../../scripts/recovery/core/failureAdvice";
import { PlannedRestore } from "../../../../scripts/recovery/core/journal";
import { resourceOf } from "../../../../scripts/recovery/resources/registry";

const ROLE = "arn:aws:iam::111122223333:role/app-backup-role";
const KEY = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function plan(
  resourceType: PlannedRestore["resourceType"],
  extra: Partial<PlannedRestore> = {},
): PlannedRestore {
  return {
    recoveryPointArn: `arn:aws:backup:us-west-2:111122223333:recovery-point:${resourceType}`,
    resourceArn: `arn:aws:x:us-east-1:111122223333:${resourceType}`,
    resourceType,
    resourceName: "app",
    recoveryPointCreatedAt: "2026-12-07T00:00:00.000Z",
    iamRoleArn: ROLE,
    metadata: {},
    notes: [],
    ...extra,
  };
}

const command = (flags: string) => `dr recover ${flags}`;

describe("failure advice: AWS's StatusMessage decides the next step", () => {
  describe("classifyFailure", () => {
    const cases: [string, FailureClass][] = [
      [
        `User: arn:aws:sts::111122223333:assumed-role/app-backup-role/AWSBackup is not authorized to perform: kms:CreateGrant on resource: ${KEY} because no resource-based policy allows the kms:CreateGrant action`,
        "permissions",
      ],
      [
        "Access denied: the restore role cannot use the KMS key of the recovery point (kms:CreateGrant)",
        "permissions",
      ],
      [
        "You are not authorized to perform this operation. Please consult the permissions associated with your AWS Backup role(s), and refer to the AWS Backup documentation for more details.",
        "permissions",
      ],
      ["Table already exists: dr-20261207t215550e3-app-table", "name-conflict"],
      ["A target table with the specified name already exists", "name-conflict"],
      ["User already has a DB instance with the given identifier.", "name-conflict"],
      [
        "We currently do not have sufficient db.r6g.large capacity in the Availability Zone you requested (us-west-2a).",
        "capacity",
      ],
      ["The specified DB instance class isn't available in the specified Availability Zone.", "capacity"],
      ["InsufficientInstanceCapacity: Insufficient capacity for instance type m5.xlarge", "capacity"],
      [
        "You have requested more vCPU capacity than your current vCPU limit of 64 allows for the instance bucket that the specified instance type belongs to.",
        "quota",
      ],
      ["The request would result in the user exceeding the allowed number of DB instances.", "quota"],
      [
        "LimitExceededException: Subscriber limit exceeded: There is a soft account quota of 256 tables",
        "quota",
      ],
      ["Rate exceeded", "transient"],
      ["ThrottlingException: Rate exceeded", "transient"],
      ["An internal error occurred. Please try again.", "transient"],
      ["Restore failed", "unknown"],
    ];
    for (const [message, expected] of cases) {
      it(`${expected}: ${message.slice(0, 70)}`, () => {
        expect(classifyFailure(message)).to.equal(expected);
      });
    }
    it("no message is unknown", () => {
      expect(classifyFailure(undefined)).to.equal("unknown");
    });
  });

  describe("classifyFailure: a KMS word alone is no denial (review finding 8)", () => {
    const cases: [string, FailureClass][] = [
      ["KMS ThrottlingException: Rate exceeded (kms:Decrypt)", "transient"],
      [
        "LimitExceededException: the request was rejected because the grants limit of the KMS key was exceeded",
        "quota",
      ],
      [
        "DisabledException: The request was rejected because the specified KMS key is not enabled.",
        "unknown",
      ],
      [
        "KMSInvalidStateException: arn:aws:kms:us-west-2:111122223333:key/1234abcd is pending deletion.",
        "unknown",
      ],
      ["An error occurred accessing an Amazon Web Services KMS key.", "unknown"],
      [
        "AccessDeniedException: User is not authorized to perform kms:Decrypt with the KMS key",
        "permissions",
      ],
    ];
    for (const [message, expected] of cases) {
      it(`${expected}: ${message.slice(0, 70)}`, () => {
        expect(classifyFailure(message)).to.equal(expected);
      });
    }
  });

  describe("classifyFailure: capacity and concurrency texts (review finding 9)", () => {
    const cases: [string, FailureClass][] = [
      [
        "Cannot create a database instance because there are no availability zones with sufficient capacity for non-Multi-AZ instances of db class db.r6g.large. Please try another instance class",
        "capacity",
      ],
      ["There is not enough capacity to fulfill your EBS volume provision request.", "capacity"],
      [
        "LimitExceededException: Subscriber limit exceeded: Only 50 tables can be created, updated, or deleted simultaneously",
        "transient",
      ],
    ];
    for (const [message, expected] of cases) {
      it(`${expected}: ${message.slice(0, 70)}`, () => {
        expect(classifyFailure(message)).to.equal(expected);
      });
    }
  });

  describe("adviseFailure", () => {
    it("a KMS CreateGrant denial advises the key policy fix first, naming the role and the key; a retry alone is not the fix", () => {
      const advice = adviseFailure(
        plan("DynamoDB"),
        `User: ${ROLE} is not authorized to perform: kms:CreateGrant on resource: ${KEY} because no resource-based policy allows the kms:CreateGrant action`,
        command,
      );
      expect(advice.failureClass).to.equal("permissions");
      expect(advice.retryHelps).to.equal(false);
      expect(advice.text).to.equal(
        `fix the key first, a retry with the same role and key fails the same way: allow the restore role ${ROLE} kms:CreateGrant, kms:Decrypt, kms:DescribeKey and kms:GenerateDataKey* in the key policy of ${KEY}; then 'dr recover --retry-failed'`,
      );
    });

    it("a KMS denial without the key's ARN says where to find the key", () => {
      const advice = adviseFailure(
        plan("RDS"),
        "AccessDenied: the restore role is not allowed to use the KMS key (kms:CreateGrant)",
        command,
      );
      expect(advice.text).to.contain(
        "in the key policy of the recovery point's KMS key (EncryptionKeyArn of 'aws backup describe-recovery-point')",
      );
    });

    it("RDS's generic KMS text (KMSKeyNotAccessibleFault) advises checking the key's state and its policy, no retry alone", () => {
      const advice = adviseFailure(
        plan("RDS"),
        "An error occurred accessing an Amazon Web Services KMS key.",
        command,
      );
      expect(advice).to.deep.equal({
        failureClass: "unknown",
        retryHelps: false,
        text: `the recovery point's KMS key could not be used: check its state first ('aws kms describe-key --key-id <the recovery point's KMS key (EncryptionKeyArn of 'aws backup describe-recovery-point')>': KeyState Enabled, not Disabled or PendingDeletion; 'aws kms enable-key' or 'aws kms cancel-key-deletion' fix those), then that its key policy allows the restore role ${ROLE} kms:CreateGrant, kms:Decrypt, kms:DescribeKey and kms:GenerateDataKey*; then 'dr recover --retry-failed'`,
      });
    });

    it("a concurrency limit (DynamoDB's 50 simultaneous table operations) advises a retry later, not a quota request", () => {
      const advice = adviseFailure(
        plan("DynamoDB"),
        "LimitExceededException: Subscriber limit exceeded: Only 50 tables can be created, updated, or deleted simultaneously",
        command,
      );
      expect(advice.retryHelps).to.equal(true);
      expect(advice.text).to.not.contain("service-quotas");
    });

    it("\"Table already exists\" on this run's own name: check it, delete it (this run's earlier attempt), retry under the same name (review finding 5)", () => {
      const advice = adviseFailure(
        plan("DynamoDB", { targetName: "dr-20261207t215550e3-app-table" }),
        "Table already exists",
        command,
      );
      expect(advice).to.deep.equal({
        failureClass: "name-conflict",
        retryHelps: false,
        text: "a resource named dr-20261207t215550e3-app-table already exists and carries this run's prefix dr-20261207t215550e3-: it is this run's own earlier attempt at this restore (a new name would leave it behind, still billed); check it first (DynamoDB dr-20261207t215550e3-app-table in the DR region), delete it, then 'dr recover --retry-failed' restores it again under the same name",
      });
    });

    it("a conflict with a resource that is not this run's advises another name, made valid by the type's name rule (review finding 5)", () => {
      const advice = adviseFailure(
        plan("DynamoDB", { targetName: "orders-restored" }),
        "Table already exists",
        command,
      );
      expect(advice.text).to.equal(
        "a resource named orders-restored already exists and is not this run's (its name lacks a run's prefix): check it first (DynamoDB orders-restored in the DR region) and leave it; 'dr recover --retry-failed --metadata dynamodb[app].targetTableName=orders-restored-2' restores it under another name (or 'dr recover --new-run' names everything anew)",
      );
    });

    it("the other name of a 63-character RDS identifier stays within 63 characters (review finding 5)", () => {
      const name = `app-${"x".repeat(59)}`;
      const advice = adviseFailure(
        plan("RDS", { targetName: name }),
        "DBInstanceAlreadyExists: User already has a DB instance with the given identifier.",
        command,
      );
      const suggested = /rds\[app\]\.DBInstanceIdentifier=(\S+)'/.exec(advice.text)?.[1] ?? "";
      expect(suggested).to.have.length.at.most(63);
      expect(suggested).to.not.equal(name);
      expect(suggested).to.match(/^app-x+-[0-9a-f]{6}$/);
    });

    it("capacity advises a retry with another instance class or zone, showing the current ones", () => {
      const advice = adviseFailure(
        plan("RDS", { metadata: { DBInstanceClass: "db.r6g.large", AvailabilityZone: "us-west-2a" } }),
        "We currently do not have sufficient db.r6g.large capacity in the Availability Zone you requested (us-west-2a).",
        command,
      );
      expect(advice.retryHelps).to.equal(true);
      expect(advice.text).to.equal(
        "no capacity where it was asked: retry with another instance class or Availability Zone, " +
          "'dr recover --retry-failed --metadata rds[app].DBInstanceClass=<another>' (now db.r6g.large) or " +
          "'dr recover --retry-failed --metadata rds[app].AvailabilityZone=<another>' (now us-west-2a)",
      );
    });

    it("capacity of a Multi-AZ RDS instance advises another class only: RDS refuses AvailabilityZone with MultiAZ (review finding 3)", () => {
      const advice = adviseFailure(
        plan("RDS", { metadata: { DBInstanceClass: "db.r6g.large", MultiAZ: "true" } }),
        "InsufficientDBInstanceCapacity: The specified DB instance class isn't available in the specified Availability Zone.",
        command,
      );
      expect(advice.retryHelps).to.equal(true);
      expect(advice.text).to.equal(
        "no capacity where it was asked: retry with another instance class, " +
          "'dr recover --retry-failed --metadata rds[app].DBInstanceClass=<another>' (now db.r6g.large); " +
          "no Availability Zone: the copy is Multi-AZ (MultiAZ=true) and RDS takes no zone for a Multi-AZ instance " +
          "(rds.MultiAZ=false would allow one, at the cost of the standby in another zone)",
      );
      expect(advice.text).to.not.contain("rds.AvailabilityZone=");
    });

    it("Aurora capacity advises no --metadata class or zone: the cluster restore creates no DB instance (review finding 4)", () => {
      const advice = adviseFailure(
        plan("Aurora", { targetName: "dr-20261207t215550e3-app-cluster" }),
        "InsufficientDBClusterCapacityFault: The DB cluster doesn't have enough capacity for the current operation.",
        command,
      );
      expect(advice).to.deep.equal({
        failureClass: "capacity",
        retryHelps: true,
        text:
          "no capacity for the cluster: an Aurora restore creates the DB cluster only, no DB instance " +
          "(RestoreDBClusterFromSnapshot), so no instance class or Availability Zone of it can be changed with --metadata; " +
          "the DB instance is added to the restored cluster afterwards (CreateDBInstance --db-cluster-identifier, " +
          "where its class and zone are chosen); 'dr recover --retry-failed' once AWS has capacity again",
      });
      expect(resourceOf("Aurora").restoreFixes).to.deep.equal({
        nameKey: "DBClusterIdentifier",
        quotaService: "rds",
        capacityNote: resourceOf("Aurora").restoreFixes.capacityNote,
      });
    });

    it("a quota names the Service Quotas service code of the type", () => {
      const advice = adviseFailure(
        plan("EC2"),
        "You have requested more vCPU capacity than your current vCPU limit of 64 allows",
        command,
      );
      expect(advice.failureClass).to.equal("quota");
      expect(advice.text).to.contain("'aws service-quotas list-service-quotas --service-code ec2'");
    });

    it("a transient failure, and only that and capacity, advise --retry-failed as the fix", () => {
      const advice = adviseFailure(plan("EFS"), "Rate exceeded", command);
      expect(advice).to.deep.equal({
        failureClass: "transient",
        retryHelps: true,
        text: "a transient failure on AWS's side: 'dr recover --retry-failed' starts a new restore of it and keeps what completed",
      });
    });
  });
});
