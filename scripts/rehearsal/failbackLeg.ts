/** The way back of `dr rehearse failback`: days of writes in DR, the primary region back, `dr failback`, and the cycle's report. */
import * as fs from "fs";
import * as path from "path";
import { FailbackReport } from "../recovery/failback/report";
import { RunReport } from "../recovery/core/report";
import { DrError, ExitCode } from "../errors";
import { Output } from "../output";
import { FakeAws } from "../simulation/fakeAwsServer";
import { parsePositive } from "../time";
import { tallyWrites } from "./abandonedWrites";
import { buildCycleReport, renderCycleSummary, writeCycleReport } from "./cycleReport";
import { APPLICATION_WRITE_MINUTES, DrOrigins, recordDrOrigins, switchAlarm } from "./cycleSimulation";
import { RehearsalEstate } from "./estate";
import { ScaledClock } from "./scaledClock";
import { RehearsalLabel } from "../dependencies";

/** Default `--days-in-dr`: the application serves from DR this many simulated days before the failback. */
export const DEFAULT_DAYS_IN_DR = 2;
/** Largest `--days-in-dr`: the DR vault's copies are kept 7 days in the rehearsal's estate; a month is plenty. */
export const MAX_DAYS_IN_DR = 30;

const DAY_MS = 86_400_000;

/** Parses `--days-in-dr`: a positive number of days up to {@link MAX_DAYS_IN_DR}. */
export function parseDaysInDr(text: string): number {
  const days = parsePositive("--days-in-dr", text);
  if (days > MAX_DAYS_IN_DR) {
    throw new DrError(`--days-in-dr '${text}' must be at most ${MAX_DAYS_IN_DR}`);
  }
  return days;
}

/** The report files in `dir` now. */
export function reportFiles(dir: string): Set<string> {
  return new Set(fs.existsSync(dir) ? fs.readdirSync(dir) : []);
}

/** The JSON report of kind `kind` a run wrote into `dir` since `before` was listed, with its path. */
export function newReport<T>(
  dir: string,
  before: ReadonlySet<string>,
  kind: string,
): { report: T; file: string } | undefined {
  const name = [...reportFiles(dir)].find(
    (f) => !before.has(f) && f.startsWith(`rehearsal-${kind}-`) && f.endsWith(".json"),
  );
  if (!name) {
    return undefined;
  }
  const file = path.join(dir, name);
  return { report: JSON.parse(fs.readFileSync(file, "utf8")) as T, file };
}

/** What the failback leg runs with. */
export interface FailbackLeg {
  readonly out: Output;
  readonly fake: FakeAws;
  readonly clock: ScaledClock;
  readonly estate: RehearsalEstate;
  readonly origins: DrOrigins;
  readonly label: RehearsalLabel;
  readonly daysInDr: number;
  readonly reportDir: string;
  /** Trainee's flags for the failback (checked). */
  readonly passthrough: readonly string[];
  /** Runs `dr <command> --yes <flags>` through the CLI's entry point; returns its exit code. */
  readonly run: (command: string, flags: readonly string[]) => Promise<number>;
  readonly signal: AbortSignal;
}

/**
 * After a recovery that exited `recoverCode` and wrote `recovery` (its report): the application serves
 * from DR for the days asked, writing to the restored data; the primary region answers again; `dr
 * failback --yes` runs on the same simulation; then the writes are counted with the simulation's
 * counters and the cycle's report is written. A recovery that missed an objective (exit 1) but restored
 * everything is failed back too: its verdict carries into the cycle's. Returns the exit code: the
 * failback's when it did not exit 0, else the cycle's verdict's (1 when writes were lost or the recovery
 * missed an objective, else 0).
 */
export async function runFailbackLeg(
  leg: FailbackLeg,
  recoverCode: number,
  recovery: { report: RunReport; file: string } | undefined,
): Promise<number> {
  const { out, fake, estate } = leg;
  const recovered =
    recovery !== undefined &&
    (recoverCode === ExitCode.ok ||
      (recoverCode === ExitCode.objectiveMissed && recovery.report.outcome === "success"));
  if (!recovered || !recovery || leg.signal.aborted) {
    if (!leg.signal.aborted) {
      out.warn(
        `rehearsal: the recovery did not succeed (exit ${recoverCode}): the failback needs a finished recovery to bring back, so the rehearsal stops here`,
      );
    }
    return recoverCode === 0 ? ExitCode.failed : recoverCode;
  }
  recordDrOrigins(fake, estate, leg.origins);
  const writtenSoFar = () =>
    [...leg.origins.keys()].reduce((sum, arn) => {
      const resource = fake.resource(arn);
      return sum + (resource?.type === "S3" ? resource.objects.size : (resource?.writes ?? 0));
    }, 0);
  out.print("");
  out.info(
    `rehearsal: the application serves from ${estate.drRegion} for ${leg.daysInDr} simulated day(s), writing every ${APPLICATION_WRITE_MINUTES} minutes to each of the ${leg.origins.size} restored resources`,
  );
  leg.clock.advance(leg.daysInDr * DAY_MS);
  out.info(`rehearsal: ${writtenSoFar()} write(s) made in DR so far`);
  fake.setReachable(estate.primaryRegion, true);
  out.info(
    `rehearsal: the primary region ${estate.primaryRegion} answers again; the incident lead decides to fail back`,
  );

  const before = reportFiles(leg.reportDir);
  const code = await leg.run("failback", ["--prod-stack", estate.primaryStack, ...leg.passthrough]);
  if (leg.signal.aborted) {
    return code;
  }
  const failback = newReport<FailbackReport>(leg.reportDir, before, "failback");
  const report = buildCycleReport({
    rehearsal: leg.label,
    daysInDr: leg.daysInDr,
    recovery: { report: recovery.report, file: recovery.file, exitCode: recoverCode },
    failback: { report: failback?.report, file: failback?.file, exitCode: code },
    writes: tallyWrites(fake, estate, leg.origins),
    switchState: fake.cloudWatch.alarmState(switchAlarm(estate)).state,
  });
  const paths = await writeCycleReport(report, leg.reportDir);
  out.print("");
  for (const line of renderCycleSummary(report)) {
    out.print(line);
  }
  for (const note of report.notes) {
    out.print(`  note: ${note}`);
  }
  out.print(`  report: ${paths.markdown} (JSON: ${paths.json})`);
  if (code !== ExitCode.ok) {
    return code;
  }
  return report.verdict.exitCode;
}
