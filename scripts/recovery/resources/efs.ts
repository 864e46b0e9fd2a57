// EFS: how a file system's recovery point is restored as a new file system, given its declared throughput, and deleted after a drill.
import {
  DeleteFileSystemCommand,
  DescribeFileSystemsCommand,
  UpdateFileSystemCommand,
} from "@aws-sdk/client-efs";
import type { FileSystemDescription } from "@aws-sdk/client-efs";
import type { EfsThroughput } from "../../../stacks/drContract";
import { AwsClients } from "../../aws/clients";
import { awsErrorCode } from "../../aws/errors";
import { MetadataMap } from "./metadata";
import { expectState, ResourceRecovery, RunWait } from "./resourceRecovery";

/** Longest wait for a restored file system to be `available` before UpdateFileSystem. */
const AVAILABLE_WAIT_MS = 10 * 60_000;
/** Interval between two DescribeFileSystems while it is not. */
const AVAILABLE_POLL_MS = 15_000;
/**
 * UpdateFileSystem's refusals that pass: the file system not yet `available`, and "Try again later" for
 * capacity (EFS API reference, UpdateFileSystem, Errors: IncorrectFileSystemLifeCycleState,
 * InsufficientThroughputCapacity). TooManyRequests (the 24-hour rule) is not retried: it lasts up to a day.
 */
const UPDATE_RETRIED = ["IncorrectFileSystemLifeCycleState", "InsufficientThroughputCapacity"];
/** UpdateFileSystem attempts in all, and the wait between two, when AWS refuses with one of the above. */
const UPDATE_ATTEMPTS = 4;
const UPDATE_RETRY_MS = 60_000;

/**
 * The file system `id` once `available` (or as last described after {@link AVAILABLE_WAIT_MS}, for
 * UpdateFileSystem's own refusal to report): "You can change the throughput mode ... after the file system
 * becomes available" (EFS user guide, "Managing file system throughput").
 */
async function describeWhenAvailable(
  clients: AwsClients,
  id: string,
  wait: RunWait,
): Promise<FileSystemDescription | undefined> {
  const deadline = wait.clock.now() + AVAILABLE_WAIT_MS;
  for (;;) {
    const described = await clients.efs.send(new DescribeFileSystemsCommand({ FileSystemId: id }));
    const fs = described.FileSystems?.[0];
    if (!fs || fs.LifeCycleState === "available" || wait.clock.now() >= deadline) return fs;
    await wait.clock.sleep(AVAILABLE_POLL_MS, wait.signal);
  }
}

/** UpdateFileSystem, tried again on the refusals AWS says pass ({@link UPDATE_RETRIED}). */
async function updateWithRetries(
  clients: AwsClients,
  command: UpdateFileSystemCommand,
  wait: RunWait,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await clients.efs.send(command);
      return;
    } catch (err) {
      if (attempt >= UPDATE_ATTEMPTS || !UPDATE_RETRIED.includes(awsErrorCode(err))) throw err;
      await wait.clock.sleep(UPDATE_RETRY_MS, wait.signal);
    }
  }
}

/** A throughput as the operator reads it: `elastic`, `provisioned, 256 MiB/s`. */
function describeThroughput(throughput: EfsThroughput): string {
  return throughput.mode === "provisioned"
    ? `provisioned, ${throughput.provisionedMibps ?? "?"} MiB/s`
    : throughput.mode;
}

/**
 * An EFS file system (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-efs.html): restored
 * as a new file system whose creation token is the name the CLI chose; AWS gives it its id.
 */
export const efs: ResourceRecovery = {
  type: "EFS",
  dataKind: "efs",
  // Creation tokens: at most 64.
  nameRule: { maxLength: 64, lowerCase: false, invalid: /[^A-Za-z0-9_.-]/g },
  idIsName: false,
  fullyManagedByBackup: true,
  metadataKeys: [
    "CreationToken",
    "Encrypted",
    "file-system-id",
    "ItemsToRestore",
    "KmsKeyId",
    "newFileSystem",
    "PerformanceMode",
  ],
  restoreFixes: { nameKey: "CreationToken", quotaService: "elasticfilesystem" },
  placeRestore(meta, _notes, { targetName }) {
    meta.set("newFileSystem", "true");
    meta.set("CreationToken", targetName);
  },
  // None of the EFS restore keys above carries the throughput (AWS Backup API reference, StartRestoreJob,
  // Metadata): the new file system has whatever mode AWS Backup creates it with, so the entry's declared one
  // is set after the restore. A restore into an existing file system (`newFileSystem` false) puts the files
  // in a recovery directory of that file system (AWS Backup developer guide, "Restore an Amazon EFS file
  // system"), whose throughput is its own: nothing is set.
  declaredSettings(entry, metadata) {
    if (!entry.throughput || new MetadataMap(metadata).get("newFileSystem") === "false") {
      return undefined;
    }
    return {
      entry: entry.name,
      summary: `throughput mode ${describeThroughput(entry.throughput)}`,
      throughput: entry.throughput,
    };
  },
  // EFS UpdateFileSystem, the regional control plane of the restore's region. It refuses a mode change or a
  // decrease within 24 hours of a change to provisioned or an increase (TooManyRequests), more than the
  // region allows (ThroughputLimitExceeded), and capacity it lacks (InsufficientThroughputCapacity) (EFS API
  // reference, UpdateFileSystem; EFS user guide, "Managing file system throughput"): the caller reports it.
  // Described first, so a re-run after a success changes nothing and never meets the 24-hour rule; waited
  // for until `available`, and retried on a lifecycle state or capacity that passes.
  async applyDeclared(clients, { id }, declared, wait) {
    const wanted = declared.throughput;
    if (!wanted) {
      return `file system ${id}: nothing declared to set`;
    }
    const fs = await describeWhenAvailable(clients, id, wait);
    const current: EfsThroughput | undefined = fs?.ThroughputMode
      ? {
          mode: fs.ThroughputMode as EfsThroughput["mode"],
          ...(fs.ProvisionedThroughputInMibps !== undefined && {
            provisionedMibps: fs.ProvisionedThroughputInMibps,
          }),
        }
      : undefined;
    if (
      current?.mode === wanted.mode &&
      (wanted.mode !== "provisioned" || current.provisionedMibps === wanted.provisionedMibps)
    ) {
      return `file system ${id} already has ${declared.summary}`;
    }
    await updateWithRetries(
      clients,
      new UpdateFileSystemCommand({
        FileSystemId: id,
        ThroughputMode: wanted.mode,
        ...(wanted.mode === "provisioned" && { ProvisionedThroughputInMibps: wanted.provisionedMibps }),
      }),
      wait,
    );
    return `file system ${id} set to ${declared.summary}${current ? ` (restored with ${describeThroughput(current)})` : ""}`;
  },
  declaredCommand(region, id, { throughput }) {
    const amount =
      throughput?.mode === "provisioned"
        ? ` --provisioned-throughput-in-mibps ${throughput.provisionedMibps}`
        : "";
    return `aws efs update-file-system --region ${region} --file-system-id ${id} --throughput-mode ${throughput?.mode ?? "bursting"}${amount}`;
  },
  async verify(clients, id) {
    const out = await clients.efs.send(new DescribeFileSystemsCommand({ FileSystemId: id }));
    return expectState("file system", id, out.FileSystems?.[0]?.LifeCycleState, ["available"]);
  },
  async delete(clients, id) {
    await clients.efs.send(new DeleteFileSystemCommand({ FileSystemId: id }));
    return `file system ${id} deleted`;
  },
};
