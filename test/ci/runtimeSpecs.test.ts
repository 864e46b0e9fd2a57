// Which test files CI's second Node runs: those that cross a process or network boundary.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BOUNDARY, crossesBoundary, runtimeSpecs } = require("../../.ci/runtimeSpecs") as {
  BOUNDARY: RegExp;
  crossesBoundary: (file: string, testRoot: string) => boolean;
  runtimeSpecs: (repoRoot: string) => string[];
};

describe("CI: the tests the second Node runs", () => {
  it("marks child processes, signals, sockets, DNS, readline and the HTTP simulation as a boundary", () => {
    for (const text of [
      'import { spawn } from "child_process";',
      'import * as http from "http";',
      'import * as dns from "node:dns";',
      'import * as readline from "readline";',
      "fake = await startFakeAws({ points: [] });",
      "stub = installPulumiStub({ outputs });",
      'process.kill(pid, "SIGINT");',
      "execFileSync(npm, args);",
    ]) {
      expect(BOUNDARY.test(text), text).to.equal(true);
    }
    for (const text of ['import * as fs from "fs";', "const spawned = 1;", "new FakeDrStack()"]) {
      expect(BOUNDARY.test(text), text).to.equal(false);
    }
  });

  it("follows the test helpers a test imports, however deep", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "runtime-specs-"));
    try {
      fs.mkdirSync(path.join(root, "fakes"));
      fs.writeFileSync(path.join(root, "fakes", "child.ts"), 'import { spawn } from "child_process";\n');
      fs.writeFileSync(path.join(root, "fakes", "wrap.ts"), 'export * from "./child";\nimport "./child";\n');
      fs.writeFileSync(path.join(root, "a.test.ts"), 'import { x } from "./fakes/wrap";\n');
      fs.writeFileSync(path.join(root, "b.test.ts"), 'import { expect } from "chai";\n');
      expect(crossesBoundary(path.join(root, "a.test.ts"), root)).to.equal(true);
      expect(crossesBoundary(path.join(root, "b.test.ts"), root)).to.equal(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("runs the child-process, install and simulation tests again, and not the pure ones", () => {
    const specs = runtimeSpecs(path.join(__dirname, "..", ".."));
    expect(specs).to.include.members([
      "test/publish/install.test.ts",
      "test/scripts/recovery/failback/child.test.ts",
      "test/scripts/bin/cliStartup.test.ts",
      "test/scenarios/drCycle.test.ts",
    ]);
    expect(specs).to.not.include.members([
      "test/components/validation.test.ts",
      "test/components/awsCron.test.ts",
      "test/scripts/cost/estimate.test.ts",
    ]);
  });
});
