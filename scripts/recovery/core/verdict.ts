// The verdict of a run against its objectives (RPO, RTO): one rule for recover, drill, failback, rehearse and status.
import { ExitCode, ExitCodeValue } from "../../errors";
import { formatDuration } from "../../time";
import { RunOutcome } from "./journal";

/**
 * Whether an objective holds: what was achieved is at most its target. `dr status` marks a resource's
 * newest point with it, a run's report its achieved RPO and measured RTO.
 */
export function withinObjective(achieved: number, target: number): boolean {
  return achieved <= target;
}

/**
 * Where a run stands against one objective:
 * - `met`: measured, within the target, and the run succeeded;
 * - `missed`: measured (or bounded from below) beyond the target;
 * - `not-met`: the run ended partial or failed, so the objective is not delivered whatever was measured;
 * - `unmeasured`: nothing to measure it with (no health check ran);
 * - `no-target`: the deployment states no target for it.
 */
export type ObjectiveState = "met" | "missed" | "not-met" | "unmeasured" | "no-target";

/** One objective's verdict, with its target and what was achieved, as the report and the summary print them. */
export interface ObjectiveVerdict {
  /** "RPO", "RTO" or, for a failback, "writes lost". */
  readonly objective: string;
  readonly state: ObjectiveState;
  /** The target as text ("1800 min"); absent without a target. */
  readonly target?: string;
  /** What was achieved as text ("2190.2 min", "30m 37s"); absent when nothing was measured. */
  readonly achieved?: string;
  /** Why it is missed, not met or not measured. */
  readonly reason?: string;
}

/** The overall result: `objectives-missed` is a run that did all it was asked but too late or with too old data. */
export type RunResult = "success" | "objectives-missed" | "partial" | "failed";

/** A run's verdict: the overall result, its exit code and each objective's verdict. */
export interface RunVerdict {
  readonly result: RunResult;
  readonly exitCode: ExitCodeValue;
  readonly objectives: readonly ObjectiveVerdict[];
}

/** A measurement against a target, in the same unit; the texts are how the report shows them. */
export interface Measurement {
  readonly objective: string;
  /** Target in the unit of `achieved`; absent when the deployment states none. */
  readonly target?: number;
  readonly targetText?: string;
  readonly achieved?: number;
  readonly achievedText?: string;
  /**
   * A value the objective cannot be better than, when `achieved` is unknown (the RTO is at least the time
   * the data took to restore, since the health check follows the restores), with its text.
   */
  readonly atLeast?: number;
  readonly atLeastText?: string;
  /** Why nothing was measured, when `achieved` is absent. Default "not measured". */
  readonly unmeasured?: string;
}

/** Judges one objective of a run that ended with `outcome`: "met" only for a measured, successful run within target. */
export function judgeObjective(outcome: RunOutcome, m: Measurement): ObjectiveVerdict {
  const base = { objective: m.objective, target: m.targetText, achieved: m.achievedText };
  if (m.target === undefined) {
    return { ...base, state: "no-target" };
  }
  if (m.achieved !== undefined && !withinObjective(m.achieved, m.target)) {
    return { ...base, state: "missed" };
  }
  if (m.achieved === undefined && m.atLeast !== undefined && !withinObjective(m.atLeast, m.target)) {
    return { ...base, state: "missed", reason: `at least ${m.atLeastText ?? m.atLeast}` };
  }
  if (outcome !== "success") {
    return { ...base, state: "not-met", reason: `${outcome} run` };
  }
  if (m.achieved === undefined) {
    return { ...base, state: "unmeasured", reason: m.unmeasured ?? "not measured" };
  }
  return { ...base, state: "met" };
}

/**
 * The overall verdict: a failed run exits 3, a partial run 1, a run that missed an objective 1 (as `dr
 * status` exits 1 on a point past its RPO), else 0.
 */
export function judgeRun(outcome: RunOutcome, objectives: readonly ObjectiveVerdict[]): RunVerdict {
  if (outcome === "failed") {
    return { result: "failed", exitCode: ExitCode.failed, objectives };
  }
  if (outcome === "partial") {
    return { result: "partial", exitCode: ExitCode.partial, objectives };
  }
  if (objectives.some((o) => o.state === "missed")) {
    return { result: "objectives-missed", exitCode: ExitCode.objectiveMissed, objectives };
  }
  return { result: "success", exitCode: ExitCode.ok, objectives };
}

/** The result in capitals for a headline: SUCCESS, PARTIAL, FAILED, or which objective was MISSED. */
export function resultWord(verdict: RunVerdict): string {
  if (verdict.result !== "objectives-missed") {
    return verdict.result.toUpperCase();
  }
  const missed = verdict.objectives.filter((o) => o.state === "missed").map((o) => o.objective);
  return `${missed.join(" AND ")} OBJECTIVE${missed.length > 1 ? "S" : ""} MISSED`;
}

/** One objective in words: "RPO MISSED: 2190.2 min, target 1800 min". */
export function describeObjective(o: ObjectiveVerdict): string {
  const achieved = o.achieved ?? "-";
  const against = o.target !== undefined ? `${achieved}, target ${o.target}` : achieved;
  switch (o.state) {
    case "met":
      return `${o.objective} met: ${against}`;
    case "missed":
      return `${o.objective} MISSED: ${against}${o.reason ? ` (${o.reason})` : ""}`;
    case "not-met":
      return `${o.objective} NOT MET (${o.reason}): ${against}`;
    case "unmeasured":
      return `${o.objective} not measured (${o.reason}): target ${o.target}`;
    case "no-target":
      return `${o.objective} ${achieved} (no target set)`;
  }
}

/**
 * The last line of a run: `<what>: <RESULT>; <each objective>; exit <code>`, so the line a cron mail or
 * a scroll-back ends on says whether the objectives were met.
 */
export function verdictLine(what: string, verdict: RunVerdict): string {
  return [
    `${what}: ${resultWord(verdict)}`,
    ...verdict.objectives.map(describeObjective),
    `exit ${verdict.exitCode}`,
  ].join("; ");
}

/** A number of seconds as the report shows a duration ("30m 37s"); undefined stays undefined. */
export function durationText(seconds: number | undefined): string | undefined {
  return seconds === undefined ? undefined : formatDuration(seconds * 1000);
}
