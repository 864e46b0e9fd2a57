// dr status: the dr stack, the vaults' newest recovery points and jobs, what a recovery would restore.
import { CONFIG_NAMESPACE, DR_MODES } from "../../../stacks/config";
import { BackupClient, paginateListBackupJobs, paginateListCopyJobs } from "@aws-sdk/client-backup";
import { AwsClients, destroyAwsClients, REGION_MAY_BE_DOWN } from "../../aws/clients";
import { describeAwsError, isCredentialsError, isNotFoundError } from "../../aws/errors";
import { CommandContext } from "../../context";
import { DrError, ExitCode, errorMessage } from "../../errors";
import { renderTable } from "../../output";
import { checkCredentials, vaultError } from "../core/awsChecks";
import { RecoveryPoint, listAllRecoveryPoints, newestCompletedPerResource } from "../core/recoveryPoints";
import { IsolatedVaultRef, chooseAcrossVaults, isolatedVaultRef } from "../core/isolatedVault";
import { IsolatedGap, isolatedGaps } from "../core/isolatedGaps";
import { formatDuration } from "../../time";
import { unheldProdFinding } from "./staleProd";
import { withinObjective } from "../core/verdict";
import { DrOutputs, StackHandle } from "../../dependencies";
import { ServingStatus, readServing, servingFindings } from "./serving";
import {
  fittedOn,
  reportMeasurements,
  restoreTestingMeasurements,
  RtoStatus,
  rtoStatus,
} from "./rtoCalibration";
import { MeasuredRestore } from "../resources/restoreTime";

/** Options of `dr status`. */
export interface StatusOptions {
  /** Print JSON instead of tables. Default false. */
  readonly json: boolean;
  /** DR vault. Default: the dr stack's `drVaultName` output. */
  readonly vault?: string;
  /** Isolated (logically air-gapped) vault. Default: the dr stack's `isolatedVaultName` output; none without it. */
  readonly isolatedVault?: string;
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
  readonly role: "dr" | "primary" | "isolated";
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

/** A resource a recovery now would take from the isolated vault, the DR vault having no clean point for it. */
export interface IsolatedFallback {
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly resourceName: string;
  readonly recoveryPointArn: string;
  readonly ageMinutes: number;
  readonly withinRpo: boolean;
  /** Why the DR vault's point is not taken. */
  readonly why: string;
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
  /**
   * With an isolated vault: the resources `dr recover` would now restore from it (core/isolatedVault.ts
   * chooseAcrossVaults, the rule recover uses). Absent without an isolated vault.
   */
  readonly fromIsolated?: IsolatedFallback[];
  /** The RTO forecast against measured restores, when the dr stack reports prod's forecast. */
  readonly rto?: RtoStatus;
  /**
   * With an isolated vault that was read: the resources the DR vault holds a COMPLETED point of and the
   * isolated vault none, and why AWS may not have copied them (core/isolatedGaps.ts). Each is a finding.
   */
  readonly isolatedGaps?: IsolatedGap[];
  /**
   * What serves dr's and prod's application now (servers or tasks, running against desired, the rollout),
   * for each stack whose `compute` output is known (serving.ts). Absent from a dr stack without the output.
   */
  readonly serving?: ServingStatus[];
}

/**
 * The restore testing measurements of prod's resources: none without the dr stack's
 * `restoreTestingPlanArn` or prod's `dataInventory` (nothing to tell prod's restores by), and none, with a
 * warning, when the listing fails: the rest of the status stands without them.
 */
async function restoreTestingOf(
  backup: BackupClient,
  outputs: DrOutputs | undefined,
  warn: (message: string) => void,
): Promise<MeasuredRestore[]> {
  const planArn = outputs?.restoreTestingPlanArn;
  const inventory = outputs?.dataInventory ?? [];
  if (!planArn || inventory.length === 0) return [];
  try {
    return await restoreTestingMeasurements(backup, planArn, inventory, warn);
  } catch (err) {
    warn(
      `restore testing's restore jobs not read (${describeAwsError(err)}): the RTO is calibrated without them`,
    );
    return [];
  }
}

const FAILED_BACKUP_STATES = ["FAILED", "ABORTED", "EXPIRED"] as const;
const FAILED_COPY_STATES = ["FAILED", "PARTIAL"] as const;

/**
 * `dr status`: the newest COMPLETED recovery point of every protected resource in the DR vault
 * (and the primary vault), its age against the RPO, and the backup and copy jobs that failed in the
 * last 24 hours; while the dr stack is active, prod's servers running unheld in the primary region
 * (staleProd.ts); what serves dr's and prod's application (serving.ts: servers or ECS tasks, the rollout). Exit 1 on any finding, so cron or CI can run it as a monitor.
 */
export async function runStatus(ctx: CommandContext, options: StatusOptions): Promise<number> {
  const { deps, global, out } = ctx;
  const sinceHours = options.sinceHours ?? 24;
  let outputs: DrOutputs | undefined;
  let drStack: StackHandle | undefined;
  const needStack =
    !options.vault || !(global.region ?? deps.env.AWS_REGION) || options.rpoMinutes === undefined;
  if (needStack) {
    drStack = await deps.openStack({
      stackName: global.stack,
      workDir: global.workDir,
      pulumiRoot: global.pulumiRoot,
    });
    outputs = await drStack.outputs();
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
      ? deps.createClients({ region: primaryRegion, profile: global.profile, ...REGION_MAY_BE_DOWN })
      : undefined;
  try {
    const identity = await checkCredentials(dr.sts, global.profile);
    const isolatedRef = isolatedVaultRef(outputs, options.isolatedVault, identity.account);
    const active = outputs?.mode === DR_MODES.active;
    const forecast = outputs?.rtoForecast;
    // Prod's units are read in the primary region: without its region and vault there is nothing to read them with.
    const prod = drStack && outputs?.compute && primary ? await prodStackOutputs(ctx, drStack) : undefined;
    const [drRead, isolatedRead, primaryStatus, drJobs, primaryJobs, unheldProd, measured, serving] =
      await Promise.all([
        readVault(dr, "dr", vault, rpoMinutes, now, true),
        isolatedRef ? readIsolatedVault(dr, isolatedRef, rpoMinutes, now) : undefined,
        primary && primaryVault
          ? readVault(primary, "primary", primaryVault, rpoMinutes, now, false).then((r) => r.status)
          : undefined,
        failedJobs(dr.backup, region, since),
        primary ? failedJobs(primary.backup, primary.region, since).catch(() => [] as FailedJob[]) : [],
        active && primary ? unheldProdFinding(primary.ec2, primary.region) : undefined,
        forecast
          ? Promise.all([
              restoreTestingOf(dr.backup, outputs, (message) => out.warn(message)),
              reportMeasurements(global.reportDir, outputs?.dataInventory ?? []),
            ])
          : undefined,
        Promise.all([
          ...(outputs?.compute
            ? [
                readServing(
                  {
                    stack: "dr",
                    compute: outputs.compute,
                    region,
                    clients: dr,
                    vpcId: outputs.vpcId,
                    privateSubnetIds: outputs.privateSubnetIds,
                  },
                  global.profile,
                ),
              ]
            : []),
          ...(prod?.outputs.compute && primary
            ? [
                readServing(
                  {
                    stack: "prod",
                    compute: prod.outputs.compute,
                    region: primary.region,
                    clients: primary,
                    budget: REGION_MAY_BE_DOWN,
                    vpcId: prod.outputs.vpcId,
                    privateSubnetIds: prod.outputs.privateSubnetIds,
                  },
                  global.profile,
                ),
              ]
            : []),
        ]),
      ]);
    const drVault = drRead.status;
    const isolatedVault = isolatedRead?.status;
    const vaults = [
      drVault,
      ...(primaryStatus ? [primaryStatus] : []),
      ...(isolatedVault ? [isolatedVault] : []),
    ];
    const fromIsolated =
      isolatedRead && isolatedRef
        ? isolatedFallbacks(drRead.points, isolatedRead.points, isolatedRef.name, rpoMinutes, now)
        : undefined;
    const gaps =
      isolatedRead?.status.reachable && isolatedRef
        ? isolatedGaps(drRead.points, isolatedRead.points)
        : undefined;
    const seen = new Set<string>();
    const jobs = [...drJobs, ...primaryJobs].filter((j) => !seen.has(j.jobId) && seen.add(j.jobId));

    const problems: string[] = [];
    for (const v of vaults) {
      if (!v.reachable) {
        problems.push(`${v.role} vault '${v.name}' in ${v.region} unreachable: ${v.error}`);
      }
      // The isolated vault's copies may be fewer than the DR vault's (its own rules): its ages are shown, and
      // what a recovery would take from it is judged below, not each of its points.
      if (v.role === "isolated") {
        continue;
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
      problems.push(
        `DR vault '${vault}' holds no recovery points${
          isolatedVault && isolatedVault.recoveryPoints > 0
            ? `; the isolated vault '${isolatedVault.name}' holds ${isolatedVault.recoveryPoints}: dr recover would restore from it`
            : ""
        }`,
      );
    }
    for (const f of (fromIsolated ?? []).filter((x) => !x.withinRpo)) {
      problems.push(
        `isolated vault: ${f.resourceType} ${f.resourceName}, which a recovery would take from it, has its newest COMPLETED point ${formatDuration(
          f.ageMinutes * 60_000,
        )} old (RPO ${rpoMinutes} min)`,
      );
    }
    // Every entry of the data inventory a recovery would restore: one without a point in the DR vault would
    // be left unwired (a bucket replicated into the DR region is used as is).
    if (drVault.reachable && drVault.resources.length > 0) {
      for (const entry of outputs?.dataInventory ?? []) {
        const replicated = outputs?.replicaBuckets[entry.sourceId] !== undefined;
        if (!replicated && !drVault.resources.some((r) => r.resourceArn === entry.sourceArn)) {
          problems.push(
            `dr vault: data inventory '${entry.name}' (${entry.kind} ${entry.sourceArn}) has no recovery point: a recovery would leave it unwired`,
          );
        }
      }
    }
    for (const g of gaps ?? []) {
      problems.push(
        `isolated vault '${isolatedRef?.name}': no copy of ${g.resourceType} ${g.resourceName}, which the DR vault holds: ${g.why}`,
      );
    }
    for (const j of jobs) {
      problems.push(
        `${j.kind} job ${j.jobId} ${j.state} in ${j.region}${j.resourceArn ? ` for ${j.resourceArn}` : ""}`,
      );
    }
    if (unheldProd) {
      problems.push(unheldProd);
    }
    problems.push(...servingFindings(serving, active, prod?.name ?? "prod"));
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
      ...(fromIsolated && { fromIsolated }),
      ...(rto && { rto: rto.status }),
      ...(gaps && { isolatedGaps: gaps }),
      ...(serving.length > 0 && { serving }),
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

/** A vault's status and the points it was made from. */
interface VaultRead {
  readonly status: VaultStatus;
  readonly points: RecoveryPoint[];
}

/**
 * The isolated vault's status: a vault the stack names that cannot be read (missing, no access) is a
 * finding, not a configuration error, since it is the last copy this monitor watches over.
 */
async function readIsolatedVault(
  clients: AwsClients,
  ref: IsolatedVaultRef,
  rpoMinutes: number,
  now: number,
): Promise<VaultRead> {
  try {
    return await readVault(clients, "isolated", ref.name, rpoMinutes, now, true, ref.accountId);
  } catch (err) {
    const status: VaultStatus = {
      role: "isolated",
      name: ref.name,
      region: clients.region,
      reachable: false,
      error: errorMessage(err),
      recoveryPoints: 0,
      resources: [],
    };
    return { status, points: [] };
  }
}

/** What a recovery now would take from the isolated vault: recover's rule, on the listings status read. */
function isolatedFallbacks(
  drPoints: readonly RecoveryPoint[],
  isolatedPoints: readonly RecoveryPoint[],
  isolatedVaultName: string,
  rpoMinutes: number,
  now: number,
): IsolatedFallback[] {
  const choice = chooseAcrossVaults(drPoints, isolatedPoints, {
    isolatedVaultName,
    rpo: { minutes: rpoMinutes, nowMs: now },
  });
  return choice.selected
    .filter((p) => choice.fromIsolated.has(p.recoveryPointArn))
    .map((p) => {
      const ageMinutes = Math.round(((now - p.creationDate.getTime()) / 60_000) * 10) / 10;
      return {
        resourceArn: p.resourceArn,
        resourceType: p.resourceTypeName,
        resourceName: p.resourceName,
        recoveryPointArn: p.recoveryPointArn,
        ageMinutes,
        withinRpo: withinObjective(ageMinutes, rpoMinutes),
        why: choice.fromIsolated.get(p.recoveryPointArn) ?? "",
      };
    });
}

async function readVault(
  clients: AwsClients,
  role: VaultStatus["role"],
  name: string,
  rpoMinutes: number,
  now: number,
  required: boolean,
  accountId?: string,
): Promise<VaultRead> {
  try {
    const points = await listAllRecoveryPoints(clients.backup, name, undefined, {}, accountId);
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
    const status: VaultStatus = {
      role,
      name,
      region: clients.region,
      reachable: true,
      recoveryPoints: points.length,
      resources,
    };
    return { status, points };
  } catch (err) {
    // A missing vault or bad credentials is a configuration error; a primary region that does not
    // answer is exactly what this monitor is for, so it becomes a finding.
    if (required || isNotFoundError(err) || isCredentialsError(err)) {
      throw vaultError(err, name, clients.region);
    }
    const status: VaultStatus = {
      role,
      name,
      region: clients.region,
      reachable: false,
      error: describeAwsError(err),
      recoveryPoints: 0,
      resources: [],
    };
    return { status, points: [] };
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

const VAULT_TITLES: Readonly<Record<VaultStatus["role"], string>> = {
  dr: "DR",
  primary: "Primary",
  isolated: "Isolated (logically air-gapped)",
};
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
      ["TYPE", "RESOURCE", "FORECAST", "CALIBRATED", "MEASURED", "LONGEST", "FITTED ON"],
      rto.restores.map((r) => [
        r.kind,
        r.name,
        `${r.modelMinutes} min`,
        `${r.calibratedMinutes} min`,
        String(r.measuredMinutes.length),
        r.measuredMinutes.length > 0 ? formatDuration(Math.max(...r.measuredMinutes) * 60_000) : "-",
        fittedOn(r),
      ]),
    ),
  );
}

function printServing(ctx: CommandContext, serving: readonly ServingStatus[]): void {
  ctx.out.print("");
  ctx.out.print("Serving units:");
  ctx.out.print(
    renderTable(
      ["STACK", "REGION", "RUNS ON", "NAME", "RUNNING/DESIRED", "ROLLOUT", "DETAIL"],
      serving.map((s) => [
        s.stack,
        s.region,
        s.kind === "ecs" ? "ECS service" : "Auto Scaling group",
        s.name,
        s.running === undefined ? "-" : `${s.running}/${s.desired ?? "-"} ${s.unit}(s)`,
        s.rollout,
        s.detail,
      ]),
    ),
  );
}

/**
 * The prod stack's name (the dr stack's `primaryStack` setting, default `prod`) and outputs, for its serving
 * units; undefined, with a warning, when it cannot be opened: the rest of the status stands without them.
 */
async function prodStackOutputs(
  ctx: CommandContext,
  drStack: StackHandle,
): Promise<{ name: string; outputs: DrOutputs } | undefined> {
  const { deps, global, out } = ctx;
  const key = `${CONFIG_NAMESPACE}:primaryStack`;
  try {
    const name = (await drStack.getConfig([key]))[key] ?? "prod";
    const stack = await deps.openStack({
      stackName: name,
      workDir: global.workDir,
      pulumiRoot: global.pulumiRoot,
    });
    return { name, outputs: await stack.outputs() };
  } catch (err) {
    out.warn(`prod's serving units not read: its stack's outputs could not be read (${errorMessage(err)})`);
    return undefined;
  }
}

function printStatus(ctx: CommandContext, report: StatusReport): void {
  const { out } = ctx;
  for (const v of report.vaults) {
    out.print(
      `${VAULT_TITLES[v.role]} vault '${v.name}' (${v.region}): ${v.reachable ? `${v.recoveryPoints} recovery points` : `UNREACHABLE: ${v.error}`}`,
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
  if (report.fromIsolated && report.fromIsolated.length > 0) {
    out.print("A recovery now would take from the isolated vault:");
    for (const f of report.fromIsolated) {
      out.print(
        `  ${f.resourceType} ${f.resourceName}: its point of ${formatDuration(f.ageMinutes * 60_000)} ago${
          f.withinRpo ? "" : " (RPO MISSED)"
        }, as ${f.why}`,
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
  if (report.serving) {
    printServing(ctx, report.serving);
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
  const missed = [
    ...report.vaults
      .filter((v) => v.role !== "isolated")
      .flatMap((v) => v.resources.filter((r) => !r.withinRpo)),
    ...(report.fromIsolated ?? []).filter((f) => !f.withinRpo),
  ];
  out.print(
    `status: ${report.problems.length} problem(s)${
      missed.length > 0
        ? `; RPO objective MISSED for ${missed.length} resource(s), target ${report.rpoMinutes} min`
        : ""
    }; exit ${ExitCode.partial}`,
  );
}
