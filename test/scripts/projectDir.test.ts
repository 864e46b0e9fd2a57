import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pulumiErrorLine } from "../../scripts/errors";
import * as statusCommand from "../../scripts/commands/status";
import { findProjectDir, givenWorkDir, hasProjectFile, PROJECT_FILES } from "../../scripts/projectDir";
import { bindCommand } from "../helpers/command";

const REPO = path.resolve(__dirname, "..", "..");

describe("project directory: one rule for every command", () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "dr-project-dir-"));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const file of PROJECT_FILES) {
    it(`GIVEN a ${file} two levels up THEN finds that directory from below`, () => {
      fs.writeFileSync(path.join(root, file), "name: dr-app\n");
      const below = path.join(root, "a", "b");
      fs.mkdirSync(below, { recursive: true });
      expect(findProjectDir(below)).to.equal(root);
      expect(hasProjectFile(root)).to.equal(true);
    });
  }

  it("GIVEN project files at two levels THEN the nearest wins", () => {
    fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: outer\n");
    const inner = path.join(root, "inner");
    fs.mkdirSync(inner);
    fs.writeFileSync(path.join(inner, "Pulumi.yml"), "name: inner\n");
    expect(findProjectDir(path.join(inner))).to.equal(inner);
  });

  it("GIVEN no project file up to the root THEN undefined", () => {
    expect(hasProjectFile(root)).to.equal(false);
    // The temporary directory's ancestors (/tmp, /) hold no Pulumi project.
    expect(findProjectDir(root)).to.equal(undefined);
  });
});

describe("project directory: --work-dir, else DR_WORK_DIR, for a command started anywhere", () => {
  let elsewhere: string;
  beforeEach(() => (elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "dr-elsewhere-"))));
  afterEach(() => fs.rmSync(elsewhere, { recursive: true, force: true }));

  it("--work-dir wins, then a DR_WORK_DIR that is set and not empty, else nothing named", () => {
    expect(givenWorkDir("/a", { DR_WORK_DIR: "/b" })).to.equal("/a");
    expect(givenWorkDir(undefined, { DR_WORK_DIR: "/b" })).to.equal("/b");
    expect(givenWorkDir(undefined, { DR_WORK_DIR: "" })).to.equal(undefined);
    expect(givenWorkDir(undefined, {})).to.equal(undefined);
  });

  it("GIVEN status started outside any project THEN DR_WORK_DIR is its project, else the checkout it runs from", async () => {
    const named = await bindCommand(statusCommand, ["status"], {
      cwd: elsewhere,
      env: { ...process.env, DR_WORK_DIR: "project" },
    });
    expect(named.ctx.global.workDir).to.equal(path.join(elsewhere, "project"));
    expect(named.ctx.global.stateDir).to.equal(path.join(elsewhere, "project", ".dr"));
    const unnamed = await bindCommand(statusCommand, ["status"], {
      cwd: elsewhere,
      env: { ...process.env, DR_WORK_DIR: "" },
    });
    expect(unnamed.ctx.global.workDir).to.equal(REPO);
  });
});

describe("pulumiErrorLine: the cause of a failed Pulumi command", () => {
  it("GIVEN a CommandError ending in 'error: update failed' THEN the earlier, specific error line", () => {
    const err = Object.assign(new Error("code: 255"), {
      commandResult: { stdout: "Updating (dr)\n", stderr: "  error: bucket exists\nerror: update failed\n" },
    });
    expect(pulumiErrorLine(err)).to.equal("error: bucket exists");
  });

  it("GIVEN a plain error without an error line THEN its first line, at most 300 characters", () => {
    expect(pulumiErrorLine(new Error(`spawn pulumi ENOENT${"x".repeat(400)}\nsecond`))).to.have.length(300);
    expect(pulumiErrorLine("not found\nmore")).to.equal("not found");
  });
});
