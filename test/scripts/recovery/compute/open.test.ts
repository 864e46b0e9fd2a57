// Which compute module a stack gets: its `compute` output as the CLI reads it, the Auto Scaling group by default.
import { EC2Client } from "@aws-sdk/client-ec2";
import { expect } from "chai";
import { openCompute } from "../../../../scripts/recovery/compute/open";
import { computeOf, parseDrOutputs } from "../../../../scripts/recovery/core/stackHandle";

describe("compute: the stack's compute output and the module it chooses", () => {
  it("reads an Auto Scaling group or an ECS service, and nothing malformed", () => {
    expect(computeOf({ kind: "autoscaling", groupName: "app-asg-1a2b" })).to.deep.equal({
      kind: "autoscaling",
      groupName: "app-asg-1a2b",
    });
    expect(
      computeOf({ kind: "ecs", clusterName: "app-cluster", serviceName: "app-service", extra: 1 }),
    ).to.deep.equal({
      kind: "ecs",
      clusterName: "app-cluster",
      serviceName: "app-service",
    });
    for (const bad of [
      undefined,
      null,
      "ecs",
      { kind: "ecs", clusterName: "app-cluster" },
      { kind: "lambda", groupName: "x" },
      { kind: "autoscaling", groupName: "" },
    ]) {
      expect(computeOf(bad), JSON.stringify(bad)).to.equal(undefined);
    }
    expect(
      parseDrOutputs({ compute: { kind: "ecs", clusterName: "c", serviceName: "s" } }).compute,
    ).to.deep.equal({
      kind: "ecs",
      clusterName: "c",
      serviceName: "s",
    });
    // The target group the freeze and the rollout read, when the stack outputs it; an empty one is none.
    const tg = "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/app-tg/0123456789abcdef";
    expect(computeOf({ kind: "ecs", clusterName: "c", serviceName: "s", targetGroupArn: tg })).to.deep.equal({
      kind: "ecs",
      clusterName: "c",
      serviceName: "s",
      targetGroupArn: tg,
    });
    expect(computeOf({ kind: "ecs", clusterName: "c", serviceName: "s", targetGroupArn: "" })).to.deep.equal({
      kind: "ecs",
      clusterName: "c",
      serviceName: "s",
    });
  });

  it("opens the Auto Scaling module for a stack without the output (deployed before it), ECS's for an ECS service", () => {
    const ec2 = new EC2Client({ region: "us-west-2" });
    const target = { role: "dr" as const, region: "us-west-2", privateSubnetIds: [] };
    const group = openCompute(target, ec2);
    const service = openCompute(
      { ...target, output: { kind: "ecs", clusterName: "c", serviceName: "s" } },
      ec2,
    );
    try {
      expect([group.kind, group.unit, group.calls.live]).to.deep.equal([
        "autoscaling",
        "server",
        "DescribeInstances",
      ]);
      expect([service.kind, service.unit, service.calls.live]).to.deep.equal([
        "ecs",
        "task",
        "ECS ListTasks/DescribeTasks",
      ]);
    } finally {
      group.dispose();
      service.dispose();
      ec2.destroy();
    }
  });
});
