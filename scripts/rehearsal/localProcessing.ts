// The rehearsal's local processing (AWS calls to the simulation, stack operations on the mock engine) held out of simulated time.
import { AwsClients } from "../aws/clients";
import { StackHandle } from "../dependencies";
import { ScaledClock } from "./scaledClock";

/** What an SDK v3 client exposes to take a middleware. */
interface WithMiddleware {
  readonly middlewareStack: {
    add(middleware: unknown, options: { step: "initialize"; name: string; priority: "high" }): void;
  };
}

/** What the SDK's adaptive retry strategy holds: its client-side rate limiter, and the retry tokens it gives. */
interface AdaptiveStrategy {
  readonly rateLimiter?: { minFillRate?: number; fillRate?: number };
  readonly standardRetryStrategy?: {
    readonly retryBackoffStrategy?: { computeNextBackoffDelay?: (attempts: number) => number };
  };
}

/**
 * The SDK's retry waits at the rehearsal's speed, as every other wait of the rehearsal: the backoff
 * before a retry (`computeNextBackoffDelay` of its backoff strategy) is `speed` times shorter, and the
 * floor of the adaptive mode's rate limiter (`DefaultRateLimiter.minFillRate`, 0.5 calls a second of
 * real time) `speed` times higher: 0.5 calls a simulated second. Otherwise a throttled rehearsal waits
 * on real time for calls that come `speed` times closer together than they would in AWS: the limiter
 * slows them to its floor and the backoffs add up to minutes of real time.
 * Left alone when the SDK's strategy is not of that shape (the rehearsal is then only slower).
 */
function retryAtSpeed(client: object, speed: number): void {
  const provider = (client as { config?: { retryStrategy?: unknown } }).config?.retryStrategy;
  if (typeof provider !== "function") {
    return;
  }
  void Promise.resolve((provider as () => unknown)()).then(
    (value) => {
      const strategy = value as AdaptiveStrategy | undefined;
      const limiter = strategy?.rateLimiter;
      if (limiter && typeof limiter.minFillRate === "number" && typeof limiter.fillRate === "number") {
        limiter.minFillRate *= speed;
        limiter.fillRate = Math.max(limiter.fillRate, limiter.minFillRate);
      }
      const backoff = strategy?.standardRetryStrategy?.retryBackoffStrategy;
      const next = backoff?.computeNextBackoffDelay?.bind(backoff);
      if (backoff && next) {
        backoff.computeNextBackoffDelay = (attempts: number) => next(attempts) / speed;
      }
    },
    () => undefined,
  );
}

/**
 * `clients` with every call, retries included, held on `clock` ({@link ScaledClock.hold}): a call to the
 * local simulation takes no simulated time, whatever the machine's load or the rehearsal's speed. The
 * middleware runs first in the initialize step, so it spans the whole call.
 */
export function holdClients(clients: AwsClients, clock: ScaledClock): AwsClients {
  for (const client of Object.values(clients)) {
    if (client && typeof client === "object" && "middlewareStack" in client) {
      retryAtSpeed(client, clock.speed);
      (client as WithMiddleware).middlewareStack.add(
        (next: (args: unknown) => Promise<unknown>) => (args: unknown) => clock.hold(() => next(args)),
        { step: "initialize", name: "rehearsalLocalProcessing", priority: "high" },
      );
    }
  }
  return clients;
}

/**
 * `stack` with each operation (an evaluation of the program on Pulumi's mock engine: seconds of CPU)
 * held on `clock`, so an `up` takes no simulated time at any speed. The offline stacks never wait on the
 * clock, so holding them cannot stall it.
 */
export function holdStack<S extends StackHandle>(stack: S, clock: ScaledClock): S {
  return new Proxy(stack, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") {
        return value;
      }
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        return result instanceof Promise ? clock.hold(() => result) : result;
      };
    },
  });
}
