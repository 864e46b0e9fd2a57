import type { DrSettings } from "./config";

/**
 * The dr stack outputs the recovery CLI reads (docs/CONTRACTS.md), as plain values. stacks/dr.ts exports
 * them and scripts/recovery/drStack.ts reads them; this module holds only types, so the scripts take the shape from
 * here without loading the program that registers the resources.
 */
export interface DrContractOutputs {
  readonly role: "dr";
  readonly mode: DrSettings["mode"];
  readonly region: string;
  readonly primaryRegion: string;
  readonly drVaultName: string;
  readonly primaryVaultName: string;
  readonly backupRoleArn: string;
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  readonly availabilityZones: string[];
  readonly appSecurityGroupId: string;
  readonly dbSecurityGroupId: string;
  readonly dbSubnetGroupName: string;
  readonly loadBalancerDnsName: string;
  readonly healthCheckUrl: string;
  readonly rpoMinutes: number;
  readonly rtoMinutes: number;
  /** Source bucket name -> replica bucket name, as the prod stack reports it. */
  readonly replicaBuckets: Record<string, string>;
  /**
   * ARN of the stack's Secrets Manager secret, in its own region, holding the application's database
   * credential: the recovery CLI (a failback on prod's) writes it after restoring the database, the
   * servers read it (stacks/databaseCredential.ts).
   */
  readonly dbCredentialSecretArn: string;
}

/** The outputs the program knows from its config alone; the others come from resources or from prod. */
export type DrOutputsFromConfig = "role" | "mode" | "region" | "primaryRegion";

/** The list and map outputs: the recovery CLI reads them as empty, never absent, on a half-built stack. */
export type DrCollectionOutputs =
  "privateSubnetIds" | "publicSubnetIds" | "availabilityZones" | "replicaBuckets";
