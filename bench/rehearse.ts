/**
 * How long `dr rehearse` takes an operator (`npm run bench:rehearse`): the CLI in a child process, as
 * `npx dr rehearse` runs it, at the default speed (or `--speed <x>`), timed from the spawn to the
 * rehearsal's first line, to the rehearsed command's start, and to the exit; with the simulated times
 * the report measured. The target: a full recovery with its report in under a minute.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { RunReport } from "../scripts/recovery/report/report";

const ROOT = path.resolve(__dirname, "..");

async function main(argv: string[]): Promise<void> {
  const speedIndex = argv.indexOf("--speed");
  const speed = speedIndex >= 0 ? ["--speed", argv[speedIndex + 1]] : [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-bench-rehearse-"));
  const marks: Record<string, number> = {};
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, "scripts/bin/dr.js"),
      "--report-dir",
      path.join(dir, "reports"),
      "rehearse",
      ...speed,
      "--rehearsal-dir",
      path.join(dir, "state"),
    ],
    { cwd: ROOT, env: { ...process.env, NODE_NO_WARNINGS: "1" } },
  );
  let stdout = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    marks.firstLine ??= performance.now();
    if (stdout.includes("\n$ dr recover")) marks.commandStart ??= performance.now();
  });
  child.stderr.on("data", (chunk) => process.stderr.write(chunk));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const total = performance.now() - started;
  const reportFile = fs.readdirSync(path.join(dir, "reports")).find((f) => f.endsWith(".json"));
  const report = JSON.parse(
    fs.readFileSync(path.join(dir, "reports", reportFile ?? ""), "utf8"),
  ) as RunReport;
  fs.rmSync(dir, { recursive: true, force: true });
  const s = (ms: number | undefined) => (ms === undefined ? "-" : `${(ms / 1000).toFixed(1)} s`);
  process.stdout.write(
    [
      `dr rehearse (speed ${report.rehearsal?.speed}): exit ${code}, ${report.outcome}`,
      `  first line after ${s(marks.firstLine - started)}; the rehearsed 'dr recover' started after ${s(marks.commandStart - started)}`,
      `  whole rehearsal, report written: ${s(total)} (target: under 60 s)`,
      `  simulated: data restored after ${report.rto.dataRestoredSeconds} s, healthy after ${report.rto.measuredSeconds} s`,
      "",
    ].join("\n"),
  );
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
