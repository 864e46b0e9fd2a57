/** What the simulation's SDK front ends share: a command's region from its client, the model's errors as the SDK's, the tests' instruments before each call. */
import type { MetadataBearer } from "@smithy/types";
import { AwsStub } from "aws-sdk-client-mock";
import { FakeApiError } from "../../scripts/simulation/backupJobs";

/** An error shaped like the SDK's service exceptions. */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode },
    $fault: httpStatusCode >= 500 ? "server" : "client",
  });
}

/**
 * Called before a model sees a call: a test's instrument (a throttled n-th call, a count, a lock changed
 * after the preflight). Throwing answers the call with it.
 */
export type BeforeCall = (command: string, input: Record<string, unknown>, region: string) => void;

/** Any mocked client. */
export type AnyStub = AwsStub<object, MetadataBearer, object>;

/** An SDK command class. */
export type CommandClass = { new (input: never): unknown; name: string };

/** The region of the client that sent a command. */
async function clientRegion(client: unknown): Promise<string> {
  const config = (client as { config: { region: unknown } }).config;
  return typeof config.region === "function" ? await config.region() : String(config.region);
}

/**
 * Answers `command` on `mock` with `answer(input, region, client)`, after `before(name, input, region)`
 * (the front end's instruments); the model's {@link FakeApiError}s become SDK errors of the same name
 * and status.
 */
export function serve<I>(
  mock: AnyStub,
  command: CommandClass,
  answer: (input: I, region: string, client: unknown) => unknown,
  before: (name: string, input: Record<string, unknown>, region: string) => Promise<void> | void = () => {},
): void {
  const name = command.name.replace(/Command$/, "");
  mock.on(command as never).callsFake(async (input: I, getClient: () => unknown) => {
    const client = getClient();
    const region = await clientRegion(client);
    await before(name, input as Record<string, unknown>, region);
    try {
      return answer(input, region, client);
    } catch (err) {
      if (err instanceof FakeApiError) {
        throw awsError(err.type, err.message, err.status);
      }
      throw err;
    }
  });
}
