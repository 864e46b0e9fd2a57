// dr recover with the application on ECS: the flip scales the dr stack's service up on a revision pointed at the restored data, and verify waits for it.
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import * as fs from "fs";
import * as path from "path";
import { RunReport } from "../../../../scripts/recovery/core/report";
import { EcsServices, FakeEcsService } from "../../../../scripts/simulation/ecsModel";
import { TargetGroups } from "../../../../scripts/simulation/elbModel";
import { DR_OUTPUTS } from "../../../../scripts/simulation/fixtures";
import { simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { Harness } from "../../../fakes/harness";
import { restoredDataOf } from "../../../fakes/fakeStack";
import { AnyStub } from "../../../fakes/sdkFrontEnd";
import { drServiceFollowing, installEcs } from "../../../fakes/sdkEcs";
import { installElb } from "../../../fakes/sdkElb";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;
const CLUSTER = "app-cluster-dr";
const TG = `arn:aws:elasticloadbalancing:${DR_OUTPUTS.region}:123456789012:targetgroup/dr-app-tg/0123456789abcdef`;

describe("dr recover on ECS (compute ecs, in process)", () => {
  let h: Harness;
  let ecs: AnyStub;
  let elb: AnyStub | undefined;
  let model: EcsServices;
  afterEach(() => {
    ecs?.restore();
    elb?.restore();
    elb = undefined;
    h?.dispose();
  });

  /**
   * The dr stack's service following its config as its last `up` applied it, each `up` seen as it ends (the service's desired count
   * and revision), behind the stack's target group when `targetGroup` (its 30 s deregistration delay).
   */
  const make = (targetGroup: boolean, spec: Partial<FakeEcsService> = {}) => {
    let applied: Record<string, string> = {};
    h = new Harness({
      points: [
        simPoint("DynamoDB", "Orders", NOW, 40 * MIN, { restoreMs: 18 * MIN }),
        simPoint("S3", "app-data", NOW, 55 * MIN, { restoreMs: 30 * MIN }),
      ],
      stack: {
        outputs: {
          compute: {
            kind: "ecs",
            clusterName: CLUSTER,
            serviceName: "app-service",
            ...(targetGroup && { targetGroupArn: TG }),
          },
        },
        upMs: [2 * MIN, 1 * MIN],
        // The model settles up to the end of the update on the config before it, then takes the new one.
        onUp: (stack) => {
          service();
          applied = { ...stack.config };
          // The update's UpdateService: the scheduler acts on it now.
          model.updateService(DR_OUTPUTS.region, CLUSTER, "app-service", {});
        },
      },
    });
    ecs = mockClient(ECSClient) as unknown as AnyStub;
    model = new EcsServices(
      [{ ...drServiceFollowing(DR_OUTPUTS.region, CLUSTER, () => applied), ...spec }],
      () => h.clock.now(),
    );
    installEcs(ecs, model);
    if (targetGroup) {
      elb = mockClient(ElasticLoadBalancingV2Client) as unknown as AnyStub;
      installElb(
        elb,
        new TargetGroups(
          [
            {
              region: DR_OUTPUTS.region,
              arn: TG,
              deregistrationDelayMs: 30_000,
              ecsService: { cluster: CLUSTER, name: "app-service" },
            },
          ],
          model,
          () => h.clock.now(),
        ),
      );
    }
  };
  const service = () => model.describeServices(DR_OUTPUTS.region, CLUSTER, ["app-service"]).services[0];
  const report = (): RunReport =>
    JSON.parse(fs.readFileSync(path.join(h.reportDir, "recover-20260412t090000a7.json"), "utf8"));

  it("runs no task in standby; the flip takes the service to the active count on the restored data's revision", async () => {
    make(false);
    expect(service()).to.deep.include({ desiredCount: 0, runningCount: 0 });

    const code = await h.run(["recover", "--yes"]);
    expect(code, h.stderr.text).to.equal(0);
    expect(h.stack.config["dr-app:mode"]).to.equal("active");
    expect(
      Object.values(restoredDataOf(h.stack.config)).find((entry) => entry.kind === "dynamodb")?.id,
    ).to.equal("dr-20260412t090000a7-Orders");
    // verify waited for the deployment of the restored data's revision: every task runs it.
    expect(service()).to.deep.include({ desiredCount: 3, runningCount: 3, pendingCount: 0 });
    expect(service().taskDefinition).to.match(/task-definition\/app-dr:2$/);
    expect(service().deployments.map((d) => `${d.status} ${d.rolloutState}`)).to.deep.equal([
      "PRIMARY COMPLETED",
    ]);
    expect(h.stdout.text).to.contain(
      "verify: every task of app-service in service runs task definition app-dr:2",
    );
  });

  it("GIVEN tasks of the revision before the data update still healthy in the target group THEN the health check waits until only the new ones are", async () => {
    make(true);
    const code = await h.run(["recover", "--yes"]);

    expect(code, h.stderr.text).to.equal(0);
    const text = h.stdout.text;
    // The infrastructure update ran revision 1 (no restored data); the data update made revision 2.
    const waiting = text.indexOf(
      "verify: app-service: 2 task(s) still running an older task definition than app-dr:2 (app-dr:1: 2) (deployment",
    );
    expect(waiting, text).to.be.greaterThan(-1);
    // Then the new tasks run, but the load balancer does not route to them yet.
    const initial = text.indexOf("task(s) on app-dr:2 not healthy in the target group yet (", waiting);
    expect(initial, text).to.be.greaterThan(waiting);
    const done = text.indexOf(
      "verify: every task of app-service in service runs task definition app-dr:2, each healthy in the target group",
    );
    expect(done, text).to.be.greaterThan(initial);
    expect(text.lastIndexOf("health check http", done)).to.equal(-1);
    expect(text.indexOf("health check http", done)).to.be.greaterThan(done);
    expect(report().outcome).to.equal("success");
  });

  it("GIVEN the deployment not done within --rollout-timeout THEN partial and no health check", async () => {
    make(true);
    const code = await h.run(["recover", "--yes", "--rollout-timeout", "20"]);

    expect(code).to.equal(1);
    expect(h.healthCalls).to.deep.equal([]);
    const r = report();
    expect(r.outcome).to.equal("partial");
    expect(r.rto.measuredSeconds).to.equal(undefined);
    expect(r.notes.find((n) => n.startsWith("the dr stack's rollout is not done"))).to.match(
      /^the dr stack's rollout is not done: app-service: 2 task\(s\) still running an older task definition than app-dr:2 \(app-dr:1: 2\) after 20s \(deployment \S+ IN_PROGRESS 0\/3 running\); a server or task on the configuration before the flip may still answer/,
    );
  });

  it("GIVEN the restored data's revision rolled back by the circuit breaker THEN partial, with how to redeploy", async () => {
    make(true, {
      failingTaskDefinitions: [`arn:aws:ecs:${DR_OUTPUTS.region}:123456789012:task-definition/app-dr:2`],
    });
    const code = await h.run(["recover", "--yes"]);

    expect(code).to.equal(1);
    expect(h.healthCalls).to.deep.equal([]);
    const r = report();
    expect(r.outcome).to.equal("partial");
    expect(r.notes.find((n) => n.startsWith("the dr stack's rollout is not done"))).to.match(
      /^the dr stack's rollout is not done: app-service: deployment \S+ of app-dr:2 FAILED \(ECS deployment circuit breaker: tasks failed to start\.\), rolled back to app-dr:1: fix the task definition .* --force-new-deployment, and re-run; /,
    );
  });
});
