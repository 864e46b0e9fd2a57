// Before a run calls its restored data usable: the wait for what the stack adds to it (an Aurora cluster's DB instance).
import { AwsClients } from "../../aws/clients";
import { describeAwsError } from "../../aws/errors";
import { Clock } from "../../clock";
import { Output } from "../../output";
import { resourceOf } from "../resources/registry";
import { ResourceType } from "../resources/types";
import { RunJournal } from "./journal";

/** Options of {@link waitForClusterInstances}. */
export interface ClusterWaitOptions {
  readonly clients: AwsClients;
  readonly clock: Clock;
  readonly out: Output;
  readonly signal?: AbortSignal;
  /** Longest wait for every cluster's instance. Default 30 min (an Aurora instance takes ~10 min to create). */
  readonly timeoutMs?: number;
  /** Interval between two looks. Default 15 s. */
  readonly pollMs?: number;
}

/** A restored copy that needs more than its restore to be usable (its type's `usableWhen`). */
interface Waiting {
  readonly type: ResourceType;
  readonly id: string;
}

/** The COMPLETED restores of a run whose type needs more than the restore (an Aurora cluster: its DB instance). */
export function restoredClusters(journal: RunJournal): Waiting[] {
  return journal.plan.flatMap((p) => {
    const record = journal.jobs[p.recoveryPointArn];
    const id = record?.resourceId ?? p.targetName;
    return resourceOf(p.resourceType).usableWhen && record?.status === "COMPLETED" && id
      ? [{ type: p.resourceType, id }]
      : [];
  });
}

/**
 * Waits until each cluster has an `available` DB instance (aurora.ts `usableWhen`): AWS Backup
 * restores an Aurora cluster without one, the stack that names the cluster in `restoredData` creates it, and
 * until it is available the cluster takes no connection. Undefined when all are ready; else why not (the
 * last look at each cluster not ready), for the run to report instead of a health check's verdict.
 */
export async function waitForClusterInstances(
  clusters: readonly Waiting[],
  options: ClusterWaitOptions,
): Promise<string | undefined> {
  if (clusters.length === 0) return undefined;
  const deadline = options.clock.now() + (options.timeoutMs ?? 30 * 60_000);
  let waiting = [...clusters];
  for (;;) {
    const details: string[] = [];
    const left: Waiting[] = [];
    for (const copy of waiting) {
      const usableWhen = resourceOf(copy.type).usableWhen;
      const check = await (usableWhen as NonNullable<typeof usableWhen>)(options.clients, copy.id).catch(
        (err: unknown) => ({ ok: false, detail: `${copy.type} ${copy.id}: ${describeAwsError(err)}` }),
      );
      if (!check.ok) {
        left.push(copy);
        details.push(check.detail);
      } else {
        options.out.info(`${check.detail}: usable`);
      }
    }
    waiting = left;
    if (waiting.length === 0) return undefined;
    if (options.clock.now() >= deadline) {
      return `no available DB instance: ${details.join("; ")} (the stack adds one to each restored Aurora cluster)`;
    }
    options.out.info(`waiting for a DB instance: ${details.join("; ")}`);
    await options.clock.sleep(options.pollMs ?? 15_000, options.signal);
  }
}
