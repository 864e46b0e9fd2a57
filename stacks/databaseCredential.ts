// The application's database credential: a Secrets Manager secret in the stack's own region, and the way servers without a NAT gateway reach Secrets Manager.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Network } from "./environment";
import { defineServiceEndpoint } from "./interfaceEndpoints";

/** Arguments of {@link defineDatabaseCredential}. */
export interface DatabaseCredentialArgs {
  /** The stack's region: the secret lives there, so recovery reads and writes it in that region only. */
  readonly region: string;
  /** `primary` or `dr`, for the description. */
  readonly role: "primary" | "dr";
  readonly tags: Record<string, string>;
}

/** The credential secret's name: `<project>-<stack>-<name>-db-credential`. */
export function databaseCredentialName(name: string): string {
  return `${pulumi.getProject()}-${pulumi.getStack()}-${name}-db-credential`;
}

/**
 * The secret holding the credential of the database the recovery CLI restores for this stack's servers
 * (`{username, password, engine, host, port, dbname, dbInstanceIdentifier}`): on the dr stack the one
 * `dr recover` restores, on prod the one `dr failback` restores (`fb-`). Created in standby with no value:
 * the CLI puts one (PutSecretValue, the region's data plane) once it has reset the restored database's
 * master password, and the servers read it (GetSecretValue). Pulumi never manages its value, so an update
 * never takes it back. Encrypted with the account's `aws/secretsmanager` key: the servers need no
 * `kms:Decrypt` for it (Secrets Manager user guide, "Secret encryption and decryption").
 */
export function defineDatabaseCredential(
  name: string,
  args: DatabaseCredentialArgs,
): aws.secretsmanager.Secret {
  return new aws.secretsmanager.Secret(`${name}-db-credential`, {
    region: args.region,
    // Named, not generated: the servers' user data carries the name, known at preview, where an ARN is
    // not. A deleted secret's name stays taken for its recovery window (30 days by default).
    name: databaseCredentialName(name),
    description: `dr-app ${args.role}: the application's credential for the database the recovery CLI restored (written by dr recover / dr failback)`,
    tags: args.tags,
  });
}

/** Arguments of {@link defineDatabaseCredentials}. */
export interface DatabaseCredentialsArgs extends DatabaseCredentialArgs {
  /** The logical names of the inventory's databases (`rds` and `aurora` entries), in inventory order. */
  readonly databases: readonly string[];
}

/** The credential secrets of a stack: the first database's (and the stack's single one), then one per database. */
export interface DatabaseCredentials {
  /** The stack's `dbCredentialSecretArn` secret: the first database's, created without a database too. */
  readonly first: aws.secretsmanager.Secret;
  /** Logical name -> its secret: the first database's is {@link first}. */
  readonly byDatabase: Readonly<Record<string, aws.secretsmanager.Secret>>;
}

/**
 * One credential secret per database of the inventory, each as {@link defineDatabaseCredential} makes it,
 * all in standby already: a recovery (a failback on prod) writes each restored database's credential into
 * its entry's secret, and a flip then changes no secret. The first database keeps the stack's original
 * secret (`<project>-<stack>-app-db-credential`, the `dbCredentialSecretArn` output); each further one is
 * `<project>-<stack>-app-<logical name>-db-credential`.
 */
export function defineDatabaseCredentials(name: string, args: DatabaseCredentialsArgs): DatabaseCredentials {
  const first = defineDatabaseCredential(name, args);
  const byDatabase: Record<string, aws.secretsmanager.Secret> = {};
  args.databases.forEach((database, index) => {
    byDatabase[database] = index === 0 ? first : defineDatabaseCredential(`${name}-${database}`, args);
  });
  return { first, byDatabase };
}

/**
 * An interface endpoint for Secrets Manager in the private subnets, for servers without a NAT gateway
 * (the dr stack's always): Secrets Manager has no gateway endpoint, and without a route to it the servers
 * cannot read their credential. HTTPS from the servers' security group only; private DNS, so the AWS CLI
 * on the servers needs no endpoint setting. Billed per AZ-hour (Secrets Manager user guide, "Using an AWS
 * Secrets Manager VPC endpoint"; AWS PrivateLink pricing).
 */
export function defineSecretsManagerEndpoint(name: string, network: Network): aws.ec2.VpcEndpoint {
  return defineServiceEndpoint(
    name,
    { ...network.args, vpc: network.vpc, appSecurityGroup: network.appSecurityGroup },
    "secretsmanager",
    "Secrets Manager endpoint: HTTPS from the application servers",
  );
}
