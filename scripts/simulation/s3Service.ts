import type { FakeService, FakeServiceAnswer, FakeServiceRequest } from "./fakeService";
import {
  ResourceStore,
  SimObject,
  SimResource,
  SimVersion,
  sizeOf,
  versionIdOf,
  versionsOf,
} from "./resourceStore";
import { MAX_COPY_BYTES, MultipartUploads, s3Error, tooLargeToCopy } from "./s3Multipart";
import { escapeXml, isoTime, xml } from "./wireFormats";

const NS = `xmlns="http://s3.amazonaws.com/doc/2006-03-01/"`;

/**
 * A body sent with `Content-Encoding: aws-chunked` (the SDK's streaming uploads with trailing
 * checksums): `<hex size>[;chunk-signature=...]\r\n<data>\r\n` chunks up to a zero-size one.
 */
function decodeBody(request: FakeServiceRequest): string {
  const encoding = String(request.headers["content-encoding"] ?? "");
  const sha = String(request.headers["x-amz-content-sha256"] ?? "");
  if (!encoding.includes("aws-chunked") && !sha.startsWith("STREAMING-")) {
    return request.body;
  }
  let rest = request.body;
  let out = "";
  for (;;) {
    const eol = rest.indexOf("\r\n");
    const size = parseInt(rest.slice(0, eol).split(";")[0], 16);
    if (!size) {
      return out;
    }
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

const objectHeaders = (object: SimObject) => ({
  etag: object.etag,
  "last-modified": new Date(object.lastModified).toUTCString(),
  "content-length": String(sizeOf(object)),
  "x-amz-version-id": versionIdOf(object),
  ...(object.replicationStatus ? { "x-amz-replication-status": object.replicationStatus } : {}),
});

/**
 * S3 over its REST-XML protocol, path style (`/<bucket>/<key>`), for the versioned buckets of both
 * regions: HeadBucket, DeleteBucket (refused while any version or delete marker remains),
 * ListObjectsV2 (prefix, start-after, max-keys, continuation tokens), ListObjectVersions (versions and
 * delete markers, newest first per key, in pages), DeleteObjects, HeadObject and GetObject (a version
 * by `versionId`; `x-amz-replication-status`), PutObject, CopyObject (`x-amz-copy-source`, a version by
 * `?versionId=`, across buckets and regions; the source region must answer; at most 5 GiB),
 * DeleteObject (a delete marker, or with `versionId` that version for good) and the multipart uploads
 * of s3Multipart.ts. A request signed for another region than the bucket's gets S3's 301
 * PermanentRedirect with `x-amz-bucket-region`, as a regional endpoint answers it. Replication between
 * buckets is the store's (ResourceStore.settleReplication).
 */
export function s3Service(store: ResourceStore, isUp: (region: string) => boolean): FakeService {
  const multipart = new MultipartUploads(store);
  return (request) => {
    const { method, url, region } = request;
    const [name, ...keyParts] = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const key = keyParts.join("/");
    const operation = operationOf(request, key);
    if (!operation) {
      return s3Error(
        400,
        `${method} ${url.pathname}`,
        "NotImplemented",
        `the simulation does not serve ${method} ${url.pathname}`,
      );
    }
    const bucket = store.bucket(name ?? "");
    if (!bucket) {
      return method === "HEAD"
        ? { status: 404, operation }
        : s3Error(
            404,
            operation,
            "NoSuchBucket",
            "The specified bucket does not exist",
            `<BucketName>${escapeXml(name ?? "")}</BucketName>`,
          );
    }
    if (bucket.region !== region) {
      const headers = { "x-amz-bucket-region": bucket.region };
      return method === "HEAD"
        ? { status: 301, operation, headers }
        : xml(
            301,
            operation,
            `<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message><Bucket>${escapeXml(bucket.id)}</Bucket></Error>`,
            headers,
          );
    }
    if (operation === "CopyObject" || operation === "UploadPartCopy") {
      return copy(store, isUp, multipart, bucket, key, request, operation);
    }
    const q = url.searchParams;
    switch (operation) {
      case "CreateMultipartUpload":
        return multipart.create(bucket, key);
      case "CompleteMultipartUpload":
        return multipart.complete(bucket, key, q, request.body);
      case "AbortMultipartUpload":
        return multipart.abort(bucket, key, q);
      default:
        return objectOperation(store, bucket, operation, key, request);
    }
  };
}

/** The S3 operation a request is, from its method, key, query and `x-amz-copy-source`. */
function operationOf(request: FakeServiceRequest, key: string): string | undefined {
  const { method } = request;
  const q = request.url.searchParams;
  const copying = Boolean(request.headers["x-amz-copy-source"]);
  if (key) {
    if (method === "PUT" && q.has("uploadId")) {
      return copying ? "UploadPartCopy" : undefined;
    }
    if (method === "POST") {
      return q.has("uploads")
        ? "CreateMultipartUpload"
        : q.has("uploadId")
          ? "CompleteMultipartUpload"
          : undefined;
    }
    if (method === "DELETE" && q.has("uploadId")) {
      return "AbortMultipartUpload";
    }
    return {
      HEAD: "HeadObject",
      GET: "GetObject",
      PUT: copying ? "CopyObject" : "PutObject",
      DELETE: "DeleteObject",
    }[method];
  }
  return method === "HEAD"
    ? "HeadBucket"
    : method === "DELETE"
      ? "DeleteBucket"
      : q.has("versions")
        ? "ListObjectVersions"
        : q.has("delete")
          ? "DeleteObjects"
          : method === "GET" && q.get("list-type") === "2"
            ? "ListObjectsV2"
            : undefined;
}

/** Every key's versions, by key then newest first, as ListObjectVersions lists them. */
function versionEntries(bucket: SimResource, prefix: string) {
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

const deleteMarker = (version: SimVersion) => "deleteMarker" in version;

function objectOperation(
  store: ResourceStore,
  bucket: SimResource,
  operation: string,
  key: string,
  request: FakeServiceRequest,
): FakeServiceAnswer {
  const q = request.url.searchParams;
  const versionId = q.get("versionId");
  const version = versionId
    ? versionsOf(bucket, key).find((v) => versionIdOf(v) === versionId)
    : versionsOf(bucket, key).slice(-1)[0];
  const noSuchKey = () =>
    request.method === "HEAD"
      ? {
          status: 404,
          operation,
          headers: version ? { "x-amz-delete-marker": "true", "x-amz-version-id": versionIdOf(version) } : {},
        }
      : s3Error(
          404,
          operation,
          versionId && !version ? "NoSuchVersion" : "NoSuchKey",
          versionId && !version
            ? "The specified version does not exist."
            : "The specified key does not exist.",
          `<Key>${escapeXml(key)}</Key>`,
        );
  switch (operation) {
    case "HeadBucket":
      return { status: 200, operation, headers: { "x-amz-bucket-region": bucket.region } };
    case "DeleteBucket":
      // "You must delete all versions in the bucket" first (S3 API reference, DeleteBucket).
      if (bucket.objects.size > 0 || bucket.versions.size > 0) {
        return s3Error(409, operation, "BucketNotEmpty", "The bucket you tried to delete is not empty");
      }
      store.remove(bucket);
      return { status: 204, operation };
    case "ListObjectsV2": {
      const prefix = q.get("prefix") ?? "";
      const maxKeys = Number(q.get("max-keys") ?? 1000);
      const after = q.get("continuation-token") ?? q.get("start-after") ?? "";
      const keys = [...bucket.objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
      const page = keys.slice(0, maxKeys);
      const truncated = keys.length > page.length;
      const contents = page
        .map((k) => {
          const o = bucket.objects.get(k) as SimObject;
          return `<Contents><Key>${escapeXml(k)}</Key><LastModified>${isoTime(o.lastModified)}</LastModified><ETag>${escapeXml(o.etag)}</ETag><Size>${sizeOf(o)}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
        })
        .join("");
      // The continuation token is opaque to callers; here it is the last key of the page.
      const next = truncated
        ? `<NextContinuationToken>${escapeXml(page[page.length - 1])}</NextContinuationToken>`
        : "";
      return xml(
        200,
        operation,
        `<ListBucketResult ${NS}><Name>${escapeXml(bucket.id)}</Name><Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`,
      );
    }
    case "ListObjectVersions": {
      // S3 API reference, ListObjectVersions: versions and delete markers, by key, newest first, up to
      // max-keys (default 1000) a page, continued from key-marker and version-id-marker.
      const maxKeys = Number(q.get("max-keys") ?? 1000);
      const entries = versionEntries(bucket, q.get("prefix") ?? "");
      const keyMarker = q.get("key-marker");
      const versionMarker = q.get("version-id-marker");
      const from = keyMarker
        ? versionMarker
          ? entries.findIndex((e) => e.key === keyMarker && versionIdOf(e.version) === versionMarker) + 1
          : entries.findIndex((e) => e.key > keyMarker)
        : 0;
      const rest = from < 0 ? [] : entries.slice(from);
      const page = rest.slice(0, maxKeys);
      const truncated = rest.length > page.length;
      const last = page[page.length - 1];
      const listed = page
        .map(({ key: k, version: v, latest }) =>
          deleteMarker(v)
            ? `<DeleteMarker><Key>${escapeXml(k)}</Key><VersionId>${versionIdOf(v)}</VersionId><IsLatest>${latest}</IsLatest><LastModified>${isoTime(v.lastModified)}</LastModified></DeleteMarker>`
            : `<Version><Key>${escapeXml(k)}</Key><VersionId>${versionIdOf(v)}</VersionId><IsLatest>${latest}</IsLatest><LastModified>${isoTime(v.lastModified)}</LastModified><ETag>${escapeXml((v as SimObject).etag)}</ETag><Size>${sizeOf(v)}</Size><StorageClass>STANDARD</StorageClass></Version>`,
        )
        .join("");
      const next = truncated
        ? `<NextKeyMarker>${escapeXml(last.key)}</NextKeyMarker><NextVersionIdMarker>${versionIdOf(last.version)}</NextVersionIdMarker>`
        : "";
      return xml(
        200,
        operation,
        `<ListVersionsResult ${NS}><Name>${escapeXml(bucket.id)}</Name><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${next}${listed}</ListVersionsResult>`,
      );
    }
    case "DeleteObjects": {
      const unescape = (text: string) =>
        text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
      const objects = [...request.body.matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map((m) => ({
        key: unescape(/<Key>([^<]*)<\/Key>/.exec(m[1])?.[1] ?? ""),
        versionId: /<VersionId>([^<]*)<\/VersionId>/.exec(m[1])?.[1],
      }));
      const deleted = objects.map(({ key: k, versionId: v }) => {
        if (v) {
          store.deleteVersion(bucket, k, v);
          return `<Deleted><Key>${escapeXml(k)}</Key><VersionId>${escapeXml(v)}</VersionId></Deleted>`;
        }
        const marker = store.deleteObject(bucket, k);
        return `<Deleted><Key>${escapeXml(k)}</Key><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>${marker.versionId}</DeleteMarkerVersionId></Deleted>`;
      });
      return xml(200, operation, `<DeleteResult ${NS}>${deleted.join("")}</DeleteResult>`);
    }
    case "HeadObject":
      return version && !deleteMarker(version)
        ? { status: 200, operation, headers: objectHeaders(version as SimObject) }
        : noSuchKey();
    case "GetObject":
      return version && !deleteMarker(version)
        ? {
            status: 200,
            operation,
            body: (version as SimObject).body,
            headers: { ...objectHeaders(version as SimObject), "content-type": "application/octet-stream" },
          }
        : noSuchKey();
    case "PutObject": {
      const put = store.putObject(bucket, key, decodeBody(request));
      return { status: 200, operation, headers: { etag: put.etag, "x-amz-version-id": versionIdOf(put) } };
    }
    case "DeleteObject": {
      // S3 user guide, "Deleting object versions from a versioning-enabled bucket": without a version id
      // a delete marker is added; with one, that version is removed for good.
      if (versionId) {
        const removed = store.deleteVersion(bucket, key, versionId);
        return {
          status: 204,
          operation,
          headers: {
            "x-amz-version-id": versionId,
            ...(removed && deleteMarker(removed) ? { "x-amz-delete-marker": "true" } : {}),
          },
        };
      }
      const marker = store.deleteObject(bucket, key);
      return {
        status: 204,
        operation,
        headers: { "x-amz-delete-marker": "true", "x-amz-version-id": marker.versionId },
      };
    }
    default:
      return s3Error(400, operation, "NotImplemented", `the simulation does not serve ${operation}`);
  }
}

/**
 * CopyObject and UploadPartCopy: `x-amz-copy-source` is `[/]<bucket>/<key>[?versionId=...]`,
 * URL-encoded; the source's region must answer. CopyObject refuses a source over 5 GiB (S3 user guide,
 * "Copying an object using multipart upload": objects over 5 GB need the multipart upload API) and
 * keeps the source's ETag and size in a new version of the destination key.
 */
function copy(
  store: ResourceStore,
  isUp: (region: string) => boolean,
  multipart: MultipartUploads,
  bucket: SimResource,
  key: string,
  request: FakeServiceRequest,
  operation: "CopyObject" | "UploadPartCopy",
): FakeServiceAnswer {
  const [path, query] = String(request.headers["x-amz-copy-source"]).split("?");
  const source = decodeURIComponent(path).replace(/^\//, "");
  const sourceVersion = new URLSearchParams(query ?? "").get("versionId");
  const [sourceName, ...sourceKey] = source.split("/");
  const sourceBucket = store.bucket(sourceName);
  if (sourceBucket && !isUp(sourceBucket.region)) {
    return s3Error(503, operation, "ServiceUnavailable", `${sourceBucket.region} does not answer`);
  }
  const versions = sourceBucket ? versionsOf(sourceBucket, sourceKey.join("/")) : [];
  const from = sourceVersion
    ? versions.find((v) => versionIdOf(v) === sourceVersion)
    : versions[versions.length - 1];
  if (!from || deleteMarker(from)) {
    return s3Error(404, operation, "NoSuchKey", `The specified key does not exist: ${source}`);
  }
  const object = from as SimObject;
  if (operation === "UploadPartCopy") {
    const range = request.headers["x-amz-copy-source-range"];
    return multipart.copyPart(
      bucket,
      key,
      request.url.searchParams,
      object,
      range ? String(range) : undefined,
    );
  }
  if (sizeOf(object) > MAX_COPY_BYTES) {
    return tooLargeToCopy(operation);
  }
  const copied = store.putObject(bucket, key, object.body, undefined, {
    size: sizeOf(object),
    etag: object.etag,
  });
  return xml(
    200,
    operation,
    `<CopyObjectResult ${NS}><LastModified>${isoTime(copied.lastModified)}</LastModified><ETag>${escapeXml(copied.etag)}</ETag></CopyObjectResult>`,
    { "x-amz-version-id": versionIdOf(copied), "x-amz-copy-source-version-id": versionIdOf(object) },
  );
}
