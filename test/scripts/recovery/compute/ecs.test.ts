// The ECS compute module against the simulated ECS and load balancer: live tasks and targets while draining, launches, rollouts.
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from "@aws-sdk/client-ecs";
import {
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { EC2Client } from "@aws-sdk/client-ec2";
import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import { Compute } from "../../../../scripts/recovery/compute/compute";
import { openCompute } from "../../../../scripts/recovery/compute/open";
import { EcsServices, FakeEcsService } from "../../../../scripts/simulation/ecsModel";
import { FakeTargetGroup, TargetGroups } from "../../../../scripts/simulation/elbModel";
import { AnyStub } from "../../../fakes/sdkFrontEnd";
import { installEcs } from "../../../fakes/sdkEcs";
import { installElb } from "../../../fakes/sdkElb";

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
const TG = `arn:aws:elasticloadbalancing:${REGION}:123456789012:targetgroup/app-tg/0123456789abcdef`;
/** The service's target group with the stacks' health check (every 15 s, healthy after 2 checks). */
const GROUP: FakeTargetGroup = {
  region: REGION,
  arn: TG,
  intervalMs: 15_000,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
  deregistrationDelayMs: 30_000,
  ecsService: { cluster: "app-cluster", name: "app-service" },
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

describe("compute: an ECS service behind its target group (scripts/recovery/compute/ecs.ts, targetHealth.ts)", () => {
  let now: number;
  let ecsModel: EcsServices;
  let groups: TargetGroups;
  let ecs: AnyStub;
  let elb: AnyStub;
  let compute: Compute;
  let ecsOnly: Compute;
  const calls: string[] = [];
  let failElb = false;

  function start(spec: Partial<FakeEcsService> = {}, group: Partial<FakeTargetGroup> = {}): void {
    now = 0;
    ecsModel = new EcsServices([{ ...SERVICE, ...spec }], () => now);
    groups = new TargetGroups([{ ...GROUP, ...group }], ecsModel, () => now);
    installEcs(ecs, ecsModel);
    installElb(elb, groups, (name) => {
      calls.push(name);
      if (failElb) throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    });
    const target = { role: "dr" as const, region: REGION, privateSubnetIds: [] };
    const output = { kind: "ecs" as const, clusterName: "app-cluster", serviceName: "app-service" };
    compute = openCompute(
      { ...target, output: { ...output, targetGroupArn: TG } },
      new EC2Client({ region: REGION }),
    );
    // The same stack deployed before it output its target group: ECS alone.
    ecsOnly = openCompute({ ...target, output }, new EC2Client({ region: REGION }));
  }

  /** The IP each task registers by, in the order DescribeTargetHealth lists them. */
  const targetIps = () => groups.describeTargetHealth(REGION, TG).map((t) => t.id);

  beforeEach(() => {
    ecs = mockClient(ECSClient) as unknown as AnyStub;
    elb = mockClient(ElasticLoadBalancingV2Client) as unknown as AnyStub;
    calls.length = 0;
    failElb = false;
  });
  afterEach(() => {
    compute.dispose();
    ecsOnly.dispose();
    ecs.restore();
    elb.restore();
  });

  it("keeps the freeze waiting on a draining target after ECS lists its task STOPPED", async () => {
    start({ deregistrationDelayMs: 30_000 }, { deregistrationDelayMs: 300_000 });
    now = 100_000;
    const ips = targetIps();
    expect(ips).to.have.length(2);
    ecsModel.updateService(REGION, "app-cluster", "app-service", { desiredCount: 0 });
    now = 200_000; // ECS: both STOPPED at 140 s; the group drains them until 400 s
    expect(await ecsOnly.liveUnits()).to.deep.equal([]);
    const live = await compute.liveUnits();
    expect(live).to.have.length(2);
    for (const [index, unit] of live.entries()) {
      expect(unit).to.match(
        new RegExp(
          `^[0-9a-f]{32} STOPPED, target ${ips[index].replace(/\./g, "\\.")}:80 draining \\(Target\\.DeregistrationInProgress\\)$`,
        ),
      );
    }
    expect(compute.calls.live).to.equal("ECS ListTasks/DescribeTasks and ELB DescribeTargetHealth");
    expect(calls).to.include("DescribeTargetHealth");
    now = 400_000;
    expect(await compute.liveUnits()).to.deep.equal([]);
  });

  it("counts a running task with its target's state, and a target the service does not know", async () => {
    start({ desiredCount: 1 });
    groups.register(REGION, TG, ["10.9.9.9"], 30_000);
    now = 45_000;
    const live = await compute.liveUnits();
    expect(live).to.have.length(2);
    expect(live[0]).to.match(/^[0-9a-f]{32} \(target initial\)$/);
    expect(live[1]).to.equal("target 10.9.9.9:80 initial (Elb.InitialHealthChecking)");
  });

  it("counts targets that fail every health check as serving: the group fails open and routes to them all", async () => {
    start({ desiredCount: 0 });
    groups.register(REGION, TG, ["10.9.9.9"], 0);
    groups.answerHealthChecks(REGION, TG, false, 0);
    now = 60_000;
    expect(await ecsOnly.liveUnits()).to.deep.equal([]);
    expect(await compute.liveUnits()).to.deep.equal([
      "target 10.9.9.9:80 unhealthy (Target.ResponseCodeMismatch)",
    ]);
  });

  it("counts a target in a state it does not know as serving, and only `unused` as taking nothing", async () => {
    start({ desiredCount: 0 });
    elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [
        {
          Target: { Id: "10.9.9.8", Port: 80 },
          TargetHealth: { State: "unused", Reason: "Target.NotInUse" },
        },
        { Target: { Id: "10.9.9.9", Port: 80 }, TargetHealth: { State: "unhealthy.draining" } },
      ],
    });
    expect(await compute.liveUnits()).to.deep.equal(["target 10.9.9.9:80 unhealthy.draining"]);
  });

  it("stops the check when DescribeTargetHealth fails: nothing goes on unconfirmed", async () => {
    start({ desiredCount: 0 });
    failElb = true;
    let error: Error | undefined;
    try {
      await compute.liveUnits();
    } catch (err) {
      error = err as Error;
    }
    expect(error?.name).to.equal("ThrottlingException");
    // A target group the stack names but ELB does not know (deleted by hand) stops it too.
    const stale = openCompute(
      {
        role: "dr",
        region: REGION,
        privateSubnetIds: [],
        output: {
          kind: "ecs",
          clusterName: "app-cluster",
          serviceName: "app-service",
          targetGroupArn: `${TG}0`,
        },
      },
      new EC2Client({ region: REGION }),
    );
    failElb = false;
    const refused = await stale.liveUnits().then(
      () => undefined,
      (err: Error) => err,
    );
    stale.dispose();
    expect(refused?.name).to.equal("TargetGroupNotFoundException");
  });

  it("ends the rollout wait only once the new revision's tasks are healthy in the target group", async () => {
    start();
    now = 60_000;
    ecsModel.updateService(REGION, "app-cluster", "app-service", { taskDefinition: TD(2) });
    now = 100_000; // ECS: the new tasks RUNNING since 95 s, the deployment COMPLETED; targets registered at 90 s
    expect(await ecsOnly.rollout()).to.deep.include({ state: "done" });
    const waiting = await compute.rollout();
    expect(waiting).to.deep.include({ state: "rolling", name: "app-service" });
    expect((waiting as { gap: string }).gap).to.match(
      /^2 of 2 task\(s\) on app-dr:2 not healthy in the target group yet \([0-9a-f]{32}: 10\.0\.\d+\.\d+:80 initial \(Elb\.RegistrationInProgress\), [0-9a-f]{32}: 10\.0\.\d+\.\d+:80 initial \(Elb\.RegistrationInProgress\)\)$/,
    );
    now = 120_000; // two passed checks since the registration at 90 s
    expect(await compute.rollout()).to.deep.include({
      state: "done",
      detail:
        "every task of app-service in service runs task definition app-dr:2, each healthy in the target group (deployment ecs-svc/0000000000000000004 COMPLETED 2/2 running)",
    });
  });

  it("does not call a rollout done while every target is unhealthy (fail-open), nor while a stranger target is healthy", async () => {
    start();
    groups.answerHealthChecks(REGION, TG, false, 0);
    now = 200_000;
    const failing = await compute.rollout();
    expect(failing.state).to.equal("rolling");
    expect((failing as { gap: string }).gap).to.match(
      /^2 of 2 task\(s\) on app-dr:1 not healthy in the target group yet \(.*unhealthy \(Target\.ResponseCodeMismatch\).*\); no target healthy: the load balancer fails open and routes to every unhealthy one$/,
    );
    groups.answerHealthChecks(REGION, TG, true, 200_000);
    groups.register(REGION, TG, ["10.9.9.9"], 200_000);
    now = 300_000;
    const stranger = await compute.rollout();
    expect((stranger as { gap: string }).gap).to.equal(
      "1 healthy target(s) that are no task on app-dr:1 (10.9.9.9:80 healthy)",
    );
    groups.deregister(REGION, TG, ["10.9.9.9"], 300_000);
    now = 301_000; // draining: no new request goes to it
    expect(await compute.rollout()).to.deep.include({ state: "done" });
  });
});

describe("compute: an ECS task's address reused by a newer task (scripts/recovery/compute/ecs.ts)", () => {
  it("gives a target to the live task that has its address now, not to the stopped one that had it", async () => {
    const ecs = mockClient(ECSClient);
    const elb = mockClient(ElasticLoadBalancingV2Client);
    const arn = (id: string) => `arn:aws:ecs:${REGION}:123456789012:task/app-cluster/${id}`;
    const eni = [
      { type: "ElasticNetworkInterface", details: [{ name: "privateIPv4Address", value: "10.0.0.7" }] },
    ];
    ecs
      .on(ListTasksCommand, { desiredStatus: "RUNNING" })
      .resolves({ taskArns: [arn("new")] })
      .on(ListTasksCommand, { desiredStatus: "STOPPED" })
      .resolves({ taskArns: [arn("old")] });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        { taskArn: arn("new"), lastStatus: "RUNNING", attachments: eni },
        { taskArn: arn("old"), lastStatus: "STOPPED", attachments: eni },
      ],
    });
    elb.on(DescribeTargetHealthCommand).resolves({
      TargetHealthDescriptions: [
        { Target: { Id: "10.0.0.7", Port: 80 }, TargetHealth: { State: "healthy" } },
      ],
    });
    const compute = openCompute(
      {
        role: "primary",
        region: REGION,
        privateSubnetIds: [],
        output: {
          kind: "ecs",
          clusterName: "app-cluster",
          serviceName: "app-service",
          targetGroupArn: "arn:tg",
        },
      },
      new EC2Client({ region: REGION }),
    );
    try {
      expect(await compute.liveUnits()).to.deep.equal(["new (target healthy)"]);
    } finally {
      compute.dispose();
      ecs.restore();
      elb.restore();
    }
  });
});
