// The import graph of source files, the specifiers a file imports, and the circles among them.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/** Every .ts file under `root`/`dir`, as paths relative to `root` with forward slashes. */
export function sourceFiles(root: string, dir = ""): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(root, relative);
    return entry.name.endsWith(".ts") ? [relative] : [];
  });
}

/** Resolves a relative specifier of `from` to a file in `files` (`./x` is `x.ts` or `x/index.ts`). */
function resolveRelative(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  return [`${base}.ts`, `${base}/index.ts`].find((candidate) => files.has(candidate));
}

/**
 * The import graph of `files` (relative to `root`): file -> files it imports. A relative import must
 * resolve to one of `files`; package imports are left out.
 */
export function importGraph(root: string, files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const specifiers = importSpecifiers(fs.readFileSync(path.join(root, file), "utf8"), file);
    graph.set(
      file,
      specifiers.flatMap((specifier) => {
        if (!specifier.startsWith(".")) return [];
        const target = resolveRelative(file, specifier, known);
        if (target === undefined)
          throw new Error(`${file} imports ${specifier}, which is not among the files read`);
        return [target];
      }),
    );
  }
  return graph;
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
