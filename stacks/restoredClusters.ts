// The DB instances of restored Aurora clusters: AWS Backup restores an Aurora cluster without any instance.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AuroraDataSettings, CONFIG_NAMESPACE, DataEntrySettings } from "./config";
import type { RestoredData } from "./drContract";
import type { Network } from "./environment";

/** Arguments of {@link defineRestoredClusterInstances}. */
export interface RestoredClusterInstancesArgs {
  readonly region: string;
  /** The stack's `data` inventory: each restored cluster's engine and instance class come from its entry. */
  readonly data: readonly DataEntrySettings[];
  /** The stack's `restoredData`: its `aurora` entries are the restored clusters. */
  readonly restoredData: RestoredData;
  /** Where the instances go: the DB subnet group the restore placed the cluster in. */
  readonly network: Network;
  /** Which restored clusters get instances here. @default every one */
  readonly restoredHere?: (name: string, id: string) => boolean;
  readonly tags: Record<string, string>;
}

/**
 * One DB instance per restored Aurora cluster (`restoredData` entries of kind `aurora`), of the engine and
 * class of the cluster's inventory entry, in the stack's DB subnet group: "AWS Backup restores your Aurora
 * cluster; it does not create or attach an Amazon RDS instance to your cluster" (AWS Backup developer
 * guide, "Restoring an Amazon Aurora cluster"), and a cluster without an instance accepts no connection.
 * The instance takes the cluster's VPC security groups (the restore sets the stack's database group on the
 * cluster; an Aurora instance has no groups of its own: RDS API CreateDBInstance, VpcSecurityGroupIds "Not
 * applicable" for Aurora). One writer instance, even where prod's entry has more (`instances`): enough to
 * serve, and the quickest to come up; the entry's other instances are the application owner's to add.
 * Deleting an instance deletes no data (the cluster volume stays), so it is not retained.
 */
export function defineRestoredClusterInstances(
  name: string,
  args: RestoredClusterInstancesArgs,
): aws.rds.ClusterInstance[] {
  const instances: aws.rds.ClusterInstance[] = [];
  for (const [logicalName, restored] of Object.entries(args.restoredData)) {
    if (restored.kind !== "aurora") continue;
    if (args.restoredHere && !args.restoredHere(logicalName, restored.id)) continue;
    const entry = args.data.find(
      (candidate): candidate is AuroraDataSettings =>
        candidate.name === logicalName && candidate.kind === "aurora",
    );
    if (entry === undefined) {
      throw new pulumi.RunError(
        `Configuration '${CONFIG_NAMESPACE}:restoredData.${logicalName}' value '${restored.id}' is a restored Aurora cluster, ` +
          `but ${CONFIG_NAMESPACE}:data holds no aurora entry named ${logicalName}: the cluster's DB instance takes its engine and ` +
          "instance class from that entry (AWS Backup restores an Aurora cluster without instances)",
      );
    }
    instances.push(
      new aws.rds.ClusterInstance(`${name}-${logicalName}-restored-1`, {
        region: args.region,
        clusterIdentifier: restored.id,
        engine: entry.engine,
        instanceClass: entry.instanceClass,
        dbSubnetGroupName: args.network.dbSubnetGroup.name,
        publiclyAccessible: false,
        tags: args.tags,
      }),
    );
  }
  return instances;
}
