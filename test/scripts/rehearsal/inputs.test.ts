import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseSpeed } from "../../../scripts/rehearsal/command";
import { RehearsalEstate, readEstate, recoveryPoints } from "../../../scripts/rehearsal/estate";
import { assertIsolated, rehearsalEnvironment } from "../../../scripts/rehearsal/isolation";
import { checkPassthrough } from "../../../scripts/rehearsal/rehearse";
import { DrError } from "../../../scripts/errors";
import {
  BUILT_IN_SCENARIOS,
  Scenario,
  checkScenarioResources,
  loadScenario,
  matchResources,
  parseScenario,
} from "../../../scripts/rehearsal/scenarios";

const ROOT = path.resolve(__dirname, "..", "..", "..");

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected an error");
};

const valid = { name: "my-drill", description: "A drill." };

describe("dr rehearse: scenario validation", () => {
  const cases: Array<[string, unknown, string]> = [
    ["a list", [], "scenario test: must be an object with at least 'name' and 'description'"],
    [
      "an unknown field",
      { ...valid, speed: 2 },
      "scenario test: unknown field 'speed' (fields: name, description, primary, throttleEvery, interruptAt, restores, newestPoints, failbackBackups, drVaultWiped)",
    ],
    ["no name", { description: "x" }, "scenario test: name is required"],
    ["an empty name", { ...valid, name: "" }, 'scenario test: name "" must be a non-empty string'],
    [
      "a name with capitals",
      { ...valid, name: "My Drill" },
      'scenario test: name "My Drill" must be lower-case letters, digits and single hyphens',
    ],
    ["no description", { name: "x" }, "scenario test: description is required"],
    [
      "a primary that is neither",
      { ...valid, primary: "slow" },
      'scenario test: primary "slow" must be one of down, answers',
    ],
    [
      "throttleEvery 1",
      { ...valid, throttleEvery: 1 },
      "scenario test: throttleEvery 1 must be a whole number of at least 2",
    ],
    [
      "throttleEvery 2.5",
      { ...valid, throttleEvery: 2.5 },
      "scenario test: throttleEvery 2.5 must be a whole number of at least 2",
    ],
    [
      "interruptAt 1",
      { ...valid, interruptAt: 1 },
      "scenario test: interruptAt 1 must be a number between 0 and 1 (a fraction of the longest restore)",
    ],
    [
      "interruptAt as text",
      { ...valid, interruptAt: "half" },
      'scenario test: interruptAt "half" must be a number between 0 and 1 (a fraction of the longest restore)',
    ],
    [
      "an interruption of a refused run",
      { ...valid, primary: "answers", interruptAt: 0.5 },
      "scenario test: interruptAt cannot be combined with primary 'answers': that run is refused before any restore starts",
    ],
    [
      "restores not a list",
      { ...valid, restores: { resource: "RDS" } },
      "scenario test: restores must be a list",
    ],
    [
      "a restore not an object",
      { ...valid, restores: ["RDS"] },
      "scenario test: restores[0] must be an object with a 'resource' field",
    ],
    [
      "a restore without resource",
      { ...valid, restores: [{ outcome: "FAILED" }] },
      "scenario test: restores[0].resource is required",
    ],
    [
      "an unknown restore field",
      { ...valid, restores: [{ resource: "RDS", fails: true }] },
      "scenario test: unknown field 'restores[0].fails' (fields: resource, cause, outcome, message, minutes)",
    ],
    [
      "an unknown outcome",
      { ...valid, restores: [{ resource: "RDS", outcome: "FAIL" }] },
      'scenario test: restores[0].outcome "FAIL" must be one of COMPLETED, FAILED, ABORTED',
    ],
    [
      "a restore cause that is not one of the failure classes",
      { ...valid, restores: [{ resource: "RDS", cause: "disk" }] },
      'scenario test: restores[0].cause "disk" must be one of kms, name-conflict, capacity, quota, transient',
    ],
    [
      "zero minutes",
      { ...valid, restores: [{ resource: "RDS", minutes: 0 }] },
      "scenario test: restores[0].minutes 0 must be a positive number",
    ],
    [
      "an empty message",
      { ...valid, restores: [{ resource: "RDS", message: " " }] },
      'scenario test: restores[0].message " " must be a non-empty string',
    ],
    [
      "an unknown point status",
      { ...valid, newestPoints: [{ resource: "S3", status: "BROKEN" }] },
      'scenario test: newestPoints[0].status "BROKEN" must be one of PARTIAL, EXPIRED, DELETING, CREATING',
    ],
    [
      "failback backups not a list",
      { ...valid, failbackBackups: { resource: "RDS" } },
      "scenario test: failbackBackups must be a list",
    ],
    [
      "a failback backup without resource",
      { ...valid, failbackBackups: [{ outcome: "FAILED" }] },
      "scenario test: failbackBackups[0].resource is required",
    ],
    [
      "a failback backup that completes",
      { ...valid, failbackBackups: [{ resource: "RDS", outcome: "COMPLETED" }] },
      'scenario test: failbackBackups[0].outcome "COMPLETED" must be one of FAILED, ABORTED',
    ],
    [
      "an unknown failback backup field",
      { ...valid, failbackBackups: [{ resource: "RDS", minutes: 3 }] },
      "scenario test: unknown field 'failbackBackups[0].minutes' (fields: resource, outcome, message)",
    ],
    [
      "an unknown point field",
      { ...valid, newestPoints: [{ resource: "S3", age: 3 }] },
      "scenario test: unknown field 'newestPoints[0].age' (fields: resource, status, message)",
    ],
  ];
  for (const [what, value, expected] of cases) {
    it(`rejects ${what}`, () => {
      expect(message(() => parseScenario(value, "test"))).to.equal(expected);
    });
  }

  it("reports every problem at once, each naming the field, the value and the rule (exit 2)", () => {
    let error: unknown;
    try {
      parseScenario(
        {
          name: "My Drill",
          primary: "slow",
          throttleEvery: 1,
          speed: 2,
          restores: [{ outcome: "FAIL", minutes: 0, fails: true }, "RDS"],
          newestPoints: [{ resource: "S3", status: "BROKEN" }],
          failbackBackups: { resource: "RDS" },
        },
        "file bad.yaml",
      );
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(DrError);
    expect((error as DrError).exitCode).to.equal(2);
    expect((error as DrError).message.split("\n")).to.deep.equal([
      "scenario file bad.yaml: unknown field 'speed' (fields: name, description, primary, throttleEvery, interruptAt, restores, newestPoints, failbackBackups, drVaultWiped)",
      'scenario file bad.yaml: name "My Drill" must be lower-case letters, digits and single hyphens',
      "scenario file bad.yaml: description is required",
      'scenario file bad.yaml: primary "slow" must be one of down, answers',
      "scenario file bad.yaml: throttleEvery 1 must be a whole number of at least 2",
      "scenario file bad.yaml: unknown field 'restores[0].fails' (fields: resource, cause, outcome, message, minutes)",
      "scenario file bad.yaml: restores[0].resource is required",
      'scenario file bad.yaml: restores[0].outcome "FAIL" must be one of COMPLETED, FAILED, ABORTED',
      "scenario file bad.yaml: restores[0].minutes 0 must be a positive number",
      "scenario file bad.yaml: restores[1] must be an object with a 'resource' field",
      'scenario file bad.yaml: newestPoints[0].status "BROKEN" must be one of PARTIAL, EXPIRED, DELETING, CREATING',
      "scenario file bad.yaml: failbackBackups must be a list",
    ]);
  });

  it("accepts every built-in scenario", () => {
    for (const scenario of BUILT_IN_SCENARIOS) {
      expect(parseScenario(scenario, scenario.name).name).to.equal(scenario.name);
    }
  });

  describe("files", () => {
    let dir: string;
    beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-scenario-"))));
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);

    it("reads a built-in name, a YAML file and a JSON file", () => {
      expect(loadScenario("throttling", dir).throttleEvery).to.equal(3);
      write(
        "s.yaml",
        "name: slow-db\ndescription: Slow.\nrestores:\n  - resource: app-db\n    minutes: 120\n",
      );
      expect(loadScenario("s.yaml", dir).restores).to.deep.equal([
        { resource: "app-db", outcome: undefined, message: undefined, minutes: 120 },
      ]);
      write("s.json", JSON.stringify({ ...valid, primary: "answers" }));
      expect(loadScenario("s.json", dir).primary).to.equal("answers");
    });

    it("names the built-in scenarios when the argument is neither one nor a file", () => {
      expect(message(() => loadScenario("al-fine", dir))).to.equal(
        "--scenario 'al-fine' is neither a built-in scenario (all-fine, restore-fails, restore-name-conflict, restore-capacity, restore-quota, restore-transient, partial-point, throttling, interrupt-resume, primary-answers, vault-wiped, failback-backup-fails) nor a file",
      );
    });

    it("rejects another extension, invalid JSON and invalid YAML, naming the file", () => {
      write("s.txt", "name: x");
      expect(message(() => loadScenario("s.txt", dir))).to.equal(
        "scenario file s.txt: must end in .json, .yaml or .yml",
      );
      write("bad.json", "{ name: x }");
      expect(message(() => loadScenario("bad.json", dir))).to.match(
        /^scenario file bad\.json: is not valid JSON: /,
      );
      write("bad.yml", "name: [x\n");
      expect(message(() => loadScenario("bad.yml", dir))).to.match(
        /^scenario file bad\.yml: is not valid YAML: /,
      );
      write("field.yaml", "name: x\ndescription: y\nrestore: []\n");
      expect(message(() => loadScenario("field.yaml", dir))).to.equal(
        "scenario file field.yaml: unknown field 'restore' (fields: name, description, primary, throttleEvery, interruptAt, restores, newestPoints, failbackBackups, drVaultWiped)",
      );
    });
  });
});

describe("dr rehearse: what the stacks protect", function () {
  this.timeout(60_000);
  let estate: RehearsalEstate;
  before(async () => {
    estate = await readEstate(ROOT, "prod");
  });

  it("takes the resources prod's selection takes by tag backup=true, with their types and sizes", () => {
    expect(
      estate.resources
        .map((r) => `${r.resourceType} ${r.logicalName} ${r.sizeGiB ?? "-"} ${r.restoreMinutes}`)
        .sort(),
    ).to.deep.equal([
      "DynamoDB app-table - 15",
      "EBS app-volume 20 7",
      "RDS app-db 20 25",
      "S3 app-bucket - 30",
    ]);
    const db = estate.resources.find((r) => r.resourceType === "RDS");
    expect(db?.restoreMetadata).to.include({
      DBInstanceClass: "db.t3.medium",
      Engine: "postgres",
      Port: "5432",
    });
    expect(db?.resourceArn).to.match(/^arn:aws:rds:us-east-1:111122223333:db:app-db-[0-9a-f]{7}$/);
    expect(estate).to.include({ primaryRegion: "us-east-1", drRegion: "us-west-2" });
  });

  it("reads each resource's key as the stacks create it: the database and the volume name none, so AWS managed; their points carry it", () => {
    expect(estate.resources.map((r) => `${r.logicalName} ${r.sourceKey}`).sort()).to.deep.equal([
      "app-bucket aws-managed",
      "app-db aws-managed",
      "app-table aws-managed",
      "app-volume aws-managed",
    ]);
    const points = recoveryPoints(estate, { nowMs: Date.parse("2026-04-12T09:00:00Z") });
    expect(new Set(points.map((p) => p.sourceKey))).to.deep.equal(new Set(["aws-managed"]));
  });

  it("fills the DR vault from the rules that copy there: daily at 03:00 UTC, landed, newest first", () => {
    expect(estate.copyRules.map((r) => `${r.ruleName} ${r.schedule}`)).to.deep.equal([
      "daily-backup cron(0 3 * * ? *)",
    ]);
    const now = Date.parse("2026-04-12T09:00:00Z");
    const points = recoveryPoints(estate, { nowMs: now });
    expect(points).to.have.length(4 * 7);
    const db = points.filter((p) => p.resourceType === "RDS").map((p) => p.creationDate.toISOString());
    // 03:00 plus the landing estimate (half the start window + a quarter of the completion window).
    expect(db.slice(0, 2)).to.deep.equal(["2026-04-12T04:15:00.000Z", "2026-04-11T04:15:00.000Z"]);
  });

  it("fails before anything starts when a scenario names a resource the stacks do not protect", () => {
    const scenario: Scenario = { ...valid, restores: [{ resource: "app-dbx" }] };
    expect(
      message(() => matchResources(scenario, "restores[0].resource", "app-dbx", estate.resources)),
    ).to.equal(
      "scenario 'my-drill': restores[0].resource 'app-dbx' matches no resource the stacks protect (app-bucket (S3), app-volume (EBS), app-table (DynamoDB), app-db (RDS))",
    );
    expect(
      matchResources(scenario, "x", "DynamoDB", estate.resources).map((r) => r.logicalName),
    ).to.deep.equal(["app-table"]);
  });

  it("names every resource a scenario names that the stacks do not protect, at once", () => {
    const scenario: Scenario = {
      ...valid,
      restores: [{ resource: "app-dbx" }, { resource: "RDS" }],
      newestPoints: [{ resource: "EFS" }],
      failbackBackups: [{ resource: "app-tabel" }],
    };
    const protectedBy = "(app-bucket (S3), app-volume (EBS), app-table (DynamoDB), app-db (RDS))";
    expect(message(() => checkScenarioResources(scenario, estate.resources)).split("\n")).to.deep.equal([
      `scenario 'my-drill': restores[0].resource 'app-dbx' matches no resource the stacks protect ${protectedBy}`,
      `scenario 'my-drill': newestPoints[0].resource 'EFS' matches no resource the stacks protect ${protectedBy}`,
      `scenario 'my-drill': failbackBackups[0].resource 'app-tabel' matches no resource the stacks protect ${protectedBy}`,
    ]);
    expect(() =>
      checkScenarioResources({ ...valid, restores: [{ resource: "RDS" }] }, estate.resources),
    ).to.not.throw();
  });

  it("keeps the scenario file example of scripts/README.md valid", () => {
    const readme = fs.readFileSync(path.join(ROOT, "scripts/README.md"), "utf8");
    const yaml = /## `dr rehearse`[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-scenario-"));
    try {
      fs.writeFileSync(path.join(dir, "example.yaml"), yaml ?? "");
      const scenario = loadScenario("example.yaml", dir);
      for (const [i, rule] of (scenario.restores ?? []).entries()) {
        expect(
          matchResources(scenario, `restores[${i}].resource`, rule.resource, estate.resources),
        ).to.have.length(1);
      }
      for (const [i, rule] of (scenario.newestPoints ?? []).entries()) {
        expect(
          matchResources(scenario, `newestPoints[${i}].resource`, rule.resource, estate.resources),
        ).to.have.length(1);
      }
      for (const [i, rule] of (scenario.failbackBackups ?? []).entries()) {
        expect(
          matchResources(scenario, `failbackBackups[${i}].resource`, rule.resource, estate.resources),
        ).to.have.length(1);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("dr rehearse: isolation and flags", () => {
  it("refuses an endpoint off this machine, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS and Pulumi backend variables", () => {
    expect(message(() => assertIsolated({ AWS_ENDPOINT_URL_S3: "https://s3.example.com" }))).to.equal(
      "rehearsal refused: it never touches AWS or a Pulumi backend, and this environment could: AWS_ENDPOINT_URL_S3=https://s3.example.com points outside this machine. Unset it for the rehearsal (e.g. env -u <NAME> dr rehearse)",
    );
    expect(
      message(() =>
        assertIsolated({
          AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true",
          PULUMI_ACCESS_TOKEN: "pul-x",
          PULUMI_BACKEND_URL: "s3://b",
        }),
      ),
    ).to.equal(
      "rehearsal refused: it never touches AWS or a Pulumi backend, and this environment could: AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true would make the AWS SDK call AWS instead of the simulation; PULUMI_BACKEND_URL is set (a Pulumi backend); PULUMI_ACCESS_TOKEN is set (a Pulumi backend). Unset them for the rehearsal (e.g. env -u <NAME> dr rehearse)",
    );
    expect(message(() => assertIsolated({ AWS_ENDPOINT_URL: "not a url" }))).to.match(
      /AWS_ENDPOINT_URL=not a url points outside/,
    );
  });

  it("accepts real credentials and local endpoints, which it replaces with its own", () => {
    expect(() =>
      assertIsolated({
        AWS_PROFILE: "prod-admin",
        AWS_ACCESS_KEY_ID: "AKIA...",
        AWS_ENDPOINT_URL: "http://localhost:4566",
      }),
    ).to.not.throw();
    const env = rehearsalEnvironment("http://127.0.0.1:1234", "us-west-2", "/tmp/r");
    expect(env).to.include({
      AWS_ENDPOINT_URL_BACKUP: "http://127.0.0.1:1234",
      AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:1234",
      AWS_ENDPOINT_URL_EFS: "http://127.0.0.1:1234",
      AWS_ACCESS_KEY_ID: "AKIAREHEARSAL0000000",
      AWS_CONFIG_FILE: "/tmp/r/no-aws-config",
      AWS_REGION: "us-west-2",
    });
    expect(env).to.have.property("AWS_PROFILE", undefined);
    expect(env).to.have.property("AWS_SESSION_TOKEN", undefined);
  });

  it("passes only local flags to the rehearsed command", () => {
    expect(() => checkPassthrough("drill", ["--only", "RDS", "--flip", "--as-of=2026-04-12"])).to.not.throw();
    expect(message(() => checkPassthrough("recover", ["--health-url", "https://example.com"]))).to.equal(
      "'--health-url' cannot be passed to the rehearsed 'recover' (allowed after --: --dry-run, --as-of, --only, --metadata, --app-resource, --no-overlap, --no-flip, --retry-failed, --from-isolated)",
    );
    expect(message(() => checkPassthrough("recover", ["--flip"]))).to.match(
      /^'--flip' cannot be passed to the rehearsed 'recover'/,
    );
  });

  it("takes a --speed from above 0 to 10000", () => {
    expect(parseSpeed("250")).to.equal(250);
    expect(message(() => parseSpeed("0"))).to.equal("--speed '0' must be a positive number");
    expect(message(() => parseSpeed("fast"))).to.equal("--speed 'fast' must be a positive number");
    expect(message(() => parseSpeed("20000"))).to.equal("--speed '20000' must be at most 10000");
  });
});
