// Which restored databases a run gives a new credential, each in which secret, under which label.
import type { Output } from "../../output";
import { databaseWires, mapInventory } from "./inventory";
import type { PlannedRestore, RunKind } from "./journal";
import type { CredentialTarget } from "../resources/credential";
import { DrOutputs } from "../../dependencies";

/**
 * The credential step of a recover, drill or failback run: every database (RDS or Aurora) of the data
 * inventory the run restores (the flip's choice, `--app-resource` deciding between candidates), each into its
 * entry's own secret of the stack's `dbCredentialSecretArns` (logical name -> secret ARN, one per rds/aurora
 * entry), the first database falling back to the stack's single `dbCredentialSecretArn` (a stack deployed
 * before the map existed); the label: AWSCURRENT for a recover, a failback and a drill that flips (a standby
 * dr stack: no live DR reads the secret), DRILL for a drill that does not, so the value a running DR reads is
 * left as it is. A database with no secret keeps its snapshot's password, with a warning naming it; empty
 * when no database is restored.
 */
export function credentialTargets(
  kind: RunKind,
  flip: boolean,
  plan: readonly PlannedRestore[],
  appResources: readonly string[],
  outputs: DrOutputs,
  out: Output,
): CredentialTarget[] {
  const databases = databaseWires(mapInventory(plan, appResources, outputs));
  const stage = kind === "recover" || kind === "failback" || flip ? "AWSCURRENT" : "DRILL";
  const secrets = outputs.dbCredentialSecretArns ?? {};
  const targets: CredentialTarget[] = [];
  databases.forEach((wire, index) => {
    const databaseId = wire.restore?.targetName;
    if (!databaseId) return;
    const secretArn = secrets[wire.name] ?? (index === 0 ? outputs.dbCredentialSecretArn : undefined);
    if (!secretArn) {
      out.warn(
        `the stack has no credential secret for the database '${wire.name}' (neither dbCredentialSecretArns['${wire.name}']${
          index === 0 ? " nor dbCredentialSecretArn" : ""
        }): ${databaseId} keeps its snapshot's password and the servers get no credential for it (update the stack to this version)`,
      );
      return;
    }
    targets.push({ secretArn, stage, databaseId });
  });
  return targets;
}
