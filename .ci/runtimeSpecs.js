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

/**
 * Boundary files the second Node skips whole: what they cross, another file crosses on it too, and the
 * rest of what they prove is the same JavaScript on every Node (the first runs them all).
 */
const SKIPPED = [
  {
    file: "test/publish/install.test.ts",
    why: "npm installs on the second Node: publish.test.ts installs the published package into a fresh project with it",
  },
  {
    file: "test/scenarios/drCycle.test.ts",
    why: "the story's HTTP and SDK calls are those of the simulation services tests; its logic is Node-independent",
  },
];

/**
 * Boundary files the second Node runs in part: one representative test per kind of boundary they cross (a
 * SIGKILL and its resume, Ctrl-C in each kind of command, a terminal's prompt, a child process of each
 * command), since the other tests in them repeat the same crossing with other data or at other phases,
 * which is Node-independent logic the first Node covers (every phase is interrupted in process by the
 * Ctrl-C tests). `suite` is the file's top-level describe title, `keep` the regular expressions (sources)
 * of the kept tests' titles below it.
 */
const REPRESENTATIVES = [
  {
    file: "test/scripts/recovery/failback/child.test.ts",
    suite: "dr failback in a child process against the local fake of both regions",
    keep: ["--yes runs the whole failback", "killed \\(SIGKILL\\) in freeze:"],
  },
  {
    file: "test/scripts/recovery/recover/crashResume.test.ts",
    suite: "crash and resume: the CLI in a child process against a local AWS endpoint",
    keep: ["killed \\(SIGKILL\\) mid-wait"],
  },
  {
    file: "test/scripts/interruptSweep.test.ts",
    suite: "Ctrl-C across the whole life of every command: exit 130, a true message, no process left",
    keep: [
      "dr status (runs to the end undisturbed|stops at 0\\.5 )",
      "dr plan (runs to the end undisturbed|stops at 0\\.6 )",
      "dr recover stops at '/restore job",
      "dr failback stops at 'Failback from",
      "dr rehearse stops at 'evaluating the prod stack'",
    ],
  },
  {
    file: "test/scripts/recovery/recover/interrupts.test.ts",
    suite: "Ctrl-C at any moment: exit 130, the resume hint, nothing left behind, and the re-run completes",
    keep: ["while the restore jobs are being started"],
  },
  {
    file: "test/scripts/rehearsal/rehearse.test.ts",
    suite: "dr rehearse: each scenario end to end in a child process",
    keep: [
      "all-fine:",
      "interrupt-resume:",
      "a real Ctrl-C stops the rehearsal",
      "refuses, on its first line",
    ],
  },
  {
    file: "test/scripts/rehearsal/rehearse.test.ts",
    suite: "README: the quick start's rehearse command, exactly as written",
    keep: [],
  },
  {
    file: "test/scripts/rehearsal/practice.test.ts",
    suite: "dr rehearse: practising what the advice says \\(finding 5\\)",
    keep: ["--confirm asks the real question on the terminal"],
  },
  {
    file: "test/scripts/rehearsal/failbackLeg.test.ts",
    suite: "dr rehearse failback: the whole cycle on one simulation, in a child process",
    keep: ["recovers, writes in DR for days, fails back"],
  },
  {
    // The build is TypeScript's output, the same on every Node; the CLI runs on this Node from the sources.
    file: "test/scripts/bin/cliStartup.test.ts",
    suite: "dr CLI start-up",
    keep: ["(?!npm run build)"],
  },
  {
    // The plugin launcher serving the schema is crossed by publish.test.ts from the installed package.
    file: "test/publish/componentSchema.test.ts",
    suite: "package: Pulumi component schema of BackupRestoreDR",
    keep: ["(?!served by Pulumi's plugin launcher starts)"],
  },
];

/** The test files (relative to `repoRoot`) the second Node runs. */
function runtimeSpecs(repoRoot) {
  const testRoot = path.join(repoRoot, "test");
  const skipped = new Set(SKIPPED.map((s) => s.file));
  return testFiles(testRoot)
    .filter((file) => crossesBoundary(file, testRoot))
    .map((file) => path.relative(repoRoot, file).split(path.sep).join("/"))
    .filter((file) => !skipped.has(file));
}

/**
 * The second Node's `grep` (matched against each test's full title): every test of a suite not in
 * {@link REPRESENTATIVES}, and of those only the kept ones. Suite titles are regular expression sources.
 */
function runtimeGrep() {
  const suites = REPRESENTATIVES.map((r) => r.suite);
  const others = `^(?!(?:${suites.join("|")}) )`;
  const kept = REPRESENTATIVES.filter((r) => r.keep.length > 0).map(
    (r) => `^${r.suite} (?:${r.keep.join("|")})`,
  );
  return [others, ...kept].join("|");
}

module.exports = {
  BOUNDARY,
  REPRESENTATIVES,
  SKIPPED,
  crossesBoundary,
  runtimeGrep,
  runtimeSpecs,
  testFiles,
};

if (require.main === module) {
  process.stdout.write(runtimeSpecs(path.join(__dirname, "..")).join("\n") + "\n");
}
