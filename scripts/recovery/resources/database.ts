// What RDS and Aurora share: identifier rule, subnet group, security groups, endpoint, tags, windows.
import {
  AddTagsToResourceCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  RemoveTagsFromResourceCommand,
} from "@aws-sdk/client-rds";
import type { RestoredSettings } from "../../../stacks/drContract";
import { AwsClients } from "../../aws/clients";
import { dropIfPresent, MetadataMap } from "./metadata";
import { DrConfigRole, RestorePlacement, NameRule, RestoredCopy } from "./resourceRecovery";

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

/**
 * A restored DB instance or cluster made like prod's: prod's selection tags (also copied by the restore,
 * StartRestoreJob `CopySourceTagsToRestoredResource`; added again so that a copy of a point that lacked them
 * is selected too) and prod's backup and maintenance windows. `PreferredBackupWindow` is not a restore key:
 * without this RDS draws "a 30-minute window selected at random from an 8-hour block of time for each AWS
 * Region" (RDS API reference, ModifyDBInstance / CreateDBInstance PreferredBackupWindow), and AWS Backup
 * starts no backup within an hour before or during either window (AWS Backup developer guide, "Backup plan
 * options and configuration"). Windows apply at once (RDS user guide, "Modifying an Amazon RDS DB
 * instance": neither waits for the maintenance window).
 */
export async function protectDatabase(
  clients: AwsClients,
  kind: "instance" | "cluster",
  { id, arn }: RestoredCopy,
  settings: RestoredSettings,
): Promise<string> {
  const done: string[] = [];
  const tags = Object.entries(settings.selectionTags).map(([Key, Value]) => ({ Key, Value }));
  if (arn && tags.length > 0) {
    await clients.rds.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: tags }));
    done.push(`tagged ${tags.map((t) => `${t.Key}=${t.Value}`).join(",")}`);
  }
  const windows = {
    ...(settings.backupWindow && { PreferredBackupWindow: settings.backupWindow }),
    ...(settings.maintenanceWindow && { PreferredMaintenanceWindow: settings.maintenanceWindow }),
  };
  if (Object.keys(windows).length > 0) {
    if (kind === "instance") {
      await clients.rds.send(
        new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, ApplyImmediately: true, ...windows }),
      );
    } else {
      await clients.rds.send(
        new ModifyDBClusterCommand({ DBClusterIdentifier: id, ApplyImmediately: true, ...windows }),
      );
    }
    done.push(
      `windows backup ${settings.backupWindow ?? "(RDS's)"}, maintenance ${settings.maintenanceWindow ?? "(RDS's)"}`,
    );
  }
  return `DB ${kind} ${id}: ${done.join("; ") || "nothing to set"}`;
}

/** ResourceRecovery.removeSelectionTags of RDS instances and Aurora clusters: RDS RemoveTagsFromResource. */
export async function removeDatabaseTags(
  clients: AwsClients,
  arn: string,
  tags: Readonly<Record<string, string>>,
): Promise<void> {
  await clients.rds.send(
    new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: Object.keys(tags) }),
  );
}
