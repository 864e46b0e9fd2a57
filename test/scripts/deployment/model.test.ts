import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
  APP_BUCKET_LABEL,
  readDeployment,
  readStack,
  resolveStackPair,
} from "../../../scripts/deployment/model";
import { stackNames } from "../../../scripts/deployment/stackName";
import { loadProject, ProjectConfigError } from "../../../scripts/deployment/projectConfig";
import { REPLICA_STORAGE_CLASSES } from "@restorekit/backup-restore-dr";
import { configSource, readSettings } from "../../../stacks/config";
import { protectionArgs } from "../../../stacks/protection";
import { importGraph, sourceFiles } from "../../helpers/imports";
import { projectCopy } from "../../helpers/projectCopy";
import { evaluateStack, stackConfig } from "../../stacks/fixtures";

const REPO = path.resolve(__dirname, "..", "..", "..");
const made: string[] = [];

/** {@link projectCopy} with `set`, and `files` beside it; removed after the suite. */
function projectWith(
  set: Record<string, Record<string, string>> = {},
  files: Record<string, string> = {},
): string {
  const dir = projectCopy({ set, files });
  made.push(dir);
  return dir;
}

describe("the offline model of a deployment (scripts/deployment/model.ts)", () => {
  after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  describe("GIVEN the repository's stacks", () => {
    it("THEN each stack's settings are the settings its program reads", () => {
      const deployment = readDeployment(REPO);
      for (const [stack, settings] of [
        ["prod", deployment.prod],
        ["dr", deployment.dr],
      ] as const) {
        expect(settings, stack).to.deep.equal(
          readSettings(configSource(stackConfig(stack)), { project: "dr-app", stack }),
        );
      }
      expect(deployment.files).to.deep.equal(["Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.dr.yaml"]);
      expect(deployment.protection).to.deep.equal(protectionArgs(deployment.prod, APP_BUCKET_LABEL));
    });

    it("THEN the posture the tools show is the posture prod deploys", async () => {
      const { outputs } = await evaluateStack("prod");
      expect(readDeployment(REPO).posture).to.deep.equal(outputs.posture);
    });

    it("THEN the pair is the same from either side, and the stacks are listed by name", () => {
      expect(readDeployment(REPO, "prod")).to.deep.equal(readDeployment(REPO, "dr"));
      expect(stackNames(loadProject(REPO))).to.deep.equal(["dr", "prod"]);
    });
  });

  describe("GIVEN a value the stacks reject THEN the error names the file, the key, the value and the rule", () => {
    it("a value of the wrong type, before the settings are read", () => {
      const dir = projectWith({ prod: { copyLandingMinutes: "soon" } });
      expect(() => readDeployment(dir)).to.throw(
        ProjectConfigError,
        "Stack 'prod' with configuration key 'copyLandingMinutes' value 'soon' must be of type 'integer'",
      );
    });

    it("every value the program rejects, each on its own line", () => {
      const dir = projectWith({ prod: { vaultLock: "strict", replicaStorageClass: "COLD" } });
      expect(() => readStack(loadProject(dir), "prod")).to.throw(
        ProjectConfigError,
        [
          `Pulumi.prod.yaml: Configuration 'dr-app:replicaStorageClass' value 'COLD' is not a legal enum value (${JSON.stringify(REPLICA_STORAGE_CLASSES)})`,
          `Pulumi.prod.yaml: Configuration 'dr-app:vaultLock' value 'strict' is not a legal enum value (["none","governance","compliance"])`,
        ].join("\n"),
      );
    });

    it("a setting that needs another (the DNS name without its zone)", () => {
      const dir = projectWith({ dr: { domainName: "api.example.com" } });
      expect(() => readDeployment(dir)).to.throw(
        "Pulumi.dr.yaml: Configuration 'dr-app:domainName' value 'api.example.com' needs dr-app:route53ZoneId as well",
      );
    });
  });

  describe("GIVEN stack files that make no pair", () => {
    it("a dr stack naming a stack file that is not there", () => {
      const dir = projectWith({ dr: { primaryStack: "acme/dr-app/live" } });
      expect(() => resolveStackPair(loadProject(dir))).to.throw(
        `the dr stack dr names live as its dr-app:primaryStack, but there is no Pulumi.live.yaml in ${dir}`,
      );
    });

    it("a dr stack naming another dr stack", () => {
      const dir = projectWith(
        { dr: { primaryStack: "dr2" } },
        { "Pulumi.dr2.yaml": fs.readFileSync(path.join(REPO, "Pulumi.dr.yaml"), "utf8") },
      );
      expect(() => resolveStackPair(loadProject(dir), "dr")).to.throw(
        "the dr stack dr names dr2 as its dr-app:primaryStack, but dr2 has role dr",
      );
    });

    it("a prod stack no dr stack names", () => {
      const dir = projectWith({ dr: { primaryStack: "live" } });
      expect(() => resolveStackPair(loadProject(dir), "prod")).to.throw(
        `no dr stack names prod as its dr-app:primaryStack in ${dir} (stacks found: dr (role dr), prod (role primary))`,
      );
    });

    it("a prod stack two dr stacks name", () => {
      const dir = projectWith(
        {},
        { "Pulumi.dr2.yaml": fs.readFileSync(path.join(REPO, "Pulumi.dr.yaml"), "utf8") },
      );
      expect(() => resolveStackPair(loadProject(dir), "prod")).to.throw(
        "the dr stacks dr and dr2 all name prod as their dr-app:primaryStack: pass --stack <dr stack>",
      );
      expect(resolveStackPair(loadProject(dir), "dr2").dr.name).to.equal("dr2");
    });

    it("two dr stacks and no --stack", () => {
      const dir = projectWith(
        {},
        { "Pulumi.dr2.yaml": fs.readFileSync(path.join(REPO, "Pulumi.dr.yaml"), "utf8") },
      );
      expect(() => resolveStackPair(loadProject(dir))).to.throw(
        `cannot tell which dr stack to use in ${dir} (stacks found: dr (role dr), dr2 (role dr), prod (role primary)): pass --stack <name>`,
      );
    });
  });

  it("is what plan, runbook and cost read: runbook and cost import neither each other", () => {
    const files = ["scripts", "stacks", "components/src"].flatMap((dir) => sourceFiles(REPO, dir));
    const graph = importGraph(REPO, files);
    const crossing = [...graph].flatMap(([file, targets]) =>
      targets
        .filter(
          (target) =>
            (file.startsWith("scripts/cost/") && target.startsWith("scripts/runbook/")) ||
            (file.startsWith("scripts/runbook/") && target.startsWith("scripts/cost/")),
        )
        .map((target) => `${file} -> ${target}`),
    );
    expect(crossing).to.deep.equal([]);
    for (const command of [
      "scripts/plan/evaluate.ts",
      "scripts/runbook/command.ts",
      "scripts/cost/command.ts",
    ]) {
      expect(graph.get(command), command).to.include("scripts/deployment/model.ts");
    }
  });
});
