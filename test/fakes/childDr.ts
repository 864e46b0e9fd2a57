// `dr` in a child process as an operator runs it (scripts/bin/restorekit-dr.js), with a clean environment, and its output read as it comes.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FakeAws, FakeAwsOptions, startFakeAws } from "../../scripts/simulation/fakeAwsServer";
import { DR_OUTPUTS } from "../../scripts/simulation/fixtures";
import { PulumiStub, installPulumiStub } from "./pulumiStub";
import { FAKE_CREDENTIALS } from "./simulationClient";

const ROOT = path.resolve(__dirname, "..", "..");

/** `dr` running in a child process, the way an operator runs it (scripts/bin/restorekit-dr.js). */
export interface ChildRun {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly exit: Promise<number | null>;
  /** Resolves when `marker` has appeared on stdout or stderr; rejects if the process exits first. */
  waitFor(marker: string | RegExp): Promise<void>;
}

/**
 * The environment of a child `dr`: no AWS settings of the machine running the tests, fake
 * credentials, the DR region, and the given endpoint variables. Node's own warnings stay on unless
 * `quiet`, so a test can see everything an operator would.
 */
export function childEnv(endpoints: Record<string, string>, quiet = true): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
  delete base.NODE_NO_WARNINGS;
  return {
    ...base,
    ...endpoints,
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    AWS_REGION: "us-west-2",
    AWS_EC2_METADATA_DISABLED: "true",
    ...(quiet ? { NODE_NO_WARNINGS: "1" } : {}),
  };
}

/** How {@link startDr} starts `dr`. */
export interface StartOptions {
  /**
   * On a pseudo-terminal (`script`): stdin is the terminal (write to `child.stdin`, e.g. "\x03" for
   * Ctrl-C, which the terminal turns into SIGINT), stdout and stderr both come on stdout. Default false.
   */
  readonly terminal?: boolean;
  /** In its own process group, as a shell runs a job: `process.kill(-pid)` reaches all of it. Default false. */
  readonly detached?: boolean;
  /** stderr into stdout (`2>&1`), so their lines keep the order they were written in. Default false. */
  readonly merged?: boolean;
}

/** Quotes `arg` for sh. */
function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, "'\\''")}'`;
}

/** Starts `node scripts/bin/restorekit-dr.js <args>`. */
export function startDr(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  options: StartOptions = {},
): ChildRun {
  const command = [process.execPath, path.join(ROOT, "scripts/bin/restorekit-dr.js"), ...args];
  const child = options.terminal
    ? spawn("script", ["-qfec", command.map(shellQuote).join(" "), "/dev/null"], {
        cwd: ROOT,
        env,
        stdio: ["pipe", "pipe", "pipe"],
        detached: options.detached,
      })
    : options.merged
      ? // sh execs node: the child is dr itself, its stderr the same pipe as its stdout.
        spawn("sh", ["-c", 'exec "$0" "$@" 2>&1', ...command], {
          cwd: ROOT,
          env,
          stdio: ["ignore", "pipe", "pipe"],
          detached: options.detached,
        })
      : spawn(command[0], command.slice(1), {
          cwd: ROOT,
          env,
          stdio: ["ignore", "pipe", "pipe"],
          detached: options.detached,
        });
  let stdout = "";
  let stderr = "";
  const watchers: Array<() => void> = [];
  const notify = () => watchers.forEach((w) => w());
  child.stdout?.on("data", (d) => {
    stdout += d;
    notify();
  });
  child.stderr?.on("data", (d) => {
    stderr += d;
    notify();
  });
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const seen = (marker: string | RegExp) =>
    typeof marker === "string"
      ? stdout.includes(marker) || stderr.includes(marker)
      : marker.test(stdout) || marker.test(stderr);
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exit,
    waitFor: (marker) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (seen(marker)) {
            resolve();
            return true;
          }
          return false;
        };
        if (check()) {
          return;
        }
        watchers.push(check);
        void exit.then((code) => {
          if (!seen(marker)) {
            reject(new Error(`dr exited (${code}) before '${marker}':\n${stdout}\n${stderr}`));
          }
        });
      }),
  };
}

/** `dr recover` with polls fast enough for restores of a few seconds. */
export const FAST_RECOVER: readonly string[] = [
  "recover",
  "--yes",
  "--poll-initial",
  "0.05",
  "--poll-max",
  "0.25",
];

/** A local AWS endpoint, a pulumi stub whose dr stack checks health on it, and a state directory. */
export interface LocalDr {
  readonly fake: FakeAws;
  readonly stub: PulumiStub;
  readonly stateDir: string;
  readonly reportDir: string;
  /** Starts `dr` on the stub with the state and report directories, then `args`. */
  start(args: readonly string[], env: NodeJS.ProcessEnv, options?: StartOptions): ChildRun;
  dispose(): Promise<void>;
}

/** The global flags that run `dr` on the pulumi stub, with its state and reports in the given directories. */
export function onStub(stub: PulumiStub, stateDir: string, reportDir: string): string[] {
  return [
    "--pulumi-root",
    stub.root,
    "--work-dir",
    stub.workDir,
    "--state-dir",
    stateDir,
    "--report-dir",
    reportDir,
  ];
}

/** Sets up a {@link LocalDr}; `dispose()` it after the test. */
export async function localDr(options: FakeAwsOptions): Promise<LocalDr> {
  const fake = await startFakeAws(options);
  const stub = installPulumiStub({ outputs: { ...DR_OUTPUTS, healthCheckUrl: `${fake.url}/health` } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-child-"));
  const stateDir = path.join(dir, ".dr");
  const reportDir = path.join(dir, "reports");
  return {
    fake,
    stub,
    stateDir,
    reportDir,
    start: (args, env, options) => startDr([...onStub(stub, stateDir, reportDir), ...args], env, options),
    dispose: async () => {
      await fake.close();
      stub.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
