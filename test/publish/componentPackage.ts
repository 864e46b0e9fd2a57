// The component package for the publish tests: its folder, package.json, pack, build, schema.
import { spawn, SpawnOptions } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { generateSchema, PackageSpec } from "@pulumi/pulumi/provider/experimental/schema";

/** The component package's folder: what `npm pack` packs and what `pulumi package add` points at. */
export const COMPONENTS_DIR = path.resolve(__dirname, "..", "..", "components");

/** The repository's own node_modules, where verdaccio, TypeScript and the Pulumi SDK are installed. */
export const REPO_NODE_MODULES = path.resolve(__dirname, "..", "..", "node_modules");

/** The Pulumi type token of the component. */
export const COMPONENT_TOKEN = "backup-restore-dr:index:BackupRestoreDR";

/**
 * The schema other languages see, as reviewed: `npm run schema:update` rewrites it from the sources, and
 * the tests fail while the sources and this file differ.
 */
export const GOLDEN_SCHEMA = path.resolve(__dirname, "golden", "backup-restore-dr.schema.json");

/** The component package's package.json, as it is on disk now. */
export interface ComponentPackageJson {
  name: string;
  version: string;
  description: string;
  license: string;
  main: string;
  types: string;
  exports: Record<string, string | Record<string, string>>;
  files: string[];
  engines: Record<string, string>;
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  repository?: { type: string; url: string; directory?: string };
  homepage?: string;
  bugs?: { url: string };
  keywords?: string[];
  publishConfig?: Record<string, string>;
}

export function readComponentPackageJson(): ComponentPackageJson {
  return JSON.parse(fs.readFileSync(path.join(COMPONENTS_DIR, "package.json"), "utf8"));
}

/** The provider name Pulumi's plugin launcher derives from the package name (the scope is the namespace). */
export function providerNameOf(packageName: string): { name: string; namespace?: string } {
  const match = /^(@(.*?)\/)?(.+)$/.exec(packageName);
  if (!match) throw new Error(`not a package name: ${packageName}`);
  return { name: match[3].replace(/[^-a-zA-Z0-9_]/g, "-"), namespace: match[2] };
}

/** What one child process did. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment for npm and node child processes: this process's environment without what npm sets for
 * the script that started the tests (`npm test` in the repository), which would otherwise leak the
 * repository's package into a child npm run in another folder. User-level npm settings (cache, registry
 * mirrors, CA files) stay.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    const fromScript =
      lower.startsWith("npm_package_") ||
      lower.startsWith("npm_lifecycle_") ||
      lower === "npm_config_local_prefix" ||
      lower === "npm_config_workspace" ||
      lower === "npm_config_workspaces" ||
      lower === "init_cwd";
    if (!fromScript) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs a command to completion, collecting its output; fails with that output unless `allowFailure`. */
export function run(
  command: string,
  args: string[],
  options: SpawnOptions & { allowFailure?: boolean } = {},
): Promise<RunResult> {
  const { allowFailure, ...spawnOptions } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: childEnv(),
      ...spawnOptions,
      stdio: ["ignore", "pipe", "pipe"],
      // npm is npm.cmd on Windows.
      shell: process.platform === "win32",
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => (stdout += chunk));
    child.stderr?.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      const result = { code, stdout, stderr };
      if (code !== 0 && !allowFailure) {
        reject(
          new Error(
            `${command} ${args.join(" ")} (in ${spawnOptions.cwd ?? process.cwd()}) exited with ${code}\n` +
              `--- stdout\n${stdout.slice(-4000)}\n--- stderr\n${stderr.slice(-4000)}`,
          ),
        );
      } else {
        resolve(result);
      }
    });
  });
}

/** One file in `npm pack --json` output. */
export interface PackedFile {
  readonly path: string;
  readonly size: number;
}

/** `npm pack --json` output for one package. */
export interface PackResult {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly integrity: string;
  readonly filename: string;
  readonly files: PackedFile[];
}

/** Parses `npm pack --json`; lifecycle scripts may print before the JSON array. */
export function parsePackJson(stdout: string): PackResult {
  const start = stdout.search(/^\[/m);
  if (start < 0) throw new Error(`no JSON in npm pack output:\n${stdout}`);
  const results = JSON.parse(stdout.slice(start)) as PackResult[];
  if (results.length !== 1) throw new Error(`expected one packed package, got ${results.length}`);
  return results[0];
}

/**
 * Copies the component package folder (without its build output) to `<dir>/components`, with
 * `<dir>/node_modules` linked to the repository's, and returns the copy's path. Packing and building the
 * copy leaves the working tree's components/bin alone, so these tests neither disturb nor are disturbed by
 * a build or another test run in the same checkout.
 */
export function stageComponentPackage(dir: string): string {
  const staged = path.join(dir, "components");
  fs.cpSync(COMPONENTS_DIR, staged, {
    recursive: true,
    filter: (source) =>
      !["bin", "node_modules"].includes(path.relative(COMPONENTS_DIR, source).split(path.sep)[0]),
  });
  fs.symlinkSync(REPO_NODE_MODULES, path.join(dir, "node_modules"), "junction");
  return staged;
}

/** Builds a component package folder into its bin/, as the repository's postinstall does. */
export async function buildComponents(componentsDir: string): Promise<void> {
  await run("npm", ["run", "build", "--silent"], { cwd: componentsDir });
}

/** The schema Pulumi generates for the package, the way the plugin host does it, but in this process. */
export function analyzeComponentPackage(): PackageSpec {
  const pkg = readComponentPackageJson();
  const { name, namespace } = providerNameOf(pkg.name);
  const analyzer = new Analyzer(COMPONENTS_DIR, name, pkg, new Set(["BackupRestoreDR"]));
  const { components, typeDefinitions, dependencies } = analyzer.analyze();
  return generateSchema(
    name,
    pkg.version,
    pkg.description,
    components,
    typeDefinitions,
    dependencies,
    namespace,
  );
}

/** The golden schema, parsed. */
export function readGoldenSchema(): PackageSpec {
  return JSON.parse(fs.readFileSync(GOLDEN_SCHEMA, "utf8"));
}

/** The golden file's text for a schema: sorted by nothing but the analyzer's order, two-space JSON. */
export function goldenText(schema: PackageSpec): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
