/** The preflight's check that AWS Backup can copy the failback's DynamoDB backups out of the DR region. */
import { BackupClient, DescribeRegionSettingsCommand } from "@aws-sdk/client-backup";
import { describeAwsError } from "../../aws/errors";
import { DrError } from "../../errors";
import { resourceOf } from "../resources/registry";
import { FailbackResource } from "./journal";

/**
 * Refuses, before anything starts, a failback with a DynamoDB table when advanced DynamoDB backup is off in
 * the DR region. The setting is per region (AWS Backup API, UpdateRegionSettings: "Updates the current
 * service opt-in settings for the Region"); it is on when both `ResourceTypeManagementPreference` and
 * `ResourceTypeOptInPreference` say `DynamoDB: true`, and only a DynamoDB backup taken while it is on can be
 * copied across Regions (developer guide, "Advanced DynamoDB backup"). Without it the backup of the table in
 * the DR region is DynamoDB's own, and its copy to the primary region fails after the write freeze.
 */
export async function checkAdvancedDynamoDbBackup(
  backup: BackupClient,
  regions: { readonly drRegion: string; readonly primaryRegion: string },
  resources: readonly FailbackResource[],
): Promise<void> {
  const tables = resources
    .filter((r) => resourceOf(r.resourceType).copyNeedsAdvancedBackup === true)
    .map((r) => r.sourceName);
  if (tables.length === 0) {
    return;
  }
  const { drRegion, primaryRegion } = regions;
  let settings;
  try {
    settings = await backup.send(new DescribeRegionSettingsCommand({}));
  } catch (err) {
    throw new DrError(
      `cannot read AWS Backup's region settings in ${drRegion} (DescribeRegionSettings: ${describeAwsError(err)}): the failback copies DynamoDB table(s) ${tables.join(", ")} from there only with advanced DynamoDB backup on`,
    );
  }
  const off = (["ResourceTypeManagementPreference", "ResourceTypeOptInPreference"] as const).filter(
    (key) => settings[key]?.DynamoDB !== true,
  );
  if (off.length > 0) {
    throw new DrError(
      `advanced DynamoDB backup is off in ${drRegion} (DescribeRegionSettings: ${off.map((key) => `${key} DynamoDB is not true`).join(", ")}): the failback's backup of DynamoDB table(s) ${tables.join(", ")} there would be a DynamoDB backup, which AWS Backup cannot copy to ${primaryRegion}. The setting is per region: turn it on with 'aws backup update-region-settings --region ${drRegion} --resource-type-opt-in-preference DynamoDB=true --resource-type-management-preference DynamoDB=true' and re-run`,
    );
  }
}
