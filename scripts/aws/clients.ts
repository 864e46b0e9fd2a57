// The AWS SDK clients of one region the CLI calls, made with adaptive retries and released after.
import { BackupClient } from "@aws-sdk/client-backup";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { EFSClient } from "@aws-sdk/client-efs";
import { RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { STSClient } from "@aws-sdk/client-sts";

/** The AWS SDK v3 clients of one region. */
export interface AwsClients {
  readonly region: string;
  readonly backup: BackupClient;
  /**
   * A second Backup client for following restore jobs: the SDK's adaptive retry mode keeps one
   * rate limiter per client, so throttled polls never slow down the starts (and the reverse).
   */
  readonly backupMonitor: BackupClient;
  readonly sts: STSClient;
  readonly rds: RDSClient;
  readonly ec2: EC2Client;
  readonly dynamodb: DynamoDBClient;
  readonly efs: EFSClient;
  readonly s3: S3Client;
  /** The stacks' database credential secrets of this region. */
  readonly secretsManager: SecretsManagerClient;
}

/** Options of {@link createAwsClients}. */
export interface AwsClientOptions {
  /** Region of every client. */
  readonly region: string;
  /**
   * Shared-config profile. Default: the SDK's standard chain, which already honours `AWS_PROFILE`,
   * environment keys, SSO, web identity and instance roles.
   */
  readonly profile?: string;
  /**
   * Attempts per call, including the first, with the SDK's `adaptive` retry mode (client-side rate
   * limiting after throttling). Default: 8, generous because a recovery must not fail on a burst of
   * `ThrottlingException`.
   */
  readonly maxAttempts?: number;
  /** Longest wait for a connection, per attempt, in ms. Default: none (the SDK's 0, the OS's own). */
  readonly connectionTimeoutMs?: number;
  /** Longest wait for an answer once connected, per attempt, in ms. Default: none (the SDK's 0). */
  readonly requestTimeoutMs?: number;
}

/** What a call to a region may spend, attempts and timeouts: {@link AwsClientOptions} without where. */
export type AwsClientBudget = Pick<
  AwsClientOptions,
  "maxAttempts" | "connectionTimeoutMs" | "requestTimeoutMs"
>;

/**
 * The budget of a read of a region that may be down (`dr status`'s reads of the primary region): two
 * attempts, 3 s to connect and 10 s to answer each, so a region that throttles, answers 5xx or never
 * answers costs seconds, not the default 8 attempts without a timeout (the SDK's NodeHttpHandler waits
 * forever when `requestTimeout` and `connectionTimeout` are 0, their default).
 */
export const REGION_MAY_BE_DOWN: AwsClientBudget = {
  maxAttempts: 2,
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 10_000,
};

/** The configuration every client of the CLI is made with: its region and profile, adaptive retries. */
export function awsClientConfig(options: AwsClientOptions) {
  const timeouts = {
    ...(options.connectionTimeoutMs !== undefined && { connectionTimeout: options.connectionTimeoutMs }),
    // @smithy/node-http-handler 4.x only warns when requestTimeout passes, unless told to throw.
    ...(options.requestTimeoutMs !== undefined && {
      requestTimeout: options.requestTimeoutMs,
      throwOnRequestTimeout: true,
    }),
  };
  return {
    region: options.region,
    retryMode: "adaptive",
    maxAttempts: options.maxAttempts ?? 8,
    ...(options.profile ? { profile: options.profile } : {}),
    // The SDK takes the HTTP handler's options as an object and makes its handler with them.
    ...(Object.keys(timeouts).length > 0 && { requestHandler: timeouts }),
  };
}

/**
 * Creates the clients for one region. Endpoints are left to the SDK, so `AWS_ENDPOINT_URL` and
 * `AWS_ENDPOINT_URL_<SERVICE>` (e.g. `AWS_ENDPOINT_URL_BACKUP`) point the CLI at any AWS-compatible
 * endpoint, and `AWS_REGION` / `AWS_PROFILE` apply as everywhere else.
 */
export function createAwsClients(options: AwsClientOptions): AwsClients {
  const config = awsClientConfig(options);
  return {
    region: options.region,
    backup: new BackupClient(config),
    backupMonitor: new BackupClient(config),
    sts: new STSClient(config),
    rds: new RDSClient(config),
    ec2: new EC2Client(config),
    dynamodb: new DynamoDBClient(config),
    efs: new EFSClient(config),
    // Path-style keeps bucket names out of the host name, which local AWS-compatible endpoints need.
    s3: new S3Client({
      ...config,
      forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL),
    }),
    secretsManager: new SecretsManagerClient(config),
  };
}

/** Releases the sockets of every client. */
export function destroyAwsClients(clients: AwsClients): void {
  for (const client of [
    clients.backup,
    clients.backupMonitor,
    clients.sts,
    clients.rds,
    clients.ec2,
    clients.dynamodb,
    clients.efs,
    clients.s3,
    clients.secretsManager,
  ]) {
    client.destroy();
  }
}
