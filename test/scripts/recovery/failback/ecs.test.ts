// dr failback with the application on ECS: the freeze holds until no task serves, prod's new revision rolls out, standby scales dr to 0.
import { ECSClient } from "@aws-sdk/client-ecs";
import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import * as fs from "fs";
import * as path from "path";
import { FailbackJournal } from "../../../../scripts/recovery/failback/journal";
import { EcsServices } from "../../../../scripts/simulation/ecsModel";
import { DR_OUTPUTS, PROD_OUTPUTS } from "../../../../scripts/simulation/fixtures";
import { FailbackAws } from "../../../fakes/failbackAws";
import { ACTIVE_DR_CONFIG, RECOVERY_STARTED, failbackHarness } from "../../../fakes/failbackFixture";
import { FakeDrStack } from "../../../fakes/fakeStack";
import { Harness } from "../../../fakes/harness";
import { AnyStub } from "../../../fakes/sdkFrontEnd";
import { drServiceFollowing, installEcs, taskDefinitionRevisions } from "../../../fakes/sdkEcs";

const DR_CLUSTER = "app-cluster-dr";
const PROD_CLUSTER = "app-cluster-prod";
const ecsOutput = (clusterName: string) => ({
  compute: { kind: "ecs", clusterName, serviceName: "app-service" },
});

describe("dr failback on ECS (compute ecs, in process)", () => {
  let h: Harness;
  let aws: FailbackAws;
  let ecs: AnyStub;
  let model: EcsServices;
  let dr: () => FakeDrStack;
  let prod: () => FakeDrStack;
  const ecsCalls: string[] = [];

  afterEach(() => {
    ecs?.restore();
    aws?.dispose();
    h?.dispose();
  });

  beforeEach(() => {
    const made = failbackHarness({
      prodConfig: { "dr-app:domainName": "api.example.com" },
      prodOutputs: ecsOutput(PROD_CLUSTER),
      drStack: { outputs: ecsOutput(DR_CLUSTER) },
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

  it("freezes until no dr task serves, waits for prod's new revision, and leaves dr's service at 0", async () => {
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
    expect(confirmed - started).to.be.at.least(30_000); // the target group's deregistration delay
    expect(j.failback.phases.find((p) => p.phase === "freeze")?.detail).to.match(
      /^prod held at zero, no dr task in service/,
    );
    // Prod's service rolled out the revision with the restored data before traffic moved.
    expect(h.stdout.text + h.stderr.text).to.contain(
      "health: every task of app-service in service runs task definition app-primary:2",
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
});
