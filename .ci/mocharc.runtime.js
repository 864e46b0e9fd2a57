// The mocha config of CI's second Node: the project's own (.mocharc.js) on the test files that cross a
// process or network boundary, one representative test per kind of crossing where a file repeats one
// (.ci/runtimeSpecs.js says which and why).
"use strict";
const path = require("path");
const base = require("../.mocharc.js");
const { runtimeGrep, runtimeSpecs } = require("./runtimeSpecs");
const { slowestFirst } = require("./testOrder");

module.exports = {
  ...base,
  spec: slowestFirst(runtimeSpecs(path.join(__dirname, ".."))),
  grep: runtimeGrep(),
};
