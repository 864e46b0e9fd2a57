// dr status's RTO section: measured restores (restore testing's jobs, past runs' reports) against the forecast.
import { BackupClient, paginateListRestoreJobs } from "@aws-sdk/client-backup";
import type { RtoForecast } from "@restorekit/backup-restore-dr";
import { formatDuration } from "../../time";
import { readRunSummaries } from "../core/reportIndex";
import { entryClaiming } from "../core/inventory";
import type { DataInventoryEntry } from "../../../stacks/drContract";
import { calibrate, CalibratedRestore, MeasuredRestore } from "../resources/restoreTime";
import { resourceNameFromArn, toResourceType } from "../resources/types";

/** What `dr status` says of the RTO: the forecast before and after calibration, and what was measured. */
export interface RtoStatus {
  readonly objectiveMinutes?: number;
  /** The model's forecast, minutes. */
  readonly modelMinutes: number;
  /** The forecast calibrated by the measurements, minutes, and its arithmetic. */
  readonly calibratedMinutes: number;
  readonly calibratedArithmetic: string;
  readonly restores: CalibratedRestore[];
  readonly measurements: MeasuredRestore[];
}

const GIB = 1024 ** 3;

/**
 * The COMPLETED restore jobs of the deployment's restore testing plan (ListRestoreJobs
 * `ByRestoreTestingPlanArn`; AWS Backup developer guide, Restore testing: it exists partly "to monitor
 * restore job duration times"), of prod's own resources only: a job whose `SourceResourceArn` no entry of
 * the data inventory claims (core/inventory.ts entryClaiming: another plan's, another application's) is no
 * measurement of this deployment. Each is named as the entry that claims it (the inventory's logical name),
 * so it matches the forecast's resource by name, never by being the only one of its kind. Minutes run from `CreationDate` to
 * `CompletionDate`: for a restore job that may include time queued before it started (unverified: the API
 * reference does not say when CreationDate is set for a restore job).
 * The API reference marks every field of a listed restore job optional, `SourceResourceArn` too: a job
 * without one cannot be tied to an entry, and `warn` is told how many there were rather than dropping them
 * unseen.
 * @param planArn the dr stack's `restoreTestingPlanArn`.
 * @param inventory prod's data inventory (the dr stack's `dataInventory`).
 * @param warn told once of the completed jobs left out for want of a source ARN. Default: nobody.
 */
export async function restoreTestingMeasurements(
  backup: BackupClient,
  planArn: string,
  inventory: readonly DataInventoryEntry[],
  warn: (line: string) => void = () => undefined,
): Promise<MeasuredRestore[]> {
  const measured: MeasuredRestore[] = [];
  let unsourced = 0;
  const pages = paginateListRestoreJobs(
    { client: backup },
    { ByStatus: "COMPLETED", ByRestoreTestingPlanArn: planArn },
  );
  for await (const page of pages) {
    for (const job of page.RestoreJobs ?? []) {
      const kind = toResourceType(job.ResourceType);
      const source = job.SourceResourceArn;
      if (!source) unsourced += 1;
      const entry =
        kind && source
          ? entryClaiming(
              { resourceArn: source, resourceName: resourceNameFromArn(source), resourceType: kind },
              inventory,
            )
          : undefined;
      if (!kind || !entry || !job.CreationDate || !job.CompletionDate) continue;
      measured.push({
        kind,
        name: entry.name,
        claimed: true,
        ...(job.BackupSizeInBytes ? { sizeGiB: job.BackupSizeInBytes / GIB } : {}),
        minutes: (job.CompletionDate.getTime() - job.CreationDate.getTime()) / 60_000,
        source: `restore testing (${resourceNameFromArn(planArn)})`,
      });
    }
  }
  if (unsourced > 0) {
    warn(
      `${unsourced} completed restore job(s) of restore testing plan ${resourceNameFromArn(planArn)} name no SourceResourceArn: not tied to an inventory entry, not measured`,
    );
  }
  return measured;
}

/**
 * The completed restores of past recover and drill runs in the report directory, from their JSON reports.
 * Rehearsals are left out: their restores are simulated, not this deployment's. Each restore the data
 * inventory claims (by its source ARN, core/inventory.ts) is named as its entry, so it measures that entry
 * only; one no entry claims keeps AWS's name, and the calibration matches it by kind.
 * @param inventory prod's data inventory (the dr stack's `dataInventory`).
 */
export async function reportMeasurements(
  reportDir: string,
  inventory: readonly DataInventoryEntry[],
): Promise<MeasuredRestore[]> {
  const runs = await readRunSummaries(reportDir);
  return runs
    .filter((run) => (run.kind === "drill" || run.kind === "recover") && run.rehearsal === undefined)
    .flatMap((run) =>
      run.jobs.flatMap((job): MeasuredRestore[] => {
        const kind = toResourceType(job.restore?.resourceType);
        if (!kind || !job.restore || job.durationSeconds === undefined) return [];
        const { resourceName, resourceArn } = job.restore;
        const entry =
          resourceArn === undefined
            ? undefined
            : entryClaiming({ resourceArn, resourceName, resourceType: kind }, inventory);
        return [
          {
            kind,
            name: entry?.name ?? resourceName,
            ...(entry && { claimed: true }),
            minutes: job.durationSeconds / 60,
            source: `${run.kind} ${run.runId}`,
          },
        ];
      }),
    );
}

/**
 * `dr status`'s word for what a resource's calibrated minutes rest on: its own measurements (`entry: 3`), its
 * kind's when it has fewer (`kind: 4 (own 1)`), the model's when nothing of its kind was measured, or the
 * stack's declared minutes.
 */
export function fittedOn(restore: CalibratedRestore): string {
  switch (restore.basis) {
    case "entry":
      return `entry: ${restore.basisMeasurements}`;
    case "kind":
      return `kind: ${restore.basisMeasurements} (own ${restore.measuredMinutes.length})`;
    case "model":
      return "model: none measured";
    case "declared":
      return "declared";
  }
}

/**
 * The forecast calibrated by `measurements`, and a problem for each measured restore beyond the RTO and
 * for a calibrated forecast beyond it.
 */
export function rtoStatus(
  forecast: RtoForecast,
  rtoMinutes: number | undefined,
  measurements: MeasuredRestore[],
): { status: RtoStatus; problems: string[] } {
  const calibration = calibrate(forecast.inputs, measurements, rtoMinutes);
  const problems: string[] = [];
  if (rtoMinutes !== undefined) {
    for (const m of measurements.filter((x) => x.minutes > rtoMinutes)) {
      problems.push(
        `${m.kind} ${m.name} took ${formatDuration(m.minutes * 60_000)} to restore (${m.source}), beyond the RTO (${rtoMinutes} min)`,
      );
    }
    if (calibration.calibrated.meetsRto === false) {
      problems.push(
        `calibrated RTO forecast ${calibration.calibrated.minutes} min misses the RTO (${rtoMinutes} min): ${calibration.calibrated.arithmetic}`,
      );
    }
  }
  return {
    status: {
      objectiveMinutes: rtoMinutes,
      modelMinutes: calibration.model.minutes,
      calibratedMinutes: calibration.calibrated.minutes,
      calibratedArithmetic: calibration.calibrated.arithmetic,
      restores: calibration.restores,
      measurements,
    },
    problems,
  };
}
