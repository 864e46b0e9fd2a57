import { restoredDataOf } from "../../../fakes/fakeStack";
import { StartBackupJobCommand, StartCopyJobCommand, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { DescribeAlarmsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CopyObjectCommand } from "@aws-sdk/client-s3";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { FailbackJournal } from "../../../../scripts/recovery/failback/journal";
import { loadBalancerAddresses } from "../../../../scripts/simulation/dnsResolver";
import { DR_OUTPUTS, PROD_OUTPUTS } from "../../../../scripts/simulation/fixtures";
import { FailbackReport } from "../../../../scripts/recovery/failback/report";
import { FailbackAws, FailbackAwsOptions } from "../../../fakes/failbackAws";
import {
  ACTIVE_DR_CONFIG,
  FailbackHarnessOptions,
  RESTORED,
  failbackHarness,
  failbackModel,
  recoveryJournal,
  failbackAwsOf,
} from "../../../fakes/failbackFixture";
import { FakeDrStack } from "../../../fakes/fakeStack";
import { Harness } from "../../../fakes/harness";

const RUN = "20260412t090000a7";

describe("dr failback --yes (in process, AWS on aws-sdk-client-mock)", () => {
  let h: Harness;
  let aws: FailbackAws;
  let dr: () => FakeDrStack;
  let prod: () => FakeDrStack;
  afterEach(() => {
    aws?.dispose();
    h?.dispose();
  });

  const setUp = (options: FailbackHarnessOptions = {}, awsOptions: FailbackAwsOptions = {}) => {
    const made = failbackHarness({ prodConfig: { "dr-app:domainName": "api.example.com" }, ...options });
    ({ h, dr, prod } = made);
    aws = failbackAwsOf(made, {
      drObjects: { "old.txt": -60, "orders/1.json": 30, "orders/2.json": 90, "copied-before.json": 100 },
      sourceObjects: { "old.txt": -60 },
      prodConfig: () => prod().config,
      ...awsOptions,
    });
  };
  const journal = (): FailbackJournal =>
    JSON.parse(fs.readFileSync(path.join(h.stateDir, "failback.json"), "utf8")) as FailbackJournal;
  const report = (): FailbackReport =>
    JSON.parse(fs.readFileSync(path.join(h.reportDir, `failback-${RUN}.json`), "utf8")) as FailbackReport;

  it("runs every phase in order and reports the freeze window and zero lost writes", async () => {
    setUp();
    const code = await h.run(["failback", "--yes", "--poll-max", "30"]);
    expect(code, h.stderr.text).to.equal(0);

    const j = journal();
    expect(j.state).to.equal("finished");
    expect(j.failback.phases.map((p) => `${p.phase}:${p.outcome}`)).to.deep.equal([
      "pre-copy:ok",
      "freeze:ok",
      "final-copy:ok",
      "restore:ok",
      "s3-copy:ok",
      "prod-data:ok",
      "health:ok",
      "traffic:ok",
      "standby:ok",
    ]);
    // Two backups and two copies per resource (pre-copy and final), each started once, with its own token.
    const backups = h.backup.commandCalls(StartBackupJobCommand).map((c) => c.args[0].input);
    expect(backups).to.have.length(6);
    expect(new Set(backups.map((b) => b.IdempotencyToken)).size).to.equal(6);
    expect(backups[0]).to.deep.include({
      BackupVaultName: "dr-vault",
      IamRoleArn: "arn:aws:iam::111122223333:role/dr-app-backup-restore",
    });
    const copies = h.backup.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input);
    expect(copies).to.have.length(6);
    expect(copies[0]).to.deep.include({
      SourceBackupVaultName: "dr-vault",
      DestinationBackupVaultArn: "arn:aws:backup:us-east-1:111122223333:backup-vault:primary-vault",
    });
    // The final backups began after no dr server was left.
    const confirmed = Date.parse(j.failback.freeze?.confirmedAt ?? "");
    for (const t of j.failback.transfers.filter((t) => t.phase === "final-copy")) {
      expect(Date.parse(t.backup?.startedAt ?? "")).to.be.at.least(confirmed);
    }
    // Restores in the primary region, from the final copies, into prod's network, tags copied.
    const restores = h.backup.commandCalls(StartRestoreJobCommand).map((c) => c.args[0].input);
    expect(restores).to.have.length(3);
    const finalCopies = j.failback.transfers
      .filter((t) => t.phase === "final-copy")
      .map((t) => t.copy?.recoveryPointArn);
    expect(restores.map((r) => r.RecoveryPointArn).sort()).to.deep.equal(finalCopies.sort());
    const rds = restores.find((r) => r.ResourceType === "RDS");
    expect(rds?.CopySourceTagsToRestoredResource).to.equal(true);
    expect(rds?.IamRoleArn).to.equal("arn:aws:iam::111122223333:role/prod-backup");
    expect(rds?.Metadata).to.deep.include({
      DBInstanceIdentifier: `fb-${RUN}-app-db`,
      DBSubnetGroupName: "prod-db-subnets",
      VpcSecurityGroupIds: '["sg-0dbprod"]',
    });
    // Prod takes the data by config (one restoredData, under the names the dr stack's gave them), then up.
    const prodData = restoredDataOf(prod().config);
    expect(prodData["db"]).to.deep.include({
      kind: "rds",
      id: `fb-${RUN}-app-db`,
      endpoint: `fb-${RUN}-app-db.c0abcdefgh.us-west-2.rds.amazonaws.com:5432`,
    });
    expect(prodData["table"]).to.deep.include({ kind: "dynamodb", id: `fb-${RUN}-Orders` });
    expect(prodData["volume"]?.id).to.match(/^vol-/);
    // Buckets come back by object copy into prod's own bucket: no entry for them.
    expect(Object.keys(prodData).sort()).to.deep.equal(["db", "table", "volume"]);
    expect(prod().ops()).to.include("up");
    // S3: the objects written since the recovery started, and only those, copied back.
    expect(
      h.s3
        .commandCalls(CopyObjectCommand)
        .map((c) => c.args[0].input.Key)
        .sort(),
    ).to.deep.equal(["copied-before.json", "orders/1.json", "orders/2.json"]);
    // Traffic: one data point on the switch, 0.
    const put = aws.cloudwatch.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
    expect(put).to.deep.equal([
      {
        Namespace: "DrApp/Failover",
        MetricData: [
          {
            MetricName: "ServeFromDr",
            Dimensions: [{ Name: "DomainName", Value: "api.example.com" }],
            Value: 0,
            Timestamp: put[0].MetricData?.[0].Timestamp,
          },
        ],
      },
    ]);
    // Prod held at zero before dr's servers went, and the hold lifted with the restored data.
    const prodUps = prod()
      .calls.filter((c) => c.op === "up")
      .map((c) => c.args as Record<string, string>);
    expect(prodUps[0]["dr-app:holdServers"]).to.equal("true");
    expect(prodUps[1]["dr-app:holdServers"]).to.equal(undefined);
    expect(restoredDataOf(prodUps[1])["table"]?.id).to.equal(`fb-${RUN}-Orders`);
    const drFreezeUp = dr().calls.find(
      (c) => c.op === "up" && (c.args as Record<string, string>)["dr-app:drActiveDesiredCapacity"] === "0",
    );
    const prodGone = aws.prodServerChecks.find((c) => c.live === 0);
    expect(prodGone?.at).to.be.at.most(drFreezeUp?.at ?? -1);
    expect(Date.parse(j.failback.freeze?.prodHeldAt ?? "")).to.be.at.most(
      Date.parse(j.failback.freeze?.startedAt ?? ""),
    );
    // The name resolved to prod's load balancer before dr went to standby.
    expect(j.failback.traffic?.resolvedAt).to.be.a("string");
    const standbyUp = dr()
      .calls.filter((c) => c.op === "up")
      .pop();
    expect(Date.parse(j.failback.traffic?.resolvedAt ?? "")).to.be.at.most(standbyUp?.at ?? -1);
    // dr back to standby: capacity as before the freeze, restored identifiers gone.
    expect(dr().config).to.deep.equal({ "dr-app:mode": "standby", "dr-app:drActiveDesiredCapacity": "3" });

    const r = report();
    expect(r.outcome).to.equal("success");
    expect(r.freeze?.startedAt).to.equal(j.failback.freeze?.startedAt);
    expect(r.freeze?.endedAt).to.equal(j.failback.traffic?.at);
    expect(r.freeze?.durationSeconds).to.be.greaterThan(0);
    expect(r.writesLost?.total).to.equal(0);
    expect(r.writesLost?.databases).to.equal(0);
    expect(r.writesLost?.s3Objects).to.equal(0);
    expect(r.failbackSeconds).to.equal(
      Math.round((Date.parse(j.failback.traffic?.at ?? "") - Date.parse(j.startedAt)) / 1000),
    );
    expect(r.jobs.filter((job) => job.kind === "restore").map((job) => job.status)).to.deep.equal([
      "COMPLETED",
      "COMPLETED",
      "COMPLETED",
    ]);
    const md = fs.readFileSync(path.join(h.reportDir, `failback-${RUN}.md`), "utf8");
    expect(md).to.contain(`# DR failback ${RUN}: success`);
    expect(md).to.contain("- Writes lost: 0 (databases and volumes: 0; S3 objects: 0)");
    expect(md).to.match(/- Write freeze: from \S+ \(no dr server from \S+\) to \S+: \d+m \d+s/);
    expect(h.stdout.text).to.contain(
      `restored in us-west-2 and the pre-disaster resources in us-east-1 are kept`,
    );
    expect(RESTORED.db).to.be.a("string");
    // A backup job's line has its ETA (it gives PercentDone); a copy job gives no figure (finding 4).
    expect(h.stdout.text).to.match(/ RDS app-db: backup: RUNNING eta \d\d:\d\d \(in ~\d+ min/);
    expect(h.stdout.text).to.contain(" RDS app-db: copy to us-east-1: RUNNING eta unknown\n");
  });

  it("dr frozen by hand before the run (capacity keys 0): standby removes the keys, so the next recovery comes up with the defaults", async () => {
    setUp({
      drConfig: { ...ACTIVE_DR_CONFIG, "dr-app:drActiveMinSize": "0", "dr-app:drActiveDesiredCapacity": "0" },
    });
    expect(await h.run(["failback", "--yes", "--poll-max", "30"]), h.stderr.text).to.equal(0);
    expect(journal().failback.previousDrConfig).to.deep.equal({});
    expect(dr().config["dr-app:mode"]).to.equal("standby");
    expect(dr().config).to.not.have.property("dr-app:drActiveMinSize");
    expect(dr().config).to.not.have.property("dr-app:drActiveDesiredCapacity");
  });

  it("copies the S3 objects back while prod's servers are still held at zero, before prod-data lifts the hold", async () => {
    setUp();
    expect(await h.run(["failback", "--yes", "--poll-max", "30"]), h.stderr.text).to.equal(0);
    expect(aws.objectCopies.map((c) => c.key).sort()).to.deep.equal([
      "copied-before.json",
      "orders/1.json",
      "orders/2.json",
    ]);
    // No user can reach prod (and write a key the copy-back would overwrite) before every object is there.
    expect(aws.objectCopies.filter((c) => !c.prodHeld)).to.deep.equal([]);
    expect(prod().config["dr-app:holdServers"]).to.equal(undefined);
  });

  it("a failback with no database, table or volume still lifts prod's hold at prod-data", async () => {
    setUp({
      recovery: { ...recoveryJournal(), plan: [], jobs: {} },
      drConfig: {
        "dr-app:mode": "active",
        "dr-app:restoredBucketName": RESTORED.replica,
        "dr-app:drActiveDesiredCapacity": "3",
      },
    });
    expect(await h.run(["failback", "--yes", "--poll-max", "30"]), h.stderr.text).to.equal(0);
    const j = journal();
    expect(j.failback.resources).to.deep.equal([]);
    const prodData = j.failback.phases.find((p) => p.phase === "prod-data");
    expect(prodData?.outcome).to.equal("ok");
    expect(prodData?.detail).to.equal(
      "prod stack 'prod' released (dr-app:holdServers removed); no restored resource feeds a prod config key",
    );
    expect(prod().config["dr-app:holdServers"]).to.equal(undefined);
    expect(j.state).to.equal("finished");
  });
});

describe("dr failback: prod's servers, the rollout and the name (issue 19 findings 2, 5, 14)", () => {
  let h: Harness;
  let aws: FailbackAws;
  let dr: () => FakeDrStack;
  let prod: () => FakeDrStack;
  afterEach(() => {
    aws?.dispose();
    h?.dispose();
  });

  const setUp = (awsOptions: FailbackAwsOptions = {}) => {
    const made = failbackHarness({ prodConfig: { "dr-app:domainName": "api.example.com" } });
    ({ h, dr, prod } = made);
    aws = failbackAwsOf(made, {
      prodConfig: () => prod().config,
      ...awsOptions,
    });
  };
  const journal = (): FailbackJournal =>
    JSON.parse(fs.readFileSync(path.join(h.stateDir, "failback.json"), "utf8")) as FailbackJournal;
  /**
   * prod's hold lifted by hand (config and `pulumi up`) as the restores start: its servers come back on the
   * pre-disaster data (launch template version 1), so prod-data's version 2 replaces them by a Rolling
   * instance refresh (50 % healthy of 3: one at a time, each a 3-minute launch and a 5-minute warm-up).
   */
  const liftProdHoldDuringRestores = () => {
    let lifted = false;
    h.sim.beforeCall.push((command) => {
      if (command === "StartRestoreJob" && !lifted) {
        lifted = true;
        delete prod().config["dr-app:holdServers"];
        aws.applied();
      }
    });
  };

  it("the health phase waits until no server on the old launch template is in service, then checks health", async () => {
    setUp();
    liftProdHoldDuringRestores();
    expect(await h.run(["failback", "--yes", "--poll-max", "30"]), h.stderr.text).to.equal(0);
    // The model's Rolling refresh from prod-data: one server per batch of launch plus warm-up; the last old
    // server leaves service when the third batch starts.
    const [refresh] = aws.autoScaling.refreshesOf(PROD_OUTPUTS.region, "prod-app-asg");
    const lastOldReplacedAt = refresh.startedAt + 2 * refresh.batchMs;
    const describes = aws.autoScalingCalls
      .filter((c) => c.command === "DescribeAutoScalingGroups")
      .map((c) => c.at);
    // Described while old servers served (the first two calls at once: finding the group, then its first
    // check), polling no faster than --poll-initial growing to --poll-max (jitter 20 %), until the first
    // check after the last old server left service, within one --poll-max of it.
    describes.slice(2).forEach((at, k) => {
      expect(at - describes[k + 1]).to.be.at.least(0.8 * Math.min(30_000, 2_000 * Math.pow(1.6, k)) - 1);
    });
    expect(describes.slice(0, -1).every((at) => at < lastOldReplacedAt)).to.equal(true);
    expect(describes[describes.length - 1]).to.be.within(lastOldReplacedAt, lastOldReplacedAt + 30_000);
    expect(h.stdout.text).to.contain(
      "health: prod-app-asg: 2 of 2 server(s) in service still on an older launch template than version 2 (i-0prod5 v1, i-0prod6 v1) (instance refresh r-1 InProgress 0%)",
    );
    expect(h.stdout.text).to.contain(
      "health: prod-app-asg: 1 of 2 server(s) in service still on an older launch template than version 2 (i-0prod6 v1) (instance refresh r-1 InProgress 33%)",
    );
    expect(h.stdout.text).to.contain(
      "health: every server of prod-app-asg in service runs launch template version 2 (instance refresh r-1 InProgress 66%)",
    );
    const healthStarted = h.stdout.text.indexOf("health check http://prod-alb");
    expect(healthStarted).to.be.greaterThan(h.stdout.text.indexOf("runs launch template version 2"));
  });

  it("an old server left after --rollout-timeout stops the failback before traffic moves", async () => {
    setUp();
    liftProdHoldDuringRestores();
    expect(await h.run(["failback", "--yes", "--poll-max", "30", "--rollout-timeout", "120"])).to.equal(3);
    const health = journal().failback.phases.find((p) => p.phase === "health");
    expect(health?.outcome).to.equal("failed");
    expect(health?.detail).to.equal(
      "prod-app-asg: 2 of 2 server(s) in service still on an older launch template than version 2 (i-0prod5 v1, i-0prod6 v1) after 2m 00s (instance refresh r-1 InProgress 0%); traffic stays on DR",
    );
    expect(aws.cloudwatch.commandCalls(PutMetricDataCommand)).to.have.length(0);
    // prod already serves the restored data and takes writes: the note never says to let dr serve.
    expect(h.stdout.text).to.contain(
      "note: prod-data lifted prod's hold: prod stack 'prod' serves the restored data and takes writes (with dr at zero servers Route 53 answers prod's record); do NOT let dr serve (its drActiveMinSize and drActiveDesiredCapacity stay 0): its writes would be in none of prod's data. Fix the cause and re-run the same command: it resumes at health",
    );
    expect(h.stdout.text).to.not.contain("to serve from DR meanwhile");
    expect(h.stdout.text).to.not.contain("let dr serve again now");
  });

  it("traffic republishes the switch every 30 s until the name resolves to prod's load balancer; only then standby", async () => {
    setUp({ dnsLagQueries: 8 });
    expect(await h.run(["failback", "--yes", "--poll-max", "15"]), h.stderr.text).to.equal(0);
    const puts = aws.cloudwatch.commandCalls(PutMetricDataCommand);
    expect(puts.length).to.be.at.least(2);
    expect(puts.every((c) => c.args[0].input.MetricData?.[0].Value === 0)).to.equal(true);
    const j = journal();
    expect(j.failback.traffic?.published).to.equal(puts.length);
    const resolvedAt = Date.parse(j.failback.traffic?.resolvedAt ?? "");
    const firstProdAnswer = aws.dnsQueries.find(
      (q) =>
        q.hostname === "api.example.com" &&
        q.addresses.join() === loadBalancerAddresses(PROD_OUTPUTS.loadBalancerDnsName).join(),
    );
    expect(Math.floor(firstProdAnswer?.at ?? 0)).to.equal(resolvedAt);
    const standbyUp = dr()
      .calls.filter((c) => c.op === "up")
      .pop();
    expect(standbyUp?.at).to.be.at.least(resolvedAt);
    expect(j.failback.phases.find((p) => p.phase === "traffic")?.detail).to.equal(
      `ServeFromDr=0 published in us-west-2 (${puts.length} data point(s)); alarm ServeFromDr-api.example.com OK; api.example.com resolves to prod-alb.us-east-1.elb.amazonaws.com`,
    );
  });

  it("a switch whose data point never reaches its alarm fails the traffic phase, though the name answers prod", async () => {
    // With dr at zero servers Route 53 answers prod's record whatever the switch says: the name moves anyway.
    setUp({ dropSwitch: true });
    expect(await h.run(["failback", "--yes", "--poll-max", "15", "--traffic-timeout", "120"])).to.equal(3);
    const traffic = journal().failback.phases.find((p) => p.phase === "traffic");
    expect(traffic?.outcome).to.equal("failed");
    expect(traffic?.detail).to.equal(
      "the failover switch's alarm ServeFromDr-api.example.com in us-west-2 is ALARM, not OK, 2m 00s after the switch: check the failover switch's alarm and prod's targets; dr is not put in standby",
    );
    // Republished while the alarm stayed ALARM; dr stays active, no standby.
    expect(aws.cloudwatch.commandCalls(PutMetricDataCommand).length).to.be.at.least(2);
    expect(aws.cloudwatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input).to.deep.equal({
      AlarmNames: ["ServeFromDr-api.example.com"],
    });
    expect(dr().config["dr-app:mode"]).to.equal("active");
    expect(journal().failback.phases.find((p) => p.phase === "standby")).to.equal(undefined);
    // The freeze is not over: the re-run re-checks it, and the note still says dr is frozen.
    expect(journal().failback.freeze?.endedAt).to.equal(undefined);
  });

  it("a name that never moves fails the traffic phase after --traffic-timeout; dr stays active", async () => {
    setUp({ dnsLagQueries: Number.POSITIVE_INFINITY });
    expect(await h.run(["failback", "--yes", "--poll-max", "15", "--traffic-timeout", "120"])).to.equal(3);
    const traffic = journal().failback.phases.find((p) => p.phase === "traffic");
    const dr4 = loadBalancerAddresses(DR_OUTPUTS.loadBalancerDnsName).join(", ");
    expect(traffic?.detail).to.equal(
      `api.example.com still resolves to ${dr4}, not to prod-alb.us-east-1.elb.amazonaws.com, 2m 00s after the switch: check the failover switch's alarm and prod's targets; dr is not put in standby`,
    );
    expect(dr().config["dr-app:mode"]).to.equal("active");
  });
});

describe("dr failback: a failed final copy stops it before anything is restored; the re-run retries only that", () => {
  let h: Harness;
  let aws: FailbackAws;
  let dr: () => FakeDrStack;
  afterEach(() => {
    aws?.dispose();
    h?.dispose();
  });

  it("exit 3 with writes still frozen and traffic on DR, then a new copy job (new token) and success", async () => {
    const made = failbackHarness({
      prodConfig: { "dr-app:domainName": "api.example.com" },
      sim: failbackModel({ failCopy: 4 }),
    });
    ({ h, dr } = made);
    // Copies 1-3 are the pre-copy's; the 4th, the first final copy, fails.
    aws = failbackAwsOf(made);

    expect(await h.run(["failback", "--yes"])).to.equal(3);
    const stopped = JSON.parse(
      fs.readFileSync(path.join(h.stateDir, "failback.json"), "utf8"),
    ) as FailbackJournal;
    expect(stopped.state).to.equal("running");
    expect(stopped.failback.phases.map((p) => `${p.phase}:${p.outcome}`)).to.deep.equal([
      "pre-copy:ok",
      "freeze:ok",
      "final-copy:failed",
    ]);
    expect(h.backup.commandCalls(StartRestoreJobCommand)).to.have.length(0);
    expect(aws.cloudwatch.commandCalls(PutMetricDataCommand)).to.have.length(0);
    expect(dr().config["dr-app:drActiveDesiredCapacity"]).to.equal("0");
    expect(h.stdout.text).to.contain(
      "note: stopped at final-copy: 2 of 3 resource(s) copied to the primary vault",
    );
    expect(h.stdout.text).to.contain(
      "note: writes are still frozen on dr stack 'dr' and traffic is still on DR: to serve from DR meanwhile, set its drActiveMinSize and drActiveDesiredCapacity back and run pulumi up; the re-run sees dr serving, freezes it again and takes new final backups",
    );
    const failedReport = JSON.parse(
      fs.readFileSync(path.join(h.reportDir, `failback-${RUN}.json`), "utf8"),
    ) as FailbackReport;
    expect(failedReport.outcome).to.equal("failed");
    expect(
      failedReport.jobs.filter((j) => j.status === "FAILED").map((j) => `${j.kind}:${j.phase}`),
    ).to.deep.equal(["copy:final-copy"]);

    expect(await h.run(["failback", "--yes"]), h.stderr.text).to.equal(0);
    // One more copy job only: the retry, with its own token; the other final copies were not started again.
    expect(aws.jobs.filter((j) => j.kind === "copy")).to.have.length(7);
    expect(aws.jobs.filter((j) => j.kind === "backup")).to.have.length(6);
    const j = JSON.parse(fs.readFileSync(path.join(h.stateDir, "failback.json"), "utf8")) as FailbackJournal;
    const retried = j.failback.transfers.find((t) => t.phase === "final-copy" && t.copy?.attempt === 2);
    expect(retried?.copy?.previousJobIds).to.have.length(1);
    expect(j.state).to.equal("finished");
  });

  it("dr served and was frozen again between runs (only its group's launch shows it): the re-run freezes again and takes new final backups", async () => {
    const made = failbackHarness({
      prodConfig: { "dr-app:domainName": "api.example.com" },
      sim: failbackModel({ failCopy: 4 }),
    });
    ({ h, dr } = made);
    aws = failbackAwsOf(made);
    expect(await h.run(["failback", "--yes"])).to.equal(3);
    const firstConfirmed = JSON.parse(fs.readFileSync(path.join(h.stateDir, "failback.json"), "utf8"))
      .failback.freeze.confirmedAt as string;
    // Scaled up (a launch of dr's group), users write, scaled down again: config 0, no server alive now.
    h.clock.advance(600_000);
    const launchedAt = h.clock.now();
    dr().config["dr-app:drActiveDesiredCapacity"] = "1";
    aws.applied();
    h.clock.advance(600_000);
    dr().config["dr-app:drActiveDesiredCapacity"] = "0";
    aws.applied();
    h.clock.advance(3_600_000);

    expect(await h.run(["failback", "--yes"]), h.stderr.text).to.equal(0);
    const reason = `dr's Auto Scaling group launched 1 server(s) (i-0drserver4 at ${new Date(launchedAt).toISOString()})`;
    expect(h.stderr.text).to.contain(
      `freeze: ${reason} since the freeze was confirmed at ${firstConfirmed}: freezing again and taking new final backups`,
    );
    const j = JSON.parse(fs.readFileSync(path.join(h.stateDir, "failback.json"), "utf8")) as FailbackJournal;
    expect(j.failback.freeze?.reapplied?.map((r) => r.reason)).to.deep.equal([reason]);
    const freezeUps = dr().calls.filter(
      (c) => c.op === "up" && (c.args as Record<string, string>)["dr-app:drActiveDesiredCapacity"] === "0",
    );
    expect(freezeUps).to.have.length(2);
    const confirmed = Date.parse(j.failback.freeze?.confirmedAt ?? "");
    const finals = j.failback.transfers.filter((t) => t.phase === "final-copy");
    expect(finals.map((t) => t.backup?.attempt)).to.deep.equal([2, 2, 2]);
    for (const t of finals) {
      expect(Date.parse(t.backup?.startedAt ?? "")).to.be.at.least(confirmed);
    }
    expect(confirmed).to.be.greaterThan(launchedAt);
  });

  it("dr served again after a failed final copy (the note's advice): the re-run freezes again and takes new final backups", async () => {
    const made = failbackHarness({
      prodConfig: { "dr-app:domainName": "api.example.com" },
      sim: failbackModel({ failCopy: 4 }),
    });
    ({ h, dr } = made);
    aws = failbackAwsOf(made);
    expect(await h.run(["failback", "--yes"])).to.equal(3);
    const firstConfirmed = JSON.parse(fs.readFileSync(path.join(h.stateDir, "failback.json"), "utf8"))
      .failback.freeze.confirmedAt as string;
    // The operator serves from DR meanwhile, as the note says: capacity back, `pulumi up`; users write.
    Object.assign(dr().config, { "dr-app:drActiveMinSize": "1", "dr-app:drActiveDesiredCapacity": "3" });
    aws.applied();
    const servedAt = new Date(h.clock.now()).toISOString();
    h.clock.advance(3_600_000);
    const served = `dr stack 'dr' has dr-app:drActiveMinSize=1, dr-app:drActiveDesiredCapacity=3 and 3 dr server(s) in service (i-0drserver4, i-0drserver5, i-0drserver6) and dr's Auto Scaling group launched 3 server(s) (i-0drserver6 at ${servedAt}, i-0drserver5 at ${servedAt}, i-0drserver4 at ${servedAt})`;

    expect(await h.run(["failback", "--yes"]), h.stderr.text).to.equal(0);
    expect(h.stderr.text).to.contain(
      `freeze: ${served} since the freeze was confirmed at ${firstConfirmed}: freezing again and taking new final backups`,
    );
    const j = JSON.parse(fs.readFileSync(path.join(h.stateDir, "failback.json"), "utf8")) as FailbackJournal;
    expect(j.failback.freeze?.reapplied?.map((r) => r.reason)).to.deep.equal([served]);
    // dr frozen a second time, confirmed after the writes; every final backup taken anew after that.
    const freezeUps = dr().calls.filter(
      (c) => c.op === "up" && (c.args as Record<string, string>)["dr-app:drActiveDesiredCapacity"] === "0",
    );
    expect(freezeUps).to.have.length(2);
    const confirmed = Date.parse(j.failback.freeze?.confirmedAt ?? "");
    expect(confirmed).to.be.greaterThan(Date.parse(firstConfirmed) + 3_600_000);
    const finals = j.failback.transfers.filter((t) => t.phase === "final-copy");
    expect(finals.map((t) => t.backup?.attempt)).to.deep.equal([2, 2, 2]);
    for (const t of finals) {
      expect(Date.parse(t.backup?.startedAt ?? "")).to.be.at.least(confirmed);
      expect(t.backup?.previousJobIds).to.have.length(1);
    }
    expect(aws.jobs.filter((job) => job.kind === "backup")).to.have.length(9);
    // The restores come from the new final copies.
    const restored = h.backup
      .commandCalls(StartRestoreJobCommand)
      .map((c) => c.args[0].input.RecoveryPointArn);
    expect(restored.sort()).to.deep.equal(finals.map((t) => t.copy?.recoveryPointArn).sort());
    const r = JSON.parse(
      fs.readFileSync(path.join(h.reportDir, `failback-${RUN}.json`), "utf8"),
    ) as FailbackReport;
    expect(r.writesLost?.databases).to.equal(0);
    expect(r.writesLost?.basis.join("\n")).to.contain(
      "the freeze was applied again and the final backups taken anew",
    );
  });
});
