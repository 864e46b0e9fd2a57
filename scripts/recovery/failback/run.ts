// `dr failback`: the preflight, then the phases in order on the journaled phase runner, then the report.
import { iso } from "../../clock";
import { CommandContext } from "../../context";
import { ExitCode, InterruptedError } from "../../errors";
import { cleanUpAfterDrill } from "../core/cleanup";
import { checkHealth } from "../core/health";
import { restoredClusters, waitForClusterInstances } from "../core/clusterInstances";
import { StartGate, runInterruptible } from "../core/interrupt";
import { JournalStore, RunJournal, RunOutcome } from "../core/journal";
import { newRunId } from "../core/naming";
import { RunLock } from "../core/runLock";
import { confirm } from "../core/confirm";
import { recheckFreeze, runFreeze } from "./freeze";
import {
  FAILBACK_DRILL_PHASES,
  FAILBACK_PHASES,
  FailbackJournal,
  FailbackKind,
  FailbackPhase,
  upgradeFailbackJournal,
} from "./journal";
import { FailbackOptions, checkFailbackOptions } from "./options";
import { PhaseContext, phaseJournal, save, throwIfInterrupted } from "./phaseContext";
import { namedResources, printFailbackPlan } from "./plan";
import { preCopyOutcome } from "./preCopy";
import { FailbackPreflight, runPreflight } from "./preflight";
import { runProdData } from "./prodData";
import { waitForCurrentServers, warnIfProdServes } from "./prodServers";
import {
  buildFailbackReport,
  failbackVerdictLine,
  renderFailbackSummary,
  writeFailbackReport,
} from "./report";
import { runPrimaryRestores } from "./restore";
import { runS3CopyBack } from "./s3CopyBack";
import { runStandby } from "./standby";
import { runTrafficBack } from "./traffic";
import { runTransfers } from "./transfer";
import { verifyRestoredResources } from "../core/restoredResources";
import { declaredNotSet } from "../core/inventory";
import { checkHealthUrl } from "../core/health";
import { PhaseResult, runPhases } from "../core/phaseRunner";

/** `dr failback` (and `dr failback --drill`): the application's data back to the primary region. */
export async function runFailback(ctx: CommandContext, options: FailbackOptions): Promise<number> {
  const { deps, global } = ctx;
  const commandStart = deps.clock.now();
  checkFailbackOptions(options);
  const kind: FailbackKind = options.drill ? "failback-drill" : "failback";
  // The same lock as recover and drill: a failback must never run beside a recovery.
  const lock = options.dryRun
    ? undefined
    : RunLock.acquire(global.stateDir, {
        command: `dr failback${options.drill ? " --drill" : ""}`,
        nowMs: commandStart,
      });
  const store = new JournalStore(global.stateDir, kind);
  return runInterruptible(
    {
      out: ctx.out,
      store,
      command: `dr failback${options.drill ? " --drill" : ""}`,
      signal: ctx.signal,
      lock,
    },
    (gate) => runLocked(ctx, options, { kind, store, lock, commandStart, gate }),
  );
}

interface RunSetup {
  readonly kind: FailbackKind;
  readonly store: JournalStore;
  readonly lock?: RunLock;
  readonly commandStart: number;
  /** Opened once the operator said go: from here Ctrl-C stops the run at a journaled point. */
  readonly gate: StartGate;
}

async function runLocked(ctx: CommandContext, options: FailbackOptions, setup: RunSetup): Promise<number> {
  const { out, deps } = ctx;
  const { kind, store } = setup;
  const loaded = store.load() as FailbackJournal | undefined;
  let journal = loaded && upgradeFailbackJournal(loaded);
  let previous: RunJournal | undefined;
  if (journal?.state === "finished") {
    previous = journal;
    journal = undefined;
  }
  if (journal) {
    out.info(`resuming ${kind} run ${journal.runId} started ${journal.startedAt}`);
  }
  const pre = await runPreflight(ctx, options, journal);
  try {
    stopIfInterrupted(ctx);
    const runId = journal?.runId ?? newRunId(setup.commandStart, deps.runIdSuffix);
    setup.lock?.setRunId(runId);
    const resources = journal?.failback.resources ?? namedResources(kind, runId, pre.resources);
    const healthUrl = options.healthUrl ?? pre.prodOutputs.healthCheckUrl;
    if (options.healthUrl === undefined && healthUrl !== undefined && !options.drill) {
      checkHealthUrl(`prod stack '${pre.prodStack.name}' output healthCheckUrl`, healthUrl);
    }
    printFailbackPlan(out, pre, kind, resources, options);
    if (!options.drill) {
      await warnIfProdServes(ctx, pre);
    }
    if (options.dryRun) {
      out.print("");
      out.print("dry run: nothing was started");
      return ExitCode.ok;
    }
    await confirm(
      ctx,
      options.yes,
      journal
        ? `${kind === "failback" ? "Failback" : "Failback drill"}: resume run ${journal.runId}`
        : options.drill
          ? `Failback drill: copy ${resources.length} recovery point(s) to ${pre.primaryRegion}, restore them as fbdrill- resources there, check and delete them`
          : `Failback: back up and copy ${resources.length} resource(s) to ${pre.primaryRegion}, freeze writes on dr stack '${pre.drStack.name}', restore into prod stack '${pre.prodStack.name}' and move traffic back`,
    );
    setup.gate.open();
    if (!journal) {
      if (previous) {
        out.info(`previous ${kind} run ${previous.runId} archived as ${store.archive(previous)}`);
      }
      journal = newJournal(kind, runId, setup.commandStart, pre, resources, options);
    } else {
      journal.resumedAt.push(iso(deps.clock.now()));
    }
    store.save(journal);
    out.info(`${kind} run ${journal.runId}: journal ${store.file}`);
    return await runFailbackPhases({ command: ctx, pre, journal, store, options }, healthUrl);
  } finally {
    pre.dispose();
  }
}

function stopIfInterrupted(ctx: CommandContext): void {
  if (ctx.signal.aborted) {
    throw new InterruptedError();
  }
}

function newJournal(
  kind: FailbackKind,
  runId: string,
  startMs: number,
  pre: FailbackPreflight,
  resources: FailbackJournal["failback"]["resources"],
  options: FailbackOptions,
): FailbackJournal {
  return {
    version: 1,
    kind,
    runId,
    startedAt: iso(startMs),
    state: "running",
    stackName: pre.drStack.name,
    region: pre.primaryRegion,
    vaultName: pre.primaryVault.name,
    plan: [],
    skipped: pre.skipped,
    jobs: {},
    flips: [],
    resumedAt: [],
    failback: {
      prodStackName: pre.prodStack.name,
      drRegion: pre.drRegion,
      drVaultName: pre.drVault.name,
      primaryVaultArn: pre.primaryVault.arn,
      backupRoleArn: pre.backupRoleArn,
      recoveryRunId: pre.recovery?.runId,
      recoveryStartedAt: pre.recovery?.startedAt,
      skipPreCopy: options.skipPreCopy,
      resources,
      buckets: pre.buckets,
      phases: [],
      transfers: [],
    },
  };
}

/** What each phase runs. */
function phaseBodies(
  pc: PhaseContext,
  healthUrl: string | undefined,
): Record<FailbackPhase, () => Promise<PhaseResult>> {
  const drillCtx = () => ({
    clients: pc.pre.primaryClients,
    clock: pc.command.deps.clock,
    store: pc.store,
    out: pc.command.out,
  });
  return {
    "pre-copy": async () =>
      pc.journal.failback.skipPreCopy
        ? { outcome: "skipped", detail: "--skip-pre-copy" }
        : preCopyOutcome(await runTransfers(pc, "pre-copy"), pc.journal.failback.transfers),
    freeze: () => runFreeze(pc),
    "final-copy": () => runTransfers(pc, "final-copy"),
    copy: () => runTransfers(pc, "copy"),
    restore: () => runPrimaryRestores(pc),
    "prod-data": () => runProdData(pc),
    "s3-copy": () => runS3CopyBack(pc),
    health: () => runProdHealth(pc, healthUrl),
    traffic: () => runTrafficBack(pc),
    standby: () => runStandby(pc),
    verify: async () => {
      const result = await verifyRestoredResources(pc.command, pc.journal, pc.store, pc.pre.primaryClients);
      return {
        outcome: result.failed > 0 ? "failed" : "ok",
        detail: `${result.ok} came up, ${result.failed} did not`,
      };
    },
    cleanup: async () => {
      if (pc.options.keep) {
        return { outcome: "skipped", detail: "--keep: the restored resources are kept" };
      }
      // A failback drill changes no stack, so there is no flip to revert before the deletions.
      const result = await cleanUpAfterDrill(pc.journal, drillCtx(), pc.pre.drStack, false);
      return {
        outcome: result.failed > 0 ? "failed" : "ok",
        detail: `${result.summary.deleted} deleted, ${result.summary.failed} failed`,
      };
    },
    report: async () => ({ outcome: "ok" }),
  };
}

async function runProdHealth(pc: PhaseContext, url: string | undefined): Promise<PhaseResult> {
  // An old server on the pre-disaster data answers the health check too: all must run the restored data first.
  const rollout = await waitForCurrentServers(pc);
  if (!rollout.ok) {
    return { outcome: "failed", detail: rollout.detail };
  }
  pc.command.out.info(`health: ${rollout.detail}`);
  // A failed-back Aurora cluster is usable once the DB instance prod's stack adds to it is available.
  const unusable = await waitForClusterInstances(restoredClusters(pc.journal), {
    clients: pc.pre.primaryClients,
    clock: pc.command.deps.clock,
    out: pc.command.out,
    signal: pc.command.signal,
    timeoutMs: pc.options.healthTimeoutMs,
  });
  if (unusable) {
    return { outcome: "failed", detail: `${unusable}; traffic stays on DR` };
  }
  if (!url) {
    return {
      outcome: "skipped",
      detail: `no health check URL (prod stack output 'healthCheckUrl' or --health-url)`,
    };
  }
  const { out, deps, signal } = pc.command;
  out.info(`health check ${url}`);
  pc.journal.health = await checkHealth(url, {
    fetch: deps.fetch,
    clock: deps.clock,
    timeoutMs: pc.options.healthTimeoutMs,
    signal,
    onAttempt: (attempt, outcome) => out.info(`health check attempt ${attempt}: ${outcome}`),
  });
  save(pc);
  const health = pc.journal.health;
  return health.healthy
    ? { outcome: "ok", detail: `${url} answered HTTP ${health.lastStatus}` }
    : {
        outcome: "failed",
        detail: `${url}: ${health.lastError ?? `HTTP ${health.lastStatus}`}; traffic stays on DR`,
      };
}

/**
 * Runs the phases in order from the first that has not ended; a failed phase stops the run (traffic
 * never moves back before the data is all there), and the report says where it stopped.
 */
async function runFailbackPhases(pc: PhaseContext, healthUrl: string | undefined): Promise<number> {
  const phases: readonly FailbackPhase[] =
    pc.journal.kind === "failback-drill" ? FAILBACK_DRILL_PHASES : FAILBACK_PHASES;
  const bodies = phaseBodies(pc, healthUrl);
  // A resumed run first makes sure nobody let dr serve again since the freeze (or refuses).
  await recheckFreeze(pc);
  // The report is written by finish, after the phases, whether they all ran or one stopped the run.
  const stoppedAt = await runPhases(
    phaseJournal(pc),
    phases
      .filter((phase) => phase !== "report")
      .map((name) => ({ name, run: bodies[name], stopsOnFailure: name !== "cleanup" })),
  );
  return finish(pc, stoppedAt);
}

async function finish(pc: PhaseContext, stoppedAt: FailbackPhase | undefined): Promise<number> {
  const { journal } = pc;
  const { out, deps } = pc.command;
  const notes: string[] = [];
  const drill = journal.kind === "failback-drill";
  let outcome: RunOutcome = "success";
  let code: number = ExitCode.ok;
  const cleanupFailed = journal.failback.phases.some((p) => p.phase === "cleanup" && p.outcome === "failed");
  if (stoppedAt) {
    const frozen = !drill && journal.failback.freeze && !journal.failback.freeze.endedAt;
    outcome = "failed";
    code = ExitCode.failed;
    notes.push(
      `stopped at ${stoppedAt}: ${journal.failback.phases.find((p) => p.phase === stoppedAt)?.detail ?? "failed"}. Fix the cause and re-run the same command: it resumes at ${stoppedAt}, retrying only what failed`,
    );
    const prodServes = journal.failback.phases.some((p) => p.phase === "prod-data" && p.outcome === "ok");
    if (frozen && prodServes) {
      notes.push(
        `prod-data lifted prod's hold: prod stack '${journal.failback.prodStackName}' serves the restored data and takes writes (with dr at zero servers Route 53 answers prod's record); do NOT let dr serve (its drActiveMinSize and drActiveDesiredCapacity stay 0): its writes would be in none of prod's data. Fix the cause and re-run the same command: it resumes at ${stoppedAt}`,
      );
    } else if (frozen) {
      const restoring = journal.failback.phases.some((p) => p.phase === "restore");
      notes.push(
        restoring
          ? `writes are still frozen on dr stack '${journal.stackName}' and traffic is still on DR; the restores in ${journal.region} have begun from the final backups: let dr serve again now (its drActiveMinSize and drActiveDesiredCapacity back) and this run cannot bring those writes back: the re-run refuses and a new failback must start`
          : `writes are still frozen on dr stack '${journal.stackName}' and traffic is still on DR: to serve from DR meanwhile, set its drActiveMinSize and drActiveDesiredCapacity back and run pulumi up; the re-run sees dr serving, freezes it again and takes new final backups`,
      );
    }
  } else if (cleanupFailed || declaredNotSet(journal).length > 0) {
    outcome = "partial";
    code = ExitCode.partial;
  }
  // A copy prod serves, but not as its inventory entry declares (AWS refused): AWS's reason and the command.
  notes.push(...declaredNotSet(journal));
  if (!drill && !stoppedAt) {
    notes.push(
      `the resources restored in ${journal.failback.drRegion} and the pre-disaster resources in ${journal.region} are kept: delete them once prod has run on its own`,
    );
  }
  const records = Object.values(journal.jobs);
  const cleanup = drill
    ? pc.options.keep
      ? { kept: true, deleted: 0, failed: 0 }
      : {
          kept: false,
          deleted: records.filter((r) => r.deletion?.ok).length,
          failed: records.filter((r) => r.deletion && !r.deletion.ok).length,
        }
    : undefined;
  const report = buildFailbackReport(journal, {
    nowMs: deps.clock.now(),
    outcome,
    cleanup,
    notes,
    rehearsal: deps.rehearsal,
  });
  const paths = await writeFailbackReport(report, pc.command.global.reportDir);
  out.print("");
  for (const line of renderFailbackSummary(report)) {
    out.print(line);
  }
  for (const note of report.notes) {
    out.print(`  note: ${note}`);
  }
  out.print(`  report: ${paths.markdown} (JSON: ${paths.json})`);
  out.print(failbackVerdictLine(report));
  // Finished only once the report is out; a run that stopped at a failed phase stays open for the re-run.
  throwIfInterrupted(pc);
  journal.outcome = outcome;
  if (!stoppedAt) {
    journal.state = "finished";
    journal.finishedAt = report.finishedAt;
  }
  save(pc);
  // The outcome's code, or 1 when writes made in DR were lost (the verdict's objective).
  return Math.max(code, report.verdict.exitCode);
}
