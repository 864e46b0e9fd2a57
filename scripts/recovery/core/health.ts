// The application's HTTP health check (polled until healthy or timed out) and the check of its URL.
import { Clock, iso } from "../../clock";
import { DrError, errorMessage, InterruptedError } from "../../errors";
import { HealthRecord } from "./journal";
import { nextPollDelay } from "./restoreJobs";
import { FetchLike } from "../../dependencies";

/** Options of {@link checkHealth}. */
export interface HealthCheckOptions {
  readonly fetch: FetchLike;
  readonly clock: Clock;
  /** Give up after this long. Default 10 minutes: a fresh ALB and auto scaling group take a few. */
  readonly timeoutMs?: number;
  /** Time-out of one request. Default 5 s. */
  readonly requestTimeoutMs?: number;
  /** First retry delay. Default 2 s. */
  readonly initialDelayMs?: number;
  /** Retry delay cap. Default 10 s. */
  readonly maxDelayMs?: number;
  readonly signal?: AbortSignal;
  /** Called after each failed attempt. */
  readonly onAttempt?: (attempt: number, outcome: string) => void;
}

/**
 * GETs the DR endpoint until it answers 2xx or 3xx, with backoff, within a deadline. Healthy means
 * the load balancer found a healthy target that served the request.
 */
export async function checkHealth(url: string, options: HealthCheckOptions): Promise<HealthRecord> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const deadline = options.clock.now() + timeoutMs;
  let attempts = 0;
  let lastStatus: number | undefined;
  let lastError: string | undefined;
  for (;;) {
    attempts++;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.requestTimeoutMs ?? 5_000);
    const abort = () => controller.abort();
    options.signal?.addEventListener("abort", abort, { once: true });
    try {
      const response = await options.fetch(url, { method: "GET", signal: controller.signal });
      lastStatus = response.status;
      lastError = undefined;
      if (response.status >= 200 && response.status < 400) {
        return { url, healthy: true, attempts, lastStatus, checkedAt: iso(options.clock.now()) };
      }
    } catch (err) {
      if (options.signal?.aborted) {
        throw new InterruptedError();
      }
      lastError = errorMessage(err);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", abort);
    }
    options.onAttempt?.(attempts, lastError ?? `HTTP ${lastStatus}`);
    const delay = nextPollDelay(attempts - 1, {
      initialDelayMs: options.initialDelayMs ?? 2_000,
      maxDelayMs: options.maxDelayMs ?? 10_000,
      random: options.clock.random?.bind(options.clock),
    });
    if (options.clock.now() + delay > deadline) {
      return { url, healthy: false, attempts, lastStatus, lastError, checkedAt: iso(options.clock.now()) };
    }
    await options.clock.sleep(delay, options.signal);
  }
}

/** Checks an http(s) URL given by `source` (a flag, or the stack output it came from). */
export function checkHealthUrl(source: string, value: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) {
    throw new DrError(`${source} '${value}' is not an http(s) URL: use e.g. https://app.example.com/health`);
  }
}
