import { ChildProcess, spawn } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../../..");

/** `dr` running in a child process, the way an operator runs it (scripts/bin/dr.js). */
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
    AWS_ACCESS_KEY_ID: "AKIDLOCALFAKE",
    AWS_SECRET_ACCESS_KEY: "local-fake-secret",
    AWS_REGION: "us-west-2",
    AWS_EC2_METADATA_DISABLED: "true",
    ...(quiet ? { NODE_NO_WARNINGS: "1" } : {}),
  };
}

/** Starts `node scripts/bin/dr.js <args>`. */
export function startDr(args: readonly string[], env: NodeJS.ProcessEnv): ChildRun {
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/bin/dr.js"), ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
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
