import { AwsClients } from "../aws/clients";
import { iso } from "../clock";
import { DR_CONFIG_KEYS, DrStack } from "./drStack";
import { applyConfig } from "./flip/flip";
import { JournalStore, RunJournal } from "./journal";
import { namePrefix } from "./naming";
import { Output } from "../output";
import { deleteRestored, verifyRestored } from "./verify/restoredResources";
import { Clock } from "../clock";

/** What the drill steps after the restores need. */
export interface DrillContext {
  readonly clients: AwsClients;
  readonly clock: Clock;
  readonly store: JournalStore;
  readonly out: Output;
}

/** Checks that every resource the drill restored came up; records the result per job. */
export async function verifyDrillResources(
  journal: RunJournal,
  ctx: DrillContext,
): Promise<{ ok: number; failed: number }> {
  let ok = 0;
  let failed = 0;
  await Promise.all(
    journal.plan.map(async (plan) => {
      const record = journal.jobs[plan.recoveryPointArn];
      if (!record || record.status !== "COMPLETED" || !record.resourceId) {
        return;
      }
      const result = await verifyRestored(ctx.clients, plan.resourceType, record.resourceId);
      record.verification = { ...result, at: iso(ctx.clock.now()) };
      if (result.ok) {
        ok++;
        ctx.out.info(`${plan.resourceType} ${plan.resourceName}: came up: ${result.detail}`);
      } else {
        failed++;
        ctx.out.warn(`${plan.resourceType} ${plan.resourceName}: did not come up: ${result.detail}`);
      }
    }),
  );
  ctx.store.save(journal);
  return { ok, failed };
}

/** The config keys the CLI manages on the dr stack. */
export const MANAGED_CONFIG_KEYS: readonly string[] = Object.values(DR_CONFIG_KEYS);

/**
 * Puts the dr stack back as it was before a drill flipped it: the previous values of the keys the
 * CLI manages, the keys it added removed, then `up`.
 */
export async function revertDrillFlip(
  journal: RunJournal,
  ctx: DrillContext,
  stack: DrStack,
): Promise<boolean> {
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
 * `CreatedResourceArn` of its restore jobs), never anything else, and each only once.
 */
export async function cleanupDrill(
  journal: RunJournal,
  ctx: DrillContext,
): Promise<{ deleted: number; failed: number }> {
  const prefix = namePrefix("drill", journal.runId);
  let deleted = 0;
  let failed = 0;
  await Promise.all(
    journal.plan.map(async (plan) => {
      const record = journal.jobs[plan.recoveryPointArn];
      const id =
        record?.resourceId ??
        (record?.createdResourceArn ? record.createdResourceArn.split(/[:/]/).pop() : undefined);
      if (!record || !id || record.deletion?.ok) {
        return;
      }
      const result = await deleteRestored(ctx.clients, plan.resourceType, id, prefix);
      record.deletion = { ...result, at: iso(ctx.clock.now()) };
      ctx.store.save(journal);
      if (result.ok) {
        deleted++;
        ctx.out.info(`cleanup: ${result.detail}`);
      } else {
        failed++;
        ctx.out.warn(`cleanup: ${result.detail}`);
      }
    }),
  );
  return { deleted, failed };
}
