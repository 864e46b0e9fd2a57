/** S3's REST-XML service (path style): parses a request, calls the S3 model (s3Model.ts), answers in S3's XML. */
import type { FakeService, FakeServiceAnswer, FakeServiceRequest } from "./fakeService";
import { ResourceStore, SimObject, SimResource, sizeOf, versionIdOf } from "./resourceStore";
import { S3Error, S3Model, isDeleteMarker } from "./s3Model";
import { parseTagging } from "./s3Multipart";
import { escapeXml, isoTime, xml } from "./wireFormats";

const NS = `xmlns="http://s3.amazonaws.com/doc/2006-03-01/"`;

/** An S3 error in its REST-XML form (`fields` as further elements of `<Error>`). */
export const s3Error = (
  status: number,
  operation: string,
  code: string,
  message: string,
  fields: Readonly<Record<string, string>> = {},
  headers: Record<string, string> = {},
) =>
  xml(
    status,
    operation,
    `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${Object.entries(fields)
      .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
      .join("")}</Error>`,
    headers,
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

const objectHeaders = (object: SimObject) => ({
  etag: object.etag,
  "last-modified": new Date(object.lastModified).toUTCString(),
  "content-length": String(sizeOf(object)),
  "x-amz-version-id": versionIdOf(object),
  ...(object.replicationStatus ? { "x-amz-replication-status": object.replicationStatus } : {}),
  ...(object.expires ? { expires: object.expires } : {}),
  ...(object.tags && Object.keys(object.tags).length > 0
    ? { "x-amz-tagging-count": String(Object.keys(object.tags).length) }
    : {}),
});

/** The tags and Expires a PutObject or CreateMultipartUpload request gives its object. */
const attributesOf = (request: FakeServiceRequest) => ({
  tags: parseTagging(request.headers["x-amz-tagging"] as string | undefined),
  expires: request.headers.expires as string | undefined,
});

/**
 * S3 over its REST-XML protocol, path style (`/<bucket>/<key>`), for the versioned buckets of both
 * regions: the operations of {@link S3Model}, a version of a copy's source named by
 * `x-amz-copy-source`'s `?versionId=`, a part's range by `x-amz-copy-source-range`. A request signed for
 * another region than the bucket's gets S3's 301 PermanentRedirect with `x-amz-bucket-region`, as a
 * regional endpoint answers it; a HEAD request's error has no body.
 */
export function s3Service(store: ResourceStore, isUp: (region: string) => boolean): FakeService {
  const model = new S3Model(store, isUp);
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
    try {
      return answer(model, model.bucket(name ?? "", region), operation, key, request);
    } catch (err) {
      if (!(err instanceof S3Error)) {
        throw err;
      }
      return method === "HEAD"
        ? { status: err.status, operation, headers: err.headers }
        : s3Error(err.status, operation, err.type, err.message, err.fields, err.headers);
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
    if (method === "GET" && q.has("tagging")) {
      return "GetObjectTagging";
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

const unescape = (text: string) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The model's answer to one operation on `bucket`, in S3's wire form. */
function answer(
  model: S3Model,
  bucket: SimResource,
  operation: string,
  key: string,
  request: FakeServiceRequest,
): FakeServiceAnswer {
  const q = request.url.searchParams;
  const versionId = q.get("versionId");
  const copySource = String(request.headers["x-amz-copy-source"] ?? "");
  switch (operation) {
    case "HeadBucket":
      return { status: 200, operation, headers: { "x-amz-bucket-region": bucket.region } };
    case "DeleteBucket":
      model.deleteBucket(bucket);
      return { status: 204, operation };
    case "ListObjectsV2": {
      const page = model.listObjects(bucket, {
        prefix: q.get("prefix") ?? undefined,
        maxKeys: q.has("max-keys") ? Number(q.get("max-keys")) : undefined,
        after: q.get("continuation-token") ?? q.get("start-after") ?? undefined,
      });
      const contents = page.objects
        .map(
          ({ key: k, object: o }) =>
            `<Contents><Key>${escapeXml(k)}</Key><LastModified>${isoTime(o.lastModified)}</LastModified><ETag>${escapeXml(o.etag)}</ETag><Size>${sizeOf(o)}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
        )
        .join("");
      const next = page.nextToken
        ? `<NextContinuationToken>${escapeXml(page.nextToken)}</NextContinuationToken>`
        : "";
      return xml(
        200,
        operation,
        `<ListBucketResult ${NS}><Name>${escapeXml(bucket.id)}</Name><Prefix>${escapeXml(page.prefix)}</Prefix><KeyCount>${page.objects.length}</KeyCount><MaxKeys>${page.maxKeys}</MaxKeys><IsTruncated>${page.nextToken !== undefined}</IsTruncated>${contents}${next}</ListBucketResult>`,
      );
    }
    case "ListObjectVersions": {
      const page = model.listVersions(bucket, {
        prefix: q.get("prefix") ?? undefined,
        maxKeys: q.has("max-keys") ? Number(q.get("max-keys")) : undefined,
        keyMarker: q.get("key-marker") ?? undefined,
        versionIdMarker: q.get("version-id-marker") ?? undefined,
      });
      const listed = page.entries
        .map(({ key: k, version: v, latest }) =>
          isDeleteMarker(v)
            ? `<DeleteMarker><Key>${escapeXml(k)}</Key><VersionId>${versionIdOf(v)}</VersionId><IsLatest>${latest}</IsLatest><LastModified>${isoTime(v.lastModified)}</LastModified></DeleteMarker>`
            : `<Version><Key>${escapeXml(k)}</Key><VersionId>${versionIdOf(v)}</VersionId><IsLatest>${latest}</IsLatest><LastModified>${isoTime(v.lastModified)}</LastModified><ETag>${escapeXml(v.etag)}</ETag><Size>${sizeOf(v)}</Size><StorageClass>STANDARD</StorageClass></Version>`,
        )
        .join("");
      const next = page.next
        ? `<NextKeyMarker>${escapeXml(page.next.key)}</NextKeyMarker><NextVersionIdMarker>${page.next.versionId}</NextVersionIdMarker>`
        : "";
      return xml(
        200,
        operation,
        `<ListVersionsResult ${NS}><Name>${escapeXml(bucket.id)}</Name><MaxKeys>${page.maxKeys}</MaxKeys><IsTruncated>${page.next !== undefined}</IsTruncated>${next}${listed}</ListVersionsResult>`,
      );
    }
    case "DeleteObjects": {
      const objects = [...request.body.matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map((m) => ({
        key: unescape(/<Key>([^<]*)<\/Key>/.exec(m[1])?.[1] ?? ""),
        versionId: /<VersionId>([^<]*)<\/VersionId>/.exec(m[1])?.[1],
      }));
      const deleted = model
        .deleteObjects(bucket, objects)
        .map((d) =>
          d.versionId
            ? `<Deleted><Key>${escapeXml(d.key)}</Key><VersionId>${escapeXml(d.versionId)}</VersionId></Deleted>`
            : `<Deleted><Key>${escapeXml(d.key)}</Key><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>${d.deleteMarkerVersionId}</DeleteMarkerVersionId></Deleted>`,
        );
      return xml(200, operation, `<DeleteResult ${NS}>${deleted.join("")}</DeleteResult>`);
    }
    case "HeadObject":
      return { status: 200, operation, headers: objectHeaders(model.object(bucket, key, versionId)) };
    case "GetObject": {
      const object = model.object(bucket, key, versionId);
      return {
        status: 200,
        operation,
        body: object.body,
        headers: { ...objectHeaders(object), "content-type": "application/octet-stream" },
      };
    }
    case "GetObjectTagging": {
      const tags = Object.entries(model.objectTagging(bucket, key, versionId))
        .map(([k, v]) => `<Tag><Key>${escapeXml(k)}</Key><Value>${escapeXml(v)}</Value></Tag>`)
        .join("");
      const object = model.object(bucket, key, versionId);
      return xml(200, operation, `<Tagging ${NS}><TagSet>${tags}</TagSet></Tagging>`, {
        "x-amz-version-id": versionIdOf(object),
      });
    }
    case "PutObject": {
      const put = model.putObject(bucket, key, decodeBody(request), attributesOf(request));
      return { status: 200, operation, headers: { etag: put.etag, "x-amz-version-id": versionIdOf(put) } };
    }
    case "DeleteObject": {
      const deleted = model.deleteObject(bucket, key, versionId);
      return {
        status: 204,
        operation,
        headers: deleted.versionId
          ? {
              "x-amz-version-id": deleted.versionId,
              ...(deleted.removedMarker ? { "x-amz-delete-marker": "true" } : {}),
            }
          : { "x-amz-delete-marker": "true", "x-amz-version-id": deleted.deleteMarkerVersionId ?? "" },
      };
    }
    case "CopyObject": {
      const { copied, source } = model.copyObject(bucket, key, copySource);
      return xml(
        200,
        operation,
        `<CopyObjectResult ${NS}><LastModified>${isoTime(copied.lastModified)}</LastModified><ETag>${escapeXml(copied.etag)}</ETag></CopyObjectResult>`,
        { "x-amz-version-id": versionIdOf(copied), "x-amz-copy-source-version-id": versionIdOf(source) },
      );
    }
    case "UploadPartCopy": {
      const range = request.headers["x-amz-copy-source-range"];
      const part = model.uploadPartCopy(
        bucket,
        key,
        q.get("uploadId"),
        Number(q.get("partNumber")),
        copySource,
        range ? String(range) : undefined,
      );
      return xml(
        200,
        operation,
        `<CopyPartResult ${NS}><LastModified>${isoTime(part.lastModified)}</LastModified><ETag>${escapeXml(part.etag)}</ETag></CopyPartResult>`,
      );
    }
    case "CreateMultipartUpload": {
      const uploadId = model.multipart.create(bucket, key, attributesOf(request));
      return xml(
        200,
        operation,
        `<InitiateMultipartUploadResult ${NS}><Bucket>${escapeXml(bucket.id)}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    case "CompleteMultipartUpload": {
      const listed = [...request.body.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
        number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1])?.[1]),
        etag: (/<ETag>([^<]*)<\/ETag>/.exec(m[1])?.[1] ?? "").replace(/&quot;/g, '"'),
      }));
      const object = model.multipart.complete(bucket, key, q.get("uploadId"), listed);
      return xml(
        200,
        operation,
        `<CompleteMultipartUploadResult ${NS}><Bucket>${escapeXml(bucket.id)}</Bucket><Key>${escapeXml(key)}</Key><ETag>${escapeXml(object.etag)}</ETag></CompleteMultipartUploadResult>`,
        { "x-amz-version-id": object.versionId ?? "" },
      );
    }
    case "AbortMultipartUpload":
      model.multipart.abort(bucket, key, q.get("uploadId"));
      return { status: 204, operation };
    default:
      return s3Error(400, operation, "NotImplemented", `the simulation does not serve ${operation}`);
  }
}
