// The selection shown to the operator, and a dry run's end.
import { CommandContext } from "../../../context";
import { ExitCode } from "../../../errors";
import { RestoreCommandOptions } from "../options";
import { repointDescription } from "../preflight/liveRecovery";
import { RecoverPreflight } from "../preflight/preflight";
import { printMetadata, printPlan } from "./plan";
import { Selection } from "./select";

/**
 * Prints what the run will restore and, with a flip, the config it will set; warns what a new run over a
 * live recovery re-points. Returns that description (for the question), if any.
 */
export function showSelection(
  ctx: CommandContext,
  options: RestoreCommandOptions,
  pre: RecoverPreflight,
  selection: Selection,
): string | undefined {
  const { out } = ctx;
  out.print("");
  printPlan(
    out,
    selection.plan,
    selection.skipped,
    ctx.deps.clock.now(),
    pre.isolated || selection.plan.some((p) => p.isolated) ? pre.vaultName : undefined,
    selection.isolatedGaps,
  );
  if (options.flip) {
    const preview = { ...selection.config.early, ...selection.config.latePreview };
    out.print("");
    out.print(`dr stack '${pre.stack.name}' config to set, then pulumi up:`);
    for (const [key, value] of Object.entries(preview)) {
      out.print(`  ${key}: ${value}`);
    }
    out.print(`  removed in the same update: ${selection.config.removeKeys.join(", ")}`);
    for (const wire of selection.wires.filter((w) => w.missing && !w.restore)) {
      out.warn(`data inventory '${wire.name}' (${wire.kind}) will not be wired: ${wire.missing}`);
    }
  }
  const { live } = pre;
  const repoint =
    live &&
    repointDescription(live, { ...selection.config.early, ...selection.config.latePreview }, options.flip);
  if (live && options.dryRun) {
    out.warn(`a real run would refuse without --new-run: ${live.summary}`);
  } else if (repoint) {
    out.warn(`--new-run: ${repoint}`);
  }
  return repoint;
}

/** `--dry-run`: each restore's metadata and the problems a real run would refuse on; nothing started. */
export function showDryRun(ctx: CommandContext, selection: Selection): number {
  const { out } = ctx;
  printMetadata(out, selection.plan);
  out.print("");
  for (const problem of selection.problems) {
    out.warn(`a real run would refuse: ${problem}`);
  }
  const problems = selection.problems.length;
  out.print(
    `dry run: nothing was started${problems > 0 ? `; ${problems} problem(s) to fix first, listed on stderr` : ""}`,
  );
  return ExitCode.ok;
}
