/** The failback's AWS beside Backup on the SDK mock: the restored resources in the Backup model's store, EC2's servers, S3, CloudWatch, Auto Scaling and DNS. */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { MetadataBearer } from "@smithy/types";
import { AwsStub, mockClient } from "aws-sdk-client-mock";
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { AutoScalingGroups, FakeRefreshPreferences } from "../../scripts/simulation/autoScaling";
import { regionInstances } from "../../scripts/simulation/ec2Instances";
import { installAutoScaling } from "./sdkAutoScaling";
import { installEc2Instances } from "./sdkEc2";
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
import { restoredDataOf } from "./fakeStack";
import { drGroupFollowing } from "./drCompute";

/** prod's Auto Scaling group (tagged role=primary, in prod's private subnets and VPC). */
export const PROD_GROUP = "prod-app-asg";
/** The restored-data keys of a stack's config: a change of any is a new launch template version (its user data). */
const RESTORED_KEYS = [
  "dr-app:restoredData",
  "dr-app:restoredDbInstanceId",
  "dr-app:restoredTableName",
  "dr-app:restoredVolumeId",
];

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
  /**
   * Clock ms from a scale-out to the new servers InService, and from a scale-in to them gone, in both
   * groups (the Auto Scaling model's `launchMs` and `drainMs`). Default the model's: 3 and 2 minutes.
   */
  readonly launchMs?: number;
  readonly drainMs?: number;
  /**
   * Prod's group's `instanceRefresh` (a new launch template version, e.g. prod-data's, starts a Rolling
   * refresh). Default: 50 % healthy, 5 minutes' warm-up (the stacks' health check grace period), as
   * the rehearsal's.
   */
  readonly prodRefresh?: FakeRefreshPreferences;
  /**
   * Objects of the DR bucket (`app-data-replica-us-west-2`, in the DR region of the model's store): key ->
   * minutes after the recovery started (negative: before); each one version, its body the key. Default none.
   */
  readonly drObjects?: Record<string, number>;
  /** Objects already in the source bucket (`app-data`, in prod's region): as {@link drObjects}. Default none. */
  readonly sourceObjects?: Record<string, number>;
  /** The prod stack's config now: its servers are held at zero while `holdServers` is true. Default: never held. */
  readonly prodConfig?: () => Record<string, string>;
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
 * its backups capture them; the two stacks' Auto Scaling groups in the Auto Scaling model (dr's following
 * the dr stack's config: its active desired capacity while active, else none; prod's the prod stack's:
 * none while held, a new launch template version with the restored data), served on Auto Scaling's mock
 * and EC2 DescribeInstances; the two S3 buckets, and CloudWatch's model.
 */
export class FailbackAws {
  readonly cloudwatch = mockClient(CloudWatchClient) as unknown as AnyStub;
  readonly autoscaling = mockClient(AutoScalingClient) as unknown as AnyStub;
  /** Every Auto Scaling call (command name, e.g. DescribeAutoScalingGroups) and when, on the virtual clock. */
  readonly autoScalingCalls: Array<{ command: string; at: number }> = [];
  /** Every DNS query (hostname) and when, with the answer. */
  readonly dnsQueries: Array<{ hostname: string; at: number; addresses: string[] }> = [];
  /** DescribeInstances calls filtered on prod's VPC, and the servers each listed. */
  readonly prodServerChecks: Array<{ at: number; live: number }> = [];
  /**
   * The Auto Scaling model: dr's group (drCompute.ts DR_GROUP, instances `i-0drserver<n>`) and prod's
   * ({@link PROD_GROUP}, `i-0prod<n>`, `i-0prod<n>r<k>` once the k-th refresh replaced it; refreshes `r-<k>`),
   * n counting every server the group launched.
   */
  get autoScaling(): AutoScalingGroups {
    // Made at the first Auto Scaling or EC2 call, once the run opened the stacks whose config it follows:
    // their config then is the groups' state from the start.
    this.groupsModel ??= this.groups();
    return this.groupsModel;
  }
  private groupsModel?: AutoScalingGroups;
  private prodStack?: { readonly config: Record<string, string> };

  /**
   * Opens both stacks as the run does (failbackHarness keeps one of each), before the groups are made
   * from their config: dr's config is read through the constructor's `drConfig`, prod's through
   * `prodConfig` or else the prod stack itself.
   */
  private async openStacks(): Promise<void> {
    if (this.groupsModel) {
      return;
    }
    const workDir = this.h.dir;
    await this.h.deps.openStack({ stackName: "dr", workDir });
    this.prodStack = (await this.h.deps.openStack({ stackName: "prod", workDir })) as unknown as {
      config: Record<string, string>;
    };
  }
  /** CloudWatch's model: the switch's data points and alarm. */
  readonly metrics: CloudWatchMetrics;
  /** S3 on the SDK mock: the model's buckets, the source (prod's) and the DR bucket among them. */
  readonly s3: SimulatedS3;
  /** Prod's bucket, which the failback copies back into. */
  readonly source: SimResource;
  /** The DR bucket (the replica the dr stack served from). */
  readonly dr: SimResource;
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

  /** The two stacks' groups, following their config (see the class). */
  private groups(): AutoScalingGroups {
    const timing = {
      ...(this.options.launchMs !== undefined ? { launchMs: this.options.launchMs } : {}),
      ...(this.options.drainMs !== undefined ? { drainMs: this.options.drainMs } : {}),
    };
    const prod = () => (this.options.prodConfig ?? (() => this.prodStack?.config))();
    return new AutoScalingGroups(
      [
        // Its launch template stays on version 1: the failback only scales dr's servers.
        drGroupFollowing(this.drConfig, {
          region: this.model.drRegion,
          launchTemplateVersion: 1,
          instanceRefresh: undefined,
          instanceId: ({ serial }) => `i-0drserver${serial}`,
          ...timing,
        }),
        {
          region: PROD_OUTPUTS.region,
          name: PROD_GROUP,
          tags: { role: "primary" },
          vpcId: PROD_OUTPUTS.vpcId,
          subnetIds: PROD_OUTPUTS.privateSubnetIds,
          // Without the prod stack's config, prod has no server at all; stacks/primary.ts: zero while held.
          desiredCapacity: () => {
            const config = prod();
            return !config || config["dr-app:holdServers"] === "true"
              ? 0
              : Number(config["dr-app:desiredCapacity"] ?? 3);
          },
          // Version 1 on the pre-disaster data, 2 once prod-data names the restored data.
          launchTemplateVersion: () => (RESTORED_KEYS.some((k) => prod()?.[k]) ? 2 : 1),
          instanceRefresh: this.options.prodRefresh ?? {
            minHealthyPercentage: 50,
            instanceWarmupMs: 300_000,
          },
          instanceId: ({ serial, refresh }) => `i-0prod${serial}${refresh ? `r${refresh}` : ""}`,
          refreshId: (n) => `r-${n}`,
          ...timing,
        },
      ],
      () => this.h.clock.now(),
    );
  }

  /**
   * The stacks' `pulumi up`: the groups take the desired capacity and launch template version their
   * stack's config gives now (a test that changes a stack's config by hand calls it where `pulumi up`
   * would run; the failback's own updates are seen at its next Auto Scaling or EC2 call).
   */
  applied(): void {
    this.autoScaling.observe();
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
    const data = restoredDataOf(config);
    for (const [type, key, kind] of [
      ["RDS", "dr-app:restoredDbInstanceId", "rds"],
      ["DynamoDB", "dr-app:restoredTableName", "dynamodb"],
      ["EBS", "dr-app:restoredVolumeId", "ebs"],
      ["EFS", undefined, "efs"],
    ] as const) {
      const ids = [
        key && config[key],
        ...Object.values(data).flatMap((e) => (e.kind === kind ? [e.id] : [])),
      ];
      for (const id of ids) {
        if (id && !this.model.store.find(region, [type], id)) {
          this.model.store.add({ type, id, region });
        }
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
    installEc2Instances(
      ec2,
      (region) => {
        this.autoScaling.observe();
        return regionInstances(this.model.store, region, (r) => this.autoScaling.instances(r));
      },
      (input, _region, answer) => {
        const filters = input.Filters ?? [];
        if (filters.some((f) => f.Name === "vpc-id" && f.Values?.includes(PROD_OUTPUTS.vpcId))) {
          this.prodServerChecks.push({ at: this.h.clock.now(), live: answer.length });
        }
      },
      () => this.openStacks(),
    );
    this.s3.install(s3);
    this.s3.beforeCall.push((command, input) => {
      if (command === "CopyObject" && input.Bucket === this.source.id) {
        this.objectCopies.push({ key: String(input.Key), prodHeld: prodHeld() });
      }
    });
    installCloudWatch(this.cloudwatch, this.metrics);
    installAutoScaling(
      this.autoscaling,
      {
        describeGroups: (...args) => this.autoScaling.describeGroups(...args),
        startInstanceRefresh: (...args) => this.autoScaling.startInstanceRefresh(...args),
        describeInstanceRefreshes: (...args) => this.autoScaling.describeInstanceRefreshes(...args),
        scalingActivities: (...args) => this.autoScaling.scalingActivities(...args),
      },
      (command) => {
        this.autoScalingCalls.push({ command, at: this.h.clock.now() });
        return this.openStacks();
      },
    );
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
