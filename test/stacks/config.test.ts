import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import {
  CONFIG_SCHEMA,
  configSource,
  readSettings,
  RESTORED_KEYS,
  StackConfigError,
  StackSettings,
} from "../../stacks/config";
import { PROJECT_DIR, stackConfig } from "./fixtures";

/** Reads the settings of `stack`'s config file with `overrides`, as the program would. */
function settingsOf(stack: string, overrides: Record<string, string> = {}): StackSettings {
  return readSettings(configSource(stackConfig(stack, overrides)), { project: "dr-app", stack });
}

/** The error message readSettings throws for this config. */
function problemsOf(stack: string, overrides: Record<string, string>): string {
  try {
    settingsOf(stack, overrides);
  } catch (err) {
    expect(err).to.be.instanceOf(StackConfigError);
    expect(pulumi.RunError.isInstance(err as Error), "printed without a stack trace").to.equal(true);
    return (err as Error).message;
  }
  throw new Error("expected a StackConfigError");
}

describe("stack config", () => {
  describe("Pulumi.yaml", () => {
    const project = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));

    it("is the dr-app project, nodejs, with its program in stacks/", () => {
      expect(project.name).to.equal("dr-app");
      expect(project.runtime.name).to.equal("nodejs");
      expect(project.main).to.equal("stacks/index.ts");
    });

    it("declares exactly the keys the program reads, with their type, description and default", () => {
      expect(Object.keys(project.config).sort()).to.deep.equal(Object.keys(CONFIG_SCHEMA).sort());
      for (const [key, declared] of Object.entries(CONFIG_SCHEMA)) {
        expect(project.config[key], key).to.deep.equal(declared);
      }
    });

    it("documents every key in stacks/README.md", () => {
      const readme = fs.readFileSync(path.join(PROJECT_DIR, "stacks", "README.md"), "utf8");
      expect(Object.keys(CONFIG_SCHEMA).filter((key) => !readme.includes(`| \`${key}\` |`))).to.deep.equal(
        [],
      );
    });

    it("declares the keys the recovery CLI sets (docs/CONTRACTS.md)", () => {
      expect(Object.keys(project.config)).to.include.members([
        "role",
        "mode",
        "primaryStack",
        ...RESTORED_KEYS,
      ]);
    });
  });

  describe("stack files", () => {
    it("put prod in us-east-1 as the primary, at the configured capacity", () => {
      const prod = settingsOf("prod");
      expect(prod.role).to.equal("primary");
      expect(prod.region).to.equal("us-east-1");
      if (prod.role !== "primary") throw new Error("unreachable");
      expect(prod.capacity).to.deep.equal({ minSize: 2, desiredCapacity: 3, maxSize: 10 });
      expect(prod.plan.rules.map((rule) => rule.name)).to.deep.equal(["daily-backup", "hourly-backup"]);
    });

    it("put dr in us-west-2 in standby, with the guide's active capacity", () => {
      const dr = settingsOf("dr");
      if (dr.role !== "dr") throw new Error("expected role dr");
      expect(dr).to.deep.include({ region: "us-west-2", mode: "standby", primaryStack: "prod" });
      expect(dr.activeCapacity).to.deep.equal({ minSize: 2, desiredCapacity: 3, maxSize: 10 });
      expect(dr.environment.natGateways).to.equal("None");
      expect(dr.restored).to.deep.equal({
        dbEndpoint: undefined,
        dbInstanceId: undefined,
        tableName: undefined,
        volumeId: undefined,
        bucketName: undefined,
      });
    });
  });

  describe("validation, worded like Pulumi's config errors", () => {
    it("rejects a break-glass principal that is not an IAM ARN", () => {
      expect(problemsOf("prod", { breakGlassPrincipalArns: JSON.stringify(["admin"]) })).to.equal(
        `Configuration 'dr-app:breakGlassPrincipalArns' value '["admin"]' has breakGlassPrincipalArns[0] "admin" that must be an ARN of iam (arn:<partition>:iam:...).`,
      );
    });

    it("rejects a deployer principal that is not an IAM ARN (an STS session ARN is not what aws:PrincipalArn holds)", () => {
      const session = "arn:aws:sts::123456789012:assumed-role/ci/run-1";
      expect(problemsOf("prod", { deployerPrincipalArns: JSON.stringify([session]) })).to.equal(
        `Configuration 'dr-app:deployerPrincipalArns' value '["${session}"]' has deployerPrincipalArns[0] "${session}" that must be an ARN of iam (arn:<partition>:iam:...).`,
      );
    });

    it("rejects a replicated bucket KMS key that is malformed, not a KMS ARN, or for a bucket not replicated", () => {
      const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
      expect(
        problemsOf("prod", {
          replicatedBuckets: JSON.stringify(["legacy-reports"]),
          replicatedBucketKmsKeys: JSON.stringify([`legacy-reports ${key}`]),
        }),
      ).to.equal(
        `Configuration 'dr-app:replicatedBucketKmsKeys' value '["legacy-reports ${key}"]' has replicatedBucketKmsKeys[0] "legacy-reports ${key}" that must be <bucket>=<KMS key ARN>, e.g. legacy-reports=arn:aws:kms:us-east-1:111122223333:key/...`,
      );
      expect(
        problemsOf("prod", {
          replicatedBuckets: JSON.stringify(["legacy-reports"]),
          replicatedBucketKmsKeys: JSON.stringify(["legacy-reports=alias/reports"]),
        }),
      ).to.equal(
        `Configuration 'dr-app:replicatedBucketKmsKeys' value '["legacy-reports=alias/reports"]' has replicatedBucketKmsKeys[0] "legacy-reports=alias/reports" that must be an ARN of kms (arn:<partition>:kms:...).`,
      );
      expect(
        problemsOf("prod", { replicatedBucketKmsKeys: JSON.stringify([`customer-uploads=${key}`]) }),
      ).to.equal(
        `Configuration 'dr-app:replicatedBucketKmsKeys' value '["customer-uploads=${key}"]' has replicatedBucketKmsKeys[0] "customer-uploads=${key}" that names a bucket not in dr-app:replicatedBuckets.`,
      );
    });

    it("rejects a role that is neither primary nor dr", () => {
      expect(problemsOf("prod", { role: "secondary" })).to.equal(
        `Configuration 'dr-app:role' value 'secondary' is not a legal enum value (["primary","dr"])`,
      );
    });

    it("requires aws:region to be the region of the stack's role", () => {
      expect(problemsOf("dr", { "aws:region": "us-east-1" })).to.contain(
        "Configuration 'aws:region' value 'us-east-1' must equal dr-app:drRegion (us-west-2) on a stack with role dr",
      );
    });

    it("refuses NAT gateways on a dr stack", () => {
      expect(problemsOf("dr", { natGateways: "Single" })).to.contain(
        "Configuration 'dr-app:natGateways' value 'Single' must be None on a dr stack",
      );
    });

    it("checks that min <= desired <= max", () => {
      expect(problemsOf("prod", { minSize: "4" })).to.equal(
        "Configuration 'dr-app:minSize' value '4' must not exceed dr-app:desiredCapacity (3)",
      );
      expect(problemsOf("dr", { drActiveDesiredCapacity: "12" })).to.equal(
        "Configuration 'dr-app:drActiveDesiredCapacity' value '12' must not exceed dr-app:drActiveMaxSize (10)",
      );
    });

    it("reports every problem at once", () => {
      const message = problemsOf("prod", { appPort: "70000", vpcCidr: "10.0.0.0/8", mode: "active" });
      expect(message.split("\n")).to.deep.equal([
        "Configuration 'dr-app:mode' value 'active' applies to a dr stack only; a primary stack always runs at its configured capacity",
        "Configuration 'dr-app:vpcCidr' value '10.0.0.0/8' must be an IPv4 CIDR block from /16 to /24, e.g. 10.0.0.0/16",
        "Configuration 'dr-app:appPort' value '70000' is outside of the legal range (1-65535, inclusive)",
      ]);
    });

    it("takes failed-back identifiers on the primary stack by the dr stack's keys", () => {
      const prod = settingsOf("prod", {
        restoredDbEndpoint: "fb-20261130t180000c4-app-db.abc123.us-east-1.rds.amazonaws.com:5432",
        restoredTableName: "fb-20261130t180000c4-app-table",
        restoredVolumeId: "vol-0fedcba9876543210",
      });
      expect(prod.role === "primary" && prod.restored).to.deep.equal({
        dbEndpoint: "fb-20261130t180000c4-app-db.abc123.us-east-1.rds.amazonaws.com:5432",
        dbInstanceId: undefined,
        tableName: "fb-20261130t180000c4-app-table",
        volumeId: "vol-0fedcba9876543210",
        bucketName: undefined,
      });
      expect(settingsOf("prod").role === "primary" && settingsOf("prod").restored).to.deep.equal({
        dbEndpoint: undefined,
        dbInstanceId: undefined,
        tableName: undefined,
        volumeId: undefined,
        bucketName: undefined,
      });
    });

    it("checks failed-back identifiers' shape on the primary stack as on the dr stack", () => {
      expect(
        problemsOf("prod", {
          restoredDbEndpoint: "fb-db:5432/app",
          restoredTableName: "t",
          restoredVolumeId: "volume-1",
          restoredBucketName: "FB_Bucket",
        }).split("\n"),
      ).to.deep.equal([
        "Configuration 'dr-app:restoredDbEndpoint' value 'fb-db:5432/app' must be host:port, e.g. restored-db.abc123.us-west-2.rds.amazonaws.com:5432",
        "Configuration 'dr-app:restoredTableName' value 't' must be a DynamoDB table name: 3-255 letters, digits, _, - and .",
        "Configuration 'dr-app:restoredVolumeId' value 'volume-1' must be an EBS volume id such as vol-0123456789abcdef0",
        ...problemsOf("dr", { restoredBucketName: "FB_Bucket" }).split("\n"),
      ]);
    });

    it("rejects a restored table the recovery CLI did not name: the servers are granted dr-* and drill-* only", () => {
      expect(problemsOf("dr", { restoredTableName: "app-table-copy" })).to.equal(
        "Configuration 'dr-app:restoredTableName' value 'app-table-copy' must start with dr- or drill-, as the " +
          "recovery CLI names restored tables: the servers are granted no other table",
      );
    });

    it("checks the restored identifiers' shape", () => {
      expect(problemsOf("dr", { restoredVolumeId: "volume-1" })).to.contain(
        "Configuration 'dr-app:restoredVolumeId' value 'volume-1' must be an EBS volume id",
      );
    });

    it("never repeats a password it rejects", () => {
      const message = problemsOf("prod", { dbPassword: "has space inside" });
      expect(message).to.equal(
        `Configuration 'dr-app:dbPassword' value '[secret]' must be 8 to 128 printable ASCII characters other than /, ", @ and space`,
      );
      expect(message).not.to.contain("has space");
    });

    it("needs both the Route 53 zone and the DNS name", () => {
      expect(problemsOf("prod", { domainName: "api.example.com" })).to.contain(
        "Configuration 'dr-app:domainName' value 'api.example.com' needs dr-app:route53ZoneId as well",
      );
    });

    it("rejects availability zones of another region", () => {
      expect(
        problemsOf("dr", { availabilityZones: JSON.stringify(["us-east-1a", "us-east-1b"]) }),
      ).to.contain("must name zones of the stack's region us-west-2");
    });

    it("rejects the same region for primary and DR", () => {
      expect(problemsOf("prod", { drRegion: "us-east-1" })).to.contain(
        "Configuration 'dr-app:drRegion' value 'us-east-1' must differ from dr-app:primaryRegion",
      );
    });
  });

  describe("purity", () => {
    it("gives plain data, no Outputs, so offline tools read the same settings as the program", () => {
      for (const stack of ["prod", "dr"]) {
        const settings = settingsOf(stack, stack === "prod" ? { dbPassword: "correct-horse-battery" } : {});
        // structuredClone throws on Outputs (promises, functions): only plain data survives it equal.
        expect(structuredClone(settings), stack).to.deep.equal(settings);
      }
    });

    it("reads the password as a value; the prod stack makes it a secret (test/stacks/prod.test.ts)", () => {
      const prod = settingsOf("prod", { dbPassword: "correct-horse-battery" });
      if (prod.role !== "primary") throw new Error("expected role primary");
      expect(prod.database.password).to.equal("correct-horse-battery");
    });

    it("takes the project and stack names from its caller", () => {
      const settings = readSettings(configSource(stackConfig("prod")), { project: "shop", stack: "live" });
      expect(settings).to.deep.include({ project: "shop", stack: "live" });
    });
  });

  describe("defaults", () => {
    it("apply when a key is absent, so the program runs without the CLI's merging", () => {
      // The region, and the isolated vault's bounds, which have no default while isolation is on.
      const given: Record<string, string> = {
        "aws:region": "us-east-1",
        "dr-app:isolationMinRetentionDays": "97",
        "dr-app:isolationMaxRetentionDays": "97",
      };
      const settings = readSettings({ get: (key) => given[key] }, { project: "dr-app", stack: "prod" });
      expect(settings.role).to.equal("primary");
      expect(settings.objectives).to.deep.equal({ rpoMinutes: 1800, rtoMinutes: 480 });
    });

    it("require aws:region, as Pulumi's ConfigMissingError words it", () => {
      expect(() => readSettings({ get: () => undefined }, { project: "dr-app", stack: "prod" })).to.throw(
        StackConfigError,
        "Missing required configuration variable 'aws:region'",
      );
    });
  });
});
