// The selection tags taken off restored resources a failback moved away from, so no plan keeps backing up their stale data.
import { AwsClients } from "../../aws/clients";
import { describeAwsError } from "../../aws/errors";
import { resourceOf } from "../resources/registry";
import { ResourceType } from "../resources/types";

/** A restored resource the application no longer uses: its type and ARN. */
export interface MovedAway {
  readonly resourceType: ResourceType;
  readonly arn: string;
}

/**
 * Removes the selection tags from one resource of the clients' region, so the plan that selects by them
 * (the dr stack's restored-data plan in the DR region, prod's own in the primary region) stops backing it
 * up, through its type's module (ResourceRecovery.removeSelectionTags). Types without it carry no selection
 * tag of a failback's and are left alone.
 * @returns what it did, or undefined for a type it leaves alone
 */
export async function removeSelectionTags(
  clients: AwsClients,
  resource: MovedAway,
  tags: Readonly<Record<string, string>>,
): Promise<string | undefined> {
  const keys = Object.keys(tags);
  const remove = resourceOf(resource.resourceType).removeSelectionTags;
  if (keys.length === 0 || !remove) return undefined;
  await remove(clients, resource.arn, tags);
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
