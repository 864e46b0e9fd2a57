/**
 * How fast `restorekit-dr` starts: wall time of `--help`, `--version` and `cost --help` as an operator or
 * cron runs them, the launcher (scripts/bin/restorekit-dr.js) started by its path from a directory outside
 * the checkout, from the compiled build and from the sources with ts-node, the development path. The
 * target is `--help` under 1 s on an idle machine. Prints figures; asserts nothing. Builds first (npm run
 * build) so the compiled figures are of the current sources.
 */
import { execFileSync, spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const DR = path.join(ROOT, "scripts", "bin", "restorekit-dr.js");
const RUNS = 7;
const COMMANDS = [["--help"], ["--version"], ["cost", "--help"]];

function millisecondsOf(args: string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(DR, args, { cwd: os.tmpdir(), env, stdio: "ignore" });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`restorekit-dr ${args.join(" ")} exited with ${result.status}`);
  return elapsed;
}

function figures(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return [median, sorted[0], sorted[sorted.length - 1]]
    .map((ms) => `${ms.toFixed(0)} ms`.padStart(9))
    .join(" ");
}

execFileSync("npm", ["run", "--silent", "build"], {
  cwd: ROOT,
  stdio: "inherit",
  shell: process.platform === "win32",
});
console.log(
  `restorekit-dr start-up from ${os.tmpdir()}, ${RUNS} runs each (node ${process.version}, ${os.cpus().length} CPUs, load ${os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(" ")})`,
);
console.log(
  ["COMMAND".padEnd(32), "FROM".padEnd(9), "median".padStart(9), "min".padStart(9), "max".padStart(9)].join(
    " ",
  ),
);
for (const [from, env] of [
  ["build", { ...process.env, DR_FROM_SOURCE: "0" }],
  ["source", { ...process.env, DR_FROM_SOURCE: "1" }],
] as const) {
  for (const args of COMMANDS) {
    millisecondsOf(args, env); // warm the file cache
    const samples = Array.from({ length: RUNS }, () => millisecondsOf(args, env));
    console.log([`restorekit-dr ${args.join(" ")}`.padEnd(32), from.padEnd(9), figures(samples)].join(" "));
  }
}
