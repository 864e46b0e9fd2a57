/** What a simulated restore gives the resource it creates besides its data: its tags and deletion protection. */
import { metaValue } from "./resourceStore";

/**
 * The types whose restores cannot copy the backup's tags, whatever StartRestoreJob's
 * `CopySourceTagsToRestoredResource` says: "Restores of Amazon DynamoDB, Amazon S3, SAP HANA on Amazon EC2
 * instances, virtual machines, and Amazon Timestream resources currently do not have this feature
 * available" (AWS Backup developer guide, "Restore a backup by resource type", Copy tags during a restore,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-a-backup.html#tag-on-restore).
 */
export const TAG_COPY_UNSUPPORTED: readonly string[] = ["DynamoDB", "S3", "VirtualMachine", "Timestream"];

/**
 * The tags a restored resource starts with: the recovery point's (which the backup copied from the resource,
 * AWS Backup developer guide "Copying tags onto backups", tags-on-backups.html) only when the restore asked
 * for them (StartRestoreJob `CopySourceTagsToRestoredResource`: "If this equals True, tags included in the
 * backup will be copied to the restored resource", API_StartRestoreJob.html) and the type supports it;
 * otherwise none.
 */
export function restoredTags(
  type: string,
  pointTags: Readonly<Record<string, string>> | undefined,
  copySourceTags: boolean,
): Record<string, string> {
  return copySourceTags && !TAG_COPY_UNSUPPORTED.includes(type) ? { ...(pointTags ?? {}) } : {};
}

/**
 * Whether the restore metadata asks for deletion protection: RDS and Aurora `DeletionProtection`, DynamoDB
 * `deletionProtection` (keys of the restore pages, restoring-rds.html, restoring-aur.html,
 * restoring-dynamodb.html; values "true"/"false", case as AWS Backup returns them).
 */
export function restoredDeletionProtection(type: string, metadata: Record<string, string>): boolean {
  if (type !== "RDS" && type !== "Aurora" && type !== "DynamoDB") return false;
  return metaValue(metadata, "DeletionProtection")?.toLowerCase() === "true";
}
