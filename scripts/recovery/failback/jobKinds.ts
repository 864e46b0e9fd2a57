// The two kinds of AWS Backup job a failback runs: backups in the DR region, copies to the primary.
import {
  BackupJob,
  CopyJob,
  DescribeBackupJobCommand,
  DescribeCopyJobCommand,
  paginateListBackupJobs,
  paginateListCopyJobs,
} from "@aws-sdk/client-backup";
import { JobSnapshot } from "../core/restoreJobs";
import { ListedJob, MonitoredJobKind } from "../core/restoreMonitor";

/**
 * AWS Backup's backup and copy job states in the restore jobs' terms, which the monitor and the journal
 * use: CREATED waits like PENDING, ABORTING still runs; EXPIRED and PARTIAL are failures for a failback
 * (the data did not all arrive), named in the message.
 */
function status(state: string | undefined): JobSnapshot["status"] {
  switch (state) {
    case undefined:
    case "CREATED":
    case "PENDING":
      return "PENDING";
    case "RUNNING":
    case "ABORTING":
      return "RUNNING";
    case "COMPLETED":
      return "COMPLETED";
    case "ABORTED":
      return "ABORTED";
    default:
      return "FAILED";
  }
}

function message(state: string | undefined, text: string | undefined): string | undefined {
  const mapped = status(state);
  return mapped === "FAILED" && state !== "FAILED" ? `${state}${text ? `: ${text}` : ""}` : text;
}

function minutesBetween(from: Date | undefined, to: Date | undefined): number | undefined {
  return from && to
    ? Math.max(1, Math.ceil((new Date(to).getTime() - new Date(from).getTime()) / 60_000))
    : undefined;
}

function listedBackupJob(job: BackupJob): ListedJob {
  return {
    id: job.BackupJobId ?? "",
    status: status(job.State),
    statusMessage: message(job.State, job.StatusMessage),
    percentDone: job.PercentDone,
    // What a backup job makes is a recovery point.
    createdResourceArn: job.RecoveryPointArn,
    completionDate: job.CompletionDate ? new Date(job.CompletionDate) : undefined,
    expectedMinutes: minutesBetween(job.CreationDate, job.ExpectedCompletionDate),
  };
}

function listedCopyJob(job: CopyJob): ListedJob {
  return {
    id: job.CopyJobId ?? "",
    status: status(job.State),
    statusMessage: message(job.State, job.StatusMessage),
    // What a copy job makes is the recovery point in the destination vault.
    createdResourceArn: job.DestinationRecoveryPointArn,
    completionDate: job.CompletionDate ? new Date(job.CompletionDate) : undefined,
  };
}

/** Backup jobs: ListBackupJobs (pages of 1000, created after), DescribeBackupJob. */
export const BACKUP_JOBS: MonitoredJobKind = {
  listCall: "ListBackupJobs",
  describeCall: "DescribeBackupJob",
  async *list(client, since) {
    for await (const page of paginateListBackupJobs({ client, pageSize: 1000 }, { ByCreatedAfter: since })) {
      yield (page.BackupJobs ?? []).map(listedBackupJob);
    }
  },
  describe: async (client, id) =>
    listedBackupJob(await client.send(new DescribeBackupJobCommand({ BackupJobId: id }))),
};

/** Copy jobs, in the region that started them (the source): ListCopyJobs, DescribeCopyJob. */
export const COPY_JOBS: MonitoredJobKind = {
  listCall: "ListCopyJobs",
  describeCall: "DescribeCopyJob",
  async *list(client, since) {
    for await (const page of paginateListCopyJobs({ client, pageSize: 1000 }, { ByCreatedAfter: since })) {
      yield (page.CopyJobs ?? []).map(listedCopyJob);
    }
  },
  describe: async (client, id) => {
    const out = await client.send(new DescribeCopyJobCommand({ CopyJobId: id }));
    return listedCopyJob(out.CopyJob ?? { CopyJobId: id });
  },
};
