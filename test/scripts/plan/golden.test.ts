import * as path from "path";
import { expectGolden } from "../../helpers/golden";
import { loadPriceBook } from "../../../scripts/cost/prices";
import { evaluatePlan } from "../../../scripts/plan/evaluate";
import { renderJson, renderText } from "../../../scripts/plan/render";

const PROJECT_DIR = path.resolve(__dirname, "..", "..", "..");
/** Outputs written by the code before its split into one unit per concern (`UPDATE_GOLDEN=1` rewrites them). */
const GOLDEN = path.join(__dirname, "golden");

describe("offline plan: the whole text of the seed deployment, byte for byte", function () {
  this.timeout(120_000);
  const prices = loadPriceBook();

  it("GIVEN the prod stack THEN prints the same text and JSON", async () => {
    const result = await evaluatePlan({ projectDir: PROJECT_DIR, stack: "prod" });
    expectGolden(GOLDEN, "prod.txt", renderText(result, prices));
    expectGolden(GOLDEN, "prod-json.txt", renderJson(result, prices));
  });

  it("GIVEN the dr stack in standby THEN prints the same text and JSON", async () => {
    const result = await evaluatePlan({ projectDir: PROJECT_DIR, stack: "dr" });
    expectGolden(GOLDEN, "dr.txt", renderText(result, prices));
    expectGolden(GOLDEN, "dr-json.txt", renderJson(result, prices));
  });

  it("GIVEN the dr stack active, with NAT and interface endpoints THEN prints the same text", async () => {
    const result = await evaluatePlan({
      projectDir: PROJECT_DIR,
      stack: "dr",
      mode: "active",
      configOverrides: { restoredDbEndpoint: "db.example:5432", interfaceEndpoints: "true" },
    });
    expectGolden(GOLDEN, "dr-active.txt", renderText(result, prices));
  });

  it("GIVEN prod with one NAT gateway per zone THEN prints the same text", async () => {
    const result = await evaluatePlan({
      projectDir: PROJECT_DIR,
      stack: "prod",
      configOverrides: { natGateways: "OnePerAz" },
    });
    expectGolden(GOLDEN, "prod-nat.txt", renderText(result, prices));
  });
});
