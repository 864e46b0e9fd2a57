// After the application's database is restored: a new master password, kept first in the stack's credential secret of the restore's region, then set on the database.
import { randomBytes, createHash } from "crypto";
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
} from "@aws-sdk/client-rds";
import { GetSecretValueCommand, PutSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import { AwsClients } from "../../aws/clients";
import { awsErrorCode, describeAwsError } from "../../aws/errors";
import { Clock, iso } from "../../clock";
import { InterruptedError } from "../../errors";
import { Output } from "../../output";
import type { CredentialRecord, CredentialStage, JobRecord, PlannedRestore } from "../core/journal";
import { ResourceType } from "./types";

/** Where the credential of one of the application's restored databases goes. */
export interface CredentialTarget {
  /**
   * The database's own credential secret in the region of the restore: its inventory entry's in the stack's
   * `dbCredentialSecretArns`, else (the first or only database) the stack's `dbCredentialSecretArn`.
   */
  readonly secretArn: string;
  /** The label the new version gets. */
  readonly stage: CredentialStage;
  /** The identifier of the restored database this secret is for; other restores are left alone. */
  readonly databaseId: string;
}

/** Options of {@link resetDatabaseCredential}. */
export interface CredentialStepContext {
  readonly clients: AwsClients;
  readonly clock: Clock;
  readonly out: Output;
  readonly runId: string;
  /** Journals the record (coalesced). */
  readonly save: () => void;
  readonly signal?: AbortSignal;
  /** Interval between two looks at the database while RDS applies the password. Default 15 s. */
  readonly pollMs?: number;
  /** Longest wait for RDS to apply it. Default 30 min. */
  readonly timeoutMs?: number;
  /**
   * How long after the ModifyDB* call a database that never showed the change pending must keep looking
   * unchanged before the change counts as applied (RDS may show it only after a first look). Default 60 s.
   */
  readonly settleMs?: number;
}

/** The RDS calls of each database type whose master password the step resets. */
const DATABASE_APIS: Partial<Record<ResourceType, DatabaseApi>> = {
  RDS: {
    async describe(clients, id) {
      const out = await clients.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
      const db = out.DBInstances?.[0];
      return {
        status: db?.DBInstanceStatus,
        pending: db?.PendingModifiedValues?.MasterUserPassword !== undefined,
        managed: db?.MasterUserSecret?.SecretArn !== undefined,
        username: db?.MasterUsername,
        engine: db?.Engine,
        dbname: db?.DBName,
      };
    },
    async modify(clients, id, password, managed) {
      await clients.rds.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: id,
          MasterUserPassword: password,
          ApplyImmediately: true,
          ...(managed && { ManageMasterUserPassword: false }),
        }),
      );
    },
  },
  Aurora: {
    async describe(clients, id) {
      const out = await clients.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
      const cluster = out.DBClusters?.[0];
      return {
        status: cluster?.Status,
        pending: cluster?.PendingModifiedValues?.MasterUserPassword !== undefined,
        managed: cluster?.MasterUserSecret?.SecretArn !== undefined,
        username: cluster?.MasterUsername,
        engine: cluster?.Engine,
        dbname: cluster?.DatabaseName,
      };
    },
    async modify(clients, id, password, managed) {
      await clients.rds.send(
        new ModifyDBClusterCommand({
          DBClusterIdentifier: id,
          MasterUserPassword: password,
          ApplyImmediately: true,
          ...(managed && { ManageMasterUserPassword: false }),
        }),
      );
    },
  },
};

interface DatabaseState {
  readonly status?: string;
  /** A master password change not yet applied (PendingModifiedValues.MasterUserPassword). */
  readonly pending: boolean;
  /** RDS manages the master password in Secrets Manager (MasterUserSecret). */
  readonly managed: boolean;
  readonly username?: string;
  readonly engine?: string;
  readonly dbname?: string;
}

interface DatabaseApi {
  describe(clients: AwsClients, id: string): Promise<DatabaseState>;
  modify(clients: AwsClients, id: string, password: string, managed: boolean): Promise<void>;
}

/** Characters of the generated password: letters and digits only, valid for every engine's rules ("/", '"', "@" excluded). */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A random password of `length` characters (default 32: within MySQL's and MariaDB's 41, about 190 bits),
 * drawn from node:crypto without modulo bias.
 */
export function generatePassword(length = 32): string {
  let password = "";
  while (password.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: bytes above it would favour the first characters.
      if (byte < 248 && password.length < length) {
        password += ALPHABET[byte % ALPHABET.length];
      }
    }
  }
  return password;
}

/**
 * The secret version of this run's password for one database: the same on every re-run of the run, so a
 * resumed run finds the password it put before instead of rotating it again (PutSecretValue's
 * ClientRequestToken is the version id: 32 to 64 characters).
 */
export function credentialVersionId(runId: string, databaseId: string): string {
  return `dr-${createHash("sha256").update(`${runId}/${databaseId}`).digest("hex").slice(0, 40)}`;
}

/**
 * The step as a restore run calls it once a restore settled: only for a database of the application's
 * inventory that has a target (see {@link needsCredential}), into that database's own secret, with the
 * run's clients, clock and journal.
 */
export async function afterDatabaseRestore(
  plan: PlannedRestore,
  record: JobRecord,
  run: Omit<CredentialStepContext, "runId"> & {
    readonly runId: string;
    readonly credentials?: readonly CredentialTarget[];
  },
): Promise<void> {
  const target = run.credentials?.find((t) => needsCredential(plan, record, t));
  if (target) {
    await resetDatabaseCredential(plan, record, target, run);
  }
}

/** Does this restore get a credential: the application's database, of a type whose password can be reset. */
export function needsCredential(
  plan: PlannedRestore,
  record: JobRecord,
  target: CredentialTarget | undefined,
): boolean {
  return (
    target !== undefined &&
    record.status === "COMPLETED" &&
    DATABASE_APIS[plan.resourceType] !== undefined &&
    (record.resourceId ?? plan.targetName) === target.databaseId
  );
}

/**
 * Gives the application's restored database a password only this run knows, and the servers a way to read
 * it in the region of the restore: PutSecretValue of `{username, password, engine, host, port, dbname}`
 * into the stack's secret, then ModifyDBInstance / ModifyDBCluster MasterUserPassword (with
 * ManageMasterUserPassword=false if RDS manages it), then waits until the database no longer reports the
 * change pending, having seen it pending (or, never seeing it, for a settling time: see waitApplied). A restored database has its snapshot's password, which the DR side does not know, and
 * RDS recreates no managed secret for it. Idempotent: a re-run reuses the version this run put (same
 * version id), and a database already reset by this run is not reset again. Errors are recorded and
 * reported, never thrown (the health check then fails and says why), except an interruption.
 */
export async function resetDatabaseCredential(
  plan: PlannedRestore,
  record: JobRecord,
  target: CredentialTarget,
  ctx: CredentialStepContext,
): Promise<void> {
  const api = DATABASE_APIS[plan.resourceType];
  const id = record.resourceId ?? plan.targetName;
  if (!api || !id || record.credential?.appliedAt) {
    return;
  }
  const label = `${plan.resourceType} ${plan.resourceName}`;
  const versionId = credentialVersionId(ctx.runId, id);
  const credential: CredentialRecord = (record.credential ??= {
    secretArn: target.secretArn,
    versionId,
    stage: target.stage,
  });
  delete credential.message;
  try {
    const state = await api.describe(ctx.clients, id);
    const password = await putPassword(ctx, target, versionId, id, state, record.endpoint);
    ctx.save();
    await api.modify(ctx.clients, id, password, state.managed);
    ctx.out.info(
      `${label}: new master password in ${target.secretArn} (${target.stage}); RDS is applying it to ${id}`,
    );
    await waitApplied(api, ctx, id);
    credential.appliedAt = iso(ctx.clock.now());
    ctx.out.info(`${label}: ${id} accepts the credential the servers read from ${target.secretArn}`);
  } catch (err) {
    if (err instanceof InterruptedError || ctx.signal?.aborted) {
      throw err instanceof InterruptedError ? err : new InterruptedError();
    }
    credential.message = describeAwsError(err);
    ctx.out.warn(
      `${label}: the application's credential could not be set (${credential.message}): the servers cannot log in until a re-run sets it`,
    );
  } finally {
    ctx.save();
  }
}

/** This run's password: the one already in the secret under this run's version, else a new one put there. */
async function putPassword(
  ctx: CredentialStepContext,
  target: CredentialTarget,
  versionId: string,
  id: string,
  state: DatabaseState,
  endpoint: string | undefined,
): Promise<string> {
  try {
    const existing = await ctx.clients.secretsManager.send(
      new GetSecretValueCommand({ SecretId: target.secretArn, VersionId: versionId }),
    );
    const password = (JSON.parse(existing.SecretString ?? "{}") as { password?: string }).password;
    if (password) {
      return password;
    }
  } catch (err) {
    if (awsErrorCode(err) !== "ResourceNotFoundException") {
      throw err;
    }
  }
  const password = generatePassword();
  const [host, port] = (endpoint ?? "").split(":");
  const value = {
    username: state.username,
    password,
    engine: state.engine,
    ...(host && { host }),
    ...(port && { port: Number(port) }),
    ...(state.dbname && { dbname: state.dbname }),
    dbInstanceIdentifier: id,
  };
  await ctx.clients.secretsManager.send(
    new PutSecretValueCommand({
      SecretId: target.secretArn,
      ClientRequestToken: versionId,
      SecretString: JSON.stringify(value),
      VersionStages: [target.stage],
    }),
  );
  return password;
}

/** What a look at the database says of the password change: RDS shows it (pending or resetting). */
function showsChange(state: DatabaseState): boolean {
  return state.pending || state.status === "resetting-master-credentials";
}

/**
 * Waits until RDS has applied the password: the database `available` with nothing pending once a look has
 * shown the change (PendingModifiedValues.MasterUserPassword, or status `resetting-master-credentials`: RDS
 * user guide, "Viewing Amazon RDS DB instance status"). RDS applies it asynchronously (RDS API reference,
 * ModifyDBInstance MasterUserPassword), so a look right after the call may come before RDS shows anything;
 * a database that never showed the change counts as done only when every look for `settleMs` after the
 * call found it available with nothing pending (the change may also have been applied between two looks).
 */
async function waitApplied(api: DatabaseApi, ctx: CredentialStepContext, id: string): Promise<void> {
  const modifiedAt = ctx.clock.now();
  const deadline = modifiedAt + (ctx.timeoutMs ?? 30 * 60_000);
  const settleMs = ctx.settleMs ?? 60_000;
  let seen = false;
  for (;;) {
    const state = await api.describe(ctx.clients, id);
    seen ||= showsChange(state);
    const quiet = state.status === "available" && !state.pending;
    if (quiet && (seen || ctx.clock.now() - modifiedAt >= settleMs)) {
      return;
    }
    if (ctx.clock.now() >= deadline) {
      throw new Error(`${id} is still ${state.status ?? "unknown"} with the new password pending`);
    }
    const pollMs = ctx.pollMs ?? 15_000;
    // Not yet seen: look again no later than the end of the settling time.
    const untilSettled = modifiedAt + settleMs - ctx.clock.now();
    await ctx.clock.sleep(
      quiet && !seen && untilSettled > 0 ? Math.min(pollMs, untilSettled) : pollMs,
      ctx.signal,
    );
  }
}
