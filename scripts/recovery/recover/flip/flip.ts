// The flip phase: the restores with the dr stack's update to active overlapping them.
import type { DataWiring, DrConfigPlan, UnwiredEntry } from "../../core/drConfig";
import { verifyRestored } from "../../core/restoredResources";
import { InterruptedError } from "../../../errors";
import { iso } from "../../../clock";
import { FlipRecord, RunJournal } from "../../core/journal";
import { applyConfig } from "../../core/stackUpdate";
import { RestoreRunContext, runRestoreJobs } from "../../core/restoreRun";
import { DrOutputs, StackHandle } from "../../../dependencies";

/** How to flip the dr stack while (or after) restoring. */
export interface FlipPlan {
  readonly stack: StackHandle;
  /** What to set, and when: worked out once, before the run starts. */
  readonly config: DrConfigPlan;
  /** The dr stack's outputs before the flip. */
  readonly outputs: DrOutputs;
  /**
   * Overlap the infrastructure update with the data restores: as soon as the jobs are started, set
   * `mode: active` (the five single-valued keys removed) and run `up`; once every restore the data
   * inventory names has settled and the completed copies are found to exist, set `restoredData` naming
   * only those and run a second, small `up`. Default true; false runs one `up` after every restore has
   * finished.
   */
  readonly overlap: boolean;
}

/** The end state of the flip. */
export interface FlipOutcome {
  readonly ok: boolean;
  readonly message?: string;
  /** Outputs after the last successful `up`. */
  readonly outputs: DrOutputs;
  /**
   * The data inventory's entries the flip did not point the application at, each with why (a restore that
   * failed, did not finish, or was not found usable; no recovery point). Absent from a journal before it.
   */
  readonly unwired?: UnwiredEntry[];
}

/**
 * Restores every planned recovery point and, when `flip` is given, flips the dr stack to active,
 * overlapping the two where they do not depend on each other. Rejects only on interruption.
 */
export async function restoreAndFlip(
  journal: RunJournal,
  ctx: RestoreRunContext,
  flip?: FlipPlan,
): Promise<FlipOutcome | undefined> {
  const settled = new Map(journal.plan.map((p) => [p.recoveryPointArn, deferred()]));
  const allStarted = deferred();
  const restores = runRestoreJobs(journal, ctx, {
    onAllStarted: allStarted.resolve,
    onSettled: (plan) => settled.get(plan.recoveryPointArn)?.resolve(),
  });
  const flipping = flip ? flipStack(journal, ctx, flip, settled, allStarted.promise) : undefined;
  // Both are settled together: an interruption rejects the flip while the restores are still being
  // awaited, and a rejection nobody listens to yet would crash the process with a stack trace.
  const [restored, flipped] = await Promise.allSettled([restores, flipping]);
  if (restored.status === "rejected") {
    throw restored.reason;
  }
  if (flipped.status === "rejected") {
    throw flipped.reason;
  }
  return flipped.value;
}

async function flipStack(
  journal: RunJournal,
  ctx: RestoreRunContext,
  flip: FlipPlan,
  settled: Map<string, Deferred>,
  allStarted: Promise<void>,
): Promise<FlipOutcome> {
  const config = flip.config;
  let outputs = flip.outputs;
  const phase = async (
    name: FlipRecord["phase"],
    values: Record<string, string>,
    removeKeys: readonly string[] = [],
  ): Promise<FlipOutcome> => {
    const done = lastUpdate(journal, name);
    if (done?.ok === true && sameConfig(done.config, values)) {
      ctx.out.info(`dr stack ${flip.stack.name}: ${name} update already applied at ${done.endedAt}`);
      return { ok: true, outputs };
    }
    const result = await applyConfig(journal, ctx, flip.stack, name, values, removeKeys);
    if (result.outputs) {
      outputs = result.outputs;
    }
    return { ok: result.ok, message: result.message, outputs };
  };
  /** The restores verified, then `restoredData` from those usable; every entry left out warned of. */
  const wiring = async (): Promise<DataWiring> => {
    await verifyCompleted(journal, ctx, config);
    const wired = config.late(journal);
    for (const entry of wired.unwired) {
      ctx.out.warn(`data inventory '${entry.name}' (${entry.kind}) not wired: ${entry.reason}`);
    }
    return wired;
  };
  // The single-valued keys go in the first update too: a value left from before must not point the
  // application at a resource while restoredData is still waiting for the restores. Removing a key the
  // stack does not have is no error (`pulumi config rm` of an absent key does nothing: pulumi/pulumi#732).
  const earlyRemoves = config.removeKeys;

  if (flip.overlap) {
    await untilOrAborted(allStarted, ctx.signal);
    if (!Object.values(journal.jobs).some((j) => j.restoreJobId)) {
      return {
        ok: false,
        message: "no restore job could be started: the dr stack was left as it was",
        outputs,
      };
    }
    const infrastructure = await phase("infrastructure", config.early, earlyRemoves);
    if (!infrastructure.ok) {
      return infrastructure;
    }
    if (config.lateDependencies.length === 0) {
      return { ...infrastructure, unwired: config.late(journal).unwired };
    }
    await untilOrAborted(
      Promise.all(config.lateDependencies.map((p) => settled.get(p.recoveryPointArn)?.promise)),
      ctx.signal,
    );
    const late = await wiring();
    if (Object.keys(late.config).length === 0) {
      ctx.out.warn("no restore of the data inventory completed: restoredData is not set on the dr stack");
      return { ...infrastructure, unwired: late.unwired };
    }
    return { ...(await phase("data", late.config, config.removeKeys)), unwired: late.unwired };
  }

  await untilOrAborted(Promise.all([...settled.values()].map((d) => d.promise)), ctx.signal);
  if (!Object.values(journal.jobs).some((j) => j.status === "COMPLETED")) {
    return { ok: false, message: "no restore completed: the dr stack was left as it was", outputs };
  }
  const late = await wiring();
  return {
    ...(await phase("all", { ...config.early, ...late.config }, config.removeKeys)),
    unwired: late.unwired,
  };
}

/**
 * Checks that each completed restore `restoredData` will name exists and is usable (its type's verify: DB
 * available, table ACTIVE, ...), once, recording the result on its job: one found missing is not wired.
 */
async function verifyCompleted(
  journal: RunJournal,
  ctx: RestoreRunContext,
  config: DrConfigPlan,
): Promise<void> {
  await Promise.all(
    config.lateDependencies.map(async (plan) => {
      const record = journal.jobs[plan.recoveryPointArn];
      if (record?.status !== "COMPLETED" || !record.resourceId || record.verification) {
        return;
      }
      const result = await verifyRestored(ctx.clients, plan.resourceType, record.resourceId);
      record.verification = { ...result, at: iso(ctx.clock.now()) };
    }),
  );
  ctx.store.save(journal);
}

/**
 * The last `phase` update of the stack, unless a revert came after it: the stack is where the last record
 * in order left it, whatever succeeded before (a drill's flip phase run again after its clean-up).
 */
function lastUpdate(journal: RunJournal, phase: FlipRecord["phase"]): FlipRecord | undefined {
  for (let i = journal.flips.length - 1; i >= 0; i--) {
    const record = journal.flips[i];
    if (record.phase === phase) {
      return record;
    }
    if (record.phase === "revert") {
      return undefined;
    }
  }
  return undefined;
}

function sameConfig(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function untilOrAborted(promise: Promise<unknown>, signal?: AbortSignal): Promise<void> {
  if (!signal) {
    await promise;
    return;
  }
  if (signal.aborted) {
    throw new InterruptedError();
  }
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new InterruptedError());
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}
