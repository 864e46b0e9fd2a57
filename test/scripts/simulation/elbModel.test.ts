// The simulated target groups: ECS tasks registering, passing or failing health checks, draining; targets registered by hand.
import { expect } from "chai";
import { EcsServices, FakeEcsService } from "../../../scripts/simulation/ecsModel";
import { FakeTargetGroup, TargetGroups } from "../../../scripts/simulation/elbModel";
import { FakeApiError } from "../../../scripts/simulation/backupJobs";

const REGION = "us-west-2";
const TG = `arn:aws:elasticloadbalancing:${REGION}:123456789012:targetgroup/app-tg/0123456789abcdef`;
const SERVICE: FakeEcsService = {
  region: REGION,
  cluster: "app-cluster",
  name: "app-service",
  taskDefinition: `arn:aws:ecs:${REGION}:123456789012:task-definition/app-dr:1`,
  deregistrationDelayMs: 30_000,
};
/** The stacks' health check (stacks/environment.ts TARGET_HEALTH_CHECK): every 15 s, healthy after 2. */
const GROUP: FakeTargetGroup = {
  region: REGION,
  arn: TG,
  intervalMs: 15_000,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
  deregistrationDelayMs: 30_000,
  ecsService: { cluster: "app-cluster", name: "app-service" },
};

/** The service and its group on a hand-moved clock, and the group's targets as `state reason` now. */
function harness(service: Partial<FakeEcsService> = {}, group: Partial<FakeTargetGroup> = {}) {
  let now = 0;
  const ecs = new EcsServices([{ ...SERVICE, ...service }], () => now);
  const elb = new TargetGroups([{ ...GROUP, ...group }], ecs, () => now);
  const states = () =>
    elb.describeTargetHealth(REGION, TG).map((t) => `${t.state}${t.reason ? ` ${t.reason}` : ""}`);
  return { ecs, elb, states, at: (ms: number) => (now = ms) };
}

describe("simulation: load balancer target groups (scripts/simulation/elbModel.ts)", () => {
  it("registers a task by its IP while ACTIVATING, and calls it healthy after the healthy threshold of checks", () => {
    const { ecs, elb, states, at } = harness({ desiredCount: 1 });
    at(29_999); // PENDING: not registered yet
    expect(states()).to.deep.equal([]);
    at(30_000); // ACTIVATING: registered
    expect(states()).to.deep.equal(["initial Elb.RegistrationInProgress"]);
    at(45_000); // first check passed
    expect(states()).to.deep.equal(["initial Elb.InitialHealthChecking"]);
    at(60_000); // second
    expect(states()).to.deep.equal(["healthy"]);
    const [task] = ecs.describeTasks(
      REGION,
      "app-cluster",
      ecs.listTasks(REGION, "app-cluster", "app-service"),
    ).tasks;
    const [target] = elb.describeTargetHealth(REGION, TG);
    expect(target).to.deep.equal({ id: task.privateIp, port: 80, state: "healthy" });
    expect(task.privateIp).to.match(/^10\.0\.\d+\.\d+$/);
  });

  it("drains a stopped task's target for the deregistration delay, then lists it no more (unused when asked for)", () => {
    const { ecs, elb, states, at } = harness({ desiredCount: 1 });
    at(100_000);
    const [ip] = elb.describeTargetHealth(REGION, TG).map((t) => t.id);
    ecs.updateService(REGION, "app-cluster", "app-service", { desiredCount: 0 });
    expect(states()).to.deep.equal(["draining Target.DeregistrationInProgress"]);
    at(129_999);
    expect(states()).to.deep.equal(["draining Target.DeregistrationInProgress"]);
    at(130_000);
    expect(states()).to.deep.equal([]);
    expect(elb.describeTargetHealth(REGION, TG, [{ id: ip }])).to.deep.equal([
      {
        id: ip,
        port: 80,
        state: "unused",
        reason: "Target.NotRegistered",
        description: "Target is not registered to the target group",
      },
    ]);
  });

  it("keeps a target draining after ECS stopped its task when the group's delay outlasts the task's way down", () => {
    const { ecs, states, at } = harness({ desiredCount: 1 }, { deregistrationDelayMs: 300_000 });
    at(100_000);
    ecs.updateService(REGION, "app-cluster", "app-service", { desiredCount: 0 });
    at(200_000);
    const arns = ecs.listTasks(REGION, "app-cluster", "app-service", "STOPPED");
    expect(ecs.describeTasks(REGION, "app-cluster", arns).tasks.map((t) => t.lastStatus)).to.deep.equal([
      "STOPPED",
    ]);
    expect(states()).to.deep.equal(["draining Target.DeregistrationInProgress"]);
    at(400_000);
    expect(states()).to.deep.equal([]);
  });

  it("calls targets unhealthy after the unhealthy threshold of failed checks, and healthy again after the healthy one", () => {
    const { elb, states, at } = harness({ desiredCount: 2 });
    at(60_000);
    expect(states()).to.deep.equal(["healthy", "healthy"]);
    elb.answerHealthChecks(REGION, TG, false, 61_000);
    at(75_000); // one failed check
    expect(states()).to.deep.equal(["healthy", "healthy"]);
    at(90_000); // two
    expect(states()).to.deep.equal([
      "unhealthy Target.ResponseCodeMismatch",
      "unhealthy Target.ResponseCodeMismatch",
    ]);
    expect(elb.describeTargetHealth(REGION, TG)[0].description).to.equal(
      "Health checks failed with these codes: [503]",
    );
    elb.answerHealthChecks(REGION, TG, true, 91_000);
    at(105_000);
    expect(states()).to.deep.equal([
      "unhealthy Target.ResponseCodeMismatch",
      "unhealthy Target.ResponseCodeMismatch",
    ]);
    at(120_000);
    expect(states()).to.deep.equal(["healthy", "healthy"]);
  });

  it("calls a new target unhealthy when its first checks fail: it never was healthy", () => {
    const { elb, states, at } = harness({ desiredCount: 1 });
    elb.answerHealthChecks(REGION, TG, false, 0);
    at(45_000);
    expect(states()).to.deep.equal(["initial Elb.InitialHealthChecking"]);
    at(60_000);
    expect(states()).to.deep.equal(["unhealthy Target.ResponseCodeMismatch"]);
  });

  it("serves targets registered by hand beside the service's, and drains them when deregistered", () => {
    const { elb, at } = harness({ desiredCount: 0 });
    elb.register(REGION, TG, ["10.9.9.9"], 0);
    at(30_000);
    expect(elb.describeTargetHealth(REGION, TG).map((t) => `${t.id} ${t.state}`)).to.deep.equal([
      "10.9.9.9 healthy",
    ]);
    elb.deregister(REGION, TG, ["10.9.9.9"], 30_000);
    at(59_999);
    expect(elb.describeTargetHealth(REGION, TG).map((t) => `${t.id} ${t.state}`)).to.deep.equal([
      "10.9.9.9 draining",
    ]);
    at(60_000);
    expect(elb.describeTargetHealth(REGION, TG)).to.deep.equal([]);
  });

  it("refuses an unknown target group with TargetGroupNotFound", () => {
    const { elb } = harness();
    let error: unknown;
    try {
      elb.describeTargetHealth(REGION, `${TG}0`);
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(FakeApiError);
    expect(error).to.deep.include({ status: 400, type: "TargetGroupNotFound" });
    expect(() => elb.describeTargetHealth("eu-west-1", TG)).to.throw("One or more target groups not found");
  });
});
