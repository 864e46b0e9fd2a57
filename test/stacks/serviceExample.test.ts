import { expect } from "chai";
import { diffFlip, outsideFlipScope } from "../../scripts/plan/flipChanges";
import { dataVariableName } from "../../stacks/dataVariables";
import type { DrStackOutputs } from "../../stacks/dr";
import { program } from "../../stacks/program";
import { settled, useMockEngine } from "../helpers/mockEngine";
import type { DataInventoryEntry, RestoredData } from "../../stacks/drContract";
import {
  EvaluatedStack,
  evaluateConfig,
  exampleConfig,
  inputsOf,
  PROD_OUTPUTS,
  stackMockOutputsWith,
} from "./fixtures";

/** The container's variables as `KEY=value` lines between newlines, as the servers' environment file has them. */
function variablesOf(stack: EvaluatedStack): string {
  const [container] = JSON.parse(
    inputsOf(stack.registrations, "aws:ecs/taskDefinition:TaskDefinition", "app-task").containerDefinitions,
  ) as { environment: { name: string; value: string }[] }[];
  return `\n${container.environment.map((v) => `${v.name}=${v.value}`).join("\n")}\n`;
}

/** The task definition's volumes and its container's mount points. */
function taskVolumesOf(stack: EvaluatedStack): { volumes: unknown; mountPoints: unknown } {
  const task = inputsOf(stack.registrations, "aws:ecs/taskDefinition:TaskDefinition", "app-task");
  const [container] = JSON.parse(task.containerDefinitions) as { mountPoints: unknown }[];
  return { volumes: task.volumes ?? [], mountPoints: container.mountPoints };
}

/** The service example's logical names and kinds, in its inventory's order. */
const SERVICE = [
  ["orders-db", "rds"],
  ["users-db", "rds"],
  ["orders", "dynamodb"],
  ["sessions", "dynamodb"],
  ["events", "dynamodb"],
  ["shared", "efs"],
  ["assets", "s3"],
  ["exports", "s3"],
] as const;

/** What a recovery restored for every entry (the CLI's naming: dr-<runId>-<source>). */
const RESTORED: RestoredData = {
  "orders-db": {
    kind: "rds",
    id: "dr-20261123t093000a7-app-orders-db",
    endpoint: "dr-20261123t093000a7-app-orders-db.xyz.us-west-2.rds.amazonaws.com:5432",
  },
  "users-db": {
    kind: "rds",
    id: "dr-20261123t093000a7-app-users-db",
    endpoint: "dr-20261123t093000a7-app-users-db.xyz.us-west-2.rds.amazonaws.com:5432",
  },
  orders: { kind: "dynamodb", id: "dr-20261123t093000a7-orders" },
  sessions: { kind: "dynamodb", id: "dr-20261123t093000a7-sessions" },
  events: { kind: "dynamodb", id: "dr-20261123t093000a7-events" },
  shared: { kind: "efs", id: "fs-0123456789abcdef0" },
  assets: { kind: "s3", id: "dr-20261123t093000a7-assets" },
};

describe("the second built-in example (docs/examples/service): two databases, three tables, a file system, two buckets", () => {
  let prod: EvaluatedStack;
  let standby: EvaluatedStack;
  let active: EvaluatedStack;
  let prodOutputs: Record<string, unknown>;

  before(async function () {
    this.timeout(120_000);
    prod = await evaluateConfig(exampleConfig("service", "prod"), "prod");
    prodOutputs = { ...PROD_OUTPUTS, ...prod.outputs };
    const outputs = stackMockOutputsWith(prodOutputs);
    standby = await evaluateConfig(exampleConfig("service", "dr"), "dr", outputs);
    active = await evaluateConfig(
      exampleConfig("service", "dr", { mode: "active", restoredData: JSON.stringify(RESTORED) }),
      "dr",
      outputs,
    );
  });

  describe("prod", () => {
    const created = (type: string) => prod.registrations.filter((r) => r.type === type).map((r) => r.name);

    it("creates every entry, under its logical name", () => {
      expect(created("aws:rds/instance:Instance")).to.deep.equal(["app-orders-db", "app-users-db"]);
      expect(created("aws:dynamodb/table:Table")).to.deep.equal(["app-orders", "app-sessions", "app-events"]);
      expect(created("aws:efs/fileSystem:FileSystem")).to.deep.equal(["app-shared"]);
      expect(created("aws:s3/bucket:Bucket")).to.include.members(["app-assets", "app-exports"]);
      expect(created("aws:ebs/volume:Volume")).to.deep.equal([]);
      expect(inputsOf(prod.registrations, "aws:rds/instance:Instance", "app-orders-db")).to.deep.include({
        allocatedStorage: 50,
        dbName: "orders",
        storageEncrypted: true,
        manageMasterUserPassword: true,
      });
      expect(inputsOf(prod.registrations, "aws:dynamodb/table:Table", "app-events")).to.deep.include({
        hashKey: "pk",
        rangeKey: "sk",
        attributes: [
          { name: "pk", type: "S" },
          { name: "sk", type: "S" },
        ],
      });
    });

    it("tags every entry for the backup selection", () => {
      const tagged = prod.registrations.filter(
        (r) =>
          [
            "app-orders-db",
            "app-users-db",
            "app-orders",
            "app-sessions",
            "app-events",
            "app-shared",
            "app-assets",
            "app-exports",
          ].includes(r.name) && (r.inputs.tags as Record<string, string> | undefined)?.backup === "true",
      );
      expect(tagged.map((r) => r.name).sort()).to.deep.equal([
        "app-assets",
        "app-events",
        "app-exports",
        "app-orders",
        "app-orders-db",
        "app-sessions",
        "app-shared",
        "app-users-db",
      ]);
    });

    it("places the file system: a mount target in each private subnet, NFS from the servers only", () => {
      const targets = prod.registrations.filter((r) => r.type === "aws:efs/mountTarget:MountTarget");
      expect(targets.map((r) => [r.name, r.inputs.subnetId, r.inputs.fileSystemId])).to.deep.equal([
        ["app-shared-mount-0", "subnet-us-east-1-private-1", "app-shared-id"],
        ["app-shared-mount-1", "subnet-us-east-1-private-2", "app-shared-id"],
      ]);
      const group = inputsOf(prod.registrations, "aws:ec2/securityGroup:SecurityGroup", "app-efs-sg");
      expect(group.ingress).to.deep.equal([
        {
          protocol: "tcp",
          fromPort: 2049,
          toPort: 2049,
          securityGroups: ["app-sg-id"],
          description: "NFS from the application servers",
        },
      ]);
      expect(targets.every((r) => JSON.stringify(r.inputs.securityGroups) === '["app-efs-sg-id"]')).to.equal(
        true,
      );
    });

    it("exports dataInventory: every entry with its source ARN as AWS Backup records it", () => {
      const inventory = prod.outputs.dataInventory as DataInventoryEntry[];
      expect(inventory.map((entry) => [entry.name, entry.kind])).to.deep.equal(
        SERVICE.map(([n, k]) => [n, k]),
      );
      const byName = Object.fromEntries(inventory.map((entry) => [entry.name, entry]));
      expect(byName["orders-db"].sourceId).to.equal("app-orders-db-a1b2c3d");
      expect(byName.assets.sourceArn).to.equal(`arn:aws:s3:::${byName.assets.sourceId}`);
      expect(byName.orders.sourceArn).to.match(/^arn:aws:dynamodb:us-east-1:\d{12}:/);
      expect(byName.shared.sourceArn).to.match(/^arn:aws:elasticfilesystem:us-east-1:\d{12}:/);
    });

    it("replicates both buckets to the DR region", () => {
      const inventory = prod.outputs.dataInventory as DataInventoryEntry[];
      const buckets = inventory.filter((entry) => entry.kind === "s3").map((entry) => entry.sourceId);
      expect(Object.keys(prod.outputs.replicaBuckets as Record<string, string>)).to.deep.equal(buckets);
    });

    it("tells the servers every entry by its variables, and the second database its own credential", () => {
      const userData = variablesOf(prod);
      expect(userData).to.contain(`APP_DATA_NAMES=${SERVICE.map(([name]) => name).join(",")}`);
      expect(userData).to.contain(
        `${dataVariableName("orders-db", "ENDPOINT")}=app-orders-db.abc123.us-east-1.rds.amazonaws.com:5432`,
      );
      expect(userData).to.contain(`${dataVariableName("users-db", "ID")}=app-users-db-a1b2c3d`);
      expect(userData).to.match(
        /\nAPP_DATA_USERS_DB_SECRET_ID=arn:aws:secretsmanager:us-east-1:\d+:secret:rds!db-/,
      );
      expect(userData).to.contain("APP_DATA_SHARED_FILE_SYSTEM_ID=app-shared-id");
      expect(userData).to.contain("APP_DATA_SHARED_MOUNT_PATH=/mnt/dr-app/shared");
      expect(userData).to.contain("\nAPP_DATA_SHARED_RESTORED=false\n");
      expect(userData).to.contain("\nAPP_DATA_SHARED_ROOT_PATH=/mnt/dr-app/.root/shared\n");
      expect(taskVolumesOf(prod)).to.deep.equal({
        volumes: [
          {
            name: "efs-shared",
            efsVolumeConfiguration: {
              fileSystemId: "app-shared-id",
              rootDirectory: "/",
              transitEncryption: "ENABLED",
            },
          },
        ],
        mountPoints: [
          { sourceVolume: "efs-shared", containerPath: "/mnt/dr-app/.root/shared", readOnly: false },
        ],
      });
    });
  });

  describe("dr", () => {
    it("re-exports prod's dataInventory", () => {
      expect(standby.outputs.dataInventory).to.deep.equal(prod.outputs.dataInventory);
      expect(active.outputs.dataInventory).to.deep.equal(prod.outputs.dataInventory);
    });

    it("in standby, tells the servers the replicas of both buckets and nothing restored", () => {
      const userData = variablesOf(standby);
      const replicas = prodOutputs.replicaBuckets as Record<string, string>;
      const inventory = prod.outputs.dataInventory as DataInventoryEntry[];
      for (const entry of inventory.filter((e) => e.kind === "s3")) {
        expect(userData).to.contain(`${dataVariableName(entry.name, "NAME")}=${replicas[entry.sourceId]}\n`);
      }
      expect(userData).to.contain("\nAPP_DATA_ORDERS_NAME=\n");
      expect(userData).to.contain("\nAPP_DATA_ORDERS_DB_ENDPOINT=\n");
      expect(taskVolumesOf(standby)).to.deep.equal({ volumes: [], mountPoints: [] });
    });

    it("wires each restoredData entry to its variables when active", () => {
      const userData = variablesOf(active);
      const replicas = prodOutputs.replicaBuckets as Record<string, string>;
      const exportsSource = (prod.outputs.dataInventory as DataInventoryEntry[]).find(
        (e) => e.name === "exports",
      )!;
      for (const [name, variable, value] of [
        ["orders-db", "ENDPOINT", RESTORED["orders-db"].endpoint],
        ["orders-db", "ID", RESTORED["orders-db"].id],
        ["users-db", "ENDPOINT", RESTORED["users-db"].endpoint],
        ["orders", "NAME", RESTORED.orders.id],
        ["sessions", "NAME", RESTORED.sessions.id],
        ["events", "NAME", RESTORED.events.id],
        ["shared", "FILE_SYSTEM_ID", RESTORED.shared.id],
        ["assets", "NAME", RESTORED.assets.id],
        // Not restored: the replica, as in standby.
        ["exports", "NAME", replicas[exportsSource.sourceId]],
      ] as const) {
        expect(userData, `${name} ${variable}`).to.contain(
          `\n${dataVariableName(name, variable)}=${value}\n`,
        );
      }
      // The single-resource variables follow the inventory's first database and table.
      expect(userData).to.contain(`\nAPP_DB_ENDPOINT=${RESTORED["orders-db"].endpoint}\n`);
      expect(userData).to.contain(`\nAPP_TABLE_NAME=${RESTORED.orders.id}\n`);
      // AWS Backup restores the file system's data into aws-backup-restore_<datetime> off its root.
      expect(userData).to.contain("\nAPP_DATA_SHARED_RESTORED=true\n");
      expect(taskVolumesOf(active).volumes).to.deep.equal([
        {
          name: "efs-shared",
          efsVolumeConfiguration: {
            fileSystemId: RESTORED.shared.id,
            rootDirectory: "/",
            transitEncryption: "ENABLED",
          },
        },
      ]);
    });

    it("places the restored file system: mount targets in the private subnets, behind the standby's NFS group", () => {
      expect(standby.registrations.filter((r) => r.type === "aws:efs/mountTarget:MountTarget")).to.deep.equal(
        [],
      );
      inputsOf(standby.registrations, "aws:ec2/securityGroup:SecurityGroup", "app-efs-sg");
      const targets = active.registrations.filter((r) => r.type === "aws:efs/mountTarget:MountTarget");
      expect(
        targets.map((r) => [r.name, r.inputs.subnetId, r.inputs.fileSystemId, r.inputs.region]),
      ).to.deep.equal([
        ["app-shared-mount-0", "subnet-us-west-2-private-1", RESTORED.shared.id, "us-west-2"],
        ["app-shared-mount-1", "subnet-us-west-2-private-2", RESTORED.shared.id, "us-west-2"],
      ]);
    });

    it("grants the servers in standby already what a restore brings: file systems of the region, tables and buckets by prefix", () => {
      const statements = (stack: EvaluatedStack) =>
        JSON.parse(
          inputsOf(stack.registrations, "aws:iam/rolePolicy:RolePolicy", "app-task-data").policy as string,
        ).Statement as { Sid: string; Resource: unknown }[];
      expect(statements(active)).to.deep.equal(statements(standby));
      expect(statements(standby).find((s) => s.Sid === "UseAppFileSystems")?.Resource).to.deep.equal([
        "arn:aws:elasticfilesystem:us-west-2:*:file-system/*",
      ]);
    });

    it("a flip changes only the servers' capacity and launch template, and adds the restored file system's mount targets (DR region)", () => {
      const changes = diffFlip(standby.registrations, active.registrations, "us-west-2");
      const mountTargets = changes.filter((c) => c.type === "aws:efs/mountTarget:MountTarget");
      expect(mountTargets.map((c) => `${c.kind} ${c.name} ${c.region}`)).to.deep.equal([
        "added app-shared-mount-0 us-west-2",
        "added app-shared-mount-1 us-west-2",
      ]);
      expect(outsideFlipScope(changes.filter((c) => !mountTargets.includes(c)))).to.deep.equal([]);
    });
  });

  describe("dr refuses restoredData that does not fit prod's inventory", () => {
    /** The error the program raises for this restoredData, from Pulumi's own read of the wiredData output. */
    async function failure(restored: object): Promise<string> {
      const registrations = useMockEngine({
        stack: "dr",
        config: exampleConfig("service", "dr", { mode: "active", restoredData: JSON.stringify(restored) }),
        outputs: stackMockOutputsWith(prodOutputs),
      });
      try {
        const outputs = program() as DrStackOutputs;
        return await (outputs.wiredData as unknown as { promise(): Promise<unknown> }).promise().then(
          () => "no error",
          (err: Error) => err.message,
        );
      } finally {
        await settled(registrations);
      }
    }

    it("a logical name prod's inventory does not hold", async () => {
      expect(await failure({ carts: { kind: "dynamodb", id: "dr-1-carts" } })).to.contain(
        "Configuration 'dr-app:restoredData' names 'carts', which is not in the prod stack's data inventory (orders-db, users-db, orders, sessions, events, shared, assets, exports)",
      );
    });

    it("a kind other than the entry's", async () => {
      expect(await failure({ orders: { kind: "s3", id: "dr-1-orders" } })).to.contain(
        "Configuration 'dr-app:restoredData.orders.kind' value 's3' must be dynamodb, the kind of orders in the prod stack's data inventory",
      );
    });

    it("a bucket that is neither a replica nor named as the recovery names restored buckets", async () => {
      expect(await failure({ assets: { kind: "s3", id: "someone-elses-bucket" } })).to.contain(
        "Configuration 'dr-app:restoredData.assets.id' value 'someone-elses-bucket' must be a replica bucket of the prod stack",
      );
    });
  });
});
