import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { SUPPORTED_RESOURCE_TYPES } from "../../scripts/recovery/resources/types";
import { importCircles, importGraph, sourceFiles } from "../helpers/imports";

const ROOT = path.join(__dirname, "..", "..");
/** The one folder of scripts/recovery/ that may name resource types: one module per type and the registry. */
const RESOURCES = "scripts/recovery/resources/";
/** What the pipelines share: the journal, the run lock, the restore run, the stack updates, the phase runner. */
const CORE = "scripts/recovery/core/";
/** The commands built on the core, each in its own folder: none imports another. */
const PIPELINES = {
  recover: "scripts/recovery/recover/",
  failback: "scripts/recovery/failback/",
  status: "scripts/recovery/status/",
} as const;
/** recover's and drill's phase folders (under PIPELINES.recover), in the order a run goes through them. */
const RECOVER_PHASES = ["preflight", "select", "start", "flip", "verify", "report"] as const;
/** The one module of recover/ that runs the phases, so may import any of them. */
const RECOVER_COMMAND = `${PIPELINES.recover}restoreCommand.ts`;

type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** The pipeline folder a file is in, or undefined outside every pipeline. */
function pipelineOf(file: string): string | undefined {
  return Object.values(PIPELINES).find((folder) => file.startsWith(folder));
}

/** Imports from `folder`'s files into any pipeline, each with `why`. */
function importsOfPipelines(graph: ImportGraph, folder: string, why: string): string[] {
  return [...graph].flatMap(([file, targets]) =>
    file.startsWith(folder)
      ? targets
          .filter((target) => pipelineOf(target) !== undefined)
          .map((target) => `${file} -> ${target}: ${why}`)
      : [],
  );
}

/** Imports of core/ into a pipeline (recover/, failback/, status/): the core serves them, never the other way. */
export function coreImportsOfPipelines(graph: ImportGraph): string[] {
  return importsOfPipelines(graph, CORE, "core/ imports no pipeline (recover/, failback/, status/)");
}

/** Imports of resources/ into a pipeline: the resource modules serve every pipeline through the core. */
export function resourceImportsOfPipelines(graph: ImportGraph): string[] {
  return importsOfPipelines(
    graph,
    RESOURCES,
    "resources/ imports no pipeline (recover/, failback/, status/)",
  );
}

/** Imports from one pipeline into another: what two of them need lives in core/. */
export function crossPipelineImports(graph: ImportGraph): string[] {
  return [...graph].flatMap(([file, targets]) => {
    const own = pipelineOf(file);
    return own === undefined
      ? []
      : targets
          .filter((target) => pipelineOf(target) !== undefined && pipelineOf(target) !== own)
          .map(
            (target) =>
              `${file} -> ${target}: a pipeline never imports another; move what both need to core/`,
          );
  });
}

/** The phase of recover/ a file belongs to (its index in RECOVER_PHASES), or undefined for the others. */
function phaseOf(file: string): number | undefined {
  const index = RECOVER_PHASES.findIndex((phase) => file.startsWith(`${PIPELINES.recover}${phase}/`));
  return index < 0 ? undefined : index;
}

/**
 * Imports of recover/ against phase order: a phase module imports its own phase and earlier ones only, a
 * module of no phase (options.ts) none, and only the command (restoreCommand.ts) runs them all.
 */
export function phaseOrderViolations(graph: ImportGraph): string[] {
  return [...graph].flatMap(([file, targets]) => {
    if (!file.startsWith(PIPELINES.recover) || file === RECOVER_COMMAND) return [];
    const own = phaseOf(file);
    return targets.flatMap((target) => {
      const phase = phaseOf(target);
      if (phase === undefined || (own !== undefined && phase <= own)) return [];
      return [
        own === undefined
          ? `${file} -> ${target}: only ${RECOVER_COMMAND} imports the phases`
          : `${file} -> ${target}: phase ${RECOVER_PHASES[own]} imports the later phase ${RECOVER_PHASES[phase]}`,
      ];
    });
  });
}

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

/** The import graph of scripts/ and what it imports (stacks/, the component), read once per test. */
function scriptsGraph(): Map<string, string[]> {
  return importGraph(
    ROOT,
    ["scripts", "stacks", "components/src"].flatMap((dir) => sourceFiles(ROOT, dir)),
  );
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

  describe("the recovery's layers: core/ under the pipelines, resources/ beside it, phases in order", () => {
    const R = "scripts/recovery";
    it("finds core/ importing a pipeline", () => {
      const graph = new Map([
        [`${R}/core/journal.ts`, [`${R}/recover/select/select.ts`, `${R}/core/naming.ts`]],
        [`${R}/core/naming.ts`, [`${R}/failback/journal.ts`, `${R}/status/status.ts`]],
        [`${R}/recover/flip/flip.ts`, [`${R}/core/journal.ts`]],
      ]);
      expect(coreImportsOfPipelines(graph)).to.deep.equal([
        `${R}/core/journal.ts -> ${R}/recover/select/select.ts: core/ imports no pipeline (recover/, failback/, status/)`,
        `${R}/core/naming.ts -> ${R}/failback/journal.ts: core/ imports no pipeline (recover/, failback/, status/)`,
        `${R}/core/naming.ts -> ${R}/status/status.ts: core/ imports no pipeline (recover/, failback/, status/)`,
      ]);
    });

    it("core/ imports no pipeline", () => {
      expect(coreImportsOfPipelines(scriptsGraph())).to.deep.equal([]);
    });

    it("finds a pipeline importing another", () => {
      const graph = new Map([
        [
          `${R}/failback/run.ts`,
          [`${R}/recover/verify/verify.ts`, `${R}/failback/journal.ts`, `${R}/core/cleanup.ts`],
        ],
        [`${R}/status/staleProd.ts`, [`${R}/failback/prodServers.ts`]],
        [`${R}/recover/restoreCommand.ts`, [`${R}/recover/flip/flip.ts`]],
      ]);
      expect(crossPipelineImports(graph)).to.deep.equal([
        `${R}/failback/run.ts -> ${R}/recover/verify/verify.ts: a pipeline never imports another; move what both need to core/`,
        `${R}/status/staleProd.ts -> ${R}/failback/prodServers.ts: a pipeline never imports another; move what both need to core/`,
      ]);
    });

    it("the pipelines (recover/, failback/, status/) never import each other", () => {
      expect(crossPipelineImports(scriptsGraph())).to.deep.equal([]);
    });

    it("finds a phase module importing a later phase, and a module of no phase importing one", () => {
      const graph = new Map([
        [`${R}/recover/select/select.ts`, [`${R}/recover/flip/flip.ts`, `${R}/recover/preflight/input.ts`]],
        [`${R}/recover/flip/flip.ts`, [`${R}/recover/start/begin.ts`, `${R}/recover/flip/other.ts`]],
        [`${R}/recover/options.ts`, [`${R}/recover/start/begin.ts`]],
        [`${R}/recover/restoreCommand.ts`, [`${R}/recover/report/outcome.ts`]],
      ]);
      expect(phaseOrderViolations(graph)).to.deep.equal([
        `${R}/recover/select/select.ts -> ${R}/recover/flip/flip.ts: phase select imports the later phase flip`,
        `${R}/recover/options.ts -> ${R}/recover/start/begin.ts: only ${R}/recover/restoreCommand.ts imports the phases`,
      ]);
    });

    it(`recover's phase modules import only earlier phases (${RECOVER_PHASES.join(", ")})`, () => {
      expect(phaseOrderViolations(scriptsGraph())).to.deep.equal([]);
    });

    it("finds resources/ importing a pipeline", () => {
      const graph = new Map([
        [`${RESOURCES}credential.ts`, [`${R}/recover/options.ts`, `${R}/core/journal.ts`]],
      ]);
      expect(resourceImportsOfPipelines(graph)).to.deep.equal([
        `${RESOURCES}credential.ts -> ${R}/recover/options.ts: resources/ imports no pipeline (recover/, failback/, status/)`,
      ]);
    });

    it("resources/ imports no pipeline", () => {
      expect(resourceImportsOfPipelines(scriptsGraph())).to.deep.equal([]);
    });
  });
});
