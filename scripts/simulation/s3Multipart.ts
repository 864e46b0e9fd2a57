/** S3 multipart uploads as the failback's copy of large objects uses them: create, copy parts, complete, abort (the model, no wire format). */
import { createHash } from "crypto";
import { FakeApiError } from "./backupJobs";
import { ResourceStore, SimObject, SimResource, sizeOf } from "./resourceStore";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * The largest object CopyObject copies, and the largest part: 5 GiB (S3 API reference, CopyObject: "You
 * create a copy of your object up to 5 GB in size in a single atomic action"; user guide "Amazon S3
 * multipart upload limits": part size "5 MiB to 5 GiB").
 */
export const MAX_COPY_BYTES = 5 * GiB;
/** Every part but the last is at least 5 MiB ("Amazon S3 multipart upload limits"). */
export const MIN_PART_BYTES = 5 * MiB;
/** Part numbers run from 1 to 10,000 ("Amazon S3 multipart upload limits"). */
export const MAX_PARTS = 10_000;

/**
 * An S3 error: its HTTP status, code and message, the further fields of its `<Error>` document (e.g.
 * `Key`, `BucketName`) and the headers S3 sends with it (a HEAD answer carries only those).
 */
export class S3Error extends FakeApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly fields: Readonly<Record<string, string>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(status, code, message);
  }
}

/**
 * CopyObject's and UploadPartCopy's answer to a source over 5 GiB: the code and message S3 gives
 * (reported verbatim from S3, e.g. seqeralabs/nf-tower issue 362: "The specified copy source is larger
 * than the maximum allowable size for a copy source: 5368709120 (... Status Code: 400; Error Code:
 * InvalidRequest"). For a part, the same answer is an unsourced guess.
 */
export const tooLargeToCopy = () =>
  new S3Error(
    400,
    "InvalidRequest",
    `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_COPY_BYTES}`,
  );

/** What a caller gives an object besides its bytes: its tag set and its `Expires` header. */
export interface ObjectAttributes {
  readonly tags?: Readonly<Record<string, string>>;
  readonly expires?: string;
}

/**
 * A tag set as `x-amz-tagging` carries it, "encoded as URL Query parameters" (S3 API reference, PutObject and
 * CreateMultipartUpload, x-amz-tagging): `k1=v1&k2=v2`.
 */
export function parseTagging(header: string | undefined): Record<string, string> | undefined {
  if (!header) {
    return undefined;
  }
  return Object.fromEntries(
    header
      .split("&")
      .map((pair) => pair.split("=").map((part) => decodeURIComponent(part.replace(/\+/g, " ")))),
  ) as Record<string, string>;
}

/** One part of an upload. */
export interface UploadedPart {
  readonly etag: string;
  readonly size: number;
  readonly body: string;
  readonly lastModified: number;
}

interface Upload {
  readonly bucket: string;
  readonly key: string;
  /** What CreateMultipartUpload gave the object-to-be: its tags and Expires. */
  readonly attributes: ObjectAttributes;
  readonly parts: Map<number, UploadedPart>;
}

/**
 * Multipart uploads of both regions' buckets (S3 API reference: CreateMultipartUpload, UploadPartCopy,
 * CompleteMultipartUpload, AbortMultipartUpload): parts copied from a byte range of an existing object
 * (`bytes=first-last`), at most 5 GiB each, numbered 1 to 10,000, every one but the last at least 5 MiB
 * when the upload completes (checked then, as S3 does: EntityTooSmall). A completed upload is one new
 * version of the key, its ETag the MD5 of the parts' MD5s and `-<parts>` (unsourced guess of S3's
 * undocumented formula; callers treat ETags as opaque). Errors are thrown as {@link S3Error}.
 */
export class MultipartUploads {
  private readonly uploads = new Map<string, Upload>();
  private count = 0;

  constructor(private readonly store: ResourceStore) {}

  /**
   * CreateMultipartUpload: the new upload's id. The object it completes gets only the tags and Expires given
   * here (S3 user guide, "Copying an object using multipart upload": the copy's metadata is what the upload
   * is created with, nothing comes from the parts' source).
   */
  create(bucket: SimResource, key: string, attributes: ObjectAttributes = {}): string {
    const uploadId = `upload-${++this.count}`;
    this.uploads.set(uploadId, { bucket: bucket.id, key, parts: new Map(), attributes });
    return uploadId;
  }

  /** UploadPartCopy of `source` (a version of an object), the whole of it or `range` (`bytes=a-b`). */
  copyPart(
    bucket: SimResource,
    key: string,
    uploadId: string | null | undefined,
    partNumber: number,
    source: SimObject,
    range: string | undefined,
  ): UploadedPart {
    const upload = this.find(bucket, key, uploadId);
    if (!upload) {
      throw noSuchUpload();
    }
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
      throw new S3Error(
        400,
        "InvalidArgument",
        `Part number must be an integer between 1 and ${MAX_PARTS}, inclusive`,
      );
    }
    const size = sizeOf(source);
    const bounds =
      range === undefined ? [0, size - 1] : /^bytes=(\d+)-(\d+)$/.exec(range)?.slice(1).map(Number);
    if (!bounds || bounds[0] > bounds[1] || bounds[1] >= size) {
      // Unsourced guess of the message; the code is S3's for a bad copy range.
      throw new S3Error(
        400,
        "InvalidRequest",
        `The x-amz-copy-source-range value ${range ?? "(whole object)"} is not valid for a source object of ${size} bytes`,
      );
    }
    const partSize = bounds[1] - bounds[0] + 1;
    if (partSize > MAX_COPY_BYTES) {
      throw tooLargeToCopy();
    }
    // A seeded large object has a short body: its parts carry no bytes, only their size.
    const body = Buffer.byteLength(source.body) === size ? source.body.slice(bounds[0], bounds[1] + 1) : "";
    const etag = `"${createHash("md5").update(`${source.etag}:${bounds[0]}-${bounds[1]}:${body}`).digest("hex")}"`;
    const part = { etag, size: partSize, body, lastModified: this.store.nowMs() };
    upload.parts.set(partNumber, part);
    return part;
  }

  /** CompleteMultipartUpload with the listed parts: the key's new version. */
  complete(
    bucket: SimResource,
    key: string,
    uploadId: string | null | undefined,
    listed: ReadonlyArray<{ readonly number: number; readonly etag: string }>,
  ): SimObject {
    const upload = this.find(bucket, key, uploadId);
    if (!upload) {
      throw noSuchUpload();
    }
    if (listed.length === 0 || listed.some((p, i) => i > 0 && p.number <= listed[i - 1].number)) {
      throw new S3Error(
        400,
        "InvalidPartOrder",
        "The list of parts was not in ascending order. The parts list must be specified in order by part number.",
      );
    }
    const parts = listed.map((p) => ({ listed: p, part: upload.parts.get(p.number) }));
    if (parts.some(({ listed: p, part }) => !part || part.etag !== p.etag)) {
      throw new S3Error(
        400,
        "InvalidPart",
        "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.",
      );
    }
    const chosen = parts.map(({ part }) => part as UploadedPart);
    if (chosen.slice(0, -1).some((part) => part.size < MIN_PART_BYTES)) {
      throw new S3Error(
        400,
        "EntityTooSmall",
        "Your proposed upload is smaller than the minimum allowed object size.",
      );
    }
    const digest = createHash("md5")
      .update(Buffer.concat(chosen.map((part) => Buffer.from(part.etag.slice(1, -1), "hex"))))
      .digest("hex");
    const object = this.store.putObject(bucket, key, chosen.map((part) => part.body).join(""), undefined, {
      size: chosen.reduce((sum, part) => sum + part.size, 0),
      etag: `"${digest}-${chosen.length}"`,
      ...upload.attributes,
    });
    this.uploads.delete(uploadId ?? "");
    return object;
  }

  /** AbortMultipartUpload: the upload and its parts are gone. */
  abort(bucket: SimResource, key: string, uploadId: string | null | undefined): void {
    if (!this.find(bucket, key, uploadId)) {
      throw noSuchUpload();
    }
    this.uploads.delete(uploadId ?? "");
  }

  /** Uploads started and neither completed nor aborted (their parts are billed on AWS). */
  inProgress(): { bucket: string; key: string; parts: number }[] {
    return [...this.uploads.values()].map((u) => ({ bucket: u.bucket, key: u.key, parts: u.parts.size }));
  }

  private find(bucket: SimResource, key: string, uploadId: string | null | undefined): Upload | undefined {
    const upload = this.uploads.get(uploadId ?? "");
    return upload && upload.bucket === bucket.id && upload.key === key ? upload : undefined;
  }
}

const noSuchUpload = () =>
  new S3Error(
    404,
    "NoSuchUpload",
    "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
  );
