/** The SDK front end of the simulated AWS Backup: aws-sdk-client-mock handlers calling the Backup model. */
import {
  BackupClient,
  DescribeBackupJobCommand,
  DescribeBackupVaultCommand,
  DescribeCopyJobCommand,
  DescribeRegionSettingsCommand,
  DeleteRecoveryPointCommand,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRestoreJobsCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
  StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import { JobScript } from "../../scripts/simulation/backupJobs";
import { BackupModel } from "../../scripts/simulation/backupModel";
import { JobFilter, SimJobRecord } from "../../scripts/simulation/jobListing";
import type { IsolatedVaultSeed } from "../../scripts/simulation/isolatedVault";
import type { SimPoint } from "../../scripts/simulation/recoveryPoints";
import type { RegionSettings } from "../../scripts/simulation/regionSettings";
import type { RestoreJob, StartRestoreInput } from "../../scripts/simulation/restoreJobs";
import type { JobLifecycle, VaultLock } from "../../scripts/simulation/vaultLock";
import { AnyStub, BeforeCall, CommandClass, awsError, serve } from "./sdkFrontEnd";

/** Options of {@link SimulatedBackup}; the model's defaults are scripts/simulation/backupDefaults.ts's. */
export interface SimOptions {
  readonly clock: { now(): number };
  /** The DR region. Default the model's (us-west-2). */
  readonly region?: string;
  /** The DR vault. Default the model's (dr-vault). */
  readonly vaultName?: string;
  readonly points: SimPoint[];
  /** Largest page of every listing, whatever MaxResults says. Default the model's. */
  readonly pageSize?: number;
  /** Largest page of ListBackupJobs and ListCopyJobs. Default {@link pageSize}. */
  readonly jobsPageSize?: number;
  /** Durations, outcomes and ids of backup and copy jobs. Default the model's (backupJobs.ts JobScript). */
  readonly jobScript?: JobScript;
  /** Restore job ids by their number. Default the model's (`job-001`). */
  readonly restoreJobId?: (n: number) => string;
  /** Answer this command name with a ThrottlingException (decided per call). */
  readonly throttle?: (command: string, call: number) => boolean;
  /** Real milliseconds each call takes (benchmark). Default 0. */
  readonly latencyMs?: number;
  /** The primary region's vault, for `status`. Default none. */
  readonly primary?: { readonly region: string; readonly vaultName: string; readonly points: SimPoint[] };
  /** A logically air-gapped vault in the DR region, beside the DR vault. Default none. */
  readonly isolated?: IsolatedVaultSeed;
  /** Region whose calls fail as if the region were down. */
  readonly downRegion?: string;
  /** Backup jobs AWS ran in the DR region before the scenario (ListBackupJobs lists them). */
  readonly backupJobs?: Array<SimJobRecord & { BackupJobId: string; State: string }>;
  /** Copy jobs AWS ran in the DR region before the scenario (ListCopyJobs lists them). */
  readonly copyJobs?: Array<SimJobRecord & { CopyJobId: string; State: string }>;
  /** Vault Lock bounds by vault name (`none`: no lock). Default the project's lock on every vault. */
  readonly vaultLocks?: Readonly<Record<string, VaultLock | "none">>;
  /** AWS Backup's settings by region (DescribeRegionSettings), merged over AWS's defaults. */
  readonly regionSettings?: Readonly<Record<string, RegionSettings>>;
}

export { awsError };

type Paged = { MaxResults?: number; NextToken?: string };

/**
 * AWS Backup on aws-sdk-client-mock (in-process, virtual time): each command's input is given to the
 * {@link BackupModel} of scripts/simulation, the same the HTTP fake serves, in the region of the client
 * that sent it. Adds what tests observe (the calls, the clients, the listings) and inject (throttling,
 * latency, a region that does not answer).
 */
export class SimulatedBackup {
  readonly model: BackupModel;
  readonly region: string;
  readonly vaultName: string;
  /** The filters of each ListRecoveryPointsByBackupVault call. */
  readonly vaultListings: Array<{ ByResourceType?: string; ByResourceArn?: string; ByCreatedBefore?: Date }> =
    [];
  /** The client instances that sent StartRestoreJob, and those that listed restore jobs. */
  readonly startClients = new Set<BackupClient>();
  readonly listClients = new Set<BackupClient>();
  /** Every StartRestoreJob call, including idempotent repeats. */
  readonly startCalls: Array<{
    recoveryPointArn: string;
    token?: string;
    metadata: Record<string, string>;
    /** StartRestoreJob's CopySourceTagsToRestoredResource as sent (undefined: not sent, AWS's false). */
    copySourceTags?: boolean;
    at: number;
  }> = [];
  readonly calls = new Map<string, number>();
  /**
   * Called before the model sees each call (after throttling and the down region): a test's instrument,
   * e.g. a throttled n-th call or a lock changed after the preflight. Throwing answers the call with it.
   */
  readonly beforeCall: BeforeCall[] = [];

  constructor(private readonly options: SimOptions) {
    this.model = new BackupModel({
      now: () => options.clock.now(),
      points: options.points,
      drRegion: options.region,
      vaultName: options.vaultName,
      primaryRegion: options.primary?.region,
      primaryVaultName: options.primary?.vaultName,
      primaryPoints: options.primary?.points,
      isolatedVault: options.isolated,
      vaultLocks: options.vaultLocks,
      regionSettings: options.regionSettings,
      pageSize: options.pageSize,
      jobsPageSize: options.jobsPageSize,
      jobScript: options.jobScript,
      restoreJobId: options.restoreJobId,
    });
    this.region = this.model.drRegion;
    this.vaultName = this.model.vaultName;
    this.model.backupAndCopy.seed(this.region, {
      backups: options.backupJobs?.map((j) => ({ ...j })),
      copies: options.copyJobs?.map((j) => ({ ...j })),
    });
  }

  /** Restore jobs by id. */
  get jobs(): Map<string, RestoreJob> {
    return this.model.restores.jobs;
  }

  /** AWS Backup's settings of each region. */
  get regionSettings() {
    return this.model.regionSettings;
  }

  /** The Vault Lock of the vault `name` (of any region), or undefined when it has none. */
  vaultLock(name: string): VaultLock | undefined {
    return this.model.vaultLock(name);
  }

  /** StartRestoreJob calls for one recovery point. */
  startsFor(recoveryPointArn: string): number {
    return this.startCalls.filter((c) => c.recoveryPointArn === recoveryPointArn).length;
  }

  /** Distinct jobs for one recovery point. */
  jobsFor(recoveryPointArn: string): RestoreJob[] {
    return [...this.jobs.values()].filter((j) => j.point.recoveryPointArn === recoveryPointArn);
  }

  private async enter(command: string, region: string, input: Record<string, unknown>): Promise<void> {
    const call = (this.calls.get(command) ?? 0) + 1;
    this.calls.set(command, call);
    if (this.options.latencyMs) {
      await new Promise((r) => setTimeout(r, this.options.latencyMs));
    }
    if (this.options.downRegion && region === this.options.downRegion) {
      throw Object.assign(new Error(`connect ETIMEDOUT backup.${region}.amazonaws.com:443`), {
        name: "TimeoutError",
      });
    }
    if (this.options.throttle?.(command, call)) {
      throw awsError("ThrottlingException", "Rate exceeded");
    }
    for (const hook of this.beforeCall) {
      hook(command, input, region);
    }
  }

  /** Whether `region` answers (it is not the down region). */
  isUp(region: string): boolean {
    return region !== this.options.downRegion;
  }

  /** Wires the simulation into a mocked BackupClient. */
  install(mock: AnyStub): void {
    /** Handles `command`: its region is the sending client's, the model brought up to the clock first. */
    const handle = <I>(
      command: CommandClass,
      answer: (input: I, region: string, client: BackupClient) => unknown,
    ) =>
      serve<I>(
        mock,
        command,
        (input, region, client) => {
          this.model.settle();
          return answer(input, region, client as BackupClient);
        },
        (name, input, region) => this.enter(name, region, input),
      );
    handle(
      DescribeBackupVaultCommand,
      (input: { BackupVaultName: string; BackupVaultAccountId?: string }, region) =>
        this.model.describeVault(region, input.BackupVaultName, input.BackupVaultAccountId),
    );
    handle(
      DeleteRecoveryPointCommand,
      (input: { BackupVaultName: string; RecoveryPointArn: string }, region) => {
        this.model.deleteRecoveryPoint(region, input.BackupVaultName, input.RecoveryPointArn);
        return {};
      },
    );
    handle(DescribeRegionSettingsCommand, (_input: object, region) =>
      this.model.regionSettings.describe(region),
    );
    handle(
      ListRecoveryPointsByBackupVaultCommand,
      (
        input: Paged & {
          BackupVaultName: string;
          ByResourceType?: string;
          ByResourceArn?: string;
          ByCreatedBefore?: Date;
          BackupVaultAccountId?: string;
        },
        region,
      ) => {
        this.vaultListings.push({
          ByResourceType: input.ByResourceType,
          ByResourceArn: input.ByResourceArn,
          ByCreatedBefore: input.ByCreatedBefore,
        });
        return this.model.listRecoveryPoints(
          region,
          input.BackupVaultName,
          {
            resourceType: input.ByResourceType,
            resourceArn: input.ByResourceArn,
            createdBefore: input.ByCreatedBefore ? new Date(input.ByCreatedBefore).getTime() : undefined,
            accountId: input.BackupVaultAccountId,
          },
          input,
        );
      },
    );
    handle(
      GetRecoveryPointRestoreMetadataCommand,
      (input: { BackupVaultName: string; RecoveryPointArn: string; BackupVaultAccountId?: string }, region) =>
        this.model.restoreMetadata(
          region,
          input.BackupVaultName,
          input.RecoveryPointArn,
          input.BackupVaultAccountId,
        ),
    );
    handle(StartRestoreJobCommand, (input: StartRestoreInput, region, client) => {
      this.startClients.add(client);
      this.startCalls.push({
        recoveryPointArn: input.RecoveryPointArn,
        token: input.IdempotencyToken,
        metadata: input.Metadata,
        copySourceTags: input.CopySourceTagsToRestoredResource,
        at: this.options.clock.now(),
      });
      return this.model.restores.start(region, input);
    });
    handle(DescribeRestoreJobCommand, (input: { RestoreJobId: string }, region) =>
      this.model.restores.describe(region, input.RestoreJobId),
    );
    handle(ListRestoreJobsCommand, (input: JobFilter & Paged, region, client) => {
      this.listClients.add(client);
      return this.model.listRestoreJobs(region, input, input);
    });
    handle(ListBackupJobsCommand, (input: JobFilter & Paged, region) =>
      this.model.listBackupJobs(region, input, input),
    );
    type JobStart = { IamRoleArn: string; IdempotencyToken?: string; Lifecycle?: JobLifecycle };
    handle(
      StartBackupJobCommand,
      (input: JobStart & { BackupVaultName: string; ResourceArn: string }, region) =>
        this.model.backupAndCopy.startBackup(region, input),
    );
    handle(DescribeBackupJobCommand, (input: { BackupJobId: string }, region) =>
      this.model.backupAndCopy.describeBackup(region, input.BackupJobId),
    );
    handle(
      StartCopyJobCommand,
      (
        input: JobStart & {
          RecoveryPointArn: string;
          SourceBackupVaultName: string;
          DestinationBackupVaultArn: string;
        },
        region,
      ) => this.model.backupAndCopy.startCopy(region, input),
    );
    handle(DescribeCopyJobCommand, (input: { CopyJobId: string }, region) => ({
      CopyJob: this.model.backupAndCopy.describeCopy(region, input.CopyJobId),
    }));
    handle(ListCopyJobsCommand, (input: JobFilter & Paged, region) =>
      this.model.listCopyJobs(region, input, input),
    );
  }
}
