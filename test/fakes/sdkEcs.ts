/** The SDK front end of the simulated ECS: aws-sdk-client-mock handlers calling the ECS model (scripts/simulation/ecsModel.ts). */
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { EcsServices, FakeEcsService } from "../../scripts/simulation/ecsModel";
import { eniAttachments } from "../../scripts/simulation/ecsService";
import { AnyStub, serve } from "./sdkFrontEnd";
import { restoredVersions } from "./drCompute";

/** ListTasks' default and largest page (ECS API reference, ListTasks `maxResults`: 1-100, default 100). */
const LIST_TASKS_PAGE = 100;

/** The cluster's name from a cluster name or ARN (`arn:aws:ecs:<region>:<account>:cluster/<name>`). */
function clusterName(cluster: string | undefined): string {
  return (cluster ?? "default").split("/").at(-1) as string;
}

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

/**
 * DescribeServices, UpdateService, ListTasks, DescribeTasks and DescribeTaskDefinition on
 * aws-sdk-client-mock, in the region of the client that sent them, answered by the {@link EcsServices}
 * model.
 */
export function installEcs(
  mock: AnyStub,
  model: EcsServices,
  /** Runs before the model sees each call (a test's instrument). */
  before: (name: string, input: Record<string, unknown>, region: string) => Promise<void> | void = () => {},
): void {
  serve(
    mock,
    DescribeServicesCommand,
    (input: { cluster?: string; services?: string[] }, region) => {
      const answer = model.describeServices(region, clusterName(input.cluster), input.services ?? []);
      return {
        services: answer.services.map((s) => ({
          ...s,
          status: "ACTIVE",
          deployments: s.deployments.map((d) => ({ ...d, createdAt: date(d.createdAt) })),
          events: s.events.map((e) => ({ ...e, createdAt: date(e.createdAt) })),
        })),
        failures: answer.failures,
      };
    },
    before,
  );
  serve(
    mock,
    UpdateServiceCommand,
    (
      input: { cluster?: string; service?: string; desiredCount?: number; taskDefinition?: string },
      region,
    ) => {
      model.updateService(region, clusterName(input.cluster), input.service ?? "", {
        desiredCount: input.desiredCount,
        taskDefinition: input.taskDefinition,
      });
      return {
        service: model.describeServices(region, clusterName(input.cluster), [input.service ?? ""])
          .services[0],
      };
    },
    before,
  );
  serve(
    mock,
    ListTasksCommand,
    (
      input: {
        cluster?: string;
        serviceName?: string;
        desiredStatus?: "RUNNING" | "STOPPED";
        nextToken?: string;
        maxResults?: number;
      },
      region,
    ) => {
      const arns = model.listTasks(
        region,
        clusterName(input.cluster),
        input.serviceName ?? "",
        input.desiredStatus,
      );
      const from = Number(input.nextToken ?? 0);
      const size = input.maxResults ?? LIST_TASKS_PAGE;
      return {
        taskArns: arns.slice(from, from + size),
        ...(from + size < arns.length && { nextToken: String(from + size) }),
      };
    },
    before,
  );
  serve(
    mock,
    DescribeTasksCommand,
    (input: { cluster?: string; tasks?: string[] }, region) => {
      const answer = model.describeTasks(region, clusterName(input.cluster), input.tasks ?? []);
      return {
        tasks: answer.tasks.map(({ privateIp, ...t }) => ({
          ...t,
          attachments: eniAttachments(privateIp),
          createdAt: date(t.createdAt),
          startedAt: date(t.startedAt),
          stoppedAt: date(t.stoppedAt),
        })),
        failures: answer.failures,
      };
    },
    before,
  );
  serve(
    mock,
    DescribeTaskDefinitionCommand,
    (input: { taskDefinition?: string }, region) => ({
      taskDefinition: model.describeTaskDefinition(region, input.taskDefinition ?? ""),
    }),
    before,
  );
}

/**
 * A task definition revision per distinct set of restored identifiers in a stack's config, as `pulumi up`
 * registers a new revision whenever the containers' variables change (stacks/compute/ecs.ts).
 */
export function taskDefinitionRevisions(
  region: string,
  family: string,
): (config: Readonly<Record<string, string>>) => string {
  const version = restoredVersions();
  return (config) => `arn:aws:ecs:${region}:123456789012:task-definition/${family}:${version(config)}`;
}

/**
 * The dr stack's service `app-service` in `cluster`, following the dr stack's config as its last `up`
 * applied it (stacks/dr.ts, stacks/compute/ecs.ts): the active desired capacity (default 3) while active,
 * else 0; a new revision when the restored identifiers change.
 */
export function drServiceFollowing(
  region: string,
  cluster: string,
  config: () => Readonly<Record<string, string>>,
): FakeEcsService {
  const revision = taskDefinitionRevisions(region, "app-dr");
  return {
    region,
    cluster,
    name: "app-service",
    taskDefinition: revision(config()),
    minimumHealthyPercent: 50,
    deregistrationDelayMs: 30_000,
    follow: () => {
      const now = config();
      return {
        desiredCount:
          now["dr-app:mode"] === "active" ? Number(now["dr-app:drActiveDesiredCapacity"] ?? 3) : 0,
        taskDefinition: revision(now),
      };
    },
  };
}
