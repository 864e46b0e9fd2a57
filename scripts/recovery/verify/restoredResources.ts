import { DeleteTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { DeleteFileSystemCommand, DescribeFileSystemsCommand } from "@aws-sdk/client-efs";
import {
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
} from "@aws-sdk/client-rds";
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  ObjectIdentifier,
} from "@aws-sdk/client-s3";
import { AwsClients } from "../../aws/clients";
import { describeAwsError, isNotFoundError } from "../../aws/errors";
import { ResourceType, resourceNameFromArn } from "../resourceTypes";

/**
 * The id to address a restored resource with, from the `CreatedResourceArn` of its restore job:
 * DB instance or cluster identifier, instance id, volume id, table name, file system id, bucket.
 */
export function restoredResourceId(createdResourceArn: string): string {
  return resourceNameFromArn(createdResourceArn);
}

/** The connection endpoint of a restored RDS instance or Aurora cluster (`host:port`). */
export async function lookUpEndpoint(
  clients: AwsClients,
  type: ResourceType,
  id: string,
): Promise<string | undefined> {
  if (type === "RDS") {
    const out = await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
    const endpoint = out.DBInstances?.[0]?.Endpoint;
    return endpoint?.Address ? `${endpoint.Address}${endpoint.Port ? `:${endpoint.Port}` : ""}` : undefined;
  }
  if (type === "Aurora") {
    const out = await clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    const cluster = out.DBClusters?.[0];
    return cluster?.Endpoint ? `${cluster.Endpoint}${cluster.Port ? `:${cluster.Port}` : ""}` : undefined;
  }
  return undefined;
}

/** Did a restored resource come up, and in which state. */
export interface CheckResult {
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * Checks that a restored resource exists and is usable: DB available, instance running, volume
 * available, table ACTIVE, file system available, bucket reachable.
 */
export async function verifyRestored(
  clients: AwsClients,
  type: ResourceType,
  id: string,
): Promise<CheckResult> {
  try {
    switch (type) {
      case "RDS": {
        const out = await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
        return expectState("DB instance", id, out.DBInstances?.[0]?.DBInstanceStatus, ["available"]);
      }
      case "Aurora": {
        const out = await clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
        return expectState("DB cluster", id, out.DBClusters?.[0]?.Status, ["available"]);
      }
      case "EC2": {
        const out = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
        const state = out.Reservations?.[0]?.Instances?.[0]?.State?.Name;
        return expectState("instance", id, state, ["running", "pending"]);
      }
      case "EBS": {
        const out = await clients.ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }));
        return expectState("volume", id, out.Volumes?.[0]?.State, ["available", "in-use"]);
      }
      case "DynamoDB": {
        const out = await clients.dynamodb.send(new DescribeTableCommand({ TableName: id }));
        return expectState("table", id, out.Table?.TableStatus, ["ACTIVE"]);
      }
      case "EFS": {
        const out = await clients.efs.send(new DescribeFileSystemsCommand({ FileSystemId: id }));
        return expectState("file system", id, out.FileSystems?.[0]?.LifeCycleState, ["available"]);
      }
      case "S3": {
        await clients.s3.send(new HeadBucketCommand({ Bucket: id }));
        return { ok: true, detail: `bucket ${id} reachable` };
      }
    }
  } catch (err) {
    return { ok: false, detail: `${type} ${id}: ${describeAwsError(err)}` };
  }
}

function expectState(what: string, id: string, state: string | undefined, good: string[]): CheckResult {
  const ok = state !== undefined && good.includes(state);
  return { ok, detail: `${what} ${id} is ${state ?? "not found"}` };
}

/**
 * Deletes one resource a drill restored. Callers pass only ids recorded in the drill's own
 * journal; named resources must also carry the drill's name prefix, a second guard against ever
 * touching a source. A resource already gone counts as deleted.
 */
export async function deleteRestored(
  clients: AwsClients,
  type: ResourceType,
  id: string,
  requiredPrefix: string,
): Promise<CheckResult> {
  const named = type === "RDS" || type === "Aurora" || type === "DynamoDB" || type === "S3";
  if (named && !id.startsWith(requiredPrefix)) {
    return {
      ok: false,
      detail: `refused to delete ${type} ${id}: its name does not start with ${requiredPrefix}`,
    };
  }
  try {
    switch (type) {
      case "RDS":
        await clients.rds.send(
          new DeleteDBInstanceCommand({
            DBInstanceIdentifier: id,
            SkipFinalSnapshot: true,
            DeleteAutomatedBackups: true,
          }),
        );
        return { ok: true, detail: `DB instance ${id} deleting` };
      case "Aurora":
        await clients.rds.send(
          new DeleteDBClusterCommand({ DBClusterIdentifier: id, SkipFinalSnapshot: true }),
        );
        return { ok: true, detail: `DB cluster ${id} deleting` };
      case "EC2":
        await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
        return { ok: true, detail: `instance ${id} terminating` };
      case "EBS":
        await clients.ec2.send(new DeleteVolumeCommand({ VolumeId: id }));
        return { ok: true, detail: `volume ${id} deleted` };
      case "DynamoDB":
        await clients.dynamodb.send(new DeleteTableCommand({ TableName: id }));
        return { ok: true, detail: `table ${id} deleting` };
      case "EFS":
        await clients.efs.send(new DeleteFileSystemCommand({ FileSystemId: id }));
        return { ok: true, detail: `file system ${id} deleted` };
      case "S3": {
        const removed = await emptyBucket(clients, id);
        await clients.s3.send(new DeleteBucketCommand({ Bucket: id }));
        return { ok: true, detail: `bucket ${id} deleted (${removed} object versions removed)` };
      }
    }
  } catch (err) {
    if (isNotFoundError(err)) {
      return { ok: true, detail: `${type} ${id} already gone` };
    }
    return { ok: false, detail: `${type} ${id}: ${describeAwsError(err)}` };
  }
}

// A restored bucket is versioned (AWS Backup for S3 requires versioning): every version and delete
// marker must go before DeleteBucket succeeds.
async function emptyBucket(clients: AwsClients, bucket: string): Promise<number> {
  let removed = 0;
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const page = await clients.s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
      }),
    );
    const objects: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
      .filter((v) => v.Key)
      .map((v) => ({ Key: v.Key as string, VersionId: v.VersionId }));
    for (let i = 0; i < objects.length; i += 1000) {
      const batch = objects.slice(i, i + 1000);
      const out = await clients.s3.send(
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
    if (!page.IsTruncated) {
      return removed;
    }
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
}
