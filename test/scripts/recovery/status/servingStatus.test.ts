// dr status on ECS: dr's and prod's serving tasks (running/desired, the deployment's rollout), and prod's tasks unheld while dr is active.
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { ECSClient } from "@aws-sdk/client-ecs";
import { expect } from "chai";
import * as http from "http";
import { AddressInfo, Socket } from "net";
import { AwsClients, REGION_MAY_BE_DOWN } from "../../../../scripts/aws/clients";
import { readServing } from "../../../../scripts/recovery/status/serving";
import { applyEnvironment, rehearsalEnvironment } from "../../../../scripts/rehearsal/isolation";
import { mockClient } from "aws-sdk-client-mock";
import { StatusReport } from "../../../../scripts/recovery/status/status";
import { AutoScalingGroups } from "../../../../scripts/simulation/autoScaling";
import { EcsServices, FakeEcsService } from "../../../../scripts/simulation/ecsModel";
import { PROD_OUTPUTS } from "../../../../scripts/simulation/fixtures";
import { simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { FakeDrStack } from "../../../fakes/fakeStack";
import { Harness } from "../../../fakes/harness";
import { AnyStub } from "../../../fakes/sdkFrontEnd";
import { installEcs } from "../../../fakes/sdkEcs";
import { installAutoScaling } from "../../../fakes/sdkAutoScaling";

const MIN = 60_000;
const DR = "us-west-2";
const PRIMARY = "us-east-1";
const td = (region: string, family: string, revision: number) =>
  `arn:aws:ecs:${region}:123456789012:task-definition/${family}:${revision}`;

const DR_SERVICE: FakeEcsService = {
  region: DR,
  cluster: "dr-app-cluster",
  name: "dr-app-service",
  taskDefinition: td(DR, "app-dr", 2),
  desiredCount: 3,
  minimumHealthyPercent: 50,
  deregistrationDelayMs: 30_000,
};
const PROD_SERVICE: FakeEcsService = {
  region: PRIMARY,
  cluster: "prod-app-cluster",
  name: "prod-app-service",
  taskDefinition: td(PRIMARY, "app-primary", 1),
  desiredCount: 2,
  minimumHealthyPercent: 50,
  deregistrationDelayMs: 30_000,
};

describe("dr status: serving units on ECS (scripts/recovery/status/serving.ts)", () => {
  let h: Harness;
  let ecs: AnyStub;
  let model: EcsServices;
  const ecsCalls: string[] = [];

  /** dr active (or not) on ECS, prod's service as given; the services started ten minutes ago. */
  function make(
    prod: Partial<FakeEcsService>,
    dr: Partial<FakeEcsService> = {},
    drCompute: object = { kind: "ecs", clusterName: "dr-app-cluster", serviceName: "dr-app-service" },
    drOutputs: object = {},
  ): void {
    const stacks: { prod?: FakeDrStack } = {};
    h = new Harness({
      points: [simPoint("RDS", "production-db", Date.parse("2026-04-12T09:00:00Z"), 30 * MIN)],
      primaryUp: true,
      sim: { primary: { region: PRIMARY, vaultName: "primary-vault", points: [] } },
      stack: {
        config: { "dr-app:mode": "active", "dr-app:primaryStack": "prod" },
        outputs: { compute: drCompute, ...drOutputs },
      },
      openStack: async ({ stackName }) => (stackName === "prod" ? (stacks.prod as FakeDrStack) : h.stack),
    });
    stacks.prod = new FakeDrStack(h.clock, {
      name: "prod",
      outputsOf: () => ({
        ...PROD_OUTPUTS,
        compute: { kind: "ecs", clusterName: "prod-app-cluster", serviceName: "prod-app-service" },
      }),
    });
    // Started ten minutes before the status: their first tasks long RUNNING.
    let shift = 10 * MIN;
    model = new EcsServices(
      [
        { ...DR_SERVICE, ...dr },
        { ...PROD_SERVICE, ...prod },
      ],
      () => h.clock.now() - shift,
    );
    shift = 0;
    installEcs(ecs, model, (name) => {
      ecsCalls.push(name);
    });
  }

  beforeEach(() => {
    ecs = mockClient(ECSClient) as unknown as AnyStub;
    ecsCalls.length = 0;
  });
  afterEach(() => {
    h?.dispose();
    ecs.restore();
  });

  it("GIVEN dr active on ECS and prod's service unheld THEN both services' tasks and rollouts are shown, and prod's running tasks are a finding (exit 1)", async () => {
    make({});
    expect(await h.run(["status"])).to.equal(1);
    const out = h.stdout.text;
    expect(out).to.contain("Serving units:");
    expect(out).to.match(
      /dr\s+us-west-2\s+ECS service\s+dr-app-service\s+3\/3 task\(s\)\s+done\s+every task/,
    );
    expect(out).to.match(/prod\s+us-east-1\s+ECS service\s+prod-app-service\s+2\/2 task\(s\)\s+done/);
    expect(out).to.contain(
      "prod's ECS service prod-app-service (us-east-1) runs 2 task(s) while dr is active: they serve the pre-disaster data, and Route 53 sends users to them whenever dr's load balancer has no healthy target; hold them until the failback: pulumi config set dr-app:holdServers true -s prod && pulumi up -s prod",
    );
    expect(ecsCalls).to.include.members(["DescribeServices", "DescribeTaskDefinition"]);
  });

  it("GIVEN prod's service held at zero and dr's rolling a new task definition THEN --json reports 0/0 and the rollout in progress, no finding of them", async () => {
    make({ desiredCount: 0 });
    // The flip's data update: a new task definition revision, its tasks not RUNNING yet.
    model.updateService(DR, "dr-app-cluster", "dr-app-service", { taskDefinition: td(DR, "app-dr", 3) });
    expect(await h.run(["status", "--json"])).to.equal(0);
    const report = JSON.parse(h.stdout.text) as StatusReport;
    expect(report.problems).to.deep.equal([]);
    const [dr, prod] = report.serving ?? [];
    expect([dr.stack, dr.kind, dr.unit, dr.name, dr.running, dr.desired, dr.rollout]).to.deep.equal([
      "dr",
      "ecs",
      "task",
      "dr-app-service",
      // The rolling update keeps minimumHealthyPercent (50 %) serving: one old task stopped at once.
      2,
      3,
      "rolling",
    ]);
    expect(dr.detail).to.contain("2 task(s) still running an older task definition than app-dr:3");
    expect([prod.stack, prod.name, prod.running, prod.desired, prod.rollout, prod.detail]).to.deep.equal([
      "prod",
      "prod-app-service",
      0,
      0,
      "none",
      "scaled to zero: nothing serves",
    ]);
  });

  it("GIVEN a deployment the circuit breaker failed THEN it is a finding naming the deployment and the fix", async () => {
    const failing = td(DR, "app-dr", 3);
    make({ desiredCount: 0 }, { failingTaskDefinitions: [failing] });
    model.updateService(DR, "dr-app-cluster", "dr-app-service", { taskDefinition: failing });
    // Tasks that never start: the breaker fails the deployment after three of them, and rolls back.
    await h.clock.sleep(5 * MIN);
    expect(await h.run(["status"])).to.equal(1, h.stdout.text);
    expect(h.stdout.text).to.match(
      /dr's ECS service dr-app-service \(us-west-2\): dr-app-service: runs app-dr:2, not the latest revision app-dr:3 \(a deployment rolled back, or the service was not updated\): fix the task definition .* --force-new-deployment, and re-run/,
    );
  });

  it("reads prod's service with the budget of a region that may be down (2 attempts, timeouts), dr's with the CLI's", async () => {
    make({ desiredCount: 0 });
    expect(await h.run(["status", "--json"])).to.equal(0);
    const budgets = await Promise.all(
      ecs.calls().map(async (call) => {
        const config = (call.thisValue as ECSClient).config;
        return `${await config.region()} ${await config.maxAttempts()}`;
      }),
    );
    expect([...new Set(budgets)].sort()).to.deep.equal([`${PRIMARY} 2`, `${DR} 8`]);
  });

  it("GIVEN prod's ECS endpoint never answers THEN the read ends on the budget's timeout, prod's units unread", async function () {
    // Real time, kept short: a server that takes connections and never answers, 200 ms per attempt.
    this.timeout(20_000);
    ecs.restore(); // the real ECS client, over HTTP
    const sockets: Socket[] = [];
    const requests: string[] = [];
    const blackHole = http.createServer((req) => {
      requests.push(String(req.headers["amz-sdk-request"]));
    });
    blackHole.on("connection", (socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
    const { port } = blackHole.address() as AddressInfo;
    const restoreEnv = applyEnvironment(
      rehearsalEnvironment(`http://127.0.0.1:${port}`, PRIMARY, "/nonexistent"),
    );
    try {
      const prod = await readServing(
        {
          stack: "prod",
          compute: { kind: "ecs", clusterName: "prod-app-cluster", serviceName: "prod-app-service" },
          region: PRIMARY,
          clients: {} as AwsClients,
          budget: { ...REGION_MAY_BE_DOWN, connectionTimeoutMs: 200, requestTimeoutMs: 200 },
          privateSubnetIds: [],
        },
        undefined,
      );
      expect([prod.stack, prod.rollout]).to.deep.equal(["prod", "unread"]);
      expect(prod.detail).to.match(/not read: .*[Tt]ime/);
      // Each call tried twice, never more.
      expect(requests.length).to.be.greaterThan(0);
      expect(
        requests.every((r) => /max=2/.test(r)),
        requests.join(", "),
      ).to.equal(true);
    } finally {
      restoreEnv();
      ecs = mockClient(ECSClient) as unknown as AnyStub;
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => blackHole.close(resolve));
    }
  });

  it("GIVEN prod's stack cannot be opened THEN dr's units are shown and a warning says prod's were not read", async () => {
    make({});
    const opened = h.deps.openStack;
    (h.deps as { openStack: typeof opened }).openStack = async (options) => {
      if (options.stackName === "prod") throw new Error("no stack named 'prod' found");
      return opened(options);
    };
    expect(await h.run(["status", "--json"])).to.equal(0);
    const report = JSON.parse(h.stdout.text) as StatusReport;
    expect(report.serving?.map((s) => s.stack)).to.deep.equal(["dr"]);
    expect(h.stderr.text).to.contain(
      "prod's serving units not read: its stack's outputs could not be read (no stack named 'prod' found)",
    );
  });

  it("GIVEN no primary vault to read THEN prod's stack is not opened: its units would have nothing to be read with", async () => {
    make({}, {}, undefined, { primaryVaultName: undefined });
    const opened: Array<string | undefined> = [];
    const open = h.deps.openStack;
    (h.deps as { openStack: typeof open }).openStack = async (options) => {
      opened.push(options.stackName);
      return open(options);
    };
    await h.run(["status", "--json"]);
    expect(opened).to.not.include("prod");
    const report = JSON.parse(h.stdout.text) as StatusReport;
    expect(report.serving?.map((s) => s.stack)).to.deep.equal(["dr"]);
  });

  it("GIVEN dr on an Auto Scaling group THEN its InService servers against its desired capacity, through the same compute seam", async () => {
    make({ desiredCount: 0 }, {}, { kind: "autoscaling", groupName: "dr-app-asg" });
    const autoScaling = mockClient(AutoScalingClient) as unknown as AnyStub;
    try {
      let shift = 10 * MIN;
      const groups = new AutoScalingGroups(
        [{ region: DR, name: "dr-app-asg", desiredCapacity: 2, launchTemplateVersion: 1 }],
        () => h.clock.now() - shift,
      );
      shift = 0;
      installAutoScaling(autoScaling, groups);
      expect(await h.run(["status", "--json"])).to.equal(0);
      const [dr] = (JSON.parse(h.stdout.text) as StatusReport).serving ?? [];
      expect([dr.kind, dr.unit, dr.name, dr.running, dr.desired, dr.rollout]).to.deep.equal([
        "autoscaling",
        "server",
        "dr-app-asg",
        2,
        2,
        "done",
      ]);
    } finally {
      autoScaling.restore();
    }
  });
});
