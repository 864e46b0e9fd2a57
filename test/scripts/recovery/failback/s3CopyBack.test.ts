import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { expect } from "chai";
import { FailbackJournal } from "../../../../scripts/recovery/failback/journal";
import { PhaseContext } from "../../../../scripts/recovery/failback/phaseContext";
import { runS3CopyBack } from "../../../../scripts/recovery/failback/s3CopyBack";
import { partSizeFor } from "../../../../scripts/recovery/failback/s3LargeCopy";
import { FakeAws, startFakeAws } from "../../../../scripts/simulation/fakeAwsServer";
import { restoredObjects } from "../../../../scripts/simulation/resourceStore";
import { PhaseResult } from "../../../../scripts/recovery/core/phaseRunner";
import { simulationClient } from "../../../fakes/simulationClient";

const GiB = 1024 ** 3;
const PROD = "app-data";
const DR = "app-data-replica";
const RECOVERY_STARTED = Date.parse("2026-04-12T09:00:00Z");
const HOUR = 3_600_000;

/**
 * The failback's S3 phase against the local fake of both regions, with prod's bucket replicating into
 * the DR bucket as components/src/replication.ts deploys it (delete markers too, the component's
 * default): objects written in DR since the recovery started go back, large ones by multipart copy;
 * deletes made in DR are carried back; the copies' replicas coming back into the DR bucket are not
 * writes made in DR.
 */
describe("failback s3-copy against the simulated buckets of both regions", function () {
  this.timeout(30_000);
  let time = RECOVERY_STARTED - 2 * HOUR;
  // Every reading of the clock moves it on a millisecond: the copies happen after the listing.
  const clock = { now: () => ++time };
  let fake: FakeAws;
  let drS3: S3Client;
  let primaryS3: S3Client;
  let lines: string[];
  let journal: FailbackJournal;
  const s3 = (region: string) => new S3Client(simulationClient(fake.url, region));
  const object = (at: number) => ({
    body: "{}",
    etag: '"99914b932bd37a50b76c8e4c3e0b8a08"',
    lastModified: at,
  });

  beforeEach(async () => {
    time = RECOVERY_STARTED - HOUR;
    const before = RECOVERY_STARTED - 2 * HOUR;
    const pre = { "old.json": object(before), "gone.json": object(before), "kept.json": object(before) };
    fake = await startFakeAws({
      points: [],
      clock,
      downRegion: "none",
      resources: [
        {
          type: "S3",
          id: PROD,
          region: "us-east-1",
          state: { writes: 3, objects: pre },
          replication: { destinationBucket: DR, deleteMarkerReplication: true },
        },
        { type: "S3", id: DR, region: "us-west-2", state: { writes: 3, objects: pre } },
      ],
    });
    drS3 = s3("us-west-2");
    primaryS3 = s3("us-east-1");
    lines = [];
    journal = {
      kind: "failback",
      failback: {
        buckets: [{ drBucket: DR, sourceBucket: PROD }],
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

  const run = (): Promise<PhaseResult> =>
    runS3CopyBack({
      journal,
      pre: { drClients: { s3: drS3 }, primaryClients: { s3: primaryS3 } },
      command: {
        out: { info: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) },
        deps: { clock },
        signal: new AbortController().signal,
      },
      store: { save: () => undefined },
      options: {},
    } as unknown as PhaseContext);

  /** The DR application's writes while DR served: an object, a 6 GiB one (unless `large` is false), a delete. */
  async function daysInDr(large = true): Promise<void> {
    time = RECOVERY_STARTED + HOUR;
    await drS3.send(new PutObjectCommand({ Bucket: DR, Key: "orders/1.json", Body: '{"id":1}' }));
    if (large) {
      fake.putObject(DR, "video.bin", "x", 6 * GiB);
    }
    await drS3.send(new DeleteObjectCommand({ Bucket: DR, Key: "gone.json" }));
    time = RECOVERY_STARTED + 5 * HOUR;
  }

  it("copies an object over 5 GiB back by multipart copy (UploadPartCopy), the rest by CopyObject", async () => {
    await daysInDr();
    const result = await run();
    expect(result, lines.join("\n")).to.deep.include({ outcome: "ok" });
    const copied = await primaryS3.send(new HeadObjectCommand({ Bucket: PROD, Key: "video.bin" }));
    expect(copied.ContentLength).to.equal(6 * GiB);
    const requests = fake.requests.filter((r) => r.region === "us-east-1").map((r) => r.operation);
    expect(requests.filter((o) => o === "UploadPartCopy")).to.have.length(
      Math.ceil((6 * GiB) / partSizeFor(6 * GiB)),
    );
    expect(requests.filter((o) => o === "CopyObject")).to.have.length(1);
    expect(requests).to.include("CompleteMultipartUpload");
    expect(journal.failback.s3?.[0]).to.deep.include({
      written: 2,
      copied: 2,
      verified: 2,
      writtenAfterListing: 0,
    });
  });

  it("does not count the replicas of its own copies coming back into the DR bucket as writes made in DR; a real late write still fails it", async () => {
    await daysInDr(false);
    expect((await run()).outcome, lines.join("\n")).to.equal("ok");
    // The copies came back into the DR bucket as replicas, dated by the copy (after the listing).
    const versions = await drS3.send(new ListObjectVersionsCommand({ Bucket: DR, Prefix: "orders/" }));
    expect(
      versions.Versions?.map((v) => v.LastModified?.getTime() ?? 0).some(
        (t) => t > RECOVERY_STARTED + 5 * HOUR,
      ),
    ).to.equal(true);
    expect(journal.failback.s3?.[0]?.writtenAfterListing).to.equal(0);

    // A write in DR while the copy runs (the freeze leaked) is still caught.
    journal.failback.s3 = undefined;
    await drS3.send(new PutObjectCommand({ Bucket: DR, Key: "orders/2.json", Body: '{"id":2}' }));
    const send = primaryS3.send.bind(primaryS3) as (command: unknown, options?: unknown) => Promise<unknown>;
    let leaked = false;
    (primaryS3 as unknown as { send: typeof send }).send = async (command, options) => {
      if (!leaked && (command instanceof CopyObjectCommand || command instanceof UploadPartCopyCommand)) {
        leaked = true;
        await drS3.send(new PutObjectCommand({ Bucket: DR, Key: "orders/3.json", Body: '{"id":3}' }));
      }
      return send(command, options);
    };
    const result = await run();
    expect(result.outcome).to.equal("failed");
    expect(result.detail).to.match(/; 1 written in DR after the listing$/);
  });

  it("carries a delete made in DR back as a delete marker in prod, keeping prod's versions; never deletes what DR still has, nor what prod wrote since", async () => {
    // kept.json: written in prod after the failover (and replicated), then deleted in DR: kept in prod.
    time = RECOVERY_STARTED + 30 * 60_000;
    await primaryS3.send(new PutObjectCommand({ Bucket: PROD, Key: "kept.json", Body: '{"late":true}' }));
    await daysInDr();
    time = RECOVERY_STARTED + 2 * HOUR;
    await drS3.send(new DeleteObjectCommand({ Bucket: DR, Key: "kept.json" }));
    // Written and deleted in DR: prod never had it, nothing to do.
    await drS3.send(new PutObjectCommand({ Bucket: DR, Key: "tmp.json", Body: "{}" }));
    await drS3.send(new DeleteObjectCommand({ Bucket: DR, Key: "tmp.json" }));
    time = RECOVERY_STARTED + 5 * HOUR;

    const result = await run();
    expect(result.outcome, lines.join("\n")).to.equal("ok");
    const prod = await primaryS3.send(new ListObjectVersionsCommand({ Bucket: PROD }));
    const current = (prod.Versions ?? []).filter((v) => v.IsLatest).map((v) => v.Key);
    expect(current.sort()).to.deep.equal(["kept.json", "old.json", "orders/1.json", "video.bin"]);
    expect((prod.DeleteMarkers ?? []).map((m) => [m.Key, m.IsLatest])).to.deep.equal([["gone.json", true]]);
    expect((prod.Versions ?? []).filter((v) => v.Key === "gone.json")).to.have.length(1);
    expect(journal.failback.s3?.[0]).to.deep.include({
      deletedInDr: 3,
      deletesToCarry: 1,
      deletesCarried: 1,
      keptInProd: ["kept.json"],
      writtenAfterListing: 0,
    });
    expect(result.detail).to.contain("1 delete(s) made in DR carried back");
    expect(result.detail).to.contain(
      "1 key(s) deleted in DR kept in prod (written there since the recovery started): kept.json",
    );
  });

  /** The bodies of a prod bucket's current objects, by key. */
  async function prodBodies(bucket = PROD): Promise<Record<string, string>> {
    const listed = await primaryS3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    const bodies: Record<string, string> = {};
    for (const v of (listed.Versions ?? []).filter((x) => x.IsLatest)) {
      const got = await primaryS3.send(new GetObjectCommand({ Bucket: bucket, Key: v.Key }));
      bodies[v.Key as string] = (await got.Body?.transformToString()) ?? "";
    }
    return bodies;
  }

  /** Runs `during` once, before the first copy of `key` reaches prod (a write the freeze let through). */
  function whileCopying(key: string, during: () => Promise<unknown>): void {
    const send = primaryS3.send.bind(primaryS3) as (command: unknown, options?: unknown) => Promise<unknown>;
    let done = false;
    (primaryS3 as unknown as { send: typeof send }).send = async (command, options) => {
      if (!done && command instanceof CopyObjectCommand && command.input.Key === key) {
        done = true;
        await during();
      }
      return send(command, options);
    };
  }

  it("a re-run copies a DR write made while the first run copied that key, though the copy's replica came back after it (review s4a F2)", async () => {
    await daysInDr(false);
    whileCopying("orders/1.json", () =>
      drS3.send(new PutObjectCommand({ Bucket: DR, Key: "orders/1.json", Body: '{"id":1,"v":2}' })),
    );
    const first = await run();
    expect(first.outcome, lines.join("\n")).to.equal("failed");
    expect(first.detail).to.match(/; 1 written in DR after the listing$/);
    // The first run's copy replicated back into the DR bucket after the DR write: the key's newest version there.
    const dr = await drS3.send(new ListObjectVersionsCommand({ Bucket: DR, Prefix: "orders/1.json" }));
    const copy = Object.values(journal.failback.s3?.[0]?.made?.["orders/1.json"] ?? {});
    expect(dr.Versions?.find((v) => v.IsLatest)?.VersionId).to.be.oneOf(copy);

    const again = await run();
    expect(again.outcome, lines.join("\n")).to.equal("ok");
    expect((await prodBodies())["orders/1.json"]).to.equal('{"id":1,"v":2}');
    expect(journal.failback.s3?.[0]).to.deep.include({ writtenAfterListing: 0, written: 1, verified: 1 });
  });

  it("a re-run carries a delete made in DR after the first run copied the key: the prod object is that run's own copy, not prod's write (review s4a F2)", async () => {
    await daysInDr(false);
    whileCopying("orders/1.json", () =>
      drS3.send(new DeleteObjectCommand({ Bucket: DR, Key: "orders/1.json" })),
    );
    expect((await run()).outcome).to.equal("failed");
    const again = await run();
    expect(again.outcome, lines.join("\n")).to.equal("ok");
    expect(await prodBodies()).to.not.have.property("orders/1.json");
    expect(journal.failback.s3?.[0]?.keptInProd).to.equal(undefined);
  });

  it("counts a DR write the first listing missed though S3 dates it before the listing (S3 dates to the second, the local clock is not S3's) (review s4a F3)", async () => {
    await daysInDr(false);
    whileCopying("orders/1.json", async () => {
      // S3's time 30 s behind the operator's clock.
      time -= 30_000;
      await drS3.send(new PutObjectCommand({ Bucket: DR, Key: "orders/9.json", Body: "{}" }));
      time += 30_000;
    });
    const result = await run();
    expect(result.outcome).to.equal("failed");
    expect(result.detail).to.match(/; 1 written in DR after the listing$/);
  });

  it("names a key prod itself rewrote while DR served, at the same size as DR's write, and keeps prod's (review s4a F4)", async () => {
    await daysInDr(false);
    time = RECOVERY_STARTED + 2 * HOUR;
    await primaryS3.send(new PutObjectCommand({ Bucket: PROD, Key: "orders/1.json", Body: '{"id":9}' }));
    time = RECOVERY_STARTED + 5 * HOUR;
    const result = await run();
    expect(result.outcome, lines.join("\n")).to.equal("ok");
    expect((await prodBodies())["orders/1.json"]).to.equal('{"id":9}');
    expect(journal.failback.s3?.[0]?.writtenKeptInProd).to.deep.equal(["orders/1.json"]);
    expect(result.detail).to.contain(
      `1 key(s) written in DR kept in prod (written there since the recovery started; DR's version left in ${DR}): orders/1.json`,
    );
  });

  it("names a prod key the DR bucket holds no version of any more (deleted there by version id) and keeps it (review s4a F6)", async () => {
    await daysInDr(false);
    const listed = await drS3.send(new ListObjectVersionsCommand({ Bucket: DR, Prefix: "old.json" }));
    for (const v of listed.Versions ?? []) {
      await drS3.send(new DeleteObjectCommand({ Bucket: DR, Key: "old.json", VersionId: v.VersionId }));
    }
    const result = await run();
    expect(result.outcome, lines.join("\n")).to.equal("ok");
    expect(await prodBodies()).to.have.property("old.json");
    expect(journal.failback.s3?.[0]).to.deep.include({ goneFromDr: ["old.json"], goneFromDrCount: 1 });
    expect(result.detail).to.contain(
      `1 key(s) with no version left in ${DR} (deleted there by version id, or never replicated there) kept in prod: old.json`,
    );
  });

  it("a bucket restored from a backup: only what the application wrote after the restore comes back; prod's newer objects and deletes stay (review s4a F1)", async () => {
    const RESTORED_BUCKET = "app-data-restored";
    const before = RECOVERY_STARTED - 2 * HOUR;
    const pointAt = RECOVERY_STARTED - 100 * 60_000;
    const restoredAt = RECOVERY_STARTED + 20 * 60_000;
    const atPoint = {
      "old.json": object(before),
      "gone.json": object(before),
      "kept.json": object(before),
      "edited.json": object(before),
    };
    drS3.destroy();
    primaryS3.destroy();
    await fake.close();
    time = RECOVERY_STARTED - HOUR;
    fake = await startFakeAws({
      points: [],
      clock,
      downRegion: "none",
      resources: [
        { type: "S3", id: PROD, region: "us-east-1", state: { writes: 4, objects: atPoint } },
        // As the simulation's restore writes it (resourceStore.ts restoredObjects): each object dated by the restore.
        {
          type: "S3",
          id: RESTORED_BUCKET,
          region: "us-west-2",
          state: restoredObjects({ writes: 4, objects: atPoint }, restoredAt),
        },
      ],
    });
    drS3 = s3("us-west-2");
    primaryS3 = s3("us-east-1");
    // Prod, after the recovery point and before the outage: kept.json and edited.json rewritten, gone.json deleted.
    time = RECOVERY_STARTED - 30 * 60_000;
    await primaryS3.send(new PutObjectCommand({ Bucket: PROD, Key: "kept.json", Body: "prod, late" }));
    await primaryS3.send(new PutObjectCommand({ Bucket: PROD, Key: "edited.json", Body: "prod, late" }));
    await primaryS3.send(new DeleteObjectCommand({ Bucket: PROD, Key: "gone.json" }));
    // The application in DR, after the restore.
    time = RECOVERY_STARTED + HOUR;
    await drS3.send(
      new PutObjectCommand({ Bucket: RESTORED_BUCKET, Key: "orders/1.json", Body: '{"id":1}' }),
    );
    await drS3.send(new PutObjectCommand({ Bucket: RESTORED_BUCKET, Key: "edited.json", Body: "from DR" }));
    await drS3.send(new DeleteObjectCommand({ Bucket: RESTORED_BUCKET, Key: "old.json" }));
    time = RECOVERY_STARTED + 5 * HOUR;
    journal.failback.buckets.splice(0, 1, {
      drBucket: RESTORED_BUCKET,
      sourceBucket: PROD,
      restored: {
        completedAt: new Date(restoredAt + 5 * 60_000).toISOString(),
        recoveryPointCreatedAt: new Date(pointAt).toISOString(),
      },
    });

    const result = await run();
    expect(result.outcome, lines.join("\n")).to.equal("ok");
    expect(await prodBodies()).to.deep.equal({
      "edited.json": "from DR",
      "kept.json": "prod, late",
      "orders/1.json": '{"id":1}',
    });
    const copied = fake.requests
      .filter((r) => r.region === "us-east-1" && r.operation === "CopyObject")
      .map((r) => decodeURIComponent(r.path.split("?")[0]));
    expect(copied.sort()).to.deep.equal([`/${PROD}/edited.json`, `/${PROD}/orders/1.json`]);
    expect(journal.failback.s3?.[0]).to.deep.include({
      since: new Date(restoredAt + 5 * 60_000).toISOString(),
      written: 2,
      verified: 2,
      deletesCarried: 1,
      prodHistory: ["edited.json"],
    });
    expect(result.detail).to.contain(
      "1 key(s) prod wrote after the recovery point replaced by DR's (prod's version kept in its history): edited.json",
    );
  });

  it("a copy over 5 GiB keeps what CopyObject keeps: the version's tags, content headers and Expires (review s4a F5)", async () => {
    const expires = "Wed, 01 Jul 2026 00:00:00 GMT";
    time = RECOVERY_STARTED + HOUR;
    fake.putObject(DR, "video.bin", "x", 6 * GiB, {
      tags: { class: "media", "retain until": "2027" },
      expires,
    });
    fake.putObject(DR, "small.bin", "y", 1, { tags: { class: "media" }, expires });
    time = RECOVERY_STARTED + 5 * HOUR;
    const result = await run();
    expect(result.outcome, lines.join("\n")).to.equal("ok");
    for (const key of ["video.bin", "small.bin"]) {
      const head = await primaryS3.send(new HeadObjectCommand({ Bucket: PROD, Key: key }));
      expect(head.ExpiresString ?? head.Expires?.toUTCString(), key).to.equal(expires);
    }
    const tags = async (key: string) =>
      (await primaryS3.send(new GetObjectTaggingCommand({ Bucket: PROD, Key: key }))).TagSet?.map((t) => [
        t.Key,
        t.Value,
      ]);
    expect(await tags("video.bin")).to.deep.equal([
      ["class", "media"],
      ["retain until", "2027"],
    ]);
    expect(await tags("small.bin")).to.deep.equal([["class", "media"]]);
    expect(fake.requests.filter((r) => r.region === "us-east-1").map((r) => r.operation)).to.include(
      "UploadPartCopy",
    );
  });

  it("a drill only counts, deletes included", async () => {
    await daysInDr();
    journal = { ...journal, kind: "failback-drill" } as FailbackJournal;
    const result = await run();
    expect(result).to.deep.equal({
      outcome: "ok",
      detail: "2 object(s) a failback would copy back and 1 delete(s) it would carry back (counted only)",
    });
    expect(
      fake.requests.filter((r) => r.region === "us-east-1").map((r) => r.operation),
    ).to.not.include.members(["CopyObject", "DeleteObject"]);
  });
});
