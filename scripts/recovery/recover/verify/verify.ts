// The verify phase: a drill's restored resources came up, the application's health check.
import { AwsClients } from "../../../aws/clients";
import { CommandContext } from "../../../context";
import { FlipOutcome } from "../flip/flip";
import { JournalStore, RunJournal } from "../../core/journal";
import { RestoreCommandOptions } from "../options";
import { checkHealth } from "../../core/health";
import { verifyRestoredResources } from "../../core/restoredResources";
import { restoredClusters, waitForClusterInstances } from "../../core/clusterInstances";
import { DrOutputs } from "../../../dependencies";

/** What the verify phase found. */
export interface Verification {
  /** The health check's verdict; undefined when there was none. */
  readonly healthy?: boolean;
  /** Drill: restored resources that did not come up. */
  readonly resourcesFailed: number;
  readonly notes: string[];
}

/** What a run that verifies nothing found (`drill --cleanup`). */
export const NOT_VERIFIED: Verification = { resourcesFailed: 0, notes: [] };

/**
 * After the restores and the flip: a drill checks that each resource it restored came up; the
 * application's health check runs when the dr stack was flipped (a recovery with restored data: also with
 * `--health-url` and no flip).
 */
export async function verifyRun(
  ctx: CommandContext,
  journal: RunJournal,
  store: JournalStore,
  clients: AwsClients,
  options: RestoreCommandOptions,
  outputs: DrOutputs,
  flip: FlipOutcome | undefined,
): Promise<Verification> {
  const resourcesFailed =
    journal.kind === "drill" ? (await verifyRestoredResources(ctx, journal, store, clients)).failed : 0;
  if (flip && !flip.ok) {
    return { resourcesFailed, notes: [`dr stack not flipped: ${flip.message ?? "update failed"}`] };
  }
  let healthy: boolean | undefined;
  // A restored Aurora cluster the stack now names is usable once the instance the stack adds is available.
  const checksHealth =
    journal.kind === "drill"
      ? flip !== undefined
      : Object.values(journal.jobs).some((j) => j.status === "COMPLETED") && (flip || options.healthUrl);
  if (checksHealth) {
    const unusable = await waitForClusterInstances(restoredClusters(journal), {
      clients,
      clock: ctx.deps.clock,
      out: ctx.out,
      signal: ctx.signal,
      timeoutMs: options.healthTimeoutMs,
    });
    if (unusable) {
      ctx.out.warn(`NOT healthy: ${unusable}`);
      return { healthy: false, resourcesFailed, notes: [unusable] };
    }
  }
  if (journal.kind === "drill") {
    if (flip) {
      healthy = await runHealthCheck(
        ctx,
        journal,
        store,
        options.healthUrl ?? flip.outputs.healthCheckUrl,
        options,
      );
    }
  } else if (
    Object.values(journal.jobs).some((j) => j.status === "COMPLETED") &&
    (flip || options.healthUrl)
  ) {
    const url = options.healthUrl ?? flip?.outputs.healthCheckUrl ?? outputs.healthCheckUrl;
    healthy = await runHealthCheck(ctx, journal, store, url, options);
  } else if (!flip) {
    ctx.out.info("dr stack not flipped (--no-flip): no health check unless --health-url is given");
  }
  return { healthy, resourcesFailed, notes: [] };
}

/** The application's health check at `url`, recorded in the journal; undefined without a URL. */
async function runHealthCheck(
  ctx: CommandContext,
  journal: RunJournal,
  store: JournalStore,
  url: string | undefined,
  options: RestoreCommandOptions,
): Promise<boolean | undefined> {
  if (!url) {
    ctx.out.warn(
      "no health check URL (dr stack output 'healthCheckUrl' or --health-url): RTO is measured to data restored",
    );
    return undefined;
  }
  ctx.out.info(`health check ${url}`);
  journal.health = await checkHealth(url, {
    fetch: ctx.deps.fetch,
    clock: ctx.deps.clock,
    timeoutMs: options.healthTimeoutMs,
    signal: ctx.signal,
    onAttempt: (attempt, outcome) => ctx.out.info(`health check attempt ${attempt}: ${outcome}`),
  });
  store.save(journal);
  if (journal.health.healthy) {
    ctx.out.info(`healthy: ${url} answered HTTP ${journal.health.lastStatus}`);
  } else {
    ctx.out.warn(`NOT healthy: ${url}: ${journal.health.lastError ?? `HTTP ${journal.health.lastStatus}`}`);
  }
  return journal.health.healthy;
}
