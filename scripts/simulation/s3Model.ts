/** S3's model: the versioned buckets of both regions (in the resource store) as S3's operations read and change them, no wire format. */
import {
  ResourceStore,
  SimDeleteMarker,
  SimObject,
  SimResource,
  SimVersion,
  sizeOf,
  versionIdOf,
  versionsOf,
} from "./resourceStore";
import {
  MAX_COPY_BYTES,
  MultipartUploads,
  ObjectAttributes,
  S3Error,
  UploadedPart,
  tooLargeToCopy,
} from "./s3Multipart";

export { S3Error };

/** Whether a version is a delete marker. */
export const isDeleteMarker = (version: SimVersion): version is SimDeleteMarker => "deleteMarker" in version;

/** A page of ListObjectsV2: the current objects, and the token of the next page when there is one. */
export interface ObjectPage {
  readonly prefix: string;
  readonly maxKeys: number;
  readonly objects: ReadonlyArray<{ readonly key: string; readonly object: SimObject }>;
  readonly nextToken?: string;
}

/** A version or delete marker as ListObjectVersions lists it. */
export interface VersionEntry {
  readonly key: string;
  readonly version: SimVersion;
  /** The key's current version. */
  readonly latest: boolean;
}

/** A page of ListObjectVersions, and the markers of the next page when there is one. */
export interface VersionPage {
  readonly maxKeys: number;
  readonly entries: readonly VersionEntry[];
  readonly next?: { readonly key: string; readonly versionId: string };
}

/** What DeleteObjects or DeleteObject did to one key. */
export interface DeletedEntry {
  readonly key: string;
  /** The version removed for good (a delete by version id). */
  readonly versionId?: string;
  /** The delete marker added (a delete without a version id). */
  readonly deleteMarkerVersionId?: string;
  /** The version removed by id was a delete marker. */
  readonly removedMarker?: boolean;
}

/**
 * S3 for the versioned buckets of both regions, whichever front end serves it: a bucket is reached only
 * by a call for its region (else S3's 301 PermanentRedirect with `x-amz-bucket-region`); HeadBucket,
 * DeleteBucket (refused while any version or delete marker remains), ListObjectsV2 (prefix, start-after,
 * max-keys, continuation tokens), ListObjectVersions (versions and delete markers, newest first per key,
 * in pages), HeadObject and GetObject (a version by id), PutObject, CopyObject (a version of the source,
 * across buckets and regions; the source region must answer; at most 5 GiB), DeleteObject and
 * DeleteObjects (a delete marker, or with a version id that version for good) and the multipart uploads
 * of s3Multipart.ts. Errors are thrown as {@link S3Error}. Replication between buckets is the store's
 * (ResourceStore.settleReplication).
 */
export class S3Model {
  readonly multipart: MultipartUploads;

  constructor(
    readonly store: ResourceStore,
    private readonly isUp: (region: string) => boolean,
  ) {
    this.multipart = new MultipartUploads(store);
  }

  /** The bucket `name` as a call for `region` reaches it. */
  bucket(name: string, region: string): SimResource {
    const bucket = this.store.bucket(name);
    if (!bucket) {
      throw new S3Error(404, "NoSuchBucket", "The specified bucket does not exist", { BucketName: name });
    }
    if (bucket.region !== region) {
      throw new S3Error(
        301,
        "PermanentRedirect",
        "The bucket you are attempting to access must be addressed using the specified endpoint.",
        { Bucket: bucket.id },
        { "x-amz-bucket-region": bucket.region },
      );
    }
    return bucket;
  }

  /** DeleteBucket: "You must delete all versions in the bucket" first (S3 API reference, DeleteBucket). */
  deleteBucket(bucket: SimResource): void {
    if (bucket.objects.size > 0 || bucket.versions.size > 0) {
      throw new S3Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
    }
    this.store.remove(bucket);
  }

  /** ListObjectsV2: current objects by key after `after` (continuation token or start-after). */
  listObjects(
    bucket: SimResource,
    query: { readonly prefix?: string; readonly maxKeys?: number; readonly after?: string } = {},
  ): ObjectPage {
    const prefix = query.prefix ?? "";
    const maxKeys = query.maxKeys ?? 1000;
    const after = query.after ?? "";
    const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
    const page = keys.slice(0, maxKeys);
    return {
      prefix,
      maxKeys,
      objects: page.map((key) => ({ key, object: bucket.objects.get(key) as SimObject })),
      // The continuation token is opaque to callers; here it is the last key of the page.
      nextToken: keys.length > page.length ? page[page.length - 1] : undefined,
    };
  }

  /**
   * ListObjectVersions (S3 API reference): versions and delete markers, by key, newest first, up to
   * max-keys (default 1000) a page, continued from key-marker and version-id-marker.
   */
  listVersions(
    bucket: SimResource,
    query: {
      readonly prefix?: string;
      readonly maxKeys?: number;
      readonly keyMarker?: string;
      readonly versionIdMarker?: string;
    } = {},
  ): VersionPage {
    const maxKeys = query.maxKeys ?? 1000;
    const entries = versionEntries(bucket, query.prefix ?? "");
    const { keyMarker, versionIdMarker } = query;
    const from = keyMarker
      ? versionIdMarker
        ? entries.findIndex((e) => e.key === keyMarker && versionIdOf(e.version) === versionIdMarker) + 1
        : entries.findIndex((e) => e.key > keyMarker)
      : 0;
    const rest = from < 0 ? [] : entries.slice(from);
    const page = rest.slice(0, maxKeys);
    const last = page[page.length - 1];
    return {
      maxKeys,
      entries: page,
      next: rest.length > page.length ? { key: last.key, versionId: versionIdOf(last.version) } : undefined,
    };
  }

  /**
   * GetObject and HeadObject: the key's current version, or the version `versionId`. NoSuchKey when the
   * current version is a delete marker (its id in the headers), NoSuchVersion when there is no such version.
   * The version id of a delete marker answers 405 MethodNotAllowed: "If the specified version in the request
   * is a delete marker, the response returns a 405 Method Not Allowed error and the Last-Modified: timestamp
   * response header" (S3 API reference, GetObject and HeadObject, x-amz-delete-marker).
   */
  object(bucket: SimResource, key: string, versionId?: string | null): SimObject {
    const version = versionId
      ? versionsOf(bucket, key).find((v) => versionIdOf(v) === versionId)
      : versionsOf(bucket, key).slice(-1)[0];
    if (version && !isDeleteMarker(version)) {
      return version;
    }
    const headers: Record<string, string> = version
      ? { "x-amz-delete-marker": "true", "x-amz-version-id": versionIdOf(version) }
      : {};
    if (versionId && version) {
      throw new S3Error(
        405,
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
        { Method: "GET", ResourceType: "DeleteMarker" },
        { ...headers, "last-modified": new Date(version.lastModified).toUTCString() },
      );
    }
    throw versionId && !version
      ? new S3Error(404, "NoSuchVersion", "The specified version does not exist.", { Key: key }, headers)
      : new S3Error(404, "NoSuchKey", "The specified key does not exist.", { Key: key }, headers);
  }

  /** PutObject: a new version of the key, with the tags and Expires given. */
  putObject(bucket: SimResource, key: string, body: string, attributes: ObjectAttributes = {}): SimObject {
    return this.store.putObject(bucket, key, body, undefined, attributes);
  }

  /** GetObjectTagging: the tag set of the key's current version, or of the version `versionId`. */
  objectTagging(
    bucket: SimResource,
    key: string,
    versionId?: string | null,
  ): Readonly<Record<string, string>> {
    return this.object(bucket, key, versionId).tags ?? {};
  }

  /**
   * DeleteObject (S3 user guide, "Deleting object versions from a versioning-enabled bucket"): without a
   * version id a delete marker is added; with one, that version is removed for good.
   */
  deleteObject(bucket: SimResource, key: string, versionId?: string | null): DeletedEntry {
    if (versionId) {
      const removed = this.store.deleteVersion(bucket, key, versionId);
      return { key, versionId, removedMarker: removed !== undefined && isDeleteMarker(removed) };
    }
    return { key, deleteMarkerVersionId: this.store.deleteObject(bucket, key).versionId };
  }

  /** DeleteObjects: each key as {@link deleteObject} deletes it. */
  deleteObjects(
    bucket: SimResource,
    objects: ReadonlyArray<{ readonly key: string; readonly versionId?: string }>,
  ): DeletedEntry[] {
    return objects.map(({ key, versionId }) => this.deleteObject(bucket, key, versionId));
  }

  /**
   * The version a copy reads: `copySource` is `[/]<bucket>/<key>[?versionId=...]`, URL-encoded, as
   * `x-amz-copy-source` and the SDK's CopySource carry it; the source's region must answer.
   */
  copySource(copySource: string): SimObject {
    const [path, query] = copySource.split("?");
    const source = decodeURIComponent(path).replace(/^\//, "");
    const sourceVersion = new URLSearchParams(query ?? "").get("versionId");
    const [sourceName, ...sourceKey] = source.split("/");
    const sourceBucket = this.store.bucket(sourceName);
    if (sourceBucket && !this.isUp(sourceBucket.region)) {
      throw new S3Error(503, "ServiceUnavailable", `${sourceBucket.region} does not answer`);
    }
    const versions = sourceBucket ? versionsOf(sourceBucket, sourceKey.join("/")) : [];
    const from = sourceVersion
      ? versions.find((v) => versionIdOf(v) === sourceVersion)
      : versions[versions.length - 1];
    if (from && sourceVersion && isDeleteMarker(from)) {
      // A copy source naming a delete marker by version id: 400 InvalidRequest ((unsourced guess): S3's
      // CopyObject page was not found saying it; Tencent COS, an S3-compatible API, documents "HTTP 400 ...
      // delete markers cannot be set in x-cos-copy-source"). The message text is a guess too.
      throw new S3Error(
        400,
        "InvalidRequest",
        "The source of a copy request may not specifically refer to a delete marker by version id.",
      );
    }
    if (!from || isDeleteMarker(from)) {
      throw new S3Error(404, "NoSuchKey", `The specified key does not exist: ${source}`);
    }
    return from;
  }

  /**
   * CopyObject: refuses a source over 5 GiB (S3 user guide, "Copying an object using multipart upload":
   * objects over 5 GB need the multipart upload API) and keeps the source's ETag and size in a new
   * version of the destination key, with the source's tags (`x-amz-tagging-directive` "The default value is
   * COPY") and metadata, Expires among it (`x-amz-metadata-directive`: "If this header isn't specified, COPY is
   * the default behavior"; S3 API reference, CopyObject).
   */
  copyObject(
    bucket: SimResource,
    key: string,
    copySource: string,
  ): { readonly copied: SimObject; readonly source: SimObject } {
    const source = this.copySource(copySource);
    if (sizeOf(source) > MAX_COPY_BYTES) {
      throw tooLargeToCopy();
    }
    const copied = this.store.putObject(bucket, key, source.body, undefined, {
      size: sizeOf(source),
      etag: source.etag,
      tags: source.tags,
      expires: source.expires,
    });
    return { copied, source };
  }

  /** UploadPartCopy: a part of the upload copied from `copySource`, the whole of it or `range`. */
  uploadPartCopy(
    bucket: SimResource,
    key: string,
    uploadId: string | null | undefined,
    partNumber: number,
    copySource: string,
    range?: string,
  ): UploadedPart {
    return this.multipart.copyPart(bucket, key, uploadId, partNumber, this.copySource(copySource), range);
  }
}

/** Every key's versions, by key then newest first, as ListObjectVersions lists them. */
function versionEntries(bucket: SimResource, prefix: string): VersionEntry[] {
  const keys = new Set([...bucket.versions.keys(), ...bucket.objects.keys()]);
  return [...keys]
    .filter((k) => k.startsWith(prefix))
    .sort()
    .flatMap((k) =>
      versionsOf(bucket, k)
        .map((version, i, all) => ({ key: k, version, latest: i === all.length - 1 }))
        .reverse(),
    );
}
