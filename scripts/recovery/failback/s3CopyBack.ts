/** Failback phase 6 (before prod-data, prod still held): what was written and deleted in each DR bucket goes back to its prod bucket. */
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { describeAwsError } from "../../aws/errors";
import { iso } from "../../clock";
import { InterruptedError } from "../../errors";
import { BucketPair, S3CopyRecord } from "./journal";
import { PhaseContext, save, throwIfInterrupted } from "./phaseContext";
import { COPY_OBJECT_MAX_BYTES, copyObjectVersion } from "./s3LargeCopy";
import { ListedVersion, latestByKey, listVersions } from "./s3Listing";
import { bucketChanges, carries, idOf, ourVersions } from "./s3Changes";
import { PhaseResult } from "../core/phaseRunner";

/**
 * Buckets copied back at once. S3's request rates are per prefix of a bucket (at least 3,500
 * PUT/COPY/POST/DELETE and 5,500 GET/HEAD requests a second per partitioned prefix: S3 user guide,
 * "Best practices design patterns: optimizing Amazon S3 performance"), so two buckets never slow each
 * other down there, and the phase runs inside the write freeze, whose length is the failback's RTO: buckets
 * go side by side, not one after another. Bounded so that the copies in flight (ten objects a bucket) stay
 * within the 50 sockets the SDK's Node handler keeps a client by default (AWS SDK for JavaScript v3
 * developer guide, "Configuring maxSockets in Node.js"); the parts of a multipart copy beyond wait for one.
 */
const BUCKETS_AT_ONCE = 3;

/**
 * Phase 6, while prod's servers are still held at zero (no user writes to the source buckets yet): each DR
 * bucket's changes since the recovery started go back to its own source bucket in the primary region,
 * {@link BUCKETS_AT_ONCE} buckets at a time. Each bucket is journaled on its own (its record in
 * `failback.s3`): one that ended verified is left alone by a re-run, the others are listed and copied again,
 * only what is left. One bucket failing does not stop the others; the phase fails, naming it, and the run
 * stops before prod-data, so prod never takes traffic without every bucket's objects.
 */
export async function runS3CopyBack(pc: PhaseContext): Promise<PhaseResult> {
  const { buckets } = pc.journal.failback;
  if (buckets.length === 0) {
    return { outcome: "skipped", detail: "no bucket was in use in DR" };
  }
  const records = buckets.map((pair) => recordOf(pc, pair));
  const results: PhaseResult[] = [];
  const queue = buckets.map((_, i) => i);
  const worker = async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      results[i] = await copyBucketBack(pc, buckets[i], records[i]);
    }
  };
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(BUCKETS_AT_ONCE, buckets.length) }, worker),
  );
  const interrupted = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (interrupted) {
    throw interrupted.reason;
  }
  if (buckets.length === 1) {
    return results[0];
  }
  const failed = buckets.filter((_, i) => results[i].outcome === "failed");
  return {
    outcome: failed.length > 0 ? "failed" : "ok",
    detail: [
      failed.length > 0
        ? `${failed.length} of ${buckets.length} bucket(s) failed (${failed.map((b) => b.drBucket).join(", ")})`
        : `${buckets.length} bucket(s)`,
      ...buckets.map(
        (pair, i) =>
          `${pair.drBucket} -> ${pair.sourceBucket}: ${results[i].outcome === "failed" ? "FAILED: " : ""}${results[i].detail ?? ""}`,
      ),
    ].join(" | "),
  };
}

/** The journal's record of `pair`'s copy back, made (and saved with the next save) when it has none yet. */
function recordOf(pc: PhaseContext, pair: BucketPair): S3CopyRecord {
  const { failback } = pc.journal;
  const records = (failback.s3 ??= []);
  let record = records.find((r) => r.drBucket === pair.drBucket);
  if (!record) {
    const started = failback.recoveryStartedAt ?? new Date(0).toISOString();
    record = {
      ...pair,
      // A restored bucket: the application's writes are the ones after the restore (which dated its objects).
      since: pair.restored?.completedAt ?? started,
      prodSince: pair.restored ? started : undefined,
      countOnly: pc.journal.kind === "failback-drill" || undefined,
    };
    records.push(record);
  }
  return record;
}

/**
 * One bucket: both buckets' versions are listed (ListObjectVersions) and each key's DR write is found
 * (s3Changes.ts bucketChanges): copied where prod lacks it (CopyObject of exactly that version, a multipart
 * copy over 5 GiB); a delete marker is carried as a delete in prod (a delete marker: prod's versions stay);
 * what prod wrote itself while DR served is kept and named, as are keys the DR bucket lost every version of.
 * Both are verified by listing prod again. The DR bucket is listed once more at the end: its versions the
 * first listing did not hold (compared by key and version id, not by time: S3 dates a listing's versions to
 * the second, and the local clock is not S3's) would be lost and are counted, except the replicas of what
 * this failback wrote into prod (prod's bucket replicates into its replica in DR; a replica keeps its
 * source's version id). Every copy's and delete's version id is journaled (`made`), so a re-run copies and
 * deletes only what is left and knows its earlier runs' copies; a bucket done in an earlier run is not copied
 * again. A drill only counts.
 */
async function copyBucketBack(
  pc: PhaseContext,
  bucket: BucketPair,
  record: S3CopyRecord,
): Promise<PhaseResult> {
  const drill = pc.journal.kind === "failback-drill";
  if (record.doneAt) {
    pc.command.out.info(`s3-copy: ${bucket.drBucket} -> ${bucket.sourceBucket} done at ${record.doneAt}`);
    return { outcome: "ok", detail: drill ? counted(record) : summary(record, bucket) };
  }
  const { out, deps } = pc.command;
  const { pre } = pc;
  const made = (record.made ??= {});
  try {
    record.listedAt = iso(deps.clock.now());
    const first = await listVersions(pre.drClients.s3, bucket.drBucket);
    const changes = bucketChanges(
      first,
      await listVersions(pre.primaryClients.s3, bucket.sourceBucket),
      {
        since: Date.parse(record.since),
        prodSince: Date.parse(record.prodSince ?? record.since),
        recoveryPointAt: record.restored ? Date.parse(record.restored.recoveryPointCreatedAt) : undefined,
      },
      made,
    );
    const { written, pending, deletedInDr, toDelete } = changes;
    const first20 = (keys: readonly string[]) => (keys.length > 0 ? keys.slice(0, 20) : undefined);
    Object.assign(record, {
      written: written.length,
      alreadyThere: written.length - pending.length,
      deletedInDr: deletedInDr.length,
      deletesToCarry: toDelete.length,
      keptInProd: first20(changes.keptInProd),
      writtenKeptInProd: first20(changes.writtenKeptInProd),
      prodHistory: first20(changes.prodHistory),
      goneFromDr: first20(changes.goneFromDr),
      goneFromDrCount: changes.goneFromDr.length || undefined,
    });
    save(pc);
    out.info(
      `s3-copy: ${written.length} object(s) written to ${bucket.drBucket} since ${record.since}; ${record.alreadyThere} already in ${bucket.sourceBucket}, ${pending.length} to copy; ${deletedInDr.length} deleted there, ${toDelete.length} to delete in ${bucket.sourceBucket}`,
    );
    if (drill) {
      record.doneAt = iso(deps.clock.now());
      save(pc);
      return { outcome: "ok", detail: counted(record) };
    }
    record.copied = (record.copied ?? 0) + (await copyAll(pc, bucket, pending, made));
    await deleteAll(pc, bucket.sourceBucket, toDelete, made);
    const after = latestByKey(await listVersions(pre.primaryClients.s3, bucket.sourceBucket));
    const missing = written.filter((o) => !carries(after.get(o.key), o, made));
    record.verified = written.length - missing.length;
    record.missing = missing.slice(0, 20).map((o) => o.key);
    record.deletesCarried = toDelete.filter((m) => after.get(m.key)?.deleteMarker !== false).length;
    const listed = new Set(first.map(idOf));
    const ours = ourVersions(made);
    const newer = (await listVersions(pre.drClients.s3, bucket.drBucket)).filter((v) => !listed.has(idOf(v)));
    const late = await notReplicas(
      pc,
      bucket,
      newer.filter((v) => !ours.has(idOf(v))),
    );
    record.writtenAfterListing = late.length;
    record.replicasOfCopies = newer.length - late.length;
    const ok = missing.length === 0 && late.length === 0;
    if (ok) {
      record.doneAt = iso(deps.clock.now());
    }
    save(pc);
    return { outcome: ok ? "ok" : "failed", detail: summary(record, bucket) };
  } catch (err) {
    // The copies made so far are in `made`: journaled, so a re-run knows them.
    save(pc);
    if (err instanceof InterruptedError || pc.command.signal.aborted) {
      throw new InterruptedError();
    }
    return {
      outcome: "failed",
      detail: `S3 copy back of ${bucket.drBucket} to ${bucket.sourceBucket} failed: ${describeAwsError(err)}`,
    };
  }
}

/**
 * Of the DR bucket's versions made after its listing, those that are not replicas of a version of the source
 * bucket. A replica keeps its source's version id (S3 user guide, "Replicating objects within and across
 * Regions": replicas keep "the original object creation times and version IDs"), so a version the source bucket
 * holds under the same key and id is one of its replicas, not a write made in DR: the copies of an earlier,
 * interrupted run (whose ids this run never saw; a copy the client gave up on may still land after the
 * re-run's listing), as well as this run's. Listed only when some version is not one this run made.
 */
async function notReplicas(
  pc: PhaseContext,
  bucket: BucketPair,
  versions: readonly ListedVersion[],
): Promise<ListedVersion[]> {
  if (versions.length === 0) {
    return [];
  }
  const inSource = new Set((await listVersions(pc.pre.primaryClients.s3, bucket.sourceBucket)).map(idOf));
  return versions.filter((v) => !inSource.has(idOf(v)));
}

/** A drill's result for one bucket: what a failback would copy and delete. */
function counted(record: S3CopyRecord): string {
  const toCopy = (record.written ?? 0) - (record.alreadyThere ?? 0);
  return `${toCopy} object(s) a failback would copy back and ${record.deletesToCarry ?? 0} delete(s) it would carry back (counted only)`;
}

/** The phase's result in a line: what was verified, carried back, kept, and any write after the listing. */
function summary(record: S3CopyRecord, bucket: BucketPair): string {
  const written = record.written ?? 0;
  const missing = record.missing ?? [];
  const late = record.writtenAfterListing ?? 0;
  return [
    `${record.verified} of ${written} object(s) verified in ${bucket.sourceBucket}` +
      (late === 0 && missing.length === 0 ? ` (${record.copied ?? 0} copied)` : ""),
    ...(missing.length > 0 ? [`missing: ${missing.join(", ")}`] : []),
    ...(record.deletesToCarry
      ? [`${record.deletesCarried} delete(s) made in DR carried back (older versions kept)`]
      : []),
    ...(record.keptInProd
      ? [
          `${record.keptInProd.length} key(s) deleted in DR kept in prod (written there since the recovery started): ${record.keptInProd.join(", ")}`,
        ]
      : []),
    ...(record.writtenKeptInProd
      ? [
          `${record.writtenKeptInProd.length} key(s) written in DR kept in prod (written there since the recovery started; DR's version left in ${bucket.drBucket}): ${record.writtenKeptInProd.join(", ")}`,
        ]
      : []),
    ...(record.prodHistory
      ? [
          `${record.prodHistory.length} key(s) prod wrote after the recovery point replaced by DR's (prod's version kept in its history): ${record.prodHistory.join(", ")}`,
        ]
      : []),
    ...(record.goneFromDr
      ? [
          `${record.goneFromDrCount ?? record.goneFromDr.length} key(s) with no version left in ${bucket.drBucket} (deleted there by version id, or never replicated there) kept in prod: ${record.goneFromDr.join(", ")}`,
        ]
      : []),
    ...(late > 0 ? [`${late} written in DR after the listing`] : []),
  ].join("; ");
}

/**
 * Copies each pending object version into the source bucket, ten at a time (CopyObject, or a multipart
 * copy over 5 GiB); records the version id each copy got in `made`, by the DR version it carries; returns
 * how many were copied.
 */
async function copyAll(
  pc: PhaseContext,
  bucket: BucketPair,
  pending: readonly ListedVersion[],
  made: Record<string, Record<string, string>>,
): Promise<number> {
  const queue = [...pending];
  let copied = 0;
  const clients = { source: pc.pre.drClients.s3, destination: pc.pre.primaryClients.s3 };
  const worker = async () => {
    for (let object = queue.shift(); object; object = queue.shift()) {
      throwIfInterrupted(pc);
      const versionId = await copyObjectVersion(
        clients,
        { bucket: bucket.drBucket, key: object.key, versionId: object.versionId, size: object.size },
        bucket.sourceBucket,
        pc.command.signal,
      );
      if (versionId) {
        (made[object.key] ??= {})[object.versionId] = versionId;
      }
      if (object.size > COPY_OBJECT_MAX_BYTES) {
        pc.command.out.info(`s3-copy: ${object.key} (${object.size} bytes) copied in parts`);
      }
      copied++;
    }
  };
  // Every worker is waited for, so none still copies once the bucket's result (or Ctrl-C) is in the journal.
  const settled = await Promise.allSettled(Array.from({ length: Math.min(10, pending.length) }, worker));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    throw failed.reason;
  }
  return copied;
}

/**
 * DeleteObject, without a version id, of each key deleted in DR: the source bucket is versioned (its
 * replication needs it), so this adds a delete marker and keeps every version (S3 user guide, "Deleting
 * object versions from a versioning-enabled bucket"); nothing is lost, and the old object can be
 * restored by deleting the marker. The markers' version ids go to `made` (their replicas come back).
 */
async function deleteAll(
  pc: PhaseContext,
  sourceBucket: string,
  deletes: readonly ListedVersion[],
  made: Record<string, Record<string, string>>,
): Promise<void> {
  for (const marker of deletes) {
    throwIfInterrupted(pc);
    const deleted = await pc.pre.primaryClients.s3.send(
      new DeleteObjectCommand({ Bucket: sourceBucket, Key: marker.key }),
      { abortSignal: pc.command.signal },
    );
    if (deleted.VersionId) {
      (made[marker.key] ??= {})[marker.versionId] = deleted.VersionId;
    }
  }
}
