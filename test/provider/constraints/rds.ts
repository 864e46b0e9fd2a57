// The AWS provider's argument constraints for RDS instances and DB subnet groups.
import { Rule, TypeConstraints } from "../rules";

/** RDS identifiers: begin with a letter, only `chars`, no two consecutive hyphens, no trailing hyphen. */
function identifierRules(path: string, chars: string, described: string): Rule[] {
  return [
    { kind: "StringMatch", path, pattern: /^[A-Za-z]/, message: "must begin with alphabetic character" },
    {
      kind: "StringMatch",
      path,
      pattern: new RegExp(`^${chars}+$`),
      message: `must only contain ${described}`,
    },
    { kind: "StringMatch", path, pattern: /^(?!.*--)/, message: "cannot contain two consecutive hyphens" },
    { kind: "StringMatch", path, pattern: /[^-]$/, message: "cannot end in a hyphen" },
  ];
}

/** RDS: internal/service/rds/. */
export const RDS: readonly TypeConstraints[] = [
  {
    type: "aws:rds/instance:Instance",
    file: "internal/service/rds/instance.go",
    autoName: "identifier",
    rules: [
      { kind: "ConflictsWith", path: "identifier", with: ["identifierPrefix"] },
      { kind: "ConflictsWith", path: "manageMasterUserPassword", with: ["password"] },
      { kind: "ConflictsWith", path: "dbName", with: ["replicateSourceDb"] },
      { kind: "ConflictsWith", path: "engine", with: ["replicateSourceDb"] },
      { kind: "ConflictsWith", path: "engineVersion", with: ["replicateSourceDb"] },
      { kind: "ConflictsWith", path: "username", with: ["replicateSourceDb"] },
      {
        kind: "ConflictsWith",
        path: "restoreToPointInTime",
        with: ["s3Import", "snapshotIdentifier", "replicateSourceDb"],
      },
      // verify.ValidOnceADayWindowFormat and ValidOnceAWeekWindowFormat (internal/verify/validate.go).
      {
        kind: "StringMatch",
        path: "backupWindow",
        pattern: /^(([0-1][0-9]|2[0-3]):([0-5][0-9])-([0-1][0-9]|2[0-3]):([0-5][0-9])|)$/,
        message: 'must satisfy the format of "hh24:mi-hh24:mi".',
      },
      {
        kind: "StringMatch",
        path: "maintenanceWindow",
        pattern:
          /^((sun|mon|tue|wed|thu|fri|sat):([0-1][0-9]|2[0-3]):([0-5][0-9])-(sun|mon|tue|wed|thu|fri|sat):([0-1][0-9]|2[0-3]):([0-5][0-9])|)$/i,
        message: 'must satisfy the format of "ddd:hh24:mi-ddd:hh24:mi".',
      },
      ...identifierRules("finalSnapshotIdentifier", "[0-9A-Za-z-]", "alphanumeric characters and hyphens"),
      // validIdentifier (internal/service/rds/validate.go), on the name Pulumi generates too.
      ...identifierRules("identifier", "[0-9a-z-]", "lowercase alphanumeric characters and hyphens"),
      { kind: "StringInSlice", path: "storageType", values: ["standard", "gp2", "gp3", "io1", "io2"] },
      { kind: "StringInSlice", path: "networkType", values: ["IPV4", "DUAL"] },
      { kind: "ValidARN", path: "kmsKeyId" },
      { kind: "ValidARN", path: "performanceInsightsKmsKeyId" },
    ],
  },
  {
    type: "aws:rds/subnetGroup:SubnetGroup",
    file: "internal/service/rds/subnet_group.go",
    autoName: "name",
    rules: [
      { kind: "ConflictsWith", path: "name", with: ["namePrefix"] },
      // validSubnetGroupName (internal/service/rds/validate.go): lowercase letters, digits, spaces, . _ -,
      // at most 255, not "default".
      {
        kind: "StringMatch",
        path: "name",
        pattern: /^(?!default$)[ .0-9a-z_-]{1,255}$/,
        message:
          'only lowercase alphanumeric characters, hyphens, underscores, periods, and spaces allowed, at most 255, not "default"',
      },
      {
        kind: "StringMatch",
        path: "namePrefix",
        pattern: /^[ .0-9a-z_-]{1,229}$/,
        message:
          "only lowercase alphanumeric characters, hyphens, underscores, periods, and spaces allowed, at most 229",
      },
    ],
  },
  {
    type: "aws:rds/cluster:Cluster",
    file: "internal/service/rds/cluster.go",
    autoName: "clusterIdentifier",
    rules: [
      { kind: "ConflictsWith", path: "clusterIdentifier", with: ["clusterIdentifierPrefix"] },
      ...identifierRules("clusterIdentifier", "[0-9a-z-]", "lowercase alphanumeric characters and hyphens"),
      ...identifierRules("finalSnapshotIdentifier", "[0-9A-Za-z-]", "alphanumeric characters and hyphens"),
      {
        kind: "StringMatch",
        path: "preferredBackupWindow",
        pattern: /^(([0-1][0-9]|2[0-3]):([0-5][0-9])-([0-1][0-9]|2[0-3]):([0-5][0-9])|)$/,
        message: 'must satisfy the format of "hh24:mi-hh24:mi".',
      },
      {
        kind: "StringMatch",
        path: "preferredMaintenanceWindow",
        pattern:
          /^((sun|mon|tue|wed|thu|fri|sat):([0-1][0-9]|2[0-3]):([0-5][0-9])-(sun|mon|tue|wed|thu|fri|sat):([0-1][0-9]|2[0-3]):([0-5][0-9])|)$/i,
        message: 'must satisfy the format of "ddd:hh24:mi-ddd:hh24:mi".',
      },
      { kind: "ConflictsWith", path: "manageMasterUserPassword", with: ["masterPassword"] },
      { kind: "ValidARN", path: "kmsKeyId" },
    ],
    note: "backup_retention_period is validation.IntAtMost(35), an upper bound alone, which no rule kind states (the stack sets 7)",
  },
  {
    type: "aws:rds/clusterInstance:ClusterInstance",
    file: "internal/service/rds/cluster_instance.go",
    autoName: "identifier",
    rules: [
      { kind: "ConflictsWith", path: "identifier", with: ["identifierPrefix"] },
      ...identifierRules("identifier", "[0-9a-z-]", "lowercase alphanumeric characters and hyphens"),
    ],
  },
];
