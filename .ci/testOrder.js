// The order mocha's parallel workers take the test files in: the slowest first, so none starts last and runs
// alone after the others are done; then the rest in name order.
"use strict";
const path = require("path");
const { testFiles } = require("./runtimeSpecs");

/**
 * The slowest test files (whole-file time with a CPU-bound process beside the run), slowest first. A file renamed
 * away drops out of this list and still runs in its name's place; only its start moves.
 */
const SLOWEST = [
  "test/publish/install.test.ts",
  "test/scripts/rehearsal/rehearse.test.ts",
  "test/publish/publish.test.ts",
  "test/scripts/recovery/failback/child.test.ts",
  "test/scripts/bin/cliStartup.test.ts",
  "test/scripts/interruptSweep.test.ts",
  "test/scripts/recovery/recover/interrupts.test.ts",
  "test/scripts/rehearsal/practice.test.ts",
  "test/scripts/plan/plan.test.ts",
  "test/scripts/rehearsal/failbackLeg.test.ts",
  "test/scenarios/drCycle.test.ts",
  "test/scripts/rehearsal/ecsFailback.test.ts",
  "test/scripts/rehearsal/example.test.ts",
  "test/stacks/prod.test.ts",
  "test/components/backupRestoreDR.test.ts",
  "test/stacks/flip.test.ts",
  "test/scripts/recovery/recover/crashResume.test.ts",
  "test/publish/componentSchema.test.ts",
  "test/provider/constraints.test.ts",
];

/** `files` (relative to the repository, `/`-separated), the {@link SLOWEST} of them first in that order, then the rest as given. */
function slowestFirst(files) {
  const slow = SLOWEST.filter((file) => files.includes(file));
  return [...slow, ...files.filter((file) => !slow.includes(file))];
}

/** Every test file under the repository's test/, relative to it, slowest first. */
function orderedTestFiles(repoRoot) {
  const relative = testFiles(path.join(repoRoot, "test")).map((file) =>
    path.relative(repoRoot, file).split(path.sep).join("/"),
  );
  return slowestFirst(relative);
}

module.exports = { SLOWEST, orderedTestFiles, slowestFirst };
