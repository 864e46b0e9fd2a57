import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FailbackJournal } from "../../../../scripts/recovery/failback/journal";
import { FailbackReport } from "../../../../scripts/recovery/failback/report";
import { FakeAws, startFakeAws } from "../../../../scripts/simulation/fakeAwsServer";
import { failoverDnsName, failoverSwitchAlarm } from "../../../../scripts/simulation/failoverSwitch";
import { DR_OUTPUTS } from "../../../../scripts/simulation/fixtures";
import { ChildRun, childEnv, onStub, startDr } from "../../../fakes/childDr";
import { ACTIVE_DR_CONFIG, PROD_OUTPUTS, RESTORED, recoveryJournal } from "../../../fakes/failbackFixture";
import { PulumiStub, installPulumiStub } from "../../../fakes/pulumiStub";

const DOMAIN = "api.example.com";
const ASG = "dr-app-asg";
const PROD_ASG = "prod-app-asg";
/** Prod's pre-disaster data in the primary region: abandoned once prod takes the failed-back copies. */
const PRE_DISASTER = ["app-db", "Orders", "vol-0data"];
/** Real milliseconds of each backup, copy and restore job, and of the dr servers' drain. */
const JOB_MS = 400;
const FAST = ["--poll-initial", "0.05", "--poll-max", "0.2", "--freeze-timeout", "30"];

/**
 * `dr failback` in a child process, as an operator runs it (scripts/bin/restorekit-dr.js), against the local fake of
 * both regions (scripts/simulation: backup, copy and restore jobs with their states and pages, the dr
 * servers of an Auto Scaling group that drain after the freeze, prod's servers on the pre-disaster data
 * until prod-data, users writing through the public name wherever Route 53 answers it, both buckets,
 * CloudWatch) and the recording pulumi stub for the dr and prod stacks.
 */
describe("dr failback in a child process against the local fake of both regions", function () {
  // Each run is a child process driving the pulumi stub (a process per call) on real time: minutes under load.
  this.timeout(180_000);
  let fake: FakeAws;
  let stub: PulumiStub;
  let dir: string;
  let stateDir: string;
  let reportDir: string;
  const recoveryStart = Date.now() - 6 * 3600_000;

  beforeEach(async () => {
    stub = installPulumiStub({
      outputs: { ...DR_OUTPUTS },
      config: { ...ACTIVE_DR_CONFIG, "dr-app:domainName": DOMAIN },
    });
    const drConfig = () => stub.state().stacks.dr.config;
    const prodConfig = () => stub.state().stacks.prod?.config ?? {};
    const alarm = failoverSwitchAlarm("us-west-2", DOMAIN);
    const at = (hours: number) => recoveryStart + hours * 3600_000;
    const object = (hours: number) => ({
      body: "{}",
      etag: '"99914b932bd37a50b76c8e4c3e0b8a08"',
      lastModified: at(hours),
    });
    fake = await startFakeAws({
      points: [],
      primaryVaultName: DR_OUTPUTS.primaryVaultName,
      downRegion: "none",
      resources: [
        { type: "RDS", id: RESTORED.db, region: "us-west-2", state: { writes: 40 } },
        { type: "DynamoDB", id: RESTORED.table, region: "us-west-2", state: { writes: 25 } },
        { type: "EBS", id: RESTORED.volume, region: "us-west-2", state: { writes: 7 } },
        { type: "RDS", id: "app-db", region: "us-east-1", state: { writes: 30 } },
        { type: "DynamoDB", id: "Orders", region: "us-east-1", state: { writes: 20 } },
        { type: "EBS", id: "vol-0data", region: "us-east-1", state: { writes: 5 } },
        {
          type: "S3",
          id: RESTORED.replica,
          region: "us-west-2",
          state: {
            writes: 3,
            objects: { "old.json": object(-2), "orders/1.json": object(1), "orders/2.json": object(3) },
          },
        },
        {
          type: "S3",
          id: "app-data",
          region: "us-east-1",
          state: { writes: 1, objects: { "old.json": object(-2) } },
        },
      ],
      autoScalingGroups: [
        {
          region: "us-west-2",
          name: ASG,
          desiredCapacity: () =>
            drConfig()["dr-app:drActiveDesiredCapacity"] === "0" || drConfig()["dr-app:mode"] !== "active"
              ? 0
              : 3,
          drainMs: JOB_MS,
          launchMs: JOB_MS,
        },
        {
          // Prod's servers, back with the primary region: on the pre-disaster data (launch template version 1)
          // until prod-data points them at the failed-back copies (version 2, rolled by an instance refresh).
          region: "us-east-1",
          name: PROD_ASG,
          vpcId: PROD_OUTPUTS.vpcId,
          subnetIds: PROD_OUTPUTS.privateSubnetIds,
          tags: { role: "primary" },
          desiredCapacity: () => (prodConfig()["dr-app:holdServers"] === "true" ? 0 : 3),
          launchTemplateVersion: () => (prodConfig()["dr-app:restoredTableName"] ? 2 : 1),
          instanceRefresh: { minHealthyPercentage: 50, instanceWarmupMs: JOB_MS },
          drainMs: JOB_MS,
          launchMs: JOB_MS,
          writesTo: (r, version) =>
            r.type !== "S3" && (version === 1 ? PRE_DISASTER.includes(r.id) : r.restoreJobId !== undefined),
        },
      ],
      application: {
        region: "us-west-2",
        autoScalingGroupName: ASG,
        everyMs: 100,
        writesTo: (r) => r.type !== "S3",
        domainName: DOMAIN,
      },
      alarms: [alarm],
      alarmEvaluationMs: 200,
      dns: [
        failoverDnsName(DOMAIN, alarm, {
          primary: {
            loadBalancerDnsName: PROD_OUTPUTS.loadBalancerDnsName,
            region: "us-east-1",
            autoScalingGroupName: PROD_ASG,
          },
          secondary: {
            loadBalancerDnsName: DR_OUTPUTS.loadBalancerDnsName,
            region: "us-west-2",
            autoScalingGroupName: ASG,
          },
        }),
      ],
      jobScript: { backupMs: JOB_MS, copyMs: JOB_MS, restoreMs: JOB_MS },
    });
    stub.update((state) => {
      state.stacks.dr.outputs = { ...DR_OUTPUTS, healthCheckUrl: `${fake.url}/health` };
      state.stacks.prod = {
        outputs: { ...PROD_OUTPUTS, healthCheckUrl: `${fake.url}/health` },
        config: { "dr-app:role": "primary", "dr-app:domainName": DOMAIN },
        history: [],
      };
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-failback-"));
    stateDir = path.join(dir, ".dr");
    reportDir = path.join(dir, "reports");
    fs.mkdirSync(stateDir);
    fs.writeFileSync(
      path.join(stateDir, "recover.json"),
      JSON.stringify({ ...recoveryJournal(), startedAt: new Date(recoveryStart).toISOString() }),
    );
  });

  afterEach(async () => {
    await fake.close();
    stub.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = (args: readonly string[]): ChildRun =>
    startDr(
      [...onStub(stub, stateDir, reportDir), "failback", ...args],
      childEnv({ AWS_ENDPOINT_URL: fake.url, DR_DNS_SERVERS: fake.dnsAddress as string }),
    );
  const journal = (): FailbackJournal =>
    JSON.parse(fs.readFileSync(path.join(stateDir, "failback.json"), "utf8")) as FailbackJournal;
  const report = (runId: string): FailbackReport =>
    JSON.parse(fs.readFileSync(path.join(reportDir, `failback-${runId}.json`), "utf8")) as FailbackReport;

  /** After a whole failback: one job per start, the data in prod, no write lost, by the fake's own counts. */
  function expectFailedBack(runId: string): void {
    const backups = fake.backupAndCopy.listBackups("us-west-2");
    const copies = fake.backupAndCopy.listCopies("us-west-2");
    expect(backups, "backup jobs").to.have.length(6);
    expect(copies, "copy jobs").to.have.length(6);
    expect(fake.jobs.size, "restore jobs").to.equal(3);
    // Every write the dr servers made is in prod's restored copy: nothing was written after the freeze; the
    // restored copy has besides only the users' writes through prod's new servers.
    for (const [type, source] of [
      ["RDS", RESTORED.db],
      ["DynamoDB", RESTORED.table],
      ["EBS", RESTORED.volume],
    ] as const) {
      const dr = fake.resources("us-west-2").find((r) => r.type === type && r.id === source);
      const restored = fake
        .resources("us-east-1")
        .find((r) => r.type === type && r.restoreJobId !== undefined);
      expect(restored, `${type} restored in us-east-1`).to.not.equal(undefined);
      const sinceProdData = fake.appRequests.filter((q) => q.wrote.includes(restored?.arn ?? "")).length;
      expect((restored?.writes ?? 0) - sinceProdData, `${type} writes`).to.equal(dr?.writes);
    }
    // No user write reached abandoned data: none to the pre-disaster resources (prod's old servers were held
    // at zero before the freeze took dr's away), none to dr's after its final backup began.
    const abandoned = fake.resources("us-east-1").filter((r) => PRE_DISASTER.includes(r.id));
    expect(
      abandoned.map((r) => `${r.id}:${r.writes}`),
      "pre-disaster resources",
    ).to.deep.equal(["app-db:30", "Orders:20", "vol-0data:5"]);
    expect(
      fake.appRequests.filter((q) => q.launchTemplateVersion === 1 && q.region === "us-east-1"),
    ).to.deep.equal([]);
    // During the freeze users got errors (no server behind the answered record), never a stale write.
    expect(fake.appRequests.some((q) => q.wrote.length === 0)).to.equal(true);
    const sourceKeys = [
      ...(fake
        .resources("us-east-1")
        .find((r) => r.id === "app-data")
        ?.objects.keys() ?? []),
    ];
    expect(sourceKeys.sort()).to.deep.equal(["old.json", "orders/1.json", "orders/2.json"]);
    // Prod's config, dr in standby, the switch at 0.
    const state = stub.state();
    expect(state.stacks.prod.config["dr-app:restoredDbInstanceId"]).to.equal(`fb-${runId}-app-db`);
    expect(state.stacks.prod.config["dr-app:restoredTableName"]).to.equal(`fb-${runId}-Orders`);
    expect(state.stacks.prod.config["dr-app:restoredVolumeId"]).to.match(/^vol-/);
    expect(state.stacks.dr.config["dr-app:mode"]).to.equal("standby");
    expect(state.stacks.dr.config["dr-app:restoredTableName"]).to.equal(undefined);
    // The switch is a level, not a job: a process killed after sending the 0 and before journaling it sends
    // it again on the re-run, which changes nothing. Never a 1.
    const switchPoints = fake.cloudWatch
      .points("us-west-2", "DrApp/Failover", "ServeFromDr", { DomainName: DOMAIN })
      .map((p) => p.value);
    expect(switchPoints.length).to.be.within(1, 3);
    expect(switchPoints.every((value) => value === 0)).to.equal(true);
    // Data planes only: no Route 53, IAM, CloudFront or Organizations call, whatever the phase.
    const services = new Set(fake.requests.map((r) => r.service));
    for (const controlPlane of ["route53", "iam", "cloudfront", "organizations"]) {
      expect(services.has(controlPlane), controlPlane).to.equal(false);
    }
    const r = report(runId);
    expect(r.outcome).to.equal("success");
    expect(r.writesLost?.total).to.equal(0);
    expect(r.freeze?.durationSeconds).to.be.a("number");
    expect(Date.parse(r.freeze?.endedAt ?? "")).to.be.greaterThan(Date.parse(r.freeze?.startedAt ?? ""));
  }

  it("--dry-run prints the plan and starts nothing", async () => {
    const run = start(["--dry-run"]);
    expect(await run.exit, run.stderr()).to.equal(0);
    expect(run.stdout()).to.contain("Failback from us-west-2 to us-east-1:");
    expect(run.stdout()).to.contain("dry run: nothing was started");
    expect(fake.requests.filter((r) => /^Start/.test(r.operation))).to.deep.equal([]);
    expect(
      stub.calls().filter((c) => c[0] === "up" || (c[0] === "config" && c[1] === "set-all")),
    ).to.deep.equal([]);
  });

  it("--yes runs the whole failback: one job per start, every write back in prod, no control-plane call", async () => {
    const run = start(["--yes", ...FAST]);
    expect(await run.exit, run.stderr()).to.equal(0);
    const runId = journal().runId;
    expectFailedBack(runId);
    expect(run.stdout()).to.contain("writes lost: 0");
  });

  it("without --yes and without a terminal it refuses (exit 2); a second operator is refused while one runs", async () => {
    const refused = start(FAST);
    expect(await refused.exit).to.equal(2);
    expect(refused.stderr()).to.contain("error: refusing to act without --yes: stdin is not a terminal");

    const first = start(["--yes", ...FAST]);
    await first.waitFor("pre-copy: started");
    const second = start(["--yes", ...FAST]);
    expect(await second.exit).to.equal(2);
    expect(second.stderr()).to.match(
      /error: another 'dr failback' holds .*run\.lock: run \d{8}t\d{6}[0-9a-f]{2}, pid \d+/,
    );
    expect(await first.exit, first.stderr()).to.equal(0);
  });

  // One kill per kind of phase, in a real process: AWS Backup jobs (pre-copy, final-copy, restore), stack
  // updates (freeze, prod-data, standby), object copies (s3-copy), checks and the switch level (health,
  // traffic). Every phase, one by one, is interrupted in process by failback/resume.test.ts.
  for (const [phase, marker] of [
    ["restore", /restore job job-\d+ started/],
    ["freeze", /freeze: started/],
    ["s3-copy", /s3-copy: started/],
    ["traffic", /traffic: started/],
  ] as const) {
    it(`killed (SIGKILL) in ${phase}: the re-run resumes there and finishes with every job started once`, async () => {
      const first = start(["--yes", ...FAST]);
      await first.waitFor(marker);
      first.child.kill("SIGKILL");
      expect(await first.exit).to.equal(null);
      const before = journal();
      expect(before.state).to.equal("running");

      const second = start(["--yes", ...FAST]);
      expect(await second.exit, second.stderr()).to.equal(0);
      expect(second.stdout()).to.contain(`resuming failback run ${before.runId}`);
      expectFailedBack(before.runId);
    });
  }
});
