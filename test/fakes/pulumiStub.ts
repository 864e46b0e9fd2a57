// A `pulumi` stand-in the Automation API runs (bin/pulumi), its state in a JSON file: config, outputs, updates.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DR_OUTPUTS } from "../../scripts/simulation/fixtures";

const STUB_SOURCE = path.resolve(__dirname, "../fixtures/pulumi-stub/pulumi.js");

/** State the stub reads and writes. */
export interface StubState {
  version?: string;
  failUp?: boolean;
  /** Milliseconds each `up` takes after printing its first line. Default 0. */
  upDelayMs?: number;
  stacks: Record<
    string,
    {
      outputs: Record<string, unknown>;
      config: Record<string, string>;
      /** The config of the last successful `up` (what the cloud runs); absent until the first config change. */
      deployed?: Record<string, string>;
      history: unknown[];
    }
  >;
}

/** A `pulumi` stand-in at `<root>/bin/pulumi`, as `PulumiCommand.get({ root })` expects. */
export interface PulumiStub {
  /** Pass as `pulumiRoot` / `--pulumi-root`. */
  readonly root: string;
  /** A directory with a Pulumi.yaml for the dr-app project, to use as the workspace. */
  readonly workDir: string;
  /** Every invocation's arguments, in order. */
  calls(): string[][];
  state(): StubState;
  /**
   * The config stack `name`'s resources run with: that of its last successful `up`, since a `config set`
   * changes nothing in the cloud until then (its config when no `up` or config change has run yet).
   */
  deployedConfig(name: string): Record<string, string>;
  update(change: (state: StubState) => void): void;
  dispose(): void;
}

/** Writes the stub executable and its state into a fresh temporary directory. */
export function installPulumiStub(
  options: { outputs?: Record<string, unknown>; config?: Record<string, string> } = {},
): PulumiStub {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-stub-"));
  fs.mkdirSync(path.join(root, "bin"));
  const executable = path.join(root, "bin", "pulumi");
  fs.copyFileSync(STUB_SOURCE, executable);
  fs.chmodSync(executable, 0o755);
  const workDir = path.join(root, "project");
  fs.mkdirSync(workDir);
  fs.writeFileSync(
    path.join(workDir, "Pulumi.yaml"),
    "name: dr-app\nruntime: nodejs\nmain: stacks/index.ts\n",
  );
  const statePath = path.join(root, "state.json");
  const initial: StubState = {
    stacks: {
      dr: {
        outputs: options.outputs ?? DR_OUTPUTS,
        config: { "dr-app:role": "dr", ...(options.config ?? { "dr-app:mode": "standby" }) },
        history: [],
      },
      prod: { outputs: { role: "primary" }, config: { "dr-app:role": "primary" }, history: [] },
    },
  };
  fs.writeFileSync(statePath, JSON.stringify(initial, null, 2));
  const callsPath = path.join(root, "calls.jsonl");
  fs.writeFileSync(callsPath, "");
  const state = () => JSON.parse(fs.readFileSync(statePath, "utf8")) as StubState;
  return {
    root,
    workDir,
    calls: () =>
      fs
        .readFileSync(callsPath, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[]),
    state,
    deployedConfig: (name) => {
      const stack = state().stacks[name];
      return stack ? (stack.deployed ?? stack.config) : {};
    },
    update: (change) => {
      const state = JSON.parse(fs.readFileSync(statePath, "utf8")) as StubState;
      change(state);
      fs.writeFileSync(statePath, JSON.stringify(state, null, 2));
    },
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
