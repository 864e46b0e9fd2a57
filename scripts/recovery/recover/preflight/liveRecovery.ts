// A live recovery: refused when a new recover would restore over the one the application runs on.
import { DR_MODES } from "../../../../stacks/config";
import { CommandContext } from "../../../context";
import type { RestoredData } from "../../../../stacks/drContract";
import { LEGACY_DATA_KEYS, LEGACY_RESTORED_KEYS, RESTORED_DATA_KEY } from "../../core/stackHandle";
import { DrError } from "../../../errors";
import { RunJournal, RunKind, RunOutcome } from "../../core/journal";
import { DrOutputs, StackHandle } from "../../../dependencies";

/** A recovery the application may already be running on. */
export interface LiveRecovery {
  /** What happened, in one sentence, for refusals and the --new-run confirmation. */
  readonly summary: string;
  /** The dr stack's config keys that point at restored resources now (empty when not active). */
  readonly current: Record<string, string>;
}

/** The config keys through which the dr stack points at restored resources, in the order messages name them. */
const RESTORED_KEYS: readonly string[] = [RESTORED_DATA_KEY, ...LEGACY_RESTORED_KEYS];

/**
 * What a config points the application at, by logical name: its `restoredData` (a --dry-run preview's
 * placeholders read as "<name> once restored"), else the single-valued keys under the default example's names.
 */
function pointedAt(config: Readonly<Record<string, string>>): Record<string, string> {
  const raw = config[RESTORED_DATA_KEY];
  if (raw !== undefined) {
    try {
      return Object.fromEntries(
        Object.entries(JSON.parse(raw) as RestoredData).map(([name, entry]) => [
          name,
          entry.id.replace(/^<(.*), when restored>$/, "$1 once restored"),
        ]),
      );
    } catch {
      return {};
    }
  }
  const legacy: Record<string, string> = {};
  for (const [key, name] of LEGACY_DATA_KEYS) {
    if (config[key] !== undefined) legacy[name] = config[key];
  }
  return legacy;
}

/** The command an operator types next, with the global flags that changed where it acts. */
export function nextCommand(ctx: CommandContext, kind: RunKind, flag: string): string {
  const stack = ctx.global.stack !== "dr" ? ` --stack ${ctx.global.stack}` : "";
  return `dr${stack} ${kind} ${flag}`;
}

/** How a finished run ended; journals written before `outcome` was recorded are judged by their jobs. */
function outcomeOf(journal: RunJournal): RunOutcome {
  if (journal.outcome) {
    return journal.outcome;
  }
  const failed = Object.values(journal.jobs).some((j) => j.status === "FAILED" || j.status === "ABORTED");
  return failed ? "partial" : "success";
}

/**
 * Decides whether a plain `dr recover` would start over a live recovery: the last run ended
 * partial or failed, or the dr stack is already active on restored resources. Then, without
 * `--new-run`, it refuses (exit 2, nothing started) with what happened and the exact next
 * command; a dry run and `--new-run` get the description back, to warn and to ask.
 */
export async function checkLiveRecovery(
  ctx: CommandContext,
  stack: StackHandle,
  outputs: DrOutputs,
  previous: RunJournal | undefined,
  options: { readonly newRun: boolean; readonly dryRun: boolean },
): Promise<LiveRecovery | undefined> {
  const ended = previous?.state === "finished" ? outcomeOf(previous) : undefined;
  const current = outputs.mode === DR_MODES.active ? await stack.getConfig(RESTORED_KEYS) : {};
  const active = Object.keys(current).length > 0;
  if ((ended === undefined || ended === "success") && !active) {
    return undefined;
  }
  const parts: string[] = [];
  const failed = previous
    ? previous.plan.filter((p) => ["FAILED", "ABORTED"].includes(previous.jobs[p.recoveryPointArn]?.status))
    : [];
  if (previous && ended) {
    const completed = Object.values(previous.jobs).filter((j) => j.status === "COMPLETED").length;
    const failedNames = failed.map((p) => `${p.resourceType} ${p.resourceName}`).join(", ");
    parts.push(
      `recover run ${previous.runId} ended ${ended} at ${previous.finishedAt}: ${completed} restored, ${failed.length} failed${
        failed.length > 0 ? ` (${failedNames})` : ""
      }`,
    );
  }
  if (active) {
    parts.push(
      `dr stack '${stack.name}' is active on restored resources (${Object.entries(current)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")})`,
    );
  }
  const summary = parts.join("; ");
  if (options.newRun || options.dryRun) {
    return { summary, current };
  }
  const retry =
    failed.length > 0
      ? `'${nextCommand(ctx, "recover", "--retry-failed")}' restores only the ${failed.length} failed and keeps what completed; `
      : "";
  throw new DrError(
    `${summary}: starting again would restore everything a second time${
      active ? " and re-point the live dr stack" : ""
    }. Next: ${retry}'${nextCommand(ctx, "recover", "--new-run")}' starts afresh (it asks first; the resources restored so far are kept)`,
  );
}

/** What a new run would change on the live stack, for the --new-run warning and question. */
export function repointDescription(
  live: LiveRecovery,
  planned: Readonly<Record<string, string>>,
  flip: boolean,
): string {
  const kept = "the resources restored so far are kept, not deleted";
  if (!flip) {
    return `${live.summary}; the dr stack is left as it is (--no-flip); ${kept}`;
  }
  const now = pointedAt(live.current);
  const next = pointedAt(planned);
  const changes = [...new Set([...Object.keys(now), ...Object.keys(next)])]
    .filter((name) => now[name] !== next[name])
    .map((name) => `${name} from ${now[name] ?? "(unset)"} to ${next[name] ?? "(unset)"}`);
  const all = changes;
  return `${live.summary}; a new run re-points ${all.length > 0 ? all.join(", ") : "nothing"}; ${kept}`;
}
