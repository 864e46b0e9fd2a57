import { expect } from "chai";
import * as cost from "../../../scripts/commands/cost";
import { bindCommand } from "../../helpers/command";

describe("dr cost: its flags bound into CostOptions", () => {
  it("GIVEN every flag and the global --stack and --work-dir THEN each lands in its field, parsed", async () => {
    const { options } = await bindCommand(cost, [
      "--stack",
      "prod",
      "--work-dir",
      "project",
      "cost",
      "--db-gb",
      "500",
      "--s3-gb",
      "1024",
      "--ebs-gb",
      "120",
      "--instances",
      "5",
      "--dynamodb-gb",
      "8",
      "--daily-change-pct",
      "3",
      "--s3-daily-change-pct",
      "1.5",
      "--s3-object-mb",
      "0.25",
      "--prices",
      "prices.json",
      "--plan",
      "daily",
      "--seed-example",
      "--json",
      "--config-file",
      "stacks/Pulumi.prod.yaml",
    ]);
    expect(options).to.deep.equal({
      dbGb: 500,
      s3Gb: 1024,
      ebsGb: 120,
      instances: 5,
      dynamodbGb: 8,
      dailyChangePct: 3,
      s3DailyChangePct: 1.5,
      s3ObjectMb: 0.25,
      prices: "prices.json",
      plan: "daily",
      seedExample: true,
      json: true,
      configFile: "stacks/Pulumi.prod.yaml",
      stack: "prod",
      workDir: "project",
    });
  });

  it("GIVEN no flag THEN every size left to the estimate's defaults, the dr stack, the project looked for", async () => {
    const { options } = await bindCommand(cost, ["cost"]);
    expect(options).to.deep.equal({
      dbGb: undefined,
      s3Gb: undefined,
      ebsGb: undefined,
      instances: undefined,
      dynamodbGb: undefined,
      dailyChangePct: undefined,
      s3DailyChangePct: undefined,
      s3ObjectMb: undefined,
      prices: undefined,
      plan: undefined,
      seedExample: undefined,
      json: undefined,
      configFile: undefined,
      stack: "dr",
      workDir: undefined,
    });
  });
});
