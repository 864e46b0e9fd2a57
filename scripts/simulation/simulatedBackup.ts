import {
  BackupClient,
  DescribeBackupVaultCommand,
  DescribeRegionSettingsCommand,
  DescribeRestoreJobCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  ListRestoreJobsCommand,
  StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import type { MetadataBearer } from "@smithy/types";
import { AwsStub } from "aws-sdk-client-mock";
import { createHash } from "crypto";
import { ACCOUNT } from "./fixtures";
import { JobFilter, SimJobRecord, jobPage } from "./jobListing";
import { RegionSettings, RegionSettingsStore } from "./regionSettings";
import { ResourceState, resourceArn as arnOf, restoredId } from "./resourceStore";
import { DEFAULT_VAULT_LOCK, VaultLock, lockFields } from "./vaultLock";

/** A recovery point the simulated vault holds, with how its restore will behave. */
export interface SimPoint {
  readonly recoveryPointArn: string;
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly creationDate: Date;
  readonly status?: string;
  readonly statusMessage?: string;
  readonly restoreMetadata?: Record<string, string>;
  /** How long a restore of this point takes (clock ms). Default 20 minutes. */
  readonly restoreMs?: number;
  /** Final state of its restore jobs. Default COMPLETED. */
  readonly outcome?: "COMPLETED" | "FAILED" | "ABORTED";
  readonly failureMessage?: string;
  /** What a restore from it brings back (writes, S3 objects). Default: an empty resource. */
  readonly state?: ResourceState;
  /** A copied point: the vault it was copied from (ListRecoveryPointsByBackupVault's SourceBackupVaultArn). */
  readonly sourceBackupVaultArn?: string;
  /**
   * The resource's tags when it was backed up: "AWS Backup copies tags from the resources it protects to
   * your recovery points", and a copy to another Region carries "all tags of the original backup" (AWS
   * Backup developer guide, "Copying tags onto backups", tags-on-backups.html). A restore copies them to
   * what it creates only when asked (restoredResources.ts). Default none.
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Options of {@link SimulatedBackup}. */
export interface SimOptions {
  readonly clock: { now(): number };
  readonly region?: string;
  readonly vaultName?: string;
  readonly points: SimPoint[];
  /** Largest page ListRecoveryPointsByBackupVault returns, whatever MaxResults says. Default 1000. */
  readonly pageSize?: number;
  /** Answer this command name with a ThrottlingException (decided per call). */
  readonly throttle?: (command: string, call: number) => boolean;
  /** Real milliseconds each call takes (benchmark). Default 0. */
  readonly latencyMs?: number;
  /** The primary region's vault, for `status` (calls signed for another region are served from it). */
  readonly primary?: { readonly region: string; readonly vaultName: string; readonly points: SimPoint[] };
  /** Region whose calls fail as if the region were down. */
  readonly downRegion?: string;
  /** Backup jobs ListBackupJobs returns (filtered and paged as AWS does: {@link jobPage}). */
  readonly backupJobs?: Array<SimJobRecord & { BackupJobId: string }>;
  /** Copy jobs ListCopyJobs returns (filtered and paged as AWS does: {@link jobPage}). */
  readonly copyJobs?: Array<SimJobRecord & { CopyJobId: string }>;
  /**
   * Vault Lock bounds by vault name (`none`: no lock), as DescribeBackupVault answers them. A vault not
   * named has the project's default lock, {@link DEFAULT_VAULT_LOCK}.
   */
  readonly vaultLocks?: Readonly<Record<string, VaultLock | "none">>;
  /** AWS Backup's settings by region (DescribeRegionSettings), merged over AWS's defaults. */
  readonly regionSettings?: Readonly<Record<string, RegionSettings>>;
}

interface SimJob {
  id: string;
  token?: string;
  point: SimPoint;
  metadata: Record<string, string>;
  startedAt: number;
  /** The region of the StartRestoreJob call: the restore creates its resource there. */
  region: string;
}

/** An error shaped like the SDK's service exceptions. */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode },
    $fault: httpStatusCode >= 500 ? "server" : "client",
  });
}

/**
 * ListRecoveryPointsByBackupVault's filters (ByResourceType, ByResourceArn, ByCreatedBefore), as the
 * API reference describes them (API_ListRecoveryPointsByBackupVault.html); created-before is strict.
 */
export function filterRecoveryPoints(
  points: readonly SimPoint[],
  filter: { resourceType?: string; resourceArn?: string; createdBefore?: number },
): SimPoint[] {
  return points.filter(
    (p) =>
      (filter.resourceType === undefined || p.resourceType === filter.resourceType) &&
      (filter.resourceArn === undefined || p.resourceArn === filter.resourceArn) &&
      (filter.createdBefore === undefined || p.creationDate.getTime() < filter.createdBefore),
  );
}

/**
 * One page of ListRecoveryPointsByBackupVault: `size` points from the offset `nextToken` names, with the
 * next page's token while more remain. Both the SDK-level simulation and the wire-level fake answer with it.
 */
export function recoveryPointPage(
  points: readonly SimPoint[],
  vaultName: string,
  nextToken: string | undefined,
  size: number,
) {
  const offset = nextToken ? Number(nextToken) : 0;
  return {
    NextToken: offset + size < points.length ? String(offset + size) : undefined,
    RecoveryPoints: points.slice(offset, offset + size).map((p) => ({
      RecoveryPointArn: p.recoveryPointArn,
      BackupVaultName: vaultName,
      ResourceArn: p.resourceArn,
      ResourceType: p.resourceType,
      Status: p.status ?? "COMPLETED",
      StatusMessage: p.statusMessage,
      CreationDate: p.creationDate,
      SourceBackupVaultArn: p.sourceBackupVaultArn,
    })),
  };
}

/** PercentDone as AWS Backup returns it: a string with two decimals and a percent sign ("42.00%"). */
export function percentText(percent: number): string {
  return `${percent.toFixed(2)}%`;
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 17);
}

/** Realistic GetRecoveryPointRestoreMetadata answers, as of a primary region us-east-1. */
export function defaultRestoreMetadata(type: string, name: string): Record<string, string> {
  switch (type) {
    case "RDS":
      return {
        DBInstanceIdentifier: name,
        DBInstanceClass: "db.r5.large",
        Engine: "postgres",
        MultiAZ: "false",
        Port: "5432",
        AvailabilityZone: "us-east-1a",
        DBSubnetGroupName: "prod-db-subnets",
        VpcSecurityGroupIds: '["sg-0dbprod"]',
      };
    case "Aurora":
      return {
        DBClusterIdentifier: name,
        Engine: "aurora-postgresql",
        AvailabilityZones: '["us-east-1a","us-east-1b"]',
        DBSubnetGroupName: "prod-db-subnets",
        VpcSecurityGroupIds: '["sg-0dbprod"]',
      };
    case "EC2":
      return {
        InstanceType: "c5.xlarge",
        SubnetId: "subnet-0prod",
        SecurityGroupIds: '["sg-0appprod"]',
        NetworkInterfaces: '[{"DeviceIndex":0,"SubnetId":"subnet-0prod"}]',
        Placement: '{"AvailabilityZone":"us-east-1a","GroupName":"","Tenancy":"default"}',
        IamInstanceProfileName: "app",
        KeyName: "prod-ops",
      };
    case "EBS":
      return {
        availabilityZone: "us-east-1a",
        volumeType: "gp3",
        volumeSize: "100",
        encrypted: "true",
        kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      };
    case "DynamoDB":
      return { targetTableName: name, encryptionType: "Default" };
    case "EFS":
      return {
        "file-system-id": name,
        Encrypted: "true",
        PerformanceMode: "generalPurpose",
        newFileSystem: "false",
      };
    case "S3":
      return { DestinationBucketName: name, NewBucket: "false", Encrypted: "true", EncryptionType: "SSE-S3" };
    default:
      return {};
  }
}

/** A recovery point of the given type for a source named `name`, created `ageMs` before `nowMs`. */
export function simPoint(
  type: string,
  name: string,
  nowMs: number,
  ageMs: number,
  extra: Partial<SimPoint> = {},
): SimPoint {
  const resourceArn = arnOf(type, "us-east-1", name);
  const created = new Date(nowMs - ageMs);
  return {
    recoveryPointArn: `arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:${shortHash(`${resourceArn}@${created.toISOString()}`)}`,
    resourceArn,
    resourceType: type,
    creationDate: created,
    status: "COMPLETED",
    ...extra,
  };
}

/**
 * AWS Backup in the DR region, simulated on aws-sdk-client-mock: a vault of recovery points read
 * in pages, restore jobs that go PENDING -> RUNNING -> COMPLETED/FAILED as the clock advances,
 * idempotency tokens honoured like the real StartRestoreJob, optional throttling.
 */
export class SimulatedBackup {
  readonly region: string;
  readonly vaultName: string;
  readonly jobs = new Map<string, SimJob>();
  /** Every StartRestoreJob call, including idempotent repeats. */
  /** The filters of each ListRecoveryPointsByBackupVault listing (first page). */
  readonly vaultListings: Array<{ ByResourceType?: string; ByResourceArn?: string; ByCreatedBefore?: Date }> =
    [];
  /** The client instances that sent StartRestoreJob, and those that listed restore jobs. */
  readonly startClients = new Set<BackupClient>();
  readonly listClients = new Set<BackupClient>();
  readonly startCalls: Array<{
    recoveryPointArn: string;
    token?: string;
    metadata: Record<string, string>;
    /** StartRestoreJob's CopySourceTagsToRestoredResource as sent (undefined: not sent, AWS's false). */
    copySourceTags?: boolean;
    at: number;
  }> = [];
  readonly calls = new Map<string, number>();
  /** AWS Backup's settings of each region. */
  readonly regionSettings: RegionSettingsStore;
  private nextJob = 1;

  constructor(private readonly options: SimOptions) {
    this.region = options.region ?? "us-west-2";
    this.vaultName = options.vaultName ?? "dr-vault";
    this.regionSettings = new RegionSettingsStore(options.regionSettings);
  }

  /** The Vault Lock of the vault `name` (of any region), or undefined when it has none. */
  vaultLock(name: string): VaultLock | undefined {
    const lock = this.options.vaultLocks?.[name] ?? DEFAULT_VAULT_LOCK;
    return lock === "none" ? undefined : lock;
  }

  /** StartRestoreJob calls for one recovery point. */
  startsFor(recoveryPointArn: string): number {
    return this.startCalls.filter((c) => c.recoveryPointArn === recoveryPointArn).length;
  }

  /** Distinct jobs for one recovery point. */
  jobsFor(recoveryPointArn: string): SimJob[] {
    return [...this.jobs.values()].filter((j) => j.point.recoveryPointArn === recoveryPointArn);
  }

  private async enter(command: string, region: string): Promise<void> {
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
  }

  /** Wires the simulation into a mocked BackupClient. */
  install(mock: AwsStub<object, MetadataBearer, object>): void {
    const region = async (getClient: () => unknown) => {
      const config = (getClient() as BackupClient).config;
      return typeof config.region === "function" ? await config.region() : String(config.region);
    };
    mock.on(DescribeBackupVaultCommand).callsFake(async (input: { BackupVaultName: string }, getClient) => {
      const r = await region(getClient);
      await this.enter("DescribeBackupVault", r);
      if (r !== this.region) {
        return {
          BackupVaultName: input.BackupVaultName,
          BackupVaultArn: `arn:aws:backup:${r}:${ACCOUNT}:backup-vault:${input.BackupVaultName}`,
          ...lockFields(this.vaultLock(input.BackupVaultName)),
        };
      }
      if (input.BackupVaultName !== this.vaultName) {
        throw awsError("ResourceNotFoundException", `Backup vault ${input.BackupVaultName} not found`, 404);
      }
      return {
        BackupVaultName: this.vaultName,
        BackupVaultArn: `arn:aws:backup:${this.region}:${ACCOUNT}:backup-vault:${this.vaultName}`,
        NumberOfRecoveryPoints: this.options.points.length,
        ...lockFields(this.vaultLock(this.vaultName)),
      };
    });
    // AWS Backup API, DescribeRegionSettings: the settings of the call's region.
    mock.on(DescribeRegionSettingsCommand).callsFake(async (_input: object, getClient) => {
      const r = await region(getClient);
      await this.enter("DescribeRegionSettings", r);
      return this.regionSettings.describe(r);
    });
    mock.on(ListRecoveryPointsByBackupVaultCommand).callsFake(
      async (
        input: {
          BackupVaultName: string;
          MaxResults?: number;
          NextToken?: string;
          ByResourceType?: string;
          ByResourceArn?: string;
          ByCreatedBefore?: Date;
        },
        getClient,
      ) => {
        const r = await region(getClient);
        await this.enter("ListRecoveryPointsByBackupVault", r);
        this.vaultListings.push({
          ByResourceType: input.ByResourceType,
          ByResourceArn: input.ByResourceArn,
          ByCreatedBefore: input.ByCreatedBefore,
        });
        const primary = this.options.primary;
        const [vaultName, vaultPoints] =
          primary && r === primary.region
            ? [primary.vaultName, primary.points]
            : [this.vaultName, this.options.points];
        const points = filterRecoveryPoints(vaultPoints, {
          resourceType: input.ByResourceType,
          resourceArn: input.ByResourceArn,
          createdBefore: input.ByCreatedBefore ? new Date(input.ByCreatedBefore).getTime() : undefined,
        });
        if (input.BackupVaultName !== vaultName) {
          throw awsError("ResourceNotFoundException", `Backup vault ${input.BackupVaultName} not found`, 404);
        }
        return recoveryPointPage(
          points,
          vaultName,
          input.NextToken,
          Math.min(input.MaxResults ?? 1000, this.options.pageSize ?? 1000),
        );
      },
    );
    mock
      .on(GetRecoveryPointRestoreMetadataCommand)
      .callsFake(async (input: { RecoveryPointArn: string }, getClient) => {
        await this.enter("GetRecoveryPointRestoreMetadata", await region(getClient));
        const point = this.options.points.find((p) => p.recoveryPointArn === input.RecoveryPointArn);
        if (!point) {
          throw awsError("ResourceNotFoundException", "Recovery point not found", 404);
        }
        const name = point.resourceArn.split(/[:/]/).pop() ?? "x";
        return {
          RecoveryPointArn: point.recoveryPointArn,
          ResourceType: point.resourceType,
          RestoreMetadata: point.restoreMetadata ?? defaultRestoreMetadata(point.resourceType, name),
        };
      });
    mock.on(StartRestoreJobCommand).callsFake(
      async (
        input: {
          RecoveryPointArn: string;
          IdempotencyToken?: string;
          Metadata: Record<string, string>;
          CopySourceTagsToRestoredResource?: boolean;
        },
        getClient,
      ) => {
        const callRegion = await region(getClient);
        await this.enter("StartRestoreJob", callRegion);
        this.startClients.add(getClient() as BackupClient);
        this.startCalls.push({
          recoveryPointArn: input.RecoveryPointArn,
          token: input.IdempotencyToken,
          metadata: input.Metadata,
          copySourceTags: input.CopySourceTagsToRestoredResource,
          at: this.options.clock.now(),
        });
        const point = this.options.points.find((p) => p.recoveryPointArn === input.RecoveryPointArn);
        if (!point) {
          throw awsError("ResourceNotFoundException", "Recovery point not found", 404);
        }
        const existing = input.IdempotencyToken
          ? [...this.jobs.values()].find((j) => j.token === input.IdempotencyToken)
          : undefined;
        if (existing) {
          return { RestoreJobId: existing.id, RecoveryPointArn: point.recoveryPointArn };
        }
        const id = `restore-job-${String(this.nextJob++).padStart(4, "0")}`;
        this.jobs.set(id, {
          id,
          token: input.IdempotencyToken,
          point,
          metadata: input.Metadata,
          startedAt: this.options.clock.now(),
          region: callRegion,
        });
        return { RestoreJobId: id, RecoveryPointArn: point.recoveryPointArn };
      },
    );
    mock.on(DescribeRestoreJobCommand).callsFake(async (input: { RestoreJobId: string }, getClient) => {
      await this.enter("DescribeRestoreJob", await region(getClient));
      const job = this.jobs.get(input.RestoreJobId);
      if (!job) {
        throw awsError("ResourceNotFoundException", `Restore job ${input.RestoreJobId} not found`, 404);
      }
      return this.describe(job);
    });
    mock
      .on(ListRestoreJobsCommand)
      .callsFake(
        async (
          input: { ByCreatedAfter?: Date; ByStatus?: string; MaxResults?: number; NextToken?: string },
          getClient,
        ) => {
          await this.enter("ListRestoreJobs", await region(getClient));
          this.listClients.add(getClient() as BackupClient);
          const after = input.ByCreatedAfter ? new Date(input.ByCreatedAfter).getTime() : 0;
          const matching = [...this.jobs.values()]
            .filter((j) => j.startedAt > after)
            .map((j) => this.describe(j))
            .filter((j) => !input.ByStatus || j.Status === input.ByStatus);
          const size = Math.min(input.MaxResults ?? 1000, this.options.pageSize ?? 1000);
          const offset = input.NextToken ? Number(input.NextToken) : 0;
          const next = offset + size < matching.length ? String(offset + size) : undefined;
          return { RestoreJobs: matching.slice(offset, offset + size), NextToken: next };
        },
      );
    const paging = (input: { MaxResults?: number; NextToken?: string }) => ({
      ...input,
      pageCap: this.options.pageSize ?? 1000,
    });
    mock
      .on(ListBackupJobsCommand)
      .callsFake(async (input: JobFilter & { MaxResults?: number; NextToken?: string }, getClient) => {
        await this.enter("ListBackupJobs", await region(getClient));
        const page = jobPage(this.options.backupJobs ?? [], input, paging(input));
        return { BackupJobs: page.items, NextToken: page.NextToken };
      });
    mock
      .on(ListCopyJobsCommand)
      .callsFake(async (input: JobFilter & { MaxResults?: number; NextToken?: string }, getClient) => {
        await this.enter("ListCopyJobs", await region(getClient));
        const page = jobPage(this.options.copyJobs ?? [], input, paging(input));
        return { CopyJobs: page.items, NextToken: page.NextToken };
      });
  }

  private describe(job: SimJob) {
    const duration = job.point.restoreMs ?? 20 * 60_000;
    const elapsed = this.options.clock.now() - job.startedAt;
    const pending = Math.min(duration * 0.1, 60_000);
    const base = {
      RestoreJobId: job.id,
      RecoveryPointArn: job.point.recoveryPointArn,
      CreationDate: new Date(job.startedAt),
      ResourceType: job.point.resourceType,
      // AWS's own estimate, in whole minutes.
      ExpectedCompletionTimeMinutes: Math.max(1, Math.ceil(duration / 60_000)),
    };
    if (elapsed < pending) {
      return { ...base, Status: "PENDING" };
    }
    if (elapsed < duration) {
      return { ...base, Status: "RUNNING", PercentDone: percentText((100 * elapsed) / duration) };
    }
    const outcome = job.point.outcome ?? "COMPLETED";
    return {
      ...base,
      Status: outcome,
      PercentDone: outcome === "COMPLETED" ? "100.00%" : undefined,
      StatusMessage: outcome === "COMPLETED" ? undefined : (job.point.failureMessage ?? "Restore failed"),
      CompletionDate: new Date(job.startedAt + duration),
      CreatedResourceArn: outcome === "COMPLETED" ? this.createdArn(job) : undefined,
    };
  }

  private createdArn(job: SimJob): string {
    const type = job.point.resourceType;
    // A restore creates its resource in the region it runs in (StartRestoreJob is regional).
    return arnOf(type, job.region, restoredId(type, job.id, job.metadata));
  }
}
