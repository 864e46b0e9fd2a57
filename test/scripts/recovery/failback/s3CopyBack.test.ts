import {
  CopyObjectCommand,
  DeleteObjectCommand,
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
import { PhaseResult } from "../../../../scripts/recovery/core/phaseRunner";

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
  const s3 = (region: string) =>
    new S3Client({
      region,
      endpoint: fake.url,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: "AKIDLOCALFAKE", secretAccessKey: "local-fake-secret" },
    });
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
