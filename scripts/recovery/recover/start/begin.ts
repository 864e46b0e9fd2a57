// The start phase: the operator's go, then the run written into its journal (new, resumed or retried).
import { iso } from "../../../clock";
import { CommandContext } from "../../../context";
import { DrError } from "../../../errors";
import { StartGate } from "../../core/interrupt";
import { MANAGED_CONFIG_KEYS } from "../../core/stackHandle";
import { JobRecord, JournalStore, RunJournal, RunKind } from "../../core/journal";
import { RestoreCommandOptions } from "../options";
import { ParsedInput } from "../preflight/input";
import { RecoverPreflight } from "../preflight/preflight";
import { RunToContinue } from "../preflight/run";
import { confirm } from "../../core/confirm";
import { Selection } from "../select/select";
import { retryJobRecord } from "../../core/restoreRun";

/** What {@link beginRun} starts from. */
export interface RunStart {
  readonly kind: RunKind;
  readonly runId: string;
  /** When the operator started the command: the RTO is measured from it. */
  readonly commandStart: number;
  readonly input: ParsedInput;
  readonly run: RunToContinue;
  readonly pre: RecoverPreflight;
  readonly selection: Selection;
  /** What a new run over a live recovery re-points, for the question; undefined otherwise. */
  readonly repoint?: string;
  /** Opened once the operator said go: from here Ctrl-C stops the run at a journaled point. */
  readonly gate: StartGate;
}

/**
 * Asks the operator (unless `--yes`), then writes the run into its journal: a new run (the previous one
 * archived), or the resumed one with a new attempt for each failed restore (`--retry-failed`). Returns
 * the journal the restores start from; the jobs' intents are written by runRestoreJobs before the first
 * AWS call.
 */
export async function beginRun(
  ctx: CommandContext,
  options: RestoreCommandOptions,
  store: JournalStore,
  start: RunStart,
): Promise<RunJournal> {
  const { out, deps } = ctx;
  const { kind, runId, pre, selection, repoint } = start;
  const resumed = start.run.journal;
  const retries = options.retryFailed && resumed ? failedRecords(resumed) : [];
  if (options.retryFailed && retries.length === 0) {
    throw new DrError(`--retry-failed: ${kind} run ${resumed?.runId} has no failed restore`);
  }
  const jobsToStart = resumed
    ? retries.length + selection.plan.filter((p) => !resumed.jobs[p.recoveryPointArn]).length
    : selection.plan.length;
  const question = `${kind === "recover" ? "Recover" : "Drill"}: ${
    jobsToStart > 0 ? `start ${jobsToStart} restore job(s)` : "resume waiting on the restore jobs"
  } in ${pre.region}${options.flip ? ` and set dr stack '${pre.stack.name}' to mode=active` : ""}`;
  // A new run over a live recovery re-points production: asked on a terminal even with --yes.
  // The WARNING just above lists what it re-points: the question only refers to it (P9: not the text twice).
  await confirm(
    ctx,
    options.yes && !(repoint && deps.isTTY),
    repoint
      ? `${question}, over the live recovery: it re-points what the WARNING above lists (the resources restored so far are kept)`
      : question,
  );

  start.gate.open();
  const now = deps.clock.now();
  let journal: RunJournal;
  if (!resumed) {
    const previous = start.run.previous;
    if (previous) {
      out.info(`previous ${kind} run ${previous.runId} archived as ${store.archive(previous)}`);
    }
    journal = {
      version: 1,
      kind,
      runId,
      startedAt: iso(start.commandStart),
      state: "running",
      stackName: pre.stack.name,
      region: pre.region,
      vaultName: pre.vaultName,
      asOf: start.input.asOf?.toISOString(),
      plan: selection.plan,
      skipped: selection.skipped,
      jobs: {},
      flips: [],
      resumedAt: [],
    };
  } else {
    journal = resumed;
    journal.resumedAt.push(iso(now));
    journal.state = "running";
    for (const record of retries) {
      journal.jobs[record.recoveryPointArn] = retryJobRecord(runId, record, now);
    }
    // A retry's --metadata (another instance class, zone or name) is in the selection's plan of what it retries.
    journal.plan.splice(0, journal.plan.length, ...selection.plan);
  }
  if (kind === "drill" && options.flip && !journal.previousConfig) {
    journal.previousConfig = await pre.stack.getConfig(MANAGED_CONFIG_KEYS);
  }
  out.info(`${kind} run ${journal.runId}: journal ${store.file}`);
  return journal;
}

function failedRecords(journal: RunJournal): JobRecord[] {
  return Object.values(journal.jobs).filter((j) => j.status === "FAILED" || j.status === "ABORTED");
}
