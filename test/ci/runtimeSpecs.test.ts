// Which test files CI's second Node runs: those that cross a process or network boundary.
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

interface Representatives {
  readonly file: string;
  readonly suite: string;
  readonly keep: readonly string[];
}

const { BOUNDARY, REPRESENTATIVES, SKIPPED, crossesBoundary, runtimeGrep, runtimeSpecs } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("../../.ci/runtimeSpecs") as {
    BOUNDARY: RegExp;
    REPRESENTATIVES: readonly Representatives[];
    SKIPPED: ReadonlyArray<{ file: string; why: string }>;
    crossesBoundary: (file: string, testRoot: string) => boolean;
    runtimeGrep: () => string;
    runtimeSpecs: (repoRoot: string) => string[];
  };
const ROOT = path.join(__dirname, "..", "..");

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
    const specs = runtimeSpecs(ROOT);
    expect(specs).to.include.members([
      "test/publish/publish.test.ts",
      "test/scripts/recovery/failback/child.test.ts",
      "test/scripts/bin/cliStartup.test.ts",
      "test/scripts/simulation/services.test.ts",
    ]);
    expect(specs).to.not.include.members([
      "test/components/validation.test.ts",
      "test/components/awsCron.test.ts",
      "test/scripts/cost/estimate.test.ts",
    ]);
    // Skipped whole: what they cross another file crosses on the second Node.
    expect(specs).to.not.include.members(["test/publish/install.test.ts", "test/scenarios/drCycle.test.ts"]);
  });

  it("names only boundary files as skipped or run in part", () => {
    const testRoot = path.join(ROOT, "test");
    for (const { file } of [...SKIPPED, ...REPRESENTATIVES]) {
      expect(crossesBoundary(path.join(ROOT, file), testRoot), file).to.equal(true);
    }
  });

  it("keeps in each file run in part its representatives and drops the rest; every other test runs", function () {
    // Lists the tests of those files without running them (mocha --dry-run), then applies the grep as mocha
    // does: to each test's full title.
    this.timeout(120_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runtime-grep-"));
    try {
      const files = [...new Set(REPRESENTATIVES.map((r) => r.file))];
      const config = path.join(dir, "mocharc.js");
      fs.writeFileSync(
        config,
        `module.exports = { ...require(${JSON.stringify(path.join(ROOT, ".mocharc.js"))}), spec: ${JSON.stringify(files.map((f) => path.join(ROOT, f)))}, parallel: false };\n`,
      );
      const listed = execFileSync(
        process.execPath,
        [
          path.join(ROOT, "node_modules", "mocha", "bin", "mocha.js"),
          "--config",
          config,
          "--dry-run",
          "--reporter",
          "json",
        ],
        { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 },
      );
      const tests = (JSON.parse(listed) as { tests: Array<{ fullTitle: string; file: string }> }).tests.map(
        (t) => ({ title: t.fullTitle, file: path.relative(ROOT, t.file).split(path.sep).join("/") }),
      );
      const grep = new RegExp(runtimeGrep());
      for (const r of REPRESENTATIVES) {
        const inSuite = tests.filter((t) => t.file === r.file && new RegExp(`^${r.suite} `).test(t.title));
        expect(inSuite, `suite '${r.suite}' in ${r.file}`).to.not.deep.equal([]);
        const kept = inSuite.filter((t) => grep.test(t.title));
        expect(kept.length, `${r.file}: tests kept of ${inSuite.length}`).to.be.below(inSuite.length);
        for (const keep of r.keep) {
          expect(
            inSuite.some((t) => new RegExp(`^${r.suite} ${keep}`).test(t.title) && grep.test(t.title)),
            `${r.file}: a test matching ${keep}`,
          ).to.equal(true);
        }
      }
      // A test of any other suite, in these files or elsewhere, is not filtered.
      const other = tests.filter(
        (t) => !REPRESENTATIVES.some((r) => new RegExp(`^${r.suite} `).test(t.title)),
      );
      expect(other.length).to.be.above(0);
      expect(other.filter((t) => !grep.test(t.title))).to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is what the second Node's mocha config runs, the slowest first", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = require("../../.ci/mocharc.runtime.js") as { grep: string; spec: string[] };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { slowestFirst } = require("../../.ci/testOrder") as {
      slowestFirst: (files: string[]) => string[];
    };
    expect(config.grep).to.equal(runtimeGrep());
    expect(config.spec).to.deep.equal(slowestFirst(runtimeSpecs(ROOT)));
    expect([...config.spec].sort()).to.deep.equal(runtimeSpecs(ROOT));
  });
});
