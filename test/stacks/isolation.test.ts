// The isolated copy in the stacks: on by default for prod, its outputs, dr's re-export, the config to turn it off.
import { expect } from "chai";
import { named, ofType } from "../helpers/mockEngine";
import { configSource, readSettings, StackConfigError } from "../../stacks/config";
import { evaluateStack, PROD_OUTPUTS, stackConfig } from "./fixtures";

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

  const settingsOf = (overrides: Record<string, string>) =>
    readSettings(configSource(stackConfig("prod", overrides)), { project: "dr-app", stack: "prod" });

  it("requires both bounds while isolation is on, naming each key, its value and the rule", () => {
    let error: StackConfigError | undefined;
    try {
      settingsOf({ isolationMinRetentionDays: "0", isolationMaxRetentionDays: "0" });
    } catch (err) {
      error = err as StackConfigError;
    }
    const rule =
      "must be set (7 to 36500 days) while isolation is on: AWS replaces the logically air-gapped vault when its retention bounds change (terraform-provider-aws logically_air_gapped_vault.go, ForceNew), so they are chosen once, not derived from the plan";
    expect(error?.problems).to.deep.equal([
      `Configuration 'dr-app:isolationMinRetentionDays' value '0' ${rule}`,
      `Configuration 'dr-app:isolationMaxRetentionDays' value '0' ${rule}`,
    ]);
    expect(() =>
      settingsOf({ isolation: "false", isolationMinRetentionDays: "0", isolationMaxRetentionDays: "0" }),
    ).to.not.throw();
  });

  it("is re-exported by the dr stack from prod's outputs", async () => {
    const { outputs } = await evaluateStack("dr");
    expect(outputs.isolatedVaultName).to.equal(PROD_OUTPUTS.isolatedVaultName);
    expect(outputs.isolatedVaultArn).to.equal(PROD_OUTPUTS.isolatedVaultArn);
  });
});

describe("stacks: what the isolated vault cannot take (AWS managed keys)", () => {
  const source =
    'AWS Backup copies a resource type it does not fully manage into a logically air-gapped vault only when the source is encrypted with a customer managed key (AWS Backup developer guide, "Logically air-gapped vault", Compatible encryption; "Full AWS Backup management")';
  const warning = (name: string, kind: string, key: string) =>
    `warning: [runtime] data entry '${name}' (${kind}) is not in the isolated vault: encrypted with the AWS managed key ${key}, and ${source}; only the DR vault holds its copies. Set dr-app:customerManagedDataKey to true for a new deployment (it REPLACES existing resources: restore the data into them first).`;
  const keyWarnings = (warnings: string[]) =>
    warnings.filter((w) => w.includes("is not in the isolated vault"));

  it("by default keeps the database and the volume on AWS managed keys and warns at preview, naming each", async () => {
    const { registrations, warnings } = await evaluateStack("prod");
    expect(keyWarnings(warnings)).to.deep.equal([
      warning("db", "rds", "aws/rds"),
      warning("volume", "ebs", "aws/ebs"),
    ]);
    expect(ofType(registrations, "aws:rds/instance:Instance")[0].inputs.kmsKeyId).to.equal(undefined);
    expect(ofType(registrations, "aws:ebs/volume:Volume")[0].inputs.kmsKeyId).to.equal(undefined);
    expect(registrations.some((r) => r.name === "app-data-key")).to.equal(false);
  });

  it("warns for an Aurora cluster too, and not at all with isolation off", async () => {
    const data = JSON.stringify([
      { name: "orders", kind: "aurora", engine: "aurora-postgresql" },
      { name: "sessions", kind: "dynamodb", hashKey: "pk" },
    ]);
    const aurora = await evaluateStack("prod", { data });
    expect(keyWarnings(aurora.warnings)).to.deep.equal([warning("orders", "aurora", "aws/rds")]);
    const off = await evaluateStack("prod", { isolation: "false" });
    expect(keyWarnings(off.warnings)).to.deep.equal([]);
  });

  it("with customerManagedDataKey, encrypts the database and the volume with a key the stack creates, kept, and warns no more", async () => {
    const { registrations, warnings } = await evaluateStack("prod", { customerManagedDataKey: "true" });
    const key = named(registrations, "app-data-key");
    expect(key.inputs).to.deep.include({ region: "us-east-1", enableKeyRotation: true });
    const keyArn = "arn:aws:kms:us-east-1:123456789012:key/app-data-key";
    expect(ofType(registrations, "aws:rds/instance:Instance")[0].inputs.kmsKeyId).to.equal(keyArn);
    expect(ofType(registrations, "aws:ebs/volume:Volume")[0].inputs.kmsKeyId).to.equal(keyArn);
    expect(keyWarnings(warnings)).to.deep.equal([]);
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
