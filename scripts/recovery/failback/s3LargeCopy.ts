/** Copying one S3 object across regions: CopyObject up to 5 GiB, a multipart copy (UploadPartCopy) above. */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  S3Client,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";

const MiB = 1024 * 1024;

/**
 * The largest object CopyObject copies: 5 GiB (S3 API reference, CopyObject: "You create a copy of your
 * object up to 5 GB in size in a single atomic action"; larger ones need UploadPartCopy, S3 user guide
 * "Copying an object using multipart upload").
 */
export const COPY_OBJECT_MAX_BYTES = 5 * 1024 * MiB;

/** Parts copied at once within one object. */
const PARTS_AT_ONCE = 4;

/**
 * The part size of a multipart copy of `size` bytes: 512 MiB, or more when that would take over
 * 10,000 parts (S3 user guide, "Amazon S3 multipart upload limits": 5 MiB to 5 GiB a part, 10,000
 * parts, 5 TiB an object; so at most 525 MiB a part is ever needed).
 */
export function partSizeFor(size: number): number {
  return Math.max(512 * MiB, Math.ceil(size / 10_000 / MiB) * MiB);
}

/** One version of an object to copy. */
export interface CopySource {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string;
  readonly size: number;
}

/** The clients of both ends: the source bucket's region and the destination's. */
export interface CopyClients {
  readonly source: S3Client;
  readonly destination: S3Client;
}

const copySourceOf = (from: CopySource) =>
  `${from.bucket}/${from.key.split("/").map(encodeURIComponent).join("/")}?versionId=${encodeURIComponent(from.versionId)}`;

/**
 * An object's tag set as `x-amz-tagging` takes it: "encoded as URL Query parameters" (S3 API reference,
 * CreateMultipartUpload, x-amz-tagging), each key and value percent-encoded.
 */
function taggingOf(tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): string | undefined {
  const pairs = (tags ?? []).map(
    (t) => `${encodeURIComponent(t.Key ?? "")}=${encodeURIComponent(t.Value ?? "")}`,
  );
  return pairs.length > 0 ? pairs.join("&") : undefined;
}

/**
 * Copies exactly the version `from` to the same key of `bucket` and returns the version id the copy
 * got there, whatever its size the same object. Up to 5 GiB: one CopyObject, which by default copies the
 * source's metadata (`x-amz-metadata-directive`: "If this header isn't specified, COPY is the default
 * behavior"), content headers and Expires among it, and its tags (`x-amz-tagging-directive`: "The default
 * value is COPY"); it stores the copy in STANDARD unless told otherwise (`x-amz-storage-class`), gives it the
 * destination's default encryption and Object Lock retention (the lock mode, date and legal hold are what
 * the request asks for), and does not copy `x-amz-website-redirect-location` ("unique to each object and is
 * not copied"; S3 API reference, CopyObject). Above 5 GiB nothing comes from the source but the bytes (S3
 * user guide, "Copying an object using multipart upload"), so the same is given to CreateMultipartUpload:
 * the content headers, Expires and user metadata from HeadObject of that version, its tags from
 * GetObjectTagging of that version (`Tagging`; needs `s3:GetObjectTagging` and `s3:GetObjectVersionTagging`:
 * S3 API reference, GetObjectTagging); storage class, lock and redirect left to the same defaults.
 * Then UploadPartCopy of each byte range of that version (so every part comes from the same version, even
 * if the key changes meanwhile), CompleteMultipartUpload; on any failure the upload is aborted so no
 * part is left billed.
 */
export async function copyObjectVersion(
  clients: CopyClients,
  from: CopySource,
  bucket: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  const CopySource = copySourceOf(from);
  if (from.size <= COPY_OBJECT_MAX_BYTES) {
    const copied = await clients.destination.send(
      new CopyObjectCommand({ Bucket: bucket, Key: from.key, CopySource }),
      { abortSignal: signal },
    );
    return copied.VersionId;
  }
  const version = { Bucket: from.bucket, Key: from.key, VersionId: from.versionId };
  const [head, tagging] = await Promise.all([
    clients.source.send(new HeadObjectCommand(version), { abortSignal: signal }),
    clients.source.send(new GetObjectTaggingCommand(version), { abortSignal: signal }),
  ]);
  const upload = await clients.destination.send(
    new CreateMultipartUploadCommand({
      Bucket: bucket,
      Key: from.key,
      ContentType: head.ContentType,
      ContentEncoding: head.ContentEncoding,
      ContentDisposition: head.ContentDisposition,
      ContentLanguage: head.ContentLanguage,
      CacheControl: head.CacheControl,
      Expires: head.Expires,
      Metadata: head.Metadata,
      Tagging: taggingOf(tagging.TagSet),
    }),
    { abortSignal: signal },
  );
  const target = { Bucket: bucket, Key: from.key, UploadId: upload.UploadId };
  try {
    const partSize = partSizeFor(from.size);
    const numbers = Array.from({ length: Math.ceil(from.size / partSize) }, (_, i) => i + 1);
    const etags = new Map<number, string | undefined>();
    const queue = [...numbers];
    const worker = async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
        const first = (n - 1) * partSize;
        const last = Math.min(from.size, first + partSize) - 1;
        const part = await clients.destination.send(
          new UploadPartCopyCommand({
            ...target,
            PartNumber: n,
            CopySource,
            CopySourceRange: `bytes=${first}-${last}`,
          }),
          { abortSignal: signal },
        );
        etags.set(n, part.CopyPartResult?.ETag);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARTS_AT_ONCE, numbers.length) }, worker));
    const done = await clients.destination.send(
      new CompleteMultipartUploadCommand({
        ...target,
        MultipartUpload: { Parts: numbers.map((n) => ({ PartNumber: n, ETag: etags.get(n) })) },
      }),
      { abortSignal: signal },
    );
    return done.VersionId;
  } catch (err) {
    await clients.destination.send(new AbortMultipartUploadCommand(target)).catch(() => undefined);
    throw err;
  }
}
