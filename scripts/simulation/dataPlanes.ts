import { ACCOUNT } from "./fixtures";
import { FakeAws, FakeService, FakeServiceAnswer } from "./fakeAwsServer";

/** A resource a completed restore job of the fake created. */
export interface RestoredResource {
  readonly type: string;
  /** DB identifier, instance id, volume id, table name, file system id or bucket name. */
  readonly id: string;
  readonly metadata: Record<string, string>;
}

/**
 * What the restore jobs of a running fake have created so far: one resource per COMPLETED job, named
 * as AWS names it (the `CreatedResourceArn`, else the name asked for in the restore metadata).
 */
export function restoredResources(fake: FakeAws): RestoredResource[] {
  const resources: RestoredResource[] = [];
  for (const [id, job] of fake.jobs) {
    const answer = fake.describeJob(id);
    if (answer?.Status !== "COMPLETED") {
      continue;
    }
    const type = String(answer.ResourceType);
    const arn = typeof answer.CreatedResourceArn === "string" ? answer.CreatedResourceArn : "";
    const named: Record<string, string | undefined> = {
      RDS: job.metadata.DBInstanceIdentifier,
      Aurora: job.metadata.DBClusterIdentifier,
      DynamoDB: job.metadata.targetTableName,
      S3: job.metadata.DestinationBucketName,
    };
    const resourceId = named[type] ?? arn.split(/[:/]/).pop();
    if (resourceId) {
      resources.push({ type, id: resourceId, metadata: job.metadata });
    }
  }
  return resources;
}

const xml = (status: number, operation: string, body: string): FakeServiceAnswer => ({
  status,
  operation,
  body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
  headers: { "content-type": "text/xml" },
});

const json = (status: number, operation: string, body: unknown, type?: string): FakeServiceAnswer => ({
  status,
  operation,
  body,
  headers: {
    "content-type": "application/x-amz-json-1.0",
    ...(type ? { "x-amzn-errortype": type } : {}),
  },
});

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * RDS, EC2, DynamoDB, EFS and S3 as far as the recovery CLI reads and deletes what it restored
 * (endpoint look-up, drill checks and cleanup), over each service's own wire protocol: RDS's and
 * EC2's query protocols, DynamoDB's JSON 1.0, EFS's REST-JSON and S3's REST-XML (path style). A
 * resource exists once the restore job that creates it has completed and until it is deleted.
 */
export function dataPlaneServices(resources: () => RestoredResource[]): Record<string, FakeService> {
  const deleted = new Set<string>();
  const find = (types: string[], id: string | null | undefined) =>
    resources().find((r) => types.includes(r.type) && r.id === id && !deleted.has(`${r.type}:${r.id}`));
  const remove = (resource: RestoredResource) => deleted.add(`${resource.type}:${resource.id}`);

  const rds: FakeService = ({ body, region }) => {
    const params = new URLSearchParams(body);
    const action = params.get("Action") ?? "unknown";
    const ns = `xmlns="http://rds.amazonaws.com/doc/2014-10-31/"`;
    const notFound = (code: string, what: string) =>
      xml(
        404,
        action,
        `<ErrorResponse ${ns}><Error><Type>Sender</Type><Code>${code}</Code><Message>${escape(what)} not found.</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
      );
    const endpoint = (id: string) => `${id}.c9akciq32.${region}.rds.amazonaws.com`;
    if (action === "DescribeDBInstances" || action === "DeleteDBInstance") {
      const id = params.get("DBInstanceIdentifier");
      const db = find(["RDS"], id);
      if (!db) {
        return notFound("DBInstanceNotFound", `DBInstance ${id}`);
      }
      const port = db.metadata.Port ?? "5432";
      if (action === "DeleteDBInstance") {
        remove(db);
        return xml(
          200,
          action,
          `<DeleteDBInstanceResponse ${ns}><DeleteDBInstanceResult><DBInstance><DBInstanceIdentifier>${escape(db.id)}</DBInstanceIdentifier><DBInstanceStatus>deleting</DBInstanceStatus></DBInstance></DeleteDBInstanceResult></DeleteDBInstanceResponse>`,
        );
      }
      return xml(
        200,
        action,
        `<DescribeDBInstancesResponse ${ns}><DescribeDBInstancesResult><DBInstances><DBInstance><DBInstanceIdentifier>${escape(db.id)}</DBInstanceIdentifier><DBInstanceStatus>available</DBInstanceStatus><Engine>${escape(db.metadata.Engine ?? "postgres")}</Engine><Endpoint><Address>${endpoint(db.id)}</Address><Port>${escape(port)}</Port></Endpoint></DBInstance></DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>`,
      );
    }
    if (action === "DescribeDBClusters" || action === "DeleteDBCluster") {
      const id = params.get("DBClusterIdentifier");
      const cluster = find(["Aurora"], id);
      if (!cluster) {
        return notFound("DBClusterNotFoundFault", `DBCluster ${id}`);
      }
      if (action === "DeleteDBCluster") {
        remove(cluster);
        return xml(
          200,
          action,
          `<DeleteDBClusterResponse ${ns}><DeleteDBClusterResult><DBCluster><DBClusterIdentifier>${escape(cluster.id)}</DBClusterIdentifier><Status>deleting</Status></DBCluster></DeleteDBClusterResult></DeleteDBClusterResponse>`,
        );
      }
      return xml(
        200,
        action,
        `<DescribeDBClustersResponse ${ns}><DescribeDBClustersResult><DBClusters><DBCluster><DBClusterIdentifier>${escape(cluster.id)}</DBClusterIdentifier><Status>available</Status><Endpoint>${endpoint(cluster.id)}</Endpoint><Port>5432</Port></DBCluster></DBClusters></DescribeDBClustersResult></DescribeDBClustersResponse>`,
      );
    }
    return xml(
      400,
      action,
      `<ErrorResponse ${ns}><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>the simulation does not serve ${escape(action)}</Message></Error></ErrorResponse>`,
    );
  };

  const ec2: FakeService = ({ body }) => {
    const params = new URLSearchParams(body);
    const action = params.get("Action") ?? "unknown";
    const ns = `xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"`;
    const notFound = (code: string, id: string | null) =>
      xml(
        400,
        action,
        `<Response><Errors><Error><Code>${code}</Code><Message>The ID '${escape(id ?? "")}' does not exist</Message></Error></Errors><RequestID>1</RequestID></Response>`,
      );
    if (action === "DescribeInstances" || action === "TerminateInstances") {
      const id = params.get("InstanceId.1");
      const instance = find(["EC2"], id);
      if (!instance) {
        return notFound("InvalidInstanceID.NotFound", id);
      }
      if (action === "TerminateInstances") {
        remove(instance);
        return xml(
          200,
          action,
          `<TerminateInstancesResponse ${ns}><instancesSet><item><instanceId>${escape(instance.id)}</instanceId><currentState><code>32</code><name>shutting-down</name></currentState></item></instancesSet></TerminateInstancesResponse>`,
        );
      }
      return xml(
        200,
        action,
        `<DescribeInstancesResponse ${ns}><reservationSet><item><reservationId>r-1</reservationId><ownerId>${ACCOUNT}</ownerId><instancesSet><item><instanceId>${escape(instance.id)}</instanceId><instanceState><code>16</code><name>running</name></instanceState></item></instancesSet></item></reservationSet></DescribeInstancesResponse>`,
      );
    }
    if (action === "DescribeVolumes" || action === "DeleteVolume") {
      const id = params.get(action === "DeleteVolume" ? "VolumeId" : "VolumeId.1");
      const volume = find(["EBS"], id);
      if (!volume) {
        return notFound("InvalidVolume.NotFound", id);
      }
      if (action === "DeleteVolume") {
        remove(volume);
        return xml(200, action, `<DeleteVolumeResponse ${ns}><return>true</return></DeleteVolumeResponse>`);
      }
      return xml(
        200,
        action,
        `<DescribeVolumesResponse ${ns}><volumeSet><item><volumeId>${escape(volume.id)}</volumeId><status>available</status></item></volumeSet></DescribeVolumesResponse>`,
      );
    }
    return xml(
      400,
      action,
      `<Response><Errors><Error><Code>InvalidAction</Code><Message>the simulation does not serve ${escape(action)}</Message></Error></Errors></Response>`,
    );
  };

  const dynamodb: FakeService = ({ headers, body }) => {
    const action =
      String(headers["x-amz-target"] ?? "")
        .split(".")
        .pop() ?? "unknown";
    const input = JSON.parse(body || "{}") as { TableName?: string };
    const table = find(["DynamoDB"], input.TableName);
    if (action !== "DescribeTable" && action !== "DeleteTable") {
      return json(
        400,
        action,
        { message: `the simulation does not serve ${action}` },
        "UnknownOperationException",
      );
    }
    if (!table) {
      return json(
        400,
        action,
        { message: `Requested resource not found: Table: ${input.TableName} not found` },
        "ResourceNotFoundException",
      );
    }
    if (action === "DeleteTable") {
      remove(table);
    }
    return json(200, action, {
      [action === "DeleteTable" ? "TableDescription" : "Table"]: {
        TableName: table.id,
        TableStatus: action === "DeleteTable" ? "DELETING" : "ACTIVE",
      },
    });
  };

  const efs: FakeService = ({ method, url }) => {
    const parts = url.pathname.split("/").filter(Boolean);
    const id = method === "DELETE" ? parts[2] : url.searchParams.get("FileSystemId");
    const operation = method === "DELETE" ? "DeleteFileSystem" : "DescribeFileSystems";
    const fs = find(["EFS"], id);
    if (!fs) {
      return json(
        404,
        operation,
        { ErrorCode: "FileSystemNotFound", Message: `File system '${id}' does not exist.` },
        "FileSystemNotFound",
      );
    }
    if (method === "DELETE") {
      remove(fs);
      return { status: 204, operation };
    }
    return json(200, operation, {
      FileSystems: [{ FileSystemId: fs.id, LifeCycleState: "available", OwnerId: ACCOUNT }],
    });
  };

  const s3: FakeService = ({ method, url }) => {
    const name = decodeURIComponent(url.pathname.split("/").filter(Boolean)[0] ?? "");
    const bucket = find(["S3"], name);
    const operation =
      method === "HEAD"
        ? "HeadBucket"
        : method === "DELETE"
          ? "DeleteBucket"
          : url.searchParams.has("versions")
            ? "ListObjectVersions"
            : url.searchParams.has("delete")
              ? "DeleteObjects"
              : `${method} ${url.pathname}`;
    if (!bucket) {
      return method === "HEAD"
        ? { status: 404, operation }
        : xml(
            404,
            operation,
            `<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>${escape(name)}</BucketName></Error>`,
          );
    }
    switch (operation) {
      case "HeadBucket":
        return { status: 200, operation };
      case "ListObjectVersions":
        // The simulated restore brings back no objects: a restored bucket is empty but versioned.
        return xml(
          200,
          operation,
          `<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${escape(name)}</Name><IsTruncated>false</IsTruncated></ListVersionsResult>`,
        );
      case "DeleteObjects":
        return xml(
          200,
          operation,
          `<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></DeleteResult>`,
        );
      case "DeleteBucket":
        remove(bucket);
        return { status: 204, operation };
      default:
        return xml(
          400,
          operation,
          `<Error><Code>NotImplemented</Code><Message>the simulation does not serve ${escape(operation)}</Message></Error>`,
        );
    }
  };

  return { rds, ec2, dynamodb, elasticfilesystem: efs, s3 };
}
