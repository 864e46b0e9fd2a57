// Where a failback restores in the primary region: prod's subnets and security groups as restore metadata.
import { RestoreMetadataResult, buildRestoreMetadata } from "../core/restoreMetadata";
import { FailbackResource } from "./journal";
import { DrOutputs } from "../../dependencies";

/** Where failed-back data is restored: the primary region, in the prod stack's network. */
export interface PrimaryPlacement {
  readonly primaryRegion: string;
  readonly prodOutputs: DrOutputs;
  readonly prodStackName: string;
}

/**
 * The StartRestoreJob metadata of a restore in the primary region: the copied point's own metadata
 * (`base`), placed by the resource type's module as recover places a restore in DR, with prod's network
 * (its DB subnet group and security groups, subnets, zones) and the `fb-`/`fbdrill-` name. A prod stack
 * without an output the type needs is an error naming it. A drill's copies (`disposable`) are restored without
 * deletion protection, so that its cleanup can delete them.
 */
export function primaryRestoreMetadata(
  resource: FailbackResource,
  base: Readonly<Record<string, string>>,
  placement: PrimaryPlacement,
  disposable = false,
): RestoreMetadataResult {
  return buildRestoreMetadata({
    disposable,
    resourceType: resource.resourceType,
    base,
    targetName: resource.targetName ?? "",
    region: placement.primaryRegion,
    network: placement.prodOutputs,
    networkStack: `prod stack '${placement.prodStackName}'`,
  });
}
