import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  StartInstanceRefreshCommand,
} from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { expect } from "chai";
import { promises as dns } from "dns";
import { FAILOVER_SWITCH } from "../../../stacks/dnsFailover";
import { loadBalancerAddresses } from "../../../scripts/simulation/dnsResolver";
import { FakeAws, startFakeAws } from "../../../scripts/simulation/fakeAwsServer";
import { failoverDnsName, failoverSwitchAlarm } from "../../../scripts/simulation/failoverSwitch";
import { simulationClient } from "../../fakes/simulationClient";

const DR = "us-west-2";
const PRIMARY = "us-east-1";
const MIN = 60_000;
const DOMAIN = "app.example.com";
const PROD_ALB = "prod-alb.us-east-1.elb.amazonaws.com";
const DR_ALB = "dr-alb.us-west-2.elb.amazonaws.com";
const PROD_DB = `arn:aws:dynamodb:${PRIMARY}:111122223333:table/Orders`;
const FB_DB = `arn:aws:dynamodb:${PRIMARY}:111122223333:table/fb-r1-Orders`;
const DR_DB = `arn:aws:dynamodb:${DR}:111122223333:table/dr-r1-Orders`;

describe("simulation: Route 53 failover answers, users following them, instance refreshes", function () {
  this.timeout(30_000);
  let time: number;
  let drServers: number;
  let prodServers: number;
  let prodVersion: number;
  let fake: FakeAws;
  let cloudWatch: CloudWatchClient;
  const client = <T>(Client: new (config: object) => T, region: string): T =>
    new Client(simulationClient(fake.url, region));
  const alarm = failoverSwitchAlarm(DR, DOMAIN, "ALARM");

  beforeEach(async () => {
    time = Date.parse("2026-04-12T09:00:00Z");
    drServers = 3;
    prodServers = 3;
    prodVersion = 1;
    fake = await startFakeAws({
      points: [],
      clock: { now: () => time },
      downRegion: "none",
      resources: [
        { type: "DynamoDB", id: "Orders", region: PRIMARY },
        { type: "DynamoDB", id: "fb-r1-Orders", region: PRIMARY },
        { type: "DynamoDB", id: "dr-r1-Orders", region: DR },
      ],
      autoScalingGroups: [
        { region: DR, name: "dr-asg", desiredCapacity: () => drServers },
        {
          region: PRIMARY,
          name: "prod-asg",
          vpcId: "vpc-0prod",
          desiredCapacity: () => prodServers,
          launchTemplateVersion: () => prodVersion,
          instanceRefresh: { minHealthyPercentage: 50, instanceWarmupMs: 5 * MIN },
          // Version 1 is the pre-disaster configuration; later ones name the failed-back table.
          writesTo: (r, version) => r.id === (version === 1 ? "Orders" : "fb-r1-Orders"),
        },
      ],
      alarms: [alarm],
      dns: [
        failoverDnsName(DOMAIN, alarm, {
          primary: { loadBalancerDnsName: PROD_ALB, region: PRIMARY, autoScalingGroupName: "prod-asg" },
          secondary: { loadBalancerDnsName: DR_ALB, region: DR, autoScalingGroupName: "dr-asg" },
        }),
      ],
      application: {
        region: DR,
        autoScalingGroupName: "dr-asg",
        everyMs: MIN,
        writesTo: (r) => r.region === DR,
        domainName: DOMAIN,
      },
    });
    cloudWatch = client(CloudWatchClient, DR);
  });

  afterEach(async () => {
    cloudWatch.destroy();
    await fake.close();
  });

  const answer = () => fake.resolver.answer(DOMAIN)?.failover;
  /** The stacks' `pulumi up` changed the groups: the fake sees it now (it observes at every request). */
  const applied = () => fake.resources();
  const writes = (arn: string) => fake.resource(arn)?.writes ?? 0;

  it("answers SECONDARY while the switch says DR and DR has targets; PRIMARY once both are unhealthy", () => {
    expect(answer()).to.equal("SECONDARY");
    // The write freeze: DR's servers drain, its load balancer has no healthy target.
    drServers = 0;
    applied();
    time += MIN;
    expect(answer(), "DR still draining").to.equal("SECONDARY");
    time += 2 * MIN;
    // Both records unhealthy (the switch's alarm is ALARM: the primary's check fails): the primary regardless.
    expect(answer()).to.equal("PRIMARY");
    const before = writes(PROD_DB);
    time += 10 * MIN;
    expect(writes(PROD_DB) - before, "users now write to prod's pre-disaster table").to.equal(10);
    expect(fake.appRequests.at(-1)).to.deep.include({
      loadBalancerDnsName: PROD_ALB,
      launchTemplateVersion: 1,
    });
  });

  it("answers PRIMARY, with no server behind it, when prod is held at zero: the request fails, nothing is written", () => {
    prodServers = 0;
    drServers = 0;
    applied();
    time += 5 * MIN;
    const before = [writes(PROD_DB), writes(DR_DB), writes(FB_DB)];
    time += 10 * MIN;
    expect(answer()).to.equal("PRIMARY");
    expect([writes(PROD_DB), writes(DR_DB), writes(FB_DB)]).to.deep.equal(before);
    expect(fake.appRequests.at(-1)).to.deep.equal({
      at: time,
      loadBalancerDnsName: PROD_ALB,
      region: PRIMARY,
      autoScalingGroupName: "prod-asg",
      wrote: [],
    });
  });

  it("moves to PRIMARY a minute after the switch is set to 0 (the alarm's evaluation)", async () => {
    await cloudWatch.send(
      new PutMetricDataCommand({
        Namespace: FAILOVER_SWITCH.namespace,
        MetricData: [
          {
            MetricName: FAILOVER_SWITCH.metricName,
            Dimensions: [{ Name: FAILOVER_SWITCH.dimension, Value: DOMAIN }],
            Value: 0,
          },
        ],
      }),
    );
    expect(answer()).to.equal("SECONDARY");
    time += MIN;
    expect(answer()).to.equal("PRIMARY");
    // Prod without a healthy target, the switch at 0 (the SECONDARY's inverted check fails): both unhealthy,
    // so the PRIMARY regardless.
    prodServers = 0;
    applied();
    time += 3 * MIN;
    expect(answer()).to.equal("PRIMARY");
    expect(fake.resolver.healthy(fake.resolver.answer(DOMAIN)!, time)).to.equal(false);
  });

  it("serves the answers over UDP: node's resolver pointed at the fake gets the answering load balancer's addresses", async () => {
    const resolver = new dns.Resolver();
    resolver.setServers([fake.dnsAddress as string]);
    expect(await resolver.resolve4(DOMAIN)).to.deep.equal(loadBalancerAddresses(DR_ALB));
    expect(await resolver.resolve4(PROD_ALB)).to.deep.equal(loadBalancerAddresses(PROD_ALB));
    const err = await resolver.resolve4("nothing.example.com").catch((e: NodeJS.ErrnoException) => e);
    expect((err as NodeJS.ErrnoException).code).to.equal("ENOTFOUND");
  });

  it("a new launch template version starts a Rolling refresh: old servers serve until their batch, DescribeInstanceRefreshes follows it", async () => {
    const autoScaling = client(AutoScalingClient, PRIMARY);
    try {
      const versions = async () =>
        (
          await autoScaling.send(
            new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["prod-asg"] }),
          )
        ).AutoScalingGroups?.[0].Instances?.map((i) => `${i.LifecycleState}:${i.LaunchTemplate?.Version}`);
      const refreshes = async () =>
        (await autoScaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: "prod-asg" })))
          .InstanceRefreshes;
      expect(await versions()).to.deep.equal(["InService:1", "InService:1", "InService:1"]);
      prodVersion = 2;
      // MinHealthyPercentage 50 of 3: 2 kept in service, batches of 1, each launch (3 min) + warm-up (5 min).
      expect(await versions()).to.deep.equal(["Pending:2", "InService:1", "InService:1"]);
      expect((await refreshes())?.[0]).to.deep.include({ Status: "InProgress", PercentageComplete: 0 });
      expect(
        fake.autoScaling.servingSlots(PRIMARY, "prod-asg", time).map((s) => s.launchTemplateVersion),
      ).to.deep.equal([1, 1]);
      time += 8 * MIN;
      expect(await versions()).to.deep.equal(["InService:2", "Pending:2", "InService:1"]);
      expect((await refreshes())?.[0]).to.deep.include({ Status: "InProgress", InstancesToUpdate: 2 });
      time += 16 * MIN;
      expect(await versions()).to.deep.equal(["InService:2", "InService:2", "InService:2"]);
      const done = (await refreshes())?.[0];
      expect(done).to.deep.include({ Status: "Successful", PercentageComplete: 100, InstancesToUpdate: 0 });
      expect(done?.EndTime?.getTime()).to.equal(time);

      // Started over the API: refused while one is in progress.
      await autoScaling.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: "prod-asg" }));
      const err = await autoScaling
        .send(new StartInstanceRefreshCommand({ AutoScalingGroupName: "prod-asg" }))
        .catch((e: { name?: string }) => e);
      expect((err as { name?: string }).name).to.equal("InstanceRefreshInProgressFault");
    } finally {
      autoScaling.destroy();
    }
  });
});
