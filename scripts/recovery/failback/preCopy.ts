/** Whether a failed pre-copy stops the failback before the write freeze, or lets the final copies carry everything. */
import { TransferJob, TransferRecord } from "./journal";
import { PhaseResult } from "../core/phaseRunner";

/** A pre-copy job AWS failed or refused: it judged the job's input, which the final copies send again. */
function judgedByAws(job: TransferJob | undefined): job is TransferJob {
  return (
    job !== undefined &&
    (job.status === "FAILED" || job.status === "ABORTED") &&
    job.startFailure !== "transient"
  );
}

/**
 * The pre-copy's verdict. It is unfrozen and only moves the bulk of the data early, so a failure on AWS's
 * side (a start throttled or unanswered, a job lost track of) does not stop the failback: the final copies
 * after the freeze carry everything, and the freeze is no longer for it. A job AWS failed or refused (a
 * vault lock the job's retention does not fit, a role without permission, a DynamoDB table AWS Backup
 * cannot copy from the DR region, a resource it cannot back up) stops the run here, before the freeze: the
 * final backups and copies send the same jobs and would fail the same way with writes frozen. Stopping costs
 * a re-run while the application still serves from DR (it retries only what failed); going on could cost
 * the freeze's length plus the fix.
 */
export function preCopyOutcome(result: PhaseResult, transfers: readonly TransferRecord[]): PhaseResult {
  if (result.outcome !== "failed") {
    return result;
  }
  const judged = transfers
    .filter((t) => t.phase === "pre-copy")
    .flatMap((t) =>
      (["backup", "copy"] as const)
        .map((kind) => ({ kind, arn: t.drResourceArn, job: t[kind] }))
        .filter((j): j is typeof j & { job: TransferJob } => judgedByAws(j.job)),
    );
  if (judged.length === 0) {
    return {
      outcome: "ok",
      detail: `${result.detail}; only AWS-side errors (throttling, no answer, a job lost track of): the final copies carry everything`,
    };
  }
  const first = judged[0];
  return {
    outcome: "failed",
    detail: `${result.detail}; AWS failed or refused ${judged.length} job(s), e.g. the ${first.kind} of ${first.arn}: ${first.job.statusMessage ?? first.job.status}. The final copies after the freeze would fail the same way, so writes were not frozen`,
  };
}
