// The simulated Elastic Load Balancing over HTTP: the real ELBv2 client reading an ECS service's targets from the fake.
import { DescribeTasksCommand, ECSClient, ListTasksCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { expect } from "chai";
import { FakeAws, startFakeAws } from "../../../scripts/simulation/fakeAwsServer";
import { simulationClient } from "../../fakes/simulationClient";

const DR = "us-west-2";
const TG = `arn:aws:elasticloadbalancing:${DR}:123456789012:targetgroup/app-tg/0123456789abcdef`;

describe("simulation: Elastic Load Balancing over HTTP (scripts/simulation/elbService.ts)", function () {
  this.timeout(30_000);
  let time = Date.parse("2026-04-12T09:00:00Z");
  let fake: FakeAws;
  let ecs: ECSClient;
  let elb: ElasticLoadBalancingV2Client;

  before(async () => {
    fake = await startFakeAws({
      points: [],
      clock: { now: () => time },
      ecsServices: [
        {
          region: DR,
          cluster: "app-cluster",
          name: "app-service",
          taskDefinition: `arn:aws:ecs:${DR}:123456789012:task-definition/app-dr:1`,
          desiredCount: 1,
          deregistrationDelayMs: 30_000,
        },
      ],
      targetGroups: [
        {
          region: DR,
          arn: TG,
          port: 8080,
          intervalMs: 15_000,
          healthyThreshold: 2,
          deregistrationDelayMs: 30_000,
          ecsService: { cluster: "app-cluster", name: "app-service" },
        },
      ],
    });
    const client = simulationClient(fake.url, DR);
    ecs = new ECSClient(client);
    elb = new ElasticLoadBalancingV2Client(client);
  });
  after(async () => {
    ecs.destroy();
    elb.destroy();
    await fake.close();
  });

  it("answers DescribeTargetHealth for the service's task by the IP DescribeTasks gives, healthy then draining", async () => {
    time += 60_000;
    const arns = (
      await ecs.send(new ListTasksCommand({ cluster: "app-cluster", serviceName: "app-service" }))
    ).taskArns;
    const [task] =
      (await ecs.send(new DescribeTasksCommand({ cluster: "app-cluster", tasks: arns }))).tasks ?? [];
    const ip = task.attachments
      ?.find((a) => a.type === "ElasticNetworkInterface")
      ?.details?.find((d) => d.name === "privateIPv4Address")?.value;
    expect(ip).to.match(/^10\.0\.\d+\.\d+$/);
    const healthy = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
    expect(healthy.TargetHealthDescriptions).to.deep.equal([
      { Target: { Id: ip, Port: 8080 }, HealthCheckPort: "8080", TargetHealth: { State: "healthy" } },
    ]);
    await ecs.send(
      new UpdateServiceCommand({ cluster: "app-cluster", service: "app-service", desiredCount: 0 }),
    );
    time += 10_000;
    const draining = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
    expect(draining.TargetHealthDescriptions?.[0].TargetHealth).to.deep.equal({
      State: "draining",
      Reason: "Target.DeregistrationInProgress",
      Description: "Target deregistration is in progress",
    });
    time += 30_000;
    const drained = await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG }));
    expect(drained.TargetHealthDescriptions).to.deep.equal([]);
    const asked = await elb.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: TG, Targets: [{ Id: ip, Port: 8080 }] }),
    );
    expect(asked.TargetHealthDescriptions?.[0].TargetHealth).to.deep.include({
      State: "unused",
      Reason: "Target.NotRegistered",
    });
  });

  it("answers an unknown target group with TargetGroupNotFound", async () => {
    let error: { name?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;
    try {
      await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: `${TG}0` }));
    } catch (err) {
      error = err as typeof error;
    }
    expect(error?.name).to.equal("TargetGroupNotFoundException");
    expect(error?.$metadata?.httpStatusCode).to.equal(400);
  });
});
