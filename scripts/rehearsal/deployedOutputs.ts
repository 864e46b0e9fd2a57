/** The outputs a deployment of the dr or prod stack reports where an offline evaluation knows no names. */
import { RehearsalEstate, physicalId } from "./estate";

/**
 * Names and ids AWS would assign a deployment of `stack` (its network, vaults, roles, load balancer),
 * the same for the same stack and name, with the health check the rehearsal serves at `healthUrl`.
 * `appBucketName` is the bucket the stack's application uses: dr's replica, prod's own.
 */
export function deployedOutputs(
  estate: RehearsalEstate,
  stack: string,
  healthUrl: string,
  appBucketName: string | undefined,
): Record<string, unknown> {
  const id = (prefix: string, name: string) => physicalId(prefix, stack, name);
  return {
    drVaultName: estate.drVaultName,
    primaryVaultName: estate.primaryVaultName,
    backupRoleArn: estate.backupRoleArn,
    vpcId: id("vpc", "app-vpc"),
    privateSubnetIds: [id("subnet", "private-a"), id("subnet", "private-b")],
    publicSubnetIds: [id("subnet", "public-a"), id("subnet", "public-b")],
    appSecurityGroupId: id("sg", "app-sg"),
    dbSecurityGroupId: id("sg", "app-db-sg"),
    dbSubnetGroupName: `${stack}-app-db-subnets`,
    loadBalancerDnsName: new URL(healthUrl).host,
    healthCheckUrl: healthUrl,
    replicaBuckets: estate.replicaBuckets,
    appBucketName,
  };
}
