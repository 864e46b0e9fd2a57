import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  COMPONENTS_DIR,
  ComponentPackageJson,
  PackResult,
  parsePackJson,
  readComponentPackageJson,
  run,
  stageComponentPackage,
} from "./componentPackage";

/** The project's address, the same in package.json, the README and the repository root's package.json. */
const PROJECT_URL = "https://github.com/restorekit/backup-restore-dr";

/**
 * What the package may ship: the compiled library, its declarations, the docs, and what
 * `pulumi package add ./node_modules/@restorekit/backup-restore-dr` reads the schema from (the TypeScript
 * sources, tsconfig.json and PulumiPlugin.yaml).
 */
const ALLOWED = [
  /^bin\/.+\.js$/,
  /^bin\/.+\.d\.ts$/,
  /^src\/.+\.ts$/,
  /^tsconfig\.json$/,
  /^PulumiPlugin\.yaml$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE$/,
  /^package\.json$/,
];

/** Credentials that must never be published. */
const SECRET_PATTERNS: [string, RegExp][] = [
  ["an AWS access key id", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ["a PEM block (private key or certificate)", /-----BEGIN [A-Z ]+-----/],
  ["an npm access token", /\bnpm_[A-Za-z0-9]{36}\b/],
  // `${NPM_TOKEN}` in the README's .npmrc example is a reference to the environment, not a token.
  ["an npm auth token setting", /_authToken\s*=\s*(?!\$\{)\S/],
  ["an AWS secret access key setting", /aws_secret_access_key\s*=/i],
];

/** Packed size above which something was included by mistake (the package is about 90 kB). */
const PACKED_SIZE_BUDGET = 200_000;

function sourcesUnder(dir: string, prefix = ""): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return sourcesUnder(dir, relative);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [relative] : [];
  });
}

describe("package: npm pack contents of @restorekit/backup-restore-dr", function () {
  // `npm pack` runs prepack, which rebuilds the component.
  this.timeout(120_000);

  let workDir: string;
  let packageDir: string;
  let packed: PackResult;
  let paths: string[];
  let pkg: ComponentPackageJson;

  before(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "restorekit-pack-"));
    packageDir = stageComponentPackage(workDir);
    const pack = await run("npm", ["pack", "--dry-run", "--json"], { cwd: packageDir });
    packed = parsePackJson(pack.stdout);
    paths = packed.files.map((file) => file.path).sort();
    pkg = readComponentPackageJson();
    console.log(
      `      ${packed.filename}: ${(packed.size / 1024).toFixed(1)} kB packed, ` +
        `${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked, ${paths.length} files`,
    );
  });

  after(() => {
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("ships only the built library, its declarations, its sources for the schema, the docs and package.json", () => {
    expect(paths.filter((p) => !ALLOWED.some((pattern) => pattern.test(p)))).to.deep.equal([]);
    expect(paths).to.include.members([
      "bin/index.js",
      "bin/index.d.ts",
      "README.md",
      "CHANGELOG.md",
      "LICENSE",
      "package.json",
      "PulumiPlugin.yaml",
      "tsconfig.json",
      "src/index.ts",
    ]);
  });

  it("ships every TypeScript source the schema is read from, and no tests or source maps", () => {
    expect(
      paths.filter((p) => /(^|\/)(test|tests|__tests__|fixtures)\/|\.(test|spec)\./.test(p)),
    ).to.deep.equal([]);
    expect(
      paths.filter((p) => p.endsWith(".ts") && !p.endsWith(".d.ts") && !p.startsWith("bin/")),
    ).to.have.members(sourcesUnder(path.join(packageDir, "src")).map((source) => `src/${source}`));
    expect(paths.filter((p) => p.endsWith(".map"))).to.deep.equal([]);
  });

  it("has no sourceMappingURL comment pointing to a file that is not in the package", () => {
    const dangling = paths.flatMap((file) => {
      if (!/\.(js|d\.ts)$/.test(file)) return [];
      const text = fs.readFileSync(path.join(packageDir, file), "utf8");
      return [...text.matchAll(/^\/\/# sourceMappingURL=(\S+)\s*$/gm)]
        .map((match) => path.posix.join(path.posix.dirname(file), match[1]))
        .filter((map) => !paths.includes(map))
        .map((map) => `${file} -> ${map}`);
    });
    expect(dangling).to.deep.equal([]);
  });

  it("ships exactly the compiled form of every source file, nothing stale from an older build", () => {
    const expected = sourcesUnder(path.join(packageDir, "src")).flatMap((source) => {
      const base = `bin/${source.replace(/\.ts$/, "")}`;
      return [`${base}.js`, `${base}.d.ts`];
    });
    expect(paths.filter((p) => p.startsWith("bin/"))).to.have.members(expected);
  });

  it("contains no credentials", () => {
    const leaks = paths.flatMap((file) => {
      const text = fs.readFileSync(path.join(packageDir, file), "utf8");
      return SECRET_PATTERNS.filter(([, pattern]) => pattern.test(text)).map(([what]) => `${file}: ${what}`);
    });
    expect(leaks).to.deep.equal([]);
  });

  it("stays small", () => {
    expect(packed.size).to.be.below(PACKED_SIZE_BUDGET);
  });

  it("declares a scoped, versioned, public package whose entry points are in the tarball", () => {
    expect(pkg.name).to.equal("@restorekit/backup-restore-dr");
    expect(pkg.version).to.match(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    expect(pkg.license).to.equal("Apache-2.0");
    expect(pkg.publishConfig?.access).to.equal("public");
    expect(pkg.engines.node).to.be.a("string");
    const root = pkg.exports["."] as Record<string, string>;
    for (const entry of [pkg.main, pkg.types, root.types, root.default]) {
      expect(paths, entry).to.include(entry.replace(/^\.\//, ""));
    }
  });

  it("takes the Pulumi SDK and the AWS provider from the program, as peer dependencies, and asks for no TypeScript", () => {
    expect(Object.keys(pkg.peerDependencies)).to.have.members(["@pulumi/pulumi", "@pulumi/aws"]);
    expect(pkg.dependencies ?? {}).to.not.have.any.keys("@pulumi/pulumi", "@pulumi/aws", "typescript");
    // Any `typescript` peer, even an optional one, makes npm place ts-node (an optional peer of
    // @pulumi/pulumi) with its own peer, TypeScript 7, which @pulumi/pulumi does not accept (< 7): ERESOLVE
    // in a JavaScript project and under --strict-peer-deps. The launcher reads the schema with the
    // `typescript` @pulumi/pulumi resolves, or the TypeScript it bundles.
    expect(pkg.peerDependenciesMeta ?? {}).to.deep.equal({});
  });

  it("says where the project is: repository (provenance needs it), homepage, bugs and keywords", () => {
    expect(pkg.repository).to.deep.equal({
      type: "git",
      url: `git+${PROJECT_URL}.git`,
      directory: "components",
    });
    expect(pkg.homepage).to.equal(`${PROJECT_URL}/tree/main/components#readme`);
    expect(pkg.bugs).to.deep.equal({ url: `${PROJECT_URL}/issues` });
    expect(pkg.keywords).to.include.members(["pulumi", "aws", "disaster-recovery"]);
    const readme = fs.readFileSync(path.join(packageDir, "README.md"), "utf8");
    expect(readme).to.contain(`pulumi package add ${PROJECT_URL.replace(/^https:\/\//, "")}/components@v`);
    expect(readme).to.not.contain("<org>");
    const root = JSON.parse(fs.readFileSync(path.join(COMPONENTS_DIR, "..", "package.json"), "utf8"));
    expect(root.repository.url).to.equal(pkg.repository!.url);
  });

  it("builds with tsc when packed", () => {
    expect(pkg.scripts.prepack).to.contain("npm run build");
    expect(pkg.scripts.build).to.match(/^tsc\b/);
  });
});
