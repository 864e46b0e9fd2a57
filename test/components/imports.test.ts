import { expect } from "chai";
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import { importCircles, importGraph, importSpecifiers, sourceFiles } from "../helpers/imports";

const SRC = path.join(__dirname, "..", "..", "components", "src");

/** Packages the component may import: its peer dependencies. Everything else is a relative import in src/. */
const ALLOWED_PACKAGES = ["@pulumi/pulumi", "@pulumi/aws"];

describe("components/src imports", () => {
  it("finds the circles of a graph, and none in a graph without", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts", "d.ts"]],
      ["d.ts", []],
      ["e.ts", ["e.ts"]],
    ]);
    expect(importCircles(graph)).to.deep.equal([["a.ts", "b.ts", "c.ts"], ["e.ts"]]);
    expect(
      importCircles(
        new Map([
          ["a.ts", ["b.ts"]],
          ["b.ts", []],
        ]),
      ),
    ).to.deep.equal([]);
  });

  it("reads type-only, re-export, require and dynamic imports", () => {
    const text = [
      'import type { A } from "./a";',
      'import { type B } from "./b";',
      'export * from "./c";',
      'export { D } from "./d";',
      'import e = require("./e");',
      'const f = () => import("./f");',
      'import * as pulumi from "@pulumi/pulumi";',
    ].join("\n");
    expect(importSpecifiers(text)).to.deep.equal([
      "./a",
      "./b",
      "./c",
      "./d",
      "./e",
      "./f",
      "@pulumi/pulumi",
    ]);
  });

  it("has no import circle, type-only imports included", () => {
    expect(importCircles(importGraph(SRC, sourceFiles(SRC)))).to.deep.equal([]);
  });

  it("imports only its own files, Node's built-ins and its peer dependencies", () => {
    const outside = sourceFiles(SRC).flatMap((file) =>
      importSpecifiers(fs.readFileSync(path.join(SRC, file), "utf8"), file)
        .filter((specifier) => !specifier.startsWith("."))
        .filter((specifier) => !ALLOWED_PACKAGES.includes(specifier))
        .filter((specifier) => !builtinModules.includes(specifier.replace(/^node:/, "")))
        .map((specifier) => `${file}: ${specifier}`),
    );
    expect(outside).to.deep.equal([]);
  });
});
