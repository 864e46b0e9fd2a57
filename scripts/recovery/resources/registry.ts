// Every resource module, and the one that handles an AWS Backup resource type.
import { aurora } from "./aurora";
import { dynamodb } from "./dynamodb";
import { ebs } from "./ebs";
import { ec2 } from "./ec2";
import { efs } from "./efs";
import { rds } from "./rds";
import { ResourceRecovery } from "./resourceRecovery";
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
