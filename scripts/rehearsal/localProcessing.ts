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

/**
 * `clients` with every call, retries included, held on `clock` ({@link ScaledClock.hold}): a call to the
 * local simulation takes no simulated time, whatever the machine's load or the rehearsal's speed. The
 * middleware runs first in the initialize step, so it spans the whole call.
 */
export function holdClients(clients: AwsClients, clock: ScaledClock): AwsClients {
  for (const client of Object.values(clients)) {
    if (client && typeof client === "object" && "middlewareStack" in client) {
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
