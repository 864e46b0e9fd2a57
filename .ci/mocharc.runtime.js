// The mocha config of CI's second Node: the project's own (.mocharc.js) on the test files that cross a
// process or network boundary (.ci/runtimeSpecs.js says which and why).
"use strict";
const path = require("path");
const base = require("../.mocharc.js");
const { runtimeSpecs } = require("./runtimeSpecs");

module.exports = { ...base, spec: runtimeSpecs(path.join(__dirname, "..")) };
