#!/usr/bin/env node
// The repository's postinstall: builds the component, and the program and CLI when their dependencies are here.
//
// `npm install` in components/ (what `pulumi package add github.com/.../components@<tag>` runs in its clone)
// is a workspace install: npm runs this root script too, but installs only the component's dependencies,
// so compiling the program and the CLI would fail on their missing imports. Then only the component is
// built, which is all the plugin needs.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const { unsupportedNodeNotice } = require("./supportedNode");

const root = path.resolve(__dirname, "..", "..");

/** The root's dependencies that are not installed in its node_modules (the workspace itself aside). */
function missingRootDependencies() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const workspaces = new Set(
    (pkg.workspaces || []).map(
      (dir) => JSON.parse(fs.readFileSync(path.join(root, dir, "package.json"), "utf8")).name,
    ),
  );
  return Object.keys(pkg.dependencies || {}).filter(
    (name) => !workspaces.has(name) && !fs.existsSync(path.join(root, "node_modules", name, "package.json")),
  );
}

/** Runs `npm <args>` in the repository root with this process's output, and exits on failure. */
function npm(args) {
  const npmCli = process.env.npm_execpath;
  const result = npmCli
    ? spawnSync(process.execPath, [npmCli, ...args], { cwd: root, stdio: "inherit" })
    : spawnSync("npm", args, { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const notice = unsupportedNodeNotice(process.version);
if (notice) process.stderr.write(`${notice}\n`);

const missing = missingRootDependencies();
if (missing.length === 0) {
  npm(["run", "build"]);
} else {
  npm(["run", "build", "-w", "components"]);
  process.stdout.write(
    `postinstall: built the component only; the program and the CLI need ${missing.length} more ` +
      `dependencies (${missing.slice(0, 3).join(", ")}, ...): run npm install in the repository root\n`,
  );
}
