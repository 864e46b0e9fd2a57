// S3: a bucket's recovery point restored into a new bucket, its object versions paged, the bucket emptied.
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  ListObjectVersionsCommandOutput,
  ObjectIdentifier,
  S3Client,
} from "@aws-sdk/client-s3";
import { ResourceRecovery } from "./resourceRecovery";

/**
 * An S3 bucket (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-s3.html): restored into
 * a new bucket named by the CLI.
 */
export const s3: ResourceRecovery = {
  type: "S3",
  dataKind: "s3",
  fullyManagedByBackup: true,
  // Bucket names: lower case, digits and hyphens, at most 63.
  nameRule: { maxLength: 63, lowerCase: true, invalid: /[^a-z0-9-]/g },
  idIsName: true,
  metadataKeys: [
    "CreationToken",
    "DestinationBucketName",
    "Encrypted",
    "EncryptionType",
    "ItemsToRestore",
    "KMSKey",
    "NewBucket",
  ],
  restoreFixes: { nameKey: "DestinationBucketName", quotaService: "s3" },
  placeRestore(meta, _notes, { targetName }) {
    meta.set("DestinationBucketName", targetName);
    meta.set("NewBucket", "true");
  },
  drConfig: {
    role: "bucket",
    nameKey: "restoredBucketName",
    // No S3 restore: the app reads the cross-region replica, already in the DR region.
    fallback: (outputs) => {
      const replicas = Object.values(outputs.replicaBuckets);
      return replicas.length === 1 ? replicas[0] : undefined;
    },
  },
  async verify(clients, id) {
    await clients.s3.send(new HeadBucketCommand({ Bucket: id }));
    return { ok: true, detail: `bucket ${id} reachable` };
  },
  async delete(clients, id) {
    const removed = await emptyBucket(clients.s3, id);
    await clients.s3.send(new DeleteBucketCommand({ Bucket: id }));
    return `bucket ${id} deleted (${removed} object versions removed)`;
  },
};

/**
 * The pages of ListObjectVersions for a bucket, each requested only when the previous one is done with,
 * continued from NextKeyMarker and NextVersionIdMarker (S3 API reference, ListObjectVersions; the SDK has
 * no paginator for it).
 */
export async function* objectVersionPages(
  client: S3Client,
  bucket: string,
): AsyncGenerator<ListObjectVersionsCommandOutput> {
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
      }),
    );
    yield page;
    if (!page.IsTruncated) {
      return;
    }
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}

// A restored bucket is versioned (AWS Backup for S3 requires versioning): every version and delete
// marker must go before DeleteBucket succeeds.
async function emptyBucket(client: S3Client, bucket: string): Promise<number> {
  let removed = 0;
  for await (const page of objectVersionPages(client, bucket)) {
    const objects: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
      .filter((v) => v.Key)
      .map((v) => ({ Key: v.Key as string, VersionId: v.VersionId }));
    for (let i = 0; i < objects.length; i += 1000) {
      const batch = objects.slice(i, i + 1000);
      const out = await client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }),
      );
      if (out.Errors && out.Errors.length > 0) {
        const first = out.Errors[0];
        throw new Error(
          `DeleteObjects: ${out.Errors.length} failed, e.g. ${first.Key}: ${first.Code} ${first.Message ?? ""}`.trim(),
        );
      }
      removed += batch.length;
    }
  }
  return removed;
}
