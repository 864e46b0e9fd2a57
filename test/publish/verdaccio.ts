// A local verdaccio registry with no uplinks, started as a child process for the publish tests.
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { childEnv, REPO_NODE_MODULES } from "./componentPackage";

/** A verdaccio registry running as a child process on 127.0.0.1, with no uplinks. */
export interface LocalRegistry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** What verdaccio printed, for failure messages. */
  output(): string;
  /** Creates a user and returns an npm auth token for it. */
  addUser(name: string, password: string): Promise<string>;
  /** Stops verdaccio and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The registry's configuration: storage and users in `dir`, no uplinks (nothing is proxied to the public
 * registry, so an install can only get the component from what was published here), anyone may read and
 * registered users may publish.
 */
function configYaml(dir: string, port: number): string {
  return [
    `storage: ${JSON.stringify(path.join(dir, "storage"))}`,
    "auth:",
    "  htpasswd:",
    `    file: ${JSON.stringify(path.join(dir, "htpasswd"))}`,
    "uplinks: {}",
    "packages:",
    "  '@restorekit/*':",
    "    access: $all",
    "    publish: $authenticated",
    "    unpublish: $authenticated",
    "  '**':",
    "    access: $all",
    "    publish: $authenticated",
    `listen: 127.0.0.1:${port}`,
    "web:",
    "  enable: false",
    "log: { type: stdout, format: pretty, level: warn }",
    "",
  ].join("\n");
}

async function waitUntilAnswering(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`verdaccio exited with ${child.exitCode} before answering:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}-/ping`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`verdaccio did not answer on ${url} within 30 s:\n${output()}`);
}

/** Starts verdaccio with its configuration and storage in `dir`, and waits until it answers. */
export async function startLocalRegistry(dir: string): Promise<LocalRegistry> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  fs.mkdirSync(dir, { recursive: true });
  const configPath = path.join(dir, "config.yaml");
  fs.writeFileSync(configPath, configYaml(dir, port));
  const child = spawn(
    process.execPath,
    [path.join(REPO_NODE_MODULES, "verdaccio", "bin", "verdaccio"), "--config", configPath],
    { cwd: dir, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stdout.on("data", (chunk) => (log += chunk));
  child.stderr.on("data", (chunk) => (log += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // A test run that dies without reaching `after` still takes verdaccio down with it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const killed = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(killed);
  };

  try {
    await waitUntilAnswering(url, child, () => log);
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    url,
    output: () => log,
    async addUser(name, password) {
      const response = await fetch(`${url}-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name, password }),
      });
      const body = (await response.json()) as { token?: string; error?: string };
      if (!response.ok || !body.token) {
        throw new Error(`verdaccio refused user ${name}: ${response.status} ${JSON.stringify(body)}`);
      }
      return body.token;
    },
    stop,
  };
}
