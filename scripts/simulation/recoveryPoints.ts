/** AWS Backup's recovery points: what a vault holds, its listing's filters and pages, restore metadata. */
import { createHash } from "crypto";
import { ACCOUNT } from "./fixtures";
import { ResourceState, resourceArn as arnOf } from "./resourceStore";

/**
 * The key a protected resource is encrypted with: an AWS managed key (`aws/rds`, `aws/ebs`: what RDS and EBS
 * use when encryption is on and no key is named, as the stacks create them) or a customer managed key.
 */
export type SourceKey = "aws-managed" | "customer-managed";

/** A recovery point the simulated vault holds, with how its restore will behave. */
export interface SimPoint {
  readonly recoveryPointArn: string;
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly creationDate: Date;
  readonly status?: string;
  readonly statusMessage?: string;
  readonly restoreMetadata?: Record<string, string>;
  /** How long a restore of this point takes (clock ms). Default {@link BACKUP_DEFAULTS.restoreMs}. */
  readonly restoreMs?: number;
  /** Final state of its restore jobs. Default COMPLETED. */
  readonly outcome?: "COMPLETED" | "FAILED" | "ABORTED";
  readonly failureMessage?: string;
  /**
   * What makes a restore of it that {@link outcome} fails complete: `retry` (a transient failure: a later
   * StartRestoreJob of the point completes), `new-metadata` (a later start with other restore metadata, such
   * as another instance class or name, completes). Default: nothing, every attempt fails the same way (a
   * key policy or a quota is fixed outside AWS Backup).
   */
  readonly failsUntil?: "retry" | "new-metadata";
  /**
   * With `failsUntil: "new-metadata"`, the restore metadata keys one of which must change for a later attempt
   * to complete (an instance class or zone after a capacity failure): a change of any other key fails the
   * same way. Default: the type's name key (a name conflict is got past by another name only).
   */
  readonly fixKeys?: readonly string[];
  /** What a restore from it brings back (writes, S3 objects). Default: an empty resource. */
  readonly state?: ResourceState;
  /** A copied point: the vault it was copied from (ListRecoveryPointsByBackupVault's SourceBackupVaultArn). */
  readonly sourceBackupVaultArn?: string;
  /**
   * The resource's tags when it was backed up: "AWS Backup copies tags from the resources it protects to
   * your recovery points", and a copy to another Region carries "all tags of the original backup" (AWS
   * Backup developer guide, "Copying tags onto backups", tags-on-backups.html). A restore copies them to
   * what it creates only when asked (restoredResources.ts). Default none.
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The key its resource is encrypted with (isolatedCopyRule.ts: a copy of a type AWS Backup does not fully
   * manage into a logically air-gapped vault needs a customer managed one). Default `aws-managed`: RDS and
   * EBS with encryption on and no key named, as the stacks create them.
   */
  readonly sourceKey?: SourceKey;
}

/**
 * ListRecoveryPointsByBackupVault's filters (ByResourceType, ByResourceArn, ByCreatedBefore), as the
 * API reference describes them (API_ListRecoveryPointsByBackupVault.html); created-before is strict.
 */
export function filterRecoveryPoints(
  points: readonly SimPoint[],
  filter: { resourceType?: string; resourceArn?: string; createdBefore?: number },
): SimPoint[] {
  return points.filter(
    (p) =>
      (filter.resourceType === undefined || p.resourceType === filter.resourceType) &&
      (filter.resourceArn === undefined || p.resourceArn === filter.resourceArn) &&
      (filter.createdBefore === undefined || p.creationDate.getTime() < filter.createdBefore),
  );
}

/**
 * One page of ListRecoveryPointsByBackupVault: `size` points from the offset `nextToken` names, with the
 * next page's token while more remain. Both the SDK-level simulation and the wire-level fake answer with it.
 */
export function recoveryPointPage(
  points: readonly SimPoint[],
  vaultName: string,
  nextToken: string | undefined,
  size: number,
) {
  const offset = nextToken ? Number(nextToken) : 0;
  return {
    NextToken: offset + size < points.length ? String(offset + size) : undefined,
    RecoveryPoints: points.slice(offset, offset + size).map((p) => ({
      RecoveryPointArn: p.recoveryPointArn,
      BackupVaultName: vaultName,
      ResourceArn: p.resourceArn,
      ResourceType: p.resourceType,
      Status: p.status ?? "COMPLETED",
      StatusMessage: p.statusMessage,
      CreationDate: p.creationDate,
      SourceBackupVaultArn: p.sourceBackupVaultArn,
    })),
  };
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 17);
}

/** Realistic GetRecoveryPointRestoreMetadata answers, as of a primary region us-east-1. */
export function defaultRestoreMetadata(type: string, name: string): Record<string, string> {
  switch (type) {
    case "RDS":
      return {
        DBInstanceIdentifier: name,
        DBInstanceClass: "db.r5.large",
        Engine: "postgres",
        MultiAZ: "false",
        Port: "5432",
        AvailabilityZone: "us-east-1a",
        DBSubnetGroupName: "prod-db-subnets",
        VpcSecurityGroupIds: '["sg-0dbprod"]',
      };
    case "Aurora":
      return {
        DBClusterIdentifier: name,
        Engine: "aurora-postgresql",
        AvailabilityZones: '["us-east-1a","us-east-1b"]',
        DBSubnetGroupName: "prod-db-subnets",
        VpcSecurityGroupIds: '["sg-0dbprod"]',
      };
    case "EC2":
      return {
        InstanceType: "c5.xlarge",
        SubnetId: "subnet-0prod",
        SecurityGroupIds: '["sg-0appprod"]',
        NetworkInterfaces: '[{"DeviceIndex":0,"SubnetId":"subnet-0prod"}]',
        Placement: '{"AvailabilityZone":"us-east-1a","GroupName":"","Tenancy":"default"}',
        IamInstanceProfileName: "app",
        KeyName: "prod-ops",
      };
    case "EBS":
      return {
        availabilityZone: "us-east-1a",
        volumeType: "gp3",
        volumeSize: "100",
        encrypted: "true",
        kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      };
    case "DynamoDB":
      return { targetTableName: name, encryptionType: "Default" };
    case "EFS":
      return {
        "file-system-id": name,
        Encrypted: "true",
        PerformanceMode: "generalPurpose",
        newFileSystem: "false",
      };
    case "S3":
      return { DestinationBucketName: name, NewBucket: "false", Encrypted: "true", EncryptionType: "SSE-S3" };
    default:
      return {};
  }
}

/** A recovery point of the given type for a source named `name`, created `ageMs` before `nowMs`. */
export function simPoint(
  type: string,
  name: string,
  nowMs: number,
  ageMs: number,
  extra: Partial<SimPoint> = {},
): SimPoint {
  const resourceArn = arnOf(type, "us-east-1", name);
  const created = new Date(nowMs - ageMs);
  return {
    recoveryPointArn: `arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:${shortHash(`${resourceArn}@${created.toISOString()}`)}`,
    resourceArn,
    resourceType: type,
    creationDate: created,
    status: "COMPLETED",
    ...extra,
  };
}
