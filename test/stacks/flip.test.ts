import { expect } from "chai";
import { diffFlip, FlipChange, outsideFlipScope } from "../../scripts/plan/flipChanges";
import { ECS_DATA, evaluateStack } from "./fixtures";

/** Every identifier the recovery CLI can set on a flip (scripts/recovery/flip/drConfig.ts), with its naming. */
const EVERY_RESTORED = {
  restoredDbEndpoint: "dr-20261123t093000a7-app-db.xyz789.us-west-2.rds.amazonaws.com:5432",
  restoredDbInstanceId: "dr-20261123t093000a7-app-db",
  restoredTableName: "dr-20261123t093000a7-app-table",
  restoredVolumeId: "vol-0123456789abcdef0",
  restoredBucketName: "dr-20261123t093000a7-app-bucket",
};

/** The dr stack's variants: every setting that adds or shapes resources. */
const VARIANTS: Record<string, Record<string, string>> = {
  "the stack file as is": {},
  "a public DNS name": { route53ZoneId: "Z0123456789ABCDEFGHIJ", domainName: "api.example.com" },
  "Session Manager and logs endpoints": { interfaceEndpoints: "true" },
  "the region's first two availability zones": { availabilityZones: "[]" },
  "everything on": {
    route53ZoneId: "Z0123456789ABCDEFGHIJ",
    domainName: "api.example.com",
    interfaceEndpoints: "true",
  },
};

describe("flip from standby to active is statically stable", () => {
  for (const [variant, config] of Object.entries(VARIANTS)) {
    describe(`GIVEN ${variant}`, () => {
      let changes: FlipChange[];

      before(async () => {
        const standby = await evaluateStack("dr", config);
        const active = await evaluateStack("dr", { ...config, mode: "active", ...EVERY_RESTORED });
        changes = diffFlip(standby.registrations, active.registrations, "us-west-2");
      });

      it("changes nothing but the Auto Scaling group's capacity and the launch template's user data", () => {
        expect(outsideFlipScope(changes)).to.deep.equal([]);
        expect(changes.map((c) => `${c.type} ${c.name}: ${c.keys.join(", ")}`)).to.deep.equal([
          "aws:autoscaling/group:Group app-asg: desiredCapacity, maxSize, minSize",
          "aws:ec2/launchTemplate:LaunchTemplate app-launch-template: userData",
        ]);
      });
    });
  }
});

describe("flip with restoredData (the inventory's one config value) is statically stable too", () => {
  it("changes nothing but the Auto Scaling group's capacity and the launch template's user data", async () => {
    const restoredData = JSON.stringify({
      db: {
        kind: "rds",
        id: EVERY_RESTORED.restoredDbInstanceId,
        endpoint: EVERY_RESTORED.restoredDbEndpoint,
      },
      table: { kind: "dynamodb", id: EVERY_RESTORED.restoredTableName },
      volume: { kind: "ebs", id: EVERY_RESTORED.restoredVolumeId },
      bucket: { kind: "s3", id: EVERY_RESTORED.restoredBucketName },
    });
    const standby = await evaluateStack("dr");
    const active = await evaluateStack("dr", { mode: "active", restoredData });
    const changes = diffFlip(standby.registrations, active.registrations, "us-west-2");
    expect(outsideFlipScope(changes)).to.deep.equal([]);
    expect(changes.map((c) => `${c.type} ${c.name}: ${c.keys.join(", ")}`)).to.deep.equal([
      "aws:autoscaling/group:Group app-asg: desiredCapacity, maxSize, minSize",
      "aws:ec2/launchTemplate:LaunchTemplate app-launch-template: userData",
    ]);
    expect(active.warnings.join("\n")).not.to.contain("deprecated");
  });
});

/** An image in the DR region's private ECR: what a dr stack without NAT can pull. */
const DR_IMAGE = "123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1.4";

describe("flip from standby to active on ECS (compute ecs) is statically stable", () => {
  for (const [variant, config] of Object.entries(VARIANTS)) {
    describe(`GIVEN ${variant}`, () => {
      let changes: FlipChange[];

      before(async () => {
        const ecs = { ...config, compute: "ecs", data: ECS_DATA, containerImage: DR_IMAGE };
        const standby = await evaluateStack("dr", ecs);
        const active = await evaluateStack("dr", { ...ecs, mode: "active", ...EVERY_RESTORED });
        changes = diffFlip(standby.registrations, active.registrations, "us-west-2");
      });

      it("changes nothing but the service's desired count and the task definition's containers", () => {
        expect(outsideFlipScope(changes)).to.deep.equal([]);
        expect(changes.map((c) => `${c.type} ${c.name}: ${c.keys.join(", ")}`)).to.deep.equal([
          "aws:ecs/service:Service app-service: desiredCount",
          "aws:ecs/taskDefinition:TaskDefinition app-task: containerDefinitions",
        ]);
      });
    });
  }
});

describe("diffFlip and outsideFlipScope", () => {
  const resource = (type: string, name: string, inputs: Record<string, unknown>) => ({ type, name, inputs });
  const policy = "aws:iam/rolePolicy:RolePolicy";

  it("names a resource outside the flip's scope and the input keys that differ", () => {
    const changes = diffFlip(
      [resource(policy, "app-instance-data", { role: "r", policy: "{}" })],
      [resource(policy, "app-instance-data", { role: "r", policy: '{"Statement":[]}' })],
      "us-west-2",
    );
    expect(changes).to.deep.equal([
      { type: policy, name: "app-instance-data", kind: "changed", keys: ["policy"], region: "global" },
    ]);
    expect(outsideFlipScope(changes)).to.deep.equal([`${policy} app-instance-data changes policy`]);
  });

  it("names a resource that exists in only one mode", () => {
    const record = resource("aws:route53/record:Record", "app-dns", { name: "api.example.com" });
    expect(outsideFlipScope(diffFlip([], [record], "us-west-2"))).to.deep.equal([
      "aws:route53/record:Record app-dns exists only in active",
    ]);
    expect(outsideFlipScope(diffFlip([record], [], "us-west-2"))).to.deep.equal([
      "aws:route53/record:Record app-dns exists only in standby",
    ]);
  });

  it("names keys of an ECS service the flip must not change: its load balancer, its network", () => {
    const service = "aws:ecs/service:Service";
    const changes = diffFlip(
      [resource(service, "app-service", { desiredCount: 0, loadBalancers: [{ targetGroupArn: "a" }] })],
      [resource(service, "app-service", { desiredCount: 3, loadBalancers: [{ targetGroupArn: "b" }] })],
      "us-west-2",
    );
    expect(outsideFlipScope(changes)).to.deep.equal([`${service} app-service changes loadBalancers`]);
  });

  it("names keys of an allowed resource that the flip must not change", () => {
    const group = "aws:autoscaling/group:Group";
    const changes = diffFlip(
      [resource(group, "app-asg", { region: "us-west-2", minSize: 0, targetGroupArns: ["a"] })],
      [resource(group, "app-asg", { region: "us-west-2", minSize: 2, targetGroupArns: ["b"] })],
      "us-west-2",
    );
    expect(outsideFlipScope(changes)).to.deep.equal([`${group} app-asg changes targetGroupArns`]);
  });
});
