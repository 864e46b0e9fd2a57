/** EFS's model: the file systems of each region (in the resource store) as DescribeFileSystems, UpdateFileSystem and DeleteFileSystem read and change them, no wire format. */
import type { EfsThroughput } from "../../stacks/drContract";
import { FakeApiError } from "./backupJobs";
import { ACCOUNT } from "./fixtures";
import { ResourceStore, SimResource } from "./resourceStore";

/** What EFS's 24-hour rule waits for: "you must wait at least 24 hours" (see {@link EfsModel.update}). */
export const THROUGHPUT_CHANGE_WAIT_MS = 24 * 60 * 60 * 1000;

/** Options of {@link EfsModel}. */
export interface EfsModelOptions {
  /**
   * The most MiB/s the account may provision on one file system in the region: above it UpdateFileSystem
   * answers ThroughputLimitExceeded. Default 3414, the top of "Valid values are 1-3414 MiBps, with the
   * upper limit depending on Region" (EFS API reference, UpdateFileSystem, ProvisionedThroughputInMibps).
   */
  readonly provisionedLimitMibps?: number;
  /**
   * How long a file system AWS Backup restored stays `creating` after it appears, before `available`.
   * Default 0: available at once. LifeCycleState's values (`creating`, `available`, ...) are the EFS API
   * reference's (FileSystemDescription); that a restored file system can still be `creating` when its restore
   * job completes is not documented (a guess, for the wait before UpdateFileSystem).
   */
  readonly creatingMs?: number;
  /**
   * How many UpdateFileSystem calls to provisioned, or to more provisioned throughput, first answer
   * InsufficientThroughputCapacity (HTTP 503): "Returned if there's not enough capacity to provision
   * additional throughput ... Try again later" (EFS API reference, UpdateFileSystem, Errors). Default 0.
   */
  readonly capacityShortCalls?: number;
}

/** What DescribeFileSystems and UpdateFileSystem answer of a file system (FileSystemDescription). */
export interface FileSystemView {
  readonly FileSystemId: string;
  readonly FileSystemArn: string;
  readonly OwnerId: string;
  readonly CreationToken?: string;
  readonly LifeCycleState: "creating" | "available";
  readonly PerformanceMode: string;
  readonly ThroughputMode: EfsThroughput["mode"];
  readonly ProvisionedThroughputInMibps?: number;
}

/** UpdateFileSystem's request (EFS API reference). */
export interface UpdateFileSystemInput {
  readonly ThroughputMode?: string;
  readonly ProvisionedThroughputInMibps?: number;
}

const MODES: readonly string[] = ["bursting", "elastic", "provisioned"];

/**
 * EFS for the restored and seeded file systems of each region, whichever front end serves it (the HTTP
 * fake's dataPlanes.ts, test/fakes/sdkEfs.ts). A file system restored by AWS Backup is in the Bursting mode:
 * none of the EFS restore metadata keys (`file-system-id`, `Encrypted`, `KmsKeyId`, `PerformanceMode`,
 * `CreationToken`, `newFileSystem`, `ItemsToRestore`: AWS Backup API reference, StartRestoreJob) carries a
 * throughput, and Bursting is CreateFileSystem's default ("Default is bursting", EFS API reference); that
 * AWS Backup creates the new file system with that default is not documented (a guess).
 */
export class EfsModel {
  private readonly limitMibps: number;
  private capacityRefusals = 0;

  constructor(
    private readonly store: ResourceStore,
    private readonly options: EfsModelOptions = {},
  ) {
    this.limitMibps = options.provisionedLimitMibps ?? 3414;
  }

  /** The file system `id` of `region`, or EFS's FileSystemNotFound (404). */
  fileSystem(region: string, id: string | null | undefined): SimResource {
    const fs = this.store.find(region, ["EFS"], id);
    if (!fs) {
      throw new FakeApiError(404, "FileSystemNotFound", `File system '${id ?? ""}' does not exist.`);
    }
    return fs;
  }

  /**
   * DescribeFileSystems of one file system: a restored one `creating` for {@link EfsModelOptions.creatingMs}
   * after its restore job completed, then `available`.
   */
  describe(region: string, id: string | null | undefined): FileSystemView {
    return this.view(this.fileSystem(region, id));
  }

  /**
   * UpdateFileSystem (EFS API reference) as documented:
   * - `provisioned` needs ProvisionedThroughputInMibps ("If you are changing the ThroughputMode to
   *   provisioned, you must also set a value"), an amount from 1 up: BadRequest (400) otherwise;
   * - Elastic "is available only for file systems that are configured with the General Purpose performance
   *   mode" (EFS user guide, "Throughput modes"): BadRequest on a maxIO file system (the error type is a guess);
   * - more than the region allows: ThroughputLimitExceeded (400);
   * - "any time that you change the file system to Provisioned throughput or increase the provisioned
   *   throughput amount, you must wait at least 24 hours before you can change the throughput mode again or
   *   decrease the provisioned amount" (EFS user guide, "Managing file system throughput"): TooManyRequests
   *   (429, "Returned if you don't wait at least 24 hours before either changing the throughput mode, or
   *   decreasing the Provisioned Throughput value"), with the message AWS gives (AWS re:Post knowledge
   *   center, efs-max-throughput-mode-changes). Increases are never refused.
   * - a file system not `available`: IncorrectFileSystemLifeCycleState (409, "Returned if the file system's
   *   lifecycle state is not 'available'"; EFS user guide: "You can change the throughput mode ... after the
   *   file system becomes available");
   * - while capacity is short ({@link EfsModelOptions.capacityShortCalls}), a change to provisioned or an
   *   increase: InsufficientThroughputCapacity (503, "Try again later").
   * The change applies at once (the user guide: "Changing throughput mode does not cause application
   * downtime"); the answer is the file system's description, HTTP 202.
   */
  update(region: string, id: string | null | undefined, input: UpdateFileSystemInput): FileSystemView {
    const fs = this.fileSystem(region, id);
    if (this.lifeCycleState(fs) !== "available") {
      throw new FakeApiError(
        409,
        "IncorrectFileSystemLifeCycleState",
        `File system '${fs.id}' is ${this.lifeCycleState(fs)}, not available.`,
      );
    }
    const current = this.throughput(fs);
    const mode = input.ThroughputMode ?? current.mode;
    if (!MODES.includes(mode)) {
      throw new FakeApiError(
        400,
        "BadRequest",
        `ThroughputMode '${mode}' is not one of ${MODES.join(", ")}.`,
      );
    }
    const amount =
      input.ProvisionedThroughputInMibps ?? (mode === "provisioned" ? current.provisionedMibps : undefined);
    if (mode === "provisioned" && (amount === undefined || !(amount >= 1))) {
      throw new FakeApiError(
        400,
        "BadRequest",
        "ProvisionedThroughputInMibps is required, at least 1, when ThroughputMode is provisioned.",
      );
    }
    if (mode === "elastic" && fs.metadata.PerformanceMode === "maxIO") {
      throw new FakeApiError(
        400,
        "BadRequest",
        "Elastic throughput mode is available only for file systems with the General Purpose performance mode.",
      );
    }
    if (mode === "provisioned" && amount !== undefined && amount > this.limitMibps) {
      throw new FakeApiError(
        400,
        "ThroughputLimitExceeded",
        `The throughput limit of ${this.limitMibps} MiB/s has been reached.`,
      );
    }
    const now = this.store.nowMs();
    const modeChange = mode !== current.mode;
    const decrease =
      mode === "provisioned" &&
      current.mode === "provisioned" &&
      amount !== undefined &&
      amount < (current.provisionedMibps ?? 0);
    const waitUntil = fs.settings.throughputLockedUntil ?? 0;
    if ((modeChange || decrease) && now < waitUntil) {
      throw new FakeApiError(
        429,
        "TooManyRequests",
        `You have reached the maximum number of throughput mode changes or provisioned throughput value decreases. Wait until ${new Date(waitUntil).toISOString().replace(/\.\d{3}Z$/, "Z")} UTC and try again.`,
      );
    }
    const increase =
      mode === "provisioned" && (modeChange || (amount ?? 0) > (current.provisionedMibps ?? 0));
    if (increase && this.capacityRefusals < (this.options.capacityShortCalls ?? 0)) {
      this.capacityRefusals++;
      throw new FakeApiError(
        503,
        "InsufficientThroughputCapacity",
        "There is not enough capacity to provision additional throughput. Try again later.",
      );
    }
    fs.settings.throughput = {
      mode: mode as EfsThroughput["mode"],
      ...(mode === "provisioned" && { provisionedMibps: amount }),
    };
    if (increase) {
      fs.settings.throughputLockedUntil = now + THROUGHPUT_CHANGE_WAIT_MS;
    }
    return this.view(fs);
  }

  /** DeleteFileSystem. */
  delete(region: string, id: string | null | undefined): void {
    this.store.remove(this.fileSystem(region, id));
  }

  private lifeCycleState(fs: SimResource): FileSystemView["LifeCycleState"] {
    const creating = fs.restoreJobId !== undefined ? (this.options.creatingMs ?? 0) : 0;
    return this.store.nowMs() < fs.createdAt + creating ? "creating" : "available";
  }

  private throughput(fs: SimResource): EfsThroughput {
    return fs.settings.throughput ?? { mode: "bursting" };
  }

  private view(fs: SimResource): FileSystemView {
    const throughput = this.throughput(fs);
    return {
      FileSystemId: fs.id,
      FileSystemArn: fs.arn,
      OwnerId: ACCOUNT,
      ...(fs.metadata.CreationToken !== undefined && { CreationToken: fs.metadata.CreationToken }),
      LifeCycleState: this.lifeCycleState(fs),
      PerformanceMode: fs.metadata.PerformanceMode ?? "generalPurpose",
      ThroughputMode: throughput.mode,
      ...(throughput.provisionedMibps !== undefined && {
        ProvisionedThroughputInMibps: throughput.provisionedMibps,
      }),
    };
  }
}
