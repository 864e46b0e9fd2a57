import { restoredDataOf } from "../../../fakes/fakeStack";
import { StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunReport } from "../../../../scripts/recovery/core/report";
import { RunLock } from "../../../../scripts/recovery/core/runLock";
import { Harness, HarnessOptions } from "../../../fakes/harness";
import { SimPoint, simPoint } from "../../../../scripts/simulation/recoveryPoints";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;
const RUN = "20260412t090000a7";

function vault(failEc2 = false): SimPoint[] {
  return [
    simPoint("RDS", "production-db", NOW, 10 * MIN, {
      status: "PARTIAL",
      statusMessage: "snapshot interrupted",
    }),
    simPoint("RDS", "production-db", NOW, 50 * MIN, { restoreMs: 35 * MIN }),
    simPoint("DynamoDB", "Orders", NOW, 40 * MIN, { restoreMs: 18 * MIN }),
    simPoint("EBS", "vol-0data", NOW, 30 * MIN, { restoreMs: 8 * MIN }),
    simPoint("EC2", "i-0app", NOW, 30 * MIN, {
      restoreMs: 12 * MIN,
      ...(failEc2 ? { outcome: "FAILED" as const, failureMessage: "insufficient c5.xlarge capacity" } : {}),
    }),
    simPoint("S3", "app-data", NOW, 55 * MIN, { restoreMs: 30 * MIN }),
    simPoint("FSx", "fs-0win", NOW, 20 * MIN),
  ];
}

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

describe("re-running dr recover cannot make a recovery worse", () => {
  let h: Harness;
  const make = (options: Partial<HarnessOptions> = {}) => {
    h = new Harness({ points: vault(), stack: { upMs: [8 * MIN, 1 * MIN] }, ...options });
    return h;
  };
  afterEach(() => h?.dispose());

  describe("after a partial recovery (finding 1)", () => {
    it("the partial summary and the report name the next command", async () => {
      make({ points: vault(true) });
      expect(await h.run(["recover", "--yes"])).to.equal(1);
      // AWS's message is a capacity failure: the retry with another instance type or zone (core/failureAdvice.ts).
      const next =
        "next for EC2 i-0app (capacity): no capacity where it was asked: retry with another instance class or Availability Zone, " +
        "'dr recover --retry-failed --metadata ec2[i-0app].InstanceType=<another>' (now c5.xlarge) or " +
        "'dr recover --retry-failed --metadata ec2[i-0app].SubnetId=<another>' (now subnet-0dra)";
      expect(h.stdout.text).to.contain(`  note: ${next}`);
      const report: RunReport = JSON.parse(
        fs.readFileSync(path.join(h.reportDir, `recover-${RUN}.json`), "utf8"),
      );
      expect(report.notes).to.include(next);
      expect(fs.readFileSync(path.join(h.reportDir, `recover-${RUN}.md`), "utf8")).to.contain(`- ${next}`);
      expect(h.journal("recover")).to.deep.include({ state: "finished", outcome: "partial" });
    });

    it("the same command again refuses (exit 2) with what happened and the next commands; nothing starts, nothing is re-pointed", async () => {
      make({ points: vault(true) });
      expect(await h.run(["recover", "--yes"])).to.equal(1);
      const starts = h.sim.startCalls.length;
      const ops = h.stack.ops().length;
      const config = { ...h.stack.config };
      const finishedAt = h.journal("recover").finishedAt;
      h.stderr.text = "";
      h.clock.advance(30 * MIN);

      expect(await h.run(["recover", "--yes"])).to.equal(2);

      expect(h.stderr.lines()).to.deep.equal([
        `error: recover run ${RUN} ended partial at ${finishedAt}: 4 restored, 1 failed (EC2 i-0app); ` +
          `dr stack 'dr' is active on restored resources (dr-app:restoredData=${config["dr-app:restoredData"]}): starting again would restore everything a second time and ` +
          "re-point the live dr stack. Next: 'dr recover --retry-failed' restores only the 1 failed and keeps what completed; " +
          "'dr recover --new-run' starts afresh (it asks first; the resources restored so far are kept)",
      ]);
      expect(h.sim.startCalls).to.have.length(starts);
      expect(h.stack.ops().slice(ops)).to.deep.equal(["outputs", "getConfig"]);
      expect(h.stack.config).to.deep.equal(config);
      expect(h.journal("recover").runId).to.equal(RUN);
    });

    it("--retry-failed restores only what failed and keeps the stack on what completed", async () => {
      const points = vault(true);
      make({ points });
      expect(await h.run(["recover", "--yes"])).to.equal(1);
      const before = { ...h.stack.config };
      (points.find((p) => p.resourceType === "EC2") as { outcome?: string }).outcome = "COMPLETED";

      expect(await h.run(["recover", "--yes", "--retry-failed"])).to.equal(0);
      expect(h.sim.startCalls).to.have.length(6);
      expect(h.stack.config).to.deep.equal(before);
    });

    it("--retry-failed after a run without a failed restore is refused, and starts nothing", async () => {
      make();
      expect(await h.run(["recover", "--yes"])).to.equal(0);
      const starts = h.sim.startCalls.length;
      h.stderr.text = "";
      expect(await h.run(["recover", "--yes", "--retry-failed"])).to.equal(2);
      expect(h.stderr.text).to.equal(`error: --retry-failed: recover run ${RUN} has no failed restore\n`);
      expect(h.sim.startCalls).to.have.length(starts);
    });

    it("--stack is part of the command it prints", async () => {
      make({ points: vault(true) });
      expect(await h.run(["--stack", "acme/dr-app/dr", "recover", "--yes"])).to.equal(1);
      expect(h.stdout.text).to.contain(
        "'dr --stack acme/dr-app/dr recover --retry-failed --metadata ec2[i-0app].InstanceType=<another>'",
      );
    });
  });

  describe("over an active dr stack (finding 1)", () => {
    const activeConfig = {
      "dr-app:mode": "active",
      "dr-app:restoredDbInstanceId": "dr-20260411t120000b2-production-db",
      "dr-app:restoredTableName": "dr-20260411t120000b2-Orders",
    };

    it("a plain recover refuses, naming what the stack runs on", async () => {
      make({ stack: { config: activeConfig } });
      expect(await h.run(["recover", "--yes"])).to.equal(2);
      expect(h.stderr.text).to.equal(
        "error: dr stack 'dr' is active on restored resources (dr-app:restoredDbInstanceId=dr-20260411t120000b2-production-db, " +
          "dr-app:restoredTableName=dr-20260411t120000b2-Orders): starting again would restore everything a second time " +
          "and re-point the live dr stack. Next: 'dr recover --new-run' starts afresh (it asks first; the resources restored so far are kept)\n",
      );
      expect(h.backup.commandCalls(StartRestoreJobCommand)).to.have.length(0);
    });

    it("--dry-run shows the plan and warns that a real run would refuse", async () => {
      make({ stack: { config: activeConfig } });
      expect(await h.run(["recover", "--dry-run"])).to.equal(0);
      expect(h.stderr.text).to.contain(
        "WARNING a real run would refuse without --new-run: dr stack 'dr' is active on restored resources",
      );
      expect(h.stdout.text).to.contain("dry run: nothing was started");
    });

    it("--new-run on a terminal asks even with --yes, naming what it re-points and that the restored resources are kept", async () => {
      make({ stack: { config: activeConfig }, isTTY: true, promptAnswer: "no" });
      let asked = "";
      const prompt = h.deps.prompt;
      Object.assign(h.deps, {
        prompt: (q: string) => {
          asked = q;
          return prompt(q);
        },
      });
      expect(await h.run(["recover", "--yes", "--new-run"])).to.equal(2);
      // The warning names each key it re-points; the question refers to it rather than repeating it (P9).
      expect(h.stderr.text).to.contain(
        "a new run re-points db from dr-20260411t120000b2-production-db to " +
          `dr-${RUN}-production-db once restored, table from dr-20260411t120000b2-Orders to dr-${RUN}-Orders once restored, ` +
          `volume from (unset) to id restored from vol-0data once restored, ` +
          `bucket from (unset) to dr-${RUN}-app-data once restored; the resources restored so far are kept, not deleted`,
      );
      expect(asked).to.equal(
        "Recover: start 5 restore job(s) in us-west-2 and set dr stack 'dr' to mode=active, over the live recovery: " +
          "it re-points what the WARNING above lists (the resources restored so far are kept). Type 'yes' to continue: ",
      );
      expect(h.stderr.text).to.contain("error: not confirmed: nothing was started");
      expect(h.sim.startCalls).to.have.length(0);
    });

    it("--new-run --yes without a terminal warns what it re-points and starts afresh", async () => {
      make({ stack: { config: activeConfig } });
      expect(await h.run(["recover", "--yes", "--new-run"])).to.equal(0);
      expect(h.stderr.text).to.contain("WARNING --new-run: dr stack 'dr' is active on restored resources");
      expect(restoredDataOf(h.stack.config)["table"]?.id).to.equal(`dr-${RUN}-Orders`);
    });
  });

  describe("one run at a time: the run lock (finding 2)", () => {
    it("a second recover started while the first runs exits 2 at once, naming the first; the first completes", async () => {
      make();
      const first = h.run(["recover", "--yes"]);
      await new Promise((r) => setImmediate(r));
      const lock = JSON.parse(fs.readFileSync(path.join(h.stateDir, "run.lock"), "utf8"));
      expect(lock).to.deep.include({ pid: process.pid, host: os.hostname(), command: "dr recover" });

      const second = await h.run(["drill", "--yes"]);
      expect(second).to.equal(2);
      expect(h.stderr.lines().filter((l) => l.startsWith("error:"))).to.deep.equal([
        `error: another 'dr recover' holds ${path.join(h.stateDir, "run.lock")}: run ${RUN}, pid ${process.pid}, ` +
          `started 2026-04-12T09:00:00.000Z: wait for it to finish, or stop it (Ctrl-C) and re-run`,
      ]);
      expect(await first).to.equal(0);
      expect(h.sim.startCalls).to.have.length(5);
      expect(fs.existsSync(path.join(h.stateDir, "run.lock"))).to.equal(false);
    });

    it("a lock left by a process that is gone is taken over", async () => {
      make();
      fs.mkdirSync(h.stateDir, { recursive: true });
      fs.writeFileSync(
        path.join(h.stateDir, "run.lock"),
        JSON.stringify({
          pid: deadPid(),
          host: os.hostname(),
          command: "dr recover",
          startedAt: "2026-04-12T08:00:00Z",
        }),
      );
      expect(await h.run(["recover", "--yes"])).to.equal(0);
    });

    it("a lock of another host is not second-guessed: the refusal says how to remove it", async () => {
      make();
      fs.mkdirSync(h.stateDir, { recursive: true });
      const file = path.join(h.stateDir, "run.lock");
      fs.writeFileSync(
        file,
        JSON.stringify({
          pid: 4242,
          host: "bastion-2",
          command: "dr drill",
          startedAt: "2026-04-12T08:00:00.000Z",
          runId: "20260412t080000c3",
        }),
      );
      expect(await h.run(["recover", "--yes"])).to.equal(2);
      expect(h.stderr.text).to.equal(
        `error: another 'dr drill' holds ${file}: run 20260412t080000c3, pid 4242 on host bastion-2, started ` +
          `2026-04-12T08:00:00.000Z: wait for it to finish; if that process is gone, delete ${file} and re-run\n`,
      );
      expect(h.stack.ops()).to.deep.equal([]);
    });

    it("a dry run takes no lock and writes nothing", async () => {
      make();
      const lock = RunLock.acquire(h.stateDir, { command: "dr recover", nowMs: NOW });
      try {
        expect(await h.run(["recover", "--dry-run"])).to.equal(0);
      } finally {
        lock.release();
      }
      expect(fs.readdirSync(h.stateDir)).to.deep.equal([]);
    });

    it("RunLock: exclusive, records the run id, released once", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-lock-"));
      try {
        const lock = RunLock.acquire(dir, { command: "dr recover", nowMs: NOW, pid: 10, host: "a" });
        expect(() =>
          RunLock.acquire(dir, { command: "dr drill", nowMs: NOW, pid: 11, host: "a", isAlive: () => true }),
        ).to.throw(`another 'dr recover' holds ${path.join(dir, "run.lock")}: a run, pid 10, started`);
        lock.setRunId("r1");
        expect(JSON.parse(fs.readFileSync(path.join(dir, "run.lock"), "utf8")).runId).to.equal("r1");
        lock.release();
        lock.release();
        expect(fs.readdirSync(dir)).to.deep.equal([]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("progress and figures (finding 7)", () => {
    it("PercentDone as AWS sends it ('42.00%') prints once per 25 % step, without a doubled sign", async () => {
      make();
      expect(await h.run(["recover", "--yes", "--poll-max", "5"])).to.equal(0);
      expect(h.stdout.text).not.to.contain("%%");
      expect(h.stdout.text).to.match(/RDS production-db: RUNNING \d+(\.\d+)?% eta /);
      const rdsRunning = h.stdout.lines().filter((l) => / RDS production-db: RUNNING/.test(l));
      // 35 minutes polled every <= 5 s is hundreds of polls; one line per 25 % step at most.
      expect(rdsRunning.length).to.be.within(2, 10);
    });

    it("Skipped counts resources left out, not the passed-over points of restored ones", async () => {
      make();
      expect(await h.run(["recover", "--yes"])).to.equal(0);
      expect(h.stdout.text).to.contain("5 to restore, 1 skipped, 1 newer point(s) passed over");
      expect(h.stdout.text).to.contain(
        "  restore jobs: 5 completed, 0 failed, 0 unfinished, 1 skipped, 1 newer point(s) passed over",
      );
    });

    it("a job adopted after an interruption is logged as adopted, not as started", async () => {
      make();
      const controller = new AbortController();
      void h.clock.sleep(5 * MIN).then(() => controller.abort());
      expect(await h.run(["recover", "--yes"], controller.signal)).to.equal(130);
      const file = path.join(h.stateDir, "recover.json");
      const journal = JSON.parse(fs.readFileSync(file, "utf8"));
      const victim = Object.values(journal.jobs)[0] as { restoreJobId?: string; status: string };
      const jobId = victim.restoreJobId;
      delete victim.restoreJobId;
      victim.status = "STARTING";
      fs.writeFileSync(file, JSON.stringify(journal));
      h.stdout.text = "";

      expect(await h.run(["recover", "--yes"])).to.equal(0);
      expect(h.stdout.text).to.contain(`adopting restore job ${jobId}, started before the interruption`);
      expect(h.stdout.text).not.to.contain(`restore job ${jobId} started`);
    });

    it("the RTO is measured from the start of the command, not from the journal", async () => {
      make({ stack: { upMs: [8 * MIN, 1 * MIN], outputsMs: 40_000 } });
      expect(await h.run(["recover", "--yes"])).to.equal(0);
      const journal = h.journal("recover");
      expect(journal.startedAt).to.equal("2026-04-12T09:00:00.000Z");
      const report: RunReport = JSON.parse(
        fs.readFileSync(path.join(h.reportDir, `recover-${RUN}.json`), "utf8"),
      );
      // The 40 s of reading the stack count: start to healthy is the database plus those.
      expect(report.rto.measuredSeconds).to.be.at.least(35 * 60 + 40);
    });
  });
});
