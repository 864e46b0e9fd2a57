import { dropIfPresent, MetadataMap } from "./metadata";
import { DrConfigRole, RestorePlacement, NameRule } from "./resourceRecovery";

/** RDS and Aurora identifiers: letters, digits and single hyphens, at most 63, lower case. */
export const DB_IDENTIFIER_RULE: NameRule = { maxLength: 63, lowerCase: true, invalid: /[^a-z0-9-]/g };

/** Where the RDS and Aurora restore metadata differ. */
export interface DatabaseKeys {
  /** The key of the new identifier: `DBInstanceIdentifier` or `DBClusterIdentifier`. */
  readonly identifier: string;
  /** The key of the source's placement: `AvailabilityZone` or `AvailabilityZones`. */
  readonly zones: string;
  /** What {@link zones} names, for the note. */
  readonly zonesWhat: string;
  /** The key of the parameter group: `DBParameterGroupName` or `DBClusterParameterGroupName`. */
  readonly parameterGroup: string;
}

/**
 * An RDS instance or Aurora cluster in the dr stack's DB subnet group and DB security group, with what
 * belongs to the source region removed: its availability zones, custom parameter and option groups, and
 * its directory (Domain).
 */
export function placeDatabase(
  meta: MetadataMap,
  notes: string[],
  placement: RestorePlacement,
  keys: DatabaseKeys,
): void {
  const net = placement.network;
  meta.set(keys.identifier, placement.targetName);
  meta.set("DBSubnetGroupName", placement.need(net.dbSubnetGroupName, "dbSubnetGroupName"));
  meta.setList("VpcSecurityGroupIds", [placement.need(net.dbSecurityGroupId, "dbSecurityGroupId")]);
  dropIfPresent(meta, notes, keys.zones, keys.zonesWhat);
  dropCustomDbGroups(meta, notes, [keys.parameterGroup, "OptionGroupName"]);
  dropIfPresent(meta, notes, "Domain", "a directory of the source region");
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

/** `host:port` (or just the host when the port is unknown). */
export function endpointOf(address: string | undefined, port: number | undefined): string | undefined {
  return address ? `${address}${port ? `:${port}` : ""}` : undefined;
}

/** The dr stack takes one database: its identifier at once, its endpoint once restored. */
export const DB_CONFIG: DrConfigRole = {
  role: "db",
  nameKey: "restoredDbInstanceId",
  result: {
    key: "restoredDbEndpoint",
    value: (record) => record.endpoint,
    preview: (plan) => `<endpoint of ${plan.targetName ?? plan.resourceName}, when restored>`,
  },
};
