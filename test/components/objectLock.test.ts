// S3 Object Lock on the replica buckets: the lock each replicated version gets, and its checks.
import { expect } from "chai";
import { BackupRestoreDR, BackupRestoreDRArgs } from "@restorekit/backup-restore-dr";
import { seedArgs } from "../helpers/componentArgs";
import { named, ofType, settled, useMockEngine, valueOf } from "../helpers/mockEngine";

const LOCK_TYPE = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";

function withLock(objectLock?: { mode?: string; days: number }): BackupRestoreDRArgs {
  return seedArgs({
    replication: { buckets: [{ sourceBucket: "app-data-us-east-1" }], ...(objectLock && { objectLock }) },
  });
}

async function build(args: BackupRestoreDRArgs) {
  const registrations = useMockEngine();
  const component = new BackupRestoreDR("app", args);
  await valueOf(component.replicaBucketArns);
  await settled(registrations);
  return registrations;
}

describe("replica Object Lock", () => {
  it("is off unless asked for", async () => {
    expect(ofType(await build(withLock()), LOCK_TYPE)).to.have.length(0);
  });

  it("locks each replica's versions in COMPLIANCE mode by default, for the days asked, in the DR region", async () => {
    const registrations = await build(withLock({ days: 30 }));
    const lock = named(registrations, "app-replica-0-object-lock");
    expect(lock.type).to.equal(LOCK_TYPE);
    expect(lock.inputs).to.deep.include({
      region: "us-west-2",
      objectLockEnabled: "Enabled",
      rule: { defaultRetention: { mode: "COMPLIANCE", days: 30 } },
    });
  });

  it("takes GOVERNANCE mode", async () => {
    const registrations = await build(withLock({ mode: "GOVERNANCE", days: 7 }));
    expect(named(registrations, "app-replica-0-object-lock").inputs.rule.defaultRetention.mode).to.equal(
      "GOVERNANCE",
    );
  });

  it("rejects a lock longer than the plan's longest retention, or of no days", () => {
    useMockEngine();
    expect(() => new BackupRestoreDR("app", withLock({ days: 98 }))).to.throw(
      "replication.objectLock.days (98) must be a whole number of days from 1 to 97, the plan's longest retention: S3 takes a positive number of days, and a replica version locked longer than any recovery point is kept is storage no one can remove.",
    );
    expect(() => new BackupRestoreDR("app", withLock({ days: 0 }))).to.throw(
      "replication.objectLock.days (0)",
    );
  });

  it("rejects a mode S3 does not know", () => {
    useMockEngine();
    expect(() => new BackupRestoreDR("app", withLock({ mode: "LEGAL", days: 7 }))).to.throw(
      'replication.objectLock.mode ("LEGAL") must be one of GOVERNANCE, COMPLIANCE (S3 Object Lock retention modes).',
    );
  });
});
