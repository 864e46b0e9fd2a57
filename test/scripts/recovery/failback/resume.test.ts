import { StartBackupJobCommand, StartCopyJobCommand, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { FailbackJournal } from "../../../../scripts/recovery/failback/journal";
import { FailbackReport } from "../../../../scripts/recovery/failback/report";
import { FailbackAws } from "../../../fakes/failbackAws";
import {
  RECOVERY_STARTED,
  failbackHarness,
  failbackModel,
  failbackAwsOf,
} from "../../../fakes/failbackFixture";
import { FakeDrStack } from "../../../fakes/fakeStack";
import { Harness } from "../../../fakes/harness";

const RUN = "20260412t090000a7";

/** Where Ctrl-C lands: on a line the CLI prints at each phase (and inside the long ones). */
const MARKERS: ReadonlyArray<readonly [string, RegExp, string | undefined]> = [
  ["pre-copy, as the backups start", /RDS app-db: backup: job backup-job-001 started/, "pre-copy"],
  ["pre-copy, while the copies run", /copy to us-east-1: RUNNING/, "pre-copy"],
  ["freeze, during the dr stack's update", /pulumi \| Updating \(dr\):/, "freeze"],
  ["freeze, while the servers drain", /freeze: 3 dr server\(s\) still in service/, "freeze"],
  ["final copies, as they start", /final-copy: started/, "final-copy"],
  ["restores, as they start", /restore job restore-job-0001 started/, "restore"],
  ["restores, while they run", /RDS app-db: RUNNING/, "restore"],
  ["prod takes the data", /prod-data: started/, "prod-data"],
  ["S3 copy back", /s3-copy: started/, "s3-copy"],
  ["prod's health check", /health check attempt 1: HTTP 503/, "health"],
  // The mocked PutMetricData answers even once aborted: the switch is set, the phase ends, and the run stops
  // before standby.
  ["traffic", /traffic: started/, undefined],
  ["standby", /standby: started/, "standby"],
  // Every phase ended; the report is written but the run not yet closed.
  ["the report", /standby: ok/, undefined],
];

describe("dr failback: Ctrl-C at every phase, then the same command resumes and starts nothing twice", () => {
  let h: Harness;
  let aws: FailbackAws;
  let dr: () => FakeDrStack;
  let prod: () => FakeDrStack;
  afterEach(() => {
    aws?.dispose();
    h?.dispose();
  });

  const setUp = () => {
    const made = failbackHarness({
      prodConfig: { "dr-app:domainName": "api.example.com" },
      sim: { restoreJobId: (n) => `restore-job-${String(n).padStart(4, "0")}` },
    });
    ({ h, dr, prod } = made);
    aws = failbackAwsOf(made, {
      drObjects: { "orders/1.json": 30, "orders/2.json": 90 },
    });
  };
  const journal = (): FailbackJournal =>
    JSON.parse(fs.readFileSync(path.join(h.stateDir, "failback.json"), "utf8")) as FailbackJournal;

  /** Runs `dr failback --yes` and aborts (as Ctrl-C does) once `marker` is printed. */
  const interruptedAt = async (marker: RegExp): Promise<number> => {
    const controller = new AbortController();
    const write = h.stdout.write;
    h.stdout.write = (chunk: string) => {
      const written = write(chunk);
      if (!controller.signal.aborted && marker.test(h.stdout.text)) {
        controller.abort();
      }
      return written;
    };
    try {
      return await h.run(["failback", "--yes"], controller.signal);
    } finally {
      h.stdout.write = write;
    }
  };

  for (const [name, marker, open] of MARKERS) {
    it(`interrupted in ${name}: exit 130 with the resume hint; the re-run finishes with one job per start`, async () => {
      setUp();
      expect(await interruptedAt(marker), h.stderr.text).to.equal(130);
      expect(h.stderr.text).to.match(
        /interrupted: dr failback run \S+: (\d+ job\(s\) keep running in AWS \([^)]+\)|none of its jobs is still running in AWS)\. Re-run the same command to resume/,
      );
      const interrupted = journal();
      expect(interrupted.state).to.equal("running");
      // The phase the Ctrl-C landed in is journaled as started and not ended: the re-run resumes there.
      expect(interrupted.failback.phases.filter((p) => !p.endedAt).map((p) => p.phase)).to.deep.equal(
        open ? [open] : [],
      );
      expect(fs.existsSync(path.join(h.stateDir, "run.lock"))).to.equal(false);

      const code = await h.run(["failback", "--yes"]);
      expect(code, h.stderr.text).to.equal(0);
      expect(h.stdout.text).to.contain(`resuming failback run ${RUN}`);
      // Every backup and copy (two phases of three resources) and every restore exists once.
      expect(aws.jobs.filter((j) => j.kind === "backup")).to.have.length(6);
      expect(aws.jobs.filter((j) => j.kind === "copy")).to.have.length(6);
      expect(h.sim.jobs.size).to.equal(3);
      // A job whose id the journal held was never asked for again.
      const tokens = [
        ...h.backup.commandCalls(StartBackupJobCommand),
        ...h.backup.commandCalls(StartCopyJobCommand),
      ].map((c) => (c.args[0].input as { IdempotencyToken?: string }).IdempotencyToken);
      expect(new Set(tokens).size).to.equal(tokens.length);
      const restoreTokens = h.backup
        .commandCalls(StartRestoreJobCommand)
        .map((c) => c.args[0].input.IdempotencyToken);
      expect(new Set(restoreTokens).size).to.equal(restoreTokens.length);
      // Each stack update applied once, the switch set once.
      const ups = (stack: FakeDrStack) => stack.ops().filter((op) => op === "up").length;
      expect(ups(dr())).to.equal(2);
      // prod: the hold before the freeze, then prod-data.
      expect(ups(prod())).to.equal(2);
      expect(aws.cloudwatch.commandCalls(PutMetricDataCommand)).to.have.length(1);

      const j = journal();
      expect(j.state).to.equal("finished");
      expect(j.resumedAt).to.have.length(1);
      const report = JSON.parse(
        fs.readFileSync(path.join(h.reportDir, `failback-${RUN}.json`), "utf8"),
      ) as FailbackReport;
      expect(report.outcome).to.equal("success");
      expect(report.writesLost?.total).to.equal(0);
      expect(report.freeze?.durationSeconds).to.be.greaterThan(0);
    });
  }
});

describe("dr failback: a final backup whose start never reached AWS is started, not confused with the pre-copy's", () => {
  let h: Harness;
  let aws: FailbackAws;
  afterEach(() => {
    aws?.dispose();
    h?.dispose();
  });

  it("the re-run looks the job up, finds only the pre-copy's backup of the resource, and starts the final one", async () => {
    const made = failbackHarness({
      prodConfig: { "dr-app:domainName": "api.example.com" },
      sim: failbackModel({ jobMs: 30_000 }),
    });
    ({ h } = made);
    // Jobs of 30 s: the pre-copy's backups are well within the look-up's 5 minutes before the final intents.
    aws = failbackAwsOf(made);
    const controller = new AbortController();
    const write = h.stdout.write;
    h.stdout.write = (chunk: string) => {
      const written = write(chunk);
      if (/final-copy: started/.test(h.stdout.text)) {
        controller.abort();
      }
      return written;
    };
    expect(await h.run(["failback", "--yes"], controller.signal)).to.equal(130);
    h.stdout.write = write;
    // As if the process had died after journaling the intents and before AWS took the final backups.
    const file = path.join(h.stateDir, "failback.json");
    const crashed = JSON.parse(fs.readFileSync(file, "utf8")) as FailbackJournal;
    for (const transfer of crashed.failback.transfers.filter((t) => t.phase === "final-copy")) {
      const id = transfer.backup?.jobId;
      aws.forgetJob(String(id));
      transfer.backup = { ...(transfer.backup as NonNullable<typeof transfer.backup>), status: "STARTING" };
      delete transfer.backup.jobId;
      delete transfer.backup.startedAt;
    }
    fs.writeFileSync(file, JSON.stringify(crashed));

    expect(await h.run(["failback", "--yes"]), h.stderr.text).to.equal(0);
    const j = journal(h);
    const pre = j.failback.transfers.filter((t) => t.phase === "pre-copy").map((t) => t.backup?.jobId);
    const final = j.failback.transfers.filter((t) => t.phase === "final-copy").map((t) => t.backup?.jobId);
    expect(final.filter((id) => pre.includes(id))).to.deep.equal([]);
    const report = JSON.parse(
      fs.readFileSync(path.join(h.reportDir, `failback-${RUN}.json`), "utf8"),
    ) as FailbackReport;
    expect(report.writesLost?.databases).to.equal(0);
  });
});

describe("dr failback: a crash-resume adopts its own final backup, never the restored-data plan's scheduled one", () => {
  let h: Harness;
  let aws: FailbackAws;
  afterEach(() => {
    aws?.dispose();
    h?.dispose();
  });

  it("the plan's newer job of the same resource is skipped; the adopted job's start is its CreationDate", async () => {
    const made = failbackHarness({
      prodConfig: { "dr-app:domainName": "api.example.com" },
      sim: failbackModel({ jobMs: 30_000 }),
    });
    ({ h } = made);
    aws = failbackAwsOf(made);
    const controller = new AbortController();
    const write = h.stdout.write;
    h.stdout.write = (chunk: string) => {
      const written = write(chunk);
      if (!controller.signal.aborted && /backup: job backup-job-009 started/.test(h.stdout.text)) {
        controller.abort();
      }
      return written;
    };
    expect(await h.run(["failback", "--yes"], controller.signal)).to.equal(130);
    h.stdout.write = write;
    // As if the process had died after AWS took the final backups and before their ids reached the journal.
    const file = path.join(h.stateDir, "failback.json");
    const crashed = JSON.parse(fs.readFileSync(file, "utf8")) as FailbackJournal;
    const finals = crashed.failback.transfers.filter((t) => t.phase === "final-copy" && t.backup?.jobId);
    const started = new Map<string, string>();
    for (const transfer of finals) {
      const backup = transfer.backup as NonNullable<typeof transfer.backup>;
      started.set(transfer.drResourceArn, backup.jobId as string);
      transfer.backup = { ...backup, status: "STARTING" };
      delete transfer.backup.jobId;
      delete transfer.backup.startedAt;
    }
    fs.writeFileSync(file, JSON.stringify(crashed));
    // Meanwhile the dr stack's restored-data plan backs up the same resources into the same vault.
    h.clock.advance(60_000);
    for (const arn of started.keys()) {
      aws.scheduledBackup(arn, crashed.failback.drVaultName);
    }

    expect(await h.run(["failback", "--yes"]), h.stderr.text).to.equal(0);
    const j = journal(h);
    expect(started.size).to.be.greaterThan(0);
    for (const [arn, id] of started) {
      const t = j.failback.transfers.find((x) => x.phase === "final-copy" && x.drResourceArn === arn);
      expect(t?.backup?.jobId).to.equal(id);
      const job = aws.jobs.find((x) => x.id === id);
      expect(t?.backup?.startedAt).to.equal(new Date(job?.createdAt ?? 0).toISOString());
    }
    expect(h.stdout.text).to.not.match(/adopting job plan-job/);
  });
});

function journal(h: Harness): FailbackJournal {
  return JSON.parse(fs.readFileSync(path.join(h.stateDir, "failback.json"), "utf8")) as FailbackJournal;
}

describe("dr failback: resuming after the freeze (review C1) and a journal of the earlier phase order (review H1)", () => {
  let h: Harness;
  let aws: FailbackAws;
  let dr: () => FakeDrStack;
  let prod: () => FakeDrStack;
  afterEach(() => {
    aws?.dispose();
    h?.dispose();
  });

  const setUp = () => {
    const made = failbackHarness({
      prodConfig: { "dr-app:domainName": "api.example.com" },
      sim: { restoreJobId: (n) => `restore-job-${String(n).padStart(4, "0")}` },
    });
    ({ h, dr, prod } = made);
    aws = failbackAwsOf(made, {
      drObjects: { "orders/1.json": 30, "orders/2.json": 90 },
      prodConfig: () => prod().config,
    });
  };
  const interruptedAt = async (marker: RegExp): Promise<number> => {
    const controller = new AbortController();
    const write = h.stdout.write;
    h.stdout.write = (chunk: string) => {
      const written = write(chunk);
      if (!controller.signal.aborted && marker.test(h.stdout.text)) {
        controller.abort();
      }
      return written;
    };
    try {
      return await h.run(["failback", "--yes"], controller.signal);
    } finally {
      h.stdout.write = write;
    }
  };

  it("dr serving again once the restores began: the re-run refuses, saying how to start a new failback", async () => {
    setUp();
    expect(await interruptedAt(/restore job restore-job-0001 started/)).to.equal(130);
    const confirmedAt = journal(h).failback.freeze?.confirmedAt;
    Object.assign(dr().config, { "dr-app:drActiveDesiredCapacity": "3" });
    aws.applied();
    const servedAt = new Date(h.clock.now()).toISOString();
    const serving = `dr stack 'dr' has dr-app:drActiveDesiredCapacity=3 and 3 dr server(s) in service (i-0drserver4, i-0drserver5, i-0drserver6) and dr's Auto Scaling group launched 3 server(s) (i-0drserver6 at ${servedAt}, i-0drserver5 at ${servedAt}, i-0drserver4 at ${servedAt})`;

    expect(await h.run(["failback", "--yes"])).to.equal(3);
    expect(h.stderr.text).to.contain(
      `${serving} since the freeze was confirmed at ${confirmedAt}: writes made in us-west-2 meanwhile are in none of the final backups, and the restores in us-east-1 already began from them, so this run cannot bring them back. Freeze dr again (pulumi config set dr-app:drActiveMinSize 0 -s dr; pulumi config set dr-app:drActiveDesiredCapacity 0 -s dr; pulumi up -s dr), move the journal ${path.join(h.stateDir, "failback.json")} aside and run dr failback again: a new run backs up, copies and restores under new names; this run's fb-${RUN}- resources are kept`,
    );
    // Nothing more was started: no prod-data, no switch.
    expect(prod().config["dr-app:holdServers"]).to.equal("true");
    expect(aws.cloudwatch.commandCalls(PutMetricDataCommand)).to.have.length(0);
    expect(journal(h).state).to.equal("running");
  });

  it("dr serving again once prod-data pointed prod at the restored data: the refusal keeps dr frozen and warns of a new failback", async () => {
    setUp();
    expect(await interruptedAt(/health check attempt 1: HTTP 503/)).to.equal(130);
    const j0 = journal(h);
    const confirmedAt = j0.failback.freeze?.confirmedAt;
    const prodDataStarted = j0.failback.phases.find((p) => p.phase === "prod-data")?.startedAt;
    Object.assign(dr().config, { "dr-app:drActiveDesiredCapacity": "3" });
    aws.applied();
    const servedAt = new Date(h.clock.now()).toISOString();
    const serving = `dr stack 'dr' has dr-app:drActiveDesiredCapacity=3 and 3 dr server(s) in service (i-0drserver4, i-0drserver5, i-0drserver6) and dr's Auto Scaling group launched 3 server(s) (i-0drserver6 at ${servedAt}, i-0drserver5 at ${servedAt}, i-0drserver4 at ${servedAt})`;

    expect(await h.run(["failback", "--yes"])).to.equal(3);
    expect(h.stderr.text).to.contain(
      `${serving} since the freeze was confirmed at ${confirmedAt}: writes made in us-west-2 meanwhile are in none of the final backups, and prod-data (started ${prodDataStarted}) pointed prod stack 'prod' at the restored fb-${RUN}- resources, which take prod's writes since. Freeze dr again and keep it frozen (pulumi config set dr-app:drActiveMinSize 0 -s dr; pulumi config set dr-app:drActiveDesiredCapacity 0 -s dr; pulumi up -s dr); do not let dr serve. A new failback would back up and restore dr's data under new names: the writes to the fb-${RUN}- resources since prod-data would be at risk, so bring dr's writes over by hand instead`,
    );
    expect(h.stderr.text).to.not.contain("move the journal");
    expect(aws.cloudwatch.commandCalls(PutMetricDataCommand)).to.have.length(0);
  });

  it("prod's hold lifted before prod-data: the re-run holds prod at zero again before anything else, then finishes", async () => {
    setUp();
    expect(await interruptedAt(/final-copy: started/)).to.equal(130);
    const confirmedAt = journal(h).failback.freeze?.confirmedAt;
    // Someone lifts prod's hold: its servers come back on the pre-disaster data.
    prod().config["dr-app:holdServers"] = "false";
    aws.applied();
    h.clock.advance(600_000);
    const resumedAt = Math.floor(h.clock.now());

    expect(await h.run(["failback", "--yes"]), h.stderr.text).to.equal(0);
    expect(h.stderr.text).to.contain(
      `freeze: prod stack 'prod' has dr-app:holdServers=false and 3 prod server(s) in service (i-0prod4, i-0prod5, i-0prod6) since the freeze was confirmed at ${confirmedAt}: holding prod's servers at zero again (they serve the pre-disaster data, which prod-data replaces)`,
    );
    // prod: the first hold, the hold applied again, then prod-data.
    const ups = prod().calls.filter((c) => c.op === "up");
    expect(ups).to.have.length(3);
    expect(ups[1].at).to.be.at.least(resumedAt);
    expect(Date.parse(journal(h).failback.freeze?.prodHeldAt ?? "")).to.be.at.least(resumedAt);
    // The re-hold waited until no prod server was left, before prod-data began.
    const prodData = Date.parse(
      journal(h).failback.phases.find((p) => p.phase === "prod-data")?.startedAt ?? "",
    );
    expect(Date.parse(journal(h).failback.freeze?.prodHeldAt ?? "")).to.be.below(prodData);
    expect(aws.prodServerChecks.at(-1)?.live).to.equal(0);
  });

  it("a journal written with prod-data before s3-copy resumes: each ended phase is kept, the S3 copy runs, then health", async () => {
    setUp();
    expect(await interruptedAt(/health check attempt 1: HTTP 503/)).to.equal(130);
    // As the earlier order left it: restore, prod-data ended; s3-copy never started.
    const file = path.join(h.stateDir, "failback.json");
    const old = JSON.parse(fs.readFileSync(file, "utf8")) as FailbackJournal;
    const byPhase = (phase: string) => old.failback.phases.find((p) => p.phase === phase);
    const kept = ["pre-copy", "freeze", "final-copy", "restore", "prod-data"].map((p) => byPhase(p));
    old.failback.phases.splice(0, old.failback.phases.length, ...(kept as typeof old.failback.phases));
    delete old.failback.s3;
    fs.writeFileSync(file, JSON.stringify(old));
    // And the objects not copied back yet.
    aws.objectCopies.splice(0);
    aws.forgetSourceObject("orders/1.json");
    aws.forgetSourceObject("orders/2.json");

    expect(await h.run(["failback", "--yes"]), h.stderr.text).to.equal(0);
    const j = journal(h);
    expect(j.state).to.equal("finished");
    expect(j.failback.phases.map((p) => `${p.phase}:${p.outcome}`)).to.deep.equal([
      "pre-copy:ok",
      "freeze:ok",
      "final-copy:ok",
      "restore:ok",
      "prod-data:ok",
      "s3-copy:ok",
      "health:ok",
      "traffic:ok",
      "standby:ok",
    ]);
    expect(aws.objectCopies.map((c) => c.key).sort()).to.deep.equal(["orders/1.json", "orders/2.json"]);
    // prod-data was not applied again.
    expect(
      prod()
        .ops()
        .filter((op) => op === "up"),
    ).to.have.length(2);
  });

  it("a journal written when a failback copied one bucket (bucket, and s3 its record) resumes at s3-copy and finishes", async () => {
    setUp();
    expect(await interruptedAt(/s3-copy: started/)).to.equal(130);
    const file = path.join(h.stateDir, "failback.json");
    const now = JSON.parse(fs.readFileSync(file, "utf8")) as FailbackJournal;
    const [pair] = now.failback.buckets;
    const record = { ...(now.failback.s3?.[0] ?? { since: RECOVERY_STARTED }) } as Record<string, unknown>;
    delete record.drBucket;
    delete record.sourceBucket;
    const old = { ...now, failback: { ...now.failback, bucket: pair, s3: record } } as Record<
      string,
      unknown
    >;
    delete (old.failback as Record<string, unknown>).buckets;
    fs.writeFileSync(file, JSON.stringify(old));

    expect(await h.run(["failback", "--yes"]), h.stderr.text).to.equal(0);
    const j = journal(h);
    expect(j.state).to.equal("finished");
    expect(j.failback.buckets).to.deep.equal([pair]);
    expect(j.failback).to.not.have.property("bucket");
    expect(j.failback.s3?.map((r) => [r.drBucket, r.sourceBucket, r.verified])).to.deep.equal([
      [pair.drBucket, pair.sourceBucket, 2],
    ]);
    // Each object copied back once.
    expect(aws.objectCopies.map((c) => c.key).sort()).to.deep.equal(["orders/1.json", "orders/2.json"]);
  });
});
