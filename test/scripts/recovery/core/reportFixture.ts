// A recover run's report built by hand, with known times, for the timeline, page and index tests.
import { RunReport, ReportJob } from "../../../../scripts/recovery/core/report";
import { RunVerdict, judgeObjective, judgeRun } from "../../../../scripts/recovery/core/verdict";

const T0 = Date.parse("2026-12-07T09:00:00.000Z");
/** The ISO time `minutes` after the run's start. */
export const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function job(
  type: ReportJob["resourceType"],
  name: string,
  from: number,
  to: number | undefined,
  status: ReportJob["status"] = "COMPLETED",
): ReportJob {
  return {
    resourceType: type,
    resourceName: name,
    resourceArn: `arn:aws:${type.toLowerCase()}:us-east-1:111122223333:${name}`,
    recoveryPointArn: `arn:aws:backup:us-west-2:111122223333:recovery-point:${name}`,
    recoveryPointCreatedAt: at(-600),
    dataAgeMinutes: 600,
    status,
    startedAt: at(from),
    endedAt: to === undefined ? undefined : at(to),
    durationSeconds: to === undefined ? undefined : (to - from) * 60,
  };
}

/**
 * Preflight 0-2 min; restores from 2: DynamoDB to 14, RDS to 27 (the data update waits for it), S3 to 32;
 * stack updates: infrastructure 2-11, data 29-38; healthy at 42; report at 43. The critical path:
 * preflight, restores through RDS, the data update, the health check, the report.
 */
export function sampleReport(overrides: Partial<RunReport> = {}, rdsName = "app-db"): RunReport {
  const report: Omit<RunReport, "verdict"> & Partial<Pick<RunReport, "verdict">> = {
    kind: "recover",
    runId: "20261207t090000aa",
    stack: "dr",
    region: "us-west-2",
    vault: "app-dr-vault",
    startedAt: at(0),
    finishedAt: at(43),
    outcome: "success",
    rto: { targetMinutes: 480, measuredSeconds: 42 * 60, dataRestoredSeconds: 32 * 60, met: true },
    rpo: { targetMinutes: 1800, achievedMinutes: 600, met: true },
    jobs: [job("DynamoDB", "app-table", 2, 14), job("RDS", rdsName, 2, 27), job("S3", "app-bucket", 2, 32)],
    skipped: [],
    flips: [
      { phase: "infrastructure", config: {}, startedAt: at(2), endedAt: at(11), ok: true },
      { phase: "data", config: {}, startedAt: at(29), endedAt: at(38), ok: true },
    ],
    health: {
      url: "http://dr.example/health",
      healthy: true,
      attempts: 3,
      lastStatus: 200,
      checkedAt: at(42),
    },
    notes: ["throw the failover switch"],
    ...overrides,
  };
  return { ...report, verdict: report.verdict ?? verdictOf(report) };
}

/** The verdict the report's own figures give, by the one rule (verdict.ts). */
function verdictOf(report: Omit<RunReport, "verdict">): RunVerdict {
  const { outcome, rpo, rto } = report;
  return judgeRun(outcome, [
    judgeObjective(outcome, { objective: "RPO", target: rpo.targetMinutes, achieved: rpo.achievedMinutes }),
    judgeObjective(outcome, {
      objective: "RTO",
      target: rto.targetMinutes === undefined ? undefined : rto.targetMinutes * 60,
      achieved: rto.measuredSeconds,
    }),
  ]);
}
