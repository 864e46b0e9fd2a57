/** The listings the S3 copy back compares: every version and delete marker of a bucket, and each key's current one. */
import { S3Client } from "@aws-sdk/client-s3";
import { objectVersionPages } from "../resources/s3";

/** One object version as a listing shows it. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: number;
}

/** One version or delete marker as ListObjectVersions shows it. */
export interface ListedVersion extends ListedObject {
  readonly versionId: string;
  /** The key's current version. */
  readonly latest: boolean;
  readonly deleteMarker: boolean;
  /** The object's ETag (absent for a delete marker). */
  readonly etag?: string;
}

const time = (date: Date | string | undefined) => (date ? new Date(date).getTime() : 0);

/**
 * Every version and delete marker of a bucket (ListObjectVersions, every page, continued from
 * NextKeyMarker and NextVersionIdMarker; S3 API reference, ListObjectVersions). An unversioned bucket
 * lists its objects with the version id `null`.
 */
export async function listVersions(s3: S3Client, bucket: string): Promise<ListedVersion[]> {
  const versions: ListedVersion[] = [];
  for await (const page of objectVersionPages(s3, bucket)) {
    for (const [entries, deleteMarker] of [
      [page.Versions ?? [], false],
      [page.DeleteMarkers ?? [], true],
    ] as const) {
      for (const entry of entries) {
        if (entry.Key !== undefined) {
          versions.push({
            key: entry.Key,
            size: "Size" in entry ? (entry.Size ?? 0) : 0,
            lastModified: time(entry.LastModified),
            versionId: entry.VersionId ?? "null",
            latest: entry.IsLatest === true,
            deleteMarker,
            etag: "ETag" in entry ? entry.ETag : undefined,
          });
        }
      }
    }
  }
  return versions;
}

/** A key's current entry (object or delete marker) by key. */
export function latestByKey(versions: readonly ListedVersion[]): Map<string, ListedVersion> {
  return new Map(versions.filter((v) => v.latest).map((v) => [v.key, v]));
}
