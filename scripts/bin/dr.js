#!/usr/bin/env node
"use strict";
// Runs the recovery CLI from its TypeScript sources (ts-node, transpile only) when they are here,
// else from the compiled output (tsc -p tsconfig.json writes it to bin/scripts).
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..", "..");
const source = path.join(root, "scripts", "cli.ts");
const compiled = path.join(root, "bin", "scripts", "cli.js");

function tsNodeAvailable() {
  try {
    require.resolve("ts-node", { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

let cli;
if (fs.existsSync(source) && tsNodeAvailable()) {
  const project = path.join(root, "tsconfig.json");
  require(require.resolve("ts-node", { paths: [root] })).register({ transpileOnly: true, project });
  // From source, the component package is its source too (tsconfig paths), as in the tests: no stale build.
  require(require.resolve("tsconfig-paths", { paths: [root] })).register({
    baseUrl: root,
    paths: require(project).compilerOptions.paths,
  });
  cli = require(source);
} else if (fs.existsSync(compiled)) {
  cli = require(compiled);
} else {
  process.stderr.write("error: neither ts-node nor the compiled CLI (bin/scripts/cli.js) is available; run npm install\n");
  process.exit(2);
}
cli.run();
