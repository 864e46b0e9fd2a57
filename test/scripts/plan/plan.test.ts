import { expect } from "chai";
import { execFile, ExecFileOptions } from "child_process";
import * as path from "path";
import { main } from "../../../scripts/cli";
import { Harness } from "../../fakes/harness";

const ROOT = path.resolve(__dirname, "..", "..", "..");

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runChild(command: string, args: string[], options: ExecFileOptions = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: ROOT,
        env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
        maxBuffer: 64 << 20,
        ...options,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
  });
}

/** Runs `npm run plan -- <args>` the way npm does (`dr plan`, from the sources), as a child process. */
function plan(...args: string[]): Promise<Run> {
  return runChild(process.execPath, ["scripts/bin/restorekit-dr.js", "plan", ...args], {
    env: { ...process.env, DR_FROM_SOURCE: "1" },
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function resource(json: Json, type: string, name: string): Json {
  const found = json.resources.filter((r: Json) => r.type === type && r.name === name);
  expect(found, `${type} ${name}`).to.have.length(1);
  return found[0];
}

describe("npm run plan (offline, on the mock engine)", function () {
  this.timeout(120_000);
  let prod: Run;
  let active: Run;
  let badCapacity: Run;
  let badType: Run;
  let typo: Run;
  let throughNpm: Run;

  before(async () => {
    [prod, active, badCapacity, badType, typo, throughNpm] = await Promise.all([
      plan("--stack", "prod", "--json"),
      plan("--stack", "dr", "--mode", "active", "--json", "--config", "restoredDbEndpoint=db.example:5432"),
      plan("--stack", "prod", "--config", "minSize=5"),
      plan("--stack", "prod", "--json", "--config", "desiredCapacity=three"),
      plan("--stack", "prod", "--config", "rpoMinuts=60"),
      // As the README shows it: npm's --silent keeps npm's own banner off stdout.
      runChild(
        "npm",
        ["run", "--silent", "plan", "--", "-s", "dr", "--json", "-c", "notAKey=1", "--allow-unknown-config"],
        { shell: process.platform === "win32" },
      ),
    ]);
  });

  describe("--stack prod --json", () => {
    let json: Json;
    before(() => {
      expect(prod.code, prod.stderr).to.equal(0);
      json = JSON.parse(prod.stdout);
    });

    it("names the stack, its role and region, and says it ran offline", () => {
      expect(json).to.deep.include({
        project: "dr-app",
        stack: "prod",
        role: "primary",
        region: "us-east-1",
        offline: true,
      });
    });

    it("lists what would be created with type, name, region and inputs", () => {
      expect(resource(json, "awsx:ec2:Vpc", "app-vpc").inputs.natGateways).to.deep.equal({
        strategy: "Single",
      });
      const asg = resource(json, "aws:autoscaling/group:Group", "app-asg");
      expect(asg.region).to.equal("us-east-1");
      expect(asg.inputs).to.deep.include({ minSize: 2, desiredCapacity: 3, maxSize: 10 });
      expect(resource(json, "aws:rds/instance:Instance", "app-db").inputs.tags.backup).to.equal("true");
      expect(resource(json, "aws:s3/bucket:Bucket", "app-replica-0").region).to.equal("us-west-2");
      expect(resource(json, "aws:iam/role:Role", "app-backup-role").region).to.equal("global");
      expect(json.resourceCount).to.equal(json.resources.length);
    });

    it("prints values only a deployment knows as <unknown>", () => {
      expect(resource(json, "aws:backup/vault:Vault", "app-primary-vault").inputs.kmsKeyArn).to.equal(
        "<unknown>",
      );
      expect(json.outputs.primaryVaultName).to.equal("<unknown>");
      expect(json.outputs.vpcId).to.equal("<unknown>");
    });

    it("shows the DR posture per region against the objectives", () => {
      expect(json.posture.rpoMinutes).to.equal(1800);
      expect(json.posture.primary).to.deep.include({
        region: "us-east-1",
        worstCaseRpoMinutes: 180,
        meetsRpo: true,
      });
      expect(json.posture.dr).to.deep.include({
        region: "us-west-2",
        worstCaseRpoMinutes: 1680,
        meetsRpo: true,
      });
      expect(json.posture.dr.rules).to.deep.equal(["daily-backup"]);
      expect(json.posture.replicatedBuckets).to.equal(1);
    });

    it("reports no dbPassword warning: the DR side has its own credential (stacks/databaseCredential.ts)", () => {
      expect(json.diagnostics.map((d: Json) => d.message).join("\n")).to.not.contain("dbPassword");
    });

    it("lists what bills by the hour, with its monthly cost at the price file's prices", () => {
      const nat = json.hourlyCharges.find((c: Json) => c.charge.includes("NAT gateways (Single)"));
      expect(nat.monthlyUsd).to.equal(36.5);
      expect(json.prices.asOf).to.equal("2026-11-23");
    });

    it("counts the resources per type", () => {
      expect(json.resourceCounts["aws:backup/vault:Vault"]).to.equal(2);
      const total = Object.values(json.resourceCounts as Record<string, number>).reduce((a, b) => a + b, 0);
      expect(total).to.equal(json.resources.length);
    });
  });

  describe("--stack dr --mode active --json", () => {
    it("with --mode active, plans the guide's capacity and the restored endpoint", () => {
      expect(active.code, active.stderr).to.equal(0);
      const json = JSON.parse(active.stdout);
      expect(json.mode).to.equal("active");
      expect(resource(json, "aws:autoscaling/group:Group", "app-asg").inputs).to.deep.include({
        minSize: 2,
        desiredCapacity: 3,
        maxSize: 10,
      });
      expect(json.config["dr-app:restoredDbEndpoint"]).to.deep.equal({
        value: "db.example:5432",
        source: "override",
      });
      const userData = Buffer.from(
        resource(json, "aws:ec2/launchTemplate:LaunchTemplate", "app-launch-template").inputs.userData,
        "base64",
      );
      expect(userData.toString()).to.contain("APP_DB_ENDPOINT=db.example:5432");
    });

    it("says what the flip from standby changes: the Auto Scaling group and the launch template, in us-west-2", () => {
      const { flip } = JSON.parse(active.stdout);
      expect(
        flip.changes.map(
          (c: { type: string; name: string; keys: string[] }) => `${c.name}: ${c.keys.join(",")}`,
        ),
      ).to.deep.equal(["app-asg: desiredCapacity,maxSize,minSize", "app-launch-template: userData"]);
      expect(flip.controlPlanes).to.deep.equal({
        inRegion: ["Auto Scaling (us-west-2)", "EC2 (us-west-2)"],
        outside: [],
      });
      expect(flip.outsideScope).to.deep.equal([]);
    });
  });

  describe("errors, printed as pulumi preview prints them, with a non-zero exit", () => {
    it("a config value the program's rules reject: the message naming key, value and rule (exit 2: bad input)", () => {
      expect(badCapacity.code).to.equal(2);
      expect(badCapacity.stdout).to.equal("");
      expect(badCapacity.stderr).to.equal(
        "error: Configuration 'dr-app:minSize' value '5' must not exceed dr-app:desiredCapacity (3)\n",
      );
    });

    it("a config type error, before the program runs, also in --json (exit 2: bad input)", () => {
      expect(badType.code).to.equal(2);
      expect(badType.stderr).to.equal(
        "error: Stack 'prod' with configuration key 'desiredCapacity' value 'three' must be of type 'integer'\n",
      );
      expect(JSON.parse(badType.stdout).diagnostics[0]).to.deep.include({
        severity: "error",
        phase: "config",
      });
    });
  });

  describe("config keys Pulumi.yaml does not declare", () => {
    it("a --config key Pulumi.yaml does not declare is an error (exit 2), before the program runs", () => {
      expect(typo.code).to.equal(2);
      expect(typo.stdout).to.equal("");
      expect(typo.stderr).to.equal(
        "error: --config 'dr-app:rpoMinuts': not declared in Pulumi.yaml, so the program would ignore it (a typo?); pass --allow-unknown-config to plan anyway\n",
      );
    });

    it("with --allow-unknown-config it is a warning, and npm run --silent leaves stdout the JSON alone", () => {
      expect(throughNpm.code, throughNpm.stderr).to.equal(0);
      const json = JSON.parse(throughNpm.stdout);
      expect(json.stack).to.equal("dr");
      expect(json.diagnostics).to.deep.include({
        severity: "warning",
        phase: "config",
        message:
          "Stack 'dr' sets configuration key 'dr-app:notAKey', which Pulumi.yaml does not declare: the program ignores it (a typo?)",
      });
    });
  });
});

describe("dr plan: the exit code of each way it ends (README: 0 evaluated, 1 the program failed, 2 bad config)", function () {
  this.timeout(120_000);
  let h: Harness;
  beforeEach(() => (h = new Harness({ points: [] })));
  afterEach(() => h.dispose());

  const plan = (...args: string[]) => main(["--work-dir", ROOT, "--stack", "prod", "plan", ...args], h.deps);

  it("GIVEN config the program's rules reject, several at once THEN exit 2, every problem on its own line", async () => {
    expect(await plan("-c", "dbEngine=oracle", "-c", "minSize=5")).to.equal(2);
    expect(h.stdout.text).to.equal("");
    expect(h.stderr.text).to.equal(
      "error: Configuration 'dr-app:minSize' value '5' must not exceed dr-app:desiredCapacity (3)\n" +
        `error: Configuration 'dr-app:dbEngine' value 'oracle' is not a legal enum value (["postgres","mysql","mariadb"])\n`,
    );
  });

  it("GIVEN such config with --json THEN exit 2, each problem a config diagnostic", async () => {
    expect(await plan("--json", "-c", "dbEngine=oracle")).to.equal(2);
    expect(JSON.parse(h.stdout.text).diagnostics).to.deep.equal([
      {
        severity: "error",
        phase: "config",
        message: `Configuration 'dr-app:dbEngine' value 'oracle' is not a legal enum value (["postgres","mysql","mariadb"])`,
      },
    ]);
  });

  it("GIVEN a value of the wrong type (Pulumi.yaml's declaration) THEN exit 2", async () => {
    expect(await plan("-c", "rpoMinutes=abc")).to.equal(2);
    expect(h.stderr.text).to.equal(
      "error: Stack 'prod' with configuration key 'rpoMinutes' value 'abc' must be of type 'integer'\n",
    );
  });

  it("GIVEN an objective the component cannot meet THEN exit 1: the program failed, its diagnostics say why", async () => {
    expect(await plan("-c", "rpoMinutes=1440")).to.equal(1);
    expect(h.stderr.text).to.contain("error: preview failed: the program for stack prod did not evaluate");
  });

  it("GIVEN --stack org/project/stack of this project THEN plans the stack its last part names", async () => {
    expect(await main(["--work-dir", ROOT, "--stack", "acme/dr-app/dr", "plan", "--json"], h.deps)).to.equal(
      0,
    );
    expect(JSON.parse(h.stdout.text)).to.deep.include({
      stack: "dr",
      stackFile: "Pulumi.dr.yaml",
      role: "dr",
    });
  });

  it("GIVEN --stack org/project/stack of another project THEN exit 2, naming both projects", async () => {
    expect(await main(["--work-dir", ROOT, "--stack", "acme/shop/prod", "plan"], h.deps)).to.equal(2);
    expect(h.stderr.text).to.equal(
      `error: stack 'acme/shop/prod' is in project 'shop', but Pulumi.yaml in ${ROOT} is project 'dr-app': pass acme/dr-app/prod or prod\n`,
    );
  });

  it("GIVEN a stack typo THEN exit 2, the stacks there and the nearest", async () => {
    expect(await main(["--work-dir", ROOT, "--stack", "prd", "plan"], h.deps)).to.equal(2);
    expect(h.stderr.text).to.equal(
      `error: no stack named 'prd' found: no Pulumi.prd.yaml in ${ROOT}; stacks found: dr, prod; did you mean 'prod'?\n`,
    );
  });

  it("GIVEN valid config THEN exit 0", async () => {
    expect(await plan("--json")).to.equal(0);
    expect(h.stderr.text).to.equal("");
  });
});
