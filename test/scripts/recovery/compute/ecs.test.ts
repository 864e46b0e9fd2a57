// The ECS compute module against the simulated ECS: live tasks while draining, launches since a moment, rollouts.
import { ECSClient } from "@aws-sdk/client-ecs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import { Compute } from "../../../../scripts/recovery/compute/compute";
import { openCompute } from "../../../../scripts/recovery/compute/open";
import { EcsServices, FakeEcsService } from "../../../../scripts/simulation/ecsModel";
import { AnyStub } from "../../../fakes/sdkFrontEnd";
import { installEcs } from "../../../fakes/sdkEcs";

const REGION = "us-west-2";
const TD = (revision: number) => `arn:aws:ecs:${REGION}:123456789012:task-definition/app-dr:${revision}`;
const SERVICE: FakeEcsService = {
  region: REGION,
  cluster: "app-cluster",
  name: "app-service",
  taskDefinition: TD(1),
  desiredCount: 2,
  minimumHealthyPercent: 50,
  maximumPercent: 200,
  deregistrationDelayMs: 30_000,
};

describe("compute: an ECS service (scripts/recovery/compute/ecs.ts)", () => {
  let now: number;
  let model: EcsServices;
  let ecs: AnyStub;
  let compute: Compute;
  const calls: string[] = [];

  function start(spec: Partial<FakeEcsService> = {}, serviceName = "app-service"): void {
    now = 0;
    model = new EcsServices([{ ...SERVICE, ...spec }], () => now);
    installEcs(ecs, model, (name) => {
      calls.push(name);
    });
    compute = openCompute(
      {
        output: { kind: "ecs", clusterName: "app-cluster", serviceName },
        role: "dr",
        region: REGION,
        privateSubnetIds: [],
      },
      new EC2Client({ region: REGION }),
    );
  }

  beforeEach(() => {
    ecs = mockClient(ECSClient) as unknown as AnyStub;
    calls.length = 0;
  });
  afterEach(() => {
    compute.dispose();
    ecs.restore();
  });

  it("is chosen by the stack's compute output and speaks of tasks", () => {
    start();
    expect([compute.kind, compute.unit, compute.launcher]).to.deep.equal(["ecs", "task", "ECS service"]);
  });

  it("counts a task as live until it is STOPPED: starting, serving and draining from the target group", async () => {
    start();
    now = 60_000;
    expect(await compute.liveUnits()).to.have.length(2);
    model.updateService(REGION, "app-cluster", "app-service", { desiredCount: 0 });
    now = 89_000; // both DEACTIVATING: deregistration delay of 30 s
    expect(await compute.liveUnits()).to.have.length(2);
    now = 100_000;
    expect(await compute.liveUnits()).to.deep.equal([]);
    expect(calls).to.include.members(["ListTasks", "DescribeTasks"]);
  });

  it("finds a task launched after a moment even once it has stopped again", async () => {
    start({ desiredCount: 0 });
    now = 10_000;
    model.updateService(REGION, "app-cluster", "app-service", { desiredCount: 1 });
    now = 60_000;
    model.updateService(REGION, "app-cluster", "app-service", { desiredCount: 0 });
    now = 120_000;
    expect(await compute.liveUnits()).to.deep.equal([]);
    const launches = await compute.launchesSince(new Date(5_000).toISOString());
    expect(launches).to.have.length(1);
    expect(launches[0]).to.match(/^[0-9a-f]{32} at 1970-01-01T00:00:10\.000Z$/);
    expect(await compute.launchesSince(new Date(10_000).toISOString())).to.deep.equal([]);
  });

  it("follows a rollout of a new task definition until every task runs it", async () => {
    start();
    now = 60_000;
    model.updateService(REGION, "app-cluster", "app-service", { taskDefinition: TD(2) });
    const rolling = await compute.rollout();
    expect(rolling.state).to.equal("rolling");
    expect(rolling).to.deep.include({ name: "app-service" });
    expect((rolling as { gap: string }).gap).to.match(
      /still running an older task definition than app-dr:2 \(app-dr:1: \d\)/,
    );
    now = 200_000;
    expect(await compute.rollout()).to.deep.include({
      state: "done",
      detail:
        "every task of app-service in service runs task definition app-dr:2 (deployment ecs-svc/0000000000000000004 COMPLETED 2/2 running)",
    });
  });

  it("reports a deployment the circuit breaker failed, and after the rollback that the service runs an old revision", async () => {
    start({ failingTaskDefinitions: [TD(2)] });
    now = 60_000;
    model.updateService(REGION, "app-cluster", "app-service", { taskDefinition: TD(2) });
    const seen: string[] = [];
    for (now = 60_000; now <= 400_000; now += 5_000) {
      const rollout = await compute.rollout();
      const text = `${rollout.state}: ${"detail" in rollout ? rollout.detail : rollout.gap}`;
      if (seen.at(-1) !== text) seen.push(text);
    }
    expect(seen.map((text) => text.split(":")[0])).to.deep.equal(["rolling", "failed", "failed"]);
    expect(seen[1]).to.match(
      /app-service: deployment ecs-svc\/\d+ of app-dr:2 FAILED \(ECS deployment circuit breaker: tasks failed to start\.\), rolled back to app-dr:1: fix the task definition/,
    );
    expect(seen[2]).to.contain("runs app-dr:1, not the latest revision app-dr:2");
    expect(seen[2]).to.contain(
      "aws ecs update-service --cluster app-cluster --service app-service --force-new-deployment",
    );
  });

  it("counts the service's RUNNING tasks against its desired count, and none for a service ECS does not know", async () => {
    start();
    now = 10_000; // PROVISIONING and PENDING: wanted, not running
    expect(await compute.units()).to.deep.equal({ name: "app-service", running: 0, desired: 2 });
    now = 60_000;
    expect(await compute.units()).to.deep.equal({ name: "app-service", running: 2, desired: 2 });
    compute.dispose();
    start({}, "other-service");
    expect(await compute.units()).to.equal(undefined);
  });

  it("says so when the service does not exist", async () => {
    start({}, "other-service");
    expect(await compute.rollout()).to.deep.equal({
      state: "missing",
      detail: `no ECS service other-service in cluster app-cluster in ${REGION}: cannot tell its tasks run the restored data`,
    });
  });
});
