import * as fs from "fs";
import { AwsClients, destroyAwsClients } from "../aws/clients";
import { iso } from "../clock";
import { CommandContext } from "../context";
import { chooseAppResources, planDrConfig } from "./flip/drConfig";
import { DrStack, DrStackOutputs } from "./drStack";
import { MANAGED_CONFIG_KEYS, cleanupDrill, revertDrillFlip, verifyDrillResources } from "./drill";
import { DrError, ExitCode, ExitCodeValue, InterruptedError, errorMessage } from "../errors";
import { FlipOutcome, restoreAndFlip } from "./flip/flip";
import { checkHealth } from "./verify/health";
import { JournalStore, RunJournal, RunKind, RunOutcome } from "./journal";
import { newRunId } from "./naming";
import { checkAsOfNotFuture, checkHealthUrl, checkRestoreFlags } from "./preflight/input";
import { RunLock } from "./runLock";
import { buildPlan, printMetadata, printPlan } from "./select/plan";
import { checkCredentials, checkVault, probePrimary } from "./preflight/aws";
import { describeSkipped, parseOnlyFilter } from "./select/recoveryPoints";
import { buildReport, renderSummary, writeReport } from "./report";
import { checkLiveRecovery, nextCommand, repointDescription } from "./preflight/liveRecovery";
import { PollOptions, isFinalStatus } from "./start/restoreJobs";
import { freshJobRecord } from "./start/restoreRun";
import { parseMetadataOverrides } from "./select/restoreMetadata";
import { parseAsOf } from "../time";

/** Options of `dr recover` and `dr drill`. */
export interface RestoreCommandOptions {
  /** Act without asking. Required when stdin is not a terminal. Default false. */
  readonly yes: boolean;
  /** Print the plan, the restore metadata and the config, start nothing. Default false. */
  readonly dryRun: boolean;
  /** Restore the newest point at or before this ISO time. Default: the newest. */
  readonly asOf?: string;
  /** Restore only these types / ARNs. Default: everything in the vault. */
  readonly only: readonly string[];
  /** `<type>.<key>=<value>` restore metadata overrides. */
  readonly metadata: readonly string[];
  /** Which restored resource feeds a single-valued dr config key when several qualify. */
  readonly appResources: readonly string[];
  /** Abandon an unfinished run and start a new one. Default false. */
  readonly newRun: boolean;
  /** Start new jobs for the failed restores of the last run. Default false. */
  readonly retryFailed: boolean;
  /** DR vault. Default: the dr stack's `drVaultName` output. */
  readonly vault?: string;
  /** Role AWS Backup restores with. Default: the dr stack's `backupRoleArn` output. */
  readonly iamRoleArn?: string;
  /** Health check URL. Default: the dr stack's `healthCheckUrl` output. */
  readonly healthUrl?: string;
  /** How long the health check may take. Default 10 minutes. */
  readonly healthTimeoutMs?: number;
  readonly poll?: PollOptions;
  /** Flip the dr stack to active. recover: default true (--no-flip); drill: default false (--flip). */
  readonly flip: boolean;
  /** Overlap the infrastructure update with the restores. Default true. */
  readonly overlap: boolean;
  /** recover: do not check that the primary region is down. Default false. */
  readonly skipPrimaryCheck?: boolean;
  /** drill: keep what was restored. Default false. */
  readonly keep?: boolean;
  /** drill: only delete what the last drill left (after --keep or a failure). Default false. */
  readonly cleanupOnly?: boolean;
}

/** `dr recover`: restore in the DR region, flip the dr stack to active, check health, report. */
export function runRecover(ctx: CommandContext, options: RestoreCommandOptions): Promise<number> {
  return runRestoreCommand(ctx, "recover", options);
}

/** `dr drill`: restore into drill-named resources, check them, report, delete them. */
export function runDrill(ctx: CommandContext, options: RestoreCommandOptions): Promise<number> {
  return runRestoreCommand(ctx, "drill", options);
}

async function runRestoreCommand(
  ctx: CommandContext,
  kind: RunKind,
  options: RestoreCommandOptions,
): Promise<number> {
  const { deps, global } = ctx;
  // The RTO is measured from here: the moment the operator started the command.
  const commandStart = deps.clock.now();
  // Bad input fails here, before the network is touched.
  checkRestoreFlags(kind, options);
  const asOf = options.asOf !== undefined ? parseAsOf(options.asOf) : undefined;
  if (asOf && options.asOf !== undefined) {
    checkAsOfNotFuture(options.asOf, asOf, commandStart);
  }
  options.only.forEach(parseOnlyFilter);
  const overrides = parseMetadataOverrides(options.metadata);
  if (options.healthUrl !== undefined) {
    checkHealthUrl("--health-url", options.healthUrl);
  }

  // One run at a time per state directory; a dry run reads only and needs no lock.
  const lock = options.dryRun
    ? undefined
    : RunLock.acquire(global.stateDir, { command: `dr ${kind}`, nowMs: commandStart });
  try {
    return await runLocked(ctx, kind, options, { commandStart, asOf, overrides, lock });
  } catch (err) {
    if (err instanceof InterruptedError) {
      const journal = new JournalStore(global.stateDir, kind).file;
      ctx.out.warn(
        fs.existsSync(journal)
          ? `interrupted: restore jobs already started keep running in AWS. Re-run the same command to resume (journal ${journal}).`
          : "interrupted: nothing was started. Re-run the same command to start.",
      );
      return ExitCode.interrupted;
    }
    throw err;
  } finally {
    lock?.release();
  }
}

interface ParsedInput {
  readonly commandStart: number;
  readonly asOf?: Date;
  readonly overrides: ReturnType<typeof parseMetadataOverrides>;
  readonly lock?: RunLock;
}

async function runLocked(
  ctx: CommandContext,
  kind: RunKind,
  options: RestoreCommandOptions,
  input: ParsedInput,
): Promise<number> {
  const { out, deps, global } = ctx;
  const { asOf, overrides } = input;
  const store = new JournalStore(global.stateDir, kind);
  let journal = store.load();
  let previousFinished: RunJournal | undefined;
  if (journal && options.newRun) {
    if (journal.state === "running") {
      out.warn(`abandoning ${kind} run ${journal.runId}: its restore jobs keep running in AWS`);
    }
    previousFinished = journal;
    journal = undefined;
  } else if (journal && journal.state === "finished" && !options.retryFailed && !options.cleanupOnly) {
    previousFinished = journal;
    journal = undefined;
  }
  if ((options.retryFailed || options.cleanupOnly) && !journal) {
    throw new DrError(
      `${options.retryFailed ? "--retry-failed" : "--cleanup"}: no previous ${kind} run in ${store.file}`,
    );
  }
  if (options.cleanupOnly && journal?.state === "running") {
    throw new DrError(
      `--cleanup: drill run ${journal.runId} has not finished: run 'dr drill' again to resume it (it cleans up at the end)`,
    );
  }
  const resuming = journal !== undefined;

  out.info(`dr stack '${global.stack}' (${global.workDir})`);
  const stack = await deps.openStack({
    stackName: global.stack,
    workDir: global.workDir,
    pulumiRoot: global.pulumiRoot,
  });
  const outputs = await readOutputs(stack);
  throwIfInterrupted(ctx.signal);
  // On an active dr stack the application already runs on restored data: a drill's flip would point it
  // at the drill's copies, then revert it to standby. A drill that flipped before a crash resumes.
  if (kind === "drill" && options.flip && !journal && outputs.mode === "active") {
    throw new DrError(
      `dr stack '${stack.name}' is active: 'drill --flip' would point the application it serves at the drill's copies and then put the stack back to standby. Run 'dr drill' without --flip, or drill once the dr stack is back in standby`,
    );
  }
  if (options.healthUrl === undefined && options.flip && outputs.healthCheckUrl !== undefined) {
    checkHealthUrl(`dr stack '${stack.name}' output healthCheckUrl`, outputs.healthCheckUrl);
  }
  // Starting a new recovery over one that is live would restore everything again and re-point the
  // stack the application now runs on: refused, with the command that does what was meant.
  const live =
    kind === "recover" && !journal && !options.cleanupOnly
      ? await checkLiveRecovery(ctx, stack, outputs, previousFinished, options)
      : undefined;
  const region = journal?.region ?? global.region ?? outputs.region ?? deps.env.AWS_REGION;
  if (!region) {
    throw new DrError("no DR region: the dr stack has no 'region' output; pass --region or set AWS_REGION");
  }
  const clients = deps.createClients({ region, profile: global.profile });
  try {
    const identity = await checkCredentials(clients.sts, global.profile);
    out.info(`AWS account ${identity.account} as ${identity.arn}, region ${region}`);
    const vaultName = journal?.vaultName ?? options.vault ?? outputs.drVaultName;
    if (!vaultName) {
      throw new DrError("no DR vault: the dr stack has no 'drVaultName' output; pass --vault <name>");
    }
    const vault = await checkVault(clients.backup, vaultName, region);
    out.info(`DR vault '${vaultName}': ${vault.numberOfRecoveryPoints} recovery points`);

    if (kind === "recover" && !options.cleanupOnly) {
      await checkPrimaryIsDown(ctx, outputs, options, resuming);
    }

    if (options.cleanupOnly && journal) {
      return await finishDrill(
        ctx,
        journal,
        store,
        clients,
        stack,
        outputs,
        { ...options, keep: false },
        true,
      );
    }

    if (journal) {
      if (options.asOf || options.only.length > 0 || options.metadata.length > 0) {
        out.warn(
          `resuming ${kind} run ${journal.runId}: its recovery points and metadata are kept, --as-of/--only/--metadata are ignored (pass --new-run to start over)`,
        );
      } else {
        out.info(`resuming ${kind} run ${journal.runId} started ${journal.startedAt}`);
      }
    }

    const runId = journal?.runId ?? newRunId(input.commandStart, deps.runIdSuffix);
    input.lock?.setRunId(runId);
    let plan = journal?.plan;
    let skipped = journal?.skipped ?? [];
    if (!plan) {
      const iamRoleArn = options.iamRoleArn ?? outputs.backupRoleArn;
      if (!iamRoleArn) {
        throw new DrError(
          "no restore role: the dr stack has no 'backupRoleArn' output; pass --iam-role-arn <arn>",
        );
      }
      const built = await buildPlan({
        clients,
        vaultName,
        region,
        kind,
        runId,
        asOf,
        only: options.only,
        overrides,
        iamRoleArn,
        network: outputs,
      });
      plan = built.plan;
      skipped = built.skipped;
      out.info(
        `${built.totalPoints} recovery points read; ${plan.length} to restore, ${describeSkipped(
          plan.map((p) => p.resourceArn),
          skipped,
        )}`,
      );
    }
    throwIfInterrupted(ctx.signal);
    const { app, problems } = options.flip
      ? chooseAppResources(plan, options.appResources)
      : { app: {}, problems: [] };
    if (problems.length > 0 && !options.dryRun) {
      throw new DrError(problems.join("; "));
    }

    out.print("");
    printPlan(out, plan, skipped, deps.clock.now());
    const config = planDrConfig(app, outputs);
    if (options.flip) {
      const preview = { ...config.early, ...config.latePreview };
      out.print("");
      out.print(`dr stack '${stack.name}' config to set, then pulumi up:`);
      for (const [key, value] of Object.entries(preview)) {
        out.print(`  ${key}: ${value}`);
      }
    }
    const repoint = live && repointDescription(live, config.early, options.flip);
    if (live && options.dryRun) {
      out.warn(`a real run would refuse without --new-run: ${live.summary}`);
    } else if (repoint) {
      out.warn(`--new-run: ${repoint}`);
    }
    if (options.dryRun) {
      printMetadata(out, plan);
      out.print("");
      for (const problem of problems) {
        out.warn(`a real run would refuse: ${problem}`);
      }
      out.print(
        `dry run: nothing was started${problems.length > 0 ? `; ${problems.length} problem(s) to fix first, listed on stderr` : ""}`,
      );
      return ExitCode.ok;
    }

    const retries = options.retryFailed && journal ? failedRecords(journal) : [];
    if (options.retryFailed && retries.length === 0) {
      throw new DrError(`--retry-failed: ${kind} run ${journal?.runId} has no failed restore`);
    }
    const jobsToStart = journal
      ? retries.length + plan.filter((p) => !journal?.jobs[p.recoveryPointArn]).length
      : plan.length;
    const question = `${kind === "recover" ? "Recover" : "Drill"}: ${
      jobsToStart > 0 ? `start ${jobsToStart} restore job(s)` : "resume waiting on the restore jobs"
    } in ${region}${options.flip ? ` and set dr stack '${stack.name}' to mode=active` : ""}`;
    // A new run over a live recovery re-points production: asked on a terminal even with --yes.
    await confirm(
      ctx,
      options.yes && !(repoint && deps.isTTY),
      repoint ? `${question}; ${repoint}` : question,
    );

    throwIfInterrupted(ctx.signal);
    const now = deps.clock.now();
    if (!journal) {
      if (previousFinished) {
        out.info(
          `previous ${kind} run ${previousFinished.runId} archived as ${store.archive(previousFinished)}`,
        );
      }
      journal = {
        version: 1,
        kind,
        runId,
        startedAt: iso(input.commandStart),
        state: "running",
        stackName: stack.name,
        region,
        vaultName,
        asOf: asOf?.toISOString(),
        plan,
        skipped,
        jobs: {},
        flips: [],
        resumedAt: [],
      };
    } else {
      journal.resumedAt.push(iso(now));
      journal.state = "running";
      for (const record of retries) {
        journal.jobs[record.recoveryPointArn] = {
          ...freshJobRecord(runId, record.recoveryPointArn, record.attempt + 1, now),
          previousJobIds: [
            ...(record.previousJobIds ?? []),
            ...(record.restoreJobId ? [record.restoreJobId] : []),
          ],
        };
      }
    }
    if (kind === "drill" && options.flip && !journal.previousConfig) {
      journal.previousConfig = await stack.getConfig(MANAGED_CONFIG_KEYS);
    }
    // Written (with every job's intent) by runRestoreJobs before the first AWS call.
    out.info(`${kind} run ${journal.runId}: journal ${store.file}`);

    const flip = await restoreAndFlip(
      journal,
      { clients, clock: deps.clock, store, out, signal: ctx.signal, poll: options.poll },
      options.flip
        ? {
            stack,
            config,
            outputs,
            overlap: options.overlap,
          }
        : undefined,
    );

    if (kind === "drill") {
      return await finishDrill(
        ctx,
        journal,
        store,
        clients,
        stack,
        flip?.outputs ?? outputs,
        options,
        false,
        flip,
      );
    }
    return await finishRecover(ctx, journal, store, outputs, options, flip);
  } finally {
    destroyAwsClients(clients);
  }
}

async function readOutputs(stack: DrStack): Promise<DrStackOutputs> {
  try {
    return await stack.outputs();
  } catch (err) {
    throw new DrError(`cannot read the outputs of dr stack '${stack.name}': ${errorMessage(err)}`);
  }
}

async function checkPrimaryIsDown(
  ctx: CommandContext,
  outputs: DrStackOutputs,
  options: RestoreCommandOptions,
  resuming: boolean,
): Promise<void> {
  const { out, deps, global } = ctx;
  if (options.skipPrimaryCheck) {
    out.warn("primary region check skipped (--skip-primary-check)");
    return;
  }
  if (resuming) {
    out.info("primary region check skipped: resuming a recovery already under way");
    return;
  }
  if (!outputs.primaryRegion || !outputs.primaryVaultName) {
    throw new DrError(
      "cannot check that the primary region is down: the dr stack has no 'primaryRegion'/'primaryVaultName' output; pass --skip-primary-check",
    );
  }
  const primary = deps.createClients({
    region: outputs.primaryRegion,
    profile: global.profile,
    maxAttempts: 1,
  });
  try {
    const probe = await probePrimary(primary.backup, outputs.primaryVaultName);
    if (!probe.reachable) {
      out.info(`primary region ${outputs.primaryRegion} is not answering (${probe.detail}): failing over`);
      return;
    }
    const message = `the primary region ${outputs.primaryRegion} is answering (${probe.detail})`;
    if (options.dryRun) {
      out.warn(`${message}: a real recover would refuse without --skip-primary-check`);
      return;
    }
    throw new DrError(
      `${message}: refusing to fail over while the primary may still be serving; pass --skip-primary-check if you are sure`,
    );
  } finally {
    destroyAwsClients(primary);
  }
}

async function confirm(ctx: CommandContext, yes: boolean, question: string): Promise<void> {
  if (yes) {
    return;
  }
  if (!ctx.deps.isTTY) {
    throw new DrError(`refusing to act without --yes: stdin is not a terminal (${question})`);
  }
  const answer = await ctx.deps.prompt(`${question}. Type 'yes' to continue: `, ctx.signal);
  if (answer.trim().toLowerCase() !== "yes") {
    throw new DrError("not confirmed: nothing was started");
  }
}

function failedRecords(journal: RunJournal) {
  return Object.values(journal.jobs).filter((j) => j.status === "FAILED" || j.status === "ABORTED");
}

function counts(journal: RunJournal) {
  const records = journal.plan.map((p) => journal.jobs[p.recoveryPointArn]);
  return {
    completed: records.filter((r) => r?.status === "COMPLETED").length,
    failed: records.filter((r) => r?.status === "FAILED" || r?.status === "ABORTED").length,
    unfinished: records.filter((r) => !r || !isFinalStatus(r.status)).length,
  };
}

async function healthCheck(
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

async function finishRecover(
  ctx: CommandContext,
  journal: RunJournal,
  store: JournalStore,
  outputs: DrStackOutputs,
  options: RestoreCommandOptions,
  flip: FlipOutcome | undefined,
): Promise<number> {
  const c = counts(journal);
  const notes: string[] = [];
  let healthy: boolean | undefined;
  if (flip && !flip.ok) {
    notes.push(`dr stack not flipped: ${flip.message ?? "update failed"}`);
  } else if (c.completed > 0 && (flip || options.healthUrl)) {
    healthy = await healthCheck(
      ctx,
      journal,
      store,
      options.healthUrl ?? flip?.outputs.healthCheckUrl ?? outputs.healthCheckUrl,
      options,
    );
  } else if (!flip) {
    ctx.out.info("dr stack not flipped (--no-flip): no health check unless --health-url is given");
  }
  let outcome: RunOutcome = "success";
  let code: ExitCodeValue = ExitCode.ok;
  if (c.completed === 0 || (flip && !flip.ok)) {
    outcome = "failed";
    code = ExitCode.failed;
  } else if (c.failed > 0 || c.unfinished > 0 || healthy === false) {
    outcome = "partial";
    code = ExitCode.partial;
  }
  if (c.unfinished > 0) {
    notes.push(`${c.unfinished} restore job(s) could not be followed to the end: re-run to resume waiting`);
  }
  return finish(ctx, journal, store, outputs, outcome, code, notes, c.unfinished === 0);
}

async function finishDrill(
  ctx: CommandContext,
  journal: RunJournal,
  store: JournalStore,
  clients: AwsClients,
  stack: DrStack,
  outputs: DrStackOutputs,
  options: RestoreCommandOptions,
  cleanupOnly: boolean,
  flip?: FlipOutcome,
): Promise<number> {
  const drillCtx = { clients, clock: ctx.deps.clock, store, out: ctx.out };
  const notes: string[] = [];
  let healthy: boolean | undefined;
  let verifyFailed = 0;
  if (!cleanupOnly) {
    verifyFailed = (await verifyDrillResources(journal, drillCtx)).failed;
    if (flip && !flip.ok) {
      notes.push(`dr stack not flipped: ${flip.message ?? "update failed"}`);
    } else if (flip) {
      healthy = await healthCheck(
        ctx,
        journal,
        store,
        options.healthUrl ?? flip.outputs.healthCheckUrl,
        options,
      );
    }
  }
  let cleanupFailed = 0;
  let cleanup: { kept: boolean; deleted: number; failed: number } | undefined;
  if (options.keep) {
    cleanup = { kept: true, deleted: 0, failed: 0 };
    notes.push(`resources kept (--keep): delete them with 'dr drill --cleanup'`);
  } else {
    const reverted = await revertDrillFlip(journal, drillCtx, stack);
    if (!reverted) {
      notes.push(
        "the dr stack could not be put back as it was: resources left in place, fix and run 'dr drill --cleanup'",
      );
      cleanupFailed++;
    } else {
      ctx.out.info(`cleanup: deleting what drill ${journal.runId} restored`);
      const result = await cleanupDrill(journal, drillCtx);
      cleanupFailed += result.failed;
    }
    const records = Object.values(journal.jobs);
    cleanup = {
      kept: false,
      deleted: records.filter((r) => r.deletion?.ok).length,
      failed: records.filter((r) => r.deletion && !r.deletion.ok).length,
    };
  }
  const c = counts(journal);
  let outcome: RunOutcome = "success";
  let code: ExitCodeValue = ExitCode.ok;
  if (c.completed === 0 || (flip && !flip.ok)) {
    outcome = "failed";
    code = ExitCode.failed;
  } else if (c.failed > 0 || c.unfinished > 0 || verifyFailed > 0 || healthy === false || cleanupFailed > 0) {
    outcome = "partial";
    code = ExitCode.partial;
  }
  return finish(ctx, journal, store, outputs, outcome, code, notes, c.unfinished === 0, cleanup);
}

async function finish(
  ctx: CommandContext,
  journal: RunJournal,
  store: JournalStore,
  outputs: DrStackOutputs,
  outcome: RunOutcome,
  code: ExitCodeValue,
  notes: string[],
  done: boolean,
  cleanup?: { kept: boolean; deleted: number; failed: number },
): Promise<number> {
  const now = ctx.deps.clock.now();
  const failed = counts(journal).failed;
  if (journal.kind === "recover" && outcome !== "success" && failed > 0) {
    notes.push(
      `next: '${nextCommand(ctx, "recover", "--retry-failed")}' restores only the ${failed} failed restore(s) and keeps what completed`,
    );
  }
  const report = buildReport(journal, {
    nowMs: now,
    outcome,
    rtoMinutes: outputs.rtoMinutes,
    rpoMinutes: outputs.rpoMinutes,
    cleanup,
    rehearsal: ctx.deps.rehearsal,
    notes: [
      ...notes,
      ...journal.plan.flatMap((p) =>
        p.notes.filter((n) => /must|not usable/.test(n)).map((n) => `${p.resourceName}: ${n}`),
      ),
    ],
  });
  const paths = await writeReport(report, ctx.global.reportDir);
  ctx.out.print("");
  for (const line of renderSummary(report)) {
    ctx.out.print(line);
  }
  for (const note of report.notes) {
    ctx.out.print(`  note: ${note}`);
  }
  ctx.out.print(`  report: ${paths.markdown} (JSON: ${paths.json})`);
  // The run is finished only once its report is out: interrupted before, a re-run resumes and
  // writes it (every job is final by then, so that re-run starts nothing).
  throwIfInterrupted(ctx.signal);
  if (done) {
    journal.state = "finished";
    journal.finishedAt = iso(now);
  }
  journal.outcome = outcome;
  store.save(journal);
  return code;
}

function throwIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted) {
    throw new InterruptedError();
  }
}
