import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { diffFlip, FlipChange } from "../../scripts/plan/flipChanges";
import { program, StackOutputs } from "../../stacks/program";
import { settled, useMockEngine } from "../helpers/mockEngine";
import {
  evaluateStack,
  EvaluatedStack,
  inputsOf,
  stackConfig,
  stackMockOutputs,
  userDataOf,
} from "./fixtures";

/** What a failback sets on the prod stack: the dr stack's keys, with the failback's names. */
const FAILED_BACK = {
  restoredDbEndpoint: "fb-20261130t180000c4-app-db.abc123.us-east-1.rds.amazonaws.com:5432",
  restoredDbInstanceId: "fb-20261130t180000c4-app-db",
  restoredTableName: "fb-20261130t180000c4-app-table",
  restoredVolumeId: "vol-0fedcba9876543210",
  restoredBucketName: "fb-20261130t180000c4-app-bucket",
};

const DNS = { route53ZoneId: "Z0123456789ABCDEFGHIJ", domainName: "api.example.com" };

describe("prod takes failed-back data by configuration", () => {
  let before_: EvaluatedStack;
  let after: EvaluatedStack;
  let changes: FlipChange[];

  before(async () => {
    before_ = await evaluateStack("prod", DNS);
    after = await evaluateStack("prod", { ...DNS, ...FAILED_BACK });
    changes = diffFlip(before_.registrations, after.registrations, "us-east-1");
  });

  it("changes nothing but the launch template's user data and the pre-disaster data's tags: the data stays as it is", () => {
    // Unavoidable besides, and only on a deployment: the template's new version rolls the servers (the
    // Auto Scaling group's launchTemplate.version follows latestVersion, which the mock holds at 1).
    expect(changes.map((c) => `${c.kind} ${c.type} ${c.name}: ${c.keys.join(", ")}`)).to.have.members([
      "changed aws:ec2/launchTemplate:LaunchTemplate app-launch-template: userData",
      "changed aws:s3/bucket:Bucket app-bucket: tags",
      "changed aws:dynamodb/table:Table app-table: tags",
      "changed aws:rds/instance:Instance app-db: tags",
      "changed aws:ebs/volume:Volume app-volume: tags",
    ]);
    for (const [type, name] of [
      ["aws:rds/instance:Instance", "app-db"],
      ["aws:dynamodb/table:Table", "app-table"],
      ["aws:ebs/volume:Volume", "app-volume"],
      ["aws:s3/bucket:Bucket", "app-bucket"],
    ]) {
      const { tags: _after, ...kept } = inputsOf(after.registrations, type, name);
      const { tags: _before, ...was } = inputsOf(before_.registrations, type, name);
      expect(kept, name).to.deep.equal(was);
    }
  });

  it("takes the selection tag off the pre-disaster data it no longer serves, so prod's plan selects only the failed-back copies (issue 19, finding 1)", () => {
    for (const [type, name] of [
      ["aws:rds/instance:Instance", "app-db"],
      ["aws:dynamodb/table:Table", "app-table"],
      ["aws:ebs/volume:Volume", "app-volume"],
      ["aws:s3/bucket:Bucket", "app-bucket"],
    ]) {
      expect(inputsOf(before_.registrations, type, name).tags, `${name} before`).to.include({
        backup: "true",
      });
      const tags = inputsOf(after.registrations, type, name).tags as Record<string, string>;
      expect(tags, `${name} after`).not.to.have.property("backup");
      expect(tags, `${name} after`).to.include({ role: "primary" });
    }
  });

  it("points the servers at the failed-back identifiers", () => {
    const userData = userDataOf(
      inputsOf(after.registrations, "aws:ec2/launchTemplate:LaunchTemplate", "app-launch-template"),
    );
    for (const line of [
      `APP_DB_ENDPOINT=${FAILED_BACK.restoredDbEndpoint}`,
      `APP_DB_INSTANCE_ID=${FAILED_BACK.restoredDbInstanceId}`,
      `APP_TABLE_NAME=${FAILED_BACK.restoredTableName}`,
      `APP_DATA_VOLUME_ID=${FAILED_BACK.restoredVolumeId}`,
      `APP_BUCKET_NAME=${FAILED_BACK.restoredBucketName}`,
    ]) {
      expect(userData).to.contain(line);
    }
    expect(after.outputs.appData).to.deep.equal({
      dbEndpoint: FAILED_BACK.restoredDbEndpoint,
      dbInstanceId: FAILED_BACK.restoredDbInstanceId,
      tableName: FAILED_BACK.restoredTableName,
      bucketName: FAILED_BACK.restoredBucketName,
      volumeId: FAILED_BACK.restoredVolumeId,
    });
    // The resources' own outputs still name the pre-disaster resources, kept until the operator deletes them.
    expect(after.outputs.dbInstanceId).to.equal(before_.outputs.dbInstanceId);
    expect(after.outputs.tableName).to.equal(before_.outputs.tableName);
  });

  it("uses prod's own data without them, and says so in appData", () => {
    expect(before_.outputs.appData).to.deep.equal({
      dbEndpoint: before_.outputs.dbEndpoint,
      dbInstanceId: before_.outputs.dbInstanceId,
      tableName: before_.outputs.tableName,
      bucketName: before_.outputs.appBucketName,
      volumeId: before_.outputs.volumeId,
    });
  });

  it("grants the failback's prefixes in advance: the servers' policy is the same with and without", () => {
    const statements = (stack: EvaluatedStack) =>
      JSON.parse(inputsOf(stack.registrations, "aws:iam/rolePolicy:RolePolicy", "app-instance-data").policy)
        .Statement as { Sid: string; Resource: string | string[] }[];
    const resources = (sid: string) =>
      statements(before_).find((statement) => statement.Sid === sid)?.Resource;
    expect(resources("UseAppTables")).to.include.members([
      "arn:aws:dynamodb:us-east-1:*:table/fb-*",
      "arn:aws:dynamodb:us-east-1:*:table/fbdrill-*",
      "arn:aws:dynamodb:us-east-1:*:table/fb-*/index/*",
    ]);
    expect(resources("ListAppBuckets")).to.include.members(["arn:aws:s3:::fb-*", "arn:aws:s3:::fbdrill-*"]);
    expect(resources("AttachDataVolume")).to.equal("arn:aws:ec2:us-east-1:*:volume/*");
    expect(statements(after)).to.deep.equal(statements(before_));
  });

  it("accepts prod's own resource as the value, as when the operator goes back to it", async () => {
    const own = await evaluateStack("prod", {
      restoredDbInstanceId: String(before_.outputs.dbInstanceId),
      restoredTableName: String(before_.outputs.tableName),
    });
    expect(own.outputs.appData).to.deep.include({
      dbInstanceId: before_.outputs.dbInstanceId,
      tableName: before_.outputs.tableName,
    });
    // Served again, so selected again.
    for (const [type, name] of [
      ["aws:rds/instance:Instance", "app-db"],
      ["aws:dynamodb/table:Table", "app-table"],
    ]) {
      expect(inputsOf(own.registrations, type, name).tags, name).to.include({ backup: "true" });
    }
  });
});

describe("prod refuses failed-back identifiers that are neither its own nor a failback's", () => {
  /** The error the program raises for `overrides`, from Pulumi's own read of the appData output. */
  async function failure(overrides: Record<string, string>): Promise<string | undefined> {
    const registrations = useMockEngine({
      stack: "prod",
      config: stackConfig("prod", overrides),
      outputs: stackMockOutputs,
    });
    const warn = console.warn;
    console.warn = () => undefined; // the program's dbPassword warning, asserted in prod.test.ts
    let errors: (string | undefined)[];
    try {
      const outputs = program() as StackOutputs & { appData?: Record<string, pulumi.Output<string>> };
      errors = await Promise.all(
        Object.values(outputs.appData ?? {}).map((output) =>
          (output as unknown as { promise(): Promise<unknown> }).promise().then(
            () => undefined,
            (err: Error) => err.message,
          ),
        ),
      );
    } finally {
      await settled(registrations);
      console.warn = warn;
    }
    return errors.find((message) => message !== undefined);
  }

  it("names the key, the value and the rule for a table", async () => {
    expect(await failure({ restoredTableName: "someone-elses-table" })).to.equal(
      "Configuration 'dr-app:restoredTableName' value 'someone-elses-table' must be this stack's own table " +
        "(app-table-a1b2c3d) or a failed-back one named fb-... or fbdrill-...: the servers are granted no other table",
    );
  });

  it("refuses the dr side's restored names: they live in the DR region", async () => {
    expect(await failure({ restoredBucketName: "dr-20261123t093000a7-app-bucket" })).to.contain(
      "Configuration 'dr-app:restoredBucketName' value 'dr-20261123t093000a7-app-bucket' must be this stack's own bucket",
    );
    expect(
      await failure({
        restoredDbEndpoint: "dr-20261123t093000a7-app-db.xyz.us-west-2.rds.amazonaws.com:5432",
      }),
    ).to.contain("as a failback names the databases it restores");
  });

  it("takes any volume id: a restored volume has no name to check, as on the dr stack", async () => {
    expect(await failure({ restoredVolumeId: "vol-0123456789abcdef0" })).to.equal(undefined);
  });
});

describe("prod held at zero for the failback's freeze (holdServers)", () => {
  it("sets the servers' group to 0/0/0 and changes nothing else; without it the configured capacity", async () => {
    const running = await evaluateStack("prod", DNS);
    const held = await evaluateStack("prod", { ...DNS, holdServers: "true" });
    const changes = diffFlip(running.registrations, held.registrations, "us-east-1");
    expect(changes.map((c) => `${c.kind} ${c.type} ${c.name}: ${c.keys.join(", ")}`)).to.deep.equal([
      "changed aws:autoscaling/group:Group app-asg: desiredCapacity, maxSize, minSize",
    ]);
    expect(inputsOf(held.registrations, "aws:autoscaling/group:Group", "app-asg")).to.deep.include({
      minSize: 0,
      desiredCapacity: 0,
      maxSize: 0,
    });
    expect(inputsOf(running.registrations, "aws:autoscaling/group:Group", "app-asg")).to.deep.include({
      minSize: 2,
      desiredCapacity: 3,
      maxSize: 10,
    });
  });
});
