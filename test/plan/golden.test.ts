import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { loadPriceBook } from "../../scripts/cost/prices";
import { evaluatePlan } from "../../scripts/plan/evaluate";
import { renderJson, renderText } from "../../scripts/plan/render";

const PROJECT_DIR = path.resolve(__dirname, "..", "..");
const GOLDEN = path.join(__dirname, "golden");

/**
 * The whole plan, compared byte for byte with the file under golden/ (written by the renderer before its
 * split into display rules, hourly charges and the shared text layout). `UPDATE_GOLDEN=1` rewrites them.
 */
function expectGolden(name: string, text: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(file, text);
  expect(text, name).to.equal(fs.readFileSync(file, "utf8"));
}

describe("offline plan: the whole text of the seed deployment, byte for byte", function () {
  this.timeout(120_000);
  const prices = loadPriceBook();

  it("GIVEN the prod stack THEN prints the same text and JSON", async () => {
    const result = await evaluatePlan({ projectDir: PROJECT_DIR, stack: "prod" });
    expectGolden("prod.txt", renderText(result, prices));
    expectGolden("prod-json.txt", renderJson(result, prices));
  });

  it("GIVEN the dr stack in standby THEN prints the same text and JSON", async () => {
    const result = await evaluatePlan({ projectDir: PROJECT_DIR, stack: "dr" });
    expectGolden("dr.txt", renderText(result, prices));
    expectGolden("dr-json.txt", renderJson(result, prices));
  });

  it("GIVEN the dr stack active, with NAT and interface endpoints THEN prints the same text", async () => {
    const result = await evaluatePlan({
      projectDir: PROJECT_DIR,
      stack: "dr",
      mode: "active",
      configOverrides: { restoredDbEndpoint: "db.example:5432", interfaceEndpoints: "true" },
    });
    expectGolden("dr-active.txt", renderText(result, prices));
  });

  it("GIVEN prod with one NAT gateway per zone THEN prints the same text", async () => {
    const result = await evaluatePlan({
      projectDir: PROJECT_DIR,
      stack: "prod",
      configOverrides: { natGateways: "OnePerAz" },
    });
    expectGolden("prod-nat.txt", renderText(result, prices));
  });
});
