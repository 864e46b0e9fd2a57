// The order the parallel workers take the test files in: every file once, the slowest first.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

const { SLOWEST, orderedTestFiles, slowestFirst } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("../../.ci/testOrder") as {
    SLOWEST: readonly string[];
    orderedTestFiles: (repoRoot: string) => string[];
    slowestFirst: (files: readonly string[]) => string[];
  };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require("../../.mocharc.js") as { spec: string[]; parallel: boolean; jobs: number };
const ROOT = path.join(__dirname, "..", "..");

/** Every *.test.ts under test/ outside fixtures, relative to the root. */
function everyTestFile(dir = path.join(ROOT, "test")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : everyTestFile(full);
    return entry.name.endsWith(".test.ts") ? [path.relative(ROOT, full).split(path.sep).join("/")] : [];
  });
}

describe("test order: the slowest files first, every file once", () => {
  it("names only files that exist", () => {
    expect(SLOWEST.filter((file) => !fs.existsSync(path.join(ROOT, file)))).to.deep.equal([]);
    expect(new Set(SLOWEST).size).to.equal(SLOWEST.length);
  });

  it("puts the slowest first in their order and keeps the others' order, dropping and doubling none", () => {
    const slow = SLOWEST.slice(0, 2);
    expect(slowestFirst(["a.test.ts", slow[1], "b.test.ts", slow[0]])).to.deep.equal([
      slow[0],
      slow[1],
      "a.test.ts",
      "b.test.ts",
    ]);
  });

  it("is the order mocha's config runs, in parallel, with every test file once", () => {
    expect(config.spec).to.deep.equal(orderedTestFiles(ROOT));
    expect([...config.spec].sort()).to.deep.equal(everyTestFile().sort());
    expect(config.spec.slice(0, SLOWEST.length)).to.deep.equal([...SLOWEST]);
    expect(config.parallel).to.equal(true);
    expect(config.jobs).to.be.at.least(2);
  });
});
