// Which restored database a run gives a new credential, in which secret, under which label.
import type { Output } from "../../output";
import { chooseAppResources } from "./drConfig";
import type { PlannedRestore, RunKind } from "./journal";
import type { CredentialTarget } from "../resources/credential";
import { DrOutputs } from "../../dependencies";

/**
 * The credential step of a recover or drill run: the application's database (the flip's choice, else the
 * one database restored, or the one `--app-resource` names), the stack's `dbCredentialSecretArn`, and the
 * label: AWSCURRENT for a recover and for a drill that flips (a standby dr stack: no live DR reads the
 * secret), DRILL for a drill that does not, so the value a running DR reads is left as it is. Undefined,
 * with a warning, when the stack has no such output (deployed before it existed) or no database is restored.
 */
export function credentialTarget(
  kind: RunKind,
  flip: boolean,
  plan: readonly PlannedRestore[],
  appResources: readonly string[],
  outputs: DrOutputs,
  out: Output,
): CredentialTarget | undefined {
  const database = chooseAppResources(plan, appResources, outputs.primaryAppData).app.db;
  if (!database?.targetName) {
    return undefined;
  }
  if (!outputs.dbCredentialSecretArn) {
    out.warn(
      `the stack has no dbCredentialSecretArn output: ${database.targetName} keeps its snapshot's password and the servers get no credential for it (update the stack to this version)`,
    );
    return undefined;
  }
  return {
    secretArn: outputs.dbCredentialSecretArn,
    stage: kind === "recover" || kind === "failback" || flip ? "AWSCURRENT" : "DRILL",
    databaseId: database.targetName,
  };
}
