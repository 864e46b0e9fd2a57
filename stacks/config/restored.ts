/** Reads the restored identifiers (database, table, volume, bucket) either role points its servers at. */
import { validation } from "@restorekit/backup-restore-dr";
import { isRestoredName, RESTORED_NAME_PREFIXES } from "../restoredNames";
import { ConfigReader } from "./reader";
import { RestoredIdentifiers, StackSettings } from "./settings";

export function restoredBucket(reader: ConfigReader): string | undefined {
  const bucket = reader.optional("restoredBucketName");
  if (bucket !== undefined) {
    validation
      .checkSourceBucket("restoredBucketName", bucket)
      .forEach((issue) => reader.problem("restoredBucketName", bucket, issue.rule));
  }
  return bucket;
}

export function restoredTable(reader: ConfigReader, role: StackSettings["role"]): string | undefined {
  const table = reader.optional("restoredTableName", {
    pattern: /^[\w.-]{3,255}$/,
    rule: "must be a DynamoDB table name: 3-255 letters, digits, _, - and .",
  });
  // On prod the table may also be prod's own, whose generated name only the program knows (stacks/failedBack.ts).
  if (role === "dr" && table !== undefined && !isRestoredName(table)) {
    reader.problem(
      "restoredTableName",
      table,
      `must start with ${RESTORED_NAME_PREFIXES.join(" or ")}, as the recovery CLI names restored tables: the servers are granted no other table`,
    );
  }
  return table;
}

/** The restored identifiers, on either side, each of the shape its service gives it. */
export function readRestored(reader: ConfigReader, role: StackSettings["role"]): RestoredIdentifiers {
  return {
    dbEndpoint: reader.optional("restoredDbEndpoint", {
      pattern: /^[\w.-]+(:\d{1,5})?$/,
      rule: "must be host:port, e.g. restored-db.abc123.us-west-2.rds.amazonaws.com:5432",
    }),
    dbInstanceId: reader.optional("restoredDbInstanceId"),
    tableName: restoredTable(reader, role),
    volumeId: reader.optional("restoredVolumeId", {
      pattern: /^vol-[0-9a-f]{8,17}$/,
      rule: "must be an EBS volume id such as vol-0123456789abcdef0",
    }),
    bucketName: restoredBucket(reader),
  };
}
