import { expect } from "chai";
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";
import * as ts from "typescript";

const SRC = path.join(__dirname, "..", "..", "components", "src");

/** Packages the component may import: its peer dependencies. Everything else is a relative import in src/. */
const ALLOWED_PACKAGES = ["@pulumi/pulumi", "@pulumi/aws"];

/** Every .ts file under `dir`, as paths relative to `SRC` with forward slashes. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith(".ts") ? [path.relative(SRC, full).split(path.sep).join("/")] : [];
  });
}

/**
 * The module specifiers a file imports: import and export declarations (type-only ones too: a circle of
 * types is still two modules that cannot be understood apart), `import x = require()` and `import()`.
 */
export function importSpecifiers(text: string, fileName = "file.ts"): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) found.push(expression.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Resolves a relative specifier of `from` to a file in `files` (`./x` is `x.ts` or `x/index.ts`). */
function resolveRelative(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  return [`${base}.ts`, `${base}/index.ts`].find((candidate) => files.has(candidate));
}

/** The import graph of src/: file -> files it imports. */
function importGraph(): Map<string, string[]> {
  const files = new Set(sourceFiles(SRC));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const specifiers = importSpecifiers(fs.readFileSync(path.join(SRC, file), "utf8"), file);
    graph.set(
      file,
      specifiers.flatMap((specifier) => {
        if (!specifier.startsWith(".")) return [];
        const target = resolveRelative(file, specifier, files);
        if (target === undefined)
          throw new Error(`${file} imports ${specifier}, which is not in components/src`);
        return [target];
      }),
    );
  }
  return graph;
}

/** Every elementary circle's shortest witness, one per strongly connected component (Tarjan). */
export function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    const selfImport = (graph.get(node) ?? []).includes(node);
    if (component.length > 1 || selfImport) circles.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
  return circles;
}

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
    expect(importCircles(importGraph())).to.deep.equal([]);
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
