// The in-process harness the CLI's tests run on: AWS through the SDK front ends, a fake stack, virtual time.
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { BackupClient } from "@aws-sdk/client-backup";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DescribeVolumesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { EFSClient } from "@aws-sdk/client-efs";
import { RDSClient } from "@aws-sdk/client-rds";
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import type { MetadataBearer } from "@smithy/types";
import { AwsStub, mockClient } from "aws-sdk-client-mock";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../scripts/cli";
import { CliDeps } from "../../scripts/context";
import { Capture } from "./capture";
import { testDeps } from "./deps";
import { FakeDrStack, FakeStackOptions } from "./fakeStack";
import { SimPoint } from "../../scripts/simulation/recoveryPoints";
import { SimOptions, SimulatedBackup, awsError } from "./sdkBackup";
import { callerIdentity } from "../../scripts/simulation/stsService";
import { RdsModel, RdsModelOptions } from "../../scripts/simulation/rdsModel";
import { installRds } from "./sdkRds";
import { installEfs } from "./sdkEfs";
import { EfsModel, EfsModelOptions } from "../../scripts/simulation/efsModel";
import { VirtualClock } from "./virtualClock";
import { AutoScalingGroups, FakeAutoScalingGroup } from "../../scripts/simulation/autoScaling";
import { installAutoScaling } from "./sdkAutoScaling";
import { drGroupFollowing } from "./drCompute";
import { StackHandle } from "../../scripts/dependencies";

/** Options of {@link Harness}. */
export interface HarnessOptions {
  readonly points: SimPoint[];
  readonly sim?: Partial<Omit<SimOptions, "clock" | "points">>;
  readonly stack?: FakeStackOptions;
  readonly isTTY?: boolean;
  readonly promptAnswer?: string;
  /** HTTP statuses the health endpoint answers, in order; the last repeats. Default [503, 200]. */
  readonly health?: number[];
  /** Make openStack fail with this error. */
  readonly openStackError?: Error;
  /** The primary region answers (is up). Default false: it is down. */
  readonly primaryUp?: boolean;
  /** The RDS model's options. Default: endpoints as {@link HARNESS_DB_ENDPOINT} names them. */
  readonly rds?: RdsModelOptions;
  /** The EFS model's options. Default: its defaults. */
  readonly efs?: EfsModelOptions;
  /** Replaces the fake dr stack, e.g. with the real Automation API on a pulumi stub. */
  readonly openStack?: CliDeps["openStack"];
  /**
   * Laid over the dr stack's Auto Scaling group (drCompute.ts drGroupFollowing: it follows the fake
   * stack's config), e.g. its launch and refresh times. Default: servers launch, drain and are refreshed
   * at once, so a test about something else never waits on them. With `openStack` there is no group.
   */
  readonly drGroup?: Partial<FakeAutoScalingGroup>;
}

type AnyStub = AwsStub<object, MetadataBearer, object>;

/**
 * The endpoint address of a database in the harness's tests, whatever its region:
 * `<id>.c0abcdefgh.us-west-2.rds.amazonaws.com`, a cluster's `<id>.cluster-c0abcdefgh.us-west-2...`.
 */
export const HARNESS_DB_ENDPOINT: NonNullable<RdsModelOptions["endpointAddress"]> = (id, _region, kind) =>
  `${id}.${kind === "cluster" ? "cluster-" : ""}c0abcdefgh.us-west-2.rds.amazonaws.com`;

/**
 * The CLI in-process on virtual time: AWS through aws-sdk-client-mock (Backup simulated, the dr stack's
 * Auto Scaling group modelled), the dr stack faked, state and reports in a temporary directory.
 */
export class Harness {
  readonly clock = new VirtualClock();
  readonly stdout = new Capture();
  readonly stderr = new Capture();
  readonly backup = mockClient(BackupClient) as unknown as AnyStub;
  readonly sts = mockClient(STSClient) as unknown as AnyStub;
  readonly rds = mockClient(RDSClient) as unknown as AnyStub;
  readonly ec2 = mockClient(EC2Client) as unknown as AnyStub;
  readonly dynamodb = mockClient(DynamoDBClient) as unknown as AnyStub;
  readonly efs = mockClient(EFSClient) as unknown as AnyStub;
  readonly s3 = mockClient(S3Client) as unknown as AnyStub;
  readonly autoscaling = mockClient(AutoScalingClient) as unknown as AnyStub;
  /** Auto Scaling's model: the dr stack's group, following the fake stack's config. */
  readonly drGroups: AutoScalingGroups;
  readonly sim: SimulatedBackup;
  /** RDS's model, on the Backup model's store. */
  readonly rdsModel: RdsModel;
  /** EFS's model, on the Backup model's store. */
  readonly efsModel: EfsModel;
  readonly stack: FakeDrStack;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-cli-"));
  readonly healthCalls: string[] = [];
  readonly deps: CliDeps;
  openStackCalls = 0;

  constructor(readonly options: HarnessOptions) {
    this.sim = new SimulatedBackup({
      clock: this.clock,
      points: options.points,
      downRegion: options.primaryUp ? undefined : "us-east-1",
      // The harness's tests read whole listings in one page.
      pageSize: 1000,
      ...(options.sim ?? {}),
    });
    this.sim.install(this.backup);
    // The STS model's caller, in the session `alice`.
    this.sts.on(GetCallerIdentityCommand).callsFake(async () => callerIdentity("alice"));
    // RDS from the model's store: what restore jobs created and what a test put there.
    this.rdsModel = new RdsModel(this.sim.model.store, {
      endpointAddress: HARNESS_DB_ENDPOINT,
      ...options.rds,
    });
    installRds(this.rds, this.rdsModel);
    // EFS from the model's store: file systems restore jobs created, their throughput (UpdateFileSystem).
    this.efsModel = new EfsModel(this.sim.model.store, options.efs);
    installEfs(this.efs, this.efsModel);
    this.installRestoredChecks();
    // Each `up` reaches the group as it ends, as a real one's would (its capacity, its launch template).
    this.stack = new FakeDrStack(this.clock, {
      ...options.stack,
      onUp: async (stack) => {
        this.drGroups.observe();
        await options.stack?.onUp?.(stack);
      },
    });
    this.drGroups = new AutoScalingGroups(
      options.openStack
        ? []
        : [
            drGroupFollowing(() => this.stack.config, {
              launchMs: 0,
              drainMs: 0,
              instanceRefresh: { minHealthyPercentage: 50, instanceWarmupMs: 0 },
              ...options.drGroup,
            }),
          ],
      () => this.clock.now(),
    );
    installAutoScaling(this.autoscaling, this.drGroups);
    const statuses = [...(options.health ?? [503, 200])];
    this.deps = testDeps({
      stdout: this.stdout,
      stderr: this.stderr,
      isTTY: options.isTTY ?? false,
      env: { AWS_REGION: "us-west-2" },
      clock: this.clock,
      openStack:
        options.openStack ??
        (async (): Promise<StackHandle> => {
          this.openStackCalls++;
          if (options.openStackError) {
            throw options.openStackError;
          }
          return this.stack;
        }),
      fetch: async (url) => {
        this.healthCalls.push(url);
        const status = statuses.length > 1 ? (statuses.shift() as number) : statuses[0];
        return { status };
      },
      prompt: async () => options.promptAnswer ?? "",
    });
  }

  /**
   * The describe calls that check a restored table, volume or bucket exists (the flip wires only those; file
   * systems are the EFS model's), answered from the model's store: the state a completed restore leaves
   * (DynamoDB API reference, DescribeTable: ACTIVE; EC2 DescribeVolumes: available; S3 HeadBucket: 200), and
   * each service's not-found error for an id the store lacks (ResourceNotFoundException,
   * InvalidVolume.NotFound, NotFound). A test's own handlers replace these.
   */
  private installRestoredChecks(): void {
    const find = (type: string, id: string) =>
      this.sim.model.store.list().find((r) => r.type === type && r.id === id);
    this.dynamodb.on(DescribeTableCommand).callsFake(async (input: { TableName: string }) => {
      if (!find("DynamoDB", input.TableName)) {
        throw awsError(
          "ResourceNotFoundException",
          `Requested resource not found: Table: ${input.TableName} not found`,
        );
      }
      return { Table: { TableName: input.TableName, TableStatus: "ACTIVE" } };
    });
    this.ec2.on(DescribeVolumesCommand).callsFake(async (input: { VolumeIds: string[] }) => {
      if (!find("EBS", input.VolumeIds[0])) {
        throw awsError("InvalidVolume.NotFound", `The volume '${input.VolumeIds[0]}' does not exist.`);
      }
      return { Volumes: [{ VolumeId: input.VolumeIds[0], State: "available" }] };
    });
    this.s3.on(HeadBucketCommand).callsFake(async (input: { Bucket: string }) => {
      if (!find("S3", input.Bucket)) {
        throw awsError("NotFound", "Not Found");
      }
      return {};
    });
  }

  get stateDir(): string {
    return path.join(this.dir, ".dr");
  }

  get reportDir(): string {
    return path.join(this.dir, "reports");
  }

  /** Runs `dr <args>` with state and reports in the temporary directory. */
  run(args: string[], signal?: AbortSignal): Promise<number> {
    return main(
      ["--work-dir", this.dir, "--state-dir", this.stateDir, "--report-dir", this.reportDir, ...args],
      this.deps,
      signal,
    );
  }

  /** The journal of a command, parsed. */
  journal(kind: "recover" | "drill"): import("../../scripts/recovery/core/journal").RunJournal {
    return JSON.parse(fs.readFileSync(path.join(this.stateDir, `${kind}.json`), "utf8"));
  }

  /** Undoes the mocks and removes the temporary directory. */
  dispose(): void {
    for (const stub of [
      this.backup,
      this.sts,
      this.rds,
      this.ec2,
      this.dynamodb,
      this.efs,
      this.s3,
      this.autoscaling,
    ]) {
      stub.restore();
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
