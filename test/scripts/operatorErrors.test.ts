import { expect } from "chai";
import { simPoint } from "../../scripts/simulation/recoveryPoints";
import { LocalDr, childEnv, localDr } from "../fakes/childDr";

/** Errors as the operator sees them: `dr` in a child process, Node's warnings on. */
describe("errors in a child process: one line on stderr, exit 2, nothing started", function () {
  this.timeout(60_000);
  let local: LocalDr;

  beforeEach(async () => {
    local = await localDr({ points: [simPoint("DynamoDB", "Orders", Date.now(), 600_000)] });
  });

  afterEach(() => local.dispose());

  async function dr(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const run = local.start(args, childEnv({ AWS_ENDPOINT_URL: local.fake.url }, false));
    const code = await run.exit;
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  }

  it("an error after the AWS clients exist is one line, without the SDK's Node version warning (finding 6)", async () => {
    const result = await dr(["recover", "--yes", "--vault", "no-such-vault"]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.equal("error: no backup vault named 'no-such-vault' in us-west-2\n");
    expect(local.fake.starts.size).to.equal(0);
  });

  it("a --health-url typo is refused before anything starts, not after the flip (finding 4)", async () => {
    const result = await dr(["recover", "--yes", "--health-url", "notaurl"]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.equal(
      "error: --health-url 'notaurl' is not an http(s) URL: use e.g. https://app.example.com/health\n",
    );
    expect(local.fake.requests).to.deep.equal([]);
    expect(local.stub.calls()).to.deep.equal([]);
  });
});
