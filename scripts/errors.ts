/**
 * Exit codes of the recovery CLI. They are part of its interface: cron jobs, CI pipelines and
 * runbooks branch on them, so they never change meaning.
 */
export const ExitCode = {
  /** Everything asked for was done (status: every resource within its RPO, no failed job). */
  ok: 0,
  /** Partly done: some restore jobs failed or the health check did not pass; status: a finding. */
  partial: 1,
  /**
   * Everything was done, but an objective was missed: the achieved RPO or the measured RTO is beyond its
   * target (the same code as a partial run and as `dr status`'s finding of a point past its RPO).
   */
  objectiveMissed: 1,
  /** Bad input or state (unknown flag, malformed --as-of, no such vault, expired credentials...): nothing started. */
  usage: 2,
  /** Recovery failed: no restore job succeeded, or the dr stack update failed. */
  failed: 3,
  /** Interrupted (Ctrl-C, SIGTERM): the last line says what keeps running in AWS, if anything. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error the operator can act on, reported as one line without a stack trace. `exitCode`
 * defaults to {@link ExitCode.usage}: bad input or state, detected before anything was started.
 */
export class DrError extends Error {
  public readonly exitCode: ExitCodeValue;

  constructor(message: string, exitCode: ExitCodeValue = ExitCode.usage) {
    super(message);
    this.name = "DrError";
    this.exitCode = exitCode;
  }
}

/** Raised when the operator interrupted the run (Ctrl-C / SIGTERM). */
export class InterruptedError extends Error {
  constructor(message = "interrupted") {
    super(message);
    this.name = "InterruptedError";
  }
}

/** The message of any thrown value, on one line. */
export function errorMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/**
 * The line of a failed Pulumi command (an Automation API CommandError, whose message carries the exit
 * code, stdout and stderr) that names its cause, at most 300 characters: operators need the cause.
 */
export function pulumiErrorLine(err: unknown): string {
  const result = (err as { commandResult?: { stdout?: string; stderr?: string; err?: unknown } })
    .commandResult;
  const text = result
    ? [result.stderr, result.err ? errorMessage(result.err) : "", result.stdout].filter(Boolean).join("\n")
    : err instanceof Error
      ? err.message
      : String(err);
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  // Pulumi ends a failed update with a generic "error: update failed"; the cause is an earlier line.
  const errors = lines.filter((l) => /error/i.test(l));
  const specific = errors.find((l) => !/^error: update failed$/i.test(l));
  return (specific ?? errors[0] ?? lines[0] ?? "unknown error").slice(0, 300);
}

/** Throws an {@link InterruptedError} once `signal` has aborted (Ctrl-C, SIGTERM): between steps of a run. */
export function throwIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted) {
    throw new InterruptedError();
  }
}

/**
 * `work`'s result, or an {@link InterruptedError} as soon as `signal` aborts: for work that does not
 * watch the signal itself and need not finish (reading, evaluating offline). The work is abandoned.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new InterruptedError());
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  // Abandoned work that fails later must not be an unhandled rejection.
  work.catch(() => {});
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener("abort", onAbort));
}
