// Pre-copy and final-copy jobs: started once by token, found again after a crash, awaited.
import {
  BackupClient,
  StartBackupJobCommand,
  StartCopyJobCommand,
  paginateListBackupJobs,
  paginateListCopyJobs,
} from "@aws-sdk/client-backup";
import { describeAwsError, isTransientError } from "../../aws/errors";
import { iso } from "../../clock";
import { InterruptedError, errorMessage } from "../../errors";
import { JournalWriter } from "../core/journal";
import { idempotencyToken, isFinalStatus } from "../core/restoreJobs";
import { MonitoredJobKind, RestoreJobMonitor } from "../core/restoreMonitor";
import { etaText, jobEta } from "../core/eta";
import { formatDuration } from "../../time";
import { BACKUP_JOBS, COPY_JOBS } from "./jobKinds";
import { FailbackResource, TransferJob, TransferPhase, TransferRecord } from "./journal";
import { PhaseContext, save } from "./phaseContext";
import { failbackLifecycle } from "./retention";
import { PhaseResult } from "../core/phaseRunner";

/**
 * The idempotency token of one backup or copy job: a hash of the run, the phase, the job kind, the
 * resource and the attempt. A start re-sent after a crash carries the same token, so AWS Backup answers
 * with the job it already has.
 */
export function transferToken(
  runId: string,
  phase: TransferPhase,
  kind: "backup" | "copy",
  resourceArn: string,
  attempt: number,
): string {
  return idempotencyToken(runId, `${phase}\n${kind}\n${resourceArn}`, attempt);
}

function intent(
  runId: string,
  phase: TransferPhase,
  kind: "backup" | "copy",
  resourceArn: string,
  nowMs: number,
  previous?: TransferJob,
): TransferJob {
  const attempt = (previous?.attempt ?? 0) + 1;
  return {
    attempt,
    idempotencyToken: transferToken(runId, phase, kind, resourceArn, attempt),
    intentAt: iso(nowMs),
    status: "STARTING",
    previousJobIds: previous
      ? [...(previous.previousJobIds ?? []), ...(previous.jobId ? [previous.jobId] : [])]
      : undefined,
  };
}

const failed = (job: TransferJob | undefined) =>
  job !== undefined && (job.status === "FAILED" || job.status === "ABORTED");

/**
 * Marks every job of `phase` as superseded (failed, with `reason`), so runTransfers starts new ones (a
 * new attempt, a new token) and never adopts these: their recovery points miss writes made after them.
 * Nothing is deleted: the points stay in the vaults until their lifecycle ends.
 */
export function supersedeTransfers(
  transfers: readonly TransferRecord[],
  phase: TransferPhase,
  reason: string,
  nowMs: number,
): void {
  for (const record of transfers.filter((t) => t.phase === phase)) {
    for (const job of [record.backup, record.copy]) {
      if (job && !failed(job)) {
        job.status = "FAILED";
        job.statusMessage = `superseded: ${reason}`;
        job.completedAt ??= iso(nowMs);
      }
    }
  }
}

/**
 * Phases 2 and 4 (and a drill's copy): for every resource, in parallel, a backup into the DR vault (not
 * in a drill, which copies the vault's newest point) and then a copy of its recovery point to the primary
 * vault. The intent of each job, with its token, is journaled before its start and its id as soon as AWS
 * answers; a job of an earlier process that may have reached AWS is looked up (ListBackupJobs /
 * ListCopyJobs) before it is started again, so no job is ever started twice. Jobs that failed in an
 * earlier attempt get a new one (a new token).
 */
export async function runTransfers(pc: PhaseContext, phase: TransferPhase): Promise<PhaseResult> {
  const { journal } = pc;
  const now = pc.command.deps.clock.now();
  const drill = journal.kind === "failback-drill";
  const records = journal.failback.resources.map((resource) => {
    let record = journal.failback.transfers.find(
      (t) => t.phase === phase && t.drResourceArn === resource.drResourceArn,
    );
    if (!record) {
      record = { phase, drResourceArn: resource.drResourceArn };
      journal.failback.transfers.push(record);
    }
    return { resource, record };
  });
  // Jobs created now cannot have reached AWS yet; any other STARTING one may have.
  const createdHere = new Set<TransferJob>();
  for (const { resource, record } of records) {
    if (!drill && (!record.backup || failed(record.backup))) {
      record.backup = intent(journal.runId, phase, "backup", resource.drResourceArn, now, record.backup);
      createdHere.add(record.backup);
      // The copy of the earlier backup's point (superseded, or never started) is not this one's: a new
      // attempt, so a new token AWS Backup cannot answer with that job.
      if (record.copy) {
        record.copy = intent(journal.runId, phase, "copy", resource.drResourceArn, now, record.copy);
        createdHere.add(record.copy);
      }
    }
    if (!record.copy || failed(record.copy)) {
      const previous = failed(record.copy) ? record.copy : undefined;
      record.copy = intent(journal.runId, phase, "copy", resource.drResourceArn, now, previous);
      createdHere.add(record.copy);
    }
  }
  save(pc);
  const writer = new JournalWriter(pc.store, journal);
  const monitor = (kind: MonitoredJobKind) =>
    new RestoreJobMonitor(
      pc.pre.drClients.backupMonitor,
      {
        clock: pc.command.deps.clock,
        signal: pc.command.signal,
        poll: pc.options.poll,
      },
      kind,
    );
  const monitors = { backup: monitor(BACKUP_JOBS), copy: monitor(COPY_JOBS) };
  const results = await Promise.allSettled(
    records.map(({ resource, record }) =>
      transferOne({ pc, resource, record, createdHere, monitors, save: () => writer.request() }),
    ),
  );
  await writer.flush();
  const interrupted = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (interrupted) {
    throw interrupted.reason;
  }
  const copied = records.filter(({ record }) => record.copy?.status === "COMPLETED").length;
  const detail = `${copied} of ${records.length} resource(s) copied to the primary vault`;
  return { outcome: copied === records.length ? "ok" : "failed", detail };
}

interface TransferArgs {
  readonly pc: PhaseContext;
  readonly resource: FailbackResource;
  readonly record: TransferRecord;
  readonly createdHere: ReadonlySet<TransferJob>;
  readonly monitors: { readonly backup: RestoreJobMonitor; readonly copy: RestoreJobMonitor };
  readonly save: () => void;
}

/** A final backup is taken after the freeze was confirmed: no job created before that is one. */
function finalSince(pc: PhaseContext, record: TransferRecord, since: Date): Date {
  const confirmed = pc.journal.failback.freeze?.confirmedAt;
  return record.phase === "final-copy" && confirmed && Date.parse(confirmed) > since.getTime()
    ? new Date(Date.parse(confirmed) - 1)
    : since;
}

async function transferOne(args: TransferArgs): Promise<void> {
  const { pc, resource, record, createdHere, monitors } = args;
  const backupClient = pc.pre.drClients.backup;
  const label = `${resource.resourceType} ${resource.sourceName}`;
  const { failback } = pc.journal;
  let sourcePoint = resource.drRecoveryPointArn;
  if (record.backup) {
    const backup = record.backup;
    await followJob(args, backup, {
      what: `${label}: backup`,
      monitor: monitors.backup,
      mayHaveStarted: backup.status === "STARTING" && !createdHere.has(backup),
      find: (since) =>
        findBackupJob(
          backupClient,
          resource.drResourceArn,
          failback.drVaultName,
          finalSince(pc, record, since),
          knownJobIds(failback.transfers, backup),
        ),
      start: async () => {
        const out = await backupClient.send(
          new StartBackupJobCommand({
            BackupVaultName: failback.drVaultName,
            ResourceArn: resource.drResourceArn,
            IamRoleArn: failback.backupRoleArn,
            IdempotencyToken: backup.idempotencyToken,
            Lifecycle: failbackLifecycle(pc.pre.drVault),
          }),
          { abortSignal: pc.command.signal },
        );
        if (!out.BackupJobId) {
          throw new Error("StartBackupJob returned no BackupJobId");
        }
        return out.BackupJobId;
      },
    });
    if (backup.status !== "COMPLETED" || !backup.recoveryPointArn) {
      return;
    }
    sourcePoint = backup.recoveryPointArn;
  }
  const copy = record.copy;
  if (!copy || !sourcePoint) {
    return;
  }
  const point = sourcePoint;
  await followJob(args, copy, {
    what: `${label}: copy to ${pc.pre.primaryRegion}`,
    monitor: monitors.copy,
    mayHaveStarted: copy.status === "STARTING" && !createdHere.has(copy),
    find: (since) => findCopyJob(backupClient, point, since, knownJobIds(failback.transfers, copy)),
    start: async () => {
      const out = await backupClient.send(
        new StartCopyJobCommand({
          RecoveryPointArn: point,
          SourceBackupVaultName: failback.drVaultName,
          DestinationBackupVaultArn: failback.primaryVaultArn,
          IamRoleArn: failback.backupRoleArn,
          IdempotencyToken: copy.idempotencyToken,
          Lifecycle: failbackLifecycle(pc.pre.primaryVault),
        }),
        { abortSignal: pc.command.signal },
      );
      if (!out.CopyJobId) {
        throw new Error("StartCopyJob returned no CopyJobId");
      }
      return out.CopyJobId;
    },
  });
}

/**
 * Jobs never to adopt for `job`: its earlier attempts', and every job the journal already holds for
 * another phase or kind. The pre-copy's backup of a resource is as recent as its final backup's intent,
 * and adopting it as the final backup would lose the writes made before the freeze.
 */
function knownJobIds(transfers: readonly TransferRecord[], job: TransferJob): string[] {
  const others = transfers
    .flatMap((t) => [t.backup, t.copy])
    .filter((other): other is TransferJob => other !== undefined && other !== job)
    .flatMap((other) => [...(other.previousJobIds ?? []), ...(other.jobId ? [other.jobId] : [])]);
  return [...(job.previousJobIds ?? []), ...others];
}

interface JobSpec {
  readonly what: string;
  readonly monitor: RestoreJobMonitor;
  /** Left STARTING by an earlier process: AWS may already have the job. */
  readonly mayHaveStarted: boolean;
  readonly find: (since: Date) => Promise<FoundJob | undefined>;
  readonly start: () => Promise<string>;
}

/** Starts (or adopts) one backup or copy job and follows it to a final state; rejects only on Ctrl-C. */
async function followJob(args: TransferArgs, job: TransferJob, spec: JobSpec): Promise<void> {
  const { pc } = args;
  const { out, deps, signal } = pc.command;
  try {
    if (!job.jobId) {
      let adopted: FoundJob | undefined;
      if (spec.mayHaveStarted) {
        // Killed after AWS accepted the start but before its answer reached the journal.
        adopted = await spec.find(new Date(Date.parse(job.intentAt) - 5 * 60_000)).catch(() => undefined);
      }
      job.jobId = adopted?.id ?? (await spec.start());
      // An adopted job started when AWS created it, not now.
      job.startedAt = iso(adopted?.created || deps.clock.now());
      job.status = "PENDING";
      args.save();
      out.info(
        `${spec.what}: ${adopted ? "adopting job" : "job"} ${job.jobId}${adopted ? ", started before the interruption" : " started"}`,
      );
    } else if (!isFinalStatus(job.status)) {
      out.info(`${spec.what}: resuming wait on job ${job.jobId} (${job.status})`);
    }
  } catch (err) {
    if (err instanceof InterruptedError || signal.aborted) {
      throw new InterruptedError();
    }
    job.status = "FAILED";
    job.statusMessage = `start failed: ${describeAwsError(err)}`;
    job.startFailure = isTransientError(err) ? "transient" : "rejected";
    job.completedAt = iso(deps.clock.now());
    args.save();
    out.warn(`${spec.what}: ${job.statusMessage}`);
    return;
  }
  if (isFinalStatus(job.status)) {
    return;
  }
  try {
    const createdAt = job.startedAt ? Date.parse(job.startedAt) : deps.clock.now();
    const jobId = job.jobId;
    const final = await spec.monitor.follow(jobId, createdAt, (snapshot) => {
      if (snapshot.status !== job.status) {
        job.status = snapshot.status;
        args.save();
        if (!isFinalStatus(snapshot.status)) {
          // Backup jobs give an expected end (ExpectedCompletionDate) and PercentDone; copy jobs neither
          // (AWS Backup API reference, BackupJob and CopyJob): theirs is unknown.
          const now = deps.clock.now();
          const track = spec.monitor.track(jobId);
          const eta = etaText(track && jobEta(track, now), now, (at) => out.clockTime(at));
          out.info(`${spec.what}: ${snapshot.status} ${eta}`);
        }
      }
    });
    job.status = final.status;
    job.statusMessage = final.statusMessage;
    job.recoveryPointArn = final.createdResourceArn;
    job.completedAt = iso(final.completionDate?.getTime() ?? deps.clock.now());
    args.save();
  } catch (err) {
    if (err instanceof InterruptedError) {
      throw err;
    }
    job.statusMessage = `lost track of the job (re-run to resume): ${errorMessage(err)}`;
    args.save();
    out.warn(`${spec.what}: ${job.statusMessage}`);
    return;
  }
  if (job.status === "COMPLETED") {
    const took =
      job.startedAt && job.completedAt ? Date.parse(job.completedAt) - Date.parse(job.startedAt) : 0;
    out.info(`${spec.what}: COMPLETED in ${formatDuration(took)} -> ${job.recoveryPointArn ?? "?"}`);
  } else {
    out.warn(`${spec.what}: job ${job.jobId} ${job.status}: ${job.statusMessage ?? "no message from AWS"}`);
  }
}

/** A backup or copy job found by its look-up: its id and when AWS created it (ms). */
export interface FoundJob {
  readonly id: string;
  readonly created: number;
}

/**
 * The newest on-demand backup job of a resource into `vaultName` created since `since` (ListBackupJobs
 * ByResourceArn and ByBackupVaultName, every page), not an excluded one. A job a backup plan created
 * (`CreatedBy.BackupPlanId` set, ListBackupJobs BackupJob CreatedBy: "Contains identifying information
 * about the creation of a backup job, including the BackupPlanArn, BackupPlanId...") is never this
 * run's: the dr stack's restored-data plan backs up the same resources.
 */
export async function findBackupJob(
  backup: BackupClient,
  resourceArn: string,
  vaultName: string,
  since: Date,
  exclude: readonly string[],
): Promise<FoundJob | undefined> {
  let found: FoundJob | undefined;
  for await (const page of paginateListBackupJobs(
    { client: backup },
    { ByResourceArn: resourceArn, ByBackupVaultName: vaultName, ByCreatedAfter: since },
  )) {
    for (const job of page.BackupJobs ?? []) {
      const created = job.CreationDate ? new Date(job.CreationDate).getTime() : 0;
      if (
        job.BackupJobId &&
        !job.CreatedBy?.BackupPlanId &&
        !exclude.includes(job.BackupJobId) &&
        (!found || created > found.created)
      ) {
        found = { id: job.BackupJobId, created };
      }
    }
  }
  return found;
}

/** The newest copy job of a recovery point created since `since` (ListCopyJobs, every page), not an excluded one. */
export async function findCopyJob(
  backup: BackupClient,
  recoveryPointArn: string,
  since: Date,
  exclude: readonly string[],
): Promise<FoundJob | undefined> {
  let found: FoundJob | undefined;
  for await (const page of paginateListCopyJobs({ client: backup }, { ByCreatedAfter: since })) {
    for (const job of page.CopyJobs ?? []) {
      const created = job.CreationDate ? new Date(job.CreationDate).getTime() : 0;
      if (
        job.CopyJobId &&
        job.SourceRecoveryPointArn === recoveryPointArn &&
        !exclude.includes(job.CopyJobId) &&
        (!found || created > found.created)
      ) {
        found = { id: job.CopyJobId, created };
      }
    }
  }
  return found;
}
