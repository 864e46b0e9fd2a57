// The end of a drill: the dr stack put back as it was, then exactly what the drill restored deleted.
import { AwsClients } from "../../aws/clients";
import { Clock, iso } from "../../clock";
import { describeAwsError } from "../../aws/errors";
import { ResourceType } from "../resources/types";
import { JobRecord, JournalStore, RunJournal } from "./journal";
import { namePrefix } from "./naming";
import { Output } from "../../output";
import { deleteRestored, restoredResourceId } from "./restoredResources";
import { RESTORE_JOBS } from "./restoreMonitor";
import { StackHandle } from "../../dependencies";
import { applyConfig } from "./stackUpdate";

/** What the drill steps after the restores need. */
export interface DrillContext {
  readonly clients: AwsClients;
  readonly clock: Clock;
  readonly store: JournalStore;
  readonly out: Output;
}

/**
 * Puts the dr stack back as it was before a drill flipped it: the previous values of the keys the
 * CLI manages, the keys it added removed, then `up`.
 */
async function revertDrillFlip(journal: RunJournal, ctx: DrillContext, stack: StackHandle): Promise<boolean> {
  const flipped = journal.flips.some((f) => f.phase !== "revert");
  const reverted = journal.flips.some((f) => f.phase === "revert" && f.ok === true);
  if (!flipped || reverted || !journal.previousConfig) {
    return true;
  }
  const previous = journal.previousConfig;
  const added = [...new Set(journal.flips.flatMap((f) => Object.keys(f.config)))].filter(
    (k) => !(k in previous),
  );
  const result = await applyConfig(journal, ctx, stack, "revert", previous, added);
  return result.ok;
}

/**
 * Deletes exactly what the drill restored: the resources recorded in its own journal (from the
 * `CreatedResourceArn` of its restore jobs, the earlier attempts' jobs of a retried restore too: an attempt
 * that failed after creating its copy leaves it behind), never anything else, and each only once.
 */
async function cleanupDrill(
  journal: RunJournal,
  ctx: DrillContext,
): Promise<{ deleted: number; failed: number }> {
  const prefix = namePrefix(journal.kind, journal.runId);
  let deleted = 0;
  let failed = 0;
  const tally = (result: { ok: boolean; detail: string }) => {
    if (result.ok) {
      deleted++;
      ctx.out.info(`cleanup: ${result.detail}`);
    } else {
      failed++;
      ctx.out.warn(`cleanup: ${result.detail}`);
    }
  };
  await Promise.all(
    journal.plan.map(async (plan) => {
      const record = journal.jobs[plan.recoveryPointArn];
      for (const result of await deleteEarlierAttempts(ctx, plan.resourceType, record, prefix)) {
        tally(result);
      }
      const id =
        record?.resourceId ??
        (record?.createdResourceArn ? record.createdResourceArn.split(/[:/]/).pop() : undefined);
      if (!record || !id || record.deletion?.ok) {
        return;
      }
      const result = await deleteRestored(ctx.clients, plan.resourceType, id, prefix);
      record.deletion = { ...result, at: iso(ctx.clock.now()) };
      ctx.store.save(journal);
      tally(result);
    }),
  );
  return { deleted, failed };
}

/**
 * Deletes what earlier attempts of a retried restore created (`previousJobIds`, each job's
 * `CreatedResourceArn` from DescribeRestoreJob), other than the latest attempt's copy. A copy already gone
 * counts as deleted; the deletion is not journaled, a later cleanup finds it gone.
 */
async function deleteEarlierAttempts(
  ctx: DrillContext,
  type: ResourceType,
  record: JobRecord | undefined,
  prefix: string,
): Promise<{ ok: boolean; detail: string }[]> {
  const latest = record?.createdResourceArn;
  const results: { ok: boolean; detail: string }[] = [];
  for (const jobId of record?.previousJobIds ?? []) {
    let arn: string | undefined;
    try {
      arn = (await RESTORE_JOBS.describe(ctx.clients.backup, jobId)).createdResourceArn;
    } catch (err) {
      results.push({ ok: false, detail: `earlier restore job ${jobId}: ${describeAwsError(err)}` });
      continue;
    }
    if (arn && arn !== latest) {
      const result = await deleteRestored(ctx.clients, type, restoredResourceId(arn), prefix);
      results.push({ ...result, detail: `${result.detail} (earlier attempt, job ${jobId})` });
    }
  }
  return results;
}

/** What the end of a drill did with what it restored, for the report. */
export interface DrillCleanup {
  /** Kept (--keep), or how many were deleted and how many could not be. */
  readonly summary: { readonly kept: boolean; readonly deleted: number; readonly failed: number };
  /** Steps that failed: the revert of the flip, each deletion. */
  readonly failed: number;
  readonly notes: string[];
}

/**
 * The end of a drill: unless `keep`, the dr stack is put back as it was (when the drill flipped it), then
 * what the drill restored is deleted. A stack that cannot be put back keeps the resources in place.
 */
export async function cleanUpAfterDrill(
  journal: RunJournal,
  ctx: DrillContext,
  stack: StackHandle,
  keep: boolean,
): Promise<DrillCleanup> {
  if (keep) {
    return {
      summary: { kept: true, deleted: 0, failed: 0 },
      failed: 0,
      notes: [`resources kept (--keep): delete them with 'dr drill --cleanup'`],
    };
  }
  const notes: string[] = [];
  let failed = 0;
  if (!(await revertDrillFlip(journal, ctx, stack))) {
    notes.push(
      "the dr stack could not be put back as it was: resources left in place, fix and run 'dr drill --cleanup'",
    );
    failed++;
  } else {
    ctx.out.info(`cleanup: deleting what drill ${journal.runId} restored`);
    failed += (await cleanupDrill(journal, ctx)).failed;
  }
  const records = Object.values(journal.jobs);
  const summary = {
    kept: false,
    deleted: records.filter((r) => r.deletion?.ok).length,
    failed: records.filter((r) => r.deletion && !r.deletion.ok).length,
  };
  return { summary, failed, notes };
}
