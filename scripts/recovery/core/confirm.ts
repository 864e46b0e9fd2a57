// The operator's confirmation before a run changes anything (skipped with --yes).
import { CommandContext } from "../../context";
import { DrError } from "../../errors";

/**
 * Goes ahead with `yes`; otherwise asks on a terminal (anything but 'yes' stops) and refuses without one,
 * so a run from cron or CI never acts on a default.
 */
export async function confirm(ctx: CommandContext, yes: boolean, question: string): Promise<void> {
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
