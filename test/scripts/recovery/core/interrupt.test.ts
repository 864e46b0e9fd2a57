// runInterruptible: Ctrl-C before the start gate ends the command at once; each line says what keeps running in AWS.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ExitCode, InterruptedError } from "../../../../scripts/errors";
import { Output } from "../../../../scripts/output";
import {
  StartGate,
  UnresumableInterrupt,
  runInterruptible,
} from "../../../../scripts/recovery/core/interrupt";
import { JobRecord, JournalStore, RunJournal } from "../../../../scripts/recovery/core/journal";
import { Capture } from "../../../fakes/capture";

function job(recoveryPointArn: string, status: JobRecord["status"], restoreJobId?: string): JobRecord {
  return {
    recoveryPointArn,
    restoreJobId,
    status,
    attempt: 1,
    idempotencyToken: `token-${recoveryPointArn}`,
    intentAt: "2026-12-07T03:00:00.000Z",
  };
}

function journal(runId: string, state: RunJournal["state"], jobs: JobRecord[]): RunJournal {
  return {
    version: 1,
    kind: "recover",
    runId,
    startedAt: "2026-12-07T03:00:00.000Z",
    state,
    stackName: "dr",
    region: "us-west-2",
    vaultName: "dr-vault",
    plan: [],
    skipped: [],
    jobs: Object.fromEntries(jobs.map((j) => [j.recoveryPointArn, j])),
    flips: [],
    resumedAt: [],
  };
}

describe("runInterruptible: what Ctrl-C says, and when it waits", () => {
  let dir: string;
  let store: JournalStore;
  let stderr: Capture;
  let controller: AbortController;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-interrupt-"));
    store = new JournalStore(dir, "recover");
    stderr = new Capture();
    controller = new AbortController();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (body: (gate: StartGate) => Promise<number>) =>
    runInterruptible(
      {
        out: new Output(new Capture(), stderr, () => 0),
        store,
        command: "dr recover",
        signal: controller.signal,
      },
      body,
    );
  /** A body that waits for ever (a prompt no one answers, a slow preflight) before its gate. */
  const neverStarts = () => new Promise<number>(() => {});

  it("GIVEN a finished earlier run WHEN Ctrl-C comes before the gate THEN it ends at once: nothing was started", async () => {
    store.save(journal("earlier", "finished", [job("p1", "COMPLETED", "job-1")]));
    const ended = run(neverStarts);
    controller.abort();
    expect(await ended).to.equal(ExitCode.interrupted);
    expect(stderr.text).to.match(
      /WARNING interrupted: nothing was started\. Re-run the same command to start\.\n$/,
    );
  });

  it("GIVEN an unfinished earlier run WHEN Ctrl-C comes before the gate THEN it names that run's jobs still under way", async () => {
    store.save(
      journal("earlier", "running", [
        job("p1", "RUNNING", "job-1"),
        job("p2", "COMPLETED", "job-2"),
        job("p3", "STARTING"),
      ]),
    );
    controller.abort();
    expect(await run(neverStarts)).to.equal(ExitCode.interrupted);
    expect(stderr.text).to.contain(
      `WARNING interrupted before this command started anything. dr recover run earlier is unfinished: 2 job(s) keep running in AWS (restore job job-1, restore job being started); run 'dr recover' to resume it (journal ${store.file}).`,
    );
  });

  it("GIVEN the gate open WHEN Ctrl-C comes THEN it waits for the body's journaled stop and names the jobs", async () => {
    let stopped = false;
    const code = await run(async (gate) => {
      gate.open();
      store.save(journal("this", "running", [job("p1", "RUNNING", "job-7")]));
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 10));
      stopped = true;
      throw new InterruptedError();
    });
    expect(code).to.equal(ExitCode.interrupted);
    expect(stopped).to.equal(true);
    expect(stderr.text).to.contain(
      `WARNING interrupted: dr recover run this: 1 job(s) keep running in AWS (restore job job-7). Re-run the same command to resume (journal ${store.file}).`,
    );
  });

  it("GIVEN a Ctrl-C already pressed THEN the gate does not open: nothing starts", async () => {
    controller.abort();
    let opened = false;
    await run(async (gate) => {
      gate.open();
      opened = true;
      return 0;
    });
    expect(opened).to.equal(false);
  });

  it("GIVEN a rehearsal's Ctrl-C THEN it says its reason and never how to resume", async () => {
    store.save(journal("this", "running", [job("p1", "RUNNING", "job-7")]));
    const code = await run(async (gate) => {
      gate.open();
      controller.abort(new UnresumableInterrupt("the rehearsed run stops here"));
      throw new InterruptedError();
    });
    expect(code).to.equal(ExitCode.interrupted);
    expect(stderr.text).to.match(/WARNING interrupted: the rehearsed run stops here\n$/);
  });
});
