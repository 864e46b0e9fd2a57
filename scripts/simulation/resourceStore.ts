import { createHash } from "crypto";
import { ACCOUNT } from "./fixtures";

/** An object of a simulated S3 bucket. */
export interface SimObject {
  readonly body: string;
  /** Quoted MD5 of the body, as S3 returns it for single-part uploads. */
  readonly etag: string;
  readonly lastModified: number;
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
  readonly objects: Map<string, SimObject>;
  /** Its tags now (a backup copies them to its recovery point; TagResource, AddTagsToResource change them). */
  readonly tags: Record<string, string>;
  /** Settings the CLI reads and changes after a restore (see {@link ResourceSettings}). */
  readonly settings: ResourceSettings;
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
}

/** A resource a scenario puts in a region before anything runs (prod's data, the DR replica bucket...). */
export interface SeedResource {
  readonly type: string;
  readonly id: string;
  readonly region: string;
  readonly metadata?: Record<string, string>;
  readonly state?: ResourceState;
  /** Its tags. Default none. */
  readonly tags?: Readonly<Record<string, string>>;
  /** Its settings. Default: no deletion protection, no PITR, RDS's random windows. */
  readonly settings?: Partial<ResourceSettings>;
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

  constructor(private readonly now: () => number) {}

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
      tags: { ...(init.tags ?? {}) },
      settings: { deletionProtection: false, pointInTimeRecovery: false, ...(init.settings ?? {}) },
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

  /** Puts an object into a bucket at `at` (default now): a write, as the application's upload would be. */
  putObject(bucket: SimResource, key: string, body: string, at = this.now()): SimObject {
    const object = { body, etag: etagOf(body), lastModified: at };
    bucket.objects.set(key, object);
    this.write(bucket, 1, at);
    return object;
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
    };
  }
}
