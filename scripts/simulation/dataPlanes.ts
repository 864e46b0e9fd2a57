import { ACCOUNT } from "./fixtures";
import type { GroupInstance } from "./autoScaling";
import {
  DEFAULT_CREDENTIAL_RESET_MS,
  databaseStatus,
  masterUsername,
  resetMasterPassword,
} from "./databaseLogin";
import type { FakeService, FakeServiceAnswer } from "./fakeService";
import { ResourceStore, SimResource, metaValue } from "./resourceStore";
import { s3Service } from "./s3Service";
import { escapeXml, isoTime, json, xml } from "./wireFormats";

/**
 * RDS, EC2, DynamoDB, EFS and S3 as far as the recovery CLI reads, writes and deletes the resources of
 * a region (endpoint look-up, drill checks and cleanup, failback's look-ups), over each service's own
 * wire protocol: RDS's and EC2's query protocols, DynamoDB's JSON 1.0, EFS's REST-JSON and S3's
 * REST-XML (s3Service.ts). A resource exists in its region's data plane from its seeding or the
 * completion of the restore job that creates it until it is deleted.
 */
export function dataPlaneServices(
  store: ResourceStore,
  isUp: (region: string) => boolean,
  groupInstances: (region: string) => GroupInstance[],
  /** How long a new master password takes to apply (ModifyDBInstance / ModifyDBCluster). */
  credentialResetMs = DEFAULT_CREDENTIAL_RESET_MS,
): Record<string, FakeService> {
  const remove = (resource: SimResource) => store.remove(resource);

  const rds: FakeService = ({ body, region }) => {
    const params = new URLSearchParams(body);
    const action = params.get("Action") ?? "unknown";
    const ns = `xmlns="http://rds.amazonaws.com/doc/2014-10-31/"`;
    const notFound = (code: string, what: string) =>
      xml(
        404,
        action,
        `<ErrorResponse ${ns}><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(what)} not found.</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
      );
    const endpoint = (id: string) => `${id}.c9akciq32.${region}.rds.amazonaws.com`;
    // The credential's part of a DBInstance / DBCluster: master user, database name, a pending password, a managed secret.
    const credentialXml = (db: SimResource) =>
      `<MasterUsername>${escapeXml(masterUsername(db))}</MasterUsername>${
        db.metadata.DBName ? `<DBName>${escapeXml(db.metadata.DBName)}</DBName>` : ""
      }${
        databaseStatus(db, store.now()) === "resetting-master-credentials"
          ? "<PendingModifiedValues><MasterUserPassword>****</MasterUserPassword></PendingModifiedValues>"
          : ""
      }${
        db.credential?.managed
          ? `<MasterUserSecret><SecretArn>arn:aws:secretsmanager:${db.region}:${ACCOUNT}:secret:rds!db-${escapeXml(db.id)}</SecretArn><SecretStatus>active</SecretStatus></MasterUserSecret>`
          : ""
      }`;
    const instanceXml = (db: SimResource) =>
      `<DBInstance><DBInstanceIdentifier>${escapeXml(db.id)}</DBInstanceIdentifier><DBInstanceArn>${db.arn}</DBInstanceArn><DBInstanceStatus>${databaseStatus(db, store.now())}</DBInstanceStatus><Engine>${escapeXml(db.metadata.Engine ?? "postgres")}</Engine>${credentialXml(db)}<InstanceCreateTime>${isoTime(db.createdAt)}</InstanceCreateTime><Endpoint><Address>${endpoint(db.id)}</Address><Port>${escapeXml(db.metadata.Port ?? "5432")}</Port></Endpoint></DBInstance>`;
    // ModifyDBInstance / ModifyDBCluster: only the master password (databaseLogin.ts), answered with the resource as it is now.
    const modify = (db: SimResource, answerXml: (db: SimResource) => string) => {
      const error = resetMasterPassword(db, params, store.now(), credentialResetMs);
      if (error) {
        return xml(
          400,
          action,
          `<ErrorResponse ${ns}><Error><Type>Sender</Type><Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
        );
      }
      return xml(
        200,
        action,
        `<${action}Response ${ns}><${action}Result>${answerXml(db)}</${action}Result></${action}Response>`,
      );
    };
    const clusterXml = (cluster: SimResource) =>
      `<DBCluster><DBClusterIdentifier>${escapeXml(cluster.id)}</DBClusterIdentifier><Status>${databaseStatus(cluster, store.now())}</Status><Engine>${escapeXml(cluster.metadata.Engine ?? "aurora-postgresql")}</Engine>${credentialXml(cluster)}<Endpoint>${endpoint(cluster.id)}</Endpoint><Port>5432</Port></DBCluster>`;
    if (action === "DescribeDBInstances" && !params.has("DBInstanceIdentifier")) {
      // Every instance of the region, in pages of MaxRecords (20-100, default 100) with a Marker.
      const all = store.list(region).filter((r) => r.type === "RDS");
      const size = Number(params.get("MaxRecords") ?? 100);
      const offset = Number(params.get("Marker") ?? 0);
      const marker = offset + size < all.length ? `<Marker>${offset + size}</Marker>` : "";
      return xml(
        200,
        action,
        `<DescribeDBInstancesResponse ${ns}><DescribeDBInstancesResult>${marker}<DBInstances>${all
          .slice(offset, offset + size)
          .map(instanceXml)
          .join("")}</DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>`,
      );
    }
    if (action === "DescribeDBInstances" || action === "DeleteDBInstance" || action === "ModifyDBInstance") {
      const id = params.get("DBInstanceIdentifier");
      const db = store.find(region, ["RDS"], id);
      if (!db) {
        return notFound("DBInstanceNotFound", `DBInstance ${id}`);
      }
      if (action === "ModifyDBInstance") {
        return modify(db, instanceXml);
      }
      if (action === "DeleteDBInstance") {
        remove(db);
        return xml(
          200,
          action,
          `<DeleteDBInstanceResponse ${ns}><DeleteDBInstanceResult><DBInstance><DBInstanceIdentifier>${escapeXml(db.id)}</DBInstanceIdentifier><DBInstanceStatus>deleting</DBInstanceStatus></DBInstance></DeleteDBInstanceResult></DeleteDBInstanceResponse>`,
        );
      }
      return xml(
        200,
        action,
        `<DescribeDBInstancesResponse ${ns}><DescribeDBInstancesResult><DBInstances>${instanceXml(db)}</DBInstances></DescribeDBInstancesResult></DescribeDBInstancesResponse>`,
      );
    }
    if (action === "DescribeDBClusters" || action === "DeleteDBCluster" || action === "ModifyDBCluster") {
      const id = params.get("DBClusterIdentifier");
      const cluster = store.find(region, ["Aurora"], id);
      if (!cluster) {
        return notFound("DBClusterNotFoundFault", `DBCluster ${id}`);
      }
      if (action === "ModifyDBCluster") {
        return modify(cluster, clusterXml);
      }
      if (action === "DeleteDBCluster") {
        remove(cluster);
        return xml(
          200,
          action,
          `<DeleteDBClusterResponse ${ns}><DeleteDBClusterResult><DBCluster><DBClusterIdentifier>${escapeXml(cluster.id)}</DBClusterIdentifier><Status>deleting</Status></DBCluster></DeleteDBClusterResult></DeleteDBClusterResponse>`,
        );
      }
      return xml(
        200,
        action,
        `<DescribeDBClustersResponse ${ns}><DescribeDBClustersResult><DBClusters>${clusterXml(cluster)}</DBClusters></DescribeDBClustersResult></DescribeDBClustersResponse>`,
      );
    }
    return xml(
      400,
      action,
      `<ErrorResponse ${ns}><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>the simulation does not serve ${escapeXml(action)}</Message></Error></ErrorResponse>`,
    );
  };

  const ec2: FakeService = ({ body, region }) => {
    const params = new URLSearchParams(body);
    const action = params.get("Action") ?? "unknown";
    const ns = `xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"`;
    const notFound = (code: string, id: string | null) =>
      xml(
        400,
        action,
        `<Response><Errors><Error><Code>${code}</Code><Message>The ID '${escapeXml(id ?? "")}' does not exist</Message></Error></Errors><RequestID>1</RequestID></Response>`,
      );
    if (action === "DescribeInstances") {
      return describeInstances(params, [
        ...store
          .list(region)
          .filter((r) => r.type === "EC2")
          .map((r) => ({
            id: r.id,
            state: "running" as const,
            vpcId: metaValue(r.metadata, "vpcId") ?? "",
            tags: {},
          })),
        ...groupInstances(region),
      ]);
    }
    if (action === "TerminateInstances") {
      const id = params.get("InstanceId.1");
      const instance = store.find(region, ["EC2"], id);
      if (!instance) {
        return notFound("InvalidInstanceID.NotFound", id);
      }
      remove(instance);
      return xml(
        200,
        action,
        `<TerminateInstancesResponse ${ns}><instancesSet><item><instanceId>${escapeXml(instance.id)}</instanceId><currentState><code>32</code><name>shutting-down</name></currentState></item></instancesSet></TerminateInstancesResponse>`,
      );
    }
    if (action === "DescribeVolumes" || action === "DeleteVolume") {
      const id = params.get(action === "DeleteVolume" ? "VolumeId" : "VolumeId.1");
      const volume = store.find(region, ["EBS"], id);
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
        `<DescribeVolumesResponse ${ns}><volumeSet><item><volumeId>${escapeXml(volume.id)}</volumeId><status>available</status></item></volumeSet></DescribeVolumesResponse>`,
      );
    }
    return xml(
      400,
      action,
      `<Response><Errors><Error><Code>InvalidAction</Code><Message>the simulation does not serve ${escapeXml(action)}</Message></Error></Errors></Response>`,
    );
  };

  const dynamodb: FakeService = ({ headers, body, region }) => {
    const action =
      String(headers["x-amz-target"] ?? "")
        .split(".")
        .pop() ?? "unknown";
    const input = JSON.parse(body || "{}") as { TableName?: string };
    const table = store.find(region, ["DynamoDB"], input.TableName);
    if (action !== "DescribeTable" && action !== "DeleteTable" && action !== "PutItem") {
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
    if (action === "PutItem") {
      store.write(table);
      return json(200, action, {});
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

  const efs: FakeService = ({ method, url, region }) => {
    const parts = url.pathname.split("/").filter(Boolean);
    const id = method === "DELETE" ? parts[2] : url.searchParams.get("FileSystemId");
    const operation = method === "DELETE" ? "DeleteFileSystem" : "DescribeFileSystems";
    const fs = store.find(region, ["EFS"], id);
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

  return { rds, ec2, dynamodb, elasticfilesystem: efs, s3: s3Service(store, isUp) };
}

const STATE_CODES = { pending: 0, running: 16, "shutting-down": 32, terminated: 48 };

/**
 * EC2 DescribeInstances: by InstanceId.N (InvalidInstanceID.NotFound when one is unknown) and by
 * Filter.N (vpc-id, instance-state-name, tag-key, tag:<key>), in pages of MaxResults with NextToken.
 */
function describeInstances(params: URLSearchParams, all: GroupInstance[]): FakeServiceAnswer {
  const action = "DescribeInstances";
  const ns = `xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"`;
  const list = (prefix: RegExp) => [...params.entries()].filter(([k]) => prefix.test(k)).map(([, v]) => v);
  const ids = list(/^InstanceId\.\d+$/);
  const unknown = ids.find((id) => !all.some((i) => i.id === id));
  if (unknown !== undefined) {
    return xml(
      400,
      action,
      `<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>The instance ID '${escapeXml(unknown)}' does not exist</Message></Error></Errors><RequestID>1</RequestID></Response>`,
    );
  }
  const filters = [...params.entries()]
    .filter(([k]) => /^Filter\.\d+\.Name$/.test(k))
    .map(([k, name]) => {
      const prefix = `${k.slice(0, -"Name".length)}Value.`;
      return { name, values: [...params.entries()].filter(([v]) => v.startsWith(prefix)).map(([, v]) => v) };
    });
  const matches = (i: GroupInstance, name: string, values: string[]) => {
    if (name === "vpc-id") return values.includes(i.vpcId);
    if (name === "instance-state-name") return values.includes(i.state);
    if (name === "tag-key") return values.some((v) => v in i.tags);
    if (name.startsWith("tag:")) return values.includes(i.tags[name.slice(4)]);
    return false;
  };
  const matching = all.filter(
    (i) => (ids.length === 0 || ids.includes(i.id)) && filters.every((f) => matches(i, f.name, f.values)),
  );
  const size = Number(params.get("MaxResults") ?? 1000);
  const offset = Number(params.get("NextToken") ?? 0);
  const next = offset + size < matching.length ? `<nextToken>${offset + size}</nextToken>` : "";
  const items = matching
    .slice(offset, offset + size)
    .map((i) => {
      const tags = Object.entries(i.tags)
        .map(([k, v]) => `<item><key>${escapeXml(k)}</key><value>${escapeXml(v)}</value></item>`)
        .join("");
      return `<item><reservationId>r-${i.id.slice(2, 10)}</reservationId><ownerId>${ACCOUNT}</ownerId><instancesSet><item><instanceId>${escapeXml(i.id)}</instanceId><instanceState><code>${STATE_CODES[i.state]}</code><name>${i.state}</name></instanceState><vpcId>${escapeXml(i.vpcId)}</vpcId><tagSet>${tags}</tagSet></item></instancesSet></item>`;
    })
    .join("");
  return xml(
    200,
    action,
    `<DescribeInstancesResponse ${ns}><reservationSet>${items}</reservationSet>${next}</DescribeInstancesResponse>`,
  );
}
