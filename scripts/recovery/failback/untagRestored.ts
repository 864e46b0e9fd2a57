// The selection tags taken off restored resources a failback moved away from, so no plan keeps backing up their stale data.
import { RemoveTagsFromResourceCommand } from "@aws-sdk/client-rds";
import { UntagResourceCommand } from "@aws-sdk/client-dynamodb";
import { DeleteTagsCommand } from "@aws-sdk/client-ec2";
import { AwsClients } from "../../aws/clients";
import { describeAwsError } from "../../aws/errors";
import { DR_CONFIG_KEYS } from "../drStack";
import { ResourceType } from "../resources/types";

/** A restored resource the application no longer uses: its type and ARN. */
export interface MovedAway {
  readonly resourceType: ResourceType;
  readonly arn: string;
}

/**
 * Removes the selection tags from one resource of the clients' region, so the plan that selects by them
 * (the dr stack's restored-data plan in the DR region, prod's own in the primary region) stops backing it
 * up: RDS RemoveTagsFromResource (instance or cluster ARN, TagKeys), DynamoDB UntagResource (table ARN,
 * TagKeys), EC2 DeleteTags (volume id; each tag with its value, so a tag someone set to another value stays).
 * Other types carry no selection tag of a failback's and are left alone.
 * @returns what it did, or undefined for a type it leaves alone
 */
export async function removeSelectionTags(
  clients: AwsClients,
  resource: MovedAway,
  tags: Readonly<Record<string, string>>,
): Promise<string | undefined> {
  const keys = Object.keys(tags);
  if (keys.length === 0) return undefined;
  switch (resource.resourceType) {
    case "RDS":
    case "Aurora":
      await clients.rds.send(
        new RemoveTagsFromResourceCommand({ ResourceName: resource.arn, TagKeys: keys }),
      );
      break;
    case "DynamoDB":
      await clients.dynamodb.send(new UntagResourceCommand({ ResourceArn: resource.arn, TagKeys: keys }));
      break;
    case "EBS": {
      const volumeId = resource.arn.split("/").pop() ?? resource.arn;
      await clients.ec2.send(
        new DeleteTagsCommand({
          Resources: [volumeId],
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      break;
    }
    default:
      return undefined;
  }
  return `${resource.resourceType} ${resource.arn}: ${keys.join(", ")} removed`;
}

/**
 * {@link removeSelectionTags} on each resource, one failure not stopping the others.
 * @returns a line per resource done, and one per failure (with AWS's answer)
 */
export async function removeSelectionTagsAll(
  clients: AwsClients,
  resources: readonly MovedAway[],
  tags: Readonly<Record<string, string>>,
): Promise<{ done: string[]; failed: string[] }> {
  const done: string[] = [];
  const failed: string[] = [];
  for (const resource of resources) {
    try {
      const line = await removeSelectionTags(clients, resource, tags);
      if (line) done.push(line);
    } catch (err) {
      failed.push(`${resource.resourceType} ${resource.arn}: ${describeAwsError(err)}`);
    }
  }
  return { done, failed };
}

/**
 * The resources a previous failback restored that prod used until this one's prod-data: the values of
 * prod's `restored*` keys before prod-data (`before`) that named an `fb-` resource (database, table) or a
 * volume (a volume id in prod's config comes only from a failback), and that this run's config no longer
 * names (`after`). ARNs in the primary region; a database is taken for a DB instance (an Aurora
 * cluster's fb- copy is not recognised here).
 */
export function replacedFailbackResources(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
  region: string,
  account: string,
): MovedAway[] {
  const replaced = (key: string) => {
    const value = before[key];
    return value !== undefined && value !== after[key] ? value : undefined;
  };
  const found: MovedAway[] = [];
  const db = replaced(DR_CONFIG_KEYS.restoredDbInstanceId);
  if (db?.startsWith("fb-")) {
    found.push({ resourceType: "RDS", arn: `arn:aws:rds:${region}:${account}:db:${db}` });
  }
  const table = replaced(DR_CONFIG_KEYS.restoredTableName);
  if (table?.startsWith("fb-")) {
    found.push({ resourceType: "DynamoDB", arn: `arn:aws:dynamodb:${region}:${account}:table/${table}` });
  }
  const volume = replaced(DR_CONFIG_KEYS.restoredVolumeId);
  if (volume) {
    found.push({ resourceType: "EBS", arn: `arn:aws:ec2:${region}:${account}:volume/${volume}` });
  }
  return found;
}
