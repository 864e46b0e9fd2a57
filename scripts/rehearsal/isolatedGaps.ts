// The rehearsal's resources with no copy in the isolated vault (AWS fails their copies into it), and the verdict of a run that needed them.
import { ExitCode } from "../errors";
import { RunReport } from "../recovery/core/report";
import { judgeRun, verdictLine } from "../recovery/core/verdict";
import { refusedIsolatedCopies } from "../simulation/isolatedVault";
import { SimPoint } from "../simulation/recoveryPoints";
import { ProtectedResource, RehearsalEstate } from "./estate";

/** A protected resource the isolated vault holds no copy of, and why AWS fails its copies. */
export interface IsolatedGap {
  readonly resource: ProtectedResource;
  readonly reason: string;
}

/** The estate's resources whose copies of `points` into the isolated vault AWS fails, once each. */
export function isolatedGaps(estate: RehearsalEstate, points: readonly SimPoint[]): IsolatedGap[] {
  const refused = new Map(refusedIsolatedCopies(points).map((r) => [r.point.resourceArn, r.reason]));
  return estate.resources.flatMap((resource) => {
    const reason = refused.get(resource.resourceArn);
    return reason === undefined ? [] : [{ resource, reason }];
  });
}

/** "RDS app-db, EBS app-volume": the gaps by type and the program's name. */
function named(gaps: readonly IsolatedGap[]): string {
  return gaps.map((g) => `${g.resource.resourceType} ${g.resource.logicalName}`).join(", ");
}

/** What the rehearsal says of the gaps when it fills the isolated vault: which, and AWS's reason for each. */
export function gapLines(isolatedVaultName: string, gaps: readonly IsolatedGap[]): string[] {
  if (gaps.length === 0) {
    return [];
  }
  return [
    `isolated vault '${isolatedVaultName}': no copy of ${named(gaps)}: AWS fails their copy jobs into it (developer guide, "Logically air-gapped vault", Compatible encryption):`,
    ...gaps.map((g) => `  ${g.resource.resourceType} ${g.resource.logicalName}: ${g.reason}`),
  ];
}

/**
 * The end of a run from the isolated vault that the gaps left short: the resources it could not restore,
 * why, and the verdict PARTIAL (exit 1), whatever the run itself said of the points it found (it cannot know
 * of a resource neither vault holds a point of). Undefined when every gap was restored after all (or none).
 */
export function gapVerdict(
  report: RunReport,
  gaps: readonly IsolatedGap[],
): { lines: string[]; exitCode: number } | undefined {
  const restored = new Set(report.jobs.filter((j) => j.status === "COMPLETED").map((j) => j.resourceArn));
  const lost = gaps.filter((g) => !restored.has(g.resource.resourceArn));
  if (lost.length === 0) {
    return undefined;
  }
  const verdict =
    report.verdict.result === "failed" ? report.verdict : judgeRun("partial", report.verdict.objectives);
  return {
    lines: [
      `rehearsal: not recoverable from the isolated vault: ${lost.map((g) => `${g.resource.resourceType} ${g.resource.logicalName} (${shortReason(g.reason)})`).join(", ")}: it holds no copy of them, AWS failed every copy into it`,
      verdictLine(`rehearsal of ${report.kind} ${report.runId}`, verdict),
    ],
    exitCode: Math.max(verdict.exitCode, ExitCode.partial),
  };
}

/** Why, in a few words: a customer managed key is what a type AWS Backup does not fully manage lacks. */
function shortReason(reason: string): string {
  return reason.includes("customer managed key")
    ? "not fully managed by AWS Backup, AWS managed key: a customer managed key is needed"
    : "a type logically air-gapped vaults do not take";
}
