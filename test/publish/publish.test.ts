import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ConsumerResult, Registered } from "../fixtures/consumer";
import {
  COMPONENT_TOKEN,
  PackResult,
  readComponentPackageJson,
  readGoldenSchema,
  REPO_NODE_MODULES,
  run,
} from "./componentPackage";
import { RunningPlugin, startPlugin } from "./pluginLauncher";
import { publishComponent } from "./publishComponent";
import { LocalRegistry, startLocalRegistry } from "./verdaccio";

const FIXTURE_DIR = path.resolve(__dirname, "..", "fixtures", "consumer");
const RESULT_MARKER = "CONSUMER_RESULT ";

/** The version of a package installed in this repository, so the consumer gets the same one. */
function repoVersionOf(name: string): string {
  return JSON.parse(fs.readFileSync(path.join(REPO_NODE_MODULES, name, "package.json"), "utf8")).version;
}

/** The one registration of `type`, failing with the list of what was registered otherwise. */
function onlyOfType(registered: Registered[], type: string): Registered {
  const found = registered.filter((r) => r.type === type);
  expect(found, `registrations of ${type} among ${registered.map((r) => r.type).join(", ")}`).to.have.length(
    1,
  );
  return found[0];
}

describe("package: publish @restorekit/backup-restore-dr through a registry and install it", function () {
  // Packing builds the component, and the consumer installs the Pulumi SDK and the AWS provider.
  this.timeout(300_000);

  let workDir: string;
  let registry: LocalRegistry | undefined;
  let packed: PackResult;
  let consumerDir: string;
  let result: ConsumerResult;
  let plugin: RunningPlugin | undefined;
  let started: number;

  before(async () => {
    started = Date.now();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "restorekit-publish-"));
    registry = await startLocalRegistry(path.join(workDir, "registry"));
  });

  after(async () => {
    await plugin?.stop();
    await registry?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    console.log(`      publish round trip took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it("packs the component (prepack builds it) and publishes the tarball", async () => {
    // In a folder of its own: staging links node_modules to the repository's, which the installs beside it
    // must not see.
    packed = await publishComponent(registry!, path.join(workDir, "publish"));
    expect(packed.name).to.equal("@restorekit/backup-restore-dr");
    expect(packed.files.map((f) => f.path)).to.include("bin/index.js");

    const metadata = (await (await fetch(`${registry!.url}@restorekit%2fbackup-restore-dr`)).json()) as {
      "dist-tags": Record<string, string>;
      versions: Record<string, { dist: { integrity: string } }>;
    };
    const { version } = readComponentPackageJson();
    expect(metadata["dist-tags"].latest).to.equal(version);
    expect(metadata.versions[version].dist.integrity).to.equal(packed.integrity);
  });

  it("installs into a fresh project: the component from the registry, everything else from npm", async () => {
    expect(packed, "the package was published").to.not.equal(undefined);
    consumerDir = path.join(workDir, "consumer");
    fs.mkdirSync(consumerDir);
    for (const file of ["index.ts", "tsconfig.json"]) {
      fs.copyFileSync(path.join(FIXTURE_DIR, file), path.join(consumerDir, file));
    }
    fs.writeFileSync(
      path.join(consumerDir, "package.json"),
      JSON.stringify({ name: "restorekit-consumer", version: "0.0.0", private: true }, null, 2),
    );
    // Only the scope comes from the local registry; the default registry serves the rest.
    fs.writeFileSync(path.join(consumerDir, ".npmrc"), `@restorekit:registry=${registry!.url}\n`);
    await run(
      "npm",
      [
        "install",
        "@restorekit/backup-restore-dr",
        `@pulumi/pulumi@${repoVersionOf("@pulumi/pulumi")}`,
        `@pulumi/aws@${repoVersionOf("@pulumi/aws")}`,
        // A TypeScript program's own compiler (`pulumi new aws-typescript` names TypeScript 5): the
        // component does not ask for one.
        `typescript@${repoVersionOf("typescript")}`,
        "@types/node@20",
        "--no-audit",
        "--no-fund",
      ],
      { cwd: consumerDir },
    );

    const lock = JSON.parse(fs.readFileSync(path.join(consumerDir, "package-lock.json"), "utf8"));
    const installed = lock.packages["node_modules/@restorekit/backup-restore-dr"];
    expect(installed.integrity, "the installed tarball is the one packed here").to.equal(packed.integrity);
    expect(
      Object.keys(lock.packages).filter((key) =>
        /backup-restore-dr\/node_modules\/(@pulumi\/|typescript)/.test(key),
      ),
      "the component uses the program's Pulumi SDK and AWS provider (peer dependencies) and TypeScript, not copies",
    ).to.deep.equal([]);
    const typescript = lock.packages["node_modules/typescript"];
    expect(typescript, "TypeScript installed beside @pulumi/pulumi").to.not.equal(undefined);
    expect(typescript.version).to.match(/^5\./);
  });

  it("serves the full schema from node_modules through the plugin launcher, as `pulumi package add` starts it", async () => {
    expect(consumerDir, "the consumer was installed").to.not.equal(undefined);
    const packageDir = path.join(consumerDir, "node_modules", "@restorekit", "backup-restore-dr");
    plugin = await startPlugin(packageDir, consumerDir);
    expect(plugin.pulumiDir, "the launcher is the project's Pulumi SDK").to.equal(
      path.join(consumerDir, "node_modules", "@pulumi", "pulumi"),
    );
    expect(await plugin.getSchema()).to.deep.equal(readGoldenSchema());
    await plugin.stop();
  });

  it("compiles a consumer program with tsc against the published types", async () => {
    expect(consumerDir, "the consumer was installed").to.not.equal(undefined);
    await run(process.execPath, [path.join("node_modules", "typescript", "bin", "tsc"), "-p", "."], {
      cwd: consumerDir,
    });
    expect(fs.existsSync(path.join(consumerDir, "bin", "index.js"))).to.equal(true);
  });

  it("runs the consumer program on the Pulumi mock engine", async () => {
    expect(
      fs.existsSync(path.join(consumerDir ?? "", "bin", "index.js")),
      "the consumer was compiled",
    ).to.equal(true);
    const program = await run(process.execPath, [path.join("bin", "index.js")], { cwd: consumerDir });
    const line = program.stdout.split("\n").find((l) => l.startsWith(RESULT_MARKER));
    expect(line, `result line in:\n${program.stdout}\n${program.stderr}`).to.be.a("string");
    result = JSON.parse(line!.slice(RESULT_MARKER.length));

    expect(result.componentPackageDir).to.equal(
      path.join(fs.realpathSync(consumerDir), "node_modules", "@restorekit", "backup-restore-dr"),
    );
    expect(result.sharesPulumiSdk, "one copy of @pulumi/pulumi in the program").to.equal(true);
  });

  it("registered the component, its vault pair and the plan that copies to the DR vault", () => {
    expect(result, "the consumer ran").to.not.equal(undefined);
    const { registered } = result;
    onlyOfType(registered, COMPONENT_TOKEN);
    const vaults = registered.filter((r) => r.type === "aws:backup/vault:Vault");
    expect(vaults.map((v) => v.inputs.region)).to.have.members(["us-east-1", "us-west-2"]);
    expect(registered.filter((r) => r.type === "aws:kms/key:Key")).to.have.length(2);
    onlyOfType(registered, "aws:backup/selection:Selection");

    expect(result.drVaultArn).to.match(/^arn:aws:backup:us-west-2:123456789012:backup-vault:/);
    const plan = onlyOfType(registered, "aws:backup/plan:Plan");
    expect(plan.inputs.region).to.equal("us-east-1");
    const rules = plan.inputs.rules as { ruleName: string; copyActions: { destinationVaultArn: string }[] }[];
    expect(rules.map((rule) => rule.ruleName)).to.deep.equal(["daily-backup", "hourly-backup"]);
    expect(rules[0].copyActions.map((copy) => copy.destinationVaultArn)).to.deep.equal([result.drVaultArn]);
    expect(rules[1].copyActions).to.deep.equal([]);
  });
});
