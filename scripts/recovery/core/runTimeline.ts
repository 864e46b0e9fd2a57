// The timeline of a recover or drill run, read off its RunReport: preflight, each restore job, the stack updates, the health check.
import { FlipRecord, JobStatus } from "./journal";
import { RunReport } from "./report";
import { BarState, Timeline, TimelineBar } from "./timeline";

const time = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

/** A restore job's state in the picture, from AWS's status. */
export function jobState(status: JobStatus | "NOT_STARTED"): BarState {
  if (status === "COMPLETED") return "ok";
  if (status === "FAILED" || status === "ABORTED") return "failed";
  return status === "NOT_STARTED" ? "not-started" : "unfinished";
}

function flipState(flip: FlipRecord): BarState {
  return flip.ok === undefined ? "unfinished" : flip.ok ? "ok" : "failed";
}

/** The report's title, as the Markdown's first line has it. */
export function runTitle(report: RunReport): string {
  return `${report.kind === "drill" ? "DR drill" : "DR recovery"}${report.rehearsal ? " rehearsal" : ""} ${report.runId}: ${report.outcome}`;
}

/**
 * The run's bars, from what the report holds (nothing recomputed from the journal): `preflight` from the
 * run's start to its first job or stack update; `restores`, spanning the restore jobs, each job under it;
 * each stack update (`stack update: data`); the `health check` from the last job or update that ended
 * before it to the healthy answer; then the checks, cleanup and report to the report's time.
 */
export function runTimeline(report: RunReport): Timeline {
  const startMs = Date.parse(report.startedAt);
  const endMs = Date.parse(report.finishedAt);
  const jobs: TimelineBar[] = report.jobs.map((job, index) => ({
    id: `job:${index}`,
    kind: "job",
    label: `${job.resourceType} ${job.resourceName}`,
    startMs: time(job.startedAt),
    endMs: time(job.endedAt),
    state: jobState(job.status),
    phase: "phase:restores",
    detail: job.message,
  }));
  const flips: TimelineBar[] = report.flips.map((flip, index) => ({
    id: `flip:${index}`,
    kind: "phase",
    label: `stack update: ${flip.phase}`,
    startMs: time(flip.startedAt),
    endMs: time(flip.endedAt),
    state: flipState(flip),
    detail: flip.message,
  }));
  const started = [...jobs, ...flips].map((b) => b.startMs).filter((t): t is number => t !== undefined);
  const firstStart = started.length > 0 ? Math.min(...started) : undefined;
  const bars: TimelineBar[] = [
    {
      id: "phase:preflight",
      kind: "phase",
      label: "preflight and selection",
      startMs,
      endMs: firstStart ?? endMs,
      state: firstStart !== undefined || report.outcome !== "failed" ? "ok" : "failed",
    },
  ];
  const jobStarts = jobs.map((j) => j.startMs).filter((t): t is number => t !== undefined);
  if (jobStarts.length > 0) {
    const allEnded = jobs.every((j) => j.endMs !== undefined || j.state === "not-started");
    const ends = jobs.map((j) => j.endMs).filter((t): t is number => t !== undefined);
    bars.push({
      id: "phase:restores",
      kind: "phase",
      label: "restores",
      startMs: Math.min(...jobStarts),
      endMs: allEnded && ends.length > 0 ? Math.max(...ends) : undefined,
      state: jobs.some((j) => j.state === "failed")
        ? "failed"
        : jobs.every((j) => j.state === "ok")
          ? "ok"
          : "unfinished",
    });
  }
  bars.push(...jobs, ...flips);
  let afterMs = startMs;
  const health = report.health;
  const healthMs = time(health?.checkedAt);
  if (health && healthMs !== undefined) {
    const before = bars.map((b) => b.endMs).filter((t): t is number => t !== undefined && t <= healthMs);
    const healthStart = before.length > 0 ? Math.max(...before) : startMs;
    bars.push({
      id: "phase:health",
      kind: "phase",
      label: "health check",
      startMs: healthStart,
      endMs: healthMs,
      state: health.healthy ? "ok" : "failed",
      detail: `${health.attempts} attempt(s)${health.lastError ? `, ${health.lastError}` : health.lastStatus ? `, HTTP ${health.lastStatus}` : ""}`,
    });
    afterMs = healthMs;
  }
  const ended = bars.map((b) => b.endMs).filter((t): t is number => t !== undefined);
  afterMs = Math.max(afterMs, ...ended);
  if (afterMs < endMs) {
    bars.push({
      id: "phase:finish",
      kind: "phase",
      label: report.kind === "drill" ? "checks, cleanup and report" : "checks and report",
      startMs: afterMs,
      endMs,
      state: "ok",
    });
  }
  return {
    title: runTitle(report),
    startMs,
    endMs,
    bars,
    // The healthy answer's own time: the measured RTO is it, rounded to the second.
    rtoEndMs:
      report.rto.measuredSeconds !== undefined
        ? (healthMs ?? startMs + report.rto.measuredSeconds * 1000)
        : undefined,
    rtoTargetMinutes: report.rto.targetMinutes,
  };
}
