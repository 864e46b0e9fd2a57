/** What a DR bucket's copy back does to each key: the DR write of each key against prod's current version of it. */
import { ListedVersion, latestByKey } from "./s3Listing";

/** The times that split a bucket's versions into before and during DR (clock ms). */
export interface ChangeWindow {
  /** Versions of the DR bucket modified from here on were written in DR (S3CopyRecord.since). */
  readonly since: number;
  /** Prod's versions modified from here on were written in prod while DR served (the recovery's start). */
  readonly prodSince: number;
  /** A restored DR bucket: when the recovery point it came from was created. */
  readonly recoveryPointAt?: number;
}

/** A bucket's keys by what the copy back does with them. */
export interface BucketChanges {
  /** Each key's DR write that goes to prod (copied, or already there). */
  readonly written: ListedVersion[];
  /** Of those, the ones to copy. */
  readonly pending: ListedVersion[];
  /** Each key whose DR write is a delete marker. */
  readonly deletedInDr: ListedVersion[];
  /** Of those, the ones to delete in prod (a delete marker). */
  readonly toDelete: ListedVersion[];
  /** Keys DR deleted whose prod version prod wrote while DR served: prod's kept. */
  readonly keptInProd: string[];
  /** Keys DR wrote whose prod version prod wrote while DR served: prod's kept. */
  readonly writtenKeptInProd: string[];
  /** Restored bucket: keys DR wrote or deleted whose prod version is newer than the recovery point. */
  readonly prodHistory: string[];
  /** Keys prod holds, older than the DR bucket's start, of which the DR bucket has no version at all. */
  readonly goneFromDr: string[];
}

/** A version by key and version id: S3 documents a version id as naming a version of its key, not as unique across keys. */
export const idOf = (v: { readonly key: string; readonly versionId: string }) => `${v.key}\n${v.versionId}`;

/** The versions a failback made in prod (S3CopyRecord.made): key -> the DR version id carried -> prod's version id. */
export type MadeVersions = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** The prod versions a failback made, by {@link idOf}. */
export function ourVersions(made: MadeVersions): Set<string> {
  return new Set(
    Object.entries(made).flatMap(([key, ids]) =>
      Object.values(ids).map((versionId) => idOf({ key, versionId })),
    ),
  );
}

/**
 * Whether prod's version `there` carries the DR version `written`: a copy this failback made of it (by the
 * version id the copy got, `made`), or the same ETag and size (a copy of an earlier version of the CLI, or one
 * the client gave up on that landed: an ETag is the content's MD5 only for a single-part SSE-S3 object, so
 * under KMS such a copy is not recognised and the key is named as kept in prod, never overwritten unseen).
 */
export function carries(
  there: ListedVersion | undefined,
  written: ListedVersion,
  made: MadeVersions,
): boolean {
  return (
    there !== undefined &&
    !there.deleteMarker &&
    (made[written.key]?.[written.versionId] === there.versionId ||
      (there.etag !== undefined && there.etag === written.etag && there.size === written.size))
  );
}

/**
 * Each key's DR write: its newest version of the DR bucket made since `since`, leaving out the versions prod's
 * bucket holds under the same key and version id. Those are replicas of prod's versions (S3 user guide,
 * "Replicating objects within and across Regions": replicas "retain all metadata, such as the original object
 * creation times and version IDs"): the objects prod had before the recovery, prod's own writes while DR
 * served, and the echoes of this failback's copies. IsLatest is not used: which version S3 makes current when a
 * replica lands after a newer write in the destination is not documented (unverified), and an echo must never
 * hide a DR write. ListObjectVersions lists a key's versions newest first, so of two listed in the same second
 * the first is kept.
 */
function drWrites(
  dr: readonly ListedVersion[],
  prodIds: ReadonlySet<string>,
  since: number,
): ListedVersion[] {
  const newest = new Map<string, ListedVersion>();
  for (const v of dr) {
    if (prodIds.has(idOf(v)) || v.lastModified < since) continue;
    const seen = newest.get(v.key);
    if (!seen || v.lastModified > seen.lastModified) newest.set(v.key, v);
  }
  return [...newest.values()];
}

/**
 * What the copy back does with each key, from both buckets' versions (ListObjectVersions) and the versions
 * earlier runs made in prod (`made`). A DR write goes to prod unless prod holds it already, or prod's current
 * version was written while DR served and is no copy of this failback's (prod's own write: kept, named). A DR
 * delete is carried unless prod's version was written while DR served (kept, named) or prod has none. For a
 * restored DR bucket, only what the application wrote after the restore counts (the restore dated every object
 * it wrote), and a prod version newer than the recovery point that DR overwrites or deletes is named: it stays in
 * the key's history. Keys prod holds of which the DR bucket has no version at all (a delete by version id leaves
 * no marker: S3 user guide, "Deleting object versions from a versioning-enabled bucket") are named, not deleted.
 */
export function bucketChanges(
  dr: readonly ListedVersion[],
  prod: readonly ListedVersion[],
  window: ChangeWindow,
  made: MadeVersions,
): BucketChanges {
  const ours = ourVersions(made);
  const prodIds = new Set(prod.map(idOf));
  const current = latestByKey(prod);
  const changes: BucketChanges = {
    written: [],
    pending: [],
    deletedInDr: [],
    toDelete: [],
    keptInProd: [],
    writtenKeptInProd: [],
    prodHistory: [],
    goneFromDr: [],
  };
  for (const w of drWrites(dr, prodIds, window.since)) {
    const there = current.get(w.key);
    const object = there && !there.deleteMarker ? there : undefined;
    const prodWrote =
      object !== undefined && !ours.has(idOf(object)) && object.lastModified >= window.prodSince;
    const history =
      window.recoveryPointAt !== undefined &&
      object !== undefined &&
      !ours.has(idOf(object)) &&
      object.lastModified > window.recoveryPointAt;
    if (!w.deleteMarker) {
      if (carries(object, w, made)) {
        changes.written.push(w);
      } else if (prodWrote) {
        changes.writtenKeptInProd.push(w.key);
      } else {
        changes.written.push(w);
        changes.pending.push(w);
        if (history) changes.prodHistory.push(w.key);
      }
      continue;
    }
    changes.deletedInDr.push(w);
    if (!object) continue;
    if (prodWrote) {
      changes.keptInProd.push(w.key);
    } else {
      changes.toDelete.push(w);
      if (history) changes.prodHistory.push(w.key);
    }
  }
  const inDr = new Set(dr.map((v) => v.key));
  const drStart = window.recoveryPointAt ?? window.since;
  for (const object of current.values()) {
    if (
      !object.deleteMarker &&
      !inDr.has(object.key) &&
      !ours.has(idOf(object)) &&
      object.lastModified < drStart
    ) {
      changes.goneFromDr.push(object.key);
    }
  }
  return changes;
}
