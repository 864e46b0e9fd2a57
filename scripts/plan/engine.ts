// The plan's mock engine: records what the program registers and invokes, unknowns and secrets marked.
import * as pulumi from "@pulumi/pulumi";
import { identityInvoke, PLACEHOLDER_ACCOUNT, resolvedResource } from "./resolvedValues";

/** How the plan shows a value only a deployment would know. */
export const UNKNOWN = "<unknown>";
/** How the plan shows a secret. */
export const SECRET = "[secret]";

/** One resource the program registered, as the engine received it. */
export interface PlannedResource {
  /** Type token, e.g. `aws:rds/instance:Instance`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** Whether a provider creates it (false for components, including awsx's remote ones). */
  readonly custom: boolean;
  /** Inputs with unknowns as {@link UNKNOWN} and secrets as {@link SECRET}. */
  readonly inputs: Record<string, unknown>;
}

/** A provider function the program called, and what the plan answered. */
export interface PlannedInvoke {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
  /** How the answer was made up, since nothing is asked of AWS. */
  readonly answer: string;
}

/** Outputs another stack is assumed to have, for the program's StackReferences. */
export interface StackReferenceFixture {
  readonly outputs: Record<string, unknown>;
  /** Shown next to the values, e.g. "from prod stack (offline placeholder)". */
  readonly note: string;
}

/** What the mock engine recorded. */
export interface EngineRecording {
  readonly resources: PlannedResource[];
  readonly invokes: PlannedInvoke[];
  /** StackReferences the program made, by stack name. */
  readonly stackReferences: { name: string; note: string; outputs: Record<string, unknown> }[];
}

/** Options of {@link installPlanEngine}. */
export interface PlanEngineOptions {
  readonly project: string;
  readonly stack: string;
  /** Outputs for `new pulumi.StackReference(name)`, by name; unlisted names have no outputs. */
  readonly stackReferences?: Readonly<Record<string, StackReferenceFixture>>;
  /**
   * Give every resource the physical name, id and ARN a deployment would (placeholders in account
   * {@link PLACEHOLDER_ACCOUNT}) and answer the identity invokes with a placeholder deployer, so the policies
   * the program builds from them resolve (the destroy table evaluates them). @default false: as `pulumi preview`
   */
  readonly resolved?: boolean;
}

const SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** A value as the plan shows it: unknowns and secrets replaced by their markers, recursively. */
export function displayValue(value: unknown): unknown {
  if (pulumi.isUnknown(value)) return UNKNOWN;
  if (Array.isArray(value)) return value.map(displayValue);
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIGNATURE_KEY] === SECRET_SIGNATURE) return SECRET;
    return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, displayValue(inner)]));
  }
  return value;
}

/** Answers for the provider functions the stacks call; anything else gets an empty answer, noted. */
/** Stands for the deploying principal's ARN, which only a deployment knows. */
export const DEPLOYER_PLACEHOLDER = "<the deploying principal>";

function answerInvoke(
  token: string,
  inputs: Record<string, unknown>,
): { result: Record<string, unknown>; answer: string } {
  if (token === "aws:index/getAvailabilityZones:getAvailabilityZones") {
    const region = typeof inputs.region === "string" ? inputs.region : "us-east-1";
    return {
      result: { names: ["a", "b", "c"].map((zone) => `${region}${zone}`), zoneIds: [], id: region },
      answer: "offline placeholder: the region's a, b and c zones (set dr-app:availabilityZones to be exact)",
    };
  }
  if (token === "aws:index/getCallerIdentity:getCallerIdentity") {
    return {
      result: { arn: DEPLOYER_PLACEHOLDER, accountId: "<account>", userId: "<user id>", id: "<account>" },
      answer: "offline placeholder: the principal running `pulumi up`, known at deploy time",
    };
  }
  if (token === "aws:iam/getSessionContext:getSessionContext") {
    return {
      result: { arn: inputs.arn, issuerArn: inputs.arn, id: inputs.arn },
      answer:
        "offline placeholder: the deploying principal as it is (an assumed-role session maps to its role)",
    };
  }
  return { result: {}, answer: "not answered offline: empty result" };
}

/** Options of {@link installMockEngine}. */
export interface MockEngineOptions {
  readonly project: string;
  readonly stack: string;
  /** Run as under `pulumi preview`: values only a deployment knows stay unknown. Default true. */
  readonly preview?: boolean;
  /** The stack's config, set before the program runs. Default: the config is left as it is. */
  readonly config?: Readonly<Record<string, string>>;
}

/**
 * Installs Pulumi's mock engine with `mocks` answering every resource the program registers and every
 * provider function it calls: the one place a program is run offline (the plan's engine below, the tests'
 * on top of it).
 */
export function installMockEngine(mocks: pulumi.runtime.Mocks, options: MockEngineOptions): void {
  if (options.config !== undefined) {
    pulumi.runtime.setAllConfig({ ...options.config });
  }
  pulumi.runtime.setMocks(mocks, options.project, options.stack, options.preview ?? true);
}

/**
 * Installs Pulumi's mock engine in preview mode, so the program runs as under `pulumi preview`:
 * every input the program gives is recorded, every value a provider would compute (ids, ARNs, generated
 * names, the outputs of awsx's remote components) stays unknown. StackReferences get `stackReferences`'
 * outputs. Returns the recording, filled in as the program runs.
 */
export function installPlanEngine(options: PlanEngineOptions): EngineRecording {
  const recording: EngineRecording = { resources: [], invokes: [], stackReferences: [] };
  installMockEngine(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        recording.resources.push({
          type: args.type,
          name: args.name,
          custom: args.custom ?? true,
          inputs: displayValue(args.inputs) as Record<string, unknown>,
        });
        if (args.type === "pulumi:pulumi:StackReference") {
          const stackName = typeof args.inputs.name === "string" ? args.inputs.name : args.name;
          const fixture = options.stackReferences?.[stackName];
          recording.stackReferences.push({
            name: stackName,
            note: fixture?.note ?? "no outputs known offline",
            outputs: fixture?.outputs ?? {},
          });
          return {
            id: stackName,
            state: { name: stackName, outputs: fixture?.outputs ?? {}, secretOutputNames: [] },
          };
        }
        if (options.resolved && args.custom !== false) {
          const { id, state } = resolvedResource(args.type, args.name, args.inputs);
          return { id, state };
        }
        // No id and only the inputs as state: in preview, everything else resolves as unknown.
        return { id: undefined, state: args.custom === false ? {} : { ...args.inputs } };
      },
      call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
        const { result, answer } = answerInvoke(args.token, args.inputs);
        const placeholder = options.resolved ? identityInvoke(args.token, args.inputs) : undefined;
        recording.invokes.push({
          token: args.token,
          inputs: displayValue(args.inputs) as Record<string, unknown>,
          answer: placeholder ? `placeholder identity in account ${PLACEHOLDER_ACCOUNT}` : answer,
        });
        return placeholder ?? result;
      },
    },
    { project: options.project, stack: options.stack },
  );
  return recording;
}
