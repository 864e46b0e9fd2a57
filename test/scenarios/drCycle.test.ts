// The whole DR cycle on the local simulation: prod's plan, a disaster, dr recover, days in DR, dr failback, prod's plan again, a second disaster and dr recover.
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FAILOVER_SWITCH } from "../../stacks/dnsFailover";
import { main } from "../../scripts/cli";
import { DR_CONFIG_KEYS, RESTORED_DATA_KEY } from "../../scripts/recovery/core/stackHandle";
import { RunJournal } from "../../scripts/recovery/core/journal";
import {
  REHEARSAL_DOMAIN,
  REHEARSAL_ZONE_ID,
  appliedRestoredData,
  cycleSimulation,
} from "../../scripts/rehearsal/cycleSimulation";
import { groupName } from "../../scripts/rehearsal/rehearsedCompute";
import { credentialSecrets, deployedOutputs } from "../../scripts/rehearsal/deployedOutputs";
import { RehearsalEstate, readEstate } from "../../scripts/rehearsal/estate";
import { applyEnvironment, rehearsalEnvironment } from "../../scripts/rehearsal/isolation";
import { offlineProdStack } from "../../scripts/rehearsal/offlineProdStack";
import { OfflineDrStack } from "../../scripts/rehearsal/offlineStack";
import { vaultArn } from "../../scripts/simulation/backupJobs";
import { loginProblem } from "../../scripts/simulation/databaseLogin";
import { FakeAws, startFakeAws } from "../../scripts/simulation/fakeAwsServer";
import { SimResource } from "../../scripts/simulation/resourceStore";
import { SimPoint } from "../../scripts/simulation/recoveryPoints";
import { Capture } from "../fakes/capture";
import { testDeps } from "../fakes/deps";
import { FakeDrStack, restoredDataOf } from "../fakes/fakeStack";
import { VirtualClock } from "../fakes/virtualClock";

const ROOT = path.resolve(__dirname, "../..");
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Health check URLs of dr's and prod's load balancers (their hosts are the load balancers' names). */
const DR_HEALTH = "http://dr-app-alb.story.example/health";
const PROD_HEALTH = "http://prod-app-alb.story.example/health";
/** Prod's backup rule: daily, kept 35 days, copied to the DR vault (inside both vaults' default lock, 3-97 days). */
const KEEP = { DeleteAfterDays: 35 };

/**
 * The issue's done-criterion as one story, on the local simulation (scripts/simulation's HTTP fake of both
 * regions, the CLI in process through its entry point on a virtual clock, the dr and prod stacks the real
 * programs on Pulumi's mock engine, as `dr rehearse` runs them): users reach the application by its public
 * name (Route 53's failover answers), the DR servers log in with the dr stack's secret, prod's plan and the
 * dr stack's restored-data plan select by tag as AWS Backup does.
 */
describe("story: recover, days in DR, failback, recover again: no write lost, the newest data each time", function () {
  // Each stack update evaluates a Pulumi program on the mock engine (a second or two); everything else is virtual time.
  this.timeout(180_000);
  const clock = new VirtualClock(Date.parse("2026-12-01T00:00:00Z"));
  const stdout = new Capture();
  const stderr = new Capture();
  let dir: string;
  let fake: FakeAws;
  let estate: RehearsalEstate;
  let dr: OfflineDrStack;
  let prod: OfflineDrStack;
  let restoreEnv: () => void;

  /** The fake's resource of each of prod's data resources, by the program's logical name. */
  const live = (logicalName: string): SimResource | undefined => {
    const own = estate.resources.find((r) => r.logicalName === logicalName);
    return own && fake.resource(own.resourceArn);
  };

  /** What `pulumi up` of prod leaves on its data resources: the tags the program gives them now (stacks/failedBack.ts ownServed). */
  const applyProdTags = async () => {
    const planned = await prod.planned();
    for (const own of estate.resources) {
      const tags = planned.find((r) => r.name === own.logicalName)?.inputs.tags as
        Record<string, string> | undefined;
      const resource = fake.resource(own.resourceArn);
      if (resource) {
        for (const key of Object.keys(resource.tags)) delete resource.tags[key];
        Object.assign(resource.tags, tags ?? {});
      }
    }
  };

  /** Prod's `appData` output as a deployment reports it: each restored identifier its config names, else its own resource's. */
  const prodAppData = () => {
    const own = (type: string) => estate.resources.find((r) => r.resourceType === type)?.name;
    const data = Object.values(appliedRestoredData(prod));
    const configured = (key: keyof typeof DR_CONFIG_KEYS, kind: string) =>
      data.find((e) => e.kind === kind)?.id ?? prod?.appliedConfig(DR_CONFIG_KEYS[key]);
    return {
      dbInstanceId: configured("restoredDbInstanceId", "rds") ?? own("RDS"),
      tableName: configured("restoredTableName", "dynamodb") ?? own("DynamoDB"),
      bucketName: configured("restoredBucketName", "s3") ?? own("S3"),
      volumeId: configured("restoredVolumeId", "ebs") ?? own("EBS"),
    };
  };

  /** Which server a health check reaches: dr's while its servers serve and log in with the dr secret; prod's on the failed-back database with prod's. */
  const health = (url: string): number => {
    const now = clock.now();
    if (url === DR_HEALTH) {
      const serving = fake.autoScaling.servingSlots(estate.drRegion, groupName("dr"), now).length > 0;
      return serving && fake.loginProblem() === undefined ? 200 : 503;
    }
    const serving = fake.autoScaling.servingSlots(estate.primaryRegion, groupName("prod"), now).length > 0;
    // The database prod's servers use: the failed-back one its restoredData names, once applied.
    const database = Object.values(
      restoredDataOf({ [RESTORED_DATA_KEY]: prod.appliedConfig(RESTORED_DATA_KEY) }),
    ).find((entry) => entry.kind === "rds")?.id;
    const db = fake.resources(estate.primaryRegion).find((r) => r.type === "RDS" && r.id === database);
    const secret = prodSecret && fake.secrets.value(estate.primaryRegion, prodSecret);
    return serving && database && !loginProblem(db, secret, now) ? 200 : 503;
  };
  let prodSecret: string | undefined;

  /** The prod stack as `pulumi up` deploys it: after each update, its data resources carry the tags the program gives them now. */
  const prodTagging = () => new FakeDrStack(clock, { over: prod, onUp: applyProdTags });

  const run = (args: string[]): Promise<number> => {
    const deps = testDeps({
      stdout,
      stderr,
      env: process.env,
      clock,
      openStack: async ({ stackName }) =>
        stackName?.split("/").pop() === estate.primaryStack ? prodTagging() : dr,
      fetch: async (url) => ({ status: health(url) }),
      resolveAddresses: async (hostname) => {
        fake.resources();
        return fake.resolver.addresses(hostname);
      },
      prompt: async () => "no",
    });
    return main(
      [
        "--work-dir",
        ROOT,
        "--stack",
        "dr",
        "--state-dir",
        path.join(dir, ".dr"),
        "--report-dir",
        path.join(dir, "reports"),
        ...args,
      ],
      deps,
    );
  };

  /** Prod's backup rule runs: what carries a tag of prod's backup selection (as its program deploys it) is backed up and copied to the DR vault. */
  const runProdPlan = async () => {
    const selection = (await prod.planned()).find((r) => r.type === "aws:backup/selection:Selection");
    const tags = Object.fromEntries(
      ((selection?.inputs.selectionTags ?? []) as Array<{ key: string; value: string }>).map((t) => [
        t.key,
        t.value,
      ]),
    );
    const started = fake.runBackupPlan({
      region: estate.primaryRegion,
      vault: estate.primaryVaultName,
      selectionTags: tags,
      lifecycle: KEEP,
      copyTo: { vaultArn: vaultArn(estate.drRegion, estate.drVaultName), lifecycle: KEEP },
    });
    await clock.sleep(HOUR);
    return started;
  };

  /** The newest point of `arn` in the DR vault. */
  const newestInDr = (arn: string): SimPoint | undefined =>
    (fake.vault(estate.drRegion, estate.drVaultName)?.points ?? [])
      .filter((p) => p.resourceArn === arn && p.status === "COMPLETED")
      .sort((a, b) => b.creationDate.getTime() - a.creationDate.getTime())[0];

  /** The resource a restore of the recover run created from `sourceArn`'s point, and the point. */
  const restoredFrom = (region: string, sourceArn: string, after: number) =>
    fake
      .resources(region)
      .map((r) => ({ resource: r, job: r.restoreJobId ? fake.jobs.get(r.restoreJobId) : undefined }))
      .filter(({ job }) => job && job.point.resourceArn === sourceArn && job.startedAt >= after)
      .map(({ resource, job }) => ({ resource, point: job?.point as SimPoint }))[0];

  const journal = (): RunJournal =>
    JSON.parse(fs.readFileSync(path.join(dir, ".dr", "recover.json"), "utf8")) as RunJournal;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-story-"));
    estate = await readEstate(ROOT, "prod");
    const drDeployed = deployedOutputs(estate, "dr", DR_HEALTH, Object.values(estate.replicaBuckets)[0]);
    dr = new OfflineDrStack({
      projectDir: ROOT,
      stackName: "dr",
      // With prod's `appData` as the dr stack's StackReference reads it at an update: the failback's last
      // step updates the dr stack after prod took the failed-back data.
      deployed: (planned, evaluated) => ({
        ...drDeployed(planned, evaluated),
        primaryAppData: prodAppData(),
      }),
      clock,
    });
    prod = offlineProdStack({ projectDir: ROOT, estate, healthUrl: PROD_HEALTH, clock });
    // The public name of the simulation's failover records (cycleSimulation), users following it.
    const dns = { "dr-app:domainName": REHEARSAL_DOMAIN, "dr-app:route53ZoneId": REHEARSAL_ZONE_ID };
    await dr.setConfig(dns);
    await prod.setConfig(dns);
    const secrets = [...credentialSecrets(await dr.planned()), ...credentialSecrets(await prod.planned())];
    prodSecret = (await prod.outputs()).dbCredentialSecretArn;
    const planned = await prod.planned();
    const simulation = cycleSimulation({
      estate,
      scenario: { name: "story", description: "" },
      drStack: "dr",
      stacks: { dr, prod },
      origins: new Map(),
      healthUrls: { dr: DR_HEALTH, prod: PROD_HEALTH },
      drCredentialSecretArn: (await dr.outputs()).dbCredentialSecretArn,
    });
    fake = await startFakeAws({
      ...simulation,
      points: [],
      vaultName: estate.drVaultName,
      primaryVaultName: estate.primaryVaultName,
      drRegion: estate.drRegion,
      primaryRegion: estate.primaryRegion,
      downRegion: "none",
      clock,
      secrets,
      // Prod's data as deployed: with the tags the program gives it (its plan selects by them).
      resources: estate.resources.map((r) => ({
        type: r.resourceType,
        id: r.name,
        region: estate.primaryRegion,
        metadata: r.restoreMetadata,
        tags: planned.find((p) => p.name === r.logicalName)?.inputs.tags as Record<string, string>,
      })),
      jobScript: { backupMs: 10 * MIN, copyMs: 15 * MIN, restoreMs: 20 * MIN, incrementalFactor: 0.3 },
      jobsPageSize: 100,
      restoreJobsPageSize: 100,
    });
    restoreEnv = applyEnvironment(rehearsalEnvironment(fake.url, estate.drRegion, dir));
  });

  after(async () => {
    restoreEnv?.();
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("loses no write across the cycle and restores the newest data each time", async () => {
    const data = ["app-db", "app-table", "app-volume"];
    const bucket = estate.resources.find((r) => r.resourceType === "S3");

    // Prod serves for a day and more; its daily plan backs up what carries its tag and copies it to DR.
    await clock.sleep(6 * HOUR);
    await runProdPlan();
    await clock.sleep(DAY - HOUR);
    const firstPlan = await runProdPlan();
    expect(firstPlan.backups.map((b) => b.resourceArn)).to.have.members(
      estate.resources.map((r) => r.resourceArn),
    );
    const captured = Object.fromEntries(
      data.map((name) => [name, newestInDr(live(name)?.arn ?? "")?.state?.writes]),
    );
    for (const name of data) expect(captured[name], name).to.be.greaterThan(0);

    // The primary region goes down (the writes since that backup began are the RPO); the operator recovers in DR.
    fake.setReachable(estate.primaryRegion, false);
    const firstRecoverAt = clock.now();
    expect(await run(["recover", "--yes"]), stderr.text).to.equal(0);
    expect(stderr.text).to.not.match(/credential could not be set/);
    expect(fake.loginProblem()).to.equal(undefined);
    const inDr = Object.fromEntries(
      data.map((name) => [name, restoredFrom(estate.drRegion, live(name)?.arn ?? "", firstRecoverAt)]),
    );
    for (const name of data) {
      // The newest point of each of prod's resources, which holds every write it captured.
      expect(inDr[name]?.point.recoveryPointArn, name).to.equal(
        newestInDr(live(name)?.arn ?? "")?.recoveryPointArn,
      );
      expect(inDr[name]?.point.state?.writes, name).to.equal(captured[name]);
    }

    // Days of writes in DR by users through the public name; the dr stack's restored-data plan runs daily.
    const drTags = (await dr.outputs()).restoredSettings?.selectionTags ?? {};
    for (let day = 0; day < 3; day++) {
      await clock.sleep(DAY);
      const drPlan = fake.runBackupPlan({
        region: estate.drRegion,
        vault: estate.drVaultName,
        selectionTags: drTags,
        lifecycle: KEEP,
      });
      // What the recover restored carries the tags it set: the plan takes the database, table and volume.
      expect(
        drPlan.backups.map((b) => b.resourceArn),
        `day ${day + 1}`,
      ).to.include.members(data.map((name) => inDr[name]?.resource.arn));
    }
    expect(fake.loginProblem()).to.equal(undefined);
    const usersInDr = fake.appRequests.filter((q) => q.region === estate.drRegion && q.wrote.length > 0);
    expect(usersInDr.length).to.be.greaterThan(3 * 90);

    // The primary region is back; the operator fails back.
    fake.setReachable(estate.primaryRegion, true);
    await clock.sleep(HOUR);
    const failbackAt = clock.now();
    expect(await run(["failback", "--yes", "--prod-stack", "prod"]), stderr.text).to.equal(0);
    const inProd = Object.fromEntries(
      data.map((name) => [
        name,
        restoredFrom(estate.primaryRegion, inDr[name]?.resource.arn ?? "", failbackAt),
      ]),
    );
    for (const name of data) {
      // Every write made in DR came back: the failed-back copy holds what the DR resource took, in all.
      expect(inProd[name]?.point.state?.writes, name).to.equal(inDr[name]?.resource.writes);
      // Prod's own resource is kept but no longer carries the selection tag; the fb- copy does.
      expect(
        Object.entries(drTags).some(([k, v]) => live(name)?.tags[k] === v),
        name,
      ).to.equal(false);
    }
    // No user write reached the pre-disaster data once the region was back.
    expect(
      fake.appRequests.filter(
        (q) => q.at >= failbackAt && q.wrote.some((arn) => data.some((name) => live(name)?.arn === arn)),
      ),
    ).to.deep.equal([]);

    // Prod serves on the failed-back data; its plan backs up what carries its tag: the fb- copies, not the old ones.
    await clock.sleep(DAY);
    const secondPlan = await runProdPlan();
    const secondArns = secondPlan.backups.map((b) => b.resourceArn);
    expect(secondArns).to.include.members(data.map((name) => inProd[name]?.resource.arn));
    for (const name of data) expect(secondArns, name).to.not.include(live(name)?.arn);
    const lastBackup = Object.fromEntries(
      data.map((name) => [name, newestInDr(inProd[name]?.resource.arn ?? "")]),
    );
    // When each backup began: it holds the writes made until then.
    const backupStart = Object.fromEntries(
      data.map((name) => {
        const job = secondPlan.backups.find((b) => b.resourceArn === inProd[name]?.resource.arn);
        const record = fake.backupAndCopy.describeBackup(estate.primaryRegion, job?.backupJobId ?? "");
        return [name, (record.CreationDate as Date).getTime()];
      }),
    );

    // The primary region goes down again; the operator sends the name to DR and recovers, naming nothing.
    fake.setReachable(estate.primaryRegion, false);
    const cloudWatch = new CloudWatchClient({ region: estate.drRegion });
    await cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: FAILOVER_SWITCH.namespace,
        MetricData: [
          {
            MetricName: FAILOVER_SWITCH.metricName,
            Dimensions: [{ Name: FAILOVER_SWITCH.dimension, Value: REHEARSAL_DOMAIN }],
            Value: 1,
            Timestamp: new Date(clock.now()),
          },
        ],
      }),
    );
    cloudWatch.destroy();
    const secondRecoverAt = clock.now();
    // Every restore completes, but the plan includes prod's pre-disaster resources, abandoned at the failback,
    // whose newest points are days old: the achieved RPO (the oldest point used) is past the 1800-minute
    // objective, so the run says RPO OBJECTIVE MISSED on its last line and exits 1.
    expect(await run(["recover", "--yes"]), stderr.text).to.equal(1);
    const last = stdout.text.trimEnd().split("\n").pop() ?? "";
    const missed =
      /: RPO OBJECTIVE MISSED; RPO MISSED: (\d+(?:\.\d)?) min, target 1800 min; RTO met: .*; exit 1$/.exec(
        last,
      );
    expect(missed, last).to.not.equal(null);
    // The abandoned resources' newest points are days old: more than four days, less than a week.
    expect(Number(missed?.[1]), last).to.be.within(4 * 1440, 7 * 1440);
    const plan = journal().plan;
    // Only prod's resources of the primary region (and its bucket) are planned, none restored in DR.
    expect(plan.every((p) => !p.resourceArn.includes(`:${estate.drRegion}:`))).to.equal(true);
    for (const name of data) {
      const again = restoredFrom(estate.drRegion, inProd[name]?.resource.arn ?? "", secondRecoverAt);
      // The newest data: the fb- copy's last backup, with every write made before it began.
      expect(again?.point.recoveryPointArn, name).to.equal(lastBackup[name]?.recoveryPointArn);
      expect(again?.point.state?.writes, name).to.be.at.least(inProd[name]?.point.state?.writes ?? Infinity);
      // No write lost: all writes of the cycle up to that backup, by the fake's counters: the first point's,
      // every user write in DR, and every user write to the fb- copy before its backup began.
      const writesTo = (arn: string | undefined, before: number) =>
        fake.appRequests.filter((q) => q.at <= before && arn !== undefined && q.wrote.includes(arn)).length;
      expect(again?.point.state?.writes, name).to.equal(
        (captured[name] ?? 0) +
          writesTo(inDr[name]?.resource.arn, Infinity) +
          writesTo(inProd[name]?.resource.arn, backupStart[name]),
      );
    }
    // The dr stack runs on them: the database and table restored from the fb- copies.
    expect(
      Object.values(restoredDataOf({ [RESTORED_DATA_KEY]: dr.appliedConfig(RESTORED_DATA_KEY) })).find(
        (entry) => entry.kind === "rds",
      )?.id,
    ).to.equal(
      restoredFrom(estate.drRegion, inProd["app-db"]?.resource.arn ?? "", secondRecoverAt)?.resource.id,
    );
    // The bucket: every object users put in DR the first time is in the bucket restored the second time.
    if (bucket) {
      const firstBucket = restoredFrom(estate.drRegion, bucket.resourceArn, firstRecoverAt)?.resource;
      const secondBucket = fake
        .resources(estate.drRegion)
        .filter(
          (r) =>
            r.type === "S3" &&
            r.restoreJobId &&
            (fake.jobs.get(r.restoreJobId)?.startedAt ?? 0) >= secondRecoverAt,
        )[0];
      const writtenInDr = [...(firstBucket?.objects.keys() ?? [])].filter((k) => k.startsWith("app/"));
      expect(writtenInDr.length).to.be.greaterThan(0);
      expect([...(secondBucket?.objects.keys() ?? [])]).to.include.members(writtenInDr);
    }
    expect(fake.loginProblem()).to.equal(undefined);
  });
});
