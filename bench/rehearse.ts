/**
 * How long `dr rehearse` takes an operator (`npm run bench:rehearse`): the CLI in a child process, as
 * `restorekit-dr rehearse` runs it, at the default speed (or `--speed <x>`), timed from the spawn to the
 * rehearsal's first line, to the rehearsed command's start, and to the exit; with the simulated times
 * the reports measured. Twice: `dr rehearse` (a recovery; the target: with its report in under a
 * minute) and `dr rehearse failback` (the whole cycle: recover, two days of writes in DR, failback), with
 * the cycle's freeze window and writes lost. `--only recover|failback` runs one of them.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { RunReport } from "../scripts/recovery/core/report";
import { CycleReport } from "../scripts/rehearsal/cycleReport";

const ROOT = path.resolve(__dirname, "..");

/** One rehearsal in a child process: its exit code, the real times of its milestones and its reports. */
async function timeRehearsal(
  args: string[],
  milestones: Record<string, string>,
): Promise<{ code: number | null; marks: Record<string, number>; reports: Record<string, unknown> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-bench-rehearse-"));
  const marks: Record<string, number> = {};
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, "scripts/bin/restorekit-dr.js"),
      "--report-dir",
      path.join(dir, "reports"),
      "rehearse",
      ...args,
      "--rehearsal-dir",
      path.join(dir, "state"),
    ],
    { cwd: ROOT, env: { ...process.env, NODE_NO_WARNINGS: "1" } },
  );
  let stdout = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
    marks.firstLine ??= performance.now() - started;
    for (const [name, text] of Object.entries(milestones)) {
      if (stdout.includes(text)) marks[name] ??= performance.now() - started;
    }
  });
  child.stderr.on("data", (chunk) => process.stderr.write(chunk));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  marks.total = performance.now() - started;
  const reports = Object.fromEntries(
    fs
      .readdirSync(path.join(dir, "reports"))
      .filter((f) => f.endsWith(".json"))
      .map((f) => [
        f.split("-")[1],
        JSON.parse(fs.readFileSync(path.join(dir, "reports", f), "utf8")) as unknown,
      ]),
  );
  fs.rmSync(dir, { recursive: true, force: true });
  return { code, marks, reports };
}

const s = (ms: number | undefined) => (ms === undefined ? "-" : `${(ms / 1000).toFixed(1)} s`);
const min = (seconds: number | undefined) =>
  seconds === undefined ? "-" : `${(seconds / 60).toFixed(1)} min`;

async function main(argv: string[]): Promise<void> {
  const speedIndex = argv.indexOf("--speed");
  const speed = speedIndex >= 0 ? ["--speed", argv[speedIndex + 1]] : [];
  const onlyIndex = argv.indexOf("--only");
  const only = onlyIndex >= 0 ? argv[onlyIndex + 1] : undefined;
  const lines: string[] = [];
  if (only !== "failback") {
    const { code, marks, reports } = await timeRehearsal(speed, { commandStart: "\n$ dr recover" });
    const report = reports.recover as RunReport;
    lines.push(
      `dr rehearse (speed ${report.rehearsal?.speed}): exit ${code}, ${report.outcome}`,
      `  first line after ${s(marks.firstLine)}; the rehearsed 'dr recover' started after ${s(marks.commandStart)}`,
      `  whole rehearsal, report written: ${s(marks.total)} (target: under 60 s)`,
      `  simulated: data restored after ${report.rto.dataRestoredSeconds} s, healthy after ${report.rto.measuredSeconds} s`,
    );
  }
  if (only !== "recover") {
    const { code, marks, reports } = await timeRehearsal(["failback", ...speed], {
      recoverStart: "\n$ dr recover",
      failbackStart: "\n$ dr failback",
    });
    const cycle = reports.cycle as CycleReport;
    lines.push(
      `dr rehearse failback (speed ${cycle.rehearsal.speed}, ${cycle.daysInDr} days in DR): exit ${code}, ${cycle.outcome}`,
      `  first line after ${s(marks.firstLine)}; 'dr recover' started after ${s(marks.recoverStart)}, 'dr failback' after ${s(marks.failbackStart)}`,
      `  whole cycle, reports written: ${s(marks.total)}`,
      `  simulated: recovery RTO ${min(cycle.recovery.rto.measuredSeconds)}, RPO ${cycle.recovery.rpo.achievedMinutes} min; ` +
        `failback ${min(cycle.failback?.failbackSeconds)} to traffic back, freeze ${min(cycle.freeze?.durationSeconds)}; ` +
        `writes lost ${cycle.writes?.lost ?? "-"} of ${cycle.writes?.writtenInDr ?? "-"}`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
