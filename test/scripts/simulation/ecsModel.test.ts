// The simulated ECS service: task lifecycle, rolling updates within the deployment bounds, draining, the circuit breaker.
import { expect } from "chai";
import { EcsServices, FakeEcsService } from "../../../scripts/simulation/ecsModel";

const REGION = "us-west-2";
const TD = (revision: number) => `arn:aws:ecs:${REGION}:123456789012:task-definition/app-dr:${revision}`;
const SERVICE: FakeEcsService = {
  region: REGION,
  cluster: "app-cluster",
  name: "app-service",
  taskDefinition: TD(1),
  minimumHealthyPercent: 50,
  maximumPercent: 200,
  deregistrationDelayMs: 30_000,
};

/** A model on a hand-moved clock, and the last statuses of the service's tasks at that moment. */
function harness(spec: Partial<FakeEcsService> = {}) {
  let now = 0;
  const model = new EcsServices([{ ...SERVICE, ...spec }], () => now);
  const statuses = () => {
    const arns = [
      ...model.listTasks(REGION, "app-cluster", "app-service", "RUNNING"),
      ...model.listTasks(REGION, "app-cluster", "app-service", "STOPPED"),
    ];
    return model
      .describeTasks(REGION, "app-cluster", arns)
      .tasks.map((t) => `${t.taskDefinitionArn.split(":").at(-1)} ${t.lastStatus}`);
  };
  return { model, statuses, at: (ms: number) => (now = ms) };
}

describe("simulation: ECS services (scripts/simulation/ecsModel.ts)", () => {
  it("takes a task PROVISIONING -> PENDING -> ACTIVATING -> RUNNING as the desired count rises", () => {
    const { model, statuses, at } = harness();
    model.updateService(REGION, "app-cluster", "app-service", { desiredCount: 1 });
    expect(statuses()).to.deep.equal(["1 PROVISIONING"]);
    at(10_000);
    expect(statuses()).to.deep.equal(["1 PENDING"]);
    at(30_000);
    expect(statuses()).to.deep.equal(["1 ACTIVATING"]);
    at(35_000);
    expect(statuses()).to.deep.equal(["1 RUNNING"]);
    const [service] = model.describeServices(REGION, "app-cluster", ["app-service"]).services;
    expect(service).to.deep.include({ desiredCount: 1, runningCount: 1, pendingCount: 0 });
    expect(service.deployments.map((d) => `${d.status} ${d.rolloutState}`)).to.deep.equal([
      "PRIMARY COMPLETED",
    ]);
    expect(service.events[1].message).to.match(
      /^\(service app-service\) has started 1 tasks: \(task [0-9a-f]{32}\)\.$/,
    );
  });

  it("drains a stopped task from the target group for the deregistration delay before it stops", () => {
    const { model, statuses, at } = harness({ desiredCount: 1 });
    at(60_000);
    model.updateService(REGION, "app-cluster", "app-service", { desiredCount: 0 });
    expect(statuses()).to.deep.equal(["1 DEACTIVATING"]);
    at(89_999);
    expect(statuses()).to.deep.equal(["1 DEACTIVATING"]);
    at(90_000);
    expect(statuses()).to.deep.equal(["1 STOPPING"]);
    at(100_000);
    expect(statuses()).to.deep.equal(["1 STOPPED"]);
    expect(model.listTasks(REGION, "app-cluster", "app-service")).to.deep.equal([]);
    at(100_000 + 60 * 60_000);
    expect(statuses()).to.deep.equal([]);
  });

  it("replaces tasks on a new task definition within minimumHealthyPercent 50 and maximumPercent 200", () => {
    const { model, statuses, at } = harness({ desiredCount: 2 });
    at(60_000);
    model.updateService(REGION, "app-cluster", "app-service", { taskDefinition: TD(2) });
    // Up to 200%: two new tasks start; at 50% one old task may stop while the new ones are not running.
    expect(statuses().sort()).to.deep.equal([
      "1 DEACTIVATING",
      "1 RUNNING",
      "2 PROVISIONING",
      "2 PROVISIONING",
    ]);
    let [service] = model.describeServices(REGION, "app-cluster", ["app-service"]).services;
    expect(
      service.deployments.map((d) => `${d.status} ${d.taskDefinition.split(":").at(-1)} ${d.rolloutState}`),
    ).to.deep.equal(["PRIMARY 2 IN_PROGRESS", "ACTIVE 1 COMPLETED"]);
    at(95_000);
    expect(statuses().sort()).to.deep.equal(["1 DEACTIVATING", "1 DEPROVISIONING", "2 RUNNING", "2 RUNNING"]);
    [service] = model.describeServices(REGION, "app-cluster", ["app-service"]).services;
    expect(service.deployments.map((d) => `${d.status} ${d.rolloutState}`)).to.deep.equal([
      "PRIMARY COMPLETED",
    ]);
  });

  it("fails a deployment whose tasks never run after 3 failed tasks and rolls back to the previous task definition", () => {
    const { model, at } = harness({ desiredCount: 1, failingTaskDefinitions: [TD(2)] });
    at(60_000);
    model.updateService(REGION, "app-cluster", "app-service", { taskDefinition: TD(2) });
    at(300_000);
    const [service] = model.describeServices(REGION, "app-cluster", ["app-service"]).services;
    expect(
      service.deployments.map((d) => `${d.status} ${d.taskDefinition.split(":").at(-1)} ${d.rolloutState}`),
    ).to.deep.equal(["PRIMARY 1 COMPLETED"]);
    expect(
      service.events
        .map((e) => e.message)
        .some((m) => m.includes("deployment failed") && m.includes("Rolling back")),
    ).to.equal(true);
    expect(model.describeTaskDefinition(REGION, "app-dr").taskDefinitionArn).to.equal(TD(2));
  });

  it("refuses an unknown service and a negative desired count with ECS's errors", () => {
    const { model } = harness();
    expect(() => model.updateService(REGION, "app-cluster", "nope", { desiredCount: 1 })).to.throw(
      /Service not found: nope/,
    );
    expect(() => model.updateService(REGION, "app-cluster", "app-service", { desiredCount: -1 })).to.throw(
      /desiredCount/,
    );
    expect(model.describeServices(REGION, "app-cluster", ["nope"]).failures).to.deep.equal([
      { arn: `arn:aws:ecs:${REGION}:123456789012:service/app-cluster/nope`, reason: "MISSING" },
    ]);
  });

  it("serves requests from RUNNING tasks only, each with its revision, and reads a `follow` again while the clock stands still", () => {
    let wanted = { desiredCount: 1, taskDefinition: TD(1) };
    const { model, at } = harness({ follow: () => wanted });
    at(40_000);
    expect(model.servingTasks(REGION, "app-cluster", "app-service").map((t) => t.revision)).to.deep.equal([
      1,
    ]);
    // A stack's update at the same moment: a new revision, whose task is not serving yet.
    wanted = { desiredCount: 1, taskDefinition: TD(2) };
    model.observe();
    const [service] = model.describeServices(REGION, "app-cluster", ["app-service"]).services;
    expect(service.deployments.find((d) => d.status === "PRIMARY")?.taskDefinition).to.equal(TD(2));
    expect(model.servingTasks(REGION, "app-cluster", "app-service").map((t) => t.revision)).to.deep.equal([
      1,
    ]);
    at(80_000);
    model.observe();
    expect(model.servingTasks(REGION, "app-cluster", "app-service").map((t) => t.revision)).to.deep.equal([
      2,
    ]);
    expect(model.servingTasks(REGION, "app-cluster", "no-such-service")).to.deep.equal([]);
  });
});
