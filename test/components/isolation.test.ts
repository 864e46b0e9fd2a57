// The isolated copy: the logically air-gapped vault, the second copy action, its checks and its RAM share.
import { expect } from "chai";
import { BackupPlanPresets, BackupRestoreDR, BackupRestoreDRArgs } from "@restorekit/backup-restore-dr";
import { seedArgs } from "../helpers/componentArgs";
import { named, ofType, settled, useMockEngine, valueOf } from "../helpers/mockEngine";

const LAG_TYPE = "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault";
/** Bounds around the seed plan's 97-day DR copy. */
const BOUNDS = { minRetentionDays: 97, maxRetentionDays: 97 };

async function build(args: BackupRestoreDRArgs) {
  const registrations = useMockEngine();
  const component = new BackupRestoreDR("app", args);
  await valueOf(component.planId);
  await valueOf(component.isolatedVaultArn);
  await settled(registrations);
  return { registrations, component };
}

function rejects(args: BackupRestoreDRArgs, message: string) {
  useMockEngine();
  expect(() => new BackupRestoreDR("app", args)).to.throw(message);
}

describe("isolation: the logically air-gapped vault", () => {
  it("is off unless asked for: no LAG vault, one copy action, no isolated outputs", async () => {
    const { registrations, component } = await build(seedArgs());
    expect(ofType(registrations, LAG_TYPE)).to.have.length(0);
    const rules = named(registrations, "app-plan").inputs.rules;
    expect(rules[0].copyActions).to.have.length(1);
    expect(await valueOf(component.isolatedVaultName)).to.equal(undefined);
    expect(await valueOf(component.isolatedVaultArn)).to.equal(undefined);
  });

  it("creates the LAG vault in the DR region, with the bounds given, kept on destroy", async () => {
    const { registrations, component } = await build(seedArgs({ isolation: { enabled: true, ...BOUNDS } }));
    const vault = named(registrations, "app-isolated-vault");
    expect(vault.type).to.equal(LAG_TYPE);
    expect(vault.inputs).to.deep.include({ region: "us-west-2", minRetentionDays: 97, maxRetentionDays: 97 });
    const arn = await valueOf(component.isolatedVaultArn);
    expect(arn).to.match(/^arn:aws:backup:us-west-2:123456789012:backup-vault:app-isolated-vault/);
    expect(await valueOf(component.isolatedVaultName)).to.match(/^[a-zA-Z0-9\-_]{2,50}$/);
  });

  it("adds a second copy action to every rule that copies to DR, keeping the DR copy's retention warm", async () => {
    const { registrations, component } = await build(seedArgs({ isolation: { enabled: true, ...BOUNDS } }));
    const [daily, hourly] = named(registrations, "app-plan").inputs.rules;
    expect(daily.copyActions).to.deep.equal([
      {
        destinationVaultArn: await valueOf(component.drVaultArn),
        lifecycle: { coldStorageAfter: 7, deleteAfter: 97 },
      },
      { destinationVaultArn: await valueOf(component.isolatedVaultArn), lifecycle: { deleteAfter: 97 } },
    ]);
    expect(hourly.copyActions, "a rule without copyToDr copies nowhere").to.deep.equal([]);
  });

  it("shares the vault with the recovery accounts through RAM when they are named", async () => {
    const { registrations, component } = await build(
      seedArgs({ isolation: { enabled: true, ...BOUNDS, recoveryAccountIds: ["210987654321"] } }),
    );
    const share = named(registrations, "app-isolated-vault-share");
    expect(share.type).to.equal("aws:ram/resourceShare:ResourceShare");
    expect(share.inputs).to.deep.include({ region: "us-west-2", allowExternalPrincipals: true });
    const association = named(registrations, "app-isolated-vault-share-vault");
    expect(association.type).to.equal("aws:ram/resourceAssociation:ResourceAssociation");
    expect(association.inputs.resourceArn).to.equal(await valueOf(component.isolatedVaultArn));
    const principal = named(registrations, "app-isolated-vault-share-210987654321");
    expect(principal.type).to.equal("aws:ram/principalAssociation:PrincipalAssociation");
    expect(principal.inputs).to.deep.include({ region: "us-west-2", principal: "210987654321" });
  });

  it("shares nothing without recovery accounts", async () => {
    const { registrations } = await build(seedArgs({ isolation: { enabled: true, ...BOUNDS } }));
    expect(ofType(registrations, "aws:ram/resourceShare:ResourceShare")).to.have.length(0);
  });

  it("takes explicit retention bounds that contain every DR copy", async () => {
    const { registrations } = await build(
      seedArgs({ isolation: { enabled: true, minRetentionDays: 30, maxRetentionDays: 365 } }),
    );
    expect(named(registrations, "app-isolated-vault").inputs).to.deep.include({
      minRetentionDays: 30,
      maxRetentionDays: 365,
    });
  });
});

describe("isolation: checks", () => {
  it("rejects a minimum retention below AWS's 7 days", () => {
    rejects(
      seedArgs({ isolation: { enabled: true, ...BOUNDS, minRetentionDays: 5 } }),
      'BackupRestoreDR "app": isolation.minRetentionDays (5) must be a whole number of days from 7 to 36500: AWS accepts no logically air-gapped vault retention outside them (CreateLogicallyAirGappedBackupVault).',
    );
  });

  it("rejects a maximum retention above 100 years", () => {
    rejects(
      seedArgs({ isolation: { enabled: true, ...BOUNDS, maxRetentionDays: 36501 } }),
      "isolation.maxRetentionDays (36501) must be a whole number of days from 7 to 36500",
    );
  });

  it("rejects a minimum above the maximum", () => {
    rejects(
      seedArgs({ isolation: { enabled: true, minRetentionDays: 200, maxRetentionDays: 100 } }),
      "isolation.minRetentionDays (200) must not exceed isolation.maxRetentionDays (100).",
    );
  });

  it("rejects a DR copy kept for less than the vault's minimum: the compliance lock would fail it", () => {
    rejects(
      seedArgs({ isolation: { enabled: true, minRetentionDays: 120, maxRetentionDays: 365 } }),
      "plan.rules[0].copyToDr.lifecycle.deleteAfterDays (97) must be at least 120 with isolation on, the isolated vault's minimum retention (AWS's least is 7): its compliance lock fails every copy that keeps recovery points for less.",
    );
  });

  it("rejects a DR copy kept for longer than the vault's maximum", () => {
    rejects(
      seedArgs({ isolation: { enabled: true, minRetentionDays: 7, maxRetentionDays: 30 } }),
      "plan.rules[0].copyToDr.lifecycle.deleteAfterDays (97) must be at most isolation.maxRetentionDays (30): the isolated vault's compliance lock fails every copy that keeps recovery points for longer.",
    );
  });

  it("rejects a DR copy of fewer than 7 days, which no LAG vault accepts, naming the rule's own lifecycle when the copy inherits it", () => {
    const rule = { ...BackupPlanPresets.dailyWithDrCopy(), lifecycle: { deleteAfterDays: 5 }, copyToDr: {} };
    rejects(
      seedArgs({
        plan: { rules: [rule] },
        isolation: { enabled: true, minRetentionDays: 7, maxRetentionDays: 97 },
      }),
      "plan.rules[0].lifecycle.deleteAfterDays (5) must be at least 7 with isolation on",
    );
  });

  it("requires both retention bounds, naming the plan's own: AWS replaces the vault when they change", () => {
    rejects(
      seedArgs({ isolation: { enabled: true } }),
      "isolation.minRetentionDays (unset) must be set with isolation on (the plan's shortest DR copy retention is 97 days): AWS replaces a logically air-gapped vault when its retention bounds change (terraform-provider-aws logically_air_gapped_vault.go, ForceNew), so bounds that follow the plan would move the isolated copies to a new, empty vault whenever a retention changes.",
    );
    rejects(
      seedArgs({ isolation: { enabled: true, minRetentionDays: 7 } }),
      "isolation.maxRetentionDays (unset) must be set with isolation on (the plan's longest DR copy retention is 97 days)",
    );
  });

  it("rejects isolation with no rule copying to DR", () => {
    rejects(
      seedArgs({
        plan: { rules: [BackupPlanPresets.hourlyLocal()] },
        isolation: { enabled: true, ...BOUNDS },
      }),
      "isolation.enabled (true) needs at least one rule with copyToDr: the isolated vault receives the copies to DR.",
    );
  });

  it("rejects a recovery account that is not 12 digits, and a vault name AWS refuses", () => {
    rejects(
      seedArgs({
        isolation: { enabled: true, ...BOUNDS, recoveryAccountIds: ["12345"], vaultName: "my.vault" },
      }),
      'isolation.recoveryAccountIds[0] ("12345") must be a 12-digit AWS account id.',
    );
    rejects(
      seedArgs({ isolation: { enabled: true, vaultName: "my.vault" } }),
      `isolation.vaultName ("my.vault") must be 2-50 letters, digits, '-' or '_' (AWS Backup vault names, no '.').`,
    );
  });

  it("checks nothing while isolation is off", async () => {
    const { registrations } = await build(seedArgs({ isolation: { enabled: false, minRetentionDays: 1 } }));
    expect(ofType(registrations, LAG_TYPE)).to.have.length(0);
  });
});
