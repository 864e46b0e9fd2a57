// The data planes of what restores create (RDS, EC2, DynamoDB, EFS), served over the resource store.
import { ACCOUNT } from "./fixtures";
import type { GroupInstance } from "./autoScaling";
import { DEFAULT_CREDENTIAL_RESET_MS } from "./databaseLogin";
import { STATE_CODES, describeInstances, regionInstances } from "./ec2Instances";
import type { FakeService, FakeServiceAnswer } from "./fakeService";
import { ResourceStore, SimResource } from "./resourceStore";
import { FakeApiError } from "./backupJobs";
import { EfsModel, UpdateFileSystemInput } from "./efsModel";
import { RdsModel } from "./rdsModel";
import { s3Service } from "./s3Service";
import { ec2Error, escapeXml, isoTime, json, queryError, xml } from "./wireFormats";

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
  /** How long a new master password stays unseen by DescribeDB* (see resetMasterPassword). Default 0. */
  credentialRegisterMs = 0,
): Record<string, FakeService> {
  const remove = (resource: SimResource) => store.remove(resource);

  const rdsModel = new RdsModel(store, { credentialResetMs, credentialRegisterMs });
  const rds: FakeService = ({ body, region }) => {
    const params = new URLSearchParams(body);
    const action = params.get("Action") ?? "unknown";
    try {
      return answerRds(rdsModel, region, params, action);
    } catch (err) {
      if (!(err instanceof FakeApiError)) {
        throw err;
      }
      return queryError(err.status, action, RDS_NS, err.type, err.message);
    }
  };

  const ec2: FakeService = ({ body, region }) => {
    const params = new URLSearchParams(body);
    const action = params.get("Action") ?? "unknown";
    const ns = `xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"`;
    const notFound = (code: string, id: string | null) =>
      ec2Error(400, action, code, `The ID '${id ?? ""}' does not exist`);
    if (action === "DescribeInstances") {
      return describeInstancesAnswer(params, regionInstances(store, region, groupInstances));
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
    if (action === "DeleteTags") {
      // EC2 API reference, DeleteTags: ResourceId.N, Tag.N.Key and optional Tag.N.Value; a tag given with a
      // value goes only while it has that value, one without a value goes whatever its value.
      const ids = [...params.entries()].filter(([k]) => /^ResourceId\.\d+$/.test(k)).map(([, v]) => v);
      const tags = [...params.entries()]
        .filter(([k]) => /^Tag\.\d+\.Key$/.test(k))
        .map(([k, key]) => ({ key, value: params.get(k.replace(/Key$/, "Value")) }));
      for (const id of ids) {
        const volume = store.find(region, ["EBS"], id);
        if (!volume) {
          return notFound("InvalidVolume.NotFound", id);
        }
        for (const { key, value } of tags) {
          if (value === null || volume.tags[key] === value) {
            delete volume.tags[key];
          }
        }
      }
      return xml(200, action, `<DeleteTagsResponse ${ns}><return>true</return></DeleteTagsResponse>`);
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
    return ec2Error(400, action, "InvalidAction", `the simulation does not serve ${action}`);
  };

  const dynamodb: FakeService = ({ headers, body, region }) => {
    const action =
      String(headers["x-amz-target"] ?? "")
        .split(".")
        .pop() ?? "unknown";
    const input = JSON.parse(body || "{}") as { TableName?: string; ResourceArn?: string };
    const tableName = input.TableName ?? input.ResourceArn?.split("/").pop();
    const table = store.find(region, ["DynamoDB"], tableName);
    if (!DYNAMODB_ACTIONS.includes(action)) {
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
        { message: `Requested resource not found: Table: ${tableName} not found` },
        "ResourceNotFoundException",
      );
    }
    if (action === "PutItem") {
      store.write(table);
      return json(200, action, {});
    }
    const settings = answerDynamoDbSettings(table, action, JSON.parse(body || "{}") as DynamoDbSettingsInput);
    if (settings) {
      return settings;
    }
    if (action === "DeleteTable") {
      // A table with deletion protection cannot be deleted until UpdateTable turns it off (DynamoDB developer
      // guide, "Using deletion protection"). The message is AWS's as reported by nubo-db/dynoxide#46; the
      // error type (ValidationException; other emulators answer ResourceInUseException) is an unsourced guess.
      if (table.settings.deletionProtection) {
        return json(
          400,
          action,
          {
            message:
              "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.",
          },
          "ValidationException",
        );
      }
      remove(table);
    }
    return json(200, action, {
      [action === "DeleteTable" ? "TableDescription" : "Table"]: {
        TableName: table.id,
        TableArn: table.arn,
        TableStatus: action === "DeleteTable" ? "DELETING" : "ACTIVE",
        DeletionProtectionEnabled: table.settings.deletionProtection,
      },
    });
  };

  const efsModel = new EfsModel(store);
  // EFS's REST-JSON: GET /2015-02-01/file-systems?FileSystemId= (DescribeFileSystems), PUT
  // /2015-02-01/file-systems/{id} (UpdateFileSystem, 202) and DELETE of the same path (DeleteFileSystem, 204).
  const efs: FakeService = ({ method, url, region, body }) => {
    const parts = url.pathname.split("/").filter(Boolean);
    const operation =
      method === "DELETE"
        ? "DeleteFileSystem"
        : method === "PUT"
          ? "UpdateFileSystem"
          : "DescribeFileSystems";
    const id = method === "GET" ? url.searchParams.get("FileSystemId") : decodeURIComponent(parts[2] ?? "");
    try {
      if (method === "DELETE") {
        efsModel.delete(region, id);
        return { status: 204, operation };
      }
      if (method === "PUT") {
        return json(
          202,
          operation,
          efsModel.update(region, id, JSON.parse(body || "{}") as UpdateFileSystemInput),
        );
      }
      return json(200, operation, { FileSystems: [efsModel.describe(region, id)] });
    } catch (err) {
      if (!(err instanceof FakeApiError)) {
        throw err;
      }
      return json(err.status, operation, { ErrorCode: err.type, Message: err.message }, err.type);
    }
  };

  return { rds, ec2, dynamodb, elasticfilesystem: efs, s3: s3Service(store, isUp) };
}

/** The DynamoDB operations the fake serves. */
const DYNAMODB_ACTIONS = [
  "DescribeTable",
  "DeleteTable",
  "PutItem",
  "UpdateTable",
  "TagResource",
  "UntagResource",
  "ListTagsOfResource",
  "UpdateContinuousBackups",
  "DescribeContinuousBackups",
];

/** The parts of DynamoDB requests {@link answerDynamoDbSettings} reads. */
interface DynamoDbSettingsInput {
  readonly DeletionProtectionEnabled?: boolean;
  readonly Tags?: ReadonlyArray<{ Key: string; Value: string }>;
  readonly TagKeys?: readonly string[];
  readonly PointInTimeRecoverySpecification?: { PointInTimeRecoveryEnabled?: boolean };
}

/**
 * DynamoDB's calls on a table's settings and tags (DynamoDB API reference): UpdateTable
 * (DeletionProtectionEnabled), TagResource / ListTagsOfResource (by the table's ARN; a restored table
 * comes back without the source's tags, "Restoring a DynamoDB table from a backup": tags must be set
 * again), UpdateContinuousBackups / DescribeContinuousBackups (point-in-time recovery, which a restored
 * table does not inherit either). Undefined for any other action.
 */
function answerDynamoDbSettings(
  table: SimResource,
  action: string,
  input: DynamoDbSettingsInput,
): FakeServiceAnswer | undefined {
  const continuous = () => ({
    ContinuousBackupsDescription: {
      ContinuousBackupsStatus: "ENABLED",
      PointInTimeRecoveryDescription: {
        PointInTimeRecoveryStatus: table.settings.pointInTimeRecovery ? "ENABLED" : "DISABLED",
      },
    },
  });
  switch (action) {
    case "UpdateTable":
      if (input.DeletionProtectionEnabled !== undefined) {
        table.settings.deletionProtection = input.DeletionProtectionEnabled;
      }
      return json(200, action, {
        TableDescription: {
          TableName: table.id,
          TableStatus: "ACTIVE",
          DeletionProtectionEnabled: table.settings.deletionProtection,
        },
      });
    case "TagResource":
      for (const tag of input.Tags ?? []) {
        table.tags[tag.Key] = tag.Value;
      }
      return json(200, action, {});
    case "UntagResource":
      // DynamoDB API reference, UntagResource: removes the tags of the keys given (TagKeys).
      for (const key of input.TagKeys ?? []) {
        delete table.tags[key];
      }
      return json(200, action, {});
    case "ListTagsOfResource":
      return json(200, action, {
        Tags: Object.entries(table.tags).map(([Key, Value]) => ({ Key, Value })),
      });
    case "UpdateContinuousBackups":
      table.settings.pointInTimeRecovery =
        input.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled === true;
      return json(200, action, continuous());
    case "DescribeContinuousBackups":
      return json(200, action, continuous());
    default:
      return undefined;
  }
}

/** A DB's chosen windows, as DescribeDBInstances / DescribeDBClusters list them (none while RDS's own). */
function windowsXml(db: SimResource): string {
  const { backupWindow, maintenanceWindow } = db.settings;
  return (
    (backupWindow ? `<PreferredBackupWindow>${escapeXml(backupWindow)}</PreferredBackupWindow>` : "") +
    (maintenanceWindow
      ? `<PreferredMaintenanceWindow>${escapeXml(maintenanceWindow)}</PreferredMaintenanceWindow>`
      : "")
  );
}

const RDS_NS = `xmlns="http://rds.amazonaws.com/doc/2014-10-31/"`;

/** RDS's query protocol: the call's parameters to the model (rdsModel.ts), its answer in RDS's XML. */
function answerRds(
  model: RdsModel,
  region: string,
  params: URLSearchParams,
  action: string,
): FakeServiceAnswer {
  const ns = RDS_NS;
  // The credential's part of a DBInstance / DBCluster: master user, database name, a pending password, a managed secret.
  const credentialXml = (db: SimResource) => {
    const credential = model.credential(db);
    return `<MasterUsername>${escapeXml(credential.masterUsername)}</MasterUsername>${
      credential.dbName ? `<DBName>${escapeXml(credential.dbName)}</DBName>` : ""
    }${
      credential.passwordPending
        ? "<PendingModifiedValues><MasterUserPassword>****</MasterUserPassword></PendingModifiedValues>"
        : ""
    }${
      credential.managedSecretArn
        ? `<MasterUserSecret><SecretArn>${escapeXml(credential.managedSecretArn)}</SecretArn><SecretStatus>active</SecretStatus></MasterUserSecret>`
        : ""
    }`;
  };
  const instanceXml = (db: SimResource) =>
    `<DBInstance><DBInstanceIdentifier>${escapeXml(db.id)}</DBInstanceIdentifier><DBInstanceArn>${db.arn}</DBInstanceArn><DBInstanceStatus>${model.status(db)}</DBInstanceStatus><Engine>${escapeXml(db.metadata.Engine ?? "postgres")}</Engine>${credentialXml(db)}<InstanceCreateTime>${isoTime(db.createdAt)}</InstanceCreateTime><Endpoint><Address>${model.endpoint(db, "instance")}</Address><Port>${escapeXml(db.metadata.Port ?? "5432")}</Port></Endpoint>${windowsXml(db)}<DeletionProtection>${db.settings.deletionProtection}</DeletionProtection></DBInstance>`;
  const clusterXml = (cluster: SimResource) =>
    `<DBCluster><DBClusterIdentifier>${escapeXml(cluster.id)}</DBClusterIdentifier><Status>${model.status(cluster)}</Status><Engine>${escapeXml(cluster.metadata.Engine ?? "aurora-postgresql")}</Engine>${credentialXml(cluster)}<Endpoint>${model.endpoint(cluster, "cluster")}</Endpoint><Port>5432</Port>${windowsXml(cluster)}<DeletionProtection>${cluster.settings.deletionProtection}</DeletionProtection></DBCluster>`;
  const answer = (result: string) =>
    xml(
      200,
      action,
      `<${action}Response ${ns}>${result ? `<${action}Result>${result}</${action}Result>` : ""}</${action}Response>`,
    );
  switch (action) {
    case "AddTagsToResource":
    case "RemoveTagsFromResource":
    case "ListTagsForResource": {
      const resource = model.tagged(region, params.get("ResourceName") ?? "");
      if (action === "AddTagsToResource") {
        for (const [key, value] of params.entries()) {
          const match = /^Tags\.(?:Tag|member)\.(\d+)\.Key$/.exec(key);
          if (match) {
            resource.tags[value] = params.get(key.replace(/Key$/, "Value")) ?? "";
          }
        }
        return answer("");
      }
      if (action === "RemoveTagsFromResource") {
        // RDS API reference, RemoveTagsFromResource: TagKeys.member.N, the keys whose tags go.
        for (const [key, value] of params.entries()) {
          if (/^TagKeys\.member\.\d+$/.test(key)) {
            delete resource.tags[value];
          }
        }
        return answer("");
      }
      const tags = Object.entries(resource.tags)
        .map(([k, v]) => `<Tag><Key>${escapeXml(k)}</Key><Value>${escapeXml(v)}</Value></Tag>`)
        .join("");
      return answer(`<TagList>${tags}</TagList>`);
    }
    case "DescribeDBInstances": {
      if (!params.has("DBInstanceIdentifier")) {
        const page = model.instances(
          region,
          Number(params.get("MaxRecords") ?? 100),
          Number(params.get("Marker") ?? 0),
          clusterFilter(params),
        );
        const marker = page.marker ? `<Marker>${page.marker}</Marker>` : "";
        return answer(`${marker}<DBInstances>${page.instances.map(instanceXml).join("")}</DBInstances>`);
      }
      return answer(
        `<DBInstances>${instanceXml(model.database("instance", region, params.get("DBInstanceIdentifier")))}</DBInstances>`,
      );
    }
    case "ModifyDBInstance":
    case "ModifyDBCluster": {
      const kind = action === "ModifyDBInstance" ? "instance" : "cluster";
      const db = model.database(
        kind,
        region,
        params.get(kind === "instance" ? "DBInstanceIdentifier" : "DBClusterIdentifier"),
      );
      model.modify(db, params);
      // Answered with the resource as it is now.
      return answer(kind === "instance" ? instanceXml(db) : clusterXml(db));
    }
    case "DeleteDBInstance": {
      const db = model.database("instance", region, params.get("DBInstanceIdentifier"));
      model.delete(db, "instance");
      return answer(
        `<DBInstance><DBInstanceIdentifier>${escapeXml(db.id)}</DBInstanceIdentifier><DBInstanceStatus>deleting</DBInstanceStatus></DBInstance>`,
      );
    }
    case "DescribeDBClusters":
      return answer(
        `<DBClusters>${clusterXml(model.database("cluster", region, params.get("DBClusterIdentifier")))}</DBClusters>`,
      );
    case "DeleteDBCluster": {
      const cluster = model.database("cluster", region, params.get("DBClusterIdentifier"));
      model.delete(cluster, "cluster");
      return answer(
        `<DBCluster><DBClusterIdentifier>${escapeXml(cluster.id)}</DBClusterIdentifier><Status>deleting</Status></DBCluster>`,
      );
    }
    default:
      return queryError(400, action, ns, "InvalidAction", `the simulation does not serve ${action}`);
  }
}

/**
 * EC2 DescribeInstances over the query protocol: InstanceId.N, Filter.N, MaxResults and NextToken, read
 * by ec2Instances.ts's model.
 */
function describeInstancesAnswer(params: URLSearchParams, all: GroupInstance[]): FakeServiceAnswer {
  const action = "DescribeInstances";
  const ns = `xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"`;
  const list = (prefix: RegExp) => [...params.entries()].filter(([k]) => prefix.test(k)).map(([, v]) => v);
  const filters = [...params.entries()]
    .filter(([k]) => /^Filter\.\d+\.Name$/.test(k))
    .map(([k, name]) => {
      const prefix = `${k.slice(0, -"Name".length)}Value.`;
      return { name, values: [...params.entries()].filter(([v]) => v.startsWith(prefix)).map(([, v]) => v) };
    });
  let page: ReturnType<typeof describeInstances>;
  try {
    page = describeInstances(all, {
      ids: list(/^InstanceId\.\d+$/),
      filters,
      maxResults: Number(params.get("MaxResults") ?? 1000),
      nextToken: params.get("NextToken") ?? undefined,
    });
  } catch (err) {
    if (!(err instanceof FakeApiError)) {
      throw err;
    }
    return ec2Error(err.status, action, err.type, err.message);
  }
  const next = page.nextToken !== undefined ? `<nextToken>${page.nextToken}</nextToken>` : "";
  const items = page.instances
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

/**
 * The DB cluster a DescribeDBInstances asks about with its `db-cluster-id` filter (query serialization
 * `Filters.Filter.N.Name`, `Filters.Filter.N.Values.Value.1`), an ARN read as its identifier; undefined
 * without one. Other filters are not modelled.
 */
function clusterFilter(params: URLSearchParams): string | undefined {
  for (let n = 1; params.has(`Filters.Filter.${n}.Name`); n++) {
    if (params.get(`Filters.Filter.${n}.Name`) === "db-cluster-id") {
      const value = params.get(`Filters.Filter.${n}.Values.Value.1`) ?? "";
      return value.startsWith("arn:") ? value.slice(value.lastIndexOf(":") + 1) : value;
    }
  }
  return undefined;
}
