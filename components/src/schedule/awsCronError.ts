/**
 * Thrown by `parseAwsCron` when an expression breaks an AWS Backup (EventBridge) cron rule.
 *
 * The message names the rule and quotes the offending part but carries no location prefix, so callers can
 * prepend their own, e.g. `plan.rules[0].schedule ("cron(0 3 * *)") `.
 */
export class AwsCronError extends Error {
  /** @param message the broken rule, quoting the offending part of the expression. */
  constructor(message: string) {
    super(message);
    this.name = "AwsCronError";
  }
}
