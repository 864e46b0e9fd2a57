import { CopyObjectCommand, S3Client, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { describeAwsError } from "../../aws/errors";
import { iso } from "../../clock";
import { InterruptedError } from "../../errors";
import { PhaseContext, PhaseResult, save, throwIfInterrupted } from "./phaseContext";

/** One object as ListObjectsV2 shows it. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: number;
}

/** Every object of a bucket (ListObjectsV2, every page), optionally only those modified at or after `since`. */
export async function listObjects(s3: S3Client, bucket: string, since?: number): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
    for (const object of page.Contents ?? []) {
      const lastModified = object.LastModified ? new Date(object.LastModified).getTime() : 0;
      if (object.Key !== undefined && (since === undefined || lastModified >= since)) {
        objects.push({ key: object.Key, size: object.Size ?? 0, lastModified });
      }
    }
  }
  return objects;
}

/** Whether the source bucket already holds the object as the DR bucket has it (same size, not older). */
function arrived(written: ListedObject, source: ReadonlyMap<string, ListedObject>): boolean {
  const there = source.get(written.key);
  return there !== undefined && there.size === written.size && there.lastModified >= written.lastModified;
}

/**
 * Phase 7: the objects written to the DR bucket while it was active (modified since the recovery
 * started) go back to the source bucket in the primary region: listed in both buckets, copied with
 * CopyObject where the source lacks them, and verified by listing the source bucket again. A re-run
 * copies only what has not arrived. The DR bucket is listed once more at the end: objects written
 * after the first listing would be lost, and are counted. A drill only counts.
 */
export async function runS3CopyBack(pc: PhaseContext): Promise<PhaseResult> {
  const { journal, pre } = pc;
  const bucket = journal.failback.bucket;
  if (!bucket) {
    return { outcome: "skipped", detail: "no bucket was in use in DR" };
  }
  const drill = journal.kind === "failback-drill";
  const since = journal.failback.recoveryStartedAt ?? new Date(0).toISOString();
  const record = (journal.failback.s3 ??= { since, countOnly: drill || undefined });
  const { out, deps } = pc.command;
  try {
    record.listedAt = iso(deps.clock.now());
    const written = await listObjects(pre.drClients.s3, bucket.drBucket, Date.parse(since));
    const before = new Map(
      (await listObjects(pre.primaryClients.s3, bucket.sourceBucket)).map((o) => [o.key, o]),
    );
    const pending = written.filter((o) => !arrived(o, before));
    record.written = written.length;
    record.alreadyThere = written.length - pending.length;
    save(pc);
    out.info(
      `s3-copy: ${written.length} object(s) written to ${bucket.drBucket} since ${since}; ${record.alreadyThere} already in ${bucket.sourceBucket}, ${pending.length} to copy`,
    );
    if (drill) {
      return {
        outcome: "ok",
        detail: `${pending.length} object(s) a failback would copy back (counted only)`,
      };
    }
    record.copied = (record.copied ?? 0) + (await copyAll(pc, bucket, pending));
    const after = new Map(
      (await listObjects(pre.primaryClients.s3, bucket.sourceBucket)).map((o) => [o.key, o]),
    );
    const missing = written.filter((o) => !arrived(o, after));
    record.verified = written.length - missing.length;
    record.missing = missing.slice(0, 20).map((o) => o.key);
    const late = await listObjects(pre.drClients.s3, bucket.drBucket, Date.parse(record.listedAt) + 1);
    record.writtenAfterListing = late.length;
    save(pc);
    if (missing.length > 0 || late.length > 0) {
      return {
        outcome: "failed",
        detail: `${record.verified} of ${written.length} object(s) verified in ${bucket.sourceBucket}${
          missing.length > 0 ? `; missing: ${record.missing.join(", ")}` : ""
        }${late.length > 0 ? `; ${late.length} written in DR after the listing` : ""}`,
      };
    }
    return {
      outcome: "ok",
      detail: `${written.length} object(s) verified in ${bucket.sourceBucket} (${pending.length} copied)`,
    };
  } catch (err) {
    if (err instanceof InterruptedError || pc.command.signal.aborted) {
      throw new InterruptedError();
    }
    return { outcome: "failed", detail: `S3 copy back failed: ${describeAwsError(err)}` };
  }
}

/** CopyObject of each pending object into the source bucket, ten at a time; returns how many were copied. */
async function copyAll(
  pc: PhaseContext,
  bucket: { readonly drBucket: string; readonly sourceBucket: string },
  pending: readonly ListedObject[],
): Promise<number> {
  const queue = [...pending];
  let copied = 0;
  const worker = async () => {
    for (let object = queue.shift(); object; object = queue.shift()) {
      throwIfInterrupted(pc);
      await pc.pre.primaryClients.s3.send(
        new CopyObjectCommand({
          Bucket: bucket.sourceBucket,
          Key: object.key,
          CopySource: `${bucket.drBucket}/${object.key.split("/").map(encodeURIComponent).join("/")}`,
        }),
        { abortSignal: pc.command.signal },
      );
      copied++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(10, pending.length) }, worker));
  return copied;
}
