"use strict";
// Type checking is its own step (`npm run typecheck`); tests only need to run.
process.env.TS_NODE_TRANSPILE_ONLY = "true";
process.env.TS_NODE_PROJECT = require("path").join(__dirname, "tsconfig.json");
const os = require("os");
const { orderedTestFiles } = require("./.ci/testOrder");

/**
 * Test files run in worker processes, one more than the machine's cores: many files spend much of their time
 * waiting on child processes, servers and timers, and another file's work fills that time. No test writes where
 * another reads (the build test builds in a copy of the checkout; each file's servers listen on ports of their
 * own), so the order of files does not matter. `--no-parallel` runs them one after another, `--jobs N` sets the
 * count.
 */
const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;

module.exports = {
  require: ["ts-node/register", "tsconfig-paths/register"],
  extension: ["ts"],
  // Every test/**/*.test.ts, the slowest first (.ci/testOrder.js): the workers take them in this order.
  spec: orderedTestFiles(__dirname),
  timeout: 30000,
  reporter: "spec",
  parallel: true,
  jobs: cores + 1,
};
