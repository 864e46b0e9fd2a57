// Pulumi's mock engine for tests, on the plan's (installMockEngine): registrations and invokes recorded, identity invokes answered.
import * as pulumi from "@pulumi/pulumi";
import { installMockEngine, MockEngineOptions } from "../../scripts/plan/engine";
import {
  identityInvoke,
  PLACEHOLDER_ACCOUNT,
  PLACEHOLDER_AUTONAME_SUFFIX,
  PLACEHOLDER_DEPLOYER_ROLE_ARN,
  PLACEHOLDER_DEPLOYER_SESSION_ARN,
  resolvedResource,
} from "../../scripts/plan/resolvedValues";

/** Resource inputs as the engine received them: untyped, as tests read them freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Inputs = Record<string, any>;

/** One resource registered with the mock engine: what the program asked for. */
export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Inputs;
  readonly id: string;
}

/** Account id every mocked ARN carries, and the auto-naming suffix: the plan's resolved placeholders. */
export const MOCK_ACCOUNT = PLACEHOLDER_ACCOUNT;
export const MOCK_AUTONAME_SUFFIX = PLACEHOLDER_AUTONAME_SUFFIX;

/** The role the mocked deployment runs as, and its assumed-role session (what STS reports). */
export const MOCK_DEPLOYER_ROLE_ARN = PLACEHOLDER_DEPLOYER_ROLE_ARN;
export const MOCK_DEPLOYER_SESSION_ARN = PLACEHOLDER_DEPLOYER_SESSION_ARN;
export { identityInvoke };

/** One invoke (data source call) the program made. */
export interface Invoke {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
}

/** The invokes made since the last `useMockEngine`, in order. */
export const invokes: Invoke[] = [];

/**
 * Options of {@link useMockEngine}: the plan engine's ({@link MockEngineOptions}), with the tests' defaults
 * (project `dr-app`, stack `test`, not a preview, an empty config), and what tests add.
 */
export interface TestEngineOptions extends Partial<MockEngineOptions> {
  /** Outputs to add per registration (e.g. for awsx components, which are opaque under mocks). Default: none. */
  readonly outputs?: (registration: Registration) => Record<string, unknown> | undefined;
  /** Answers invokes before {@link identityInvoke} does. Default: none. */
  readonly calls?: (token: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined;
}

/**
 * Installs Pulumi's mock engine (the plan's {@link installMockEngine}) and returns the list it records
 * registrations into. Resources get plausible ids, ARNs and auto-generated names; `outputs` can add
 * outputs per registration. Invokes are recorded in `invokes` and answered by `calls`, else by
 * `identityInvoke`, else with an empty result.
 */
export function useMockEngine(options: TestEngineOptions = {}): Registration[] {
  const registrations: Registration[] = [];
  invokes.length = 0;
  installMockEngine(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        const { id, state } = resolvedResource(args.type, args.name, args.inputs);
        const registration: Registration = { type: args.type, name: args.name, inputs: args.inputs, id };
        registrations.push(registration);
        return { id, state: { ...state, ...options.outputs?.(registration) } };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        invokes.push({ token: args.token, inputs: args.inputs });
        return options.calls?.(args.token, args.inputs) ?? identityInvoke(args.token, args.inputs) ?? {};
      },
    },
    {
      project: options.project ?? "dr-app",
      stack: options.stack ?? "test",
      preview: options.preview ?? false,
      config: options.config ?? {},
    },
  );
  return registrations;
}

/** The value of an output, for assertions. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** Waits until the mock engine has seen every registration the program started. */
export async function settled(registrations: Registration[]): Promise<void> {
  let count = -1;
  while (count !== registrations.length) {
    count = registrations.length;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Registrations of one type, by name. */
export function ofType(registrations: Registration[], type: string): Registration[] {
  return registrations.filter((r) => r.type === type);
}

/** The one registration with this name; fails loudly otherwise. */
export function named(registrations: Registration[], name: string): Registration {
  const found = registrations.filter((r) => r.name === name);
  if (found.length !== 1) {
    throw new Error(
      `expected one resource named ${name}, found ${found.length}: ${registrations.map((r) => r.name).join(", ")}`,
    );
  }
  return found[0];
}
