// The offline plan of a stack on ECS: the service's and task's inputs shown, the running tasks among the hourly charges.
import { expect } from "chai";
import * as path from "path";
import { loadPriceBook } from "../../../scripts/cost/prices";
import { evaluatePlan } from "../../../scripts/plan/evaluate";
import { hourlyCharges } from "../../../scripts/plan/hourlyCharges";
import { keyInputs } from "../../../scripts/plan/display";
import { PlannedResource } from "../../../scripts/plan/engine";
import { ECS_DATA } from "../../stacks/fixtures";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const DR_ECS = {
  compute: "ecs",
  data: ECS_DATA,
  containerImage: "123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1.4",
};

describe("dr plan on ECS (compute ecs)", function () {
  this.timeout(60_000);

  it("bills no task in standby, and the active desired count of Fargate tasks when active", async () => {
    const prices = loadPriceBook();
    const standby = await evaluatePlan({ projectDir: ROOT, stack: "dr", configOverrides: DR_ECS });
    const active = await evaluatePlan({
      projectDir: ROOT,
      stack: "dr",
      mode: "active",
      configOverrides: DR_ECS,
    });
    const tasks = (charges: { charge: string }[]) => charges.filter((c) => c.charge.includes("Fargate task"));
    expect(tasks(hourlyCharges(standby.resources, prices))).to.deep.equal([]);
    expect(tasks(hourlyCharges(active.resources, prices)).map((c) => c.charge)).to.deep.equal([
      "app-service: 3 Fargate task(s) of 256 CPU units, 512 MiB",
    ]);
    const shown = (name: string) =>
      keyInputs(active.resources.find((r) => r.name === name) as PlannedResource);
    expect(shown("app-service")).to.equal(
      "desiredCount=3 launchType=FARGATE deploymentMinimumHealthyPercent=50 waitForSteadyState=false",
    );
    expect(shown("app-task")).to.equal("family=app-dr cpu=256 memory=512");
  });
});
