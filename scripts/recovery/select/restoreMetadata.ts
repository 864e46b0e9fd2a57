import { DrError } from "../../errors";
import { checkMetadataKey } from "./restoreMetadataKeys";
import { ResourceType, parseResourceType, regionOfArn } from "../resourceTypes";

/** The parts of the dr stack's network that restored resources are placed into. */
export interface RestoreNetwork {
  readonly vpcId?: string;
  readonly privateSubnetIds: readonly string[];
  readonly availabilityZones: readonly string[];
  readonly appSecurityGroupId?: string;
  readonly dbSecurityGroupId?: string;
  readonly dbSubnetGroupName?: string;
}

/** `--metadata <type>.<key>=<value>` overrides, by resource type, in the order given. */
export type MetadataOverrides = ReadonlyMap<ResourceType, ReadonlyArray<readonly [string, string]>>;

/**
 * Parses repeated `--metadata <type>.<key>=<value>` flags. The key keeps its case (AWS reads some
 * keys case-sensitively); an empty value removes the key from the restore metadata.
 */
export function parseMetadataOverrides(values: readonly string[]): MetadataOverrides {
  const result = new Map<ResourceType, Array<readonly [string, string]>>();
  for (const value of values) {
    const match = /^([^.=]+)\.([^=]+)=(.*)$/s.exec(value);
    if (!match) {
      throw new DrError(
        `--metadata '${value}' must look like <type>.<key>=<value>, e.g. rds.DBInstanceClass=db.r6g.large`,
      );
    }
    const type = parseResourceType(match[1], `--metadata '${value}'`);
    const key = match[2].trim();
    checkMetadataKey(type, key, `--metadata '${value}'`);
    const list = result.get(type) ?? [];
    list.push([key, match[3]]);
    result.set(type, list);
  }
  return result;
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
  /** This type's `--metadata` overrides, applied last. */
  readonly overrides?: ReadonlyArray<readonly [string, string]>;
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
  const net = input.network;
  const need = (value: string | undefined, output: string): string => {
    if (!value) {
      throw new DrError(
        `the dr stack has no '${output}' output, needed to restore ${input.resourceType} into the DR network`,
      );
    }
    return value;
  };

  switch (input.resourceType) {
    case "RDS":
      meta.set("DBInstanceIdentifier", input.targetName);
      meta.set("DBSubnetGroupName", need(net.dbSubnetGroupName, "dbSubnetGroupName"));
      meta.setList("VpcSecurityGroupIds", [need(net.dbSecurityGroupId, "dbSecurityGroupId")]);
      dropIfPresent(meta, notes, "AvailabilityZone", "the source region's availability zone");
      dropCustomDbGroups(meta, notes, ["DBParameterGroupName", "OptionGroupName"]);
      dropIfPresent(meta, notes, "Domain", "a directory of the source region");
      break;
    case "Aurora":
      meta.set("DBClusterIdentifier", input.targetName);
      meta.set("DBSubnetGroupName", need(net.dbSubnetGroupName, "dbSubnetGroupName"));
      meta.setList("VpcSecurityGroupIds", [need(net.dbSecurityGroupId, "dbSecurityGroupId")]);
      dropIfPresent(meta, notes, "AvailabilityZones", "the source region's availability zones");
      dropCustomDbGroups(meta, notes, ["DBClusterParameterGroupName", "OptionGroupName"]);
      dropIfPresent(meta, notes, "Domain", "a directory of the source region");
      notes.push("AWS Backup restores an Aurora cluster without DB instances: the dr stack must add one");
      break;
    case "EC2":
      placeEc2InDrRegion(meta, notes, net, need, input.region);
      break;
    case "EBS":
      meta.set("availabilityZone", need(net.availabilityZones[0], "availabilityZones"));
      break;
    case "DynamoDB":
      meta.set("targetTableName", input.targetName);
      break;
    case "EFS":
      meta.set("newFileSystem", "true");
      meta.set("CreationToken", input.targetName);
      break;
    case "S3":
      meta.set("DestinationBucketName", input.targetName);
      meta.set("NewBucket", "true");
      break;
  }

  rewriteForeignKmsKeys(meta, notes, input.region);
  dropForeignArns(meta, notes, input.region);

  for (const [key, value] of input.overrides ?? []) {
    if (value === "") {
      meta.delete(key);
      notes.push(`${key} removed (--metadata)`);
    } else {
      meta.set(key, value);
      notes.push(`${key}=${value} (--metadata)`);
    }
  }
  return { metadata: meta.toRecord(), notes };
}

/**
 * EC2 keys bound to the source region (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ec2.html):
 * the subnet, security groups and VPC are replaced by the dr stack's; network interfaces go;
 * key pairs are regional, so the source's key pair name would fail the restore where it does
 * not exist; of the placement only the tenancy is kept (zones, placement groups, hosts and host
 * resource groups are regional); a capacity reservation target is a reservation of the source
 * region. The instance profile is kept: IAM is global (the restore role needs iam:PassRole on
 * its role, as the page says).
 */
function placeEc2InDrRegion(
  meta: MetadataMap,
  notes: string[],
  net: RestoreNetwork,
  need: (value: string | undefined, output: string) => string,
  region: string,
): void {
  meta.set("SubnetId", need(net.privateSubnetIds[0], "privateSubnetIds"));
  meta.setList("SecurityGroupIds", [need(net.appSecurityGroupId, "appSecurityGroupId")]);
  if (meta.has("vpcId")) {
    meta.set("vpcId", need(net.vpcId, "vpcId"));
  }
  dropIfPresent(meta, notes, "NetworkInterfaces", "source-region network interfaces");
  const keyName = meta.get("KeyName");
  if (keyName !== undefined) {
    meta.delete("KeyName");
    notes.push(
      `KeyName '${keyName}' removed: key pairs are regional, the instance starts without one (pass --metadata ec2.KeyName=<a key pair in ${region}> to set one)`,
    );
  }
  keepJsonFields(meta, notes, "Placement", ["Tenancy"], "placement of the source region");
  keepJsonFields(
    meta,
    notes,
    "CapacityReservationSpecification",
    ["CapacityReservationPreference"],
    "a capacity reservation of the source region",
  );
  const profile = meta.get("IamInstanceProfileName");
  if (profile !== undefined) {
    notes.push(
      `IamInstanceProfileName '${profile}' kept: IAM is global; the restore role needs iam:PassRole on its role`,
    );
  }
}

/**
 * Keeps only `keep` of a JSON object value; the key goes when nothing is left (or the value is not
 * a JSON object, which cannot be read safely).
 */
function keepJsonFields(meta: MetadataMap, notes: string[], key: string, keep: string[], what: string): void {
  const raw = meta.get(key);
  if (raw === undefined) {
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    dropIfPresent(meta, notes, key, what);
    return;
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  const kept = entries.filter(([k, v]) => keep.includes(k) && v !== "" && v !== null);
  const removed = entries.filter(([k, v]) => !keep.includes(k) && v !== "" && v !== null).map(([k]) => k);
  if (removed.length === 0) {
    return;
  }
  if (kept.length === 0) {
    meta.delete(key);
    notes.push(`${key} removed: ${what} (${removed.join(", ")})`);
    return;
  }
  meta.set(key, JSON.stringify(Object.fromEntries(kept)));
  notes.push(`${key}: ${removed.join(", ")} removed (${what}), ${kept.map(([k]) => k).join(", ")} kept`);
}

// Parameter and option groups are regional: a custom one of the source region does not exist in
// the DR region and fails the restore; the engine's default groups exist in every region.
function dropCustomDbGroups(meta: MetadataMap, notes: string[], keys: string[]): void {
  for (const key of keys) {
    const value = meta.get(key);
    if (value !== undefined && !/^default[.:]/.test(value)) {
      meta.delete(key);
      notes.push(
        `${key} '${value}' removed: a group of the source region; the restore uses the engine default (create the group in the DR region and pass it with --metadata)`,
      );
    }
  }
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

function dropIfPresent(meta: MetadataMap, notes: string[], key: string, what: string): void {
  if (meta.has(key)) {
    meta.delete(key);
    notes.push(`${key} removed: ${what}`);
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

/**
 * Restore metadata keys are matched case-insensitively ("not case sensitive" per AWS), but the
 * key spelling AWS returned is kept when a value is replaced.
 */
class MetadataMap {
  private readonly values = new Map<string, { key: string; value: string }>();

  constructor(initial: Readonly<Record<string, string>>) {
    for (const [key, value] of Object.entries(initial)) {
      this.values.set(key.toLowerCase(), { key, value });
    }
  }

  has(key: string): boolean {
    return this.values.has(key.toLowerCase());
  }

  get(key: string): string | undefined {
    return this.values.get(key.toLowerCase())?.value;
  }

  set(key: string, value: string): void {
    const existing = this.values.get(key.toLowerCase());
    this.values.set(key.toLowerCase(), { key: existing?.key ?? key, value });
  }

  /** Lists keep the format AWS used for the key: a JSON array, or comma-separated. */
  setList(key: string, items: readonly string[]): void {
    const existing = this.values.get(key.toLowerCase());
    const commaSeparated = existing !== undefined && !existing.value.trim().startsWith("[");
    this.set(key, commaSeparated ? items.join(",") : JSON.stringify(items));
  }

  delete(key: string): void {
    this.values.delete(key.toLowerCase());
  }

  entries(): Array<[string, string]> {
    return [...this.values.values()].map(({ key, value }) => [key, value]);
  }

  toRecord(): Record<string, string> {
    return Object.fromEntries(this.entries());
  }
}
