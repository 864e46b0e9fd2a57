/** The failback's AWS beside Backup on the SDK mock: the restored resources in the Backup model's store, EC2's servers, S3, CloudWatch, Auto Scaling and DNS. */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
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
import { SimResource, etagOf } from "../../scripts/simulation/resourceStore";
import { S3Model } from "../../scripts/simulation/s3Model";
import { awsError } from "./sdkBackup";
import { SimulatedS3 } from "./sdkS3";
import { installCloudWatch } from "./sdkCloudWatch";
import { CloudWatchMetrics } from "../../scripts/simulation/cloudWatch";
import { failoverSwitchAlarm } from "../../scripts/simulation/failoverSwitch";
import { VaultLock } from "../../scripts/simulation/vaultLock";
import { Harness } from "./harness";

type Filter = { Name: string; Values: string[] };

/** Prod's bucket, which replicates into DR's (fixtures.ts replicaBuckets). */
const SOURCE_BUCKET = "app-data";

const mapValues = (record: Readonly<Record<string, string>>, value: (v: string) => string) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, value(v)]));

/** The public name of the failback scenarios (prod's `dr-app:domainName`). */
const PUBLIC_NAME = "api.example.com";
type AnyStub = AwsStub<object, MetadataBearer, object>;

/** A backup or copy job of the Backup model, as the failback tests look at it. */
export interface FailbackJob {
  readonly id: string;
  readonly kind: "backup" | "copy";
  readonly resourceArn: string;
  readonly createdAt: number;
}

/**
 * Options of {@link FailbackAws}. The Backup jobs' durations, ids, outcomes and pages are the Backup
 * model's options (failbackFixture.ts failbackModel), given to the harness.
 */
export interface FailbackAwsOptions {
  /** Dr servers still in service for this many DescribeInstances calls after the first. Default 1. */
  readonly serversFor?: number;
  /**
   * Objects of the DR bucket (`app-data-replica-us-west-2`, in the DR region of the model's store): key ->
   * minutes after the recovery started (negative: before); each one version, its body the key. Default none.
   */
  readonly drObjects?: Record<string, number>;
  /** Objects already in the source bucket (`app-data`, in prod's region): as {@link drObjects}. Default none. */
  readonly sourceObjects?: Record<string, number>;
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
   * The switch's alarm (`ServeFromDr-api.example.com`, ALARM at first, in the DR region of the CloudWatch
   * model) watches another dimension than the one the failback publishes, so its data points never reach
   * it and it stays ALARM (as when a point is published to the wrong region or dimension). Default false.
   */
  readonly dropSwitch?: boolean;
  /**
   * How long after its data arrives the CloudWatch model evaluates the switch's alarm. Default 0 (the
   * failback scenarios' value: OK as soon as a 0 arrived); the model's own default is a minute.
   */
  readonly alarmEvaluationMs?: number;
  /** The n-th StartCopyJob call (1-based) is answered with a ThrottlingException. */
  readonly throttleCopyStart?: number;
  /**
   * The locks the vaults enforce on jobs (by vault name, `none`: no lock), when they differ from what
   * DescribeBackupVault answered the preflight: a governance lock can be changed at any time
   * (PutBackupVaultLockConfiguration): put on the Backup model's vaults as the first job starts. Default:
   * the harness's simulated vaults' locks.
   */
  readonly enforcedLocks?: Readonly<Record<string, VaultLock | "none">>;
}

/**
 * The failback's AWS beside Backup, which the harness's SDK front end serves from the Backup model
 * (restores, backup and copy jobs, the vaults): the dr stack's restored resources in the model's store, so
 * its backups capture them; EC2's dr servers draining after the freeze, the two S3 buckets, and
 * CloudWatch's PutMetricData.
 */
export class FailbackAws {
  readonly cloudwatch = mockClient(CloudWatchClient) as unknown as AnyStub;
  readonly autoscaling = mockClient(AutoScalingClient) as unknown as AnyStub;
  /** Every DNS query (hostname) and when, with the answer. */
  readonly dnsQueries: Array<{ hostname: string; at: number; addresses: string[] }> = [];
  /** DescribeInstances calls filtered on prod's VPC, and the servers each listed. */
  readonly prodServerChecks: Array<{ at: number; live: number }> = [];
  private groupDescribes = 0;
  /** CloudWatch's model: the switch's data points and alarm. */
  readonly metrics: CloudWatchMetrics;
  /** S3 on the SDK mock: the model's buckets, the source (prod's) and the DR bucket among them. */
  readonly s3: SimulatedS3;
  /** Prod's bucket, which the failback copies back into. */
  readonly source: SimResource;
  /** The DR bucket (the replica the dr stack served from). */
  readonly dr: SimResource;
  describeInstancesCalls = 0;
  /** Servers dr's Auto Scaling group launched (its scaling activities): instance id and when. */
  readonly drLaunches: Array<{ instanceId: string; at: number }> = [];
  /** CopyObject calls into the source bucket, and whether prod's servers were held at zero then. */
  readonly objectCopies: Array<{ key: string; prodHeld: boolean }> = [];
  private copyStarts = 0;

  constructor(
    private readonly h: Harness,
    /** The vaults' points (failbackFixture.ts): the Backup model's, which its completed jobs join. */
    readonly points: SimPoint[],
    /** The dr stack's config now: its servers drain once its desired capacity is 0. */
    private readonly drConfig: () => Record<string, string>,
    recoveryStartMs: number,
    private readonly options: FailbackAwsOptions = {},
  ) {
    const bucket = (id: string, region: string, objects: Record<string, number> = {}) =>
      this.model.store.add({
        type: "S3",
        id,
        region,
        state: {
          writes: 0,
          objects: Object.fromEntries(
            Object.entries(objects).map(([key, minutes]) => [
              key,
              { body: key, etag: etagOf(key), lastModified: recoveryStartMs + minutes * 60_000 },
            ]),
          ),
        },
      });
    this.source = bucket(SOURCE_BUCKET, PROD_OUTPUTS.region, options.sourceObjects);
    this.dr = bucket(DR_OUTPUTS.replicaBuckets[SOURCE_BUCKET], this.model.drRegion, options.drObjects);
    this.s3 = new SimulatedS3(new S3Model(this.model.store, (region) => h.sim.isUp(region)), (region) =>
      h.sim.isUp(region),
    );
    const alarm = failoverSwitchAlarm(this.model.drRegion, PUBLIC_NAME);
    this.metrics = new CloudWatchMetrics(
      [
        options.dropSwitch
          ? { ...alarm, dimensions: mapValues(alarm.dimensions, () => `not-${PUBLIC_NAME}`) }
          : alarm,
      ],
      () => h.clock.now(),
      options.alarmEvaluationMs ?? 0,
    );
    this.install();
  }

  /** Removes every version of `key` from the source bucket, as if it had never been written there. */
  forgetSourceObject(key: string): void {
    this.source.objects.delete(key);
    this.source.versions.delete(key);
  }

  private get model() {
    return this.h.sim.model;
  }

  /**
   * The recovery's restored resources the dr stack serves from, in the DR region of the Backup model's
   * store (a backup job of a resource that does not exist fails, backupJobs.ts): read from the dr stack's
   * config when the first job starts, since the stack is opened by the run.
   */
  private seedRestored(): void {
    const config = this.drConfig();
    const region = this.model.drRegion;
    for (const [type, key] of [
      ["RDS", "dr-app:restoredDbInstanceId"],
      ["DynamoDB", "dr-app:restoredTableName"],
      ["EBS", "dr-app:restoredVolumeId"],
    ] as const) {
      const id = config[key];
      if (id && !this.model.store.find(region, [type], id)) {
        this.model.store.add({ type, id, region });
      }
    }
  }

  /** The Backup model's backup and copy jobs of the DR region (where the failback starts them). */
  get jobs(): FailbackJob[] {
    const region = this.model.drRegion;
    const jobs = this.model.backupAndCopy;
    return [
      ...jobs.listBackups(region).map((j) => ({ kind: "backup" as const, id: j.BackupJobId, record: j })),
      ...jobs.listCopies(region).map((j) => ({ kind: "copy" as const, id: j.CopyJobId, record: j })),
    ].map(({ kind, id, record }) => ({
      id,
      kind,
      resourceArn: String(record.ResourceArn),
      createdAt: new Date(record.CreationDate as Date).getTime(),
    }));
  }

  /** Removes the job `id` from the Backup model, as if AWS had never taken its start (a crash's scenario). */
  forgetJob(id: string): void {
    this.model.backupAndCopy.forget(id);
  }

  /**
   * A backup job the dr stack's restored-data plan starts now on its schedule (CreatedBy.BackupPlanId
   * `restored-data-plan`), with a plan's lifecycle of 35 days.
   */
  scheduledBackup(resourceArn: string, vaultName: string): void {
    this.model.backupAndCopy.startBackup(
      this.model.drRegion,
      {
        BackupVaultName: vaultName,
        ResourceArn: resourceArn,
        IamRoleArn: `arn:aws:iam::${ACCOUNT}:role/dr-app-restored-data-backup`,
        Lifecycle: { DeleteAfterDays: 35 },
      },
      "restored-data-plan",
    );
  }

  /** The test's instruments on the Backup front end: a throttled StartCopyJob, locks changed after the preflight. */
  private instrumentBackup(): void {
    let locksPut = false;
    let seeded = false;
    this.h.sim.beforeCall.push((command) => {
      if (command === "StartBackupJob" && !seeded) {
        seeded = true;
        this.seedRestored();
      }
      if (command === "StartCopyJob" && ++this.copyStarts === this.options.throttleCopyStart) {
        throw awsError("ThrottlingException", "Rate exceeded");
      }
      if ((command === "StartBackupJob" || command === "StartCopyJob") && !locksPut) {
        locksPut = true;
        for (const [name, lock] of Object.entries(this.options.enforcedLocks ?? {})) {
          for (const vault of this.model.vaults.filter((v) => v.name === name)) {
            this.model.putVaultLock(vault.region, name, lock);
          }
        }
      }
    });
  }

  private install(): void {
    const { ec2, s3 } = this.h;
    this.instrumentBackup();
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
    this.s3.install(s3);
    this.s3.beforeCall.push((command, input) => {
      if (command === "CopyObject" && input.Bucket === this.source.id) {
        this.objectCopies.push({ key: String(input.Key), prodHeld: prodHeld() });
      }
    });
    installCloudWatch(this.cloudwatch, this.metrics);
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
      const isPublic = hostname === PUBLIC_NAME;
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
