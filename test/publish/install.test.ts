// Installs the published component wherever a Pulumi user installs it, and gets its schema from each install.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { COMPONENTS_DIR, readComponentPackageJson, readGoldenSchema, run } from "./componentPackage";
import {
  caseName,
  copyRepository,
  InstallCase,
  installCase,
  installedPackageDir,
  latestOnRegistry,
  lowestPublished,
  PackageManager,
  PeerVersions,
  ProjectKind,
  resolvedPackage,
  resolveFrom,
} from "./consumerInstall";
import { RunningPlugin, startPlugin } from "./pluginLauncher";
import { publishComponent } from "./publishComponent";
import { LocalRegistry, startLocalRegistry } from "./verdaccio";

/**
 * `npm run test:install` (RESTOREKIT_INSTALL_MATRIX=1) runs every case: npm and pnpm with strict peers (a
 * strict install that passes passes without), yarn 1, into each kind of project, against the newest and the
 * lowest peer versions; `npm run test:install:node22` and `:node24` run it on those Node versions. The
 * default suite runs the case issue 20 was about, to keep its time down.
 */
const MATRIX = process.env.RESTOREKIT_INSTALL_MATRIX === "1";

const MANAGERS: PackageManager[] = ["npm", "pnpm", "yarn"];
const PROJECTS: ProjectKind[] = ["javascript", "typescript", "empty"];
const PEERS: PeerVersions[] = ["newest", "lowest"];

const CASES: InstallCase[] = MATRIX
  ? MANAGERS.flatMap((manager) =>
      PROJECTS.flatMap((project) =>
        PEERS.map((peers) => ({ manager, project, peers, strictPeers: manager !== "yarn" })),
      ),
    )
  : [{ manager: "npm", project: "javascript", peers: "newest", strictPeers: true }];

/** Whether this Node is in a `>=N` engines range (other forms are taken as satisfied). */
function nodeSatisfies(range: string | undefined): boolean {
  const match = /^>=\s*(\d+)(?:\.\d+)*$/.exec(range?.trim() ?? "");
  return !match || Number(process.versions.node.split(".")[0]) >= Number(match[1]);
}

describe(`package: install @restorekit/backup-restore-dr into fresh folders on Node ${process.versions.node}`, function () {
  // Each case downloads the Pulumi SDK and the AWS provider; the git route installs the workspace.
  this.timeout(600_000);

  let workDir: string;
  let registry: LocalRegistry | undefined;
  let plugin: RunningPlugin | undefined;
  let published = false;

  before(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "restorekit-install-"));
    registry = await startLocalRegistry(path.join(workDir, "registry"));
    // In a folder of its own: staging links node_modules to the repository's, which the installs beside it
    // must not see.
    await publishComponent(registry, path.join(workDir, "publish"));
    published = true;
  });

  afterEach(async () => {
    await plugin?.stop();
    plugin = undefined;
  });

  after(async () => {
    await registry?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  for (const c of CASES) {
    const name = caseName(c);
    let projectDir: string | undefined;

    it(`${name}: installs the component from the registry`, async () => {
      expect(published, "the package was published").to.equal(true);
      const dir = path.join(workDir, name.replace(/ /g, "-"));
      const installed = await installCase(c, dir, registry!.url);
      for (const { command, result } of installed.steps) {
        expect(`${result.stdout}\n${result.stderr}`, command).to.not.match(
          /ERESOLVE|ERR_PNPM_PEER_DEP_ISSUES/,
        );
      }
      projectDir = dir;
    });

    it(`${name}: one Pulumi SDK and one AWS provider, at the versions asked for, and no TypeScript added`, async () => {
      expect(projectDir, "the component was installed").to.be.a("string");
      const packageDir = installedPackageDir(projectDir!);
      const { peerDependencies } = readComponentPackageJson();
      for (const peer of ["@pulumi/pulumi", "@pulumi/aws"]) {
        const fromPackage = await resolvedPackage(peer, packageDir);
        expect(fromPackage.dir, `${peer} the component gets is the project's`).to.equal(
          (await resolvedPackage(peer, projectDir!)).dir,
        );
        if (c.peers === "lowest") {
          expect(fromPackage.version, peer).to.equal(await lowestPublished(peer, peerDependencies[peer]));
        } else {
          const latest = await latestOnRegistry(peer);
          // A package manager may pick an older release whose engines admit this Node.
          if (nodeSatisfies(latest.node)) expect(fromPackage.version, peer).to.equal(latest.version);
        }
      }
      if (c.project !== "typescript") {
        const sdkDir = (await resolvedPackage("@pulumi/pulumi", packageDir)).dir;
        expect(
          await resolveFrom(sdkDir, "typescript"),
          "the component makes no one install TypeScript",
        ).to.equal(undefined);
      }
    });

    it(`${name}: serves the schema over gRPC through the project's plugin launcher`, async () => {
      expect(projectDir, "the component was installed").to.be.a("string");
      plugin = await startPlugin(installedPackageDir(projectDir!), projectDir!);
      expect(plugin.pulumiDir).to.equal((await resolvedPackage("@pulumi/pulumi", projectDir!)).dir);
      expect(await plugin.getSchema()).to.deep.equal(readGoldenSchema());
    });
  }

  describe("the git route of `pulumi package add github.com/restorekit/backup-restore-dr/components@<tag>`", () => {
    let clone: string | undefined;

    it("npm install in components/ of a copy of the repository builds the component, not the program", async () => {
      const dir = await copyRepository(path.resolve(COMPONENTS_DIR, ".."), path.join(workDir, "clone"));
      const install = await run("npm", ["install", "--no-audit", "--no-fund"], {
        cwd: path.join(dir, "components"),
      });
      expect(
        fs.existsSync(path.join(dir, "components", "bin", "index.js")),
        "the component is built",
      ).to.equal(true);
      expect(fs.existsSync(path.join(dir, "bin")), "the program and the CLI are not compiled").to.equal(
        false,
      );
      expect(`${install.stdout}${install.stderr}`).to.contain("postinstall: built the component only;");
      clone = dir;
    });

    it("serves the schema over gRPC from the git folder", async () => {
      expect(clone, "the copy was installed").to.be.a("string");
      const userDir = path.join(workDir, "python-user");
      fs.mkdirSync(userDir);
      plugin = await startPlugin(path.join(clone!, "components"), userDir);
      expect(await plugin.getSchema()).to.deep.equal(readGoldenSchema());
    });
  });
});
