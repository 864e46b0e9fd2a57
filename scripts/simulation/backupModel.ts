/** The simulated AWS Backup: vaults, recovery points and jobs per region, answered by both front ends. */
import { BACKUP_DEFAULTS } from "./backupDefaults";
import {
  BackupAndCopyJobs,
  BackupJobRecord,
  CopyJobRecord,
  FakeApiError,
  FakeVault,
  JobScript,
  vaultArn,
} from "./backupJobs";
import { JobFilter, jobPage } from "./jobListing";
import { Reachability } from "./reachability";
import { SimPoint, defaultRestoreMetadata, filterRecoveryPoints, recoveryPointPage } from "./recoveryPoints";
import { RegionSettings, RegionSettingsStore } from "./regionSettings";
import { ResourceStore, restoredId, restoredObjects } from "./resourceStore";
import { restoredDeletionProtection, restoredTags } from "./restoredResources";
import { RestoreJobRecord, RestoreJobs } from "./restoreJobs";
import { DEFAULT_VAULT_LOCK, VaultLock, lockFields } from "./vaultLock";
import {
  IsolatedVaultSeed,
  checkVaultAccount,
  deletionRefusal,
  isolatedVault,
  isolatedVaultFields,
} from "./isolatedVault";

/** Options of {@link BackupModel}; every default is in {@link BACKUP_DEFAULTS}. */
export interface BackupModelOptions {
  /** Time source of every job's progress. */
  readonly now: () => number;
  /** The DR vault's recovery points. Completed backup and copy jobs add to it. */
  readonly points: SimPoint[];
  /** The DR vault. Default {@link BACKUP_DEFAULTS.vaultName}. */
  readonly vaultName?: string;
  /** The DR region. Default {@link BACKUP_DEFAULTS.drRegion}. */
  readonly drRegion?: string;
  /** The primary region. Default {@link BACKUP_DEFAULTS.primaryRegion}. */
  readonly primaryRegion?: string;
  /** The primary vault, in the primary region. Default none. */
  readonly primaryVaultName?: string;
  /** The primary vault's recovery points. Default none. */
  readonly primaryPoints?: SimPoint[];
  /** A logically air-gapped vault in the DR region (isolatedVault.ts), beside the DR vault. Default none. */
  readonly isolatedVault?: IsolatedVaultSeed;
  /**
   * Vault Lock bounds by vault name (`none`: no lock). A vault not named has the project's default lock,
   * {@link DEFAULT_VAULT_LOCK}.
   */
  readonly vaultLocks?: Readonly<Record<string, VaultLock | "none">>;
  /** AWS Backup's settings by region (DescribeRegionSettings), each merged over AWS's defaults. */
  readonly regionSettings?: Readonly<Record<string, RegionSettings>>;
  /** Durations and outcomes of backup and copy jobs. */
  readonly jobScript?: JobScript;
  /** Largest page of every listing, whatever MaxResults says. Default {@link BACKUP_DEFAULTS.pageSize}. */
  readonly pageSize?: number;
  /** Largest page of ListRestoreJobs. Default {@link pageSize}. */
  readonly restoreJobsPageSize?: number;
  /** Largest page of ListBackupJobs and ListCopyJobs. Default {@link pageSize}. */
  readonly jobsPageSize?: number;
  /** Restore job ids by their number. Default {@link BACKUP_DEFAULTS.restoreJobId} (`job-001`). */
  readonly restoreJobId?: (n: number) => string;
  /** The regions' data planes: what backups capture and restores create. Default an empty store. */
  readonly store?: ResourceStore;
  /** Which regions answer (a copy into a region that does not fails). Default every region. */
  readonly reachability?: Reachability;
}

/**
 * AWS Backup, shaped like moto's backends: state and transitions per region (vaults and their recovery
 * points, region settings, restore, backup and copy jobs), no wire format. The HTTP front end
 * (backupService.ts) and the SDK mock of the tests (test/fakes/sdkBackup.ts) parse requests,
 * call it and answer; errors are {@link FakeApiError}s (status, AWS error type, message).
 */
export class BackupModel {
  readonly drRegion: string;
  readonly primaryRegion: string;
  readonly vaultName: string;
  readonly vaults: FakeVault[];
  readonly regionSettings: RegionSettingsStore;
  readonly store: ResourceStore;
  readonly restores: RestoreJobs;
  readonly backupAndCopy: BackupAndCopyJobs;
  private readonly materialized = new Set<string>();

  constructor(private readonly options: BackupModelOptions) {
    this.drRegion = options.drRegion ?? BACKUP_DEFAULTS.drRegion;
    this.primaryRegion = options.primaryRegion ?? BACKUP_DEFAULTS.primaryRegion;
    this.vaultName = options.vaultName ?? BACKUP_DEFAULTS.vaultName;
    this.vaults = [
      {
        region: this.drRegion,
        name: this.vaultName,
        points: options.points,
        lock: this.vaultLock(this.vaultName),
      },
    ];
    if (options.primaryVaultName !== undefined) {
      this.vaults.push({
        region: this.primaryRegion,
        name: options.primaryVaultName,
        points: options.primaryPoints ?? [],
        lock: this.vaultLock(options.primaryVaultName),
      });
    }
    if (options.isolatedVault !== undefined) {
      this.vaults.push(isolatedVault(this.drRegion, options.isolatedVault));
    }
    this.regionSettings = new RegionSettingsStore(options.regionSettings);
    this.store = options.store ?? new ResourceStore(options.now);
    this.restores = new RestoreJobs({
      now: options.now,
      findPoint: (region, arn) =>
        this.vaults
          .filter((v) => v.region === region)
          .flatMap((v) => v.points)
          .find((p) => p.recoveryPointArn === arn),
      restoreJobId: options.restoreJobId,
    });
    this.backupAndCopy = new BackupAndCopyJobs({
      now: options.now,
      store: this.store,
      vaults: this.vaults,
      reachability: options.reachability ?? new Reachability(options.now, []),
      script: options.jobScript ?? {},
      regionSettings: this.regionSettings,
    });
  }

  /** The Vault Lock of the vault `name` (of any region), or undefined when it has none. */
  vaultLock(name: string): VaultLock | undefined {
    const lock = this.options.vaultLocks?.[name] ?? DEFAULT_VAULT_LOCK;
    return lock === "none" ? undefined : lock;
  }

  /**
   * Puts a Vault Lock on the vault `name` of `region` (`none`: removes it), as PutBackupVaultLockConfiguration
   * does to a governance lock at any time (API_PutBackupVaultLockConfiguration.html): jobs started from
   * now on are judged by it, and DescribeBackupVault answers it.
   */
  putVaultLock(region: string, name: string, lock: VaultLock | "none"): void {
    this.vault(region, name).lock = lock === "none" ? undefined : lock;
  }

  private pageCap(kind: "restoreJobs" | "jobs" | "points"): number {
    const all = this.options.pageSize ?? BACKUP_DEFAULTS.pageSize;
    return kind === "restoreJobs"
      ? (this.options.restoreJobsPageSize ?? all)
      : kind === "jobs"
        ? (this.options.jobsPageSize ?? all)
        : all;
  }

  /** The vault `name` of `region`, or undefined. */
  findVault(region: string, name: string): FakeVault | undefined {
    return this.vaults.find((v) => v.region === region && v.name === name);
  }

  private vault(region: string, name: string): FakeVault {
    const vault = this.findVault(region, name);
    if (!vault) {
      throw new FakeApiError(404, "ResourceNotFoundException", `Backup vault ${name} not found`);
    }
    return vault;
  }

  /**
   * DescribeBackupVault in `region`: its ARN, its recovery points' count, its Vault Lock and, for a LAG vault,
   * its type and state (isolatedVault.ts). `accountId` is the call's BackupVaultAccountId.
   */
  describeVault(region: string, name: string, accountId?: string) {
    checkVaultAccount(this.findVault(region, name), name, accountId);
    const vault = this.vault(region, name);
    return {
      BackupVaultName: vault.name,
      BackupVaultArn: vaultArn(region, vault.name, vault.ownerAccount),
      NumberOfRecoveryPoints: vault.points.length,
      ...isolatedVaultFields(vault),
      ...lockFields(vault.lock),
    };
  }

  /**
   * DeleteRecoveryPoint in `region` (API_DeleteRecoveryPoint.html): the point leaves the vault's listing;
   * refused for every caller in a LAG vault (isolatedVault.ts deletionRefusal). AWS deletes in the
   * background (the point shows DELETING first, RecoveryPointStatus); the fake removes it at once.
   */
  deleteRecoveryPoint(region: string, name: string, recoveryPointArn: string): void {
    const vault = this.vault(region, name);
    const index = vault.points.findIndex((p) => p.recoveryPointArn === recoveryPointArn);
    if (index < 0) {
      throw new FakeApiError(
        404,
        "ResourceNotFoundException",
        `Recovery point ${recoveryPointArn} not found`,
      );
    }
    const refusal = deletionRefusal(vault, recoveryPointArn);
    if (refusal) {
      throw refusal;
    }
    vault.points.splice(index, 1);
  }

  /**
   * ListRecoveryPointsByBackupVault in `region` (API_ListRecoveryPointsByBackupVault.html): filtered by
   * ByResourceType, ByResourceArn and ByCreatedBefore, in pages of MaxResults (1-1000), at most the cap.
   */
  listRecoveryPoints(
    region: string,
    name: string,
    filter: { resourceType?: string; resourceArn?: string; createdBefore?: number; accountId?: string },
    paging: { MaxResults?: number; NextToken?: string },
  ) {
    checkVaultAccount(this.findVault(region, name), name, filter.accountId);
    const vault = this.vault(region, name);
    return recoveryPointPage(
      filterRecoveryPoints(vault.points, filter),
      vault.name,
      paging.NextToken,
      Math.min(paging.MaxResults ?? 1000, this.pageCap("points")),
    );
  }

  /** GetRecoveryPointRestoreMetadata: the point's, or what AWS answers for its resource type. */
  restoreMetadata(region: string, vaultName: string, arn: string, accountId?: string) {
    checkVaultAccount(this.findVault(region, vaultName), vaultName, accountId);
    const point = this.findVault(region, vaultName)?.points.find((p) => p.recoveryPointArn === arn);
    if (!point) {
      throw new FakeApiError(404, "ResourceNotFoundException", "Recovery point not found");
    }
    return {
      RecoveryPointArn: point.recoveryPointArn,
      ResourceType: point.resourceType,
      RestoreMetadata:
        point.restoreMetadata ??
        defaultRestoreMetadata(point.resourceType, point.resourceArn.split(/[:/]/).pop() ?? "x"),
    };
  }

  /** ListRestoreJobs in `region`, in pages of at most the restore jobs' cap. */
  listRestoreJobs(region: string, filter: JobFilter, paging: { MaxResults?: number; NextToken?: string }) {
    return this.page(this.restores.list(region), filter, paging, "RestoreJobs", "restoreJobs");
  }

  /** ListBackupJobs in `region` (API_ListBackupJobs.html). */
  listBackupJobs(region: string, filter: JobFilter, paging: { MaxResults?: number; NextToken?: string }) {
    return this.page(this.backupAndCopy.listBackups(region), filter, paging, "BackupJobs", "jobs");
  }

  /** ListCopyJobs in `region` (API_ListCopyJobs.html). */
  listCopyJobs(region: string, filter: JobFilter, paging: { MaxResults?: number; NextToken?: string }) {
    return this.page(this.backupAndCopy.listCopies(region), filter, paging, "CopyJobs", "jobs");
  }

  /** One page of a job listing under `key`; a MaxResults outside 1-1000 is an InvalidParameterValueException. */
  private page<T extends BackupJobRecord | CopyJobRecord | RestoreJobRecord, K extends string>(
    records: T[],
    filter: JobFilter,
    paging: { MaxResults?: number; NextToken?: string },
    key: K,
    cap: "restoreJobs" | "jobs",
  ): Record<K, T[]> & { NextToken?: string } {
    try {
      const page = jobPage(records, filter, { ...paging, pageCap: this.pageCap(cap) });
      return { [key]: page.items, NextToken: page.NextToken } as Record<K, T[]> & { NextToken?: string };
    } catch (err) {
      throw new FakeApiError(400, "InvalidParameterValueException", (err as Error).message);
    }
  }

  /**
   * Brings the regions up to the clock: what completed restore jobs created appears in the data planes
   * (with the state their recovery point captured; an S3 restore into an existing bucket adds the
   * objects to it), and completed backup and copy jobs add their recovery points.
   */
  settle(): void {
    for (const [id, job] of this.restores.jobs) {
      if (this.materialized.has(id) || this.restores.peek(id)?.Status !== "COMPLETED") {
        continue;
      }
      this.materialized.add(id);
      const type = job.point.resourceType;
      const name = restoredId(type, id, job.metadata);
      const existing = type === "S3" ? this.store.bucket(name) : this.store.find(job.region, [type], name);
      const restoredAt = this.restores.peek(id)?.CompletionDate?.getTime() ?? this.store.nowMs();
      const state = type === "S3" ? restoredObjects(job.point.state, restoredAt) : job.point.state;
      if (existing) {
        for (const [key, object] of Object.entries(state?.objects ?? {})) {
          existing.objects.set(key, object);
        }
        continue;
      }
      this.store.add({
        type,
        id: name,
        region: job.region,
        metadata: job.metadata,
        state,
        restoreJobId: id,
        tags: restoredTags(type, job.point.tags, job.copySourceTags),
        settings: { deletionProtection: restoredDeletionProtection(type, job.metadata) },
      });
    }
    this.backupAndCopy.settle();
  }
}
