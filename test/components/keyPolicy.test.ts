// The vault keys' policies: IAM keeps administering them, no one but break-glass can destroy them; alerts.
import { expect } from "chai";
import { BackupRestoreDR, BackupRestoreDRArgs } from "@restorekit/backup-restore-dr";
import { accountRootOf, vaultKeyPolicy } from "../../components/src/keyPolicy";
import { seedArgs } from "../helpers/componentArgs";
import { invokes, named, ofType, settled, useMockEngine, valueOf } from "../helpers/mockEngine";

const BREAK_GLASS = "arn:aws:iam::123456789012:role/BreakGlass";

async function build(args: BackupRestoreDRArgs) {
  // The provider reports a key's id as `keyId`; the mock adds it, as it would any provider-computed output.
  const registrations = useMockEngine({
    outputs: (r) => (r.type === "aws:kms/key:Key" ? { keyId: `${r.name}-uuid` } : undefined),
  });
  const component = new BackupRestoreDR("app", args);
  await valueOf(component.planId);
  await settled(registrations);
  return registrations;
}

describe("vault key policies", () => {
  it("keep KMS's default grant to the account and deny deleting and disabling each created key to everyone, leaving the policy to IAM without break-glass", async () => {
    const registrations = await build(seedArgs());
    for (const [role, region] of [
      ["primary", "us-east-1"],
      ["dr", "us-west-2"],
    ]) {
      const policy = named(registrations, `app-${role}-key-policy`);
      expect(policy.type).to.equal("aws:kms/keyPolicy:KeyPolicy");
      expect(policy.inputs).to.deep.include({ region, keyId: `app-${role}-key-uuid` });
      expect(policy.inputs.bypassPolicyLockoutSafetyCheck, "the deployer keeps kms:PutKeyPolicy").to.equal(
        false,
      );
      expect(JSON.parse(policy.inputs.policy).Statement).to.deep.equal([
        {
          Sid: "EnableIamPolicies",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: "kms:*",
          Resource: "*",
        },
        {
          Sid: "DenyKeyDestruction",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey"],
          Resource: "*",
        },
      ]);
    }
    expect(invokes, "the policy asks nobody who deploys").to.deep.equal([]);
  });

  it("with break-glass principals, denies replacing the policy too to all others, bypassing the lockout check that would refuse it", async () => {
    const registrations = await build(seedArgs({ vaults: { breakGlassPrincipalArns: [BREAK_GLASS] } }));
    const policy = named(registrations, "app-dr-key-policy");
    expect(policy.inputs.bypassPolicyLockoutSafetyCheck).to.equal(true);
    expect(JSON.parse(policy.inputs.policy).Statement[1]).to.deep.equal({
      Sid: "DenyKeyDestruction",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"],
      Resource: "*",
      Condition: { ArnNotLike: { "aws:PrincipalArn": [BREAK_GLASS] } },
    });
  });

  it("leaves keys the user brings, and keys when asked not to protect them, with their own policy", async () => {
    const brought = await build(
      seedArgs({
        vaults: {
          primaryKmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/mine",
          drKmsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/mine",
        },
      }),
    );
    expect(ofType(brought, "aws:kms/keyPolicy:KeyPolicy")).to.have.length(0);
    const unprotected = await build(seedArgs({ vaults: { protectKeys: false } }));
    expect(ofType(unprotected, "aws:kms/keyPolicy:KeyPolicy")).to.have.length(0);
  });

  it("names the account root of the key's own partition and account", () => {
    expect(accountRootOf("arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/abc")).to.equal(
      "arn:aws-us-gov:iam::111122223333:root",
    );
    expect(
      JSON.parse(vaultKeyPolicy("arn:aws:kms:eu-west-1:444455556666:key/k", [])).Statement[0].Principal,
    ).to.deep.equal({
      AWS: "arn:aws:iam::444455556666:root",
    });
  });

  it("alerts on scheduling deletion of, disabling or re-policying a KMS key, in both regions", async () => {
    const registrations = await build(seedArgs());
    const rules = ofType(registrations, "aws:cloudwatch/eventRule:EventRule").filter((r) =>
      r.name.endsWith("-key-protection-alerts"),
    );
    expect(rules.map((r) => r.inputs.region)).to.have.members(["us-east-1", "us-west-2"]);
    for (const rule of rules) {
      expect(JSON.parse(rule.inputs.eventPattern)).to.deep.equal({
        source: ["aws.kms"],
        "detail-type": ["AWS API Call via CloudTrail"],
        detail: {
          eventSource: ["kms.amazonaws.com"],
          eventName: ["ScheduleKeyDeletion", "DisableKey", "PutKeyPolicy"],
        },
      });
    }
    const targets = ofType(registrations, "aws:cloudwatch/eventTarget:EventTarget").filter((r) =>
      r.name.endsWith("-key-protection-alerts"),
    );
    expect(targets).to.have.length(2);
  });
});
