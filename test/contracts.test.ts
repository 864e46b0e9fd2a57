import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { DR_CONFIG_KEYS } from "../scripts/recovery/core/stackHandle";
import { PROD_OUTPUTS_READ } from "../scripts/recovery/failback/preflight";
import { namePrefix, restoredName } from "../scripts/recovery/core/naming";
import { NameRule } from "../scripts/recovery/resources/resourceRecovery";
import { ALL_RESOURCES } from "../scripts/recovery/resources/registry";
import { DR_OUTPUTS } from "../scripts/simulation/fixtures";
import { PRIMARY_OUTPUTS_READ } from "../stacks/dr";
import { FAILED_BACK_NAME_PREFIXES, isRestoredName, RESTORED_NAME_PREFIXES } from "../stacks/restoredNames";
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

  it("the recovery CLI names every restored resource with a prefix the dr stack grants its servers", () => {
    const runId = "20261123t093000a7";
    expect(
      [namePrefix("recover", runId), namePrefix("drill", runId)].map((p) => p.split(runId)[0]),
    ).to.deep.equal([...RESTORED_NAME_PREFIXES]);
    for (const kind of ["recover", "drill"] as const) {
      // Every type the CLI names (AWS gives EC2 instances and EBS volumes ids of their own).
      for (const { type, nameRule } of ALL_RESOURCES.filter((r) => r.nameRule !== undefined)) {
        // Long and oddly cased sources are shortened and cleaned, never stripped of the prefix.
        for (const source of ["app-table", "App_Data.Bucket", "x".repeat(300)]) {
          const name = restoredName(nameRule as NameRule, namePrefix(kind, runId), source);
          expect(isRestoredName(name), `${kind} ${type} ${name}`).to.equal(true);
        }
      }
    }
  });

  it("the CLI's naming keeps the failback's prefixes, which the prod stack grants its servers", () => {
    const runId = "20261130t180000c4";
    for (const prefix of FAILED_BACK_NAME_PREFIXES) {
      for (const { type, nameRule } of ALL_RESOURCES.filter((r) => r.nameRule !== undefined)) {
        for (const source of ["app-table", "App_Data.Bucket", "x".repeat(300)]) {
          const name = restoredName(nameRule as NameRule, `${prefix}${runId}-`, source);
          expect(isRestoredName(name, FAILED_BACK_NAME_PREFIXES), `${type} ${name}`).to.equal(true);
          expect(isRestoredName(name), `${type} ${name} is no recovery's name`).to.equal(false);
        }
      }
    }
  });

  it("every prod output the dr stack reads, the prod program exports (failoverSwitch with a public name)", async () => {
    const prod = await evaluateStack("prod", {
      route53ZoneId: "Z0123456789ABCDEFGHIJ",
      domainName: "api.example.com",
    });
    expect(prod.outputs).to.include.keys(...PRIMARY_OUTPUTS_READ);
  });

  it("every prod output dr failback reads, the prod program exports", async () => {
    const prod = await evaluateStack("prod");
    expect(prod.outputs).to.include.keys(...PROD_OUTPUTS_READ);
  });
});
