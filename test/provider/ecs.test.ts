// The provider's rules for the ECS cluster, service and task definition, each fed a bad value.
import { expect } from "chai";
import { checkResource } from "./checker";
import { constraintTable } from "./constraints";
import { RecordedResource } from "./registrations";

function messages(type: string, inputs: Record<string, unknown>): string[] {
  const resource: RecordedResource = { source: "test", type, name: "app-ecs", inputs };
  const constraints = constraintTable().get(type);
  if (!constraints) throw new Error(`no constraints for ${type}`);
  return checkResource(resource, constraints).map((v) => v.message);
}

const CLUSTER = "aws:ecs/cluster:Cluster";
const SERVICE = "aws:ecs/service:Service";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";

describe("provider constraints: ECS (internal/service/ecs)", () => {
  it("passes the stacks' task definition: a family of letters and hyphens, Fargate, awsvpc, JSON containers", () => {
    expect(
      messages(TASK, {
        family: "app-dr",
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        containerDefinitions: "[]",
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      }),
    ).to.deep.equal([]);
  });

  it("refuses a task family with a character outside letters, digits, hyphens and underscores", () => {
    const found = messages(TASK, { family: "app.dr", containerDefinitions: "[]" });
    expect(found).to.have.length(1);
    expect(found[0]).to.contain('family = "app.dr"');
    expect(found[0]).to.contain("StringMatch(family");
  });

  it("refuses container definitions that are not JSON, and a compatibility ECS does not know", () => {
    const found = messages(TASK, {
      family: "app",
      containerDefinitions: "[{",
      requiresCompatibilities: ["LAMBDA"],
    });
    expect(found.some((m) => m.includes("StringIsJSON(containerDefinitions)"))).to.equal(true);
    expect(found.some((m) => m.includes('"LAMBDA"') && m.includes("requiresCompatibilities"))).to.equal(true);
  });

  it("refuses a launch type, a tag propagation or a container port out of range on a service", () => {
    const found = messages(SERVICE, {
      name: "app-service",
      launchType: "LAMBDA",
      propagateTags: "CLUSTER",
      loadBalancers: [{ containerName: "app", containerPort: 70000 }],
    });
    expect(found.map((m) => m.split(" breaks ")[1]?.split("(")[0])).to.deep.equal([
      "StringInSlice",
      "IntBetween",
      "StringInSlice",
    ]);
    expect(found.join("\n")).to.contain('launchType = "LAMBDA"');
    expect(found.join("\n")).to.contain("loadBalancers[0].containerPort = 70000");
  });

  it("refuses a cluster name with a space", () => {
    const found = messages(CLUSTER, { name: "app cluster" });
    expect(found).to.have.length(1);
    expect(found[0]).to.contain("must be 1-255 letters, numbers, hyphens or underscores");
  });
});
