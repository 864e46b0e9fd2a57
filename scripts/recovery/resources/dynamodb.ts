// DynamoDB: how a table's recovery point is named, restored, tagged with PITR on, wired and deleted.
import {
  UntagResourceCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  TagResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import { expectState, ResourceRecovery } from "./resourceRecovery";

/**
 * A DynamoDB table (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-dynamodb.html):
 * restored under a new table name.
 */
export const dynamodb: ResourceRecovery = {
  /** DynamoDB UntagResource (table ARN, TagKeys). */
  async removeSelectionTags(clients, arn, tags) {
    await clients.dynamodb.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: Object.keys(tags) }));
  },
  copyNeedsAdvancedBackup: true,
  type: "DynamoDB",
  dataKind: "dynamodb",
  // Table names: [A-Za-z0-9_.-], at most 255.
  nameRule: { maxLength: 255, lowerCase: false, invalid: /[^A-Za-z0-9_.-]/g },
  idIsName: true,
  metadataKeys: [
    "deletionProtection",
    "encryptionType",
    "kmsMasterKeyArn",
    "originalTableName",
    "targetTableName",
  ],
  restoreFixes: { nameKey: "targetTableName", quotaService: "dynamodb" },
  deletionProtectionKey: "deletionProtection",
  placeRestore(meta, _notes, { targetName }) {
    meta.set("targetTableName", targetName);
  },
  drConfig: { role: "table", nameKey: "restoredTableName" },
  // A restored table comes back without its tags (its restore cannot copy them: AWS Backup developer guide,
  // "Restore a backup by resource type", Copy tags during a restore) and without point-in-time recovery
  // (DynamoDB developer guide, "Restoring a DynamoDB table from a backup": PITR, tags, auto scaling... must
  // be set again). Tagged with prod's selection tags, the plan that selects by them backs it up.
  async protectRestored(clients, { id, arn }, settings) {
    const tableArn =
      arn ?? (await clients.dynamodb.send(new DescribeTableCommand({ TableName: id })))?.Table?.TableArn;
    const tags = Object.entries(settings.selectionTags).map(([Key, Value]) => ({ Key, Value }));
    if (tags.length > 0) {
      if (!tableArn) {
        throw new Error(`DescribeTable gave no TableArn for ${id}`);
      }
      await clients.dynamodb.send(new TagResourceCommand({ ResourceArn: tableArn, Tags: tags }));
    }
    await clients.dynamodb.send(
      new UpdateContinuousBackupsCommand({
        TableName: id,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    return `table ${id} tagged ${tags.map((t) => `${t.Key}=${t.Value}`).join(",") || "(no tags)"}, point-in-time recovery on`;
  },
  async verify(clients, id) {
    const out = await clients.dynamodb.send(new DescribeTableCommand({ TableName: id }));
    return expectState("table", id, out.Table?.TableStatus, ["ACTIVE"]);
  },
  async delete(clients, id) {
    // DeleteTable refuses a table with deletion protection (DynamoDB developer guide, "Using deletion
    // protection"): a copy restored before drills restored theirs unprotected has it turned off first.
    const described = await clients.dynamodb.send(new DescribeTableCommand({ TableName: id }));
    const unprotected = described?.Table?.DeletionProtectionEnabled === true;
    if (unprotected) {
      await clients.dynamodb.send(
        new UpdateTableCommand({ TableName: id, DeletionProtectionEnabled: false }),
      );
    }
    await clients.dynamodb.send(new DeleteTableCommand({ TableName: id }));
    return `table ${id} deleting${unprotected ? " (deletion protection turned off first)" : ""}`;
  },
};
