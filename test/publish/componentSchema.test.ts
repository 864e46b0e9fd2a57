import { expect } from "chai";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { generateSchema, PackageSpec, Property, Resource } from "@pulumi/pulumi/provider/experimental/schema";
import {
  buildComponents,
  childEnv,
  COMPONENT_TOKEN,
  COMPONENTS_DIR,
  providerNameOf,
  readComponentPackageJson,
  REPO_NODE_MODULES,
  stageComponentPackage,
} from "./componentPackage";

/** The schema Pulumi generates for the package, the way the plugin host does it, but in this process. */
function analyzeComponentPackage(): PackageSpec {
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

/** The type a property refers to, by its `#/types/<token>` reference. */
function referencedType(schema: PackageSpec, property: Property | undefined) {
  const ref = property && "$ref" in property ? property.$ref : undefined;
  expect(ref, "a reference to a type").to.match(/^#\/types\//);
  const type = schema.types[ref!.replace("#/types/", "")];
  expect(type, ref).to.not.equal(undefined);
  return type;
}

describe("package: Pulumi component schema of BackupRestoreDR", function () {
  // The analyzer type-checks the whole component with the TypeScript compiler.
  this.timeout(120_000);

  let schema: PackageSpec;
  let component: Resource;

  before(() => {
    schema = analyzeComponentPackage();
    component = schema.resources[COMPONENT_TOKEN];
  });

  it("names the package after the type token the component registers", () => {
    expect(schema.name).to.equal("backup-restore-dr");
    expect(schema.namespace).to.equal("restorekit");
    expect(schema.version).to.equal(readComponentPackageJson().version);
    expect(Object.keys(schema.resources)).to.deep.equal([COMPONENT_TOKEN]);
    expect(component.isComponent).to.equal(true);
    expect(component.description).to.contain("Backup-and-restore disaster recovery for AWS");
  });

  it("has every argument as an input, required as in TypeScript, documented from the JSDoc", () => {
    expect(Object.keys(component.inputProperties ?? {})).to.include.members([
      "primaryRegion",
      "drRegion",
      "vaults",
      "plan",
      "selection",
      "replication",
      "objectives",
      "monitoring",
      "restoreTesting",
      "retainOnDelete",
      "tags",
    ]);
    expect(component.requiredInputs).to.deep.equal(["drRegion", "plan", "primaryRegion", "selection"]);
    const inputs = component.inputProperties!;
    expect(inputs.primaryRegion).to.include({ type: "string" });
    expect(inputs.retainOnDelete).to.include({ type: "boolean" });
    expect(inputs.tags).to.deep.include({ type: "object", additionalProperties: { type: "string" } });
    expect(inputs.drRegion.description).to.contain("must differ from `primaryRegion`");
  });

  it("describes the plan down to each rule's lifecycle and copy to DR", () => {
    const plan = referencedType(schema, component.inputProperties!.plan);
    expect(plan.required).to.deep.equal(["rules"]);
    const rule = referencedType(schema, plan.properties!.rules.items);
    expect(Object.keys(rule.properties!)).to.have.members([
      "name",
      "schedule",
      "scheduleTimezone",
      "startWindowMinutes",
      "completionWindowMinutes",
      "lifecycle",
      "enableContinuousBackup",
      "recoveryPointTags",
      "copyToDr",
    ]);
    expect(rule.required).to.deep.equal(["lifecycle", "name"]);
    const lifecycle = referencedType(schema, rule.properties!.lifecycle);
    expect(lifecycle.required).to.deep.equal(["deleteAfterDays"]);
    const copy = referencedType(schema, rule.properties!.copyToDr);
    expect(referencedType(schema, copy.properties!.lifecycle)).to.equal(lifecycle);
  });

  it("turns the literal unions into enums other languages can name", () => {
    const objectives = referencedType(schema, component.inputProperties!.objectives);
    const enforcement = referencedType(schema, objectives.properties!.enforcement);
    expect(enforcement.enum?.map((member) => member.value)).to.deep.equal(["error", "warn"]);
    const restoreTesting = referencedType(schema, component.inputProperties!.restoreTesting);
    const selection = referencedType(schema, restoreTesting.properties!.selections.items);
    const resourceType = referencedType(schema, selection.properties!.resourceType);
    expect(resourceType.enum?.map((member) => member.value)).to.include.members([
      "RDS",
      "DynamoDB",
      "EFS",
      "S3",
    ]);
  });

  it("has every public output, with the posture as an object type", () => {
    expect(Object.keys(component.properties ?? {})).to.include.members([
      "primaryVaultName",
      "primaryVaultArn",
      "drVaultName",
      "drVaultArn",
      "primaryKeyArn",
      "drKeyArn",
      "planId",
      "planArn",
      "selectionId",
      "backupRoleArn",
      "posture",
      "alertTopicArns",
      "restoreTestingPlanName",
      "replicaBucketNames",
      "replicaBucketArns",
    ]);
    const outputs = component.properties!;
    expect(outputs.replicaBucketNames).to.deep.include({ type: "array", items: { type: "string" } });
    expect(component.required).to.not.include("restoreTestingPlanName");
    const posture = referencedType(schema, outputs.posture);
    expect(Object.keys(posture.properties!)).to.include.members(["primary", "dr", "replicatedBuckets"]);
    const region = referencedType(schema, posture.properties!.primary);
    expect(Object.keys(region.properties!)).to.include.members([
      "region",
      "worstCaseRpoMinutes",
      "rpoArithmetic",
    ]);
  });

  describe("served by Pulumi's plugin launcher", () => {
    let workDir: string;
    let packageDir: string;
    let plugin: ChildProcess | undefined;
    let stderr = "";

    before(async () => {
      workDir = fs.mkdtempSync(path.join(os.tmpdir(), "restorekit-plugin-"));
      packageDir = stageComponentPackage(workDir);
      // The launcher loads package.json `main`, the compiled library.
      await buildComponents(packageDir);
    });

    after(async () => {
      if (plugin && plugin.exitCode === null && plugin.signalCode === null) {
        const exited = new Promise((resolve) => plugin!.once("exit", resolve));
        plugin.kill("SIGKILL");
        await exited;
      }
      if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    });

    it("starts from the package folder, as `pulumi package add` runs it, and answers GetSchema", async () => {
      const pulumiDir = path.join(REPO_NODE_MODULES, "@pulumi", "pulumi");
      plugin = spawn(process.execPath, [path.join(pulumiDir, "cmd", "run-plugin"), packageDir], {
        cwd: packageDir,
        env: childEnv(),
        stdio: ["ignore", "pipe", "pipe"],
      });
      plugin.stderr!.on("data", (chunk) => (stderr += chunk));
      const port = await new Promise<string>((resolve, reject) => {
        let stdout = "";
        plugin!.stdout!.on("data", (chunk) => {
          stdout += chunk;
          const line = /^(\d+)\s*$/m.exec(stdout);
          if (line) resolve(line[1]);
        });
        plugin!.once("exit", (code) =>
          reject(new Error(`plugin exited with ${code}:\n${stdout}\n${stderr}`)),
        );
      });

      // The SDK's own gRPC stubs, so the client speaks the same protocol version as the host.
      /* eslint-disable @typescript-eslint/no-require-imports */
      const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
      const services = require(path.join(pulumiDir, "proto", "provider_grpc_pb"));
      const messages = require(path.join(pulumiDir, "proto", "provider_pb"));
      /* eslint-enable @typescript-eslint/no-require-imports */
      const client = new services.ResourceProviderClient(
        `127.0.0.1:${port}`,
        grpc.credentials.createInsecure(),
      );
      const served: PackageSpec = await new Promise((resolve, reject) =>
        client.getSchema(
          new messages.GetSchemaRequest(),
          (err: Error | null, response: { getSchema(): string }) =>
            err ? reject(err) : resolve(JSON.parse(response.getSchema())),
        ),
      );
      client.close();

      expect(served.name).to.equal("backup-restore-dr");
      expect(served.namespace).to.equal("restorekit");
      expect(served.resources).to.deep.equal(schema.resources);
      expect(served.types).to.deep.equal(schema.types);
    });

    it("is not started by importing the package", () => {
      // The library only defines things; hosting is the launcher's job.
      const hosting = fs
        .readdirSync(path.join(packageDir, "bin"), { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".js"))
        .filter((file) =>
          /componentProviderHost|provider\/experimental/.test(
            fs.readFileSync(path.join(packageDir, "bin", file), "utf8"),
          ),
        );
      expect(hosting).to.deep.equal([]);
    });
  });
});
