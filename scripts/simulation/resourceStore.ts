// The simulation's resources per region: databases, tables, volumes, file systems, buckets, objects.
import { createHash } from "crypto";
import type { EfsThroughput } from "../../stacks/drContract";
import { ACCOUNT } from "./fixtures";

/** An object (one version of a key) of a simulated S3 bucket. */
export interface SimObject {
  readonly body: string;
  /** Quoted MD5 of the body, as S3 returns it for single-part uploads. */
  readonly etag: string;
  readonly lastModified: number;
  /** Its size in bytes. Default: the body's, so a test can seed a 6 GiB object with a short body. */
  readonly size?: number;
  /** Default: one made of its time and ETag (a seeded object). */
  readonly versionId?: string;
  /**
   * `x-amz-replication-status`: PENDING, then COMPLETED or FAILED on a version a replication rule
   * covers, REPLICA on a replica (S3 user guide, "Getting replication status information").
   */
  replicationStatus?: "PENDING" | "COMPLETED" | "FAILED" | "REPLICA";
}

/** A delete marker: what DeleteObject without a version id puts on a key of a versioned bucket. */
export interface SimDeleteMarker {
  readonly deleteMarker: true;
  readonly versionId: string;
  readonly lastModified: number;
  /** Put there by replication (delete marker replication), not by a caller. */
  readonly replica?: boolean;
}

/** One entry of a key's version history. */
export type SimVersion = SimObject | SimDeleteMarker;

/** A bucket's S3 replication rule (one destination, the whole bucket), as components/src/replication.ts deploys it. */
export interface BucketReplication {
  /** The replica bucket, usually in another region. */
  readonly destinationBucket: string;
  /** DeleteMarkerReplication `Enabled`: delete markers made without a version id are replicated too. */
  readonly deleteMarkerReplication: boolean;
  /** Clock ms from a write in the source to its replica. Default 0 (at the next request: still asynchronous). */
  readonly delayMs?: number;
}

/**
 * What a backup captures of a resource and a restore from it brings back: how many writes it had
 * taken and when the last one was, and for S3 the objects themselves.
 */
export interface ResourceState {
  readonly writes: number;
  readonly lastWriteAt?: number;
  /** S3 only: the bucket's objects by key. */
  readonly objects?: Readonly<Record<string, SimObject>>;
  /** RDS and Aurora only: the master user's password, which a snapshot keeps and a restore brings back. */
  readonly masterPassword?: string;
}

/** RDS and Aurora only: the master user's password now, and a reset under way (databaseLogin.ts). */
export interface SimCredential {
  password: string;
  /** RDS manages the password in Secrets Manager (ManageMasterUserPassword). */
  managed: boolean;
  /** A ModifyDB* MasterUserPassword not yet applied: the status is resetting-master-credentials until `appliesAt`. */
  pending?: { readonly password: string; readonly registersAt: number; readonly appliesAt: number };
}

/** A resource of one region's data plane (for S3, a bucket: its name is global, its region its own). */
export interface SimResource {
  readonly type: string;
  /** DB identifier, instance id, volume id, table name, file system id or bucket name. */
  readonly id: string;
  readonly region: string;
  readonly arn: string;
  /** The restore metadata it was created with (or, seeded, what a backup of it would report). */
  readonly metadata: Record<string, string>;
  readonly createdAt: number;
  /** The restore job that created it; undefined for a resource the scenario seeded. */
  readonly restoreJobId?: string;
  writes: number;
  lastWriteAt?: number;
  /** S3 only: the current version of each key that has one (not deleted). */
  readonly objects: Map<string, SimObject>;
  /** RDS and Aurora only: the master user's credential. */
  readonly credential?: SimCredential;
  /**
   * S3 only: every version and delete marker of each key, oldest first. Buckets are versioned, as
   * replication and AWS Backup for S3 require.
   */
  readonly versions: Map<string, SimVersion[]>;
  /** S3 only: the bucket's replication rule, if it has one. */
  readonly replication?: BucketReplication;
  /** Its tags now (a backup copies them to its recovery point; TagResource, AddTagsToResource change them). */
  readonly tags: Record<string, string>;
  /** Settings the CLI reads and changes after a restore (see {@link ResourceSettings}). */
  readonly settings: ResourceSettings;
  /** RDS only: until then the DB instance is `creating` (a stack's new cluster instance). */
  readonly availableAt?: number;
}

/**
 * What RDS and DynamoDB let the CLI set on a live resource: deletion protection (DeleteDBInstance,
 * DeleteDBCluster and DeleteTable refuse while it is on), a DB's backup and maintenance windows, a table's
 * point-in-time recovery.
 */
export interface ResourceSettings {
  deletionProtection: boolean;
  /** RDS PreferredBackupWindow, `hh24:mi-hh24:mi` UTC; undefined: RDS's random choice. */
  backupWindow?: string;
  /** RDS PreferredMaintenanceWindow, `ddd:hh24:mi-ddd:hh24:mi` UTC; undefined: RDS's random choice. */
  maintenanceWindow?: string;
  /** DynamoDB point-in-time recovery (UpdateContinuousBackups). */
  pointInTimeRecovery: boolean;
  /** EFS only: the throughput mode (UpdateFileSystem, efsModel.ts). Undefined: bursting. */
  throughput?: EfsThroughput;
  /** EFS only: clock ms before which a throughput mode change or decrease is refused (efsModel.ts). */
  throughputLockedUntil?: number;
}

/** Applies a master password reset whose time has come; returns the credential as it is at `now`. */
export function settleCredential(credential: SimCredential, now: number): SimCredential {
  if (credential.pending && credential.pending.appliesAt <= now) {
    credential.password = credential.pending.password;
    delete credential.pending;
  }
  return credential;
}

/** The password of a database whose recovery point recorded none: the source's, unknown to the DR side. */
export const SNAPSHOT_PASSWORD = "the-source-databases-password";

/** A resource a scenario puts in a region before anything runs (prod's data, the DR replica bucket...). */
export interface SeedResource {
  readonly type: string;
  readonly id: string;
  readonly region: string;
  readonly metadata?: Record<string, string>;
  readonly state?: ResourceState;
  /** S3 only: a replication rule into another bucket. Default none. */
  readonly replication?: BucketReplication;
  /** Its tags. Default none. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Its settings. Default: no deletion protection, no PITR, RDS's random windows. */
  readonly settings?: Partial<ResourceSettings>;
  /** RDS only: when a DB instance being created (status `creating`) becomes available. Default: at once. */
  readonly availableAt?: number;
}

/** The ARN AWS gives a resource of a type (S3 buckets have no region or account in theirs). */
export function resourceArn(type: string, region: string, id: string): string {
  switch (type) {
    case "RDS":
      return `arn:aws:rds:${region}:${ACCOUNT}:db:${id}`;
    case "Aurora":
      return `arn:aws:rds:${region}:${ACCOUNT}:cluster:${id}`;
    case "EC2":
      return `arn:aws:ec2:${region}:${ACCOUNT}:instance/${id}`;
    case "EBS":
      return `arn:aws:ec2:${region}:${ACCOUNT}:volume/${id}`;
    case "DynamoDB":
      return `arn:aws:dynamodb:${region}:${ACCOUNT}:table/${id}`;
    case "EFS":
      return `arn:aws:elasticfilesystem:${region}:${ACCOUNT}:file-system/${id}`;
    case "S3":
      return `arn:aws:s3:::${id}`;
    default:
      return `arn:aws:${type.toLowerCase()}:${region}:${ACCOUNT}:thing/${id}`;
  }
}

/** A restore metadata value, whatever the case of its key (AWS Backup's keys vary by type). */
export function metaValue(metadata: Record<string, string>, key: string): string | undefined {
  const found = Object.keys(metadata).find((k) => k.toLowerCase() === key.toLowerCase());
  return found ? metadata[found] : undefined;
}

/**
 * The id of what a restore job creates: the name asked for in the metadata (RDS, Aurora, DynamoDB,
 * S3), else one AWS makes up (instance, volume and file system ids), stable per job.
 */
export function restoredId(type: string, jobId: string, metadata: Record<string, string>): string {
  const hash = createHash("sha256").update(jobId).digest("hex").slice(0, 17);
  switch (type) {
    case "RDS":
      return metaValue(metadata, "DBInstanceIdentifier") ?? `db-${hash}`;
    case "Aurora":
      return metaValue(metadata, "DBClusterIdentifier") ?? `cluster-${hash}`;
    case "DynamoDB":
      return metaValue(metadata, "targetTableName") ?? `table-${hash}`;
    case "S3":
      return metaValue(metadata, "DestinationBucketName") ?? `bucket-${hash}`;
    case "EC2":
      return `i-${hash}`;
    case "EBS":
      return `vol-${hash}`;
    case "EFS":
      return `fs-${hash.slice(0, 8)}`;
    default:
      return hash;
  }
}

/** A version's id (a seeded object without one gets one made of its time and ETag). */
export function versionIdOf(version: SimVersion): string {
  return (
    version.versionId ?? `${version.lastModified.toString(36)}${(version as SimObject).etag.slice(1, 9)}`
  );
}

/** A version's size in bytes (0 for a delete marker). */
export function sizeOf(version: SimVersion): number {
  return "deleteMarker" in version ? 0 : (version.size ?? Buffer.byteLength(version.body));
}

/**
 * Every version of a key, oldest first, the current one last. An object set as current directly (a
 * restore into an existing bucket) counts as the newest version.
 */
export function versionsOf(bucket: SimResource, key: string): SimVersion[] {
  const versions = bucket.versions.get(key) ?? [];
  const current = bucket.objects.get(key);
  return current && versions[versions.length - 1] !== current ? [...versions, current] : versions;
}

/** The quoted MD5 ETag S3 gives a single-part object. */
export function etagOf(body: string): string {
  return `"${createHash("md5").update(body).digest("hex")}"`;
}

/**
 * The resources of both regions' data planes: created by restore jobs or seeded, written to (a
 * write counter and the time of the last write; for S3 the objects), captured by backups and
 * deleted. Deleted resources are gone for every look-up.
 */
export class ResourceStore {
  private readonly live: SimResource[] = [];

  constructor(readonly now: () => number) {}

  /** The store's clock now. */
  nowMs(): number {
    return this.now();
  }

  /** Adds a resource with the given state (default: no writes, no objects). */
  add(init: SeedResource & { readonly restoreJobId?: string }): SimResource {
    const state = init.state ?? { writes: 0 };
    const resource: SimResource = {
      type: init.type,
      id: init.id,
      region: init.region,
      arn: resourceArn(init.type, init.region, init.id),
      metadata: init.metadata ?? {},
      createdAt: this.now(),
      restoreJobId: init.restoreJobId,
      writes: state.writes,
      lastWriteAt: state.lastWriteAt,
      objects: new Map(Object.entries(state.objects ?? {})),
      // A restored database keeps the snapshot's password and is not RDS-managed any more: the restore
      // recreates no managed secret (aws/aws-cdk#21730, hashicorp/terraform-provider-aws#31509).
      ...((init.type === "RDS" || init.type === "Aurora") && {
        credential: {
          password: state.masterPassword ?? SNAPSHOT_PASSWORD,
          managed:
            init.restoreJobId === undefined &&
            metaValue(init.metadata ?? {}, "ManageMasterUserPassword") === "true",
        },
      }),
      versions: new Map(Object.entries(state.objects ?? {}).map(([key, object]) => [key, [object]])),
      replication: init.replication,
      tags: { ...(init.tags ?? {}) },
      settings: { deletionProtection: false, pointInTimeRecovery: false, ...(init.settings ?? {}) },
      availableAt: init.availableAt,
    };
    this.live.push(resource);
    return resource;
  }

  /** Every live resource, of one region when given (S3 buckets count in their own region). */
  list(region?: string): SimResource[] {
    return this.live.filter((r) => region === undefined || r.region === region);
  }

  /** A live resource of one of `types` named `id` in `region`. */
  find(region: string, types: readonly string[], id: string | null | undefined): SimResource | undefined {
    return this.live.find((r) => r.region === region && types.includes(r.type) && r.id === id);
  }

  /** A live S3 bucket, whatever its region (bucket names are global). */
  bucket(name: string): SimResource | undefined {
    return this.live.find((r) => r.type === "S3" && r.id === name);
  }

  byArn(arn: string): SimResource | undefined {
    return this.live.find((r) => r.arn === arn);
  }

  /** Records `count` writes to a resource at `at` (default now): a test's application writing to it. */
  write(resource: SimResource, count = 1, at = this.now()): void {
    resource.writes += count;
    resource.lastWriteAt = at;
  }

  /**
   * Puts a new version of an object into a bucket at `at` (default now): a write, as the application's
   * upload would be. `size` and `etag` default to the body's (a copy keeps its source's).
   */
  putObject(
    bucket: SimResource,
    key: string,
    body: string,
    at = this.now(),
    copied: { readonly size?: number; readonly etag?: string } = {},
  ): SimObject {
    const object: SimObject = {
      body,
      etag: copied.etag ?? etagOf(body),
      lastModified: at,
      size: copied.size ?? Buffer.byteLength(body),
      versionId: this.nextVersionId(at),
    };
    this.addVersion(bucket, key, object);
    this.write(bucket, 1, at);
    this.replicateLater(bucket, key, object);
    return object;
  }

  /**
   * DeleteObject without a version id: a delete marker becomes the key's current version, the older
   * versions stay (S3 user guide, "Deleting object versions from a versioning-enabled bucket").
   */
  deleteObject(bucket: SimResource, key: string, at = this.now()): SimDeleteMarker {
    const marker: SimDeleteMarker = {
      deleteMarker: true,
      versionId: this.nextVersionId(at),
      lastModified: at,
    };
    this.addVersion(bucket, key, marker);
    this.write(bucket, 1, at);
    this.replicateLater(bucket, key, marker);
    return marker;
  }

  /**
   * DeleteObject with a version id removes that version for good; the newest left becomes current. It
   * is never replicated ("What does Amazon S3 replicate?": "it doesn't replicate the deletion").
   */
  deleteVersion(bucket: SimResource, key: string, versionId: string): SimVersion | undefined {
    const versions = versionsOf(bucket, key);
    const removed = versions.find((v) => versionIdOf(v) === versionId);
    if (!removed) {
      return undefined;
    }
    const left = versions.filter((v) => v !== removed);
    bucket.versions.set(key, left);
    const current = left[left.length - 1];
    if (current && !("deleteMarker" in current)) {
      bucket.objects.set(key, current);
    } else {
      bucket.objects.delete(key);
    }
    if (left.length === 0) {
      bucket.versions.delete(key);
    }
    return removed;
  }

  /**
   * Cross-Region Replication, brought up to the clock: each new version (object or, with
   * DeleteMarkerReplication, delete marker) put into a bucket with a replication rule is written into
   * the destination once due, with the same version id and the source's creation time ("Replicating
   * objects": replicas "retain all metadata, such as the original object creation times and version
   * IDs"), marked REPLICA, the source's status becoming COMPLETED ("Getting replication status
   * information"). While either region does not answer it stays PENDING ("For temporary failures, such
   * as if a bucket or Region is unavailable, replication status will not transition to FAILED"); a
   * destination that does not exist fails it (unsourced guess: FAILED, as for missing permissions).
   * Replicas are not replicated again ("What does Amazon S3 replicate?": not "objects in the source
   * bucket that are replicas that were created by another replication rule").
   */
  settleReplication(isUp: (region: string) => boolean): void {
    const now = this.now();
    for (const pending of [...this.replicating]) {
      const { source, key, version } = pending;
      const destination = this.bucket(source.replication?.destinationBucket ?? "");
      if (pending.dueAt > now || !isUp(source.region) || (destination && !isUp(destination.region))) {
        continue;
      }
      this.replicating.splice(this.replicating.indexOf(pending), 1);
      if (!("deleteMarker" in version)) {
        version.replicationStatus = destination ? "COMPLETED" : "FAILED";
      }
      if (!destination) {
        continue;
      }
      // Unsourced guess: a replica becomes the destination's newest version of the key when it lands.
      this.addVersion(
        destination,
        key,
        "deleteMarker" in version
          ? { ...version, replica: true }
          : { ...version, replicationStatus: "REPLICA" },
      );
    }
  }

  private readonly replicating: { source: SimResource; key: string; version: SimVersion; dueAt: number }[] =
    [];
  private versionCount = 0;

  private nextVersionId(at: number): string {
    return `${at.toString(36)}.${(++this.versionCount).toString(36).padStart(4, "0")}`;
  }

  private addVersion(bucket: SimResource, key: string, version: SimVersion): void {
    bucket.versions.set(key, [...versionsOf(bucket, key), version]);
    if ("deleteMarker" in version) {
      bucket.objects.delete(key);
    } else {
      bucket.objects.set(key, version);
    }
  }

  /** A rule replicates every new object version, and delete markers only with DeleteMarkerReplication. */
  private replicateLater(bucket: SimResource, key: string, version: SimVersion): void {
    const rule = bucket.replication;
    if (!rule || ("deleteMarker" in version && !rule.deleteMarkerReplication)) {
      return;
    }
    if (!("deleteMarker" in version)) {
      version.replicationStatus = "PENDING";
    }
    this.replicating.push({
      source: bucket,
      key,
      version,
      dueAt: version.lastModified + (rule.delayMs ?? 0),
    });
  }

  remove(resource: SimResource): void {
    this.live.splice(this.live.indexOf(resource), 1);
  }

  /** What a backup started now captures. */
  snapshot(resource: SimResource): ResourceState {
    return {
      writes: resource.writes,
      lastWriteAt: resource.lastWriteAt,
      ...(resource.type === "S3" ? { objects: Object.fromEntries(resource.objects) } : {}),
      ...(resource.credential && {
        masterPassword: settleCredential(resource.credential, this.now()).password,
      }),
    };
  }
}
