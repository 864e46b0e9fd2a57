// Restored resources after the jobs: did each come up, and a drill's deletion of exactly what it restored.
import { AwsClients } from "../../aws/clients";
import { describeAwsError, isNotFoundError } from "../../aws/errors";
import { iso } from "../../clock";
import { CommandContext } from "../../context";
import { CheckResult } from "../resources/resourceRecovery";
import { resourceOf } from "../resources/registry";
import { ResourceType, resourceNameFromArn } from "../resources/types";
import { JournalStore, RunJournal } from "./journal";

/**
 * The id to address a restored resource with, from the `CreatedResourceArn` of its restore job:
 * DB instance or cluster identifier, instance id, volume id, table name, file system id, bucket.
 */
export function restoredResourceId(createdResourceArn: string): string {
  return resourceNameFromArn(createdResourceArn);
}

/**
 * Checks that a restored resource exists and is usable: DB available, instance running, volume
 * available, table ACTIVE, file system available, bucket reachable.
 */
export async function verifyRestored(
  clients: AwsClients,
  type: ResourceType,
  id: string,
): Promise<CheckResult> {
  try {
    return await resourceOf(type).verify(clients, id);
  } catch (err) {
    return { ok: false, detail: `${type} ${id}: ${describeAwsError(err)}` };
  }
}

/**
 * Deletes one resource a drill restored. Callers pass only ids recorded in the drill's own
 * journal; named resources must also carry the drill's name prefix, a second guard against ever
 * touching a source. A resource already gone counts as deleted.
 */
export async function deleteRestored(
  clients: AwsClients,
  type: ResourceType,
  id: string,
  requiredPrefix: string,
): Promise<CheckResult> {
  const resource = resourceOf(type);
  if (resource.idIsName && !id.startsWith(requiredPrefix)) {
    return {
      ok: false,
      detail: `refused to delete ${type} ${id}: its name does not start with ${requiredPrefix}`,
    };
  }
  try {
    return { ok: true, detail: await resource.delete(clients, id) };
  } catch (err) {
    if (isNotFoundError(err)) {
      return { ok: true, detail: `${type} ${id} already gone` };
    }
    return { ok: false, detail: `${type} ${id}: ${describeAwsError(err)}` };
  }
}

/** Checks that every resource the run restored came up; records the result per job. */
export async function verifyRestoredResources(
  ctx: CommandContext,
  journal: RunJournal,
  store: JournalStore,
  clients: AwsClients,
): Promise<{ ok: number; failed: number }> {
  let ok = 0;
  let failed = 0;
  await Promise.all(
    journal.plan.map(async (plan) => {
      const record = journal.jobs[plan.recoveryPointArn];
      if (!record || record.status !== "COMPLETED" || !record.resourceId) {
        return;
      }
      const result = await verifyRestored(clients, plan.resourceType, record.resourceId);
      record.verification = { ...result, at: iso(ctx.deps.clock.now()) };
      if (result.ok) {
        ok++;
        ctx.out.info(`${plan.resourceType} ${plan.resourceName}: came up: ${result.detail}`);
      } else {
        failed++;
        ctx.out.warn(`${plan.resourceType} ${plan.resourceName}: did not come up: ${result.detail}`);
      }
    }),
  );
  store.save(journal);
  return { ok, failed };
}
