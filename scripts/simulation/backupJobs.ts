/** AWS Backup's backup and copy jobs of every region: start, progress with the clock, their recovery points. */
import { createHash } from "crypto";
import { ACCOUNT } from "./fixtures";
import { isolatedCopyFailure } from "./isolatedCopyRule";
import { Reachability } from "./reachability";
import { RegionSettingsStore } from "./regionSettings";
import { ResourceState, ResourceStore } from "./resourceStore";
import { BACKUP_DEFAULTS, pendingMs } from "./backupDefaults";
import { SimJobRecord, percentText } from "./jobListing";
import { SimPoint, defaultRestoreMetadata } from "./recoveryPoints";
import { JobLifecycle, VaultLock, vaultLockFailure } from "./vaultLock";

/** A backup vault of one region of the fake. */
export interface FakeVault {
  readonly region: string;
  readonly name: string;
  /** Its recovery points; completed backup and copy jobs add theirs. */
  readonly points: SimPoint[];
  /**
   * Its Vault Lock: jobs into it whose retention is outside the bounds fail. Default none. A governance
   * lock may be changed at any time (API_PutBackupVaultLockConfiguration.html), hence not readonly.
   */
  lock?: VaultLock;
  /**
   * `LOGICALLY_AIR_GAPPED_BACKUP_VAULT` for a LAG vault (isolatedVault.ts: its lock is compliance mode, its
   * points cannot be deleted); absent for a standard backup vault.
   */
  readonly type?: "LOGICALLY_AIR_GAPPED_BACKUP_VAULT";
  /**
   * The account that owns it when it is not the caller's: a LAG vault another account shares with this one
   * through AWS RAM (isolatedVault.ts:checkVaultAccount). Default the fake's account, {@link ACCOUNT}.
   */
  readonly ownerAccount?: string;
}

/** The ARN of a backup vault. */
export function vaultArn(region: string, name: string, account = ACCOUNT): string {
  return `arn:aws:backup:${region}:${account}:backup-vault:${name}`;
}

/** An AWS error answer of the fake: HTTP status, error type (`x-amzn-errortype`) and message. */
export class FakeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** A final state other than COMPLETED that a scenario gives a job. */
export interface ScriptedOutcome {
  readonly state: "FAILED" | "ABORTED";
  readonly message?: string;
}

/** How the fake's backup and copy jobs behave. Every duration is in clock milliseconds. */
export interface JobScript {
  /** How long a backup job takes, by the resource's ARN. Default 10 minutes. */
  readonly backupMs?: number | ((resourceArn: string) => number);
  /** How long a copy job takes, by the source recovery point's resource ARN. Default 15 minutes. */
  readonly copyMs?: number | ((resourceArn: string) => number);
  /** How long a restore of a point made by a backup or copy job takes. Default {@link BACKUP_DEFAULTS.restoreMs}. */
  readonly restoreMs?: number | ((resourceArn: string) => number);
  /** A backup job's end other than COMPLETED; `attempt` counts the jobs of that resource, from 1. */
  readonly backupOutcome?: (job: { resourceArn: string; attempt: number }) => ScriptedOutcome | undefined;
  /** A copy job's end other than COMPLETED; `attempt` counts the copies of that point, from 1. */
  readonly copyOutcome?: (job: { recoveryPointArn: string; attempt: number }) => ScriptedOutcome | undefined;
  /**
   * Length of a backup or copy job that has a COMPLETED predecessor (the same resource into the same
   * vault), as a fraction of the full length: AWS's EBS, EFS and RDS backups and cross-Region copies are
   * incremental after the first. Default 1 (every job as long as the first).
   */
  readonly incrementalFactor?: number;
  /**
   * How long an idempotency token names the same job. AWS documents the token ("retrying a successful
   * request with the same idempotency token results in a success message with no action taken") but
   * not how long it is remembered. Default 24 hours.
   */
  readonly idempotencyWindowMs?: number;
  /**
   * The id of the `n`-th backup or copy job (each kind counted from 1); `backupPlanId` is set for a job a
   * backup plan started. Default a UUID-shaped id derived from the kind and `n` (AWS documents the ids as
   * opaque strings: API_StartBackupJob.html, API_StartCopyJob.html).
   */
  readonly jobId?: (job: { kind: "backup" | "copy"; n: number; backupPlanId?: string }) => string;
}

const MIN = 60_000;

interface JobTimes {
  readonly createdAt: number;
  readonly durationMs: number;
  readonly outcome?: ScriptedOutcome;
  /** A failure decided at the start (the target vault's lock), from the moment `at`. */
  readonly failure?: { readonly at: number; readonly message: string };
}

interface BackupJob extends JobTimes {
  readonly id: string;
  readonly region: string;
  readonly vaultName: string;
  readonly resourceArn: string;
  readonly resourceType: string;
  readonly iamRoleArn: string;
  readonly recoveryPointArn: string;
  /** The backup plan that started it; undefined for an on-demand job (StartBackupJob). */
  readonly backupPlanId?: string;
  /** The resource as it was when the job started; undefined when there was no such resource. */
  readonly captured?: {
    readonly state: ResourceState;
    readonly metadata: Record<string, string>;
    /** The resource's tags, which AWS Backup copies to the recovery point (tags-on-backups.html). */
    readonly tags: Readonly<Record<string, string>>;
  };
  settled: boolean;
}

interface CopyJob extends JobTimes {
  readonly id: string;
  readonly region: string;
  readonly sourceVaultName: string;
  readonly point: SimPoint;
  readonly destinationVaultArn: string;
  readonly destinationRegion: string;
  readonly destinationVaultName: string;
  readonly destinationPointArn: string;
  readonly iamRoleArn: string;
  settled: boolean;
}

/** A backup job as DescribeBackupJob and ListBackupJobs answer it. */
export type BackupJobRecord = SimJobRecord & Record<string, unknown> & { BackupJobId: string; State: string };
/** A copy job as DescribeCopyJob and ListCopyJobs answer it. */
export type CopyJobRecord = SimJobRecord & Record<string, unknown> & { CopyJobId: string; State: string };

/** The resource type AWS Backup names for a resource ARN. */
export function resourceTypeOf(arn: string): string | undefined {
  const m = /^arn:aws:([a-z0-9-]+):([a-z0-9-]*):\d*:([a-z-]+)[:/]/.exec(arn);
  if (!m) {
    return undefined;
  }
  const key = `${m[1]}:${m[3]}`;
  return {
    "rds:db": "RDS",
    "rds:cluster": "Aurora",
    "ec2:instance": "EC2",
    "ec2:volume": "EBS",
    "dynamodb:table": "DynamoDB",
    "elasticfilesystem:file-system": "EFS",
  }[key];
}

const regionOf = (arn: string) => (arn.startsWith("arn:aws:s3:::") ? undefined : arn.split(":")[3]);

const pick = <T>(value: number | ((key: T) => number) | undefined, key: T, fallback: number) =>
  typeof value === "function" ? value(key) : (value ?? fallback);

/**
 * AWS Backup's backup and copy jobs in every region of the fake. A backup job captures its resource as it
 * is at the start (writes after that are not in the recovery point), goes CREATED -> RUNNING ->
 * COMPLETED (or the scripted FAILED/ABORTED), and its recovery point appears in the vault when it
 * completes. A copy job goes CREATED -> RUNNING -> COMPLETED and puts a copy of the point in the
 * destination vault, or FAILS from the moment the destination region does not answer. Jobs progress
 * with the clock; {@link settle} adds the points of the jobs completed so far.
 */
export class BackupAndCopyJobs {
  private readonly backups: BackupJob[] = [];
  private readonly copies: CopyJob[] = [];
  /** Jobs started of each kind: the number of the next one's id. */
  private readonly started = { backup: 0, copy: 0 };
  private readonly tokens = new Map<string, Array<{ input: string; id: string; at: number }>>();
  /** Jobs AWS ran before the scenario, by region: listed as they are, never progressing. */
  private readonly seededBackups: Array<{ region: string; record: BackupJobRecord }> = [];
  private readonly seededCopies: Array<{ region: string; record: CopyJobRecord }> = [];

  constructor(
    private readonly deps: {
      readonly now: () => number;
      readonly store: ResourceStore;
      readonly vaults: FakeVault[];
      readonly reachability: Reachability;
      readonly script: JobScript;
      readonly regionSettings: RegionSettingsStore;
    },
  ) {}

  private vault(region: string, name: string): FakeVault {
    const vault = this.deps.vaults.find((v) => v.region === region && v.name === name);
    if (!vault) {
      throw new FakeApiError(404, "ResourceNotFoundException", `Backup vault ${name} not found in ${region}`);
    }
    return vault;
  }

  /** The job an idempotency token already names for the same input, within the window. */
  private idempotent(token: string | undefined, input: string): string | undefined {
    const window = this.deps.script.idempotencyWindowMs ?? 24 * 60 * MIN;
    return token
      ? this.tokens.get(token)?.find((t) => t.input === input && this.deps.now() - t.at <= window)?.id
      : undefined;
  }

  private remember(token: string | undefined, input: string, id: string): void {
    if (token) {
      this.tokens.set(token, [...(this.tokens.get(token) ?? []), { input, id, at: this.deps.now() }]);
    }
  }

  /** The share of a job's full length it takes: {@link JobScript.incrementalFactor} after a completed one. */
  private incremental<T>(earlier: T[], state: (job: T) => string): number {
    return earlier.some((j) => state(j) === "COMPLETED") ? (this.deps.script.incrementalFactor ?? 1) : 1;
  }

  /** Jobs already run in `region` before the scenario: ListBackupJobs and ListCopyJobs list them. */
  seed(
    region: string,
    jobs: { backups?: readonly BackupJobRecord[]; copies?: readonly CopyJobRecord[] },
  ): void {
    this.seededBackups.push(...(jobs.backups ?? []).map((record) => ({ region, record })));
    this.seededCopies.push(...(jobs.copies ?? []).map((record) => ({ region, record })));
  }

  /** StartBackupJob in `region`. */
  startBackup(
    region: string,
    input: {
      BackupVaultName: string;
      ResourceArn: string;
      IamRoleArn: string;
      IdempotencyToken?: string;
      Lifecycle?: JobLifecycle;
    },
    /** The backup plan starting it (backupPlan.ts); undefined: an on-demand StartBackupJob. */
    backupPlanId?: string,
  ): { BackupJobId: string; RecoveryPointArn: string; CreationDate: Date; IsParent: boolean } {
    for (const field of ["BackupVaultName", "ResourceArn", "IamRoleArn"] as const) {
      if (!input[field]) {
        throw new FakeApiError(400, "MissingParameterValueException", `${field} is required`);
      }
    }
    const key = JSON.stringify([input.BackupVaultName, input.ResourceArn, input.IamRoleArn]);
    const same = this.idempotent(input.IdempotencyToken, key);
    const existing = same ? this.backups.find((j) => j.id === same) : undefined;
    if (existing) {
      return this.startAnswer(existing);
    }
    const vault = this.vault(region, input.BackupVaultName);
    const type = input.ResourceArn.startsWith("arn:aws:s3:::") ? "S3" : resourceTypeOf(input.ResourceArn);
    if (!type) {
      throw new FakeApiError(400, "InvalidParameterValueException", `Invalid ARN ${input.ResourceArn}`);
    }
    const resource = this.deps.store.byArn(input.ResourceArn);
    const resourceRegion = type === "S3" ? resource?.region : regionOf(input.ResourceArn);
    if (resourceRegion !== undefined && resourceRegion !== region) {
      throw new FakeApiError(
        400,
        "InvalidParameterValueException",
        `Resource ${input.ResourceArn} is in ${resourceRegion}; a backup job in ${region} backs up resources of ${region} only`,
      );
    }
    const id = this.nextId("backup", backupPlanId);
    const attempt = this.backups.filter((j) => j.resourceArn === input.ResourceArn).length + 1;
    const lockFailure = vaultLockFailure(vault.name, vault.lock, input.Lifecycle);
    const job: BackupJob = {
      id,
      region,
      vaultName: input.BackupVaultName,
      resourceArn: input.ResourceArn,
      resourceType: type,
      iamRoleArn: input.IamRoleArn,
      // Without advanced DynamoDB backup in the region, a table's backup is DynamoDB's own, named by
      // DynamoDB: with it, "the beginning of each ARN will change from arn:aws:dynamodb to arn:aws:backup"
      // (developer guide, "Advanced DynamoDB backup").
      backupPlanId,
      recoveryPointArn:
        type === "DynamoDB" && !this.deps.regionSettings.dynamoDbManaged(region)
          ? `${input.ResourceArn}/backup/${createHash("sha256").update(id).digest("hex").slice(0, 26)}`
          : pointArn(region, id),
      createdAt: this.deps.now(),
      // When the vault fails the job is not documented: from its start (unsourced guess).
      failure: lockFailure ? { at: this.deps.now(), message: lockFailure } : undefined,
      durationMs:
        pick(this.deps.script.backupMs, input.ResourceArn, 10 * MIN) *
        this.incremental(
          this.backups.filter(
            (j) => j.resourceArn === input.ResourceArn && j.vaultName === input.BackupVaultName,
          ),
          (j) => this.backupRecord(j).State,
        ),
      outcome: resource
        ? this.deps.script.backupOutcome?.({ resourceArn: input.ResourceArn, attempt })
        : { state: "FAILED", message: `Resource ${input.ResourceArn} not found` },
      captured: resource
        ? {
            state: this.deps.store.snapshot(resource),
            tags: { ...resource.tags },
            metadata: Object.keys(resource.metadata).length
              ? resource.metadata
              : defaultRestoreMetadata(type, resource.id),
          }
        : undefined,
      settled: false,
    };
    this.backups.push(job);
    this.remember(input.IdempotencyToken, key, id);
    return this.startAnswer(job);
  }

  private startAnswer(job: BackupJob) {
    return {
      BackupJobId: job.id,
      RecoveryPointArn: job.recoveryPointArn,
      CreationDate: new Date(job.createdAt),
      IsParent: false,
    };
  }

  /** The id of the next job of `kind`: {@link JobScript.jobId}, or a UUID-shaped one. */
  private nextId(kind: "backup" | "copy", backupPlanId?: string): string {
    const n = ++this.started[kind];
    return this.deps.script.jobId?.({ kind, n, backupPlanId }) ?? jobId(kind, n);
  }

  /**
   * Removes the job `id` as if AWS had never started it (a scenario's crash before AWS took the call);
   * the ids of later jobs are not reused. Not an AWS operation.
   */
  forget(id: string): void {
    for (const jobs of [this.backups, this.copies] as Array<Array<{ id: string }>>) {
      const at = jobs.findIndex((j) => j.id === id);
      if (at >= 0) {
        jobs.splice(at, 1);
      }
    }
  }

  /** DescribeBackupJob in `region`. */
  describeBackup(region: string, id: string): BackupJobRecord {
    const job = this.backups.find((j) => j.id === id && j.region === region);
    if (!job) {
      throw new FakeApiError(404, "ResourceNotFoundException", `Backup job ${id} not found`);
    }
    return this.backupRecord(job);
  }

  /** Every backup job of `region`, as ListBackupJobs lists them. */
  listBackups(region: string): BackupJobRecord[] {
    return [
      ...this.seededBackups.filter((j) => j.region === region).map((j) => j.record),
      ...this.backups.filter((j) => j.region === region).map((j) => this.backupRecord(j)),
    ];
  }

  private backupRecord(job: BackupJob): BackupJobRecord {
    const progress = this.progress(job, job.failure);
    return {
      AccountId: ACCOUNT,
      BackupJobId: job.id,
      BackupVaultName: job.vaultName,
      BackupVaultArn: vaultArn(job.region, job.vaultName),
      ResourceArn: job.resourceArn,
      ResourceType: job.resourceType,
      ResourceName: job.resourceArn.split(/[:/]/).pop(),
      IamRoleArn: job.iamRoleArn,
      CreationDate: new Date(job.createdAt),
      StartBy: new Date(job.createdAt + 8 * 60 * MIN),
      BackupType: "",
      // "Contains identifying information about the creation of a backup job, including the BackupPlanArn,
      // BackupPlanId, BackupPlanVersion, and BackupRuleId of the backup plan" (API_BackupJob.html, CreatedBy).
      ...(job.backupPlanId ? { CreatedBy: { BackupPlanId: job.backupPlanId } } : {}),
      ...(progress.State === "COMPLETED" ? { RecoveryPointArn: job.recoveryPointArn } : {}),
      ...progress,
    };
  }

  /**
   * StartCopyJob in `region` (the source vault's); `startedAt` (default now) dates a copy a backup plan's
   * copy action started when its backup completed (backupPlan.ts).
   */
  startCopy(
    region: string,
    input: {
      RecoveryPointArn: string;
      SourceBackupVaultName: string;
      DestinationBackupVaultArn: string;
      IamRoleArn: string;
      IdempotencyToken?: string;
      Lifecycle?: JobLifecycle;
    },
    startedAt = this.deps.now(),
  ): { CopyJobId: string; CreationDate: Date; IsParent: boolean } {
    for (const field of [
      "RecoveryPointArn",
      "SourceBackupVaultName",
      "DestinationBackupVaultArn",
      "IamRoleArn",
    ] as const) {
      if (!input[field]) {
        throw new FakeApiError(400, "MissingParameterValueException", `${field} is required`);
      }
    }
    const key = JSON.stringify([
      input.RecoveryPointArn,
      input.SourceBackupVaultName,
      input.DestinationBackupVaultArn,
      input.IamRoleArn,
    ]);
    const same = this.idempotent(input.IdempotencyToken, key);
    const existing = same ? this.copies.find((j) => j.id === same) : undefined;
    if (existing) {
      return { CopyJobId: existing.id, CreationDate: new Date(existing.createdAt), IsParent: false };
    }
    const source = this.vault(region, input.SourceBackupVaultName);
    const point = source.points.find((p) => p.recoveryPointArn === input.RecoveryPointArn);
    if (!point) {
      throw new FakeApiError(
        404,
        "ResourceNotFoundException",
        `Recovery point ${input.RecoveryPointArn} not found in ${input.SourceBackupVaultName}`,
      );
    }
    const destination = /^arn:aws:backup:([a-z0-9-]+):\d{12}:backup-vault:(.+)$/.exec(
      input.DestinationBackupVaultArn,
    );
    if (!destination) {
      throw new FakeApiError(
        400,
        "InvalidParameterValueException",
        `Invalid DestinationBackupVaultArn ${input.DestinationBackupVaultArn}`,
      );
    }
    const id = this.nextId("copy");
    const attempt = this.copies.filter((j) => j.point === point).length + 1;
    const target = this.deps.vaults.find((v) => v.region === destination[1] && v.name === destination[2]);
    const failure =
      (target?.type === "LOGICALLY_AIR_GAPPED_BACKUP_VAULT" ? isolatedCopyFailure(point) : undefined) ??
      (target && vaultLockFailure(target.name, target.lock, input.Lifecycle)) ??
      notCopyable(point, region, destination[1]);
    const job: CopyJob = {
      id,
      region,
      sourceVaultName: source.name,
      point,
      destinationVaultArn: input.DestinationBackupVaultArn,
      destinationRegion: destination[1],
      destinationVaultName: destination[2],
      destinationPointArn: pointArn(destination[1], id),
      iamRoleArn: input.IamRoleArn,
      createdAt: startedAt,
      durationMs:
        pick(this.deps.script.copyMs, point.resourceArn, 15 * MIN) *
        this.incremental(
          this.copies.filter(
            (j) =>
              j.point.resourceArn === point.resourceArn &&
              j.destinationVaultArn === input.DestinationBackupVaultArn,
          ),
          (j) => this.copyRecord(j).State,
        ),
      outcome: this.deps.script.copyOutcome?.({ recoveryPointArn: point.recoveryPointArn, attempt }),
      // When the destination vault's lock fails the job is not documented: from its start (unsourced guess).
      failure: failure ? { at: startedAt, message: failure } : undefined,
      settled: false,
    };
    this.copies.push(job);
    this.remember(input.IdempotencyToken, key, id);
    return { CopyJobId: id, CreationDate: new Date(job.createdAt), IsParent: false };
  }

  /** DescribeCopyJob in `region`. */
  describeCopy(region: string, id: string): CopyJobRecord {
    const job = this.copies.find((j) => j.id === id && j.region === region);
    if (!job) {
      throw new FakeApiError(404, "ResourceNotFoundException", `Copy job ${id} not found`);
    }
    return this.copyRecord(job);
  }

  /** Every copy job started in `region`, as ListCopyJobs lists them. */
  listCopies(region: string): CopyJobRecord[] {
    return [
      ...this.seededCopies.filter((j) => j.region === region).map((j) => j.record),
      ...this.copies.filter((j) => j.region === region).map((j) => this.copyRecord(j)),
    ];
  }

  private copyRecord(job: CopyJob): CopyJobRecord {
    // AWS's CopyJob has no PercentDone.
    const { PercentDone: _percent, ...progress } = this.progress(job, this.copyFailure(job));
    return {
      AccountId: ACCOUNT,
      CopyJobId: job.id,
      SourceBackupVaultArn: vaultArn(job.region, job.sourceVaultName),
      SourceRecoveryPointArn: job.point.recoveryPointArn,
      DestinationBackupVaultArn: job.destinationVaultArn,
      ResourceArn: job.point.resourceArn,
      ResourceType: job.point.resourceType,
      IamRoleArn: job.iamRoleArn,
      CreationDate: new Date(job.createdAt),
      ...(progress.State === "COMPLETED" ? { DestinationRecoveryPointArn: job.destinationPointArn } : {}),
      ...progress,
    };
  }

  /**
   * Why a copy fails on its own: decided at its start (the destination vault's lock, a point that cannot
   * be copied), the destination region stops answering, or has no such vault.
   */
  private copyFailure(job: CopyJob): { at: number; message: string } | undefined {
    if (job.failure) {
      return job.failure;
    }
    const end = job.createdAt + job.durationMs;
    const down = this.deps.reachability.firstDown(
      job.destinationRegion,
      job.createdAt,
      Math.min(this.deps.now(), end),
    );
    if (down !== undefined) {
      return {
        at: down,
        message: `Copy job failed: the destination Region ${job.destinationRegion} is unavailable`,
      };
    }
    const known = this.deps.vaults.some(
      (v) => v.region === job.destinationRegion && v.name === job.destinationVaultName,
    );
    return known
      ? undefined
      : { at: end, message: `Destination backup vault ${job.destinationVaultArn} not found` };
  }

  /**
   * State at the clock's time: CREATED for the first tenth (at most a minute), then RUNNING with
   * PercentDone, then the outcome; a failure of its own (`failure`) ends it from that moment.
   */
  private progress(job: JobTimes, failure: { at: number; message: string } | undefined) {
    const now = this.deps.now();
    const end = job.createdAt + job.durationMs;
    const ended = (state: string, at: number, message?: string) => ({
      State: state,
      CompletionDate: new Date(at),
      ...(message ? { StatusMessage: message } : {}),
      PercentDone: percentText(state === "COMPLETED" ? 100 : (100 * (at - job.createdAt)) / job.durationMs),
    });
    if (failure && failure.at <= now) {
      return ended("FAILED", failure.at, failure.message);
    }
    if (now < job.createdAt + pendingMs(job.durationMs)) {
      return { State: "CREATED", PercentDone: percentText(0) };
    }
    if (now < end) {
      return { State: "RUNNING", PercentDone: percentText((100 * (now - job.createdAt)) / job.durationMs) };
    }
    return job.outcome
      ? ended(job.outcome.state, end, job.outcome.message ?? `${job.outcome.state} as scripted`)
      : ended("COMPLETED", end);
  }

  /** Adds the recovery points of the jobs that have completed since the last call. */
  settle(): void {
    const restoreMs = (arn: string) => pick(this.deps.script.restoreMs, arn, BACKUP_DEFAULTS.restoreMs);
    for (const job of this.backups.filter((j) => !j.settled)) {
      const record = this.backupRecord(job);
      if (record.State === "CREATED" || record.State === "RUNNING") {
        continue;
      }
      job.settled = true;
      if (record.State === "COMPLETED" && job.captured) {
        this.vault(job.region, job.vaultName).points.push({
          recoveryPointArn: job.recoveryPointArn,
          resourceArn: job.resourceArn,
          resourceType: job.resourceType,
          creationDate: new Date(job.createdAt),
          status: "COMPLETED",
          restoreMetadata: job.captured.metadata,
          state: job.captured.state,
          tags: job.captured.tags,
          restoreMs: restoreMs(job.resourceArn),
        });
      }
    }
    for (const job of this.copies.filter((j) => !j.settled)) {
      const record = this.copyRecord(job);
      if (record.State === "CREATED" || record.State === "RUNNING") {
        continue;
      }
      job.settled = true;
      if (record.State === "COMPLETED") {
        this.vault(job.destinationRegion, job.destinationVaultName).points.push({
          ...job.point,
          recoveryPointArn: job.destinationPointArn,
          creationDate: new Date(job.createdAt),
          status: "COMPLETED",
          sourceBackupVaultArn: vaultArn(job.region, job.sourceVaultName),
          restoreMs: job.point.restoreMs ?? restoreMs(job.point.resourceArn),
        });
      }
    }
  }
}

/**
 * Why a recovery point cannot be copied to another region, or undefined: a DynamoDB backup AWS Backup does
 * not manage (taken without advanced DynamoDB backup in its region) has no cross-Region copy, an advanced
 * feature (developer guide, "Advanced DynamoDB backup": "When you create a DynamoDB backup after you enable
 * AWS Backup advanced features, you can use AWS Backup to: Copy a backup across Regions"). That the copy
 * job fails rather than its start being refused is an unsourced guess; the message is the fake's own.
 */
function notCopyable(point: SimPoint, region: string, destinationRegion: string): string | undefined {
  return point.resourceType === "DynamoDB" &&
    point.recoveryPointArn.startsWith("arn:aws:dynamodb:") &&
    destinationRegion !== region
    ? `Recovery point ${point.recoveryPointArn} is a DynamoDB backup AWS Backup does not manage (advanced DynamoDB backup was off in ${region} when it was taken): it cannot be copied to ${destinationRegion}`
    : undefined;
}

function jobId(kind: string, n: number): string {
  const hash = createHash("sha256").update(`${kind}-${n}`).digest("hex").toUpperCase();
  return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-${hash.slice(12, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 32)}`;
}

function pointArn(region: string, jobId: string): string {
  return `arn:aws:backup:${region}:${ACCOUNT}:recovery-point:${createHash("sha256").update(jobId).digest("hex").slice(0, 32)}`;
}
