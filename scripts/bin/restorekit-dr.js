#!/usr/bin/env node
// The `restorekit-dr` command: runs the recovery CLI compiled (bin/scripts/cli.js, written by `npm run build`,
// which `npm install` runs), or from its TypeScript sources with ts-node (transpile only) while developing:
// when DR_FROM_SOURCE=1, when there is no build, or when a source is newer than the build, so a stale build
// never runs. It finds everything from its own path, so `<checkout>/scripts/bin/restorekit-dr.js` (or a
// symlink to it) starts the same from any directory, cron included, and never asks a package registry.
"use strict";
// Ctrl-C (or SIGTERM) while the CLI loads, before it handles signals itself: nothing has started.
// This process runs the CLI itself (no child to forward signals to), so it ends here whatever a wrapper does.
const SIGNALS = ["SIGINT", "SIGTERM"];
function stopWhileLoading(name) {
  process.stderr.write(`\n${name}: stopping; interrupted while starting: nothing was started\n`);
  process.exit(130);
}
for (const name of SIGNALS) process.on(name, stopWhileLoading);
const fs = require("fs");
const path = require("path");
const { unsupportedNodeNotice } = require("./supportedNode");

// One line on an unsupported Node, for the operator at a terminal; output read by a program stays as it is.
const nodeNotice = unsupportedNodeNotice(process.version);
if (nodeNotice && process.stderr.isTTY) process.stderr.write(`${nodeNotice}\n`);

const root = path.resolve(__dirname, "..", "..");
const source = path.join(root, "scripts", "cli.ts");
const compiled = path.join(root, "bin", "scripts", "cli.js");
const componentBuild = path.join(root, "components", "bin", "index.js");
/** What the build is compiled from: the CLI, the program it plans, and the component. */
const SOURCE_DIRS = ["scripts", "stacks", path.join("components", "src")].map((dir) => path.join(root, dir));

function newestSourceMs(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(full));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function buildIsCurrent() {
  if (!fs.existsSync(compiled) || !fs.existsSync(componentBuild)) return false;
  // An installed copy without sources has nothing to be stale against.
  if (!fs.existsSync(source)) return true;
  const built = Math.min(fs.statSync(compiled).mtimeMs, fs.statSync(componentBuild).mtimeMs);
  return SOURCE_DIRS.every((dir) => !fs.existsSync(dir) || newestSourceMs(dir) <= built);
}

function tsNodeAvailable() {
  try {
    require.resolve("ts-node", { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

let cli;
if (process.env.DR_FROM_SOURCE !== "1" && buildIsCurrent()) {
  cli = require(compiled);
} else if (fs.existsSync(source) && tsNodeAvailable()) {
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
  process.stderr.write("error: the CLI is not built and ts-node is not installed: run npm install, then npm run build\n");
  process.exit(2);
}
for (const name of SIGNALS) process.off(name, stopWhileLoading);
cli.run();
