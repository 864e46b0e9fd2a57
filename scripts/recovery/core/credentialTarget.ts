// Which restored database a run gives a new credential, in which secret, under which label.
import type { Output } from "../../output";
import { databaseWires, mapInventory, onlyDatabase } from "./inventory";
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
  const choice = mapInventory(plan, appResources, outputs);
  const database = onlyDatabase(choice);
  if (!database?.targetName) {
    const databases = databaseWires(choice);
    if (databases.length > 1) {
      out.warn(
        `${databases.length} databases restored (${databases.map((w) => w.name).join(", ")}): the stack's one dbCredentialSecretArn gets no new credential, each keeps its snapshot's password`,
      );
    }
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
