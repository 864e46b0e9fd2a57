// Ctrl-C across the whole life of every command: SIGINT to its process group at moments keyed on its output or spread over its measured length.
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SimPoint, simPoint } from "../../scripts/simulation/recoveryPoints";
import { ChildRun, LocalDr, StartOptions, childEnv, localDr, startDr } from "../fakes/childDr";
import { FAST_FAILBACK, failbackWorld } from "../fakes/failbackChild";

/**
 * Set DR_INTERRUPT_SWEEP=full for the exhaustive sweep: every marker, and nine moments spread over each
 * command's measured run. The default is lean (CI's second Node re-runs child-process tests): two or
 * three moments per command, the ones most likely to go wrong.
 */
const FULL = process.env.DR_INTERRUPT_SWEEP === "full";
const MIN = 60_000;
const FAST_POLLS = ["--poll-initial", "0.05", "--poll-max", "0.25"];

/** A moment to press Ctrl-C: when a line appears, or a fraction of the command's measured run after it starts. */
type Moment = { readonly marker: string | RegExp } | { readonly fraction: number };

/** A command's world for one run: how to start it, and what it started in (simulated) AWS. */
interface World {
  start(options?: StartOptions): ChildRun;
  /** Jobs the simulation was asked to start. */
  jobs(): number;
  dispose(): Promise<void>;
}

/** What each kind of command says when Ctrl-C stops it, and whether a re-run resumes it. */
type Kind = "reads" | "run" | "rehearsal";

interface Subject {
  readonly command: string;
  readonly kind: Kind;
  setUp(): Promise<World>;
  /** The lean moments; the full sweep adds `more` and fractions of the measured run. */
  readonly moments: readonly Moment[];
  readonly more?: readonly Moment[];
  /** Printed when the command has done its work: exit 0 (or 1, a finding) is accepted only with it. */
  readonly done: string | RegExp;
}

/** Ctrl-C before the CLI handles signals itself (scripts/bin/restorekit-dr.js, while it loads). */
const WHILE_LOADING = "SIGINT: stopping; interrupted while starting: nothing was started";
const SPREAD: Moment[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((fraction) => ({ fraction }));

function points(): SimPoint[] {
  const now = Date.now();
  return [
    simPoint("DynamoDB", "Orders", now, 40 * MIN, { restoreMs: 1_500 }),
    simPoint("EBS", "vol-0data", now, 30 * MIN, { restoreMs: 1_000 }),
    simPoint("S3", "app-data", now, 55 * MIN, { restoreMs: 2_000 }),
  ];
}

/** `dr <args>` against the local simulation and the pulumi stub. */
function onLocalDr(args: readonly string[]): () => Promise<World> {
  return async () => {
    const local: LocalDr = await localDr({ points: points() });
    const env = childEnv({ AWS_ENDPOINT_URL: local.fake.url });
    return {
      start: (options) => local.start(args, env, options),
      jobs: () => local.fake.jobs.size,
      dispose: () => local.dispose(),
    };
  };
}

/** `dr <args>`, offline (in a directory of its own for what it writes). */
function offline(args: (dir: string) => readonly string[]): () => Promise<World> {
  return async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-sweep-"));
    const env = childEnv({}, true);
    return {
      start: (options) => startDr(args(dir), env, options),
      jobs: () => 0,
      dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  };
}

const SUBJECTS: Subject[] = [
  {
    command: "status",
    kind: "reads",
    setUp: onLocalDr(["status"]),
    moments: [{ fraction: 0.5 }, { fraction: 0.85 }],
    done: /status: (OK|\d+ problem)/,
  },
  {
    command: "recover",
    kind: "run",
    setUp: onLocalDr(["recover", "--yes", ...FAST_POLLS]),
    // Before the go (the preflight), and once the jobs run.
    moments: [{ marker: "dr stack 'dr'" }, { marker: /restore job \S+ started/ }],
    more: [{ marker: "pulumi | Updating" }, { marker: /health check/ }],
    done: "report:",
  },
  {
    command: "drill",
    kind: "run",
    setUp: onLocalDr(["drill", "--yes", ...FAST_POLLS]),
    moments: [{ marker: /restore job \S+ started/ }],
    more: [{ marker: "dr stack 'dr'" }],
    done: "report:",
  },
  {
    command: "failback",
    kind: "run",
    setUp: async () => {
      const world = await failbackWorld();
      return {
        start: (options) => world.start(["--yes", ...FAST_FAILBACK], options),
        jobs: () =>
          world.fake.jobs.size +
          world.fake.backupAndCopy.listBackups("us-west-2").length +
          world.fake.backupAndCopy.listCopies("us-west-2").length,
        dispose: () => world.dispose(),
      };
    },
    moments: [{ marker: "Failback from us-west-2 to us-east-1:" }, { marker: "pre-copy: started" }],
    more: [
      { marker: /freeze: started/ },
      { marker: /restore job job-\d+ started/ },
      { marker: /traffic: started/ },
    ],
    done: "writes lost:",
  },
  {
    command: "rehearse",
    kind: "rehearsal",
    setUp: offline((dir) => [
      "--report-dir",
      path.join(dir, "reports"),
      "rehearse",
      "--speed",
      "1000",
      "--rehearsal-dir",
      path.join(dir, "state"),
    ]),
    // The first seconds (the trial's P1), and the rehearsed run's restores.
    moments: [{ marker: "evaluating the prod stack" }, { marker: /restore job \S+ started/ }],
    more: [{ marker: "$ dr recover --yes" }, { marker: "pulumi |" }],
    done: /rehearsal of recover \S+:/,
  },
  {
    command: "plan",
    kind: "reads",
    setUp: offline(() => ["plan", "--stack", "prod"]),
    moments: [{ fraction: 0.6 }],
    done: "Priced items:",
  },
  {
    command: "runbook",
    kind: "reads",
    setUp: offline((dir) => ["runbook", "--out", path.join(dir, "RUNBOOK.md")]),
    moments: [{ fraction: 0.6 }],
    done: /wrote \S+RUNBOOK\.md/,
  },
  {
    command: "cost",
    kind: "reads",
    setUp: offline(() => ["cost", "--seed-example"]),
    moments: [{ fraction: 0.6 }],
    done: "Total per month",
  },
];

/** Resolves once no process of group `pgid` is left; rejects, naming them, if some are after `ms`. */
async function groupGone(pgid: number, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) {
      let left = "";
      try {
        left = execFileSync("ps", ["-o", "pid,args", "-g", String(pgid)], { encoding: "utf8" });
      } catch {
        // Gone in the meantime.
      }
      throw new Error(`processes of group ${pgid} outlived dr:\n${left}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function describeMoment(moment: Moment): string {
  return "marker" in moment ? `at '${String(moment.marker)}'` : `at ${moment.fraction} of its run`;
}

/** Checks the line a stopped command ends with: true to what is running, by kind. */
function expectTrueMessage(subject: Subject, world: World, output: string): void {
  if (output.includes(WHILE_LOADING)) {
    expect(world.jobs(), "jobs started although it stopped while loading").to.equal(0);
    return;
  }
  expect(output).to.contain("SIGINT: stopping (press Ctrl-C again to exit at once)");
  // Never the rehearsal's contradiction, never a stack trace.
  expect(output).not.to.match(/^\s+at /m);
  if (subject.kind === "reads") {
    expect(output).to.contain(
      `WARNING interrupted: 'dr ${subject.command}' only reads; nothing was started or changed`,
    );
  } else if (subject.kind === "rehearsal") {
    expect(output).to.match(
      /WARNING rehearsal interrupted(: unlike a real run it cannot be resumed| before its simulation started: nothing ran)/,
    );
    expect(output).not.to.contain("Re-run the same command to resume");
  } else if (output.includes("WARNING interrupted: nothing was started")) {
    expect(world.jobs(), "jobs started although it said nothing was").to.equal(0);
    expect(output).not.to.contain("keep running in AWS");
  } else {
    expect(output).to.match(
      /WARNING interrupted: dr \S+ run \S+: (\d+ job\(s\) keep running in AWS \([^)]+\)|none of its jobs is still running in AWS)\. Re-run the same command to resume/,
    );
  }
}

describe("Ctrl-C across the whole life of every command: exit 130, a true message, no process left", function () {
  // Child processes on a loaded machine: each run takes seconds to load and more to finish.
  this.timeout(240_000);

  for (const subject of SUBJECTS) {
    describe(`dr ${subject.command}`, () => {
      /** Real milliseconds of a whole run, measured first when a moment is a fraction of it. */
      let measuredMs = 0;
      const moments = [...subject.moments, ...(FULL ? [...(subject.more ?? []), ...SPREAD] : [])];

      if (moments.some((m) => "fraction" in m)) {
        it("runs to the end undisturbed (its length measured)", async () => {
          const world = await subject.setUp();
          try {
            const begin = Date.now();
            const run = world.start();
            const code = await run.exit;
            measuredMs = Date.now() - begin;
            expect(code, `${run.stdout()}\n${run.stderr()}`).to.be.oneOf([0, 1]);
          } finally {
            await world.dispose();
          }
        });
      }

      for (const moment of moments) {
        it(`stops ${describeMoment(moment)}`, async () => {
          const world = await subject.setUp();
          try {
            const run = world.start({ detached: true, merged: true });
            const pgid = run.child.pid as number;
            let exited = false;
            void run.exit.then(() => (exited = true));
            if ("marker" in moment) {
              await run.waitFor(moment.marker);
            } else {
              await new Promise((resolve) => setTimeout(resolve, moment.fraction * measuredMs));
            }
            if (!exited) {
              // As a terminal does: Ctrl-C reaches every process of the foreground job.
              process.kill(-pgid, "SIGINT");
            }
            const code = await run.exit;
            const output = `${run.stdout()}\n${run.stderr()}`;
            await groupGone(pgid);
            if (code === 0 || code === 1) {
              // The signal came as it ended: it had done its whole work before it saw the signal.
              const done = new RegExp(subject.done).exec(output);
              const seen = output.indexOf("SIGINT: stopping");
              expect(done, `exit ${code} although it had not finished:\n${output}`).not.to.equal(null);
              expect(
                seen === -1 || (done?.index ?? Infinity) < seen,
                `exit ${code} after the signal:\n${output}`,
              ).to.equal(true);
              return;
            }
            if (code === null) {
              expect(run.child.signalCode).to.equal("SIGINT");
              if (output.trim() !== "") {
                // The signal came as it exited, its whole work done and said (its handlers already gone): the
                // shell says 130, and nothing was cut short.
                const done = new RegExp(subject.done).exec(output);
                expect(done, `killed by SIGINT although it had not finished:\n${output}`).not.to.equal(null);
                expect(output.indexOf("SIGINT: stopping"), output).to.equal(-1);
                return;
              }
              // Killed by the signal before Node ran dr.js's first line: the shell says 130, nothing printed.
              return;
            }
            expect(code, output).to.equal(130);
            expectTrueMessage(subject, world, output);

            if (subject.kind === "run" && /Re-run the same command to resume/.test(output)) {
              const jobsBefore = world.jobs();
              const again = world.start();
              const resumed = await again.exit;
              expect(resumed, `${again.stdout()}\n${again.stderr()}`).to.equal(0);
              expect(again.stdout()).to.match(/resuming \S+ run \S+/);
              // Resumed, not started over: for recover and drill no restore is started twice.
              if (subject.command !== "failback") {
                expect(world.jobs()).to.be.at.least(jobsBefore).and.at.most(points().length);
              }
            }
          } finally {
            await world.dispose();
          }
        });
      }
    });
  }
});
