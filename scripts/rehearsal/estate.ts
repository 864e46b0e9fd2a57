// What a rehearsal simulates, read from the repository's stacks: protected resources, copy rules, points.
import * as path from "path";
import { parseAwsCron } from "@restorekit/backup-restore-dr";
import { createHash } from "crypto";
import type { DataInventoryEntry, DataKind } from "../../stacks/drContract";
import { evaluatePlan } from "../plan/evaluate";
import { PlannedResource } from "../plan/engine";
import { DrError } from "../errors";
import { ResourceType } from "../recovery/resources/types";
import { ACCOUNT } from "../simulation/fixtures";
import { resourceArn } from "../simulation/resourceStore";
import { SimPoint, SourceKey, defaultRestoreMetadata, simPoint } from "../simulation/recoveryPoints";
import { restoreMinutes } from "./restoreDurations";

/** A resource the primary stack protects, named as the rehearsal's deployment names it. */
export interface ProtectedResource {
  /** The program's logical name, e.g. `app-db`. */
  readonly logicalName: string;
  /** Pulumi type token, e.g. `aws:rds/instance:Instance`. */
  readonly pulumiType: string;
  readonly resourceType: ResourceType;
  /** Physical name or id: the program's when it sets one, else Pulumi-style autonaming. */
  readonly name: string;
  readonly resourceArn: string;
  /** Storage size the program gives it, when it gives one. */
  readonly sizeGiB?: number;
  /** How long its restore takes (simulated minutes, before any scenario changes it). */
  readonly restoreMinutes: number;
  /** What GetRecoveryPointRestoreMetadata returns for its points, from the program's inputs. */
  readonly restoreMetadata: Record<string, string>;
  /**
   * The key it is encrypted with, from the program's `kmsKeyId`: a key it names (not an `alias/aws/` one) is
   * customer managed; none named is the service's AWS managed key (`aws/rds`, `aws/ebs`), as the stacks
   * create the database and the volume today. Its copies into a logically air-gapped vault follow from it
   * (simulation/isolatedCopyRule.ts). Default `aws-managed`.
   */
  readonly sourceKey?: SourceKey;
}

/** A backup rule that copies into the DR vault: when the DR vault receives recovery points. */
export interface CopyRule {
  readonly ruleName: string;
  readonly schedule: string;
  readonly timeZone: string;
  /** Minutes the backup and its copy may take after the scheduled time (start + completion window). */
  readonly landingMinutes: number;
  readonly deleteAfterDays?: number;
}

/** What the rehearsal simulates, derived from the repository's own stacks. */
export interface RehearsalEstate {
  readonly primaryStack: string;
  readonly primaryRegion: string;
  readonly drRegion: string;
  readonly primaryVaultName: string;
  readonly drVaultName: string;
  /**
   * The logically air-gapped vault the primary stack deploys in the DR region (issue 24's isolated copy), or
   * undefined when it deploys none.
   */
  readonly isolatedVaultName?: string;
  readonly backupRoleArn: string;
  readonly resources: ProtectedResource[];
  readonly copyRules: CopyRule[];
  /** Replicated source bucket -> its replica in the DR region. */
  readonly replicaBuckets: Record<string, string>;
  /**
   * The prod stack's `dataInventory` output as a deployment would report it, when its stack file sets
   * `data` (a built-in example's): each entry's resource in the estate. Absent with the default data,
   * which the rehearsal wires by its single-valued roles, as a stack deployed before the inventory.
   */
  readonly dataInventory?: DataInventoryEntry[];
}

/** The resource type of each data inventory kind. */
const TYPE_OF_KIND: Readonly<Record<DataKind, ResourceType>> = {
  rds: "RDS",
  aurora: "Aurora",
  dynamodb: "DynamoDB",
  ebs: "EBS",
  efs: "EFS",
  s3: "S3",
};

/**
 * The `data` entries a stack file sets, each with the estate's resource of its kind whose logical name is
 * `<stack name>-<entry>` (stacks/inventory.ts names them so): the `dataInventory` a deployment reports.
 */
function inventoryOf(
  data: string | undefined,
  resources: readonly ProtectedResource[],
): DataInventoryEntry[] {
  const entries = (data ? JSON.parse(data) : []) as { name: string; kind: DataKind }[];
  return entries.flatMap((entry) => {
    const resource = resources.find(
      (r) => r.resourceType === TYPE_OF_KIND[entry.kind] && r.logicalName.endsWith(`-${entry.name}`),
    );
    return resource
      ? [{ name: entry.name, kind: entry.kind, sourceArn: resource.resourceArn, sourceId: resource.name }]
      : [];
  });
}

const BACKUP_TYPES: Readonly<Record<string, ResourceType>> = {
  "aws:rds/instance:Instance": "RDS",
  "aws:rds/cluster:Cluster": "Aurora",
  "aws:dynamodb/table:Table": "DynamoDB",
  "aws:ebs/volume:Volume": "EBS",
  "aws:ec2/instance:Instance": "EC2",
  "aws:efs/fileSystem:FileSystem": "EFS",
  "aws:s3/bucket:Bucket": "S3",
  "aws:s3/bucketV2:BucketV2": "S3",
};

const hex = (text: string, length: number) =>
  createHash("sha256").update(text).digest("hex").slice(0, length);

/** The name Pulumi's autonaming would give: the logical name plus seven random hex digits (here: a hash). */
export function autoname(stack: string, logicalName: string): string {
  return `${logicalName}-${hex(`${stack}/${logicalName}`, 7)}`;
}

/** An AWS-style id such as `vpc-0123456789abcdef0`, the same for the same stack and name. */
export function physicalId(prefix: string, stack: string, name: string): string {
  return `${prefix}-0${hex(`${stack}/${name}`, 16)}`;
}

const str = (value: unknown) => (typeof value === "string" && !value.startsWith("<") ? value : undefined);

function physicalName(stack: string, resource: PlannedResource, type: ResourceType): string {
  const inputs = resource.inputs;
  switch (type) {
    case "RDS":
      return str(inputs.identifier) ?? autoname(stack, resource.name);
    case "Aurora":
      return str(inputs.clusterIdentifier) ?? autoname(stack, resource.name);
    case "DynamoDB":
      return str(inputs.name) ?? autoname(stack, resource.name);
    case "S3":
      return str(inputs.bucket) ?? autoname(stack, resource.name);
    case "EBS":
      return physicalId("vol", stack, resource.name);
    case "EC2":
      return physicalId("i", stack, resource.name);
    case "EFS":
      return physicalId("fs", stack, resource.name);
  }
}

/** The restore metadata AWS Backup keeps for a point of this resource: the defaults, with the program's values. */
function metadataOf(resource: PlannedResource, type: ResourceType, name: string): Record<string, string> {
  const inputs = resource.inputs;
  const set = (entries: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(entries)
        .filter(([, v]) => v !== undefined && !(typeof v === "string" && v.startsWith("<")))
        .map(([k, v]) => [k, String(v)]),
    );
  const base = defaultRestoreMetadata(type, name);
  switch (type) {
    case "RDS":
      return {
        ...base,
        ...set({
          DBInstanceClass: inputs.instanceClass,
          Engine: inputs.engine,
          Port: inputs.port,
          MultiAZ: inputs.multiAz,
          StorageType: inputs.storageType,
        }),
      };
    case "EBS":
      return {
        ...base,
        ...set({
          availabilityZone: inputs.availabilityZone,
          volumeType: inputs.type,
          volumeSize: inputs.size,
          encrypted: inputs.encrypted,
        }),
      };
    default:
      return base;
  }
}

/** The key a resource is encrypted with: customer managed when its `kmsKeyId` names a key other than an AWS managed alias. */
function sourceKeyOf(resource: PlannedResource): SourceKey {
  const key = resource.inputs.kmsKeyId;
  return key !== undefined && key !== null && !/alias\/aws\//.test(String(key))
    ? "customer-managed"
    : "aws-managed";
}

function tagsOf(resource: PlannedResource): Record<string, unknown> {
  const tags = resource.inputs.tags;
  return typeof tags === "object" && tags !== null ? (tags as Record<string, unknown>) : {};
}

/**
 * Whether a backup selection takes the resource: by tag (`selectionTags`, any of them, STRINGEQUALS as
 * the component writes them). Selections by ARN name resources only a deployment knows, so offline a
 * tag is the only way the rehearsal can tell.
 */
function selected(resource: PlannedResource, selections: PlannedResource[]): boolean {
  const tags = tagsOf(resource);
  return selections.some((selection) => {
    const byTag = Array.isArray(selection.inputs.selectionTags) ? selection.inputs.selectionTags : [];
    return byTag.some(
      (t: { key?: string; value?: string }) => t.key !== undefined && tags[t.key] === t.value,
    );
  });
}

function failIfErrors(stack: string, diagnostics: { severity: string; message: string }[]): void {
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    throw new DrError(
      `the ${stack} stack does not evaluate offline (run 'npm run plan -- -s ${stack}'): ${errors[0].message.split("\n")[0]}`,
    );
  }
}

/**
 * Evaluates the primary stack on Pulumi's mock engine, as `npm run plan` does, and derives what a
 * deployment of it would have in its DR vault: the resources its backup selections take (with their
 * types, sizes and restore metadata) and the rules that copy to the DR region.
 */
export async function readEstate(
  projectDir: string,
  primaryStack: string,
  configDir?: string,
): Promise<RehearsalEstate> {
  const plan = await evaluatePlan({
    projectDir,
    stack: primaryStack,
    ...(configDir && { configFile: path.join(configDir, `Pulumi.${primaryStack}.yaml`) }),
  });
  failIfErrors(primaryStack, plan.diagnostics);
  const config = (key: string) => plan.config[`${plan.project}:${key}`]?.value;
  const primaryRegion = plan.region ?? config("primaryRegion") ?? "us-east-1";
  const drRegion = config("drRegion") ?? "us-west-2";
  const selections = plan.resources.filter((r) => r.type === "aws:backup/selection:Selection");
  const resources = plan.resources.flatMap((resource): ProtectedResource[] => {
    const type = BACKUP_TYPES[resource.type];
    if (!type || !selected(resource, selections)) {
      return [];
    }
    const name = physicalName(primaryStack, resource, type);
    const size = resource.inputs.allocatedStorage ?? resource.inputs.size;
    const sizeGiB = typeof size === "number" ? size : undefined;
    return [
      {
        logicalName: resource.name,
        pulumiType: resource.type,
        resourceType: type,
        name,
        resourceArn: resourceArn(type, primaryRegion, name),
        sizeGiB,
        restoreMinutes: restoreMinutes(type, sizeGiB),
        restoreMetadata: metadataOf(resource, type, name),
        sourceKey: sourceKeyOf(resource),
      },
    ];
  });
  if (resources.length === 0) {
    throw new DrError(
      `the ${primaryStack} stack protects nothing the rehearsal can restore: no resource carries a tag its backup selections take`,
    );
  }
  const vaults = plan.resources.filter((r) => r.type === "aws:backup/vault:Vault");
  const vaultIn = (region: string) => vaults.find((v) => v.inputs.region === region);
  const isolatedVault = plan.resources.find(
    (r) =>
      r.type === "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault" && r.inputs.region === drRegion,
  );
  const nameOfVault = (vault: PlannedResource | undefined, fallback: string) =>
    str(vault?.inputs.name) ?? autoname(primaryStack, vault?.name ?? fallback);
  const copyRules = plan.resources
    .filter((r) => r.type === "aws:backup/plan:Plan")
    .flatMap((p) => (Array.isArray(p.inputs.rules) ? p.inputs.rules : []))
    .filter((rule) => Array.isArray(rule.copyActions) && rule.copyActions.length > 0)
    .map((rule): CopyRule => ({
      ruleName: String(rule.ruleName),
      schedule: String(rule.schedule),
      timeZone: str(rule.scheduleExpressionTimezone) ?? "Etc/UTC",
      // A typical run, not the worst case the posture computes: the job starts halfway into its start
      // window and the backup and its copy take a quarter of the completion window.
      landingMinutes: Number(rule.startWindow ?? 60) / 2 + Number(rule.completionWindow ?? 120) / 4,
      deleteAfterDays: rule.copyActions[0]?.lifecycle?.deleteAfter,
    }));
  if (copyRules.length === 0) {
    throw new DrError(
      `the ${primaryStack} stack has no backup rule that copies to ${drRegion}: the DR vault would be empty`,
    );
  }
  const backupRole = plan.resources.find((r) => r.type === "aws:iam/role:Role" && /backup/.test(r.name));
  const buckets = resources.filter((r) => r.resourceType === "S3");
  const replicas = plan.resources.filter(
    (r) => /^aws:s3\/bucket(V2)?:/.test(r.type) && r.inputs.region === drRegion,
  );
  return {
    primaryStack,
    primaryRegion,
    drRegion,
    primaryVaultName: nameOfVault(vaultIn(primaryRegion), "primary-vault"),
    drVaultName: nameOfVault(vaultIn(drRegion), "dr-vault"),
    ...(isolatedVault && { isolatedVaultName: nameOfVault(isolatedVault, "isolated-vault") }),
    backupRoleArn: `arn:aws:iam::${ACCOUNT}:role/${autoname(primaryStack, backupRole?.name ?? "backup-role")}`,
    resources,
    copyRules,
    replicaBuckets: Object.fromEntries(
      buckets.slice(0, replicas.length).map((b, i) => [b.name, autoname(primaryStack, replicas[i].name)]),
    ),
    ...(plan.config[`${plan.project}:data`]?.source === "stack" && {
      dataInventory: inventoryOf(config("data"), resources),
    }),
  };
}

/** Options of {@link recoveryPoints}. */
export interface PointOptions {
  /** Simulated time of the rehearsal's start. */
  readonly nowMs: number;
  /** How many days of copies the DR vault holds at most. Default 7 (a retention of 97 days is 97 points). */
  readonly days?: number;
}

/**
 * The recovery points the DR vault holds at `nowMs`: one per resource for every run of each copy rule in
 * the last `days` days that has landed (scheduled time plus landing minutes), newest first.
 */
export function recoveryPoints(estate: RehearsalEstate, options: PointOptions): SimPoint[] {
  const days = options.days ?? 7;
  const points: SimPoint[] = [];
  for (const rule of estate.copyRules) {
    const span = Math.min(days, rule.deleteAfterDays ?? days) * 86_400_000;
    const runs = parseAwsCron(rule.schedule)
      .runsBetween(new Date(options.nowMs - span), new Date(options.nowMs), rule.timeZone)
      .map((run) => run.getTime() + rule.landingMinutes * 60_000)
      .filter((landed) => landed <= options.nowMs)
      .reverse();
    for (const resource of estate.resources) {
      for (const landed of runs) {
        points.push(
          simPoint(resource.resourceType, resource.name, options.nowMs, options.nowMs - landed, {
            resourceArn: resource.resourceArn,
            restoreMetadata: resource.restoreMetadata,
            restoreMs: resource.restoreMinutes * 60_000,
            sourceKey: resource.sourceKey,
          }),
        );
      }
    }
  }
  return points;
}
