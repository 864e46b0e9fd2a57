// Restore metadata: what each resource type's restore needs, and the --metadata overrides.
import { DrError } from "../../errors";
import { MetadataMap, RestoreNetwork } from "../resources/metadata";
import { resourceOf } from "../resources/registry";
import { ResourceType, parseResourceType, regionOfArn } from "../resources/types";
import type { PlannedRestore } from "./journal";

/**
 * One `--metadata` override: key, value, and the one resource it is for (`<type>[<scope>].<key>=<value>`:
 * the source's name, its resource ARN or its recovery point ARN); without a scope, every restore of the type.
 */
export type MetadataOverride = readonly [key: string, value: string, scope?: string];

/** `--metadata` overrides, by resource type, in the order given. */
export type MetadataOverrides = ReadonlyMap<ResourceType, ReadonlyArray<MetadataOverride>>;

/**
 * Parses repeated `--metadata <type>.<key>=<value>` and `--metadata <type>[<source name or ARN>].<key>=<value>`
 * flags. The key keeps its case (AWS reads some keys case-sensitively); an empty value removes the key from
 * the restore metadata.
 */
export function parseMetadataOverrides(values: readonly string[]): MetadataOverrides {
  const result = new Map<ResourceType, Array<MetadataOverride>>();
  for (const value of values) {
    const match = /^([^.=[\]]+)(?:\[([^\]]+)\])?\.([^=]+)=(.*)$/s.exec(value);
    if (!match) {
      throw new DrError(
        `--metadata '${value}' must look like <type>.<key>=<value> or <type>[<source name or ARN>].<key>=<value>, e.g. rds.DBInstanceClass=db.r6g.large`,
      );
    }
    const type = parseResourceType(match[1], `--metadata '${value}'`);
    const key = match[3].trim();
    checkMetadataKey(type, key, `--metadata '${value}'`);
    const list = result.get(type) ?? [];
    list.push(match[2] === undefined ? [key, match[4]] : [key, match[4], match[2]]);
    result.set(type, list);
  }
  return result;
}

/** Whether `scope` names `plan`: its source's name, resource ARN or recovery point ARN. */
function scopeMatches(scope: string, plan: PlannedRestore): boolean {
  return [plan.resourceName, plan.resourceArn, plan.recoveryPointArn].includes(scope);
}

/** The overrides of `plan`: its type's unscoped ones and those scoped to it, in the order given. */
function overridesOf(plan: PlannedRestore, overrides: MetadataOverrides): MetadataOverride[] {
  return (overrides.get(plan.resourceType) ?? []).filter(
    ([, , scope]) => !scope || scopeMatches(scope, plan),
  );
}

/** The flag an override was given as, for messages. */
function flagOf(type: ResourceType, [key, value, scope]: MetadataOverride): string {
  return `--metadata '${type.toLowerCase()}${scope ? `[${scope}]` : ""}.${key}=${value}'`;
}

/**
 * Refuses, before anything starts, `--metadata` that a retry (`--retry-failed`) cannot apply safely to
 * `failed`, the restores it retries: a scope naming none of them; a name key given per type while more than
 * one of them would take it (two copies under one name: the dr stack could point at another's data).
 */
export function checkRetryOverrides(failed: readonly PlannedRestore[], overrides: MetadataOverrides): void {
  for (const [type, list] of overrides) {
    const ofType = failed.filter((p) => p.resourceType === type);
    const nameKey = resourceOf(type).restoreFixes.nameKey?.toLowerCase();
    for (const override of list) {
      const [key, value, scope] = override;
      if (scope && !ofType.some((p) => scopeMatches(scope, p))) {
        throw new DrError(
          `${flagOf(type, override)}: '${scope}' names no failed restore of ${type}${
            ofType.length > 0 ? ` (${ofType.map((p) => p.resourceName).join(", ")})` : ""
          }`,
        );
      }
      if (!scope && value !== "" && key.toLowerCase() === nameKey && ofType.length > 1) {
        throw new DrError(
          `${flagOf(type, override)}: ${key} '${value}' would name ${ofType.length} failed ${type} restores alike (${ofType
            .map((p) => p.resourceName)
            .join(", ")}); give each its own: ${ofType
            .map((p) => `--metadata '${type.toLowerCase()}[${p.resourceName}].${key}=<name>'`)
            .join(" ")}`,
        );
      }
    }
  }
}

/** Refuses a plan in which two restores would create copies of the same name. */
export function checkDistinctTargetNames(plan: readonly PlannedRestore[]): void {
  const byName = new Map<string, PlannedRestore[]>();
  for (const p of plan) {
    if (p.targetName) {
      byName.set(`${p.resourceType}\n${p.targetName}`, [
        ...(byName.get(`${p.resourceType}\n${p.targetName}`) ?? []),
        p,
      ]);
    }
  }
  for (const same of byName.values()) {
    if (same.length > 1) {
      throw new DrError(
        `${same.length} restores would be named ${same[0].targetName}: ${same
          .map((p) => `${p.resourceType} ${p.resourceName}`)
          .join(", ")}; give each its own name (--metadata <type>[<source name>].<key>=<name>)`,
      );
    }
  }
}

/**
 * Refuses a `--metadata` key AWS Backup does not read for the type: a typo (`rds.DBInstanceClas`)
 * would otherwise be sent, ignored by AWS, and the restore would quietly use the backed-up value.
 */
function checkMetadataKey(type: ResourceType, key: string, flag: string): void {
  const known = resourceOf(type).metadataKeys;
  if (!known.some((k) => k.toLowerCase() === key.toLowerCase())) {
    throw new DrError(
      `${flag}: '${key}' is not a restore metadata key of ${type}; known keys: ${known.join(", ")}`,
    );
  }
}

/** Inputs of {@link buildRestoreMetadata}. */
export interface RestoreMetadataInput {
  readonly resourceType: ResourceType;
  /** `RestoreMetadata` from GetRecoveryPointRestoreMetadata: the resource as it was backed up. */
  readonly base: Readonly<Record<string, string>>;
  /** The new name (DB identifier, table, bucket, EFS creation token); unused for EC2 and EBS. */
  readonly targetName: string;
  /** Region the restore runs in. */
  readonly region: string;
  readonly network: RestoreNetwork;
  /** This type's `--metadata` overrides, applied last; those scoped to one resource are applied by the caller. */
  readonly overrides?: ReadonlyArray<MetadataOverride>;
  /** The stack whose outputs `network` comes from, for the error naming a missing one. Default: the dr stack. */
  readonly networkStack?: string;
  /**
   * The copy is a drill's, deleted at its end: restored without deletion protection (prod's points carry it
   * on), so that the cleanup's delete is not refused. Default false.
   */
  readonly disposable?: boolean;
}

/** The restore metadata and what was changed from the backed-up configuration, for the operator. */
export interface RestoreMetadataResult {
  readonly metadata: Record<string, string>;
  readonly notes: string[];
}

/**
 * Builds `StartRestoreJob` metadata: the backed-up configuration, then the new name, the DR network
 * (DB subnet group and security group for RDS/Aurora, subnet and security group for EC2, an
 * availability zone for EBS), settings that only make sense in the source region removed, and the
 * operator's overrides last.
 */
export function buildRestoreMetadata(input: RestoreMetadataInput): RestoreMetadataResult {
  const meta = new MetadataMap(input.base);
  const notes: string[] = [];
  const need = (value: string | undefined, output: string): string => {
    if (!value) {
      throw new DrError(
        input.networkStack
          ? `${input.networkStack} has no '${output}' output, needed to restore ${input.resourceType} into its network`
          : `the dr stack has no '${output}' output, needed to restore ${input.resourceType} into the DR network`,
      );
    }
    return value;
  };

  resourceOf(input.resourceType).placeRestore(meta, notes, {
    targetName: input.targetName,
    region: input.region,
    network: input.network,
    need,
  });

  rewriteForeignKmsKeys(meta, notes, input.region);
  dropForeignArns(meta, notes, input.region);
  const protectionKey = resourceOf(input.resourceType).deletionProtectionKey;
  if (input.disposable && protectionKey) {
    meta.set(protectionKey, "false");
    notes.push(`${protectionKey}=false: the drill deletes what it restores`);
  }

  applyOverrides(
    meta,
    notes,
    (input.overrides ?? []).filter(([, , scope]) => !scope),
  );
  return { metadata: meta.toRecord(), notes };
}

/** The `--metadata` overrides of one type onto `meta`, last; an empty value removes the key. */
function applyOverrides(
  meta: MetadataMap,
  notes: string[],
  overrides: ReadonlyArray<MetadataOverride>,
): void {
  for (const [key, value] of overrides) {
    if (value === "") {
      meta.delete(key);
      notes.push(`${key} removed (--metadata)`);
    } else {
      meta.set(key, value);
      notes.push(`${key}=${value} (--metadata)`);
    }
  }
}

/**
 * A failed restore's plan for its retry (`--retry-failed --metadata ...`): the journaled metadata with
 * this type's overrides and those scoped to it, and the new name when they change the copy's name (the dr
 * stack is pointed at it). Unchanged without overrides of it. `scopedOnly`: only those scoped to it (a new
 * plan, whose per-type overrides {@link buildRestoreMetadata} applied). Default false.
 */
export function retryPlan<P extends PlannedRestore>(
  plan: P,
  overrides: MetadataOverrides,
  scopedOnly = false,
): P {
  const own = overridesOf(plan, overrides).filter(([, , scope]) => !scopedOnly || scope);
  if (own.length === 0) {
    return plan;
  }
  const meta = new MetadataMap(plan.metadata);
  const notes = [...plan.notes];
  applyOverrides(meta, notes, own);
  const nameKey = resourceOf(plan.resourceType).restoreFixes.nameKey;
  const targetName = nameKey !== undefined && plan.targetName !== undefined ? meta.get(nameKey) : undefined;
  return { ...plan, metadata: meta.toRecord(), notes, ...(targetName ? { targetName } : {}) };
}

// Any other ARN of another region (a license configuration, a host resource group...) names a
// resource the DR region does not have. KMS keys are handled before (rewriteForeignKmsKeys).
function dropForeignArns(meta: MetadataMap, notes: string[], region: string): void {
  for (const [key, value] of meta.entries()) {
    const arn = /arn:aws[\w-]*:([\w-]+):([a-z]{2}(?:-[a-z]+)+-\d):[^"',\s]*/.exec(value);
    if (arn && arn[2] !== region) {
      meta.delete(key);
      notes.push(`${key} removed: it refers to ${arn[0]}, of ${arn[2]}, not usable in ${region}`);
    }
  }
}

// A KMS key ARN of the source region cannot be used in the DR region. A multi-Region key (mrk-)
// has a replica with the same id in the DR region; any other key is dropped so the restore uses
// the recovery point's own key (the DR vault re-encrypted the copy) or the service default.
function rewriteForeignKmsKeys(meta: MetadataMap, notes: string[], region: string): void {
  for (const [key, value] of meta.entries()) {
    const keyRegion = /^arn:aws[\w-]*:kms:/.test(value) ? regionOfArn(value) : undefined;
    if (!keyRegion || keyRegion === region) {
      continue;
    }
    if (/:key\/mrk-/.test(value)) {
      const parts = value.split(":");
      parts[3] = region;
      meta.set(key, parts.join(":"));
      notes.push(`${key}: multi-Region KMS key replica in ${region}`);
    } else {
      meta.delete(key);
      notes.push(`${key} removed: KMS key of ${keyRegion} is not usable in ${region}`);
    }
  }
}
