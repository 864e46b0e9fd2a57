// dr failback with the application on ECS: the freeze holds until no task or target serves, prod's new revision rolls out healthy, standby scales dr to 0.
import { ECSClient, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import * as fs from "fs";
import * as path from "path";
import { FailbackJournal } from "../../../../scripts/recovery/failback/journal";
import { EcsServices } from "../../../../scripts/simulation/ecsModel";
import { TargetGroups } from "../../../../scripts/simulation/elbModel";
import { DR_OUTPUTS, PROD_OUTPUTS } from "../../../../scripts/simulation/fixtures";
import { FailbackAws } from "../../../fakes/failbackAws";
import { ACTIVE_DR_CONFIG, RECOVERY_STARTED, failbackHarness } from "../../../fakes/failbackFixture";
import { FakeDrStack } from "../../../fakes/fakeStack";
import { Harness } from "../../../fakes/harness";
import { AnyStub } from "../../../fakes/sdkFrontEnd";
import { drServiceFollowing, installEcs, taskDefinitionRevisions } from "../../../fakes/sdkEcs";
import { installElb } from "../../../fakes/sdkElb";

const DR_CLUSTER = "app-cluster-dr";
const PROD_CLUSTER = "app-cluster-prod";
const targetGroupArn = (region: string) =>
  `arn:aws:elasticloadbalancing:${region}:123456789012:targetgroup/app-tg/0123456789abcdef`;
const ecsOutput = (clusterName: string, region: string) => ({
  compute: { kind: "ecs", clusterName, serviceName: "app-service", targetGroupArn: targetGroupArn(region) },
});
/** The dr load balancer's deregistration delay: longer than ECS's way down, so a stopped task's target still drains. */
const DR_DRAIN_MS = 120_000;

describe("dr failback on ECS (compute ecs, in process)", () => {
  let h: Harness;
  let aws: FailbackAws;
  let ecs: AnyStub;
  let elb: AnyStub;
  let model: EcsServices;
  let dr: () => FakeDrStack;
  let prod: () => FakeDrStack;
  const ecsCalls: string[] = [];
  const elbCalls: string[] = [];

  afterEach(() => {
    ecs?.restore();
    elb?.restore();
    aws?.dispose();
    h?.dispose();
  });

  beforeEach(() => {
    const made = failbackHarness({
      prodConfig: { "dr-app:domainName": "api.example.com" },
      prodOutputs: ecsOutput(PROD_CLUSTER, PROD_OUTPUTS.region),
      drStack: { outputs: ecsOutput(DR_CLUSTER, DR_OUTPUTS.region) },
    });
    ({ h, dr, prod } = made);
    aws = new FailbackAws(h, made.points, () => dr().config, Date.parse(RECOVERY_STARTED), {
      drObjects: { "orders/1.json": 30 },
      prodConfig: () => prod().config,
    });
    // Each service follows its stack's config as its last `up` applied it (stacks/compute/ecs.ts).
    const config = (stack: () => FakeDrStack, before: Record<string, string>) => {
      try {
        return stack().config;
      } catch {
        return before; // not opened yet: the config the run will find
      }
    };
    const prodRevision = taskDefinitionRevisions(PROD_OUTPUTS.region, "app-primary");
    ecs = mockClient(ECSClient) as unknown as AnyStub;
    model = new EcsServices(
      [
        drServiceFollowing(DR_OUTPUTS.region, DR_CLUSTER, () => config(dr, ACTIVE_DR_CONFIG)),
        {
          region: PROD_OUTPUTS.region,
          cluster: PROD_CLUSTER,
          name: "app-service",
          taskDefinition: prodRevision({}),
          minimumHealthyPercent: 50,
          deregistrationDelayMs: 30_000,
          follow: () => {
            const c = config(prod, {});
            return {
              desiredCount: c["dr-app:holdServers"] === "true" ? 0 : 3,
              taskDefinition: prodRevision(c),
            };
          },
        },
      ],
      () => h.clock.now(),
    );
    installEcs(ecs, model, (name, input) => {
      ecsCalls.push(`${name} ${String(input.cluster)}`);
    });
    // Each stack's load balancer: the stacks' health check (every 15 s, healthy after 2 checks).
    elb = mockClient(ElasticLoadBalancingV2Client) as unknown as AnyStub;
    const group = (region: string, cluster: string, deregistrationDelayMs: number) => ({
      region,
      arn: targetGroupArn(region),
      intervalMs: 15_000,
      healthyThreshold: 2,
      deregistrationDelayMs,
      ecsService: { cluster, name: "app-service" },
    });
    installElb(
      elb,
      new TargetGroups(
        [group(DR_OUTPUTS.region, DR_CLUSTER, DR_DRAIN_MS), group(PROD_OUTPUTS.region, PROD_CLUSTER, 30_000)],
        model,
        () => h.clock.now(),
      ),
      (name, _input, region) => {
        elbCalls.push(`${name} ${region}`);
      },
    );
  });

  const journal = (): FailbackJournal =>
    JSON.parse(fs.readFileSync(path.join(h.stateDir, "failback.json"), "utf8")) as FailbackJournal;

  /** The service's tasks that may still serve at `at`: every one short of STOPPED. */
  const liveTasks = (region: string, cluster: string, at: number) => {
    const arns = ["RUNNING", "STOPPED"].flatMap((status) =>
      model.listTasks(region, cluster, "app-service", status as "RUNNING" | "STOPPED", at),
    );
    return model.describeTasks(region, cluster, arns, at).tasks.filter((t) => t.lastStatus !== "STOPPED");
  };

  it("freezes until no dr task or target serves, waits for prod's new revision healthy, and leaves dr's service at 0", async () => {
    const code = await h.run(["failback", "--yes", "--poll-max", "30"]);
    expect(code, h.stderr.text).to.equal(0);
    const j = journal();
    expect(j.failback.phases.map((p) => `${p.phase}:${p.outcome}`)).to.deep.equal([
      "pre-copy:ok",
      "freeze:ok",
      "final-copy:ok",
      "restore:ok",
      "s3-copy:ok",
      "prod-data:ok",
      "health:ok",
      "traffic:ok",
      "standby:ok",
    ]);
    // The freeze asked ECS, not EC2, and was confirmed only once every dr task had stopped draining.
    expect(ecsCalls).to.include.members([`ListTasks ${DR_CLUSTER}`, `DescribeTasks ${DR_CLUSTER}`]);
    const confirmed = Date.parse(j.failback.freeze?.confirmedAt ?? "");
    const started = Date.parse(j.failback.freeze?.startedAt ?? "");
    expect(liveTasks(DR_OUTPUTS.region, DR_CLUSTER, started - 1)).to.have.length(3);
    expect(liveTasks(DR_OUTPUTS.region, DR_CLUSTER, confirmed)).to.deep.equal([]);
    // ECS stopped dr's tasks about 40 s after the scale-down; their targets drained for DR_DRAIN_MS.
    expect(confirmed - started).to.be.at.least(DR_DRAIN_MS);
    expect(elbCalls).to.include.members([
      `DescribeTargetHealth ${DR_OUTPUTS.region}`,
      `DescribeTargetHealth ${PROD_OUTPUTS.region}`,
    ]);
    expect(j.failback.phases.find((p) => p.phase === "freeze")?.detail).to.match(
      /^prod held at zero, no dr task in service/,
    );
    // Prod's service rolled out the revision with the restored data before traffic moved.
    expect(h.stdout.text + h.stderr.text).to.contain(
      "health: every task of app-service in service runs task definition app-primary:2, each healthy in the target group",
    );
    expect(ecsCalls).to.include(`DescribeServices ${PROD_CLUSTER}`);
    // Standby: dr back to 0 tasks, nothing serving there.
    expect(dr().config["dr-app:mode"]).to.equal("standby");
    const [drService] = model.describeServices(DR_OUTPUTS.region, DR_CLUSTER, ["app-service"]).services;
    expect(drService.desiredCount).to.equal(0);
    h.clock.advance(60_000);
    expect(liveTasks(DR_OUTPUTS.region, DR_CLUSTER, h.clock.now())).to.deep.equal([]);
    expect(
      liveTasks(PROD_OUTPUTS.region, PROD_CLUSTER, h.clock.now()).map(
        (t) => t.taskDefinitionArn.split("/")[1],
      ),
    ).to.deep.equal(["app-primary:2", "app-primary:2", "app-primary:2"]);
  });

  it("--dry-run names the tasks its freeze holds at zero, as the runbook's steps do", async () => {
    expect(await h.run(["failback", "--dry-run"]), h.stderr.text).to.equal(0);
    expect(h.stdout.text).to.contain("Write freeze: `prod`'s tasks held at zero, then `dr`'s tasks to zero");
    expect(h.stdout.text).to.not.contain("servers held at zero");
    expect(ecs.commandCalls(UpdateServiceCommand)).to.have.length(0);
  });
});
