// AWS Backup's settings of one region (service opt-in, advanced DynamoDB backup): each stack owns its region's.
import * as aws from "@pulumi/aws";

/**
 * The resource types whose opt-in each stack turns on in its region: what the stacks' data is and what
 * a recovery or failback restores (RDS, DynamoDB, EBS, S3), and the other types recovery supports.
 * AWS Backup backs up no resource of a type not opted in there, whatever the plan selects (AWS Backup
 * API, UpdateRegionSettings, `ResourceTypeOptInPreference`). Types left out keep their current setting:
 * UpdateRegionSettings changes only the types it names.
 */
export const OPTED_IN_TYPES = ["Aurora", "DynamoDB", "EBS", "EC2", "EFS", "RDS", "S3"] as const;

/**
 * AWS Backup's settings of `region`: the types of {@link OPTED_IN_TYPES} opted in, and DynamoDB tables
 * managed by AWS Backup (advanced DynamoDB backup), without which a table's recovery point is a
 * DynamoDB-native backup that AWS Backup cannot copy to another region (developer guide, "Advanced
 * DynamoDB backup"). Both settings are per region (UpdateRegionSettings: "for the Region"), so prod sets
 * its region's (its copies to DR) and dr its own (a failback's copies back). One resource per account and
 * region (terraform-provider-aws internal/service/backup/region_settings.go: the id is the region), so
 * no other stack of the account may declare one for the same region. Deleting it is a no-op in the
 * provider (`schema.NoopContext`): the settings stay when the stack goes, never silently turned off;
 * `retainOnDelete` says so in the stack too.
 *
 * Both maps are `ignoreChanges`: the provider's Read stores the whole maps DescribeRegionSettings answers
 * (every type AWS supports in the region, and EFS beside DynamoDB in the management map), and the opt-in
 * map is Required, not Computed (region_settings.go; hashicorp/terraform-provider-aws#22744), so the
 * types named here would differ from the state on every `up` and call UpdateRegionSettings each time
 * (the failback's three updates of prod and dr included). Declaring the full map instead would set
 * types other teams of the account own and go stale whenever AWS adds a type. So the settings are set
 * when the resource is created; a later change of {@link OPTED_IN_TYPES} needs
 * `pulumi up --replace <urn>` (stacks/README.md), and the failback's preflight checks the DR region's
 * advanced DynamoDB backup at run time (DescribeRegionSettings).
 */
export function defineBackupRegionSettings(name: string, region: string): aws.backup.RegionSettings {
  return new aws.backup.RegionSettings(
    `${name}-backup-region-settings`,
    {
      region,
      resourceTypeOptInPreference: Object.fromEntries(OPTED_IN_TYPES.map((type) => [type, true])),
      resourceTypeManagementPreference: { DynamoDB: true },
    },
    {
      retainOnDelete: true,
      ignoreChanges: ["resourceTypeOptInPreference", "resourceTypeManagementPreference"],
    },
  );
}
