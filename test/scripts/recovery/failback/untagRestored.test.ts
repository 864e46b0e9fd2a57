// The failback takes the selection tags off the restored resources it moved away from: the simulation's untagging calls, standby's use of them, and a previous failback's fb- resources.
import { RemoveTagsFromResourceCommand } from "@aws-sdk/client-rds";
import { UntagResourceCommand } from "@aws-sdk/client-dynamodb";
import { DeleteTagsCommand } from "@aws-sdk/client-ec2";
import { expect } from "chai";
import { AwsClients, createAwsClients, destroyAwsClients } from "../../../../scripts/aws/clients";
import { removeSelectionTagsAll } from "../../../../scripts/recovery/failback/untagRestored";
import { applyEnvironment, rehearsalEnvironment } from "../../../../scripts/rehearsal/isolation";
import { FakeAws, startFakeAws } from "../../../../scripts/simulation/fakeAwsServer";
import { ACCOUNT } from "../../../../scripts/simulation/fixtures";
import { FailbackAws } from "../../../fakes/failbackAws";
import { RESTORED, failbackHarness, failbackAwsOf } from "../../../fakes/failbackFixture";
import { Harness } from "../../../fakes/harness";

const DR = "us-west-2";
const SELECTION = { backup: "true" };

describe("dr failback: selection tags off the restored resources it moved away from", function () {
  this.timeout(30_000);

  describe("on the simulation (RemoveTagsFromResource, UntagResource, DeleteTags)", () => {
    let fake: FakeAws;
    let clients: AwsClients;
    let restoreEnv: () => void;
    const arn = (type: string, id: string) =>
      type === "RDS"
        ? `arn:aws:rds:${DR}:${ACCOUNT}:db:${id}`
        : type === "DynamoDB"
          ? `arn:aws:dynamodb:${DR}:${ACCOUNT}:table/${id}`
          : `arn:aws:ec2:${DR}:${ACCOUNT}:volume/${id}`;

    before(async () => {
      const tags = { backup: "true", app: "dr-app" };
      fake = await startFakeAws({
        points: [],
        downRegion: "none",
        resources: [
          { type: "RDS", id: RESTORED.db, region: DR, tags },
          { type: "DynamoDB", id: RESTORED.table, region: DR, tags },
          { type: "EBS", id: RESTORED.volume, region: DR, tags },
          { type: "EBS", id: "vol-0otherteam", region: DR, tags: { backup: "weekly" } },
        ],
      });
      restoreEnv = applyEnvironment(rehearsalEnvironment(fake.url, DR, "/nonexistent"));
      clients = createAwsClients({ region: DR, maxAttempts: 1 });
    });
    after(async () => {
      destroyAwsClients(clients);
      restoreEnv();
      await fake.close();
    });

    it("removes the selection tag from a DB instance, a table and a volume, leaving their other tags", async () => {
      const result = await removeSelectionTagsAll(
        clients,
        [
          { resourceType: "RDS", arn: arn("RDS", RESTORED.db) },
          { resourceType: "DynamoDB", arn: arn("DynamoDB", RESTORED.table) },
          { resourceType: "EBS", arn: arn("EBS", RESTORED.volume) },
          { resourceType: "EBS", arn: arn("EBS", "vol-0otherteam") },
        ],
        SELECTION,
      );
      expect(result.failed).to.deep.equal([]);
      expect(result.done).to.have.length(4);
      for (const [type, id] of [
        ["RDS", RESTORED.db],
        ["DynamoDB", RESTORED.table],
        ["EBS", RESTORED.volume],
      ]) {
        expect(fake.resource(arn(type, id))?.tags, `${type} ${id}`).to.deep.equal({ app: "dr-app" });
      }
      // DeleteTags with a value removes the tag only while it has that value.
      expect(fake.resource(arn("EBS", "vol-0otherteam"))?.tags).to.deep.equal({ backup: "weekly" });
    });

    it("reports a resource AWS does not know, and goes on with the others", async () => {
      const result = await removeSelectionTagsAll(
        clients,
        [
          { resourceType: "EBS", arn: arn("EBS", "vol-0gone") },
          { resourceType: "DynamoDB", arn: arn("DynamoDB", RESTORED.table) },
        ],
        SELECTION,
      );
      expect(result.done).to.have.length(1);
      expect(result.failed).to.have.length(1);
      expect(result.failed[0]).to.match(
        /^EBS arn:aws:ec2:us-west-2:111122223333:volume\/vol-0gone: .*InvalidVolume\.NotFound/,
      );
    });
  });

  describe("in dr failback's standby phase (after traffic is back)", () => {
    let h: Harness;
    let aws: FailbackAws;
    afterEach(() => {
      aws?.dispose();
      h?.dispose();
    });

    it("removes the dr stack's selection tags from the DR-region restored DB, table and volume, after the standby update", async () => {
      const made = failbackHarness({ prodConfig: { "dr-app:domainName": "api.example.com" } });
      h = made.h;
      aws = failbackAwsOf(made, {
        drObjects: { "orders/1.json": 30 },
        sourceObjects: {},
        prodConfig: () => made.prod().config,
      });
      expect(await h.run(["failback", "--yes", "--poll-max", "30"]), h.stderr.text).to.equal(0);
      const rds = h.rds.commandCalls(RemoveTagsFromResourceCommand).map((c) => c.args[0].input);
      expect(rds).to.deep.equal([
        { ResourceName: `arn:aws:rds:${DR}:${ACCOUNT}:db:${RESTORED.db}`, TagKeys: ["backup"] },
      ]);
      const tables = h.dynamodb.commandCalls(UntagResourceCommand).map((c) => c.args[0].input);
      expect(tables).to.deep.equal([
        { ResourceArn: `arn:aws:dynamodb:${DR}:${ACCOUNT}:table/${RESTORED.table}`, TagKeys: ["backup"] },
      ]);
      const volumes = h.ec2.commandCalls(DeleteTagsCommand).map((c) => c.args[0].input);
      expect(volumes).to.deep.equal([
        { Resources: [RESTORED.volume], Tags: [{ Key: "backup", Value: "true" }] },
      ]);
      const standbyUp = made
        .dr()
        .calls.filter((c) => c.op === "up")
        .pop();
      expect(standbyUp, "the standby update").to.not.equal(undefined);
    });
  });
});
