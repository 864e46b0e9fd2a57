import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { readDrStack, resolveStackPair } from "../../../scripts/deployment/model";
import { loadProject } from "../../../scripts/deployment/projectConfig";
import { parseStackName, resolveStackName } from "../../../scripts/deployment/stackName";
import { didYouMean, nearestNames } from "../../../scripts/nearestName";
import { projectCopy } from "../../helpers/projectCopy";

const REPO = path.resolve(__dirname, "..", "..", "..");

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected an error");
};

describe("--stack offline: the stack a name names, the stacks there and the nearest", () => {
  const project = loadProject(REPO);

  it("GIVEN Pulumi's three forms THEN each names the stack file by its last part", () => {
    expect(parseStackName("dr")).to.deep.equal({ stack: "dr" });
    expect(parseStackName("acme/dr")).to.deep.equal({ org: "acme", stack: "dr" });
    expect(parseStackName("acme/dr-app/dr")).to.deep.equal({ org: "acme", project: "dr-app", stack: "dr" });
    for (const name of ["prod", "acme/prod", "acme/dr-app/prod"]) {
      expect(resolveStackName(project, name), name).to.equal("prod");
    }
  });

  it("GIVEN another form THEN refuses, naming the three", () => {
    for (const name of ["a/b/c/d", "acme//dr", "/dr", ""]) {
      expect(
        message(() => parseStackName(name)),
        name,
      ).to.equal(
        `stack '${name}' is not a stack name: Pulumi takes <stack>, <org>/<stack> or <org>/<project>/<stack>`,
      );
    }
  });

  it("GIVEN org/project/stack of another project THEN refuses, naming both projects and the names to pass", () => {
    expect(message(() => resolveStackName(project, "acme/shop/prod"))).to.equal(
      `stack 'acme/shop/prod' is in project 'shop', but Pulumi.yaml in ${REPO} is project 'dr-app': pass acme/dr-app/prod or prod`,
    );
  });

  it("GIVEN a typo THEN lists the stacks there and suggests the nearest", () => {
    expect(message(() => resolveStackName(project, "prd"))).to.equal(
      `no stack named 'prd' found: no Pulumi.prd.yaml in ${REPO}; stacks found: dr, prod; did you mean 'prod'?`,
    );
    expect(message(() => resolveStackName(project, "acme/dr-app/dr1"))).to.equal(
      `no stack named 'dr1' found: no Pulumi.dr1.yaml in ${REPO}; stacks found: dr, prod; did you mean 'dr'?`,
    );
  });

  it("GIVEN a name near none THEN lists the stacks without a guess", () => {
    expect(message(() => resolveStackName(project, "staging"))).to.equal(
      `no stack named 'staging' found: no Pulumi.staging.yaml in ${REPO}; stacks found: dr, prod`,
    );
  });

  it("suggests as commander does: at most 2 edits, more than 40% in common, every equally near name", () => {
    expect(nearestNames("prd", ["dr", "prod"])).to.deep.equal(["prod"]);
    expect(nearestNames("rpod", ["dr", "prod"])).to.deep.equal(["prod"]);
    expect(nearestNames("dr2", ["dr", "dr1", "prod"])).to.deep.equal(["dr", "dr1"]);
    expect(nearestNames("x", ["dr", "prod"])).to.deep.equal([]);
    expect(didYouMean("dr2", ["dr", "dr1"])).to.equal("; did you mean 'dr' or 'dr1'?");
    expect(didYouMean("staging", ["dr", "prod"])).to.equal("");
  });

  describe("runbook and cost (the prod/dr pair)", () => {
    it("GIVEN org/project/stack THEN the same pair as the stack's own name", () => {
      const pair = resolveStackPair(project, "acme/dr-app/prod");
      expect([pair.prod.name, pair.dr.name]).to.deep.equal(["prod", "dr"]);
    });

    it("GIVEN a typo THEN the stacks found, with their roles, and the nearest", () => {
      expect(message(() => resolveStackPair(project, "prd"))).to.equal(
        `no stack named 'prd' found: no Pulumi.prd.yaml in ${REPO}; stacks found: dr (role dr), prod (role primary); did you mean 'prod'?`,
      );
    });
  });

  describe("a dr stack (dr rehearse)", () => {
    it("GIVEN the dr stack by any of its names THEN reads it", () => {
      for (const name of ["dr", "acme/dr", "acme/dr-app/dr"]) {
        expect(readDrStack(project, name).name, name).to.equal("dr");
      }
    });

    it("GIVEN the prod stack THEN refuses, naming its role and the dr stack that recovers it", () => {
      expect(
        message(() => readDrStack(project, "prod", "dr rehearse recovers into a dr stack (role: dr)")),
      ).to.equal(
        "stack 'prod' has role primary (Pulumi.prod.yaml): dr rehearse recovers into a dr stack (role: dr); pass --stack dr, the dr stack that recovers prod",
      );
    });

    it("GIVEN a prod stack no dr stack recovers THEN says what a dr stack is", () => {
      const dir = projectCopy({ omit: ["dr"] });
      try {
        expect(message(() => readDrStack(loadProject(dir), "prod"))).to.equal(
          `stack 'prod' has role primary (Pulumi.prod.yaml): this needs a dr stack (role: dr); pass the dr stack with --stack (a stack file with dr-app:role: dr; no dr stack names prod as its dr-app:primaryStack in ${dir} (stacks found: prod (role primary)))`,
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
