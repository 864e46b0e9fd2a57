// `dr failback --yes` with two buckets in the dr stack's restoredData: both copied back, or the run stops before prod serves, naming the bucket.
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CopyObjectCommand } from "@aws-sdk/client-s3";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { FailbackJournal } from "../../../../scripts/recovery/failback/journal";
import { FailbackReport } from "../../../../scripts/recovery/failback/report";
import { PROD_OUTPUTS } from "../../../../scripts/simulation/fixtures";
import { etagOf } from "../../../../scripts/simulation/resourceStore";
import { FailbackAws } from "../../../fakes/failbackAws";
import {
  ACTIVE_DR_CONFIG,
  RECOVERY_STARTED,
  RESTORED,
  failbackHarness,
  failbackAwsOf,
} from "../../../fakes/failbackFixture";
import { FakeDrStack } from "../../../fakes/fakeStack";
import { Harness } from "../../../fakes/harness";
import { awsError } from "../../../fakes/sdkFrontEnd";

const RUN = "20260412t090000a7";
const ASSETS = "app-assets";
const ASSETS_REPLICA = "app-assets-replica-us-west-2";

describe("dr failback --yes with two buckets (in process, AWS on aws-sdk-client-mock)", () => {
  let h: Harness;
  let aws: FailbackAws;
  let prod: () => FakeDrStack;
  afterEach(() => {
    aws?.dispose();
    h?.dispose();
  });

  /** The fixture's failback, its dr stack serving from a second bucket too: the assets' replica. */
  const setUp = () => {
    const data = {
      ...JSON.parse(ACTIVE_DR_CONFIG["dr-app:restoredData"]),
      assets: { kind: "s3", id: ASSETS_REPLICA },
    };
    const made = failbackHarness({
      prodConfig: { "dr-app:domainName": "api.example.com" },
      drConfig: { ...ACTIVE_DR_CONFIG, "dr-app:restoredData": JSON.stringify(data) },
      drStack: { outputs: { replicaBuckets: { "app-data": RESTORED.replica, [ASSETS]: ASSETS_REPLICA } } },
    });
    ({ h, prod } = made);
    const started = Date.parse(RECOVERY_STARTED);
    aws = failbackAwsOf(made, {
      drObjects: { "old.txt": -60, "orders/1.json": 30 },
      sourceObjects: { "old.txt": -60 },
      prodConfig: () => prod().config,
    });
    const object = (key: string, minutes: number) => ({
      body: key,
      etag: etagOf(key),
      lastModified: started + minutes * 60_000,
    });
    const store = h.sim.model.store;
    store.add({
      type: "S3",
      id: ASSETS,
      region: PROD_OUTPUTS.region,
      state: { writes: 1, objects: { "banner.png": object("banner.png", -60) } },
    });
    store.add({
      type: "S3",
      id: ASSETS_REPLICA,
      region: h.sim.model.drRegion,
      state: {
        writes: 2,
        objects: { "banner.png": object("banner.png", -60), "logo.png": object("logo.png", 45) },
      },
    });
  };
  const journal = (): FailbackJournal =>
    JSON.parse(fs.readFileSync(path.join(h.stateDir, "failback.json"), "utf8")) as FailbackJournal;
  const report = (): FailbackReport =>
    JSON.parse(fs.readFileSync(path.join(h.reportDir, `failback-${RUN}.json`), "utf8")) as FailbackReport;
  const copies = () =>
    h.s3.commandCalls(CopyObjectCommand).map((c) => `${c.args[0].input.Bucket}/${c.args[0].input.Key}`);

  it("copies each bucket's writes back into its own prod bucket; the report counts both", async () => {
    setUp();
    expect(await h.run(["failback", "--yes"]), h.stderr.text).to.equal(0);
    expect(copies().sort()).to.deep.equal(["app-assets/logo.png", "app-data/orders/1.json"]);
    expect(aws.source.objects.has("orders/1.json")).to.equal(true);
    expect(h.sim.model.store.find(PROD_OUTPUTS.region, ["S3"], ASSETS)?.objects.has("logo.png")).to.equal(
      true,
    );
    expect(journal().failback.buckets).to.deep.equal([
      { drBucket: RESTORED.replica, sourceBucket: "app-data" },
      { drBucket: ASSETS_REPLICA, sourceBucket: ASSETS },
    ]);
    const r = report();
    expect(r.s3?.map((s) => [s.drBucket, s.written, s.verified])).to.deep.equal([
      [RESTORED.replica, 1, 1],
      [ASSETS_REPLICA, 1, 1],
    ]);
    expect(r.writesLost).to.deep.include({ total: 0, s3Objects: 0 });
    expect(r.writesLost?.basis).to.include.members([
      `${RESTORED.replica} -> app-data: 1 object(s) written to the DR bucket since ${RECOVERY_STARTED}, 1 found in the source bucket after the copy, 0 written after the DR bucket was listed`,
      `${ASSETS_REPLICA} -> ${ASSETS}: 1 object(s) written to the DR bucket since ${RECOVERY_STARTED}, 1 found in the source bucket after the copy, 0 written after the DR bucket was listed`,
    ]);
    const markdown = fs.readFileSync(path.join(h.reportDir, `failback-${RUN}.md`), "utf8");
    expect(markdown).to.contain(
      `- \`${RESTORED.replica}\` -> \`app-data\`: written in DR since ${RECOVERY_STARTED}: 1;`,
    );
    expect(markdown).to.contain(
      `- \`${ASSETS_REPLICA}\` -> \`${ASSETS}\`: written in DR since ${RECOVERY_STARTED}: 1;`,
    );
  });

  it("one bucket's copy failing stops the run before prod takes traffic, naming the bucket; the re-run copies only that bucket", async () => {
    setUp();
    let denied = true;
    aws.s3.beforeCall.push((command, input) => {
      if (denied && command === "CopyObject" && input.Bucket === ASSETS) {
        throw awsError("AccessDenied", `User is not authorized to perform: s3:PutObject on ${ASSETS}`, 403);
      }
    });
    expect(await h.run(["failback", "--yes"])).to.equal(3);
    const stopped = journal();
    expect(stopped.state).to.equal("running");
    expect(stopped.failback.phases.map((p) => `${p.phase}:${p.outcome}`)).to.deep.equal([
      "pre-copy:ok",
      "freeze:ok",
      "final-copy:ok",
      "restore:ok",
      "s3-copy:failed",
    ]);
    expect(h.stdout.text).to.contain(
      `note: stopped at s3-copy: 1 of 2 bucket(s) failed (${ASSETS_REPLICA}) | ${RESTORED.replica} -> app-data: 1 of 1 object(s) verified in app-data (1 copied) | ${ASSETS_REPLICA} -> ${ASSETS}: FAILED: S3 copy back of ${ASSETS_REPLICA} to ${ASSETS} failed: AccessDenied`,
    );
    // Prod still held at zero on the pre-disaster data, no switch: nobody reaches prod without its objects.
    expect(prod().config["dr-app:holdServers"]).to.equal("true");
    expect(prod().config["dr-app:restoredData"]).to.equal(undefined);
    expect(aws.cloudwatch.commandCalls(PutMetricDataCommand)).to.have.length(0);
    expect(report().writesLost?.s3Objects).to.equal(undefined);

    denied = false;
    const before = copies().length;
    expect(await h.run(["failback", "--yes"]), h.stderr.text).to.equal(0);
    expect(copies().slice(before)).to.deep.equal([`${ASSETS}/logo.png`]);
    expect(report().writesLost).to.deep.include({ total: 0, s3Objects: 0 });
    expect(aws.cloudwatch.commandCalls(PutMetricDataCommand)).to.have.length(1);
  });
});
