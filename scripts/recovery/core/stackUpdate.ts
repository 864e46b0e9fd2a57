// A stack's config set and `pulumi up`, journaled before and after: the flip, a drill's revert, a failback's freeze, prod and standby updates.
import { Clock, iso } from "../../clock";
import { DrOutputs, StackHandle } from "../../dependencies";
import { InterruptedError, errorMessage } from "../../errors";
import { Output } from "../../output";
import { FlipRecord, JournalStore, RunJournal } from "./journal";

/** What {@link applyConfig} runs with. */
export interface StackUpdateContext {
  readonly clock: Clock;
  readonly out: Output;
  readonly store: JournalStore;
  /** Aborted on Ctrl-C: the update under way still finishes. Default: never aborted. */
  readonly signal?: AbortSignal;
}

/**
 * `config set-all` then `up` on the dr stack, journaled before and after, with pulumi's output
 * streamed to the operator. Used for the flip and for a drill's revert.
 */
export async function applyConfig(
  journal: RunJournal,
  ctx: StackUpdateContext,
  stack: StackHandle,
  phase: FlipRecord["phase"],
  values: Record<string, string>,
  removeKeys: readonly string[] = [],
  /** How the progress lines name the stack. Default `dr stack <name>`. */
  label = `dr stack ${stack.name}`,
): Promise<{ ok: boolean; message?: string; outputs?: DrOutputs }> {
  if (ctx.signal?.aborted) {
    throw new InterruptedError();
  }
  // An update under way is not abandoned: a killed `pulumi up` leaves pending operations in the
  // stack's state that the next update must clear first. Ctrl-C waits for it; a second one exits.
  const onAbort = () =>
    ctx.out.warn(
      `${label}: waiting for the ${phase} update under way to finish (Ctrl-C again to exit at once)`,
    );
  ctx.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await applyConfigNow(journal, ctx, stack, phase, values, removeKeys, label);
  } finally {
    ctx.signal?.removeEventListener("abort", onAbort);
  }
}

async function applyConfigNow(
  journal: RunJournal,
  ctx: Omit<StackUpdateContext, "signal">,
  stack: StackHandle,
  phase: FlipRecord["phase"],
  values: Record<string, string>,
  removeKeys: readonly string[],
  label: string,
): Promise<{ ok: boolean; message?: string; outputs?: DrOutputs }> {
  const record: FlipRecord = { phase, config: values, startedAt: iso(ctx.clock.now()) };
  journal.flips.push(record);
  ctx.store.save(journal);
  const settings = Object.entries(values)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  ctx.out.info(
    `${label}: ${phase} update: ${settings}${removeKeys.length ? `; removing ${removeKeys.join(", ")}` : ""}`,
  );
  try {
    if (Object.keys(values).length > 0) {
      await stack.setConfig(values);
    }
    await stack.removeConfig(removeKeys);
    const result = await stack.up((line) => ctx.out.print(`  pulumi | ${line}`));
    record.ok = result.result === "succeeded";
    const changes = Object.entries(result.resourceChanges)
      .map(([op, n]) => `${op} ${n}`)
      .join(", ");
    record.message = `${result.result}${changes ? ` (${changes})` : ""}`;
    record.endedAt = iso(ctx.clock.now());
    ctx.store.save(journal);
    ctx.out.info(`${label}: ${phase} update ${record.message}`);
    return { ok: record.ok, message: record.message, outputs: result.outputs };
  } catch (err) {
    record.ok = false;
    record.message = errorMessage(err);
    record.endedAt = iso(ctx.clock.now());
    ctx.store.save(journal);
    ctx.out.warn(`${label}: ${phase} update failed: ${record.message}`);
    return { ok: false, message: record.message };
  }
}
