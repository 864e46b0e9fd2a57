import * as path from "path";
import { expectGolden } from "../../helpers/golden";
import { costInputs } from "../../../scripts/cost/command";
import { estimateCost } from "../../../scripts/cost/estimate";
import { CostInputs, CostPlan } from "../../../scripts/cost/inputs";
import { renderCostJson, renderCostText } from "../../../scripts/cost/format";
import { costPlanFromDeployment } from "../../../scripts/cost/plan";
import { loadPriceBook } from "../../../scripts/cost/prices";
import { compareWithSeedClaim, SEED_INPUTS } from "../../../scripts/cost/seed";
import { readDeployment } from "../../../scripts/deployment/model";

const REPO = path.resolve(__dirname, "..", "..", "..");
/** Outputs written by the code before its split into one unit per concern (`UPDATE_GOLDEN=1` rewrites them). */
const GOLDEN = path.join(__dirname, "golden");

describe("cost: the whole estimate, byte for byte", () => {
  const prices = loadPriceBook();
  const seedPlan = costPlanFromDeployment(readDeployment(REPO, "dr"));

  it("GIVEN the seed deployment and the guide's example THEN prints the same text and JSON", () => {
    const estimate = estimateCost(SEED_INPUTS, seedPlan, prices);
    const comparison = compareWithSeedClaim(estimate, SEED_INPUTS, seedPlan, prices);
    expectGolden(GOLDEN, "seed-example.txt", renderCostText(estimate, comparison));
    expectGolden(GOLDEN, "seed-example-json.txt", renderCostJson(estimate, comparison));
  });

  it("GIVEN every cost concern (cold tiers, DynamoDB, RTC, DNS switch, NAT, endpoints) THEN prints the same text and JSON", () => {
    const inputs: CostInputs = { ...SEED_INPUTS, dynamodbGb: 30, ebsGb: 250, s3ObjectMb: 4 };
    const plan: CostPlan = {
      ...seedPlan,
      rules: seedPlan.rules.map((rule) => ({
        ...rule,
        lifecycle: {
          ...rule.lifecycle,
          moveToColdStorageAfterDays: 1,
          deleteAfterDays: rule.lifecycle.deleteAfterDays + 90,
          optInToArchiveForSupportedResources: true,
        },
      })),
      s3Replication: { storageClass: "STANDARD_IA", replicationTimeControl: true },
      idleDr: { ...seedPlan.idleDr, natGateways: 1, interfaceEndpoints: 6 },
      failoverSwitch: true,
    };
    const estimate = estimateCost(inputs, plan, prices);
    expectGolden(GOLDEN, "every-concern.txt", renderCostText(estimate));
    expectGolden(GOLDEN, "every-concern-json.txt", renderCostJson(estimate));
  });

  it("GIVEN the service example's inventory THEN prints one line per entry, sized as the entries declare", () => {
    const deployment = readDeployment(
      REPO,
      "prod",
      path.join(REPO, "docs", "examples", "service", "Pulumi.prod.yaml"),
    );
    const inputs = costInputs({ s3Gb: 300 }, deployment.prod);
    const estimate = estimateCost(inputs, costPlanFromDeployment(deployment), prices);
    expectGolden(GOLDEN, "service-example.txt", renderCostText(estimate));
  });

  it("GIVEN S3 data and no replication THEN prints the same text", () => {
    const plan: CostPlan = { ...seedPlan, s3Replication: undefined };
    expectGolden(GOLDEN, "no-replication.txt", renderCostText(estimateCost(SEED_INPUTS, plan, prices)));
  });
});
