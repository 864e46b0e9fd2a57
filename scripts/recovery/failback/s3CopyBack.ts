/** Failback phase 6 (before prod-data, prod still held): what was written and deleted in each DR bucket goes back to its prod bucket. */
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { describeAwsError } from "../../aws/errors";
import { iso } from "../../clock";
import { InterruptedError } from "../../errors";
import { BucketPair, S3CopyRecord } from "./journal";
import { PhaseContext, save, throwIfInterrupted } from "./phaseContext";
import { COPY_OBJECT_MAX_BYTES, copyObjectVersion } from "./s3LargeCopy";
import { ListedObject, ListedVersion, latestByKey, listObjects, listVersions } from "./s3Listing";
import { PhaseResult } from "../core/phaseRunner";

/** Whether the source bucket already holds the object as the DR bucket has it (same size, not older). */
function arrived(written: ListedObject, source: ReadonlyMap<string, ListedObject>): boolean {
  const there = source.get(written.key);
  return there !== undefined && there.size === written.size && there.lastModified >= written.lastModified;
}

const byKey = (objects: readonly ListedObject[]) => new Map(objects.map((o) => [o.key, o]));

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
    record = {
      ...pair,
      since: failback.recoveryStartedAt ?? new Date(0).toISOString(),
      countOnly: pc.journal.kind === "failback-drill" || undefined,
    };
    records.push(record);
  }
  return record;
}

/**
 * One bucket: its versions are listed (ListObjectVersions): a key whose current version was written since
 * the recovery started is copied where the source lacks it (CopyObject of exactly that version, a multipart
 * copy over 5 GiB); a key whose current version is a delete marker made since then is deleted in the source
 * (a delete marker: the source's versions stay) when the source's object predates the recovery, and kept,
 * and named, when it was written in prod since. Both are verified by listing the source again. The DR
 * bucket is listed once more at the end: versions written after the first listing would be lost and are
 * counted, except the replicas of what this or an earlier run wrote into the source (prod's bucket
 * replicates into its replica in DR; a replica keeps its source's version id and creation time, so it is
 * known by its version id). A re-run copies and deletes only what is left; a bucket done in an earlier run is not copied again.
 * A drill only counts.
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
  const sinceMs = Date.parse(record.since);
  const { out, deps } = pc.command;
  const { pre } = pc;
  try {
    record.listedAt = iso(deps.clock.now());
    const latest = [...latestByKey(await listVersions(pre.drClients.s3, bucket.drBucket)).values()].filter(
      (v) => v.lastModified >= sinceMs,
    );
    const written = latest.filter((v) => !v.deleteMarker);
    const deletedInDr = latest.filter((v) => v.deleteMarker);
    const before = byKey(await listObjects(pre.primaryClients.s3, bucket.sourceBucket));
    const pending = written.filter((o) => !arrived(o, before));
    const toDelete = deletedInDr.filter((m) => (before.get(m.key)?.lastModified ?? sinceMs) < sinceMs);
    const kept = deletedInDr.filter((m) => (before.get(m.key)?.lastModified ?? -1) >= sinceMs);
    Object.assign(record, {
      written: written.length,
      alreadyThere: written.length - pending.length,
      deletedInDr: deletedInDr.length,
      deletesToCarry: toDelete.length,
      keptInProd: kept.length > 0 ? kept.slice(0, 20).map((m) => m.key) : undefined,
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
    const ours = new Set<string>();
    record.copied = (record.copied ?? 0) + (await copyAll(pc, bucket, pending, ours));
    await deleteAll(pc, bucket.sourceBucket, toDelete, ours);
    const after = byKey(await listObjects(pre.primaryClients.s3, bucket.sourceBucket));
    const missing = written.filter((o) => !arrived(o, after));
    record.verified = written.length - missing.length;
    record.missing = missing.slice(0, 20).map((o) => o.key);
    record.deletesCarried = toDelete.filter((m) => !after.has(m.key)).length;
    const listedAt = Date.parse(record.listedAt);
    const newer = (await listVersions(pre.drClients.s3, bucket.drBucket)).filter(
      (v) => v.lastModified > listedAt,
    );
    const late = await notReplicas(
      pc,
      bucket,
      newer.filter((v) => !ours.has(v.versionId)),
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
    if (err instanceof InterruptedError || pc.command.signal.aborted) {
      throw new InterruptedError();
    }
    save(pc);
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
  const id = (v: ListedVersion) => `${v.key}\n${v.versionId}`;
  const inSource = new Set((await listVersions(pc.pre.primaryClients.s3, bucket.sourceBucket)).map(id));
  return versions.filter((v) => !inSource.has(id(v)));
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
    ...(late > 0 ? [`${late} written in DR after the listing`] : []),
  ].join("; ");
}

/**
 * Copies each pending object version into the source bucket, ten at a time (CopyObject, or a multipart
 * copy over 5 GiB); adds the version ids the copies got to `ours`; returns how many were copied.
 */
async function copyAll(
  pc: PhaseContext,
  bucket: BucketPair,
  pending: readonly ListedVersion[],
  ours: Set<string>,
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
        ours.add(versionId);
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
 * restored by deleting the marker. The markers' version ids go to `ours` (their replicas come back).
 */
async function deleteAll(
  pc: PhaseContext,
  sourceBucket: string,
  deletes: readonly ListedVersion[],
  ours: Set<string>,
): Promise<void> {
  for (const marker of deletes) {
    throwIfInterrupted(pc);
    const deleted = await pc.pre.primaryClients.s3.send(
      new DeleteObjectCommand({ Bucket: sourceBucket, Key: marker.key }),
      { abortSignal: pc.command.signal },
    );
    if (deleted.VersionId) {
      ours.add(deleted.VersionId);
    }
  }
}
