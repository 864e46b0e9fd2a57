// The failback's S3 phase with two buckets: each DR bucket's writes and deletes reach its own prod bucket, per-bucket resume, one bucket failing.
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { expect } from "chai";
import { InterruptedError } from "../../../../scripts/errors";
import { FailbackJournal, upgradeFailbackJournal } from "../../../../scripts/recovery/failback/journal";
import { PhaseContext } from "../../../../scripts/recovery/failback/phaseContext";
import { runS3CopyBack } from "../../../../scripts/recovery/failback/s3CopyBack";
import { FakeAws, startFakeAws } from "../../../../scripts/simulation/fakeAwsServer";
import { PhaseResult } from "../../../../scripts/recovery/core/phaseRunner";
import { awsError } from "../../../fakes/sdkFrontEnd";
import { simulationClient } from "../../../fakes/simulationClient";

const DATA = { drBucket: "app-data-replica", sourceBucket: "app-data" };
const ASSETS = { drBucket: "app-assets-replica", sourceBucket: "app-assets" };
const RECOVERY_STARTED = Date.parse("2026-04-12T09:00:00Z");
const HOUR = 3_600_000;

/**
 * Two prod buckets, each replicating into its own replica in the DR region as components/src/replication.ts
 * deploys it (delete markers too), against the local fake of both regions: what the application created,
 * overwrote and deleted in each DR bucket goes back to that bucket's own source, never the other's.
 */
describe("failback s3-copy of two buckets, each back into its own prod bucket", function () {
  this.timeout(30_000);
  let time = RECOVERY_STARTED;
  const clock = { now: () => ++time };
  let fake: FakeAws;
  let drS3: S3Client;
  let primaryS3: S3Client;
  let lines: string[];
  let journal: FailbackJournal;
  const s3 = (region: string) => new S3Client(simulationClient(fake.url, region));
  const object = (body: string, at: number) => ({ body, etag: `"${body.length}"`, lastModified: at });

  beforeEach(async () => {
    time = RECOVERY_STARTED - HOUR;
    const before = RECOVERY_STARTED - 2 * HOUR;
    const data = { "old.json": object("old", before), "gone.json": object("gone", before) };
    const assets = { "banner.png": object("banner v1", before), "retired.png": object("retired", before) };
    const pair = (p: typeof DATA, objects: Record<string, ReturnType<typeof object>>) => [
      {
        type: "S3" as const,
        id: p.sourceBucket,
        region: "us-east-1",
        state: { writes: 2, objects },
        replication: { destinationBucket: p.drBucket, deleteMarkerReplication: true },
      },
      { type: "S3" as const, id: p.drBucket, region: "us-west-2", state: { writes: 2, objects } },
    ];
    fake = await startFakeAws({
      points: [],
      clock,
      downRegion: "none",
      resources: [...pair(DATA, data), ...pair(ASSETS, assets)],
    });
    drS3 = s3("us-west-2");
    primaryS3 = s3("us-east-1");
    lines = [];
    journal = {
      kind: "failback",
      failback: {
        buckets: [DATA, ASSETS],
        recoveryStartedAt: new Date(RECOVERY_STARTED).toISOString(),
        phases: [],
      },
    } as unknown as FailbackJournal;
  });

  afterEach(async () => {
    drS3.destroy();
    primaryS3.destroy();
    await fake.close();
  });

  const run = (signal = new AbortController().signal): Promise<PhaseResult> =>
    runS3CopyBack({
      journal,
      pre: { drClients: { s3: drS3 }, primaryClients: { s3: primaryS3 } },
      command: {
        out: { info: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) },
        deps: { clock },
        signal,
      },
      store: { save: () => undefined },
      options: {},
    } as unknown as PhaseContext);

  const put = (bucket: string, key: string, body: string) =>
    drS3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

  /** While DR served: in each bucket an object created, one overwritten and one deleted. */
  async function daysInDr(newAssets: readonly string[] = ["logo.png"]): Promise<void> {
    time = RECOVERY_STARTED + HOUR;
    await put(DATA.drBucket, "orders/1.json", '{"id":1}');
    await put(DATA.drBucket, "old.json", "old, edited in DR");
    await drS3.send(new DeleteObjectCommand({ Bucket: DATA.drBucket, Key: "gone.json" }));
    for (const key of newAssets) {
      await put(ASSETS.drBucket, key, `${key} from DR`);
    }
    await put(ASSETS.drBucket, "banner.png", "banner v2");
    await drS3.send(new DeleteObjectCommand({ Bucket: ASSETS.drBucket, Key: "retired.png" }));
    time = RECOVERY_STARTED + 5 * HOUR;
  }

  /** A prod bucket's current objects, key -> body, and the keys whose current entry is a delete marker. */
  async function prodBucket(bucket: string): Promise<{ bodies: Record<string, string>; deleted: string[] }> {
    const listed = await primaryS3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const bodies: Record<string, string> = {};
    for (const v of (listed.Versions ?? []).filter((x) => x.IsLatest)) {
      const got = await primaryS3.send(new GetObjectCommand({ Bucket: bucket, Key: v.Key }));
      bodies[v.Key as string] = (await got.Body?.transformToString()) ?? "";
    }
    const deleted = (listed.DeleteMarkers ?? []).filter((m) => m.IsLatest).map((m) => m.Key as string);
    return { bodies, deleted };
  }

  /** The CopyObject requests that reached prod's region, by bucket/key path. */
  const copiesInProd = () =>
    fake.requests
      .filter((r) => r.region === "us-east-1" && r.operation === "CopyObject")
      .map((r) => decodeURIComponent(r.path.replace(/^\//, "").split("?")[0]));

  it("creates, overwrites and deletes in each prod bucket exactly what was done to its own DR bucket", async () => {
    await daysInDr();
    const result = await run();
    expect(result.outcome, `${result.detail}\n${lines.join("\n")}`).to.equal("ok");
    expect(result.detail).to.equal(
      [
        "2 bucket(s)",
        "app-data-replica -> app-data: 2 of 2 object(s) verified in app-data (2 copied); 1 delete(s) made in DR carried back (older versions kept)",
        "app-assets-replica -> app-assets: 2 of 2 object(s) verified in app-assets (2 copied); 1 delete(s) made in DR carried back (older versions kept)",
      ].join(" | "),
    );
    expect(await prodBucket("app-data")).to.deep.equal({
      bodies: { "old.json": "old, edited in DR", "orders/1.json": '{"id":1}' },
      deleted: ["gone.json"],
    });
    expect(await prodBucket("app-assets")).to.deep.equal({
      bodies: { "banner.png": "banner v2", "logo.png": "logo.png from DR" },
      deleted: ["retired.png"],
    });
    expect(copiesInProd().sort()).to.deep.equal([
      "app-assets/banner.png",
      "app-assets/logo.png",
      "app-data/old.json",
      "app-data/orders/1.json",
    ]);
    // One record a bucket, each done and counting only its own bucket's objects.
    expect(journal.failback.s3?.map((r) => [r.drBucket, r.sourceBucket, r.written, r.copied])).to.deep.equal([
      ["app-data-replica", "app-data", 2, 2],
      ["app-assets-replica", "app-assets", 2, 2],
    ]);
    expect(journal.failback.s3?.every((r) => r.doneAt && r.writtenAfterListing === 0)).to.equal(true);
  });

  it("interrupted mid-second-bucket, the re-run copies what is left of each bucket: no object twice, none skipped", async () => {
    // More new objects than the ten copies a bucket runs at once: some are left when Ctrl-C lands.
    const newAssets = Array.from({ length: 14 }, (_, i) => `img/${String(i).padStart(2, "0")}.png`);
    await daysInDr(newAssets);
    const controller = new AbortController();
    const send = primaryS3.send.bind(primaryS3) as (command: unknown, options?: unknown) => Promise<unknown>;
    let assetCopies = 0;
    // Ctrl-C as the second bucket's first copy is answered. The copies already sent are answered (the
    // signal is not handed to the SDK here, so none is cut off on the wire and lands unseen later); every
    // copy worker then stops before its next object.
    (primaryS3 as unknown as { send: typeof send }).send = async (command) => {
      const answer = await send(command);
      if (
        command instanceof CopyObjectCommand &&
        command.input.Bucket === ASSETS.sourceBucket &&
        ++assetCopies === 1
      ) {
        controller.abort();
      }
      return answer;
    };
    let thrown: unknown;
    await run(controller.signal).catch((err: unknown) => (thrown = err));
    expect(thrown).to.be.instanceOf(InterruptedError);
    const assets = journal.failback.s3?.find((r) => r.drBucket === ASSETS.drBucket);
    expect(assets?.doneAt).to.equal(undefined);
    const copiedBefore = copiesInProd().filter((p) => p.startsWith("app-assets/"));
    // The ten in flight when Ctrl-C landed, of fifteen.
    expect(copiedBefore).to.have.length(10);

    const result = await run();
    expect(result.outcome, `${result.detail}\n${lines.join("\n")}`).to.equal("ok");
    const copies = copiesInProd();
    expect(copies.length, copies.join("\n")).to.equal(new Set(copies).size);
    expect(copies.sort()).to.deep.equal(
      [
        ...newAssets.map((k) => `app-assets/${k}`),
        "app-assets/banner.png",
        "app-data/old.json",
        "app-data/orders/1.json",
      ].sort(),
    );
    expect((await prodBucket("app-assets")).bodies).to.deep.equal({
      ...Object.fromEntries(newAssets.map((k) => [k, `${k} from DR`])),
      "banner.png": "banner v2",
    });
    expect((await prodBucket("app-data")).deleted).to.deep.equal(["gone.json"]);
    expect(journal.failback.s3?.every((r) => r.doneAt)).to.equal(true);
  });

  it("one bucket's copy failing: the phase fails naming that bucket; the other is copied back and not copied again by the re-run", async () => {
    await daysInDr();
    const send = primaryS3.send.bind(primaryS3) as (command: unknown, options?: unknown) => Promise<unknown>;
    let denied = true;
    (primaryS3 as unknown as { send: typeof send }).send = async (command, options) => {
      if (denied && command instanceof CopyObjectCommand && command.input.Bucket === ASSETS.sourceBucket) {
        throw awsError("AccessDenied", "User is not authorized to perform: s3:PutObject on app-assets", 403);
      }
      return send(command, options);
    };
    const result = await run();
    expect(result.outcome).to.equal("failed");
    expect(result.detail).to.match(/^1 of 2 bucket\(s\) failed \(app-assets-replica\) \| /);
    expect(result.detail).to.contain(
      "app-assets-replica -> app-assets: FAILED: S3 copy back of app-assets-replica to app-assets failed: AccessDenied",
    );
    expect(result.detail).to.contain("app-data-replica -> app-data: 2 of 2 object(s) verified in app-data");
    expect((await prodBucket("app-data")).bodies["orders/1.json"]).to.equal('{"id":1}');

    // The permission fixed, the re-run copies the failed bucket only.
    denied = false;
    const before = copiesInProd().length;
    const again = await run();
    expect(again.outcome, again.detail).to.equal("ok");
    expect(copiesInProd().slice(before).sort()).to.deep.equal([
      "app-assets/banner.png",
      "app-assets/logo.png",
    ]);
    expect(lines).to.include(
      `s3-copy: app-data-replica -> app-data done at ${journal.failback.s3?.[0]?.doneAt ?? "?"}`,
    );
  });

  it("a journal of one bucket (bucket, s3) resumes as that bucket's record, its counts kept", async () => {
    await daysInDr();
    const old = {
      kind: "failback",
      failback: {
        bucket: DATA,
        recoveryStartedAt: new Date(RECOVERY_STARTED).toISOString(),
        phases: [],
        s3: { since: new Date(RECOVERY_STARTED).toISOString(), written: 2, copied: 1 },
      },
    };
    journal = upgradeFailbackJournal(old as unknown as FailbackJournal);
    expect(journal.failback.buckets).to.deep.equal([DATA]);
    expect(journal.failback).to.not.have.property("bucket");
    const result = await run();
    expect(result.outcome, result.detail).to.equal("ok");
    // The earlier run's copy is counted with this run's two.
    expect(journal.failback.s3).to.have.length(1);
    expect(journal.failback.s3?.[0]).to.deep.include({ ...DATA, written: 2, copied: 3, verified: 2 });
    expect(copiesInProd().every((p) => p.startsWith("app-data/"))).to.equal(true);
  });
});
