import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pulumiErrorLine } from "../../scripts/errors";
import { findProjectDir, hasProjectFile, PROJECT_FILES } from "../../scripts/projectDir";

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
