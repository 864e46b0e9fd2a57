// What the component variants and the stack configurations register, recorded for the constraint suite.
import * as path from "path";
import { BackupRestoreDR } from "@restorekit/backup-restore-dr";
import { evaluatePlan, PlanOptions } from "../../scripts/plan/evaluate";
import { ComponentVariant } from "../helpers/componentVariants";
import { ECS_DATA } from "../stacks/fixtures";
import { settled, useMockEngine, valueOf } from "../helpers/mockEngine";

/** A resource some variant registered, with where it came from. */
export interface RecordedResource {
  /** The variant that registered it, e.g. `component: the guide's setup` or `plan: prod`. */
  readonly source: string;
  readonly type: string;
  readonly name: string;
  /** Inputs as the engine received them. */
  readonly inputs: Record<string, unknown>;
}

const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** Builds the component on the mock engine and returns everything it registered. */
export async function componentRegistrations(variant: ComponentVariant): Promise<RecordedResource[]> {
  const registrations = useMockEngine();
  const component = new BackupRestoreDR(variant.name, variant.args);
  await Promise.all([
    valueOf(component.selectionId),
    valueOf(component.replicaBucketArns),
    valueOf(component.alertTopicArns),
    valueOf(component.restoreTestingPlanName),
  ]);
  await settled(registrations);
  return registrations.map((r) => ({
    source: `component: ${variant.label}`,
    type: r.type,
    name: r.name,
    inputs: r.inputs,
  }));
}

/** One stack configuration the offline plan evaluates. */
export interface PlanVariant {
  readonly label: string;
  readonly options: Omit<PlanOptions, "projectDir">;
}

/** Evaluates the program offline (as `npm run plan` does) and returns what it registered; fails on errors. */
export async function planRegistrations(variant: PlanVariant): Promise<RecordedResource[]> {
  const result = await evaluatePlan({ projectDir: PROJECT_DIR, ...variant.options });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    throw new Error(`plan ${variant.label}: ${errors.map((e) => e.message).join("\n")}`);
  }
  return result.resources.map((r) => ({
    source: `plan: ${variant.label}`,
    type: r.type,
    name: r.name,
    inputs: r.inputs,
  }));
}

const DNS = { route53ZoneId: "Z0123456789ABCDEFGHIJ", domainName: "api.example.com" };

/** A data inventory with one or more of every kind (stacks/config/data.ts). */
const EVERY_KIND = [
  { name: "orders-db", kind: "rds" },
  { name: "users-db", kind: "rds", dbName: "users" },
  { name: "reports", kind: "aurora", engine: "aurora-postgresql", instances: 2 },
  { name: "orders", kind: "dynamodb", hashKey: "orderId" },
  { name: "data", kind: "ebs", sizeGiB: 50 },
  { name: "shared", kind: "efs" },
  { name: "assets", kind: "s3" },
  { name: "exports", kind: "s3", replicate: false },
];

/**
 * The stack configurations the stack and plan tests evaluate: prod as committed and with every option
 * that adds resources, dr in standby and active, with and without DNS.
 */
export const PLAN_VARIANTS: readonly PlanVariant[] = [
  { label: "prod", options: { stack: "prod" } },
  {
    label: "prod with DNS, Vault Lock, deployers, break-glass, more buckets, a password",
    options: {
      stack: "prod",
      configOverrides: {
        ...DNS,
        vaultLock: "compliance",
        vaultLockMaxRetentionDays: "400",
        deployerPrincipalArns: JSON.stringify(["arn:aws:iam::123456789012:role/pulumi-deployer"]),
        breakGlassPrincipalArns: JSON.stringify(["arn:aws:iam::123456789012:role/break-glass"]),
        replicatedBuckets: JSON.stringify(["legacy-reports", "customer-uploads"]),
        dbPassword: "correct-horse-battery",
      },
    },
  },
  { label: "prod with the daily plan", options: { stack: "prod", configOverrides: { backupPlan: "daily" } } },
  { label: "dr standby", options: { stack: "dr", configOverrides: DNS } },
  { label: "dr active", options: { stack: "dr", mode: "active", configOverrides: DNS } },
  { label: "dr active without DNS", options: { stack: "dr", mode: "active" } },
  {
    label: "dr standby with interface endpoints",
    options: { stack: "dr", configOverrides: { interfaceEndpoints: "true" } },
  },
  { label: "prod on ECS", options: { stack: "prod", configOverrides: { compute: "ecs", data: ECS_DATA } } },
  {
    label: "dr active on ECS",
    options: {
      stack: "dr",
      mode: "active",
      configOverrides: {
        ...DNS,
        compute: "ecs",
        data: ECS_DATA,
        containerImage: "123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1.4",
      },
    },
  },
  {
    label: "prod with an inventory of every kind: RDS, Aurora, DynamoDB, EBS, EFS, S3",
    options: { stack: "prod", configOverrides: { data: JSON.stringify(EVERY_KIND) } },
  },
  {
    label: "dr active with a restored file system",
    options: {
      stack: "dr",
      mode: "active",
      configOverrides: {
        data: JSON.stringify(EVERY_KIND),
        restoredData: JSON.stringify({ shared: { kind: "efs", id: "fs-0123456789abcdef0" } }),
      },
    },
  },
  {
    label: "dr standby with the app bucket replicated",
    options: { stack: "dr", configOverrides: { replicateAppBucket: "true" } },
  },
];
