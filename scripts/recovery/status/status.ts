// dr status: the dr stack, the vaults' newest recovery points and jobs, what a recovery would restore.
import { DR_MODES } from "../../../stacks/config";
import { BackupClient, paginateListBackupJobs, paginateListCopyJobs } from "@aws-sdk/client-backup";
import { AwsClients, destroyAwsClients } from "../../aws/clients";
import { describeAwsError, isCredentialsError, isNotFoundError } from "../../aws/errors";
import { CommandContext } from "../../context";
import { DrError, ExitCode } from "../../errors";
import { renderTable } from "../../output";
import { checkCredentials, vaultError } from "../core/awsChecks";
import { listAllRecoveryPoints, newestCompletedPerResource } from "../core/recoveryPoints";
import { formatDuration } from "../../time";
import { unheldProdFinding } from "./staleProd";
import { withinObjective } from "../core/verdict";
import { DrOutputs } from "../../dependencies";
import { reportMeasurements, restoreTestingMeasurements, RtoStatus, rtoStatus } from "./rtoCalibration";

/** Options of `dr status`. */
export interface StatusOptions {
  /** Print JSON instead of tables. Default false. */
  readonly json: boolean;
  /** DR vault. Default: the dr stack's `drVaultName` output. */
  readonly vault?: string;
  /** Primary vault. Default: the dr stack's `primaryVaultName` output; checked only when known. */
  readonly primaryVault?: string;
  /** Primary region. Default: the dr stack's `primaryRegion` output. */
  readonly primaryRegion?: string;
  /** RPO in minutes. Default: the dr stack's `rpoMinutes` output. */
  readonly rpoMinutes?: number;
  /** Look-back window for failed jobs, in hours. Default 24. */
  readonly sinceHours?: number;
}

/** The newest COMPLETED point of one protected resource against the RPO. */
export interface ResourceStatus {
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly resourceName: string;
  readonly recoveryPointArn?: string;
  readonly newestCompletedAt?: string;
  readonly ageMinutes?: number;
  readonly withinRpo: boolean;
  /** Recovery points held for this resource (any status). */
  readonly recoveryPoints: number;
}

/** One vault's part of the status. */
export interface VaultStatus {
  readonly role: "dr" | "primary";
  readonly name: string;
  readonly region: string;
  readonly reachable: boolean;
  readonly error?: string;
  readonly recoveryPoints: number;
  readonly resources: ResourceStatus[];
}

/** A backup or copy job that did not succeed. */
export interface FailedJob {
  readonly kind: "backup" | "copy";
  readonly region: string;
  readonly jobId: string;
  readonly state: string;
  readonly resourceArn?: string;
  readonly resourceType?: string;
  readonly createdAt?: string;
  readonly message?: string;
}

/** What `dr status --json` prints. */
export interface StatusReport {
  readonly generatedAt: string;
  readonly rpoMinutes: number;
  readonly sinceHours: number;
  readonly healthy: boolean;
  readonly problems: string[];
  readonly vaults: VaultStatus[];
  readonly failedJobs: FailedJob[];
  /** The RTO forecast against measured restores, when the dr stack reports prod's forecast. */
  readonly rto?: RtoStatus;
}

const FAILED_BACKUP_STATES = ["FAILED", "ABORTED", "EXPIRED"] as const;
const FAILED_COPY_STATES = ["FAILED", "PARTIAL"] as const;

/**
 * `dr status`: the newest COMPLETED recovery point of every protected resource in the DR vault
 * (and the primary vault), its age against the RPO, and the backup and copy jobs that failed in the
 * last 24 hours; while the dr stack is active, prod's servers running unheld in the primary region
 * (staleProd.ts). Exit 1 on any finding, so cron or CI can run it as a monitor.
 */
export async function runStatus(ctx: CommandContext, options: StatusOptions): Promise<number> {
  const { deps, global, out } = ctx;
  const sinceHours = options.sinceHours ?? 24;
  let outputs: DrOutputs | undefined;
  const needStack =
    !options.vault || !(global.region ?? deps.env.AWS_REGION) || options.rpoMinutes === undefined;
  if (needStack) {
    const stack = await deps.openStack({
      stackName: global.stack,
      workDir: global.workDir,
      pulumiRoot: global.pulumiRoot,
    });
    outputs = await stack.outputs();
  }
  const region = global.region ?? outputs?.region ?? deps.env.AWS_REGION;
  const vault = options.vault ?? outputs?.drVaultName;
  const rpoMinutes = options.rpoMinutes ?? outputs?.rpoMinutes;
  if (!region) {
    throw new DrError(
      "no DR region: pass --region, set AWS_REGION, or deploy the dr stack with its 'region' output",
    );
  }
  if (!vault) {
    throw new DrError(
      "no DR vault: pass --vault <name> or deploy the dr stack with its 'drVaultName' output",
    );
  }
  if (rpoMinutes === undefined) {
    throw new DrError("no RPO: pass --rpo <minutes> or deploy the dr stack with its 'rpoMinutes' output");
  }
  const primaryVault = options.primaryVault ?? outputs?.primaryVaultName;
  const primaryRegion = options.primaryRegion ?? outputs?.primaryRegion;

  const now = deps.clock.now();
  const since = new Date(now - sinceHours * 3_600_000);
  const dr = deps.createClients({ region, profile: global.profile });
  const primary =
    primaryVault && primaryRegion
      ? deps.createClients({ region: primaryRegion, profile: global.profile, maxAttempts: 2 })
      : undefined;
  try {
    await checkCredentials(dr.sts, global.profile);
    const active = outputs?.mode === DR_MODES.active;
    const forecast = outputs?.rtoForecast;
    const [drVault, primaryStatus, drJobs, primaryJobs, unheldProd, measured] = await Promise.all([
      vaultStatus(dr, "dr", vault, rpoMinutes, now, true),
      primary && primaryVault
        ? vaultStatus(primary, "primary", primaryVault, rpoMinutes, now, false)
        : undefined,
      failedJobs(dr.backup, region, since),
      primary ? failedJobs(primary.backup, primary.region, since).catch(() => [] as FailedJob[]) : [],
      active && primary ? unheldProdFinding(primary.ec2, primary.region) : undefined,
      forecast
        ? Promise.all([restoreTestingMeasurements(dr.backup), reportMeasurements(global.reportDir)])
        : undefined,
    ]);
    const vaults = [drVault, ...(primaryStatus ? [primaryStatus] : [])];
    const seen = new Set<string>();
    const jobs = [...drJobs, ...primaryJobs].filter((j) => !seen.has(j.jobId) && seen.add(j.jobId));

    const problems: string[] = [];
    for (const v of vaults) {
      if (!v.reachable) {
        problems.push(`${v.role} vault '${v.name}' in ${v.region} unreachable: ${v.error}`);
      }
      for (const r of v.resources.filter((x) => !x.withinRpo)) {
        problems.push(
          r.newestCompletedAt
            ? `${v.role} vault: ${r.resourceType} ${r.resourceName} newest COMPLETED point is ${formatDuration(
                (r.ageMinutes ?? 0) * 60_000,
              )} old (RPO ${rpoMinutes} min)`
            : `${v.role} vault: ${r.resourceType} ${r.resourceName} has no COMPLETED recovery point`,
        );
      }
    }
    if (drVault.resources.length === 0) {
      problems.push(`DR vault '${vault}' holds no recovery points`);
    }
    for (const j of jobs) {
      problems.push(
        `${j.kind} job ${j.jobId} ${j.state} in ${j.region}${j.resourceArn ? ` for ${j.resourceArn}` : ""}`,
      );
    }
    if (unheldProd) {
      problems.push(unheldProd);
    }
    const rto = forecast && measured ? rtoStatus(forecast, outputs?.rtoMinutes, measured.flat()) : undefined;
    problems.push(...(rto?.problems ?? []));
    if (!primaryVault || !primaryRegion) {
      out.warn(
        "primary vault not checked: no primaryVaultName/primaryRegion (dr stack outputs or --primary-vault/--primary-region)",
      );
    }
    const report: StatusReport = {
      generatedAt: new Date(now).toISOString(),
      rpoMinutes,
      sinceHours,
      healthy: problems.length === 0,
      problems,
      vaults,
      failedJobs: jobs,
      ...(rto && { rto: rto.status }),
    };
    if (options.json) {
      out.print(JSON.stringify(report, null, 2));
    } else {
      printStatus(ctx, report);
    }
    return report.healthy ? ExitCode.ok : ExitCode.partial;
  } finally {
    destroyAwsClients(dr);
    if (primary) {
      destroyAwsClients(primary);
    }
  }
}

async function vaultStatus(
  clients: AwsClients,
  role: "dr" | "primary",
  name: string,
  rpoMinutes: number,
  now: number,
  required: boolean,
): Promise<VaultStatus> {
  try {
    const points = await listAllRecoveryPoints(clients.backup, name);
    const counts = new Map<string, number>();
    for (const p of points) {
      counts.set(p.resourceArn, (counts.get(p.resourceArn) ?? 0) + 1);
    }
    const resources: ResourceStatus[] = [];
    for (const [resourceArn, newest] of newestCompletedPerResource(points)) {
      const any = points.find((p) => p.resourceArn === resourceArn);
      const ageMinutes = newest
        ? Math.round(((now - newest.creationDate.getTime()) / 60_000) * 10) / 10
        : undefined;
      resources.push({
        resourceArn,
        resourceType: any?.resourceTypeName ?? "unknown",
        resourceName: any?.resourceName ?? resourceArn,
        recoveryPointArn: newest?.recoveryPointArn,
        newestCompletedAt: newest?.creationDate.toISOString(),
        ageMinutes,
        withinRpo: ageMinutes !== undefined && withinObjective(ageMinutes, rpoMinutes),
        recoveryPoints: counts.get(resourceArn) ?? 0,
      });
    }
    resources.sort(
      (a, b) => a.resourceType.localeCompare(b.resourceType) || a.resourceName.localeCompare(b.resourceName),
    );
    return { role, name, region: clients.region, reachable: true, recoveryPoints: points.length, resources };
  } catch (err) {
    // A missing vault or bad credentials is a configuration error; a primary region that does not
    // answer is exactly what this monitor is for, so it becomes a finding.
    if (required || isNotFoundError(err) || isCredentialsError(err)) {
      throw vaultError(err, name, clients.region);
    }
    return {
      role,
      name,
      region: clients.region,
      reachable: false,
      error: describeAwsError(err),
      recoveryPoints: 0,
      resources: [],
    };
  }
}

/** The fields backup and copy job listings share. */
interface ListedJob {
  readonly State?: string;
  readonly ResourceArn?: string;
  readonly ResourceType?: string;
  readonly CreationDate?: Date;
  readonly StatusMessage?: string;
}

function failedJob(
  kind: FailedJob["kind"],
  region: string,
  jobId: string | undefined,
  listedState: string,
  job: ListedJob,
): FailedJob {
  return {
    kind,
    region,
    jobId: jobId ?? "?",
    state: job.State ?? listedState,
    resourceArn: job.ResourceArn,
    resourceType: job.ResourceType,
    createdAt: job.CreationDate ? new Date(job.CreationDate).toISOString() : undefined,
    message: job.StatusMessage,
  };
}

async function failedJobs(backup: BackupClient, region: string, since: Date): Promise<FailedJob[]> {
  const jobs: FailedJob[] = [];
  const backups = FAILED_BACKUP_STATES.map(async (state) => {
    for await (const page of paginateListBackupJobs(
      { client: backup },
      { ByState: state, ByCreatedAfter: since },
    )) {
      for (const j of page.BackupJobs ?? []) {
        jobs.push(failedJob("backup", region, j.BackupJobId, state, j));
      }
    }
  });
  const copies = FAILED_COPY_STATES.map(async (state) => {
    for await (const page of paginateListCopyJobs(
      { client: backup },
      { ByState: state, ByCreatedAfter: since },
    )) {
      for (const j of page.CopyJobs ?? []) {
        jobs.push(failedJob("copy", region, j.CopyJobId, state, j));
      }
    }
  });
  await Promise.all([...backups, ...copies]);
  return jobs.sort((a, b) => (a.createdAt ?? "").localeCompare(b.createdAt ?? ""));
}

/** The RTO forecast, before and after calibration, against each resource's measured restores. */
function printRto(ctx: CommandContext, rto: RtoStatus): void {
  const { out } = ctx;
  const objective =
    rto.objectiveMinutes === undefined ? "no objective" : `objective ${rto.objectiveMinutes} min`;
  out.print("");
  out.print(
    `RTO forecast (${objective}): model ${rto.modelMinutes} min, calibrated by ${rto.measurements.length} measured restore(s) ${rto.calibratedMinutes} min`,
  );
  out.print(`  ${rto.calibratedArithmetic}`);
  out.print(
    renderTable(
      ["TYPE", "RESOURCE", "FORECAST", "CALIBRATED", "MEASURED", "LONGEST"],
      rto.restores.map((r) => [
        r.kind,
        r.name,
        `${r.modelMinutes} min`,
        `${r.calibratedMinutes} min`,
        String(r.measuredMinutes.length),
        r.measuredMinutes.length > 0 ? formatDuration(Math.max(...r.measuredMinutes) * 60_000) : "-",
      ]),
    ),
  );
}

function printStatus(ctx: CommandContext, report: StatusReport): void {
  const { out } = ctx;
  for (const v of report.vaults) {
    out.print(
      `${v.role === "dr" ? "DR" : "Primary"} vault '${v.name}' (${v.region}): ${v.reachable ? `${v.recoveryPoints} recovery points` : `UNREACHABLE: ${v.error}`}`,
    );
    if (v.resources.length > 0) {
      out.print(
        renderTable(
          ["TYPE", "RESOURCE", "NEWEST COMPLETED", "AGE", "RPO", "POINTS"],
          v.resources.map((r) => [
            r.resourceType,
            r.resourceName,
            r.newestCompletedAt ?? "none",
            r.ageMinutes !== undefined ? formatDuration(r.ageMinutes * 60_000) : "-",
            r.withinRpo ? "ok" : "MISSED",
            String(r.recoveryPoints),
          ]),
        ),
      );
    }
    out.print("");
  }
  if (report.failedJobs.length > 0) {
    out.print(`Failed jobs in the last ${report.sinceHours} h:`);
    out.print(
      renderTable(
        ["KIND", "STATE", "REGION", "CREATED", "RESOURCE", "MESSAGE"],
        report.failedJobs.map((j) => [
          j.kind,
          j.state,
          j.region,
          j.createdAt ?? "-",
          j.resourceArn ?? "-",
          j.message ?? "",
        ]),
      ),
    );
  } else {
    out.print(`No failed backup or copy jobs in the last ${report.sinceHours} h.`);
  }
  if (report.rto) {
    printRto(ctx, report.rto);
  }
  out.print("");
  if (report.healthy) {
    out.print(
      `status: OK (RPO ${report.rpoMinutes} min): every resource's newest point within the RPO objective; exit ${ExitCode.ok}`,
    );
    return;
  }
  out.print(`status: ${report.problems.length} problem(s) (RPO ${report.rpoMinutes} min)`);
  for (const problem of report.problems) {
    out.print(`  - ${problem}`);
  }
  // The last line, as a run's: the verdict on the RPO objective and the exit code.
  const missed = report.vaults.flatMap((v) => v.resources.filter((r) => !r.withinRpo));
  out.print(
    `status: ${report.problems.length} problem(s)${
      missed.length > 0
        ? `; RPO objective MISSED for ${missed.length} resource(s), target ${report.rpoMinutes} min`
        : ""
    }; exit ${ExitCode.partial}`,
  );
}
