import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { DR_CONFIG_KEYS } from "../scripts/drStack";
import { DR_OUTPUTS } from "../scripts/simulation/fixtures";
import { evaluateStack, PROJECT_DIR } from "./stacks/fixtures";

/**
 * The layers meet only through config keys and stack outputs (docs/CONTRACTS.md). These checks tie the
 * recovery CLI's side of that contract to the program's, so renaming either breaks a test, not a recovery.
 */
describe("contracts between the recovery CLI and the stacks", () => {
  const project = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as {
    name: string;
    config: Record<string, unknown>;
  };

  it("every config key the CLI sets is declared in Pulumi.yaml, under the project's namespace", () => {
    for (const key of Object.values(DR_CONFIG_KEYS)) {
      const [namespace, name] = key.split(":");
      expect(namespace, key).to.equal(project.name);
      expect(project.config, key).to.have.property(name);
    }
  });

  it("every dr stack output the CLI's tests assume, the real dr program exports", async () => {
    const dr = await evaluateStack("dr");
    expect(dr.outputs).to.include.keys(...Object.keys(DR_OUTPUTS));
  });
});
