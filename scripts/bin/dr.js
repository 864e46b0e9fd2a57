#!/usr/bin/env node
// `dr`, the command's old name, kept for scripts and habits inside the checkout: one warning line, then
// restorekit-dr. `dr` is also an unrelated public npm package, so `npx dr` outside the checkout runs that one.
"use strict";
const path = require("path");

const launcher = path.join(__dirname, "restorekit-dr.js");
process.stderr.write(
  "warning: `dr` is this command's old name and an unrelated public npm package's: outside this checkout " +
    `\`npx dr\` runs that package. Start this one as ${launcher} (scripts/README.md, "Starting it")\n`,
);
require(launcher);
