// The CLI's dependency container: what commands touch outside the process, global options, the context.
import { AwsClientOptions, AwsClients } from "./aws/clients";
import { Clock } from "./clock";
import { Output, TextSink } from "./output";
import { FetchLike, OpenStackOptions, RehearsalLabel, StackHandle } from "./dependencies";

/** Everything the commands touch outside the process, injectable for tests and the benchmark. */
export interface CliDeps {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Whether stdin is a terminal an operator can answer a confirmation prompt on. */
  readonly isTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
  /**
   * The directory relative paths on the command line resolve against, and where the project's Pulumi.yaml
   * is looked for first. Default: `process.cwd()`.
   */
  readonly cwd?: string;
  readonly clock: Clock;
  readonly createClients: (options: AwsClientOptions) => AwsClients;
  readonly openStack: (options: OpenStackOptions) => Promise<StackHandle>;
  readonly fetch: FetchLike;
  /**
   * A DNS A query: the addresses `hostname` resolves to now (the failback confirms the public name moved).
   * Default ({@link defaultDeps}): node:dns `resolve4`, on the servers in `DR_DNS_SERVERS` when set.
   */
  readonly resolveAddresses?: (hostname: string) => Promise<string[]>;
  /**
   * Asks the operator a question on the terminal and returns the answer; rejects with an
   * InterruptedError when `signal` aborts (Ctrl-C at the prompt).
   */
  readonly prompt: (question: string, signal?: AbortSignal) => Promise<string>;
  /** Random suffix of run ids. Default: two random hex digits. */
  readonly runIdSuffix?: () => string;
  /** Set by `dr rehearse` only: the run is against the local simulation, and its report says so. */
  readonly rehearsal?: RehearsalLabel;
}

/** Options every command shares (global flags). */
export interface GlobalOptions {
  /** DR region. Default: the dr stack's `region` output, else AWS_REGION. */
  readonly region?: string;
  readonly profile?: string;
  /** dr stack name. Default `dr`. */
  readonly stack: string;
  /** Directory of the project's Pulumi.yaml. Default: the repository root. */
  readonly workDir: string;
  /** Directory holding bin/pulumi. Default: pulumi on the PATH. */
  readonly pulumiRoot?: string;
  /** Where journals live. Default `<work-dir>/.dr`. */
  readonly stateDir: string;
  /** Where reports are written. Default `<work-dir>/reports`. */
  readonly reportDir: string;
  /** `--utc`: progress times in UTC. Default false: local time, honouring `TZ`, with its offset. */
  readonly utc?: boolean;
}

/** What a command runs with. */
export interface CommandContext {
  readonly deps: CliDeps;
  readonly global: GlobalOptions;
  readonly out: Output;
  /** Aborted on Ctrl-C / SIGTERM. */
  readonly signal: AbortSignal;
}

/** The directory relative paths on the command line resolve against: `deps.cwd`, else the process's. */
export function currentDir(deps: CliDeps): string {
  return deps.cwd ?? process.cwd();
}
