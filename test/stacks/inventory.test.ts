import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import type { DataInventoryEntry } from "../../stacks/drContract";
import type { PrimaryStackOutputs } from "../../stacks/primary";
import { program } from "../../stacks/program";
import { settled, useMockEngine } from "../helpers/mockEngine";
import { evaluateStack, inputsOf, stackConfig, stackMockOutputs, userDataOf } from "./fixtures";

describe("prod's data inventory", () => {
  it("by default is the example's database, table, volume and bucket, under their names, exported as dataInventory", async () => {
    const prod = await evaluateStack("prod");
    const inventory = prod.outputs.dataInventory as DataInventoryEntry[];
    expect(inventory.map((entry) => [entry.name, entry.kind])).to.deep.equal([
      ["db", "rds"],
      ["table", "dynamodb"],
      ["volume", "ebs"],
      ["bucket", "s3"],
    ]);
    expect(inventory[0]).to.deep.include({ sourceId: "app-db-a1b2c3d" });
    expect(inventory[0].sourceArn).to.match(/^arn:aws:rds:us-east-1:\d{12}:/);
    expect(inventory[3].sourceArn).to.equal(`arn:aws:s3:::${prod.outputs.appBucketName as string}`);
    for (const [type, name] of [
      ["aws:rds/instance:Instance", "app-db"],
      ["aws:dynamodb/table:Table", "app-table"],
      ["aws:ebs/volume:Volume", "app-volume"],
      ["aws:s3/bucket:Bucket", "app-bucket"],
    ]) {
      expect(inputsOf(prod.registrations, type, name).tags, name).to.include({ backup: "true" });
    }
    const userData = userDataOf(
      inputsOf(prod.registrations, "aws:ec2/launchTemplate:LaunchTemplate", "app-launch-template"),
    );
    expect(userData).to.contain("\nAPP_DATA_NAMES=db,table,volume,bucket\n");
    expect(userData).to.contain("\nAPP_DATA_TABLE_NAME=app-table");
    expect(userData).to.contain(`\nAPP_DB_ENDPOINT=${prod.outputs.dbEndpoint as string}\n`);
  });

  it("creates an Aurora cluster with its instances, exported by the cluster's ARN (AWS Backup's resource)", async () => {
    const prod = await evaluateStack("prod", {
      data: JSON.stringify([
        {
          name: "reports",
          kind: "aurora",
          engine: "aurora-postgresql",
          instances: 2,
          instanceClass: "db.r6g.large",
        },
        { name: "assets", kind: "s3" },
      ]),
    });
    const cluster = inputsOf(prod.registrations, "aws:rds/cluster:Cluster", "app-reports");
    expect(cluster).to.deep.include({
      engine: "aurora-postgresql",
      engineVersion: "16",
      storageEncrypted: true,
      manageMasterUserPassword: true,
      port: 5432,
      preferredBackupWindow: "00:10-00:40",
      deletionProtection: true,
    });
    expect(cluster.tags).to.include({ backup: "true" });
    const instances = prod.registrations.filter((r) => r.type === "aws:rds/clusterInstance:ClusterInstance");
    expect(instances.map((r) => [r.name, r.inputs.clusterIdentifier, r.inputs.instanceClass])).to.deep.equal([
      ["app-reports-1", "app-reports-id", "db.r6g.large"],
      ["app-reports-2", "app-reports-id", "db.r6g.large"],
    ]);
    const [reports] = prod.outputs.dataInventory as DataInventoryEntry[];
    expect(reports.sourceArn).to.match(/^arn:aws:rds:us-east-1:\d{12}:/);
    expect(prod.registrations.filter((r) => r.type === "aws:rds/instance:Instance")).to.deep.equal([]);
    expect(prod.registrations.filter((r) => r.type === "aws:ebs/volume:Volume")).to.deep.equal([]);
    expect(prod.outputs).not.to.have.property("volumeId");
    expect(prod.outputs).not.to.have.property("tableName");
  });

  describe("after a failback (restoredData on prod)", () => {
    const FAILED_BACK = {
      table: { kind: "dynamodb", id: "fb-20261201t090000a7-app-table" },
      volume: { kind: "ebs", id: "vol-0123456789abcdef0" },
    };

    it("tells the servers the failed-back entries, and takes the selection tag off the resources they replaced", async () => {
      const prod = await evaluateStack("prod", { restoredData: JSON.stringify(FAILED_BACK) });
      const userData = userDataOf(
        inputsOf(prod.registrations, "aws:ec2/launchTemplate:LaunchTemplate", "app-launch-template"),
      );
      expect(userData).to.contain(`\nAPP_DATA_TABLE_NAME=${FAILED_BACK.table.id}\n`);
      expect(userData).to.contain(`\nAPP_TABLE_NAME=${FAILED_BACK.table.id}\n`);
      expect(userData).to.contain(`\nAPP_DATA_VOLUME_VOLUME_ID=${FAILED_BACK.volume.id}\n`);
      expect(inputsOf(prod.registrations, "aws:dynamodb/table:Table", "app-table").tags).not.to.have.property(
        "backup",
      );
      expect(inputsOf(prod.registrations, "aws:ebs/volume:Volume", "app-volume").tags).not.to.have.property(
        "backup",
      );
      expect(inputsOf(prod.registrations, "aws:rds/instance:Instance", "app-db").tags).to.include({
        backup: "true",
      });
      expect(prod.outputs.appData).to.deep.include({
        tableName: FAILED_BACK.table.id,
        volumeId: FAILED_BACK.volume.id,
      });
      expect(prod.warnings.join("\n")).not.to.contain("deprecated");
    });

    it("places a failed-back file system: mount targets in prod's private subnets beside its own file system's", async () => {
      const prod = await evaluateStack("prod", {
        data: JSON.stringify([
          { name: "shared", kind: "efs" },
          { name: "assets", kind: "s3" },
        ]),
        restoredData: JSON.stringify({ shared: { kind: "efs", id: "fs-0fb0123456789abcd" } }),
      });
      const targets = prod.registrations.filter((r) => r.type === "aws:efs/mountTarget:MountTarget");
      expect(
        targets
          .map((r) => [r.name, r.inputs.fileSystemId, r.inputs.subnetId])
          .sort(([a], [b]) => String(a).localeCompare(String(b))),
      ).to.deep.equal([
        ["app-shared-failed-back-mount-0", "fs-0fb0123456789abcd", "subnet-us-east-1-private-1"],
        ["app-shared-failed-back-mount-1", "fs-0fb0123456789abcd", "subnet-us-east-1-private-2"],
        ["app-shared-mount-0", "app-shared-id", "subnet-us-east-1-private-1"],
        ["app-shared-mount-1", "app-shared-id", "subnet-us-east-1-private-2"],
      ]);
      const userData = userDataOf(
        inputsOf(prod.registrations, "aws:ec2/launchTemplate:LaunchTemplate", "app-launch-template"),
      );
      expect(userData).to.contain("\nAPP_DATA_SHARED_FILE_SYSTEM_ID=fs-0fb0123456789abcd\n");
      expect(
        inputsOf(prod.registrations, "aws:efs/fileSystem:FileSystem", "app-shared").tags,
      ).not.to.have.property("backup");
    });

    it("creates a file system with its declared throughput and exports it in dataInventory (a restore does not keep it)", async () => {
      const prod = await evaluateStack("prod", {
        data: JSON.stringify([
          { name: "shared", kind: "efs", throughputMode: "provisioned", provisionedThroughputInMibps: 256 },
          { name: "scratch", kind: "efs" },
          { name: "assets", kind: "s3" },
        ]),
      });
      expect(inputsOf(prod.registrations, "aws:efs/fileSystem:FileSystem", "app-shared")).to.deep.include({
        throughputMode: "provisioned",
        provisionedThroughputInMibps: 256,
      });
      const scratch = inputsOf(prod.registrations, "aws:efs/fileSystem:FileSystem", "app-scratch");
      expect(scratch.throughputMode).to.equal("elastic");
      expect(scratch).not.to.have.property("provisionedThroughputInMibps");
      const inventory = prod.outputs.dataInventory as DataInventoryEntry[];
      expect(inventory.map((e) => [e.name, e.throughput])).to.deep.equal([
        ["shared", { mode: "provisioned", provisionedMibps: 256 }],
        ["scratch", { mode: "elastic" }],
        ["assets", undefined],
      ]);
    });

    /** The error the program raises for this restoredData, from Pulumi's own read of the appData output. */
    async function failure(restored: object): Promise<string | undefined> {
      const registrations = useMockEngine({
        stack: "prod",
        config: stackConfig("prod", { restoredData: JSON.stringify(restored) }),
        outputs: stackMockOutputs,
      });
      try {
        const outputs = program() as PrimaryStackOutputs;
        const errors = await Promise.all(
          Object.values(outputs.appData).map((output: pulumi.Output<unknown>) =>
            (output as unknown as { promise(): Promise<unknown> }).promise().then(
              () => undefined,
              (err: Error) => err.message,
            ),
          ),
        );
        return errors.find((message) => message !== undefined);
      } catch (err) {
        return (err as Error).message;
      } finally {
        await settled(registrations);
      }
    }

    it("refuses a table that is neither its own nor a failback's, naming restoredData", async () => {
      expect(await failure({ table: { kind: "dynamodb", id: "dr-20261123t093000a7-app-table" } })).to.equal(
        "Configuration 'dr-app:restoredData.table.id' value 'dr-20261123t093000a7-app-table' must be this stack's own table " +
          "(app-table-a1b2c3d) or a failed-back one named fb-... or fbdrill-...: the servers are granted no other table",
      );
    });

    it("refuses a logical name its inventory does not hold, and a kind other than the entry's", async () => {
      expect(await failure({ carts: { kind: "dynamodb", id: "fb-1-carts" } })).to.equal(
        "Configuration 'dr-app:restoredData' names 'carts', which is not in this stack's data inventory (db, table, volume, bucket): a failback sets the logical names of dr-app:data",
      );
      expect(await failure({ table: { kind: "s3", id: "fb-1-table" } })).to.equal(
        "Configuration 'dr-app:restoredData.table.kind' value 's3' must be dynamodb, the kind of data[table]",
      );
    });
  });
});
