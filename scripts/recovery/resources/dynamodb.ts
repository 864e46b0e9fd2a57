import { DeleteTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { expectState, ResourceRecovery } from "./resourceRecovery";

/**
 * A DynamoDB table (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-dynamodb.html):
 * restored under a new table name.
 */
export const dynamodb: ResourceRecovery = {
  type: "DynamoDB",
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
  placeRestore(meta, _notes, { targetName }) {
    meta.set("targetTableName", targetName);
  },
  drConfig: { role: "table", nameKey: "restoredTableName" },
  async verify(clients, id) {
    const out = await clients.dynamodb.send(new DescribeTableCommand({ TableName: id }));
    return expectState("table", id, out.Table?.TableStatus, ["ACTIVE"]);
  },
  async delete(clients, id) {
    await clients.dynamodb.send(new DeleteTableCommand({ TableName: id }));
    return `table ${id} deleting`;
  },
};
