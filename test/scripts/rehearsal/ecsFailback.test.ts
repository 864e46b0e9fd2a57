// `dr rehearse failback` on ECS: the service example's whole cycle, its freeze and prod's hold acting on ECS services.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../../scripts/cli";
import { runRehearsal } from "../../../scripts/rehearsal/rehearse";
import { Capture } from "../../fakes/capture";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const EXAMPLE = path.join(ROOT, "docs", "examples", "service");

describe("dr rehearse failback on ECS: the freeze scales dr's service to 0, prod's is held at 0, then takes the failed-back data", function () {
  this.timeout(300_000);
  let dir: string;
  let code: number;
  const stdout = new Capture();
  const stderr = new Capture();
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-ecs-failback-"));
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && !k.startsWith("PULUMI_")),
    );
    code = await runRehearsal(
      {
        command: "failback",
        scenario: "all-fine",
        speed: 10_000,
        passthrough: [],
        workDir: ROOT,
        configDir: EXAMPLE,
        rehearsalDir: path.join(dir, "state"),
        realStateDir: path.join(dir, ".dr"),
        reportDir: path.join(dir, "reports"),
        stack: "dr",
        utc: true,
      },
      {
        stdout,
        stderr,
        env,
        fetch: (url, init) => fetch(url, init),
        cwd: ROOT,
        runCli: main,
      },
      new AbortController().signal,
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("rehearses both stacks' ECS services and ends the cycle with no write lost", () => {
    expect(code, stderr.text).to.equal(0);
    expect(stdout.text).to.contain(
      "compute rehearsed: dr's application runs as the ECS service dr-app-service on Fargate (cluster dr-app-cluster)",
    );
    expect(stdout.text).to.contain(
      "; prod's as the ECS service prod-app-service on Fargate (cluster prod-app-cluster)",
    );
    expect(stdout.text).to.match(/writes lost: 0 of [1-9]\d* written in DR/);
  });

  it("copies each of the example's two buckets back into its own prod bucket", () => {
    for (const bucket of ["app-assets", "app-exports"]) {
      expect(stdout.text).to.match(
        new RegExp(
          `\nS3: objects of dr-\\S+-${bucket}-\\S+ \\(us-west-2\\) .* copied to ${bucket}-\\S+ \\(us-east-1\\)\n`,
        ),
      );
    }
  });

  it("holds prod's tasks at zero and waits for dr's to drain before the final backups", () => {
    const text = stdout.text;
    expect(text).to.match(/freeze: [1-9] prod task\(s\) still in service/);
    expect(text).to.match(/freeze: [1-9] dr task\(s\) still in service/);
    expect(text).to.match(
      /freeze: ok \(prod held at zero, no dr task in service \S+ after the scale-down began\)/,
    );
  });

  it("rolls prod's service onto a new task definition revision with the failed-back data, then dr back to standby", () => {
    expect(stdout.text).to.match(
      /health: every task of prod-app-service in service runs task definition app-primary:2 \(deployment \S+ COMPLETED 3\/3 running\)/,
    );
    expect(stdout.text).to.match(/standby: ok \(dr stack 'dr' in standby/);
  });
});
