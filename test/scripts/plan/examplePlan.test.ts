// `dr plan --config-file`: the second built-in example (docs/examples/service) planned from its own config files.
import { expect } from "chai";
import { execFile } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const EXAMPLE = "docs/examples/service";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `dr --stack <stack> plan --json --config-file <the example's file> ...` from the sources, as a child process. */
function plan(stack: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        "scripts/bin/restorekit-dr.js",
        "--stack",
        stack,
        "plan",
        "--json",
        "--config-file",
        path.join(EXAMPLE, `Pulumi.${stack}.yaml`),
        ...args,
      ],
      { cwd: ROOT, env: { ...process.env, DR_FROM_SOURCE: "1", NODE_NO_WARNINGS: "1" }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? Number(error.code ?? 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe("dr plan --config-file: the service example (two databases, three tables, a file system, two buckets, on ECS)", function () {
  this.timeout(180_000);

  it("prod: reads the example's file, not Pulumi.prod.yaml, and plans its whole inventory", async () => {
    const run = await plan("prod");
    expect(run.code, run.stderr).to.equal(0);
    const json: Json = JSON.parse(run.stdout);
    expect(json.stackFile).to.equal(path.join(EXAMPLE, "Pulumi.prod.yaml"));
    const count = (type: string) => json.resources.filter((r: Json) => r.type === type).length;
    // Two databases, three tables, a file system, two buckets (each with its replica), on ECS.
    expect(count("aws:rds/instance:Instance")).to.equal(2);
    expect(count("aws:dynamodb/table:Table")).to.equal(3);
    expect(count("aws:efs/fileSystem:FileSystem")).to.equal(1);
    expect(count("aws:s3/bucketReplicationConfig:BucketReplicationConfig")).to.equal(2);
    expect(count("aws:ecs/service:Service")).to.equal(1);
    expect(json.outputs.dataInventory).to.have.length(8);
  });

  it("dr: plans against the example's prod settings beside it (its inventory re-exported)", async () => {
    const run = await plan("dr", "-c", "containerImage=111122223333.dkr.ecr.us-west-2.amazonaws.com/app:1");
    expect(run.code, run.stderr).to.equal(0);
    const json: Json = JSON.parse(run.stdout);
    expect(json.stackFile).to.equal(path.join(EXAMPLE, "Pulumi.dr.yaml"));
    expect(json.stackReferences[0].note).to.contain(`numbers from ${EXAMPLE}/Pulumi.prod.yaml`);
  });

  it("a config file that is not there: exit 2, naming the flag and the path", async () => {
    const run = await plan("prod", "--config-file", "docs/examples/none/Pulumi.prod.yaml");
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain("--config-file");
    expect(run.stderr).to.contain(
      "docs/examples/none/Pulumi.prod.yaml: no such file (the settings of stack 'prod')",
    );
  });
});
