// The end of a drill: the dr stack put back as it was, then exactly what the drill restored deleted.
import { AwsClients } from "../../aws/clients";
import { Clock, iso } from "../../clock";
import { describeAwsError } from "../../aws/errors";
import { ResourceType } from "../resources/types";
import { JobRecord, JournalStore, PlannedRestore, RunJournal } from "./journal";
import { isFinalStatus } from "./restoreJobs";
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

/** Whether the last update of the dr stack the journal records is a revert that succeeded. */
export function lastRevertSucceeded(journal: RunJournal): boolean {
  const last = journal.flips.at(-1);
  return last?.phase === "revert" && last.ok === true;
}

/** The short id of the resource a restore made, from its job record; undefined while it has none. */
export function copyId(record: JobRecord): string | undefined {
  return record.resourceId ?? record.createdResourceArn?.split(/[:/]/).pop();
}

/** A copy a drill made (or, its restore still under way, may make) and has not deleted. */
export interface UndeletedCopy {
  readonly plan: PlannedRestore;
  readonly record: JobRecord;
  /** `<type> <id>`, or `<type> <source name> (restoring)` while the restore runs. */
  readonly label: string;
}

/**
 * The copies a drill has not deleted: completed restores whose resource a clean-up can delete, and restores
 * that may still make one (started, or whose start may have reached AWS).
 */
export function undeletedCopies(journal: RunJournal): UndeletedCopy[] {
  return journal.plan.flatMap((plan) => {
    const record = journal.jobs[plan.recoveryPointArn];
    if (!record || record.deletion?.ok) {
      return [];
    }
    const id = copyId(record);
    if (record.status === "COMPLETED" && id) {
      return [{ plan, record, label: `${plan.resourceType} ${id}` }];
    }
    if (!isFinalStatus(record.status)) {
      return [{ plan, record, label: `${plan.resourceType} ${plan.resourceName} (restoring)` }];
    }
    return [];
  });
}

/** `1 copy`, `3 copies`. */
export function copies(n: number): string {
  return `${n} ${n === 1 ? "copy" : "copies"}`;
}

/**
 * Puts the dr stack back as it was before a drill flipped it: the previous values of the keys the
 * CLI manages, the keys it added removed, then `up`.
 */
async function revertDrillFlip(journal: RunJournal, ctx: DrillContext, stack: StackHandle): Promise<boolean> {
  // The last update says where the stack is: a flip after an earlier revert (a flip phase run again) needs
  // reverting again.
  if (journal.flips.length === 0 || lastRevertSucceeded(journal) || !journal.previousConfig) {
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
      const id = record ? copyId(record) : undefined;
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
