// The interfaces of what the CLI's dependency container (context.ts) hands the commands: a stack, HTTP, a rehearsal's label.
import type { DrCollectionOutputs, DrContractOutputs } from "../stacks/drContract";

/**
 * The dr stack outputs the CLI reads (docs/CONTRACTS.md), as {@link parseDrOutputs} reads them: every
 * field may be absent on a half-built stack, lists and maps read as empty.
 */
export type DrOutputs = {
  readonly [
    K in Exclude<keyof DrContractOutputs, DrCollectionOutputs | "role" | "mode">
  ]?: DrContractOutputs[K];
} & Pick<DrContractOutputs, DrCollectionOutputs> & {
    /** As the stack reports them: read, not checked against the contract's "dr" and standby | active. */
    readonly role?: string;
    readonly mode?: string;
    /**
     * Logical name -> ARN of the stack's credential secret for each rds/aurora inventory entry, in its own
     * region (the stacks' `dbCredentialSecretArns`); absent from a stack deployed before it existed, whose
     * single `dbCredentialSecretArn` serves the first database.
     */
    readonly dbCredentialSecretArns?: Readonly<Record<string, string>>;
  };

/** Result of a `pulumi up` of the dr stack. */
export interface UpOutcome {
  readonly result: string;
  readonly resourceChanges: Record<string, number>;
  readonly outputs: DrOutputs;
}

/** The dr stack, as the recovery CLI uses it. Implemented on the Automation API; faked in tests. */
export interface StackHandle {
  readonly name: string;
  /** Current outputs (`pulumi stack output --json`). */
  outputs(): Promise<DrOutputs>;
  /** Current values of the given fully qualified config keys (absent keys are left out). */
  getConfig(keys: readonly string[]): Promise<Record<string, string>>;
  /** Sets plain-text config values in one `pulumi config set-all`. */
  setConfig(values: Readonly<Record<string, string>>): Promise<void>;
  /** Removes config keys in one `pulumi config rm-all`. */
  removeConfig(keys: readonly string[]): Promise<void>;
  /** `pulumi up --yes --skip-preview`, streaming each output line to `onLine`. */
  up(onLine: (line: string) => void): Promise<UpOutcome>;
}

/** Options of {@link openDrStack}. */
export interface OpenStackOptions {
  /** Stack name, possibly fully qualified (`org/dr-app/dr`). Default `dr`. */
  readonly stackName?: string;
  /** Directory of the `dr-app` project's Pulumi.yaml: the repository root. */
  readonly workDir: string;
  /**
   * Directory holding `bin/pulumi` (as `PulumiCommand.get({ root })` expects). Default: `pulumi`
   * on the PATH.
   */
  readonly pulumiRoot?: string;
  /** Skip the CLI's minimum-version check. Default false. */
  readonly skipVersionCheck?: boolean;
  /** Extra environment for every pulumi command. */
  readonly envVars?: Record<string, string>;
}

/** The subset of `fetch` the health check uses; injectable for tests. */
export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; method: string },
) => Promise<{ status: number }>;

/** What marks a rehearsal's report: the scenario it played and how fast its clock ran. */
export interface RehearsalLabel {
  readonly scenario: string;
  readonly speed: number;
  /** What ran the dr stack's application in the simulation (e.g. `ECS service dr-app-service on Fargate ...`). @default not said */
  readonly compute?: string;
}
