// RDS: how a DB instance's recovery point is placed, named, restored, protected, wired and deleted.
import {
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
} from "@aws-sdk/client-rds";
import {
  DB_CONFIG,
  DB_IDENTIFIER_RULE,
  endpointOf,
  placeDatabase,
  protectDatabase,
  removeDatabaseTags,
} from "./database";
import { expectState, ResourceRecovery } from "./resourceRecovery";

/**
 * An RDS DB instance (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-rds.html): restored
 * under a new identifier into the dr stack's DB subnet group and security group.
 */
export const rds: ResourceRecovery = {
  removeSelectionTags: removeDatabaseTags,
  type: "RDS",
  dataKind: "rds",
  nameRule: DB_IDENTIFIER_RULE,
  idIsName: true,
  metadataKeys: [
    "AllocatedStorage",
    "AutoMinorVersionUpgrade",
    "AvailabilityZone",
    "BackupTarget",
    "CACertificateIdentifier",
    "CopyTagsToSnapshot",
    "DBInstanceClass",
    "DBInstanceIdentifier",
    "DBName",
    "DBParameterGroupName",
    "DBSubnetGroupName",
    "DedicatedLogVolume",
    "DeletionProtection",
    "Domain",
    "DomainIAMRoleName",
    "EnableCloudwatchLogsExports",
    "EnableCustomerOwnedIp",
    "EnableIAMDatabaseAuthentication",
    "Engine",
    "EngineLifecycleSupport",
    "EngineVersion",
    "Iops",
    "KmsKeyId",
    "LicenseModel",
    "MultiAZ",
    "NetworkType",
    "OptionGroupName",
    "Port",
    "ProcessorFeatures",
    "PubliclyAccessible",
    "StorageEncrypted",
    "StorageThroughput",
    "StorageType",
    "TdeCredentialArn",
    "UseDefaultProcessorFeatures",
    "VpcSecurityGroupIds",
  ],
  restoreFixes: {
    nameKey: "DBInstanceIdentifier",
    sizeKey: "DBInstanceClass",
    zoneKey: "AvailabilityZone",
    // "You can't specify the AvailabilityZone parameter if the DB instance is a Multi-AZ deployment" (RDS
    // API reference, RestoreDBInstanceFromDBSnapshot, MultiAZ): placeDatabase keeps the backed-up MultiAZ.
    zoneExcludedBy: "MultiAZ",
    quotaService: "rds",
  },
  placeRestore(meta, notes, placement) {
    placeDatabase(meta, notes, placement, {
      identifier: "DBInstanceIdentifier",
      zones: "AvailabilityZone",
      zonesWhat: "the source region's availability zone",
      parameterGroup: "DBParameterGroupName",
    });
  },
  drConfig: DB_CONFIG,
  deletionProtectionKey: "DeletionProtection",
  protectRestored: (clients, restored, settings) => protectDatabase(clients, "instance", restored, settings),
  async lookUpEndpoint(clients, id) {
    const out = await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
    const endpoint = out.DBInstances?.[0]?.Endpoint;
    return endpointOf(endpoint?.Address, endpoint?.Port);
  },
  async verify(clients, id) {
    const out = await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
    return expectState("DB instance", id, out.DBInstances?.[0]?.DBInstanceStatus, ["available"]);
  },
  async delete(clients, id) {
    // "You can't delete a DB instance if ... it has deletion protection enabled" (RDS API reference,
    // DeleteDBInstance): a copy that came up protected has it turned off first.
    const described = await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
    const unprotected = described?.DBInstances?.[0]?.DeletionProtection === true;
    if (unprotected) {
      await clients.rds.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: id,
          DeletionProtection: false,
          ApplyImmediately: true,
        }),
      );
    }
    await clients.rds.send(
      new DeleteDBInstanceCommand({
        DBInstanceIdentifier: id,
        SkipFinalSnapshot: true,
        DeleteAutomatedBackups: true,
      }),
    );
    return `DB instance ${id} deleting${unprotected ? " (deletion protection turned off first)" : ""}`;
  },
};
