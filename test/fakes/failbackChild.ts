// `dr failback`'s world for a child process: the local fake of both regions (jobs, servers, users, DNS) and the pulumi stub.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FakeAws, startFakeAws } from "../../scripts/simulation/fakeAwsServer";
import { failoverDnsName, failoverSwitchAlarm } from "../../scripts/simulation/failoverSwitch";
import { DR_OUTPUTS } from "../../scripts/simulation/fixtures";
import { ChildRun, StartOptions, childEnv, onStub, startDr } from "./childDr";
import { ACTIVE_DR_CONFIG, PROD_OUTPUTS, RESTORED, recoveryJournal } from "./failbackFixture";
import { PulumiStub, installPulumiStub } from "./pulumiStub";

export const DOMAIN = "api.example.com";
const ASG = "dr-app-asg";
const PROD_ASG = "prod-app-asg";
/** Prod's pre-disaster data in the primary region: abandoned once prod takes the failed-back copies. */
export const PRE_DISASTER = ["app-db", "Orders", "vol-0data"];
/** Real milliseconds of each backup, copy and restore job, and of the dr servers' drain. */
const JOB_MS = 400;
/** Polls and a freeze timeout for jobs of {@link JOB_MS}. */
export const FAST_FAILBACK = ["--poll-initial", "0.05", "--poll-max", "0.2", "--freeze-timeout", "30"];

/** The world of a failback six hours after a recovery (its journal in the state directory). */
export interface FailbackWorld {
  readonly fake: FakeAws;
  readonly stub: PulumiStub;
  readonly stateDir: string;
  readonly reportDir: string;
  /** Starts `dr failback <args>` on it. */
  start(args: readonly string[], options?: StartOptions): ChildRun;
  dispose(): Promise<void>;
}

/**
 * The local fake of both regions (backup, copy and restore jobs with their states and pages, the dr
 * servers of an Auto Scaling group that drain after the freeze, prod's servers on the pre-disaster data
 * until prod-data, users writing through the public name wherever Route 53 answers it, both buckets,
 * CloudWatch) and the recording pulumi stub for the dr and prod stacks.
 */
export async function failbackWorld(): Promise<FailbackWorld> {
  const recoveryStart = Date.now() - 6 * 3600_000;
  const stub = installPulumiStub({
    outputs: { ...DR_OUTPUTS },
    config: { ...ACTIVE_DR_CONFIG, "dr-app:domainName": DOMAIN },
  });
  // The groups follow each stack's config as its last `pulumi up` applied it, not as `config set` left it.
  const drConfig = () => stub.deployedConfig("dr");
  const prodConfig = () => stub.deployedConfig("prod");
  const alarm = failoverSwitchAlarm("us-west-2", DOMAIN);
  const at = (hours: number) => recoveryStart + hours * 3600_000;
  const object = (hours: number) => ({
    body: "{}",
    etag: '"99914b932bd37a50b76c8e4c3e0b8a08"',
    lastModified: at(hours),
  });
  const fake = await startFakeAws({
    points: [],
    primaryVaultName: DR_OUTPUTS.primaryVaultName,
    downRegion: "none",
    resources: [
      { type: "RDS", id: RESTORED.db, region: "us-west-2", state: { writes: 40 } },
      { type: "DynamoDB", id: RESTORED.table, region: "us-west-2", state: { writes: 25 } },
      { type: "EBS", id: RESTORED.volume, region: "us-west-2", state: { writes: 7 } },
      { type: "RDS", id: "app-db", region: "us-east-1", state: { writes: 30 } },
      { type: "DynamoDB", id: "Orders", region: "us-east-1", state: { writes: 20 } },
      { type: "EBS", id: "vol-0data", region: "us-east-1", state: { writes: 5 } },
      {
        type: "S3",
        id: RESTORED.replica,
        region: "us-west-2",
        state: {
          writes: 3,
          objects: { "old.json": object(-2), "orders/1.json": object(1), "orders/2.json": object(3) },
        },
      },
      {
        type: "S3",
        id: "app-data",
        region: "us-east-1",
        state: { writes: 1, objects: { "old.json": object(-2) } },
      },
    ],
    autoScalingGroups: [
      {
        region: "us-west-2",
        name: ASG,
        desiredCapacity: () =>
          drConfig()["dr-app:drActiveDesiredCapacity"] === "0" || drConfig()["dr-app:mode"] !== "active"
            ? 0
            : 3,
        drainMs: JOB_MS,
        launchMs: JOB_MS,
      },
      {
        // Prod's servers, back with the primary region: on the pre-disaster data (launch template version 1)
        // until prod-data points them at the failed-back copies (version 2, rolled by an instance refresh).
        region: "us-east-1",
        name: PROD_ASG,
        vpcId: PROD_OUTPUTS.vpcId,
        subnetIds: PROD_OUTPUTS.privateSubnetIds,
        tags: { role: "primary" },
        desiredCapacity: () => (prodConfig()["dr-app:holdServers"] === "true" ? 0 : 3),
        launchTemplateVersion: () =>
          prodConfig()["dr-app:restoredData"] || prodConfig()["dr-app:restoredTableName"] ? 2 : 1,
        instanceRefresh: { minHealthyPercentage: 50, instanceWarmupMs: JOB_MS },
        drainMs: JOB_MS,
        launchMs: JOB_MS,
        writesTo: (r, version) =>
          r.type !== "S3" && (version === 1 ? PRE_DISASTER.includes(r.id) : r.restoreJobId !== undefined),
      },
    ],
    application: {
      region: "us-west-2",
      autoScalingGroupName: ASG,
      everyMs: 100,
      writesTo: (r) => r.type !== "S3",
      domainName: DOMAIN,
    },
    alarms: [alarm],
    alarmEvaluationMs: 200,
    dns: [
      failoverDnsName(DOMAIN, alarm, {
        primary: {
          loadBalancerDnsName: PROD_OUTPUTS.loadBalancerDnsName,
          region: "us-east-1",
          autoScalingGroupName: PROD_ASG,
        },
        secondary: {
          loadBalancerDnsName: DR_OUTPUTS.loadBalancerDnsName,
          region: "us-west-2",
          autoScalingGroupName: ASG,
        },
      }),
    ],
    jobScript: { backupMs: JOB_MS, copyMs: JOB_MS, restoreMs: JOB_MS },
  });
  stub.update((state) => {
    state.stacks.dr.outputs = { ...DR_OUTPUTS, healthCheckUrl: `${fake.url}/health` };
    state.stacks.prod = {
      outputs: { ...PROD_OUTPUTS, healthCheckUrl: `${fake.url}/health` },
      config: { "dr-app:role": "primary", "dr-app:domainName": DOMAIN },
      history: [],
    };
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-failback-"));
  const stateDir = path.join(dir, ".dr");
  const reportDir = path.join(dir, "reports");
  fs.mkdirSync(stateDir);
  fs.writeFileSync(
    path.join(stateDir, "recover.json"),
    JSON.stringify({ ...recoveryJournal(), startedAt: new Date(recoveryStart).toISOString() }),
  );
  return {
    fake,
    stub,
    stateDir,
    reportDir,
    start: (args, options) =>
      startDr(
        [...onStub(stub, stateDir, reportDir), "failback", ...args],
        childEnv({ AWS_ENDPOINT_URL: fake.url, DR_DNS_SERVERS: fake.dnsAddress as string }),
        options,
      ),
    dispose: async () => {
      await fake.close();
      stub.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
