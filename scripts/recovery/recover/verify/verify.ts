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
import { describeAwsError } from "../../../aws/errors";
import { DrError, ExitCode, InterruptedError } from "../../../errors";
import { openCompute } from "../../compute/open";
import { RolloutWait, waitForRollout } from "../../compute/rolloutWait";

/** What the verify phase found. */
export interface Verification {
  /** The health check's verdict; undefined when there was none. */
  readonly healthy?: boolean;
  /** Drill: restored resources that did not come up. */
  readonly resourcesFailed: number;
  readonly notes: string[];
}

/** How long the dr stack's rollout may take after the flip without `--rollout-timeout`: 30 minutes, as the flag's default. */
const DEFAULT_ROLLOUT_TIMEOUT_MS = 30 * 60_000;

/** What a run that verifies nothing found (`drill --cleanup`). */
export const NOT_VERIFIED: Verification = { resourcesFailed: 0, notes: [] };

/**
 * After the restores and the flip: a drill checks that each resource it restored came up; the
 * application's health check runs when the dr stack was flipped (a recovery with restored data: also with
 * `--health-url` and no flip). After a flip it first waits for the dr stack's rollout (its compute
 * module: every server on the group's latest launch template version, or every task on the service's
 * latest task definition revision and healthy in its target group with no other target healthy), since a
 * server or task still on the configuration before the flip (a re-flip of an active stack, or the data
 * update after the infrastructure one) answers the health check as well as a new one: a rollout not done
 * within `--rollout-timeout`, or one AWS ended with old units left, leaves the run not healthy.
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
  const notes: string[] = [];
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
  if (checksHealth && flip) {
    const rollout = await waitForDrRollout(ctx, clients, flip.outputs, options);
    if (rollout.state === "missing") {
      const note = `the dr stack's rollout could not be followed: ${rollout.detail}; the health check's answer is taken as it is`;
      ctx.out.warn(note);
      notes.push(note);
    } else if (rollout.state !== "done") {
      const note = `the dr stack's rollout is not done: ${rollout.detail}; a server or task on the configuration before the flip may still answer, so the health check does not count (re-run \`dr ${journal.kind}\` once it is done)`;
      ctx.out.warn(`NOT healthy: ${note}`);
      return { healthy: false, resourcesFailed, notes: [note] };
    } else {
      ctx.out.info(`verify: ${rollout.detail}`);
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
  return { healthy, resourcesFailed, notes };
}

/**
 * Waits for the rollout of the dr stack's compute (its `compute` output, else its Auto Scaling group by
 * tag) in the DR region: DescribeAutoScalingGroups and DescribeInstanceRefreshes, or ECS DescribeServices,
 * DescribeTaskDefinition, ListTasks/DescribeTasks and ELB DescribeTargetHealth, all regional data planes
 * of the DR region. A call that fails stops the phase; a re-run resumes it.
 */
async function waitForDrRollout(
  ctx: CommandContext,
  clients: AwsClients,
  outputs: DrOutputs,
  options: RestoreCommandOptions,
): Promise<RolloutWait> {
  const compute = openCompute(
    {
      output: outputs.compute,
      role: "dr",
      region: clients.region,
      profile: ctx.global.profile,
      vpcId: outputs.vpcId,
      privateSubnetIds: outputs.privateSubnetIds,
    },
    clients.ec2,
  );
  try {
    return await waitForRollout(compute, {
      clock: ctx.deps.clock,
      out: ctx.out,
      signal: ctx.signal,
      timeoutMs: options.rolloutTimeoutMs ?? DEFAULT_ROLLOUT_TIMEOUT_MS,
      poll: options.poll,
      label: "verify",
    });
  } catch (err) {
    if (err instanceof DrError || err instanceof InterruptedError) throw err;
    throw new DrError(
      `cannot follow the dr stack's rollout in ${clients.region}: ${describeAwsError(err)}; re-run to resume`,
      ExitCode.failed,
    );
  } finally {
    compute.dispose();
  }
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
