// What ships (scripts/, stacks/, components/src) imports only what its package.json declares: no devDependency, no
// package that is only another package's dependency, nothing from test/ or bench/.
import { expect } from "chai";
import { builtinModules } from "module";
import * as fs from "fs";
import * as path from "path";
import { importSpecifiers, sourceFiles } from "./helpers/imports";

const ROOT = path.join(__dirname, "..");
/** The folders whose files a user runs or deploys, with the package.json files whose devDependencies they may not import. */
const SHIPPED: ReadonlyArray<{ readonly dir: string; readonly manifests: readonly string[] }> = [
  { dir: "scripts", manifests: ["package.json"] },
  { dir: "stacks", manifests: ["package.json"] },
  { dir: "components/src", manifests: ["package.json", "components/package.json"] },
];
/** Folders only the tests and benchmarks use. */
const NOT_SHIPPED = ["test", "bench"];

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

type Manifest = Partial<
  Record<"dependencies" | "peerDependencies" | "optionalDependencies" | "devDependencies", object>
>;

/** The packages a package.json names under `fields` (none when the file does not exist). */
function named(manifest: string, fields: ReadonlyArray<keyof Manifest>): string[] {
  const file = path.join(ROOT, manifest);
  if (!fs.existsSync(file)) return [];
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
  return fields.flatMap((field) => Object.keys(json[field] ?? {}));
}

const devDependencies = (manifest: string): string[] => named(manifest, ["devDependencies"]);
/** What an install of the package brings for its own code to import. */
const declared = (manifest: string): string[] =>
  named(manifest, ["dependencies", "peerDependencies", "optionalDependencies"]);

/**
 * Each bare import of `text` (the file `file`) naming a package `declaredDeps` does not hold: it resolves here
 * only because another package depends on it, and breaks when that one drops or moves it.
 */
export function undeclaredImports(text: string, file: string, declaredDeps: readonly string[]): string[] {
  return importSpecifiers(text, file).flatMap((specifier) => {
    if (specifier.startsWith(".") || specifier.startsWith("node:")) return [];
    const name = packageOf(specifier);
    if (builtinModules.includes(name) || declaredDeps.includes(name)) return [];
    return [`${file} imports ${specifier}: ${name} is not among its package.json's dependencies`];
  });
}

/**
 * Each import of `text` (the file `file`, relative to the root) that a shipped file may not make: a package of
 * `devDeps`, or a relative path into {@link NOT_SHIPPED}; one line per import, saying why.
 */
export function forbiddenImports(text: string, file: string, devDeps: readonly string[]): string[] {
  return importSpecifiers(text, file).flatMap((specifier) => {
    if (specifier.startsWith(".")) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      const folder = NOT_SHIPPED.find((dir) => target === dir || target.startsWith(`${dir}/`));
      return folder ? [`${file} imports ${specifier}, under ${folder}/, which does not ship`] : [];
    }
    const name = packageOf(specifier);
    return devDeps.includes(name)
      ? [`${file} imports ${specifier}: ${name} is a devDependency, absent where the command is installed`]
      : [];
  });
}

describe("shipped code imports no devDependency", () => {
  it("names a devDependency import, a type-only one too, and an import from test/", () => {
    const text = [
      'import { mockClient } from "aws-sdk-client-mock";',
      'import type { Suite } from "mocha";',
      'import { BackupClient } from "@aws-sdk/client-backup";',
      'import { expect } from "chai/lib/chai";',
      'import { Harness } from "../../test/fakes/harness";',
      'import { model } from "./backupModel";',
    ].join("\n");
    expect(
      forbiddenImports(text, "scripts/simulation/x.ts", ["aws-sdk-client-mock", "mocha", "chai"]),
    ).to.deep.equal([
      "scripts/simulation/x.ts imports aws-sdk-client-mock: aws-sdk-client-mock is a devDependency, absent where the command is installed",
      "scripts/simulation/x.ts imports mocha: mocha is a devDependency, absent where the command is installed",
      "scripts/simulation/x.ts imports chai/lib/chai: chai is a devDependency, absent where the command is installed",
      "scripts/simulation/x.ts imports ../../test/fakes/harness, under test/, which does not ship",
    ]);
  });

  it("holds for every file under scripts/, stacks/ and components/src", () => {
    expect(devDependencies("package.json"), "the root package.json's devDependencies").to.include(
      "aws-sdk-client-mock",
    );
    const found = SHIPPED.flatMap(({ dir, manifests }) => {
      const devDeps = manifests.flatMap(devDependencies);
      return sourceFiles(ROOT, dir).flatMap((file) =>
        forbiddenImports(fs.readFileSync(path.join(ROOT, file), "utf8"), file, devDeps),
      );
    });
    expect(found).to.deep.equal([]);
  });

  it("names an import of a package that is only another package's dependency", () => {
    const text = [
      'import { ECSClient } from "@aws-sdk/client-ecs";',
      'import * as fs from "fs";',
      'import { once } from "node:events";',
      'import { BackupClient } from "@aws-sdk/client-backup";',
      'import * as sub from "@pulumi/pulumi/runtime";',
    ].join("\n");
    expect(
      undeclaredImports(text, "scripts/x.ts", ["@aws-sdk/client-backup", "@pulumi/pulumi"]),
    ).to.deep.equal([
      "scripts/x.ts imports @aws-sdk/client-ecs: @aws-sdk/client-ecs is not among its package.json's dependencies",
    ]);
  });

  it("every package a shipped file imports is declared by its package.json", () => {
    // The component is a package of its own: only its package.json counts for it.
    const found = SHIPPED.flatMap(({ dir, manifests }) => {
      const deps = declared(manifests[manifests.length - 1]);
      return sourceFiles(ROOT, dir).flatMap((file) =>
        undeclaredImports(fs.readFileSync(path.join(ROOT, file), "utf8"), file, deps),
      );
    });
    expect(found).to.deep.equal([]);
  });
});
