// dr recover with the application on ECS: the flip scales the dr stack's service up on a revision pointed at the restored data.
import { ECSClient } from "@aws-sdk/client-ecs";
import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import { EcsServices } from "../../../../scripts/simulation/ecsModel";
import { DR_OUTPUTS } from "../../../../scripts/simulation/fixtures";
import { simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { Harness } from "../../../fakes/harness";
import { restoredDataOf } from "../../../fakes/fakeStack";
import { AnyStub } from "../../../fakes/sdkFrontEnd";
import { drServiceFollowing, installEcs } from "../../../fakes/sdkEcs";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;
const CLUSTER = "app-cluster-dr";

describe("dr recover on ECS (compute ecs, in process)", () => {
  let h: Harness;
  let ecs: AnyStub;
  afterEach(() => {
    ecs?.restore();
    h?.dispose();
  });

  it("runs no task in standby; the flip takes the service to the active count on the restored data's revision", async () => {
    h = new Harness({
      points: [
        simPoint("DynamoDB", "Orders", NOW, 40 * MIN, { restoreMs: 18 * MIN }),
        simPoint("S3", "app-data", NOW, 55 * MIN, { restoreMs: 30 * MIN }),
      ],
      stack: {
        outputs: { compute: { kind: "ecs", clusterName: CLUSTER, serviceName: "app-service" } },
        upMs: [2 * MIN, 1 * MIN],
      },
    });
    ecs = mockClient(ECSClient) as unknown as AnyStub;
    const model = new EcsServices(
      [drServiceFollowing(DR_OUTPUTS.region, CLUSTER, () => h.stack.config)],
      () => h.clock.now(),
    );
    installEcs(ecs, model);
    const service = () => model.describeServices(DR_OUTPUTS.region, CLUSTER, ["app-service"]).services[0];
    expect(service()).to.deep.include({ desiredCount: 0, runningCount: 0 });

    const code = await h.run(["recover", "--yes"]);
    expect(code, h.stderr.text).to.equal(0);
    expect(h.stack.config["dr-app:mode"]).to.equal("active");
    expect(
      Object.values(restoredDataOf(h.stack.config)).find((entry) => entry.kind === "dynamodb")?.id,
    ).to.equal("dr-20260412t090000a7-Orders");
    // The model follows the config when it is next observed: the scheduler starts the tasks then.
    expect(service()).to.deep.include({ desiredCount: 3, runningCount: 0, pendingCount: 3 });
    h.clock.advance(5 * MIN);
    expect(service()).to.deep.include({ desiredCount: 3, runningCount: 3, pendingCount: 0 });
    expect(service().taskDefinition).to.match(/task-definition\/app-dr:2$/);
    expect(service().deployments.map((d) => `${d.status} ${d.rolloutState}`)).to.deep.equal([
      "PRIMARY COMPLETED",
    ]);
  });
});
