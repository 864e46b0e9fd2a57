import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { BackupClient, StartBackupJobCommand } from "@aws-sdk/client-backup";
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { DescribeInstancesCommand, EC2Client, paginateDescribeInstances } from "@aws-sdk/client-ec2";
import { expect } from "chai";
import { FAILOVER_SWITCH, failoverAlarmName } from "../../../stacks/dnsFailover";
import { FakeAws, startFakeAws } from "../../../scripts/simulation/fakeAwsServer";
import { failoverSwitchAlarm } from "../../../scripts/simulation/failoverSwitch";
import { simulationClient } from "../../fakes/simulationClient";

/** A retention inside the fake's default Vault Lock (3 to 97 days): a job without one fails. */
const KEEP_A_WEEK = { DeleteAfterDays: 7 };

const DR = "us-west-2";
const MIN = 60_000;
const DOMAIN = "app.example.com";
const TABLE_ARN = `arn:aws:dynamodb:${DR}:111122223333:table/dr-r1-orders`;

describe("simulation: the write freeze and the failover switch, over the SDK", function () {
  this.timeout(30_000);
  let time = Date.parse("2026-04-12T09:00:00Z");
  const clock = { now: () => time };
  let standby = false;
  let fake: FakeAws;
  const client = <T>(Client: new (config: object) => T): T => new Client(simulationClient(fake.url, DR));
  let autoScaling: AutoScalingClient;
  let cloudWatch: CloudWatchClient;
  let backup: BackupClient;
  let ec2: EC2Client;

  before(async () => {
    fake = await startFakeAws({
      points: [],
      clock,
      resources: [
        { type: "DynamoDB", id: "dr-r1-orders", region: DR },
        { type: "S3", id: "app-data-replica-us-west-2", region: DR },
      ],
      autoScalingGroups: [
        // The dr stack's servers: the capacity follows the stack's mode, as `pulumi up` would set it.
        { region: DR, name: "dr-app-asg", desiredCapacity: () => (standby ? 0 : 3), tags: { Role: "dr" } },
        { region: DR, name: "batch", desiredCapacity: 1 },
      ],
      alarms: [failoverSwitchAlarm(DR, DOMAIN)],
      application: { region: DR, autoScalingGroupName: "dr-app-asg", everyMs: MIN, writesTo: () => true },
      jobScript: { backupMs: 10 * MIN },
    });
    autoScaling = client(AutoScalingClient);
    cloudWatch = client(CloudWatchClient);
    backup = client(BackupClient);
    ec2 = client(EC2Client);
  });

  after(async () => {
    for (const c of [autoScaling, cloudWatch, backup, ec2]) {
      c.destroy();
    }
    await fake.close();
  });

  const group = async (name: string) =>
    (await autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })))
      .AutoScalingGroups?.[0];

  it("DescribeAutoScalingGroups by name and by tag, in pages", async () => {
    const asg = await group("dr-app-asg");
    expect(asg?.DesiredCapacity).to.equal(3);
    expect(asg?.Instances?.map((i) => i.LifecycleState)).to.deep.equal([
      "InService",
      "InService",
      "InService",
    ]);
    const tagged = await autoScaling.send(
      new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: "tag:Role", Values: ["dr"] }] }),
    );
    expect(tagged.AutoScalingGroups?.map((g) => g.AutoScalingGroupName)).to.deep.equal(["dr-app-asg"]);
    const page = await autoScaling.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 1 }));
    expect(page.AutoScalingGroups).to.have.length(1);
    const next = await autoScaling.send(new DescribeAutoScalingGroupsCommand({ NextToken: page.NextToken }));
    expect(next.AutoScalingGroups?.map((g) => g.AutoScalingGroupName)).to.deep.equal(["batch"]);
    fake.setDesiredCapacity(DR, "batch", 0);
    time += 2 * MIN;
    expect((await group("batch"))?.Instances).to.deep.equal([]);
  });

  it("the application writes while its servers run; after the freeze a backup holds every write: none lost", async () => {
    time += 10 * MIN;
    const table = () => fake.resource(TABLE_ARN);
    const before = table()?.writes ?? 0;
    expect(before).to.be.greaterThan(0);
    standby = true;
    const liveServers = async () => {
      const states: string[] = [];
      const Filters = [
        { Name: "vpc-id", Values: ["vpc-0dr"] },
        { Name: "tag-key", Values: ["aws:autoscaling:groupName"] },
        { Name: "instance-state-name", Values: ["pending", "running", "stopping", "shutting-down"] },
      ];
      for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 2 }, { Filters })) {
        for (const r of page.Reservations ?? []) {
          states.push(...(r.Instances ?? []).map((i) => `${i.Tags?.[1]?.Value} ${i.State?.Name}`));
        }
      }
      return states;
    };
    expect(await liveServers()).to.deep.equal(Array(3).fill("dr-app-asg shutting-down"));
    const draining = await group("dr-app-asg");
    expect(draining?.DesiredCapacity).to.equal(0);
    expect(draining?.Instances?.map((i) => i.LifecycleState)).to.deep.equal([
      "Terminating",
      "Terminating",
      "Terminating",
    ]);
    // Draining instances still write: a backup started now would miss the writes still to come.
    const early = await backup.send(
      new StartBackupJobCommand({
        Lifecycle: KEEP_A_WEEK,
        BackupVaultName: "dr-vault",
        ResourceArn: TABLE_ARN,
        IamRoleArn: "arn:r",
      }),
    );
    time += 2 * MIN;
    expect((await group("dr-app-asg"))?.Instances).to.deep.equal([]);
    expect(await liveServers()).to.deep.equal([]);
    const terminated = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: "tag:Role", Values: ["dr"] }] }),
    );
    expect(terminated.Reservations?.map((r) => r.Instances?.[0].State?.Name)).to.deep.equal(
      Array(3).fill("terminated"),
    );
    const frozenAt = table()?.writes ?? 0;
    expect(frozenAt).to.equal(before + 1);
    const final = await backup.send(
      new StartBackupJobCommand({
        Lifecycle: KEEP_A_WEEK,
        BackupVaultName: "dr-vault",
        ResourceArn: TABLE_ARN,
        IamRoleArn: "arn:r",
      }),
    );
    time += 30 * MIN;
    expect(table()?.writes).to.equal(frozenAt);
    const captured = (arn: string | undefined) =>
      fake.vault(DR, "dr-vault")?.points.find((p) => p.recoveryPointArn === arn)?.state?.writes;
    expect(frozenAt - (captured(early.RecoveryPointArn) ?? 0)).to.equal(1);
    expect(frozenAt - (captured(final.RecoveryPointArn) ?? 0)).to.equal(0);
    const bucket = fake.resource("arn:aws:s3:::app-data-replica-us-west-2");
    expect(bucket?.objects.size).to.equal(frozenAt);
    expect(bucket?.lastWriteAt).to.equal(table()?.lastWriteAt);
  });

  it("the switch metric: PutMetricData 0 turns the alarm OK a minute later; GetMetricData reads it by period", async () => {
    const alarm = async () =>
      (await cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: [failoverAlarmName(DOMAIN)] })))
        .MetricAlarms?.[0];
    expect((await alarm())?.StateValue).to.equal("ALARM");
    const dimensions = [{ Name: FAILOVER_SWITCH.dimension, Value: DOMAIN }];
    const put = (value: number) =>
      cloudWatch.send(
        new PutMetricDataCommand({
          Namespace: FAILOVER_SWITCH.namespace,
          MetricData: [{ MetricName: FAILOVER_SWITCH.metricName, Dimensions: dimensions, Value: value }],
        }),
      );
    await put(1);
    time += MIN;
    await put(0);
    expect((await alarm())?.StateValue).to.equal("ALARM");
    expect(
      fake.cloudWatch.points(DR, FAILOVER_SWITCH.namespace, FAILOVER_SWITCH.metricName, {
        [FAILOVER_SWITCH.dimension]: DOMAIN,
      }),
    ).to.deep.equal([
      { value: 1, timestamp: time - MIN },
      { value: 0, timestamp: time },
    ]);
    time += MIN;
    const ok = await alarm();
    expect(ok?.StateValue).to.equal("OK");
    expect(ok?.StateUpdatedTimestamp?.getTime()).to.equal(time);
    const data = await cloudWatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(time - 5 * MIN),
        EndTime: new Date(time),
        MetricDataQueries: [
          {
            Id: "switch",
            MetricStat: {
              Metric: {
                Namespace: FAILOVER_SWITCH.namespace,
                MetricName: FAILOVER_SWITCH.metricName,
                Dimensions: dimensions,
              },
              Period: 60,
              Stat: "Maximum",
            },
          },
        ],
      }),
    );
    expect(data.MetricDataResults?.[0].Values).to.deep.equal([0, 1]);
    expect(data.MetricDataResults?.[0].Timestamps?.map((t) => t.getTime())).to.deep.equal([
      time - MIN,
      time - 2 * MIN,
    ]);
  });

  it("an unreachable DR region answers 503 to Auto Scaling and CloudWatch", async () => {
    fake.setReachable(DR, false);
    const err = await autoScaling.send(new DescribeAutoScalingGroupsCommand({})).catch((e: unknown) => e);
    const metric = await cloudWatch.send(new DescribeAlarmsCommand({})).catch((e: unknown) => e);
    fake.setReachable(DR, true);
    for (const e of [err, metric]) {
      expect((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).to.equal(503);
    }
  });
});
