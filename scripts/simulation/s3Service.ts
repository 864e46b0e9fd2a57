import type { FakeService, FakeServiceAnswer, FakeServiceRequest } from "./fakeService";
import { ResourceStore, SimObject, SimResource } from "./resourceStore";
import { escapeXml, isoTime, xml } from "./wireFormats";

const NS = `xmlns="http://s3.amazonaws.com/doc/2006-03-01/"`;

const s3Error = (status: number, operation: string, code: string, message: string, extra = "") =>
  xml(
    status,
    operation,
    `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${extra}</Error>`,
  );

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

/** The key of a version: stable per content and time, as the simulation keeps one version per key. */
const versionOf = (object: SimObject) => `${object.lastModified.toString(36)}${object.etag.slice(1, 9)}`;

const objectHeaders = (object: SimObject) => ({
  etag: object.etag,
  "last-modified": new Date(object.lastModified).toUTCString(),
  "content-length": String(Buffer.byteLength(object.body)),
  "x-amz-version-id": versionOf(object),
});

/**
 * S3 over its REST-XML protocol, path style (`/<bucket>/<key>`), for the buckets of both regions:
 * HeadBucket, DeleteBucket (refused while objects remain), ListObjectsV2 (prefix, start-after,
 * max-keys, continuation tokens), ListObjectVersions, DeleteObjects, HeadObject, GetObject,
 * PutObject, CopyObject (`x-amz-copy-source`, across buckets and regions; the source region must
 * answer) and DeleteObject. A request signed for another region than the bucket's gets S3's
 * 301 PermanentRedirect with `x-amz-bucket-region`, as a regional endpoint answers it.
 */
export function s3Service(store: ResourceStore, isUp: (region: string) => boolean): FakeService {
  return (request) => {
    const { method, url, region } = request;
    const [name, ...keyParts] = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const key = keyParts.join("/");
    const q = url.searchParams;
    const operation = key
      ? {
          HEAD: "HeadObject",
          GET: "GetObject",
          PUT: request.headers["x-amz-copy-source"] ? "CopyObject" : "PutObject",
          DELETE: "DeleteObject",
        }[method]
      : method === "HEAD"
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
    return objectOperation(store, isUp, bucket, operation, key, request);
  };
}

function objectOperation(
  store: ResourceStore,
  isUp: (region: string) => boolean,
  bucket: SimResource,
  operation: string,
  key: string,
  request: FakeServiceRequest,
): FakeServiceAnswer {
  const q = request.url.searchParams;
  const object = bucket.objects.get(key);
  const noSuchKey = () =>
    request.method === "HEAD"
      ? { status: 404, operation }
      : s3Error(
          404,
          operation,
          "NoSuchKey",
          "The specified key does not exist.",
          `<Key>${escapeXml(key)}</Key>`,
        );
  switch (operation) {
    case "HeadBucket":
      return { status: 200, operation, headers: { "x-amz-bucket-region": bucket.region } };
    case "DeleteBucket":
      if (bucket.objects.size > 0) {
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
          return `<Contents><Key>${escapeXml(k)}</Key><LastModified>${isoTime(o.lastModified)}</LastModified><ETag>${escapeXml(o.etag)}</ETag><Size>${Buffer.byteLength(o.body)}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
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
      const versions = [...bucket.objects.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(
          ([k, o]) =>
            `<Version><Key>${escapeXml(k)}</Key><VersionId>${versionOf(o)}</VersionId><IsLatest>true</IsLatest><LastModified>${isoTime(o.lastModified)}</LastModified><ETag>${escapeXml(o.etag)}</ETag><Size>${Buffer.byteLength(o.body)}</Size></Version>`,
        )
        .join("");
      return xml(
        200,
        operation,
        `<ListVersionsResult ${NS}><Name>${escapeXml(bucket.id)}</Name><IsTruncated>false</IsTruncated>${versions}</ListVersionsResult>`,
      );
    }
    case "DeleteObjects": {
      const keys = [...request.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) =>
        m[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"),
      );
      for (const k of keys) {
        bucket.objects.delete(k);
      }
      return xml(
        200,
        operation,
        `<DeleteResult ${NS}>${keys.map((k) => `<Deleted><Key>${escapeXml(k)}</Key></Deleted>`).join("")}</DeleteResult>`,
      );
    }
    case "HeadObject":
      return object ? { status: 200, operation, headers: objectHeaders(object) } : noSuchKey();
    case "GetObject":
      return object
        ? {
            status: 200,
            operation,
            body: object.body,
            headers: { ...objectHeaders(object), "content-type": "application/octet-stream" },
          }
        : noSuchKey();
    case "PutObject": {
      const put = store.putObject(bucket, key, decodeBody(request));
      return { status: 200, operation, headers: { etag: put.etag, "x-amz-version-id": versionOf(put) } };
    }
    case "CopyObject":
      return copyObject(store, isUp, bucket, key, request);
    case "DeleteObject":
      bucket.objects.delete(key);
      return { status: 204, operation };
    default:
      return s3Error(400, operation, "NotImplemented", `the simulation does not serve ${operation}`);
  }
}

/** CopyObject: `x-amz-copy-source` is `[/]<bucket>/<key>[?versionId=...]`, URL-encoded. */
function copyObject(
  store: ResourceStore,
  isUp: (region: string) => boolean,
  bucket: SimResource,
  key: string,
  request: FakeServiceRequest,
): FakeServiceAnswer {
  const operation = "CopyObject";
  const source = decodeURIComponent(String(request.headers["x-amz-copy-source"]).split("?")[0]).replace(
    /^\//,
    "",
  );
  const [sourceName, ...sourceKey] = source.split("/");
  const sourceBucket = store.bucket(sourceName);
  if (sourceBucket && !isUp(sourceBucket.region)) {
    return s3Error(503, operation, "ServiceUnavailable", `${sourceBucket.region} does not answer`);
  }
  const from = sourceBucket?.objects.get(sourceKey.join("/"));
  if (!from) {
    return s3Error(404, operation, "NoSuchKey", `The specified key does not exist: ${source}`);
  }
  const copied = store.putObject(bucket, key, from.body);
  return xml(
    200,
    operation,
    `<CopyObjectResult ${NS}><LastModified>${isoTime(copied.lastModified)}</LastModified><ETag>${escapeXml(copied.etag)}</ETag></CopyObjectResult>`,
    { "x-amz-version-id": versionOf(copied) },
  );
}
