// Pulumi's plugin launcher for the published component: found as the CLI finds it, started, stopped.
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import type { PackageSpec } from "@pulumi/pulumi/provider/experimental/schema";
import { childEnv, run } from "./componentPackage";

/** A component package served by Pulumi's plugin launcher, as the Pulumi CLI starts it. */
export interface RunningPlugin {
  /** The gRPC port the launcher printed. */
  readonly port: number;
  /** The `@pulumi/pulumi` folder the launcher came from (the package's own resolution). */
  readonly pulumiDir: string;
  /** Calls the provider's GetSchema and parses the answer. */
  getSchema(): Promise<PackageSpec>;
  /** What the launcher wrote on stderr so far. */
  stderr(): string;
  /** Kills the launcher and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Where the CLI's nodejs language host finds the launcher: it runs `require.resolve` of
 * `@pulumi/pulumi/cmd/run-plugin` with the plugin's folder as the working directory (locateModule in
 * pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go), so a package installed in a project's
 * node_modules gets the project's Pulumi SDK.
 */
export async function locateLauncher(packageDir: string): Promise<string> {
  const located = await run(
    process.execPath,
    ["-e", "console.log(require.resolve('@pulumi/pulumi/cmd/run-plugin'))"],
    { cwd: packageDir },
  );
  return located.stdout.trim();
}

/**
 * Starts `node <launcher> <packageDir>` in `cwd` (the CLI runs it in the user's directory, with
 * PULUMI_NODEJS_TYPESCRIPT set because `typescript` defaults to true in the runtime options) and waits
 * for the port it prints.
 */
export async function startPlugin(packageDir: string, cwd: string): Promise<RunningPlugin> {
  const launcher = await locateLauncher(packageDir);
  const pulumiDir = path.resolve(path.dirname(launcher), "..", "..");
  const child: ChildProcess = spawn(process.execPath, [launcher, packageDir], {
    cwd,
    env: childEnv({ PULUMI_NODEJS_TYPESCRIPT: "true" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  };
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      let stdout = "";
      child.stdout!.on("data", (chunk) => {
        stdout += chunk;
        const line = /^(\d+)\s*$/m.exec(stdout);
        if (line) resolve(Number(line[1]));
      });
      child.once("exit", (code) => reject(new Error(`plugin exited with ${code}:\n${stdout}\n${stderr}`)));
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    port,
    pulumiDir,
    stderr: () => stderr,
    stop,
    getSchema: async () => {
      // The SDK's own gRPC stubs, so the client speaks the same protocol version as the host.
      /* eslint-disable @typescript-eslint/no-require-imports */
      const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
      const services = require(path.join(pulumiDir, "proto", "provider_grpc_pb"));
      const messages = require(path.join(pulumiDir, "proto", "provider_pb"));
      /* eslint-enable @typescript-eslint/no-require-imports */
      const client = new services.ResourceProviderClient(
        `127.0.0.1:${port}`,
        grpc.credentials.createInsecure(),
      );
      try {
        return await new Promise<PackageSpec>((resolve, reject) =>
          client.getSchema(
            new messages.GetSchemaRequest(),
            (err: Error | null, response: { getSchema(): string }) =>
              err ? reject(err) : resolve(JSON.parse(response.getSchema())),
          ),
        );
      } finally {
        client.close();
      }
    },
  };
}
