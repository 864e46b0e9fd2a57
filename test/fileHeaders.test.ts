// Every source file opens with one line saying what it holds: the rule, its check of one text, and the walk.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");

/** The folders whose source files must open with a header. */
export const CHECKED_FOLDERS = ["scripts", "stacks", "components/src", "bench", "test"] as const;

const SOURCE = /\.(ts|js|py)$/;
/** Under test/: the tests themselves, and fixtures (generated projects, stand-in packages). */
const NOT_CHECKED = [/\.test\.ts$/, /^test\/fixtures\//];
/** Comments that are instructions to a tool, not a description of the file. */
const TOOL_DIRECTIVE =
  /^(\/\/|\/\*+|#)\s*(eslint|@ts-|prettier-ignore|istanbul|c8|global |noqa|type:|-\*-|pylint|jshint)/;

/**
 * Why `text` (the file `name`) does not open with a line saying what it holds, or undefined when it does.
 * After a shebang, a TypeScript or JavaScript file must open with a `//` or `/*` comment, a Python file
 * with a `#` comment or its module docstring; a tool's directive (`// eslint-disable`) does not count.
 */
export function headerProblem(text: string, name: string): string | undefined {
  const lines = text.split(/\r?\n/);
  const first = (lines[0].startsWith("#!") ? (lines[1] ?? "") : lines[0]).trim();
  const python = name.endsWith(".py");
  const comment = python ? /^(#|[rRuU]?("""|'''))/.test(first) : /^(\/\/|\/\*)/.test(first);
  if (comment && !TOOL_DIRECTIVE.test(first)) return undefined;
  const opening =
    first === "" ? "an empty line" : `\`${first.length > 60 ? `${first.slice(0, 57)}...` : first}\``;
  const expected = python ? "a `#` comment or docstring" : "a `//` or `/** */` comment";
  return `${name}: opens with ${opening}, not ${expected} saying what the file holds`;
}

/** Every source file of `folder` (relative to `root`), with forward slashes; node_modules and dot folders aside. */
export function sourceFilesUnder(root: string, folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && !entry.name.startsWith(".")) walk(rel);
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) {
        found.push(rel);
      }
    }
  };
  walk(folder);
  return found.sort();
}

/** The files the rule covers: every source file of {@link CHECKED_FOLDERS}, the tests and fixtures aside. */
export function headedFiles(root: string): string[] {
  return CHECKED_FOLDERS.flatMap((folder) => sourceFilesUnder(root, folder)).filter(
    (file) => !NOT_CHECKED.some((pattern) => pattern.test(file)),
  );
}

/** The problem of each file of `files` (relative to `root`) that opens with no header. */
function offenders(root: string, files: readonly string[]): string[] {
  return files.flatMap((file) => headerProblem(fs.readFileSync(path.join(root, file), "utf8"), file) ?? []);
}

describe("file headers", () => {
  it("finds a file that opens with an import, naming the file", () => {
    expect(headerProblem('import * as fs from "fs";\n', "scripts/foo.ts")).to.equal(
      'scripts/foo.ts: opens with `import * as fs from "fs";`, not a `//` or `/** */` comment saying what the file holds',
    );
  });

  it("takes a `//` line, a JSDoc block or a one-line `/** */`, after a shebang too", () => {
    expect(headerProblem("// The clock.\nimport x from 'y';\n", "a.ts")).to.equal(undefined);
    expect(headerProblem("/**\n * The clock.\n */\nexport const x = 1;\n", "a.ts")).to.equal(undefined);
    expect(headerProblem("/** The clock. */\n", "a.ts")).to.equal(undefined);
    expect(headerProblem('#!/usr/bin/env node\n// Runs the CLI.\n"use strict";\n', "dr.js")).to.equal(
      undefined,
    );
  });

  it("wants the line before anything else: a directive, an empty line, a tool's comment or nothing fail", () => {
    expect(headerProblem('"use strict";\n// Runs the CLI.\n', "bin/dr.js")).to.match(
      /^bin\/dr\.js: opens with `"use strict";`/,
    );
    expect(headerProblem('#!/usr/bin/env node\n"use strict";\n', "dr.js")).to.match(
      /^dr\.js: opens with `"use strict";`/,
    );
    expect(headerProblem("\n// The clock.\n", "a.ts")).to.match(/^a\.ts: opens with an empty line/);
    expect(headerProblem("/* eslint-disable */\n", "a.ts")).to.match(
      /^a\.ts: opens with `\/\* eslint-disable \*\/`/,
    );
    expect(headerProblem("// @ts-nocheck\n", "a.ts")).to.match(/^a\.ts: /);
    expect(headerProblem("", "empty.ts")).to.match(/^empty\.ts: opens with an empty line/);
  });

  it("takes a Python file's `#` line or module docstring after its shebang, not its imports", () => {
    expect(headerProblem("#!/usr/bin/env python3\n# The health endpoint.\nimport os\n", "s.py")).to.equal(
      undefined,
    );
    expect(headerProblem('#!/usr/bin/env python3\n"""The health endpoint."""\n', "s.py")).to.equal(undefined);
    expect(headerProblem("import os\n", "stacks/s.py")).to.equal(
      "stacks/s.py: opens with `import os`, not a `#` comment or docstring saying what the file holds",
    );
    expect(headerProblem("// not Python\n", "s.py")).to.match(/^s\.py: /);
  });

  it("shortens a long first line in the message", () => {
    const problem = headerProblem(`export const x = "${"a".repeat(100)}";\n`, "a.ts") ?? "";
    expect(problem).to.contain("...`");
    expect(problem.length).to.be.lessThan(160);
  });

  it("covers the sources of scripts/, stacks/, components/src/, bench/ and test/, not the tests or fixtures", () => {
    const files = headedFiles(ROOT);
    expect(files.length, "files covered").to.be.greaterThan(150);
    for (const file of [
      "scripts/cli.ts",
      "scripts/bin/restorekit-dr.js",
      "scripts/bin/dr.js",
      "stacks/health_server.py",
      "components/src/index.ts",
      "bench/plan.ts",
      "test/helpers/mockEngine.ts",
    ]) {
      expect(files).to.include(file);
    }
    expect(
      files.filter((file) => file.endsWith(".test.ts") || file.startsWith("test/fixtures/")),
    ).to.deep.equal([]);
  });

  it("every source file opens with a line saying what it holds", () => {
    expect(offenders(ROOT, headedFiles(ROOT))).to.deep.equal([]);
  });
});
