import {
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  StartBackupJobCommand,
  StartCopyJobCommand,
} from "@aws-sdk/client-backup";
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import { CopyObjectCommand, ListObjectVersionsCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { MetadataBearer } from "@smithy/types";
import { AwsStub, mockClient } from "aws-sdk-client-mock";
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeScalingActivitiesCommand,
} from "@aws-sdk/client-auto-scaling";
import { loadBalancerAddresses } from "../../scripts/simulation/dnsResolver";
import { ACCOUNT, DR_OUTPUTS, PROD_OUTPUTS } from "../../scripts/simulation/fixtures";
import { SimPoint } from "../../scripts/simulation/recoveryPoints";
import { awsError } from "./sdkBackup";
import { JobLifecycle, VaultLock, vaultLockFailure } from "../../scripts/simulation/vaultLock";
import { Harness } from "./harness";

type Filter = { Name: string; Values: string[] };
type AnyStub = AwsStub<object, MetadataBearer, object>;

interface Job {
  readonly id: string;
  readonly kind: "backup" | "copy";
  readonly token?: string;
  readonly resourceArn: string;
  readonly sourcePoint?: string;
  readonly resourceType: string;
  readonly createdAt: number;
  readonly durationMs: number;
  readonly fails: boolean;
  /** The target vault's lock fails it from its start (scripts/simulation/vaultLock.ts). */
  readonly lockFailure?: string;
  readonly point: string;
  /** The vault a backup job backs up into. */
  readonly vaultName?: string;
  /** The backup plan that created it (a scheduled job), or undefined for an on-demand job. */
  readonly planId?: string;
}

/** Options of {@link FailbackAws}. */
export interface FailbackAwsOptions {
  /** Duration of each backup and copy job. Default 5 minutes. */
  readonly jobMs?: number;
  /** Dr servers still in service for this many DescribeInstances calls after the first. Default 1. */
  readonly serversFor?: number;
  /** Objects of the DR bucket: key -> minutes after the recovery started (negative: before). */
  readonly drObjects?: Record<string, number>;
  /** Objects already in the source bucket: key -> minutes after the recovery started. */
  readonly sourceObjects?: Record<string, number>;
  /** The n-th StartCopyJob (1-based) makes a job that fails. */
  readonly failCopy?: number;
  /** The prod stack's config now: its servers are held at zero while `holdServers` is true. Default: never held. */
  readonly prodConfig?: () => Record<string, string>;
  /**
   * DescribeAutoScalingGroups calls after prod-data during which one old server (launch template version 1)
   * stays InService beside the new ones, as a rolling refresh keeps it. Default 0.
   */
  readonly oldServerFor?: number;
  /** DNS queries of the public name after the switch's first 0 that still answer DR's addresses. Default 0; Infinity: never moves. */
  readonly dnsLagQueries?: number;
  /**
   * PutMetricData answers but its data points never reach the switch's alarm, which stays ALARM (as when
   * a point is published to the wrong region or dimension). Default false.
   */
  readonly dropSwitch?: boolean;
  /** The n-th StartCopyJob call (1-based) is answered with a ThrottlingException. */
  readonly throttleCopyStart?: number;
  /**
   * The locks the vaults enforce on jobs (by vault name, `none`: no lock), when they differ from what
   * DescribeBackupVault answered the preflight: a governance lock can be changed at any time
   * (PutBackupVaultLockConfiguration). Default: the harness's simulated vaults' locks.
   */
  readonly enforcedLocks?: Readonly<Record<string, VaultLock | "none">>;
}

const typeOf = (arn: string) =>
  arn.includes(":rds:")
    ? "RDS"
    : arn.includes(":dynamodb:")
      ? "DynamoDB"
      : arn.includes(":ec2:")
        ? "EBS"
        : "EFS";

/**
 * The failback's AWS calls beside the restores (which the harness's SimulatedBackup serves): backup and
 * copy jobs that run on the virtual clock (idempotency tokens honoured, listed in pages by creation time;
 * a copy's recovery point becomes restorable in the simulated primary vault when it completes), EC2's
 * dr servers draining after the freeze, the two S3 buckets, and CloudWatch's PutMetricData.
 */
export class FailbackAws {
  readonly jobs: Job[] = [];
  readonly cloudwatch = mockClient(CloudWatchClient) as unknown as AnyStub;
  readonly autoscaling = mockClient(AutoScalingClient) as unknown as AnyStub;
  /** Every DNS query (hostname) and when, with the answer. */
  readonly dnsQueries: Array<{ hostname: string; at: number; addresses: string[] }> = [];
  /** DescribeInstances calls filtered on prod's VPC, and the servers each listed. */
  readonly prodServerChecks: Array<{ at: number; live: number }> = [];
  private groupDescribes = 0;
  readonly source = new Map<string, { size: number; lastModified: number }>();
  readonly dr = new Map<string, { size: number; lastModified: number }>();
  describeInstancesCalls = 0;
  /** Servers dr's Auto Scaling group launched (its scaling activities): instance id and when. */
  readonly drLaunches: Array<{ instanceId: string; at: number }> = [];
  /** CopyObject calls into the source bucket, and whether prod's servers were held at zero then. */
  readonly objectCopies: Array<{ key: string; prodHeld: boolean }> = [];
  private copies = 0;
  private copyStarts = 0;

  /**
   * `points` is the array the harness's simulated Backup restores from: completed copies are added to it.
   */
  constructor(
    private readonly h: Harness,
    private readonly points: SimPoint[],
    /** The dr stack's config now: its servers drain once its desired capacity is 0. */
    private readonly drConfig: () => Record<string, string>,
    recoveryStartMs: number,
    private readonly options: FailbackAwsOptions = {},
  ) {
    const at = (minutes: number) => recoveryStartMs + minutes * 60_000;
    for (const [key, minutes] of Object.entries(options.drObjects ?? {})) {
      this.dr.set(key, { size: key.length, lastModified: at(minutes) });
    }
    for (const [key, minutes] of Object.entries(options.sourceObjects ?? {})) {
      this.source.set(key, { size: key.length, lastModified: at(minutes) });
    }
    this.install();
  }

  private state(job: Job): { State: string; StatusMessage?: string; CompletionDate?: Date } {
    const elapsed = this.h.clock.now() - job.createdAt;
    if (job.lockFailure) {
      return { State: "FAILED", StatusMessage: job.lockFailure, CompletionDate: new Date(job.createdAt) };
    }
    if (elapsed < job.durationMs * 0.1) {
      return { State: "CREATED" };
    }
    if (elapsed < job.durationMs) {
      return { State: "RUNNING" };
    }
    const end = new Date(job.createdAt + job.durationMs);
    if (job.fails) {
      return { State: "FAILED", CompletionDate: end };
    }
    if (job.kind === "copy") {
      this.makeRestorable(job);
    }
    return { State: "COMPLETED", CompletionDate: end };
  }

  private readonly restorable = new Set<string>();

  /** A completed copy's point is in the primary vault: the simulated Backup restores from it. */
  private makeRestorable(job: Job): void {
    if (this.restorable.has(job.point)) {
      return;
    }
    this.restorable.add(job.point);
    this.points.push({
      recoveryPointArn: job.point,
      resourceArn: job.resourceArn,
      resourceType: job.resourceType,
      creationDate: new Date(job.createdAt),
      status: "COMPLETED",
      restoreMs: 3 * 60_000,
    });
  }

  private start(kind: "backup" | "copy", input: Record<string, unknown>): Job {
    const token = input.IdempotencyToken as string | undefined;
    const existing = token ? this.jobs.find((j) => j.token === token) : undefined;
    if (existing) {
      return existing;
    }
    const n = this.jobs.length + 1;
    // A copy's resource: that of the backup that made its point, or (a drill) of the vault's point.
    const vaultPoint = this.points.find((p) => p.recoveryPointArn === input.RecoveryPointArn);
    const resourceArn =
      kind === "backup"
        ? (input.ResourceArn as string)
        : (this.jobs.find((j) => j.point === input.RecoveryPointArn)?.resourceArn ??
          vaultPoint?.resourceArn ??
          String(input.RecoveryPointArn));
    if (kind === "copy") {
      this.copies++;
    }
    const vaultName =
      kind === "backup"
        ? (input.BackupVaultName as string)
        : String(input.DestinationBackupVaultArn).split(":backup-vault:")[1];
    const enforced = this.options.enforcedLocks?.[vaultName];
    const lock = enforced === undefined ? this.h.sim.vaultLock(vaultName) : enforced;
    const job: Job = {
      id: `${kind}-job-${String(n).padStart(3, "0")}`,
      kind,
      token,
      resourceArn,
      sourcePoint: kind === "copy" ? (input.RecoveryPointArn as string) : undefined,
      resourceType: vaultPoint?.resourceType ?? typeOf(resourceArn),
      createdAt: this.h.clock.now(),
      durationMs: this.options.jobMs ?? 5 * 60_000,
      fails: kind === "copy" && this.options.failCopy === this.copies,
      lockFailure: vaultLockFailure(
        vaultName,
        lock === "none" ? undefined : lock,
        input.Lifecycle as JobLifecycle | undefined,
      ),
      point: `arn:aws:backup:${kind === "backup" ? "us-west-2" : "us-east-1"}:${ACCOUNT}:recovery-point:${kind}-${n}`,
    };
    this.jobs.push({ ...job, vaultName: kind === "backup" ? vaultName : undefined });
    return this.jobs[this.jobs.length - 1];
  }

  /** A backup job the dr stack's restored-data plan starts now on its schedule (CreatedBy.BackupPlanId set). */
  scheduledBackup(resourceArn: string, vaultName: string): void {
    const n = this.jobs.length + 1;
    this.jobs.push({
      id: `plan-job-${String(n).padStart(3, "0")}`,
      kind: "backup",
      resourceArn,
      resourceType: typeOf(resourceArn),
      createdAt: this.h.clock.now(),
      durationMs: this.options.jobMs ?? 5 * 60_000,
      fails: false,
      point: `arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:plan-${n}`,
      vaultName,
      planId: "restored-data-plan",
    });
  }

  private listed(
    kind: "backup" | "copy",
    input: { ByCreatedAfter?: Date; ByResourceArn?: string; ByBackupVaultName?: string; NextToken?: string },
  ) {
    const after = input.ByCreatedAfter ? new Date(input.ByCreatedAfter).getTime() : 0;
    const matching = this.jobs.filter(
      (j) =>
        j.kind === kind &&
        j.createdAt > after &&
        (input.ByResourceArn === undefined || j.resourceArn === input.ByResourceArn) &&
        (input.ByBackupVaultName === undefined || j.vaultName === input.ByBackupVaultName),
    );
    // Pages of two, so every listing is paged.
    const offset = input.NextToken ? Number(input.NextToken) : 0;
    const page = matching.slice(offset, offset + 2);
    const next = offset + 2 < matching.length ? String(offset + 2) : undefined;
    return { page, next };
  }

  private install(): void {
    const { backup, ec2, s3 } = this.h;
    backup.on(StartBackupJobCommand).callsFake(async (input: Record<string, unknown>) => {
      const job = this.start("backup", input);
      return { BackupJobId: job.id, RecoveryPointArn: job.point, CreationDate: new Date(job.createdAt) };
    });
    backup.on(StartCopyJobCommand).callsFake(async (input: Record<string, unknown>) => {
      if (++this.copyStarts === this.options.throttleCopyStart) {
        throw awsError("ThrottlingException", "Rate exceeded");
      }
      const job = this.start("copy", input);
      return { CopyJobId: job.id, CreationDate: new Date(job.createdAt) };
    });
    backup.on(ListBackupJobsCommand).callsFake(async (input) => {
      const { page, next } = this.listed("backup", input);
      return {
        BackupJobs: page.map((j) => ({
          BackupJobId: j.id,
          ResourceArn: j.resourceArn,
          ResourceType: j.resourceType,
          RecoveryPointArn: j.point,
          CreationDate: new Date(j.createdAt),
          ...(j.planId ? { CreatedBy: { BackupPlanId: j.planId } } : {}),
          ...this.state(j),
        })),
        NextToken: next,
      };
    });
    backup.on(ListCopyJobsCommand).callsFake(async (input) => {
      const { page, next } = this.listed("copy", input);
      return {
        CopyJobs: page.map((j) => ({
          CopyJobId: j.id,
          ResourceArn: j.resourceArn,
          ResourceType: j.resourceType,
          SourceRecoveryPointArn: j.sourcePoint,
          DestinationRecoveryPointArn: j.point,
          CreationDate: new Date(j.createdAt),
          ...this.state(j),
        })),
        NextToken: next,
      };
    });
    const prodHeld = () => this.options.prodConfig?.()["dr-app:holdServers"] === "true";
    const prodVersion = () => (this.options.prodConfig?.()["dr-app:restoredTableName"] ? 2 : 1);
    ec2
      .on(DescribeInstancesCommand)
      .callsFake(async (input: { Filters?: Array<{ Name: string; Values: string[] }> }) => {
        if (input.Filters?.some((f) => f.Name === "vpc-id" && f.Values.includes(PROD_OUTPUTS.vpcId))) {
          // Without the prod stack's config, prod has no server at all.
          const live = this.options.prodConfig && !prodHeld() ? 3 : 0;
          this.prodServerChecks.push({ at: this.h.clock.now(), live });
          return {
            Reservations: live
              ? [{ Instances: [{ InstanceId: "i-0prodserver1", State: { Name: "running" } }] }]
              : [],
          };
        }
        this.describeInstancesCalls++;
        const frozen = this.drConfig()["dr-app:drActiveDesiredCapacity"] === "0";
        const left = !frozen || this.describeInstancesCalls <= (this.options.serversFor ?? 1);
        return {
          Reservations: left
            ? [{ Instances: [{ InstanceId: "i-0drserver1", State: { Name: "running" } }] }]
            : [],
        };
      });
    s3.on(ListObjectsV2Command).callsFake(async (input: { Bucket: string }) => {
      const bucket = input.Bucket === "app-data" ? this.source : this.dr;
      return {
        Contents: [...bucket.entries()].map(([Key, o]) => ({
          Key,
          Size: o.size,
          LastModified: new Date(o.lastModified),
        })),
      };
    });
    // The buckets are versioned; each key here has one version, its id made of the key.
    s3.on(ListObjectVersionsCommand).callsFake(async (input: { Bucket: string }) => {
      const bucket = input.Bucket === "app-data" ? this.source : this.dr;
      return {
        Versions: [...bucket.entries()].map(([Key, o]) => ({
          Key,
          VersionId: `v-${Key}`,
          IsLatest: true,
          Size: o.size,
          LastModified: new Date(o.lastModified),
        })),
      };
    });
    s3.on(CopyObjectCommand).callsFake(async (input: { Bucket: string; Key: string; CopySource: string }) => {
      if (input.Bucket !== "app-data") {
        throw awsError("AccessDenied", `copy into ${input.Bucket}`, 403);
      }
      const from = this.dr.get(input.Key);
      if (!from) {
        throw awsError("NoSuchKey", input.CopySource, 404);
      }
      this.source.set(input.Key, { size: from.size, lastModified: this.h.clock.now() });
      this.objectCopies.push({ key: input.Key, prodHeld: prodHeld() });
      return {
        CopyObjectResult: { LastModified: new Date(this.h.clock.now()) },
        VersionId: `copy-${input.Key}`,
      };
    });
    this.cloudwatch.on(PutMetricDataCommand).resolves({});
    // The switch's alarm: ALARM (dr serves) until a 0 reached it, then OK.
    this.cloudwatch.on(DescribeAlarmsCommand).callsFake(async (input: { AlarmNames?: string[] }) => {
      const reached =
        !this.options.dropSwitch && this.cloudwatch.commandCalls(PutMetricDataCommand).length > 0;
      return {
        MetricAlarms: (input.AlarmNames ?? []).map((AlarmName) => ({
          AlarmName,
          StateValue: reached ? "OK" : "ALARM",
        })),
      };
    });
    // Prod's group: three servers unless held; after prod-data on version 2, with one old server left for a while.
    // dr's group's launches, newest first, in pages of one (Auto Scaling API, DescribeScalingActivities).
    this.autoscaling
      .on(DescribeScalingActivitiesCommand)
      .callsFake(async (input: { AutoScalingGroupName?: string; NextToken?: string }) => {
        const launches = input.AutoScalingGroupName === "dr-app-asg" ? [...this.drLaunches].reverse() : [];
        const offset = Number(input.NextToken ?? 0);
        return {
          Activities: launches.slice(offset, offset + 1).map((l, i) => ({
            ActivityId: `a-${offset + i}`,
            AutoScalingGroupName: "dr-app-asg",
            Description: `Launching a new EC2 instance: ${l.instanceId}`,
            Cause: "a user request update of AutoScalingGroup constraints",
            StartTime: new Date(l.at),
            StatusCode: "Successful",
          })),
          NextToken: offset + 1 < launches.length ? String(offset + 1) : undefined,
        };
      });
    // dr's group (tag role=dr, dr's subnets) when asked for it.
    this.autoscaling.on(DescribeAutoScalingGroupsCommand).callsFake(async (input: { Filters?: Filter[] }) => {
      if (input.Filters?.some((f) => f.Name === "tag:role" && f.Values.includes("dr"))) {
        return {
          AutoScalingGroups: [
            { AutoScalingGroupName: "dr-app-asg", VPCZoneIdentifier: DR_OUTPUTS.privateSubnetIds.join(",") },
          ],
        };
      }
      const version = prodVersion();
      const oldLeft = version === 2 && this.groupDescribes++ < (this.options.oldServerFor ?? 0);
      const versions = prodHeld() ? [] : oldLeft ? [2, 2, 1] : [version, version, version];
      return {
        AutoScalingGroups: [
          {
            AutoScalingGroupName: "prod-app-asg",
            VPCZoneIdentifier: PROD_OUTPUTS.privateSubnetIds.join(","),
            LaunchTemplate: { LaunchTemplateId: "lt-0prod", Version: String(version) },
            Instances: versions.map((v, i) => ({
              InstanceId: `i-0prod${i}`,
              LifecycleState: "InService",
              LaunchTemplate: { LaunchTemplateId: "lt-0prod", Version: String(v) },
            })),
          },
        ],
      };
    });
    this.autoscaling.on(DescribeInstanceRefreshesCommand).callsFake(async () => ({
      InstanceRefreshes:
        prodVersion() === 2
          ? [
              {
                InstanceRefreshId: "r-1",
                Status: this.groupDescribes > (this.options.oldServerFor ?? 0) ? "Successful" : "InProgress",
                StartTime: new Date(0),
              },
            ]
          : [],
    }));
    // DNS: the public name answers DR's load balancer until a 0 was published (and `dnsLagQueries` more).
    let afterSwitch = 0;
    (this.h.deps as { resolveAddresses?: (hostname: string) => Promise<string[]> }).resolveAddresses = async (
      hostname,
    ) => {
      const published = this.cloudwatch.commandCalls(PutMetricDataCommand).length > 0;
      const isPublic = hostname === "api.example.com";
      const moved = published && isPublic && afterSwitch++ >= (this.options.dnsLagQueries ?? 0);
      const addresses = loadBalancerAddresses(
        isPublic ? (moved ? PROD_OUTPUTS.loadBalancerDnsName : DR_OUTPUTS.loadBalancerDnsName) : hostname,
      );
      this.dnsQueries.push({ hostname, at: this.h.clock.now(), addresses });
      return addresses;
    };
  }

  /** Undoes the CloudWatch and Auto Scaling mocks (the harness undoes the others). */
  dispose(): void {
    this.cloudwatch.restore();
    this.autoscaling.restore();
  }
}
