import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FakeAws, startFakeAws } from "../../scripts/simulation/fakeAwsServer";
import { DR_OUTPUTS } from "../../scripts/simulation/fixtures";
import { simPoint } from "../../scripts/simulation/simulatedBackup";
import { childEnv, startDr } from "./fakes/childDr";
import { PulumiStub, installPulumiStub } from "./fakes/pulumiStub";

/** Errors as the operator sees them: `dr` in a child process, Node's warnings on. */
describe("errors in a child process: one line on stderr, exit 2, nothing started", function () {
  this.timeout(60_000);
  let fake: FakeAws;
  let stub: PulumiStub;
  let dir: string;

  beforeEach(async () => {
    fake = await startFakeAws({ points: [simPoint("DynamoDB", "Orders", Date.now(), 600_000)] });
    stub = installPulumiStub({ outputs: { ...DR_OUTPUTS, healthCheckUrl: `${fake.url}/health` } });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-errors-"));
  });

  afterEach(async () => {
    await fake.close();
    stub.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function dr(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const run = startDr(
      [
        "--pulumi-root",
        stub.root,
        "--work-dir",
        stub.workDir,
        "--state-dir",
        path.join(dir, ".dr"),
        "--report-dir",
        path.join(dir, "reports"),
        ...args,
      ],
      childEnv({ AWS_ENDPOINT_URL: fake.url }, false),
    );
    const code = await run.exit;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  }

  it("an error after the AWS clients exist is one line, without the SDK's Node version warning (finding 6)", async () => {
    const result = await dr(["recover", "--yes", "--vault", "no-such-vault"]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.equal("error: no backup vault named 'no-such-vault' in us-west-2\n");
    expect(fake.starts.size).to.equal(0);
  });
});
