// The test files the second Node runs: those that cross a process or network boundary, where Node versions
// differ (child processes and signals, sockets and HTTP, DNS, readline, npm/npx installs), found from each
// test file's own text and the test/ helpers it imports. Pure computation (resource graphs on the mock
// engine, validation, cron, cost) runs the same JavaScript on every Node and runs once, on the oldest.
"use strict";
const fs = require("fs");
const path = require("path");

/** What marks a file as crossing a process or network boundary. */
const BOUNDARY =
  /\bchild_process\b|from "(?:node:)?(?:http|https|net|dns|dgram|readline)"|\bstartFakeAws\b|\binstallPulumiStub\b|\bprocess\.kill\(|\bspawn(?:Sync)?\(|\bexecFile(?:Sync)?\(/;

/** The relative imports of a TypeScript file, resolved to files that exist. */
function relativeImports(file, text) {
  const found = [];
  for (const match of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) {
    const base = path.resolve(path.dirname(file), match[1]);
    const target = [`${base}.ts`, path.join(base, "index.ts"), base].find(
      (candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile(),
    );
    if (target) found.push(target);
  }
  return found;
}

/** Whether `file`, or a file under `testRoot` it imports (transitively), crosses a boundary. */
function crossesBoundary(file, testRoot, seen = new Set()) {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = fs.readFileSync(file, "utf8");
  if (BOUNDARY.test(text)) return true;
  return relativeImports(file, text)
    .filter((target) => target.startsWith(testRoot + path.sep))
    .some((target) => crossesBoundary(target, testRoot, seen));
}

/** Every `*.test.ts` under `testRoot`, sorted. */
function testFiles(testRoot) {
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "fixtures" && entry.name !== "node_modules") walk(full);
      } else if (entry.name.endsWith(".test.ts")) {
        out.push(full);
      }
    }
  };
  walk(testRoot);
  return out.sort();
}

/** The test files (relative to `repoRoot`) the second Node runs. */
function runtimeSpecs(repoRoot) {
  const testRoot = path.join(repoRoot, "test");
  return testFiles(testRoot)
    .filter((file) => crossesBoundary(file, testRoot))
    .map((file) => path.relative(repoRoot, file));
}

module.exports = { BOUNDARY, crossesBoundary, runtimeSpecs };

if (require.main === module) {
  process.stdout.write(runtimeSpecs(path.join(__dirname, "..")).join("\n") + "\n");
}
