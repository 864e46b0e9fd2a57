import { DeleteDBInstanceCommand, DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { DB_CONFIG, DB_IDENTIFIER_RULE, endpointOf, placeDatabase } from "./database";
import { expectState, ResourceRecovery } from "./resourceRecovery";

/**
 * An RDS DB instance (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-rds.html): restored
 * under a new identifier into the dr stack's DB subnet group and security group.
 */
export const rds: ResourceRecovery = {
  type: "RDS",
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
  placeRestore(meta, notes, placement) {
    placeDatabase(meta, notes, placement, {
      identifier: "DBInstanceIdentifier",
      zones: "AvailabilityZone",
      zonesWhat: "the source region's availability zone",
      parameterGroup: "DBParameterGroupName",
    });
  },
  drConfig: DB_CONFIG,
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
    await clients.rds.send(
      new DeleteDBInstanceCommand({
        DBInstanceIdentifier: id,
        SkipFinalSnapshot: true,
        DeleteAutomatedBackups: true,
      }),
    );
    return `DB instance ${id} deleting`;
  },
};
