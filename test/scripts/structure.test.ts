import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { SUPPORTED_RESOURCE_TYPES } from "../../scripts/recovery/resources/types";
import { importCircles, importGraph, sourceFiles } from "../helpers/imports";

const ROOT = path.join(__dirname, "..", "..");
/** The one folder of scripts/recovery/ that may name resource types: one module per type and the registry. */
const RESOURCES = "scripts/recovery/resources/";

/**
 * Each string literal of `text` that is exactly a resource type name the CLI restores, in any case
 * (`"RDS"`, `"dynamodb"`), with its line: outside the resource modules, such a literal is a switch over
 * resource types (`case "RDS":`, `type === "EBS"`, `["RDS", "Aurora"].includes(type)`).
 */
export function resourceTypeLiterals(text: string, fileName = "file.ts"): string[] {
  const names = new Set(SUPPORTED_RESOURCE_TYPES.map((t) => t.toLowerCase()));
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) &&
      names.has(node.text.toLowerCase())
    ) {
      const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      found.push(`${fileName}:${line}: "${node.text}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe("scripts/ structure", () => {
  it("finds a switch over resource type strings, however it is written", () => {
    const text = [
      "switch (type) {",
      '  case "RDS":',
      "    break;",
      "}",
      'const named = point.resourceType !== "EBS";',
      "const db = [`Aurora`].includes(type);",
      'const flag = "--only dynamodb";',
      'const meta = { note: "RDS restores take long" };',
    ].join("\n");
    expect(resourceTypeLiterals(text)).to.deep.equal([
      'file.ts:2: "RDS"',
      'file.ts:5: "EBS"',
      'file.ts:6: "Aurora"',
    ]);
  });

  it("names resource types only in the resource modules: no switch over them elsewhere in scripts/recovery", () => {
    const outside = sourceFiles(ROOT, "scripts/recovery")
      .filter((file) => !file.startsWith(RESOURCES))
      .flatMap((file) => resourceTypeLiterals(fs.readFileSync(path.join(ROOT, file), "utf8"), file));
    expect(outside).to.deep.equal([]);
  });

  it("has no import circle anywhere in scripts/, stacks/ or the component, type-only imports included", () => {
    const files = ["scripts", "stacks", "components/src"].flatMap((dir) => sourceFiles(ROOT, dir));
    expect(importCircles(importGraph(ROOT, files))).to.deep.equal([]);
  });

  it("imports only down the layers: stacks/ never imports scripts/, components/src neither", () => {
    const files = ["scripts", "stacks", "components/src"].flatMap((dir) => sourceFiles(ROOT, dir));
    const layer = (file: string) =>
      ["components/src", "stacks", "scripts"].findIndex((l) => file.startsWith(`${l}/`));
    const upward = [...importGraph(ROOT, files)].flatMap(([file, targets]) =>
      targets.filter((target) => layer(target) > layer(file)).map((target) => `${file} -> ${target}`),
    );
    expect(upward).to.deep.equal([]);
  });
});
