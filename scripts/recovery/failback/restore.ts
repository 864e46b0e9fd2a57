// The restore phase: the final copies restored into prod's network, each job started once.
import { GetRecoveryPointRestoreMetadataCommand } from "@aws-sdk/client-backup";
import { describeAwsError } from "../../aws/errors";
import { PlannedRestore } from "../core/journal";
import { primaryRestoreMetadata } from "./placement";
import { placementOf } from "./preflight";
import { credentialTargets } from "../core/credentialTarget";
import { restoredSettingsOrWarn, retryJobRecord, runRestoreJobs } from "../core/restoreRun";
import { PhaseContext, save } from "./phaseContext";
import { PhaseResult } from "../core/phaseRunner";
import { withDeclaredSettings } from "../core/inventory";
import { resourceOf } from "../resources/registry";
import { DrOutputs } from "../../dependencies";

/**
 * A failback restore with what its restore does not keep of prod's inventory entry `dataName` (an EFS file
 * system's throughput: core/inventory.ts withDeclaredSettings, as recover gives it), set once restored with
 * the primary region's clients: prod then serves the `fb-` copy as its entry declares. A drill's copies are
 * deleted, and get nothing.
 */
function withProdDeclared(
  planned: PlannedRestore,
  dataName: string | undefined,
  prodOutputs: DrOutputs,
): PlannedRestore {
  const kind = resourceOf(planned.resourceType).dataKind;
  if (!dataName || !kind) return planned;
  const [declared] = withDeclaredSettings(
    [planned],
    [{ name: dataName, kind, restore: planned }],
    prodOutputs,
  ).plan;
  return declared;
}

/**
 * Phase 5: a restore in the primary region of each recovery point the final copies (a drill's copies)
 * put in the primary vault, into prod's network (the prod stack's DB subnet group, security groups,
 * subnets and zones), named `fb-<runId>-<source>` (`fbdrill-`). A failback's restores copy the backup's
 * tags (prod's selection tag among them), so prod's own backup plan protects them; a drill's do not, and come
 * up without deletion protection. Each completed failback restore is then made like prod's own data (tables
 * tagged, point-in-time recovery on, the databases' windows: ResourceRecovery.protectRestored) and given
 * what prod's inventory entry declares and a restore does not keep (an EFS file system's throughput).
 * The restores run, are journaled and are followed exactly as recover's (runRestoreJobs,
 * ListRestoreJobs), with the primary region's clients.
 */
export async function runPrimaryRestores(pc: PhaseContext): Promise<PhaseResult> {
  const { journal, pre } = pc;
  const drill = journal.kind === "failback-drill";
  const copyPhase = drill ? "copy" : "final-copy";
  const problems: string[] = [];
  for (const resource of journal.failback.resources) {
    const transfer = journal.failback.transfers.find(
      (t) => t.phase === copyPhase && t.drResourceArn === resource.drResourceArn,
    );
    const point = transfer?.copy?.status === "COMPLETED" ? transfer.copy.recoveryPointArn : undefined;
    if (!point) {
      problems.push(`${resource.resourceType} ${resource.sourceName}: no copy in the primary vault`);
      continue;
    }
    if (journal.plan.some((p) => p.recoveryPointArn === point)) {
      continue;
    }
    let base: Record<string, string>;
    try {
      const out = await pre.primaryClients.backup.send(
        new GetRecoveryPointRestoreMetadataCommand({
          BackupVaultName: journal.vaultName,
          RecoveryPointArn: point,
        }),
      );
      base = out.RestoreMetadata ?? {};
    } catch (err) {
      problems.push(
        `${resource.resourceType} ${resource.sourceName}: GetRecoveryPointRestoreMetadata failed: ${describeAwsError(err)}`,
      );
      continue;
    }
    const { metadata, notes } = primaryRestoreMetadata(resource, base, placementOf(pre), drill);
    const planned: PlannedRestore = {
      recoveryPointArn: point,
      resourceArn: resource.sourceArn,
      resourceType: resource.resourceType,
      resourceName: resource.sourceName,
      // The data's age counts from the point's backup (a drill: the DR vault point's creation).
      recoveryPointCreatedAt:
        resource.drRecoveryPointCreatedAt ??
        transfer?.backup?.startedAt ??
        transfer?.copy?.startedAt ??
        journal.startedAt,
      targetName: resource.targetName,
      iamRoleArn: pre.restoreRoleArn,
      metadata,
      notes,
      copySourceTags: !drill,
    };
    journal.plan.push(drill ? planned : withProdDeclared(planned, resource.dataName, pre.prodOutputs));
  }
  // A re-run after restores failed tries them again, with new tokens.
  for (const record of Object.values(journal.jobs)) {
    if (record.status === "FAILED" || record.status === "ABORTED") {
      journal.jobs[record.recoveryPointArn] = retryJobRecord(
        journal.runId,
        record,
        pc.command.deps.clock.now(),
      );
    }
  }
  save(pc);
  for (const problem of problems) {
    pc.command.out.warn(problem);
  }
  if (journal.plan.length > 0) {
    await runRestoreJobs(journal, {
      clients: pre.primaryClients,
      clock: pc.command.deps.clock,
      store: pc.store,
      out: pc.command.out,
      signal: pc.command.signal,
      poll: pc.options.poll,
      // Each fb- database's credential goes into prod's secret for its entry in the primary region (a drill's under DRILL).
      credentials: credentialTargets(journal.kind, false, journal.plan, [], pre.prodOutputs, pc.command.out),
      // Prod then runs on the fb- copies: prod's tags and windows, as on its own data; a drill's are deleted.
      protect: drill ? undefined : restoredSettingsOrWarn(pre.drOutputs, pc.command.out),
    });
  }
  const completed = journal.plan.filter(
    (p) => journal.jobs[p.recoveryPointArn]?.status === "COMPLETED",
  ).length;
  const total = journal.failback.resources.length;
  return {
    outcome: completed === total ? "ok" : "failed",
    detail: `${completed} of ${total} restore(s) completed in ${pre.primaryRegion}`,
  };
}
