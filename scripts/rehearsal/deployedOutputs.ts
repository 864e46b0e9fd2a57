/** The outputs a deployment of the dr or prod stack reports where an offline evaluation knows no names. */
import { PlannedResource } from "../plan/engine";
import { vaultArn } from "../simulation/backupJobs";
import { SeedSecret, secretArn } from "../simulation/secretsManager";
import { RehearsalEstate, physicalId } from "./estate";
import { deployedCompute } from "./rehearsedCompute";

/**
 * Outputs a deployment would report, from what the offline evaluation planned and the outputs it evaluated
 * (with `<unknown>` where AWS assigns the value).
 */
export type DeployedOutputs = (
  planned: readonly PlannedResource[],
  evaluated: Readonly<Record<string, unknown>>,
) => Record<string, unknown>;

const CREDENTIAL_SUFFIX = "-db-credential";

/** A credential secret the program defines: its logical name, and its region and name as the simulation seeds it. */
interface PlannedSecret {
  readonly logicalName: string;
  readonly seed: SeedSecret;
}

/**
 * The application's database credential secrets a stack's program defines (stacks/databaseCredential.ts:
 * the first database's `<name>-db-credential`, each further one's `<name>-<database>-db-credential`): their
 * regions and names, known at preview, so the rehearsal creates them in the simulation as `pulumi up` would
 * have. Empty for a program without one.
 */
function plannedSecrets(planned: readonly PlannedResource[]): PlannedSecret[] {
  return planned.flatMap((r) => {
    const { name, region } = r.inputs;
    return r.type === "aws:secretsmanager/secret:Secret" &&
      r.name.endsWith(CREDENTIAL_SUFFIX) &&
      typeof name === "string" &&
      typeof region === "string"
      ? [{ logicalName: r.name, seed: { region, name } }]
      : [];
  });
}

/** Every database credential secret of a stack's program, to seed the simulation with. */
export function credentialSecrets(planned: readonly PlannedResource[]): SeedSecret[] {
  return plannedSecrets(planned).map((s) => s.seed);
}

/**
 * The secret of each of `databases` (the keys of the stack's `dbCredentialSecretArns`, in inventory order):
 * `<name>-<database>-db-credential`, the first database's the stack's single `<name>-db-credential` (the
 * shortest logical name, of which every other is an extension).
 */
function databaseSecrets(
  planned: readonly PlannedResource[],
  databases: readonly string[],
): Record<string, SeedSecret> {
  const secrets = plannedSecrets(planned);
  const [first] = [...secrets].sort((a, b) => a.logicalName.length - b.logicalName.length);
  if (!first) return {};
  const base = first.logicalName.slice(0, -CREDENTIAL_SUFFIX.length);
  return Object.fromEntries(
    databases.flatMap((database) => {
      const own = secrets.find((s) => s.logicalName === `${base}-${database}${CREDENTIAL_SUFFIX}`);
      return [[database, (own ?? first).seed]];
    }),
  );
}

/**
 * Names and ids AWS would assign a deployment of `stack` (its network, vaults, roles, load balancer,
 * Auto Scaling group or ECS service, credential secrets), the same for the same stack and name, with the health check the rehearsal serves
 * at `healthUrl`. `appBucketName` is the bucket the stack's application uses: dr's replica, prod's own.
 */
export function deployedOutputs(
  estate: RehearsalEstate,
  stack: string,
  healthUrl: string,
  appBucketName: string | undefined,
): DeployedOutputs {
  const id = (prefix: string, name: string) => physicalId(prefix, stack, name);
  return (planned, evaluated) => {
    const [secret] = [...plannedSecrets(planned)].sort((a, b) => a.logicalName.length - b.logicalName.length);
    const declared = evaluated.dbCredentialSecretArns;
    const databases =
      typeof declared === "object" && declared !== null ? Object.keys(declared as object) : [];
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
      compute: deployedCompute(stack, planned),
      replicaBuckets: estate.replicaBuckets,
      appBucketName,
      // One secret per database (the rehearsal seeds each): the recovery writes each restored database's
      // credential into its own (core/credentialTarget.ts).
      ...(secret && {
        dbCredentialSecretArn: secretArn(secret.seed.region, secret.seed.name),
        dbCredentialSecretArns: Object.fromEntries(
          Object.entries(databaseSecrets(planned, databases)).map(([database, seed]) => [
            database,
            secretArn(seed.region, seed.name),
          ]),
        ),
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
