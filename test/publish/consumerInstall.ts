// Installs the published component into a fresh folder the way a Pulumi user would, with npm, pnpm or yarn.
import * as fs from "fs";
import * as path from "path";
import { readComponentPackageJson, run, RunResult } from "./componentPackage";

/** The package managers a Pulumi project uses; pnpm and yarn come from the npm registry through npx. */
export type PackageManager = "npm" | "pnpm" | "yarn";

/**
 * What the folder holds before the component is added: a project as `pulumi new aws-javascript` makes it
 * (@pulumi/pulumi and @pulumi/aws, no TypeScript anywhere), as `pulumi new aws-typescript` makes it (the
 * same with typescript@^5 and @types/node), or nothing (the README's install command names the peers).
 */
export type ProjectKind = "javascript" | "typescript" | "empty";

/** Which @pulumi/pulumi and @pulumi/aws: the registry's latest, or the lowest the component's peer ranges admit. */
export type PeerVersions = "newest" | "lowest";

/** One install of the matrix. */
export interface InstallCase {
  readonly manager: PackageManager;
  readonly project: ProjectKind;
  readonly peers: PeerVersions;
  /** Peer conflicts fail the install: npm `--strict-peer-deps`, pnpm `strict-peer-dependencies`. Default false. */
  readonly strictPeers?: boolean;
}

/** The versions of pnpm and yarn the matrix runs (yarn 1 is the `yarn` package on npm; it has no strict peers). */
const PNPM = "pnpm@10";
const YARN = "yarn@1";

/** The package's name. */
export const PACKAGE_NAME = "@restorekit/backup-restore-dr";

/** A short name for a case, for test titles and folder names. */
export function caseName(c: InstallCase): string {
  return `${c.manager} ${c.project} ${c.peers}${c.strictPeers ? " strict-peers" : ""}`;
}

/** A package's metadata on the public registry: its versions with their engines, and the latest. */
interface RegistryPackage {
  readonly "dist-tags": { latest: string };
  readonly versions: Record<string, { engines?: { node?: string } }>;
}

async function registryPackage(name: string): Promise<RegistryPackage> {
  const response = await fetch(`https://registry.npmjs.org/${name.replace("/", "%2f")}`);
  if (!response.ok) throw new Error(`registry.npmjs.org answered ${response.status} for ${name}`);
  return (await response.json()) as RegistryPackage;
}

/**
 * The lowest published release a caret range admits (for `^7.0.0` that is 7.2.0: @pulumi/aws 7.0.0 and
 * 7.1.0 are not on the registry). Other ranges are an error.
 */
export async function lowestPublished(name: string, range: string): Promise<string> {
  const match = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (!match)
    throw new Error(`peer range ${range} of ${name} is not a caret range: lowestPublished needs one`);
  const floor = match.slice(1).map(Number);
  const admitted = Object.keys((await registryPackage(name)).versions)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v))
    .map((v) => v.split(".").map(Number))
    .filter((v) => v[0] === floor[0] && (v[1] > floor[1] || (v[1] === floor[1] && v[2] >= floor[2])))
    .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  if (admitted.length === 0) throw new Error(`no release of ${name} on the registry is in ${range}`);
  return admitted[0].join(".");
}

/**
 * `@pulumi/pulumi` and `@pulumi/aws` for the case: unpinned for the newest (as `pulumi new` adds them), the
 * lowest published releases the component's peer ranges admit otherwise.
 */
async function peerSpecs(peers: PeerVersions): Promise<string[]> {
  const names = ["@pulumi/pulumi", "@pulumi/aws"];
  if (peers === "newest") return names;
  const { peerDependencies } = readComponentPackageJson();
  return Promise.all(
    names.map(async (name) => `${name}@${await lowestPublished(name, peerDependencies[name])}`),
  );
}

/** The command line that adds `specs` to the project in the current folder. */
function addCommand(c: InstallCase, specs: string[]): [string, string[]] {
  switch (c.manager) {
    case "npm":
      return [
        "npm",
        ["install", ...specs, "--no-audit", "--no-fund", ...(c.strictPeers ? ["--strict-peer-deps"] : [])],
      ];
    case "pnpm":
      return [
        "npx",
        ["-y", PNPM, "add", ...specs, ...(c.strictPeers ? ["--config.strict-peer-dependencies=true"] : [])],
      ];
    case "yarn":
      if (c.strictPeers) throw new Error("yarn 1 has no strict peer dependencies");
      return ["npx", ["-y", YARN, "add", ...specs, "--non-interactive"]];
  }
}

/** What one case did: the folder, and each command with its output. */
export interface Installed {
  readonly dir: string;
  readonly steps: { command: string; result: RunResult }[];
}

/**
 * Makes `dir` (fresh, outside the repository) the case's project and adds the component to it, in two steps
 * as a user does: the project's own dependencies first, then the component. Only the `@restorekit` scope
 * comes from `registryUrl`; everything else from the public npm registry (yarn 1 is pointed at it too,
 * since its default is its own mirror). Fails with the output of the command that failed.
 */
export async function installCase(c: InstallCase, dir: string, registryUrl: string): Promise<Installed> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, ".npmrc"), `@restorekit:registry=${registryUrl}\n`);
  fs.writeFileSync(path.join(dir, ".yarnrc"), 'registry "https://registry.npmjs.org/"\n');
  const steps: Installed["steps"] = [];
  const step = async (specs: string[]) => {
    const [command, args] = addCommand(c, specs);
    const result = await run(command, args, { cwd: dir });
    steps.push({ command: `${command} ${args.join(" ")}`, result });
  };
  if (c.project === "empty") {
    // The README's command: the component and its peers, in a folder with nothing in it.
    await step([PACKAGE_NAME, ...(await peerSpecs(c.peers))]);
    return { dir, steps };
  }
  fs.writeFileSync(
    path.join(dir, "package.json"),
    `${JSON.stringify({ name: `consumer-${c.project}`, version: "0.0.0", private: true, main: "index.js" }, null, 2)}\n`,
  );
  await step([
    ...(await peerSpecs(c.peers)),
    ...(c.project === "typescript" ? ["typescript@^5", "@types/node@22"] : []),
  ]);
  await step([PACKAGE_NAME]);
  return { dir, steps };
}

/** The folder the component was installed into (pnpm links it from its store: the real path). */
export function installedPackageDir(projectDir: string): string {
  return fs.realpathSync(path.join(projectDir, "node_modules", ...PACKAGE_NAME.split("/")));
}

/**
 * Where `request` resolves for code in `dir`, or undefined where it does not, asked of a plain `node`
 * started there: the test process's own resolution is hooked by tsconfig-paths and finds the repository's
 * node_modules.
 */
export async function resolveFrom(dir: string, request: string): Promise<string | undefined> {
  const script = `try { console.log(require.resolve(${JSON.stringify(request)}, { paths: [process.cwd()] })) } catch {}`;
  const resolved = (await run(process.execPath, ["-e", script], { cwd: dir })).stdout.trim();
  return resolved || undefined;
}

/** The version of `name` that code in `fromDir` gets, and the (real) folder it comes from. */
export async function resolvedPackage(
  name: string,
  fromDir: string,
): Promise<{ version: string; dir: string }> {
  const manifest = await resolveFrom(fromDir, `${name}/package.json`);
  if (!manifest) throw new Error(`${name} does not resolve from ${fromDir}`);
  return {
    version: JSON.parse(fs.readFileSync(manifest, "utf8")).version,
    dir: fs.realpathSync(path.dirname(manifest)),
  };
}

/**
 * Copies the repository's files as a clone of it has them (tracked, and new files git does not ignore, so
 * uncommitted work is tested too) to `dir`, without node_modules or build output, and returns `dir`.
 */
export async function copyRepository(repoDir: string, dir: string): Promise<string> {
  const listed = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoDir,
  });
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    const source = path.join(repoDir, file);
    if (!fs.existsSync(source)) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(source, path.join(dir, file));
  }
  return dir;
}

/** The latest version of a package on the public registry, and the Node versions it declares. */
export async function latestOnRegistry(name: string): Promise<{ version: string; node?: string }> {
  const body = await registryPackage(name);
  const version = body["dist-tags"].latest;
  return { version, node: body.versions[version]?.engines?.node };
}
