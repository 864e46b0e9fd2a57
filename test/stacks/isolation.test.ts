// The isolated copy in the stacks: on by default for prod, its outputs, dr's re-export, the config to turn it off.
import { expect } from "chai";
import { named, ofType } from "../helpers/mockEngine";
import { evaluateStack, PROD_OUTPUTS } from "./fixtures";

const LAG_TYPE = "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault";

describe("stacks: the isolated copy", () => {
  it("is on by default for prod: a LAG vault in the DR region every DR copy also goes to, in the outputs", async () => {
    const { registrations, outputs } = await evaluateStack("prod");
    const vault = named(registrations, "app-isolated-vault");
    expect(vault.type).to.equal(LAG_TYPE);
    expect(vault.inputs.region).to.equal("us-west-2");
    expect(outputs.isolatedVaultArn).to.match(/^arn:aws:backup:us-west-2:123456789012:backup-vault:/);
    expect(outputs.isolatedVaultName).to.be.a("string");
    const copies = named(registrations, "app-plan")
      .inputs.rules.flatMap((rule: { copyActions: { destinationVaultArn: string }[] }) => rule.copyActions)
      .map((copy: { destinationVaultArn: string }) => copy.destinationVaultArn);
    expect(copies).to.include(outputs.isolatedVaultArn);
  });

  it("passes bounds and recovery accounts from the config, and is off with isolation false", async () => {
    const configured = await evaluateStack("prod", {
      isolationMinRetentionDays: "30",
      isolationMaxRetentionDays: "400",
      isolationRecoveryAccountIds: JSON.stringify(["210987654321"]),
    });
    expect(named(configured.registrations, "app-isolated-vault").inputs).to.deep.include({
      minRetentionDays: 30,
      maxRetentionDays: 400,
    });
    expect(
      named(configured.registrations, "app-isolated-vault-share-210987654321").inputs.principal,
    ).to.equal("210987654321");
    const off = await evaluateStack("prod", { isolation: "false" });
    expect(ofType(off.registrations, LAG_TYPE)).to.have.length(0);
    expect(off.outputs.isolatedVaultArn).to.equal(undefined);
  });

  it("is re-exported by the dr stack from prod's outputs", async () => {
    const { outputs } = await evaluateStack("dr");
    expect(outputs.isolatedVaultName).to.equal(PROD_OUTPUTS.isolatedVaultName);
    expect(outputs.isolatedVaultArn).to.equal(PROD_OUTPUTS.isolatedVaultArn);
  });
});

describe("stacks: Object Lock on the replicas", () => {
  it("is off by default, and replicaObjectLockDays locks each replica's versions in COMPLIANCE mode", async () => {
    const type = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";
    expect(ofType((await evaluateStack("prod")).registrations, type)).to.have.length(0);
    const { registrations } = await evaluateStack("prod", { replicaObjectLockDays: "30" });
    expect(named(registrations, "app-replica-0-object-lock").inputs.rule).to.deep.equal({
      defaultRetention: { mode: "COMPLIANCE", days: 30 },
    });
  });
});
