// Aurora: how a cluster's recovery point is placed, named, restored, protected, wired and deleted.
import {
  DeleteDBClusterCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
} from "@aws-sdk/client-rds";
import { AwsClients } from "../../aws/clients";
import {
  DB_CONFIG,
  DB_IDENTIFIER_RULE,
  endpointOf,
  placeDatabase,
  protectDatabase,
  removeDatabaseTags,
} from "./database";
import { CheckResult, expectState, ResourceRecovery } from "./resourceRecovery";

/**
 * An Aurora DB cluster (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-aur.html):
 * restored under a new identifier into the dr stack's DB subnet group and security group, without DB
 * instances ("it does not create or attach an Amazon RDS instance"). `verify` checks the cluster came up (the
 * data restored: a drill's check); the application can use it only once the stack that names it in
 * `restoredData` has added a DB instance and that instance is available: {@link clusterInstanceReady}, which
 * recover, drill --flip and failback wait for before their health check (core/clusterInstances.ts).
 */
export const aurora: ResourceRecovery = {
  removeSelectionTags: removeDatabaseTags,
  type: "Aurora",
  dataKind: "aurora",
  nameRule: DB_IDENTIFIER_RULE,
  idIsName: true,
  metadataKeys: [
    "AllocatedStorage",
    "AvailabilityZones",
    "BacktrackWindow",
    "CopyTagsToSnapshot",
    "DatabaseName",
    "DBClusterIdentifier",
    "DBClusterInstanceClass",
    "DBClusterParameterGroupName",
    "DBSubnetGroupName",
    "DeletionProtection",
    "Domain",
    "DomainIAMRoleName",
    "EnableCloudwatchLogsExports",
    "EnableIAMDatabaseAuthentication",
    "Engine",
    "EngineLifecycleSupport",
    "EngineMode",
    "EngineVersion",
    "Iops",
    "KmsKeyId",
    "NetworkType",
    "OptionGroupName",
    "Port",
    "PubliclyAccessible",
    "ScalingConfiguration",
    "ServerlessV2ScalingConfiguration",
    "StorageEncrypted",
    "StorageType",
    "VpcSecurityGroupIds",
  ],
  // No sizeKey, no zoneKey: DBClusterInstanceClass is "Valid for: Multi-AZ DB clusters only", and
  // RestoreDBClusterFromSnapshot "only restores the DB cluster, not the DB instances for that DB cluster"
  // (RDS API reference): an Aurora restore has no instance whose class or zone could be short.
  restoreFixes: {
    nameKey: "DBClusterIdentifier",
    quotaService: "rds",
    capacityNote:
      "no capacity for the cluster: an Aurora restore creates the DB cluster only, no DB instance (RestoreDBClusterFromSnapshot), so no instance class or Availability Zone of it can be changed with --metadata; the DB instance is added to the restored cluster afterwards (CreateDBInstance --db-cluster-identifier, where its class and zone are chosen)",
  },
  placeRestore(meta, notes, placement) {
    placeDatabase(meta, notes, placement, {
      identifier: "DBClusterIdentifier",
      zones: "AvailabilityZones",
      zonesWhat: "the source region's availability zones",
      parameterGroup: "DBClusterParameterGroupName",
    });
    notes.push(
      "AWS Backup restores an Aurora cluster without DB instances: the stack adds one once restoredData names the cluster, and the run's health check waits for it to be available",
    );
  },
  drConfig: DB_CONFIG,
  deletionProtectionKey: "DeletionProtection",
  protectRestored: (clients, restored, settings) => protectDatabase(clients, "cluster", restored, settings),
  async lookUpEndpoint(clients, id) {
    const out = await clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    const cluster = out.DBClusters?.[0];
    return endpointOf(cluster?.Endpoint, cluster?.Port);
  },
  usableWhen: (clients, id) => clusterInstanceReady(clients, id),
  async verify(clients, id) {
    const out = await clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    return expectState("DB cluster", id, out.DBClusters?.[0]?.Status, ["available"]);
  },
  async delete(clients, id) {
    // As an instance: a cluster with deletion protection cannot be deleted (RDS API reference,
    // DeleteDBCluster), so it is turned off first.
    const described = await clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    const unprotected = described?.DBClusters?.[0]?.DeletionProtection === true;
    if (unprotected) {
      await clients.rds.send(
        new ModifyDBClusterCommand({
          DBClusterIdentifier: id,
          DeletionProtection: false,
          ApplyImmediately: true,
        }),
      );
    }
    await clients.rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: id, SkipFinalSnapshot: true }));
    return `DB cluster ${id} deleting${unprotected ? " (deletion protection turned off first)" : ""}`;
  },
};

/**
 * Does the restored cluster `clusterId` have a DB instance that is `available` (DescribeDBInstances with the
 * filter `db-cluster-id`: "the DB instances associated with the DB clusters identified", RDS API reference)?
 * Its detail names each instance and status, or says there is none yet.
 */
async function clusterInstanceReady(clients: AwsClients, clusterId: string): Promise<CheckResult> {
  const out = await clients.rds.send(
    new DescribeDBInstancesCommand({ Filters: [{ Name: "db-cluster-id", Values: [clusterId] }] }),
  );
  const instances = out.DBInstances ?? [];
  if (instances.length === 0) {
    return { ok: false, detail: `DB cluster ${clusterId} has no DB instance yet` };
  }
  return {
    ok: instances.some((i) => i.DBInstanceStatus === "available"),
    detail: `DB cluster ${clusterId}: ${instances
      .map((i) => `instance ${i.DBInstanceIdentifier} is ${i.DBInstanceStatus ?? "unknown"}`)
      .join(", ")}`,
  };
}
