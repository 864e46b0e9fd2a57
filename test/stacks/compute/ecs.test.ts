// The application on ECS (compute ecs): a Fargate service behind the load balancer, at zero in standby.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LINK_DATA_DIRECTORIES } from "../../../stacks/compute/ecs";
import { HEALTH_SERVER_SOURCE } from "../../../stacks/userData";
import { HEALTH_CHECK_TIMEOUT_SECONDS } from "../../../stacks/environment";
import { ECS_DATA, evaluateStack, EvaluatedStack, inputsOf, userDataOf } from "../fixtures";

const SERVICE = "aws:ecs/service:Service";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const POLICY = "aws:iam/rolePolicy:RolePolicy";
/** An image in the DR region's private ECR: what a dr stack without NAT can pull. */
const DR_IMAGE = "123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1.4";

/** The container's variables, by name. */
function containerVariables(stack: EvaluatedStack): Record<string, string> {
  const [container] = JSON.parse(inputsOf(stack.registrations, TASK, "app-task").containerDefinitions);
  return Object.fromEntries(
    (container.environment as { name: string; value: string }[]).map((v) => [v.name, v.value]),
  );
}

describe("compute ecs: the application as a Fargate service", () => {
  let standby: EvaluatedStack;
  let active: EvaluatedStack;
  let servers: EvaluatedStack;
  let prod: EvaluatedStack;

  before(async () => {
    standby = await evaluateStack("dr", { compute: "ecs", data: ECS_DATA, containerImage: DR_IMAGE });
    active = await evaluateStack("dr", {
      compute: "ecs",
      data: ECS_DATA,
      containerImage: DR_IMAGE,
      mode: "active",
      restoredTableName: "dr-20261123t093000a7-app-table",
    });
    servers = await evaluateStack("dr", {
      data: ECS_DATA,
      mode: "active",
      restoredTableName: "dr-20261123t093000a7-app-table",
    });
    prod = await evaluateStack("prod", { compute: "ecs", data: ECS_DATA });
  });

  it("runs no task in standby and the active desired count when active, on Fargate in the private subnets", () => {
    expect(inputsOf(standby.registrations, SERVICE, "app-service")).to.deep.include({
      desiredCount: 0,
      launchType: "FARGATE",
      deploymentMinimumHealthyPercent: 50,
      deploymentMaximumPercent: 200,
      waitForSteadyState: false,
    });
    expect(inputsOf(active.registrations, SERVICE, "app-service").desiredCount).to.equal(3);
    expect(inputsOf(active.registrations, SERVICE, "app-service").networkConfiguration).to.deep.include({
      assignPublicIp: false,
    });
  });

  it("keeps each task definition revision registered when a new one replaces it, so the circuit breaker can roll back to it", () => {
    expect(inputsOf(active.registrations, TASK, "app-task").skipDestroy).to.equal(true);
  });

  it("registers its tasks by IP in the load balancer's target group, on the application port", () => {
    const alb = inputsOf(standby.registrations, "awsx:lb:ApplicationLoadBalancer", "app-alb");
    expect(alb.defaultTargetGroup.targetType).to.equal("ip");
    // Set, not the 5 s default: the default health endpoint answers from a result at most 10 s old.
    expect(alb.defaultTargetGroup.healthCheck).to.deep.include({
      interval: 15,
      timeout: HEALTH_CHECK_TIMEOUT_SECONDS,
    });
    const balancer = inputsOf(standby.registrations, SERVICE, "app-service").loadBalancers[0];
    expect(balancer).to.deep.include({ containerName: "app", containerPort: 80 });
    const servedByGroup = inputsOf(servers.registrations, "awsx:lb:ApplicationLoadBalancer", "app-alb");
    expect(servedByGroup.defaultTargetGroup.targetType).to.equal("instance");
  });

  it("creates no Auto Scaling group, launch template or instance role", () => {
    const types = standby.registrations.map((r) => r.type);
    expect(types).to.not.include("aws:autoscaling/group:Group");
    expect(types).to.not.include("aws:ec2/launchTemplate:LaunchTemplate");
    expect(standby.registrations.filter((r) => r.name === "app-instance-data")).to.deep.equal([]);
  });

  it("grants the task role exactly what the servers' role gets", () => {
    const task = JSON.parse(inputsOf(active.registrations, POLICY, "app-task-data").policy);
    const instance = JSON.parse(inputsOf(servers.registrations, POLICY, "app-instance-data").policy);
    expect(task).to.deep.equal(instance);
    const role = inputsOf(active.registrations, "aws:iam/role:Role", "app-task-role");
    expect(JSON.parse(role.assumeRolePolicy).Statement[0].Principal).to.deep.equal({
      Service: "ecs-tasks.amazonaws.com",
    });
  });

  it("gives the container the variables the servers' user data writes", () => {
    const variables = containerVariables(active);
    const env = userDataOf(
      inputsOf(servers.registrations, "aws:ec2/launchTemplate:LaunchTemplate", "app-launch-template"),
    );
    for (const line of env.split("\n").filter((l) => /^APP_[A-Z_]+=/.test(l))) {
      const [key, ...value] = line.split("=");
      expect(variables[key], key).to.equal(value.join("="));
    }
    expect(variables.APP_TABLE_NAME).to.equal("dr-20261123t093000a7-app-table");
  });

  it("starts the default image's health server from a gzip'd source, and keeps the task definition inside ECS's 64 KiB", () => {
    const [container] = JSON.parse(inputsOf(prod.registrations, TASK, "app-task").containerDefinitions);
    expect(
      Buffer.byteLength(inputsOf(prod.registrations, TASK, "app-task").containerDefinitions),
    ).to.be.below(32 * 1024);
    const command = (container.command as string[])[2];
    const decode = /python3 -c '([^']+)'/.exec(command)![1];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-health-"));
    const result = spawnSync("python3", ["-c", decode.replace("/tmp/health_server.py", `${dir}/health.py`)], {
      env: { ...process.env, DR_APP_HEALTH_SERVER: containerVariables(prod).DR_APP_HEALTH_SERVER },
      encoding: "utf8",
    });
    expect(result.status, result.stderr).to.equal(0);
    expect(fs.readFileSync(`${dir}/health.py`, "utf8")).to.equal(HEALTH_SERVER_SOURCE);
  });

  it("links each file system's application path: the root, or a restored one's aws-backup-restore_* directory (POSIX sh)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ecs-link-"));
    fs.mkdirSync(`${dir}/root/own/reports`, { recursive: true });
    fs.mkdirSync(`${dir}/root/restored/aws-backup-restore_2026-11-23T09-30-00-000Z/reports`, {
      recursive: true,
    });
    fs.mkdirSync(`${dir}/root/bare`, { recursive: true });
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      APP_DATA_NAMES: "own,restored-fs,bare,orders",
    };
    const fileSystem = (name: string, variable: string, root: string, restored: boolean) => {
      env[`APP_DATA_${variable}_KIND`] = "efs";
      env[`APP_DATA_${variable}_ROOT_PATH`] = `${dir}/root/${root}`;
      env[`APP_DATA_${variable}_MOUNT_PATH`] = `${dir}/app/${name}`;
      env[`APP_DATA_${variable}_RESTORED`] = String(restored);
    };
    fileSystem("own", "OWN", "own", false);
    fileSystem("restored-fs", "RESTORED_FS", "restored", true);
    fileSystem("bare", "BARE", "bare", true);
    env.APP_DATA_ORDERS_KIND = "dynamodb";
    const result = spawnSync("sh", ["-c", LINK_DATA_DIRECTORIES], { env, encoding: "utf8" });
    expect(result.status, result.stderr).to.equal(0);
    expect(fs.readlinkSync(`${dir}/app/own`)).to.equal(`${dir}/root/own`);
    expect(fs.readlinkSync(`${dir}/app/restored-fs`)).to.equal(
      `${dir}/root/restored/aws-backup-restore_2026-11-23T09-30-00-000Z`,
    );
    expect(fs.readdirSync(`${dir}/app/restored-fs`)).to.deep.equal(["reports"]);
    expect(fs.existsSync(`${dir}/app/bare`)).to.equal(false);
  });

  it("exports what runs the application as the compute output, with its target group, on both stacks", () => {
    expect(standby.outputs.compute).to.deep.include({ kind: "ecs" });
    // The target group's ARN too: the freeze and the rollout read its targets' health.
    expect(standby.outputs.compute).to.have.keys("kind", "clusterName", "serviceName", "targetGroupArn");
    expect((standby.outputs.compute as { targetGroupArn: string }).targetGroupArn).to.match(
      /^arn:aws:elasticloadbalancing:/,
    );
    expect(prod.outputs.compute).to.deep.include({ kind: "ecs" });
    expect(servers.outputs.compute).to.deep.include({ kind: "autoscaling" });
    expect(servers.outputs.compute).to.have.keys("kind", "groupName");
  });

  it("holds prod's service at zero while a failback holds its servers", async () => {
    const held = await evaluateStack("prod", { compute: "ecs", data: ECS_DATA, holdServers: "true" });
    expect(inputsOf(held.registrations, SERVICE, "app-service").desiredCount).to.equal(0);
    expect(inputsOf(prod.registrations, SERVICE, "app-service").desiredCount).to.equal(3);
  });

  it("creates the ECR and logs endpoints the tasks pull and log through in standby already (no NAT gateway)", () => {
    const endpoints = standby.registrations
      .filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint")
      .map((r) => String(r.inputs.serviceName));
    expect(endpoints).to.include.members([
      "com.amazonaws.us-west-2.ecr.api",
      "com.amazonaws.us-west-2.ecr.dkr",
      "com.amazonaws.us-west-2.logs",
      "com.amazonaws.us-west-2.s3",
    ]);
    const prodEndpoints = prod.registrations
      .filter((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint")
      .map((r) => String(r.inputs.serviceName));
    expect(prodEndpoints).to.not.include("com.amazonaws.us-east-1.ecr.dkr"); // prod has its NAT gateway
  });

  it("refuses, on a dr stack, an image outside the DR region's private ECR: nothing else is reachable without NAT", async () => {
    let message = "";
    try {
      await evaluateStack("dr", { compute: "ecs", data: ECS_DATA });
    } catch (err) {
      message = String((err as Error).message);
    }
    expect(message).to.contain("dr-app:containerImage");
    expect(message).to.contain("public.ecr.aws/docker/library/python:3.12-alpine");
    expect(message).to.contain("must be an image in us-west-2's private ECR");
  });

  it("refuses a container image reference with characters no registry takes", async () => {
    let message = "";
    try {
      await evaluateStack("prod", { compute: "ecs", data: ECS_DATA, containerImage: "My App:latest" });
    } catch (err) {
      message = String((err as Error).message);
    }
    expect(message).to.contain("dr-app:containerImage");
    expect(message).to.contain("My App:latest");
    expect(message).to.contain("must be a container image reference");
  });

  it("refuses an EBS entry with compute ecs: a task gets only a new volume ECS creates, never prod's or a restored one", async () => {
    let message = "";
    try {
      await evaluateStack("prod", { compute: "ecs" });
    } catch (err) {
      message = String((err as Error).message);
    }
    expect(message).to.contain(
      "Configuration 'dr-app:data[volume].kind' value 'ebs' cannot be served with compute ecs: an ECS task gets only a new EBS volume ECS creates at its launch, never an existing one such as prod's or a restored volume; use an efs entry, or compute autoscaling",
    );
  });

  it("refuses a compute it does not know, naming the key, the value and the choices", async () => {
    let message = "";
    try {
      await evaluateStack("dr", { compute: "lambda" });
    } catch (err) {
      message = String((err as Error).message);
    }
    expect(message).to.contain("dr-app:compute");
    expect(message).to.contain("lambda");
    expect(message).to.contain('["autoscaling","ecs"]');
  });
});
