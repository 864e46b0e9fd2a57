// Every resource module, and the one that handles an AWS Backup resource type.
import { aurora } from "./aurora";
import { dynamodb } from "./dynamodb";
import { ebs } from "./ebs";
import { ec2 } from "./ec2";
import { efs } from "./efs";
import { rds } from "./rds";
import type { DataKind } from "../../../stacks/drContract";
import { AppRole, ResourceRecovery } from "./resourceRecovery";
import { ResourceType, SUPPORTED_RESOURCE_TYPES } from "./types";
import { s3 } from "./s3";

/** The module of every resource type the CLI restores, by AWS Backup's `ResourceType` string. */
const RESOURCES: { readonly [T in ResourceType]: ResourceRecovery } = {
  RDS: rds,
  Aurora: aurora,
  EC2: ec2,
  EBS: ebs,
  DynamoDB: dynamodb,
  EFS: efs,
  S3: s3,
};

/** The module that knows how to restore, check and delete resources of `type`. */
export function resourceOf(type: ResourceType): ResourceRecovery {
  return RESOURCES[type];
}

/** Every resource module, in the order of {@link SUPPORTED_RESOURCE_TYPES}. */
export const ALL_RESOURCES: readonly ResourceRecovery[] = SUPPORTED_RESOURCE_TYPES.map(resourceOf);

/** The data inventory's kinds, each one module's (stacks/drContract.ts `DataKind`). */
export const DATA_KINDS: readonly DataKind[] = ALL_RESOURCES.flatMap((r) => (r.dataKind ? [r.dataKind] : []));

/** The role an inventory entry of `kind` fills for the application (db, table, volume, bucket), if any. */
export function roleOfKind(kind: DataKind): AppRole | undefined {
  return ALL_RESOURCES.find((r) => r.dataKind === kind)?.drConfig?.role;
}

/** The inventory kind of the resources filling `role` (the first module's: RDS for `db`). */
export function kindOfRole(role: AppRole): DataKind | undefined {
  return ALL_RESOURCES.find((r) => r.drConfig?.role === role && r.dataKind)?.dataKind;
}
