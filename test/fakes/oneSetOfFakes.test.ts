// Holds test/ and bench/ to one set of fakes: one stack fake, one virtual clock, CliDeps built only by testDeps.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { sourceFiles } from "../helpers/imports";

const ROOT = path.join(__dirname, "..", "..");
/** The methods a class has when it is a stack (scripts/dependencies.ts StackHandle) or a clock (scripts/clock.ts). */
const SHAPES: Record<string, readonly string[]> = {
  StackHandle: ["outputs", "getConfig", "setConfig", "removeConfig", "up"],
  Clock: ["now", "sleep"],
};
/** The one class of each kind test/ and bench/ may hold. */
const THE_FAKES: readonly string[] = [
  "test/fakes/fakeStack.ts: class FakeDrStack is a StackHandle",
  "test/fakes/virtualClock.ts: class VirtualClock is a Clock",
];
/** The one module that may spell out the CLI's dependencies. */
const TEST_DEPS = "test/fakes/deps.ts";

/** The names of `node`'s members that are methods or function-valued properties. */
function memberNames(node: ts.ClassLikeDeclaration): Set<string> {
  return new Set(
    node.members.flatMap((member) =>
      (ts.isMethodDeclaration(member) || ts.isPropertyDeclaration(member)) && member.name
        ? [member.name.getText()]
        : [],
    ),
  );
}

/**
 * Each class of `text` that is a stack or a clock (it says it implements StackHandle or Clock, or has
 * their methods), as `<file>: class <name> is a <kind>`.
 */
export function stackAndClockClasses(text: string, fileName = "file.ts"): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const implemented = (node.heritageClauses ?? []).flatMap((clause) =>
        clause.types.map((type) => type.expression.getText().split(".").pop() ?? ""),
      );
      const members = memberNames(node);
      for (const [kind, methods] of Object.entries(SHAPES)) {
        if (implemented.includes(kind) || methods.every((method) => members.has(method))) {
          found.push(`${fileName}: class ${node.name?.getText() ?? "(anonymous)"} is a ${kind}`);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Whether `type` names CliDeps (`CliDeps`, `context.CliDeps`). */
function isCliDeps(type: ts.TypeNode | undefined): boolean {
  return (
    type !== undefined &&
    ts.isTypeReferenceNode(type) &&
    type.typeName.getText().split(".").pop() === "CliDeps"
  );
}

/**
 * Each object literal of `text` typed as the CLI's dependencies (`const deps: CliDeps = {`, a property
 * `deps: CliDeps = {`, `{ ... } as CliDeps`, `{ ... } satisfies CliDeps`), with its line.
 */
export function cliDepsLiterals(text: string, fileName = "file.ts"): string[] {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const at = (node: ts.Node) => `${fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node): void => {
    if (
      (ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) &&
      isCliDeps(node.type) &&
      node.initializer !== undefined &&
      ts.isObjectLiteralExpression(node.initializer)
    ) {
      found.push(`${at(node)}: a CliDeps literal; build it with testDeps(overrides) (${TEST_DEPS})`);
    }
    if (
      (ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) &&
      isCliDeps(node.type) &&
      ts.isObjectLiteralExpression(node.expression)
    ) {
      found.push(`${at(node)}: a CliDeps literal; build it with testDeps(overrides) (${TEST_DEPS})`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** test/'s and bench/'s source files, relative to the repository root. */
function testAndBenchFiles(): string[] {
  return ["test", "bench"].flatMap((dir) => sourceFiles(ROOT, dir));
}

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

describe("one set of fakes for tests and benches", () => {
  it("finds a class that is a stack or a clock, by what it says it implements or by its methods", () => {
    const text = [
      "class BenchStack implements StackHandle {}",
      "class Scaled implements deps.Clock, Other {}",
      "class Quiet {",
      "  now(): number { return 0; }",
      "  sleep = async () => undefined;",
      "}",
      "class Wrapper {",
      "  outputs = () => x; getConfig = () => x; setConfig = () => x; removeConfig = () => x;",
      "  async up() {}",
      "}",
      "const made = class implements StackHandle {};",
      "class NotAClock { now() { return 0; } }",
    ].join("\n");
    expect(stackAndClockClasses(text)).to.deep.equal([
      "file.ts: class BenchStack is a StackHandle",
      "file.ts: class Scaled is a Clock",
      "file.ts: class Quiet is a Clock",
      "file.ts: class Wrapper is a StackHandle",
      "file.ts: class (anonymous) is a StackHandle",
    ]);
  });

  it("test/ and bench/ hold one stack fake and one virtual clock, no other class of either kind", () => {
    const classes = testAndBenchFiles().flatMap((file) => stackAndClockClasses(read(file), file));
    expect(classes).to.deep.equal(THE_FAKES);
  });

  it("finds an object literal typed as CliDeps, however it is typed", () => {
    const text = [
      "const deps: CliDeps = {",
      "  stdout,",
      "};",
      "class H { readonly deps: context.CliDeps = { clock }; }",
      "run({ stdout } as CliDeps);",
      "const checked = { stdout } satisfies CliDeps;",
      "const built: CliDeps = testDeps({ stdout });",
      "const partial: Partial<CliDeps> = { stdout };",
    ].join("\n");
    expect(cliDepsLiterals(text)).to.deep.equal([
      `file.ts:1: a CliDeps literal; build it with testDeps(overrides) (${TEST_DEPS})`,
      `file.ts:4: a CliDeps literal; build it with testDeps(overrides) (${TEST_DEPS})`,
      `file.ts:5: a CliDeps literal; build it with testDeps(overrides) (${TEST_DEPS})`,
      `file.ts:6: a CliDeps literal; build it with testDeps(overrides) (${TEST_DEPS})`,
    ]);
  });

  it(`test/ and bench/ build the CLI's dependencies only with testDeps (${TEST_DEPS})`, () => {
    const literals = testAndBenchFiles()
      .filter((file) => file !== TEST_DEPS)
      .flatMap((file) => cliDepsLiterals(read(file), file));
    expect(literals).to.deep.equal([]);
  });
});
