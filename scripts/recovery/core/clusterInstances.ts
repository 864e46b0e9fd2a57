// Before a run calls its restored Aurora clusters usable: the wait for each one's DB instance, which the stack adds.
import { AwsClients } from "../../aws/clients";
import { describeAwsError } from "../../aws/errors";
import { Clock } from "../../clock";
import { Output } from "../../output";
import { clusterInstanceReady } from "../resources/aurora";
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

/** The restored Aurora clusters of a run: its COMPLETED Aurora restores' identifiers. */
export function restoredClusters(journal: RunJournal): string[] {
  return journal.plan.flatMap((p) => {
    const record = journal.jobs[p.recoveryPointArn];
    const id = record?.resourceId ?? p.targetName;
    return p.resourceType === "Aurora" && record?.status === "COMPLETED" && id ? [id] : [];
  });
}

/**
 * Waits until each cluster has an `available` DB instance (aurora.ts clusterInstanceReady): AWS Backup
 * restores an Aurora cluster without one, the stack that names the cluster in `restoredData` creates it, and
 * until it is available the cluster takes no connection. Undefined when all are ready; else why not (the
 * last look at each cluster not ready), for the run to report instead of a health check's verdict.
 */
export async function waitForClusterInstances(
  clusters: readonly string[],
  options: ClusterWaitOptions,
): Promise<string | undefined> {
  if (clusters.length === 0) return undefined;
  const deadline = options.clock.now() + (options.timeoutMs ?? 30 * 60_000);
  let waiting = [...clusters];
  for (;;) {
    const details: string[] = [];
    const left: string[] = [];
    for (const id of waiting) {
      const check = await clusterInstanceReady(options.clients, id).catch((err: unknown) => ({
        ok: false,
        detail: `DB cluster ${id}: ${describeAwsError(err)}`,
      }));
      if (!check.ok) {
        left.push(id);
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
