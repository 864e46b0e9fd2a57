/** The outputs a deployment of the dr or prod stack reports where an offline evaluation knows no names. */
import { PlannedResource } from "../plan/engine";
import { vaultArn } from "../simulation/backupJobs";
import { SeedSecret, secretArn } from "../simulation/secretsManager";
import { RehearsalEstate, physicalId } from "./estate";

/** Outputs a deployment would report, from what the offline evaluation planned. */
export type DeployedOutputs = (planned: readonly PlannedResource[]) => Record<string, unknown>;

/**
 * The application's database credential secret a stack's program defines (stacks/databaseCredential.ts,
 * logical name `<name>-db-credential`): its region and name, both known at preview, so the rehearsal
 * creates it in the simulation as `pulumi up` would have. Undefined for a program without one.
 */
export function credentialSecret(planned: readonly PlannedResource[]): SeedSecret | undefined {
  const secret = planned.find(
    (r) => r.type === "aws:secretsmanager/secret:Secret" && r.name.endsWith("-db-credential"),
  );
  const { name, region } = secret?.inputs ?? {};
  return typeof name === "string" && typeof region === "string" ? { region, name } : undefined;
}

/**
 * Names and ids AWS would assign a deployment of `stack` (its network, vaults, roles, load balancer,
 * credential secret), the same for the same stack and name, with the health check the rehearsal serves
 * at `healthUrl`. `appBucketName` is the bucket the stack's application uses: dr's replica, prod's own.
 */
export function deployedOutputs(
  estate: RehearsalEstate,
  stack: string,
  healthUrl: string,
  appBucketName: string | undefined,
): DeployedOutputs {
  const id = (prefix: string, name: string) => physicalId(prefix, stack, name);
  return (planned) => {
    const secret = credentialSecret(planned);
    return {
      drVaultName: estate.drVaultName,
      primaryVaultName: estate.primaryVaultName,
      ...(estate.isolatedVaultName && {
        isolatedVaultName: estate.isolatedVaultName,
        isolatedVaultArn: vaultArn(estate.drRegion, estate.isolatedVaultName),
      }),
      backupRoleArn: estate.backupRoleArn,
      vpcId: id("vpc", "app-vpc"),
      privateSubnetIds: privateSubnetIds(stack),
      publicSubnetIds: [id("subnet", "public-a"), id("subnet", "public-b")],
      appSecurityGroupId: id("sg", "app-sg"),
      dbSecurityGroupId: id("sg", "app-db-sg"),
      dbSubnetGroupName: `${stack}-app-db-subnets`,
      loadBalancerDnsName: loadBalancerDnsName(healthUrl),
      healthCheckUrl: healthUrl,
      replicaBuckets: estate.replicaBuckets,
      appBucketName,
      // The rehearsal creates the first database's secret only: the recovery writes the first database's
      // credential into it (core/credentialTarget.ts falls back to dbCredentialSecretArn), and warns that a
      // further database keeps its snapshot's password.
      ...(secret && {
        dbCredentialSecretArn: secretArn(secret.region, secret.name),
        dbCredentialSecretArns: {},
      }),
    };
  };
}

/** The private subnets a deployment of `stack` reports: where its Auto Scaling group runs. */
export function privateSubnetIds(stack: string): string[] {
  return [physicalId("subnet", stack, "private-a"), physicalId("subnet", stack, "private-b")];
}

/** The load balancer's name a stack reports: the host of the health check the rehearsal serves for it. */
export function loadBalancerDnsName(healthUrl: string): string {
  return new URL(healthUrl).host;
}
