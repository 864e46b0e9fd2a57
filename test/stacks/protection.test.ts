import { expect } from "chai";
import { computePosture } from "@restorekit/backup-restore-dr";
import { configSource, PrimarySettings, readSettings } from "../../stacks/config";
import { BACKUP_TAG, protectionArgs, replicatedBuckets } from "../../stacks/protection";
import { evaluateStack, stackConfig } from "./fixtures";

const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** The prod stack file's settings with `overrides`. */
function prodSettings(overrides: Record<string, string> = {}): PrimarySettings {
  const settings = readSettings(configSource(stackConfig("prod", overrides)), {
    project: "dr-app",
    stack: "prod",
  });
  if (settings.role !== "primary") throw new Error("expected role primary");
  return settings;
}

describe("BackupRestoreDR's arguments from the prod stack's settings (stacks/protection.ts)", () => {
  const variants: Record<string, Record<string, string>> = {
    "the prod stack file": {},
    "a compliance lock, extra buckets with a key, Replication Time Control, no app bucket": {
      vaultLock: "compliance",
      vaultLockChangeableForDays: "7",
      replicateAppBucket: "false",
      replicatedBuckets: JSON.stringify(["legacy-reports", "exports"]),
      replicatedBucketKmsKeys: JSON.stringify([`legacy-reports=${KEY}`]),
      replicationTimeControl: "true",
      backupPlan: "daily",
      rpoMinutes: "2000",
    },
  };
  for (const [name, overrides] of Object.entries(variants)) {
    it(`GIVEN ${name} THEN the deployed posture is the posture of protectionArgs`, async () => {
      const { outputs } = await evaluateStack("prod", overrides);
      expect(outputs.posture).to.deep.equal(computePosture(protectionArgs(prodSettings(overrides), "app")));
    });
  }

  it("replicates the app bucket first, then the extra buckets, a source key on the extra bucket that has one", () => {
    const settings = prodSettings({
      replicatedBuckets: JSON.stringify(["legacy-reports", "exports"]),
      replicatedBucketKmsKeys: JSON.stringify([`legacy-reports=${KEY}`]),
    });
    expect(replicatedBuckets(settings, "the app bucket")).to.deep.equal([
      { sourceBucket: "the app bucket" },
      { sourceBucket: "legacy-reports", sourceKmsKeyArn: KEY },
      { sourceBucket: "exports" },
    ]);
  });

  it("gives no replication when nothing is replicated", () => {
    expect(protectionArgs(prodSettings({ replicateAppBucket: "false" }), "app").replication).to.equal(
      undefined,
    );
  });

  it("selects by the backup tag and carries the settings' plan, windows, objectives, lock and tags", () => {
    const settings = prodSettings({ objectivesEnforcement: "warn", copyLandingMinutes: "90" });
    const args = protectionArgs(settings, "app");
    expect(args.selection).to.deep.equal({ tags: BACKUP_TAG });
    expect(args).to.deep.include({
      primaryRegion: "us-east-1",
      drRegion: "us-west-2",
      plan: settings.plan,
      databaseWindows: settings.databaseWindows,
      retainOnDelete: true,
      tags: { app: "dr-app", stack: "prod", role: "primary" },
    });
    expect(args.objectives).to.deep.equal({
      rpoMinutes: 1800,
      rtoMinutes: 480,
      copyLandingMinutes: 90,
      enforcement: "warn",
    });
    expect(args.rtoForecast).to.deep.equal({
      // The target group's 2 checks 15 s apart; no public name: no switch, no DNS.
      healthCheckMinutes: 0.5,
      operatorSwitchMinutes: 0,
      dnsMinutes: 0,
      resources: [
        { kind: "RDS", name: "db", sizeGiB: 20 },
        { kind: "DynamoDB", name: "table", sizeGiB: 1 },
        { kind: "EBS", name: "volume", sizeGiB: 20 },
      ],
    });
    expect(args.vaults).to.deep.equal({
      lock: settings.vaultLock,
      deployerPrincipalArns: [],
      breakGlassPrincipalArns: [],
    });
    expect(settings.vaultLock).to.not.equal(undefined);
  });

  it("forecasts each inventory entry it can size under its logical name, leaving file systems and buckets out", () => {
    const settings = prodSettings({
      data: JSON.stringify([
        { name: "reports", kind: "aurora", engine: "aurora-postgresql" },
        { name: "orders-db", kind: "rds", allocatedStorage: 100 },
        { name: "shared", kind: "efs" },
        { name: "assets", kind: "s3" },
      ]),
    });
    expect(protectionArgs(settings, []).rtoForecast).to.deep.include({
      resources: [
        { kind: "Aurora", name: "reports", sizeGiB: 1 },
        { kind: "RDS", name: "orders-db", sizeGiB: 100 },
      ],
    });
  });

  it("GIVEN a public name THEN the forecast adds the operator's switch and the switch's DNS terms", () => {
    const settings = prodSettings({ route53ZoneId: "Z123", domainName: "api.example.com" });
    // The alarm's 60 s evaluation + Route 53's read of it (a guess) + the alias's 60 s TTL.
    expect(protectionArgs(settings, "app").rtoForecast).to.deep.include({
      operatorSwitchMinutes: 5,
      dnsMinutes: 3,
    });
  });
});
