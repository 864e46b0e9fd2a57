// The master password of a simulated RDS instance or Aurora cluster: its reset by ModifyDB*, and whether a login with it succeeds.
import { SimCredential, SimResource, metaValue, settleCredential } from "./resourceStore";

/** How long RDS takes to apply a new master password in the simulation. Default 3 s (unsourced guess: RDS gives no figure). */
export const DEFAULT_CREDENTIAL_RESET_MS = 3000;

/** The master user name a database reports (DescribeDB*): its metadata's, else the stacks' default `appadmin`. */
export function masterUsername(db: SimResource): string {
  return metaValue(db.metadata, "MasterUsername") ?? "appadmin";
}

/** The credential of a database now, a reset that came due applied. */
function credentialOf(db: SimResource, now: number): SimCredential | undefined {
  return db.credential && settleCredential(db.credential, now);
}

/**
 * The status DescribeDBInstances / DescribeDBClusters report: `resetting-master-credentials` while a new
 * master password is being applied, then `available` (RDS API reference, ModifyDBInstance MasterUserPassword:
 * "the change is asynchronously applied as soon as possible"; "DB instance status" in the RDS user guide lists
 * resetting-master-credentials).
 */
export function databaseStatus(db: SimResource, now: number): string {
  // "creating: The DB instance is being created. The DB instance is inaccessible while it is being created."
  // (RDS user guide, "Viewing Amazon RDS DB instance status").
  if (db.availableAt !== undefined && now < db.availableAt) {
    return "creating";
  }
  const pending = credentialOf(db, now)?.pending;
  return pending && pending.registersAt <= now ? "resetting-master-credentials" : "available";
}

/** The password length RDS accepts for the engine (ModifyDBInstance / ModifyDBCluster MasterUserPassword). */
function passwordLength(engine: string): { min: number; max: number } {
  return /mysql|mariadb/.test(engine) ? { min: 8, max: 41 } : { min: 8, max: 128 };
}

/**
 * ModifyDBInstance / ModifyDBCluster with MasterUserPassword (always ApplyImmediately: RDS applies a
 * password change "as soon as possible" whatever it says). Rules of the RDS API reference: the password is
 * printable ASCII without `/`, `"`, `@` and of the engine's length; it "can't be specified if
 * ManageMasterUserPassword is turned on" unless the same call turns management off
 * (ManageMasterUserPassword=false, after which RDS deletes the managed secret); and it cannot be combined
 * with ManageMasterUserPassword=true. Returns the error code and message RDS answers, or undefined.
 * For `registerMs` after the call DescribeDB* still shows the database `available` with nothing pending
 * (unsourced guess: the RDS API reference says only that the change "is asynchronously applied", so a
 * look right after the call may precede it; the reset is then applied `resetMs` later).
 */
export function resetMasterPassword(
  db: SimResource,
  params: URLSearchParams,
  now: number,
  resetMs: number,
  registerMs = 0,
): { code: string; message: string } | undefined {
  const credential = credentialOf(db, now);
  const password = params.get("MasterUserPassword");
  const manage = params.get("ManageMasterUserPassword");
  if (!credential || password === null) {
    return undefined;
  }
  if (manage === "true") {
    return {
      code: "InvalidParameterCombination",
      message:
        "Can't manage the master user password with AWS Secrets Manager if MasterUserPassword is specified.",
    };
  }
  if (credential.managed && manage !== "false") {
    return {
      code: "InvalidParameterCombination",
      message:
        "MasterUserPassword can't be specified while the master user password is managed in AWS Secrets Manager: pass ManageMasterUserPassword=false with it",
    };
  }
  const { min, max } = passwordLength(metaValue(db.metadata, "Engine") ?? "postgres");
  if (
    password.length < min ||
    password.length > max ||
    !/^[\x20-\x7e]+$/.test(password) ||
    /[/"@]/.test(password)
  ) {
    return {
      code: "InvalidParameterValue",
      message: `The parameter MasterUserPassword is not a valid password: ${min} to ${max} printable ASCII characters other than '/', '"', '@' and space.`,
    };
  }
  credential.managed = false;
  credential.pending = { password, registersAt: now + registerMs, appliesAt: now + registerMs + resetMs };
  return undefined;
}

/**
 * Whether the application logs in to `db` with the password of its secret's value (`{"password": ...}`):
 * undefined when it does, else why not. During a reset the old password still works (unsourced guess).
 */
export function loginProblem(
  db: SimResource | undefined,
  secretValue: string | undefined,
  now: number,
): string | undefined {
  if (!db) {
    return "no database to log in to";
  }
  if (secretValue === undefined) {
    return "the credential secret has no value";
  }
  let password: unknown;
  try {
    password = (JSON.parse(secretValue) as { password?: unknown }).password;
  } catch {
    return "the credential secret is not JSON";
  }
  const credential = credentialOf(db, now);
  if (!credential || password !== credential.password) {
    return `password authentication failed for user "${masterUsername(db)}"`;
  }
  return undefined;
}
