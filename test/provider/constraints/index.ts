// The provider constraint table: every registered type's constraints, one entry per type token.
import { TypeConstraints } from "../rules";
import { AUTOSCALING } from "./autoscaling";
import { AWSX } from "./awsx";
import { BACKUP } from "./backup";
import { CLOUDWATCH } from "./cloudwatch";
import { DYNAMODB } from "./dynamodb";
import { EC2 } from "./ec2";
import { EFS } from "./efs";
import { ECS } from "./ecs";
import { EVENTS } from "./events";
import { IAM } from "./iam";
import { KMS } from "./kms";
import { RAM } from "./ram";
import { RDS } from "./rds";
import { ROUTE53 } from "./route53";
import { S3 } from "./s3";
import { SECRETSMANAGER } from "./secretsmanager";
import { SNS } from "./sns";

/**
 * Registered types that no provider validates: the component itself and the engine's StackReference. They
 * are in the table so that every registered type has an entry.
 */
const NOT_PROVIDER_RESOURCES: readonly TypeConstraints[] = [
  {
    type: "backup-restore-dr:index:BackupRestoreDR",
    file: "components/src/backupRestoreDR.ts",
    rules: [],
    note: "this package's component resource: its inputs are checked by its own validation (components/src/validation)",
  },
  {
    type: "pulumi:pulumi:StackReference",
    file: "@pulumi/pulumi stackReference.ts",
    rules: [],
    note: "read by the engine, not created by a provider; only its stack name is an input",
  },
];

/** Every type's constraints, one entry per type token. */
export const CONSTRAINTS: readonly TypeConstraints[] = [
  ...BACKUP,
  ...KMS,
  ...RAM,
  ...S3,
  ...IAM,
  ...SNS,
  ...EVENTS,
  ...CLOUDWATCH,
  ...ROUTE53,
  ...RDS,
  ...EC2,
  ...EFS,
  ...AUTOSCALING,
  ...ECS,
  ...DYNAMODB,
  ...SECRETSMANAGER,
  ...AWSX,
  ...NOT_PROVIDER_RESOURCES,
];

/** The table by type token; fails loudly on a type listed twice. */
export function constraintTable(
  entries: readonly TypeConstraints[] = CONSTRAINTS,
): ReadonlyMap<string, TypeConstraints> {
  const table = new Map<string, TypeConstraints>();
  for (const entry of entries) {
    if (table.has(entry.type)) throw new Error(`${entry.type} is listed twice in the constraint table`);
    table.set(entry.type, entry);
  }
  return table;
}
