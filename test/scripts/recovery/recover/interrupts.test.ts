import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { RunJournal } from "../../../../scripts/recovery/core/journal";
import { SimPoint, simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { ChildRun, FAST_RECOVER, LocalDr, childEnv, localDr } from "../../../fakes/childDr";

const MIN = 60_000;
/** The line of a run interrupted once it started: the jobs not seen to end, named, and the way to resume. */
const RESUME_HINT =
  /WARNING interrupted: dr recover run \S+: (\d job\(s\) keep running in AWS \(restore job [^)]+\)|none of its jobs is still running in AWS)\. Re-run the same command to resume \(journal \S+recover\.json\)\.\n/;

/**
 * Where a SIGINT lands. Each point is reached on a line the CLI prints, never on a timer, and the
 * CLI is still busy when the signal arrives: restores take seconds, the stub's `up` holds on, the
 * health check waits 2 s between attempts, and the report is written into a FIFO nobody reads yet.
 */
interface Point {
  readonly name: string;
  readonly marker: string | RegExp;
  readonly upDelayMs?: number;
  readonly unhealthyRequests?: number;
  /** The report's JSON is a FIFO: the CLI blocks writing it until the test reads it. */
  readonly reportFifo?: boolean;
  /** Also expected on stderr of the interrupted run. */
  readonly alsoSays?: string;
}

const POINTS: Point[] = [
  { name: "while the restore jobs are being started", marker: /restore job job-00\d started/ },
  {
    name: "during the dr stack's infrastructure update",
    marker: "pulumi | Updating (dr):",
    upDelayMs: 1_500,
    alsoSays:
      "dr stack dr: waiting for the infrastructure update under way to finish (Ctrl-C again to exit at once)",
  },
  { name: "just after the infrastructure update succeeded", marker: "infrastructure update succeeded" },
  {
    name: "while the health check waits for the endpoint",
    marker: "health check attempt 1: HTTP 503",
    unhealthyRequests: 1,
  },
  { name: "while the report is being written", marker: /healthy: .* answered HTTP 200/, reportFifo: true },
];

describe("Ctrl-C at any moment: exit 130, the resume hint, nothing left behind, and the re-run completes", function () {
  this.timeout(90_000);
  let local: LocalDr;
  let points: SimPoint[];

  async function setUp(point: Point): Promise<void> {
    const now = Date.now();
    points = [
      simPoint("DynamoDB", "Orders", now, 40 * MIN, { restoreMs: 3_000 }),
      simPoint("EBS", "vol-0data", now, 30 * MIN, { restoreMs: 2_500 }),
      simPoint("EFS", "fs-0shared", now, 45 * MIN, { restoreMs: 3_000 }),
      simPoint("S3", "app-data", now, 55 * MIN, { restoreMs: 3_500 }),
    ];
    local = await localDr({ points, unhealthyRequests: point.unhealthyRequests });
    local.stub.update((state) => (state.upDelayMs = point.upDelayMs));
  }

  afterEach(() => local?.dispose());

  // Node's warnings stay on: the operator's terminal shows them too.
  const recover = (): ChildRun =>
    local.start(FAST_RECOVER, childEnv({ AWS_ENDPOINT_URL: local.fake.url }, false));
  const stateDir = () => local.stateDir;
  const reportDir = () => local.reportDir;

  function journal(): RunJournal {
    return JSON.parse(fs.readFileSync(path.join(stateDir(), "recover.json"), "utf8")) as RunJournal;
  }

  /** Makes the report's JSON a FIFO once the run id is known (the journal is written before the starts). */
  async function fifoForReport(run: ChildRun): Promise<string> {
    await run.waitFor(/restore job job-00\d started/);
    const fifo = path.join(reportDir(), `recover-${journal().runId}.json`);
    fs.mkdirSync(reportDir(), { recursive: true });
    execFileSync("mkfifo", [fifo]);
    return fifo;
  }

  for (const point of POINTS) {
    it(point.name, async () => {
      await setUp(point);
      const first = recover();
      const fifo = point.reportFifo ? await fifoForReport(first) : undefined;
      await first.waitFor(point.marker);
      first.child.kill("SIGINT");
      if (fifo) {
        // Only once the CLI has seen the signal does its blocked report write get a reader.
        await first.waitFor("SIGINT: stopping");
        const drained = fs.readFileSync(fifo, "utf8");
        expect(JSON.parse(drained).outcome).to.equal("success");
        fs.rmSync(fifo);
      }
      const code = await first.exit;

      const stderr = first.stderr();
      expect(code, `${first.stdout()}\n${stderr}`).to.equal(130);
      expect(stderr).to.match(RESUME_HINT);
      if (point.alsoSays) {
        expect(stderr).to.contain(point.alsoSays);
      }
      // One line per message: no stack trace, no Node or SDK warning.
      expect(stderr).not.to.match(/^\s+at /m);
      expect(stderr).not.to.match(/Error|Warning/);
      // No temporary journal file, no lock: only the journal itself.
      expect(fs.readdirSync(stateDir())).to.deep.equal(["recover.json"]);
      expect(journal().state).to.equal("running");

      const second = recover();
      expect(await second.exit, `${second.stdout()}\n${second.stderr()}`).to.equal(0);
      expect(second.stdout()).to.contain(`resuming recover run ${journal().runId}`);
      for (const p of points) {
        expect(local.fake.starts.get(p.recoveryPointArn), p.resourceArn).to.equal(1);
      }
      expect(local.fake.jobs.size).to.equal(points.length);
      expect(journal().state).to.equal("finished");
      expect(fs.readdirSync(stateDir())).to.deep.equal(["recover.json"]);
    });
  }
});

describe("Ctrl-C at the confirmation prompt, on a terminal", function () {
  this.timeout(90_000);
  let local: LocalDr;

  afterEach(() => local?.dispose());

  it("says nothing was started, even with an earlier run's journal beside it, and exits 130", async () => {
    const now = Date.now();
    local = await localDr({
      points: [
        simPoint("DynamoDB", "Orders", now, 40 * MIN, { restoreMs: 300 }),
        simPoint("EBS", "vol-0data", now, 30 * MIN, { restoreMs: 300 }),
      ],
    });
    const env = childEnv({ AWS_ENDPOINT_URL: local.fake.url });
    // A finished run's journal, as the trial had: a new run over a live recovery asks even with --yes.
    const earlier = local.start(FAST_RECOVER, env);
    expect(await earlier.exit, earlier.stderr()).to.equal(0);
    const journalFile = path.join(local.stateDir, "recover.json");
    const before = fs.readFileSync(journalFile, "utf8");

    const asking = local.start(["recover", "--new-run", "--yes"], env, { terminal: true });
    await asking.waitFor("Type 'yes' to continue:");
    // The terminal turns Ctrl-C into SIGINT for the process; readline hands it to the CLI.
    asking.child.stdin?.write("\x03");
    const code = await asking.exit;
    const screen = asking.stdout();
    expect(code, screen).to.equal(130);
    expect(screen).to.contain("WARNING interrupted: nothing was started. Re-run the same command to start.");
    expect(screen).not.to.contain("keep running in AWS");
    expect(fs.readFileSync(journalFile, "utf8")).to.equal(before);
    expect(local.fake.jobs.size).to.equal(2);
  });
});
