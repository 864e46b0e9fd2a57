"use strict";
// Type checking is its own step (`npm run typecheck`); tests only need to run.
process.env.TS_NODE_TRANSPILE_ONLY = "true";
process.env.TS_NODE_PROJECT = require("path").join(__dirname, "tsconfig.json");

module.exports = {
  require: ["ts-node/register", "tsconfig-paths/register"],
  extension: ["ts"],
  spec: ["test/**/*.test.ts"],
  timeout: 30000,
  reporter: "spec",
};
