// The restore run: starts each planned restore once (intent journaled first), polls them, protects what they made.
import { AwsClients } from "../../aws/clients";
import { describeAwsError } from "../../aws/errors";
import { Clock, iso } from "../../clock";
import { InterruptedError, errorMessage } from "../../errors";
import type { RestoredSettings } from "../../../stacks/drContract";
import { JobRecord, JournalStore, JournalWriter, PlannedRestore, RunJournal } from "./journal";
import { Output } from "../../output";
import { CredentialTarget, afterDatabaseRestore } from "../resources/credential";
import { resourceOf } from "../resources/registry";
import { restoredResourceId } from "./restoredResources";
import { PollOptions, findRestoreJob, idempotencyToken, isFinalStatus, startRestoreJob } from "./restoreJobs";
import { RestoreJobMonitor } from "./restoreMonitor";
import { PacerOptions } from "./progressPacer";
import { RunProgress } from "./runProgress";
import { formatDuration } from "../../time";
import { DrOutputs } from "../../dependencies";

/** What {@link runRestoreJobs} needs. */
export interface RestoreRunContext {
  readonly clients: AwsClients;
  readonly clock: Clock;
  readonly store: JournalStore;
  readonly out: Output;
  readonly signal?: AbortSignal;
  readonly poll?: PollOptions;
  /** StartRestoreJob calls in flight at once. Default 20 (the SDK's adaptive retry absorbs throttling). */
  readonly startConcurrency?: number;
  /** When progress lines print in a long wait. Default: see {@link PacerOptions}. */
  readonly pacing?: PacerOptions;
  /** Where each of the application's restored databases gets its new credential. Default: no credential step. */
  readonly credentials?: readonly CredentialTarget[];
  /**
   * Prod's settings to give each completed copy (ResourceRecovery.protectRestored), with the clients above
   * (the restore's region). Undefined: none, as for a drill's copies, which must not be backed up.
   */
  readonly protect?: RestoredSettings;
}

/**
 * The dr stack's `restoredSettings` for {@link RestoreRunContext.protect}; without it (a dr stack deployed
 * before the output existed) a warning that restored tables and databases will lack prod's tags and windows.
 */
export function restoredSettingsOrWarn(outputs: DrOutputs, out: Output): RestoredSettings | undefined {
  if (!outputs.restoredSettings) {
    out.warn(
      "the dr stack has no 'restoredSettings' output: restored tables and databases will not get prod's selection tags, point-in-time recovery or windows (run 'pulumi up' on the dr stack)",
    );
  }
  return outputs.restoredSettings;
}

/** Callbacks that let the flip of the dr stack overlap the restores. */
export interface RestoreRunHooks {
  /** Every planned restore has been started, or has failed to start. */
  readonly onAllStarted?: () => void;
  /** A restore reached a final state (or could not be followed any more). */
  readonly onSettled?: (plan: PlannedRestore, record: JobRecord) => void;
}

/** A new job record (attempt 1) or the next attempt of a failed one. */
export function freshJobRecord(
  runId: string,
  recoveryPointArn: string,
  attempt: number,
  nowMs: number,
): JobRecord {
  return {
    recoveryPointArn,
    attempt,
    idempotencyToken: idempotencyToken(runId, recoveryPointArn, attempt),
    intentAt: iso(nowMs),
    status: "STARTING",
  };
}

/** The next attempt of a failed restore: a new idempotency token; the earlier jobs are never adopted for it. */
export function retryJobRecord(runId: string, record: JobRecord, nowMs: number): JobRecord {
  return {
    ...freshJobRecord(runId, record.recoveryPointArn, record.attempt + 1, nowMs),
    previousJobIds: [...(record.previousJobIds ?? []), ...(record.restoreJobId ? [record.restoreJobId] : [])],
  };
}

/**
 * Starts every planned restore that has no job yet, in parallel, and follows all of them to a
 * final state. The intent to start every job (with its idempotency token) is written durably in
 * one save before the first StartRestoreJob, each job id as soon as AWS answers, so a re-run after
 * a crash resumes the same jobs and never starts a duplicate. A job that fails does not stop the
 * others. Only an interruption (Ctrl-C) rejects; the journal then holds everything needed to
 * resume.
 */
export async function runRestoreJobs(
  journal: RunJournal,
  ctx: RestoreRunContext,
  hooks: RestoreRunHooks = {},
): Promise<void> {
  const processStart = ctx.clock.now();
  // Records made here cannot have reached AWS yet; any other STARTING one may have.
  const createdHere = new Set<string>();
  for (const plan of journal.plan) {
    if (!journal.jobs[plan.recoveryPointArn]) {
      journal.jobs[plan.recoveryPointArn] = freshJobRecord(
        journal.runId,
        plan.recoveryPointArn,
        1,
        processStart,
      );
      createdHere.add(plan.recoveryPointArn);
    }
  }
  ctx.store.save(journal);
  const writer = new JournalWriter(ctx.store, journal);
  const limiter = new Limiter(ctx.startConcurrency ?? 20);
  // One monitor follows every job of the run, on its own client (its own retry budget).
  const monitor = new RestoreJobMonitor(ctx.clients.backupMonitor, {
    clock: ctx.clock,
    signal: ctx.signal,
    poll: ctx.poll,
  });
  const progress = new RunProgress(journal, ctx, monitor, ctx.pacing);
  const startedSignals: Promise<void>[] = [];
  const follow = journal.plan.map((plan) => {
    let markStarted: () => void = () => undefined;
    startedSignals.push(new Promise<void>((resolve) => (markStarted = resolve)));
    // A STARTING record of an earlier process (or a retry's) may have reached AWS before it died.
    const record = journal.jobs[plan.recoveryPointArn];
    const mayHaveStarted = record.status === "STARTING" && !createdHere.has(plan.recoveryPointArn);
    return followRestore({
      runId: journal.runId,
      plan,
      record,
      mayHaveStarted,
      ctx,
      limiter,
      monitor,
      progress,
      save: () => writer.request(),
      markStarted,
      hooks,
    });
  });
  void Promise.all(startedSignals).then(() => hooks.onAllStarted?.());

  const ticker = new AbortController();
  const summary = progress.summaries(
    ctx.signal ? AbortSignal.any([ticker.signal, ctx.signal]) : ticker.signal,
  );
  const results = await Promise.allSettled(follow);
  ticker.abort();
  await summary;
  await writer.flush();
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) {
    throw failure.reason;
  }
}

interface FollowArgs {
  readonly runId: string;
  readonly plan: PlannedRestore;
  readonly record: JobRecord;
  /** The record was left STARTING by an earlier process: AWS may already have the job. */
  readonly mayHaveStarted: boolean;
  readonly ctx: RestoreRunContext;
  readonly limiter: Limiter;
  readonly monitor: RestoreJobMonitor;
  readonly progress: RunProgress;
  /** Requests a (coalesced) journal write. */
  readonly save: () => void;
  /** Called once the job is started or failed to start. */
  readonly markStarted: () => void;
  readonly hooks: RestoreRunHooks;
}

/** Starts (or adopts) the restore of one recovery point and follows it to a final state. */
async function followRestore(args: FollowArgs): Promise<void> {
  const { plan, record, mayHaveStarted, ctx, limiter, monitor, progress, save, markStarted, hooks } = args;
  const label = `${plan.resourceType} ${plan.resourceName}`;
  const settle = () => hooks.onSettled?.(plan, record);

  try {
    if (!record.restoreJobId && record.status === "STARTING") {
      await limiter.run(async () => {
        let jobId: string | undefined;
        let adopted = false;
        if (mayHaveStarted) {
          // The previous process may have been killed after AWS accepted the start but before the
          // answer reached the journal; look before starting (tokens expire after an hour).
          const since = new Date(Date.parse(record.intentAt) - 5 * 60_000);
          jobId = await findRestoreJob(
            ctx.clients.backup,
            plan.recoveryPointArn,
            since,
            record.previousJobIds ?? [],
          ).catch(() => undefined);
          adopted = jobId !== undefined;
        }
        jobId ??= await startRestoreJob(ctx.clients.backup, plan, record.idempotencyToken, ctx);
        record.restoreJobId = jobId;
        record.startedAt = iso(ctx.clock.now());
        record.status = "PENDING";
        save();
        ctx.out.info(
          adopted
            ? `${label}: adopting restore job ${jobId}, started before the interruption`
            : `${label}: restore job ${jobId} started${plan.targetName ? ` -> ${plan.targetName}` : ""}`,
        );
        progress.event(plan);
      });
    } else if (record.restoreJobId && !isFinalStatus(record.status)) {
      ctx.out.info(`${label}: resuming wait on restore job ${record.restoreJobId} (${record.status})`);
      progress.event(plan);
    }
  } catch (err) {
    markStarted();
    if (err instanceof InterruptedError || ctx.signal?.aborted) {
      throw err instanceof InterruptedError ? err : new InterruptedError();
    }
    record.status = "FAILED";
    record.statusMessage = `StartRestoreJob failed: ${describeAwsError(err)}`;
    record.completedAt = iso(ctx.clock.now());
    save();
    ctx.out.warn(`${label}: ${record.statusMessage}`);
    settle();
    return;
  }
  markStarted();

  if (record.restoreJobId && !isFinalStatus(record.status)) {
    try {
      const createdAt = record.startedAt ? Date.parse(record.startedAt) : ctx.clock.now();
      const final = await monitor.follow(record.restoreJobId, createdAt, (snapshot) => {
        const statusChanged = snapshot.status !== record.status;
        // Every state change, and progress in steps: 40 jobs must stay readable.
        progress.change(plan, record, snapshot);
        record.status = snapshot.status;
        record.percentDone = snapshot.percentDone;
        if (statusChanged) {
          save();
        }
      });
      record.status = final.status;
      record.statusMessage = final.statusMessage;
      record.createdResourceArn = final.createdResourceArn;
      record.completedAt = iso(final.completionDate?.getTime() ?? ctx.clock.now());
      save();
    } catch (err) {
      if (err instanceof InterruptedError) {
        throw err;
      }
      record.statusMessage = `lost track of the job (re-run to resume): ${errorMessage(err)}`;
      save();
      ctx.out.warn(`${label}: ${record.statusMessage}`);
      settle();
      return;
    }
  }

  if (record.status === "COMPLETED" && !record.resourceId) {
    record.resourceId = record.createdResourceArn
      ? restoredResourceId(record.createdResourceArn)
      : plan.targetName;
    const { lookUpEndpoint } = resourceOf(plan.resourceType);
    if (record.resourceId && lookUpEndpoint) {
      try {
        record.endpoint = await lookUpEndpoint(ctx.clients, record.resourceId);
      } catch (err) {
        ctx.out.warn(`${label}: restored, but its endpoint could not be read: ${describeAwsError(err)}`);
      }
    }
    save();
  }
  if (record.status === "COMPLETED" && ctx.protect && record.resourceId && !record.protection?.ok) {
    await protectCopy(plan, record, ctx.protect, ctx);
    save();
  }
  if (record.status === "COMPLETED" && plan.declared && record.resourceId && !record.declared?.ok) {
    await applyDeclared(plan, record, ctx);
    save();
  }
  await afterDatabaseRestore(plan, record, { ...ctx, runId: args.runId, save, pollMs: ctx.poll?.maxDelayMs });
  if (record.status === "COMPLETED") {
    const took =
      record.startedAt && record.completedAt
        ? Date.parse(record.completedAt) - Date.parse(record.startedAt)
        : 0;
    ctx.out.info(
      `${label}: COMPLETED in ${formatDuration(took)} -> ${record.endpoint ?? record.resourceId ?? record.createdResourceArn ?? "?"}`,
    );
    progress.completed(plan, record);
    progress.event(plan);
  } else if (record.status === "FAILED" || record.status === "ABORTED") {
    ctx.out.warn(
      `${label}: restore job ${record.restoreJobId} ${record.status}: ${record.statusMessage ?? "no message from AWS"}`,
    );
    progress.event(plan);
  }
  settle();
}

/**
 * The post-restore step of a recovery's or failback's copy: prod's tags, PITR and windows (the type's
 * `protectRestored`), recorded in the job record; a failure is a warning, retried by a re-run, the data
 * itself being restored.
 */
async function protectCopy(
  plan: PlannedRestore,
  record: JobRecord,
  settings: RestoredSettings,
  ctx: RestoreRunContext,
): Promise<void> {
  const { protectRestored } = resourceOf(plan.resourceType);
  if (!protectRestored || !record.resourceId) {
    return;
  }
  const label = `${plan.resourceType} ${plan.resourceName}`;
  try {
    const detail = await protectRestored(
      ctx.clients,
      { id: record.resourceId, arn: record.createdResourceArn },
      settings,
    );
    record.protection = { ok: true, detail, at: iso(ctx.clock.now()) };
    ctx.out.info(`${label}: ${detail}`);
  } catch (err) {
    const detail = `restored, but not made like prod's (its backups may not select it): ${describeAwsError(err)}; re-run to retry`;
    record.protection = { ok: false, detail, at: iso(ctx.clock.now()) };
    ctx.out.warn(`${label}: ${detail}`);
  }
}

/**
 * Sets on a completed copy what its restore does not keep of its inventory entry (`plan.declared`: an EFS
 * file system's throughput), recorded in the job record. A refusal is the run's partial outcome with AWS's
 * reason and the command that sets it by hand (recover/report/outcome.ts): the copy serves, but not as the
 * entry declares. A resumed run (interrupted before its report) tries again.
 */
async function applyDeclared(plan: PlannedRestore, record: JobRecord, ctx: RestoreRunContext): Promise<void> {
  const { applyDeclared: apply, declaredCommand } = resourceOf(plan.resourceType);
  if (!apply || !plan.declared || !record.resourceId) {
    return;
  }
  const label = `${plan.resourceType} ${plan.resourceName}`;
  try {
    const detail = await apply(
      ctx.clients,
      { id: record.resourceId, arn: record.createdResourceArn },
      plan.declared,
      { clock: ctx.clock, signal: ctx.signal },
    );
    record.declared = { ok: true, detail, at: iso(ctx.clock.now()) };
    ctx.out.info(`${label}: ${detail}`);
  } catch (err) {
    const command = declaredCommand?.(ctx.clients.region, record.resourceId, plan.declared);
    const detail = `restored and served, but without the ${plan.declared.summary} the data inventory's '${plan.declared.entry}' declares: ${describeAwsError(err)}${command ? `; set it once AWS allows: ${command}` : ""}`;
    record.declared = { ok: false, detail, at: iso(ctx.clock.now()) };
    ctx.out.warn(`${label}: ${detail}`);
  }
}

/** Runs at most `limit` tasks at once. */
class Limiter {
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      // The finishing task hands its slot over directly, so the count never exceeds the limit.
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next) {
        next();
      } else {
        this.active--;
      }
    }
  }
}
