// testDeps: the one builder of the CLI's dependencies for tests and benches, with fakes for everything outside the process.
import { createAwsClients } from "../../scripts/aws/clients";
import { CliDeps } from "../../scripts/context";
import { Capture } from "./capture";
import { FakeDrStack } from "./fakeStack";
import { VirtualClock } from "./virtualClock";

/**
 * The CLI's dependencies for a test or a bench: each one `overrides` leaves out is a fake.
 * - `stdout`, `stderr`: a {@link Capture} each
 * - `isTTY`: false (no terminal: no prompt unless a test asks for one)
 * - `env`: empty (nothing of the machine's environment leaks in)
 * - `clock`: a {@link VirtualClock}
 * - `createClients`: the real AWS SDK clients (tests mock them or point them at the local fake)
 * - `openStack`: one {@link FakeDrStack} on the deps' clock, whatever stack is asked for
 * - `fetch`: every URL answers 200
 * - `prompt`: answers "" (declines)
 * - `runIdSuffix`: "a7", so run ids are known in advance
 * - `cwd`, `resolveAddresses`, `rehearsal`: unset (the CLI's own defaults)
 */
export function testDeps(overrides: Partial<CliDeps> = {}): CliDeps {
  const clock = overrides.clock ?? new VirtualClock();
  let stack: FakeDrStack | undefined;
  return {
    stdout: new Capture(),
    stderr: new Capture(),
    isTTY: false,
    env: {},
    clock,
    createClients: createAwsClients,
    openStack: async () => (stack ??= new FakeDrStack(clock)),
    fetch: async () => ({ status: 200 }),
    prompt: async () => "",
    runIdSuffix: () => "a7",
    ...overrides,
  };
}
