import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PackageSpec, Property, Resource } from "@pulumi/pulumi/provider/experimental/schema";
import {
  analyzeComponentPackage,
  buildComponents,
  COMPONENT_TOKEN,
  COMPONENTS_DIR,
  GOLDEN_SCHEMA,
  goldenText,
  readComponentPackageJson,
  readGoldenSchema,
  stageComponentPackage,
} from "./componentPackage";
import { RunningPlugin, startPlugin } from "./pluginLauncher";

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

  it("is the reviewed golden schema (npm run schema:update rewrites it; review the diff)", () => {
    const golden = fs.readFileSync(GOLDEN_SCHEMA, "utf8");
    expect(goldenText(schema), `${GOLDEN_SCHEMA} is out of date: run npm run schema:update`).to.equal(golden);
  });

  it("states the default of every optional input in its description, which other languages show", () => {
    const optionalWithout: string[] = [];
    const visit = (owner: string, properties: Record<string, Property> = {}, required: string[] = []) => {
      for (const [name, property] of Object.entries(properties)) {
        if (!required.includes(name) && !/Default: /.test(property.description ?? "")) {
          optionalWithout.push(`${owner}.${name}`);
        }
      }
    };
    visit("BackupRestoreDR", component.inputProperties, component.requiredInputs);
    // Object types used as inputs (the posture output types are outputs: their unset fields mean "none").
    const outputTypes = new Set([
      "DrPosture",
      "RegionPosture",
      "LockPosture",
      "RtoForecast",
      "ForecastRestore",
    ]);
    for (const [token, type] of Object.entries(schema.types)) {
      const name = token.split(":").pop()!;
      if (type.type === "object" && !outputTypes.has(name)) visit(name, type.properties, type.required);
    }
    expect(optionalWithout).to.deep.equal([]);
  });

  it("keeps no @default tag in the sources: the analyzer drops tags, so defaults go in the text", () => {
    const tagged = (
      fs.readdirSync(path.join(COMPONENTS_DIR, "src"), { recursive: true, encoding: "utf8" }) as string[]
    )
      .filter((file) => file.endsWith(".ts"))
      .filter((file) => /@default\b/.test(fs.readFileSync(path.join(COMPONENTS_DIR, "src", file), "utf8")));
    expect(tagged).to.deep.equal([]);
  });

  describe("served by Pulumi's plugin launcher", () => {
    let workDir: string;
    let packageDir: string;
    let plugin: RunningPlugin | undefined;

    before(async () => {
      workDir = fs.mkdtempSync(path.join(os.tmpdir(), "restorekit-plugin-"));
      packageDir = stageComponentPackage(workDir);
      // The launcher loads package.json `main`, the compiled library.
      await buildComponents(packageDir);
    });

    after(async () => {
      await plugin?.stop();
      if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    });

    it("starts from the package folder, as `pulumi package add` runs it, and answers GetSchema", async () => {
      plugin = await startPlugin(packageDir, workDir);
      const served = await plugin.getSchema();
      expect(served).to.deep.equal(readGoldenSchema());
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
