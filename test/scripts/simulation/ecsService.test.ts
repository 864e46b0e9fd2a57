// The simulated ECS over HTTP: the real ECS client against the fake, a service scaled down and drained.
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTasksCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { expect } from "chai";
import { FakeAws, startFakeAws } from "../../../scripts/simulation/fakeAwsServer";
import { simulationClient } from "../../fakes/simulationClient";

const DR = "us-west-2";
const TD = `arn:aws:ecs:${DR}:123456789012:task-definition/app-dr:1`;

describe("simulation: ECS over HTTP (scripts/simulation/ecsService.ts)", function () {
  this.timeout(30_000);
  let time = Date.parse("2026-04-12T09:00:00Z");
  let fake: FakeAws;
  let ecs: ECSClient;

  before(async () => {
    fake = await startFakeAws({
      points: [],
      clock: { now: () => time },
      ecsServices: [
        {
          region: DR,
          cluster: "app-cluster",
          name: "app-service",
          taskDefinition: TD,
          desiredCount: 2,
          deregistrationDelayMs: 30_000,
        },
      ],
    });
    ecs = new ECSClient(simulationClient(fake.url, DR));
  });
  after(async () => {
    ecs.destroy();
    await fake.close();
  });

  it("describes the service and its deployment, scales it to 0 and lists the tasks it drains, then none", async () => {
    time += 60_000;
    const described = await ecs.send(
      new DescribeServicesCommand({ cluster: "app-cluster", services: ["app-service"] }),
    );
    expect(described.services?.[0]).to.deep.include({
      serviceName: "app-service",
      desiredCount: 2,
      runningCount: 2,
    });
    expect(described.services?.[0].deployments?.[0]).to.deep.include({
      status: "PRIMARY",
      rolloutState: "COMPLETED",
    });
    expect(described.services?.[0].events?.[0].createdAt).to.be.instanceOf(Date);

    await ecs.send(
      new UpdateServiceCommand({ cluster: "app-cluster", service: "app-service", desiredCount: 0 }),
    );
    const stopping = await ecs.send(
      new ListTasksCommand({ cluster: "app-cluster", serviceName: "app-service", desiredStatus: "STOPPED" }),
    );
    expect(stopping.taskArns).to.have.length(2);
    expect(
      (await ecs.send(new ListTasksCommand({ cluster: "app-cluster", serviceName: "app-service" }))).taskArns,
    ).to.deep.equal([]);
    expect(
      (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: "app-dr" }))).taskDefinition
        ?.taskDefinitionArn,
    ).to.equal(TD);
  });

  it("answers an unknown service as ECS does: a failure with reason MISSING, and ServiceNotFoundException on update", async () => {
    const described = await ecs.send(
      new DescribeServicesCommand({ cluster: "app-cluster", services: ["nope"] }),
    );
    expect(described.failures?.[0].reason).to.equal("MISSING");
    let error: Error | undefined;
    try {
      await ecs.send(new UpdateServiceCommand({ cluster: "app-cluster", service: "nope", desiredCount: 1 }));
    } catch (err) {
      error = err as Error;
    }
    expect(error?.name).to.equal("ServiceNotFoundException");
    expect(error?.message).to.contain("Service not found: nope");
  });
});
