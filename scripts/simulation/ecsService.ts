// The simulated ECS over HTTP: the JSON 1.1 protocol (X-Amz-Target AmazonEC2ContainerServiceV20141113.<Operation>).
import { EcsServices } from "./ecsModel";
import { FakeApiError } from "./backupJobs";
import type { FakeService, FakeServiceAnswer } from "./fakeService";
import { json } from "./wireFormats";

/** ECS speaks JSON 1.1 (its API model's awsJson1_1 protocol); times are epoch seconds. */
const answer = (status: number, operation: string, body: unknown, type?: string): FakeServiceAnswer => {
  const base = json(status, operation, body, type);
  return { ...base, headers: { ...base.headers, "content-type": "application/x-amz-json-1.1" } };
};

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/** The cluster's name from a cluster name or ARN. */
const clusterName = (cluster: unknown) =>
  String(cluster ?? "default")
    .split("/")
    .at(-1) as string;

/**
 * An awsvpc task's network interface as DescribeTasks gives it: an `ElasticNetworkInterface` attachment
 * whose details name its `privateIPv4Address` (ECS API reference, Task `attachments`, Attachment; ECS
 * developer guide, "Amazon ECS task networking options for Fargate").
 */
export function eniAttachments(privateIp: string): object[] {
  return [
    {
      type: "ElasticNetworkInterface",
      status: "ATTACHED",
      details: [{ name: "privateIPv4Address", value: privateIp }],
    },
  ];
}

/** ListTasks' largest page (ECS API reference, ListTasks `maxResults`: 1-100, default 100). */
const LIST_TASKS_PAGE = 100;

/**
 * The HTTP front end of {@link EcsServices}: DescribeServices, UpdateService, ListTasks, DescribeTasks and
 * DescribeTaskDefinition, in the region the call is signed for; the model's errors as ECS's error types.
 */
export function ecsService(model: EcsServices): FakeService {
  return ({ headers, body, region }) => {
    const operation =
      String(headers["x-amz-target"] ?? "")
        .split(".")
        .pop() ?? "unknown";
    const input = JSON.parse(body || "{}") as Record<string, unknown>;
    const cluster = clusterName(input.cluster);
    try {
      switch (operation) {
        case "DescribeServices": {
          const found = model.describeServices(region, cluster, (input.services as string[]) ?? []);
          return answer(200, operation, {
            services: found.services.map((s) => ({
              ...s,
              status: "ACTIVE",
              deployments: s.deployments.map((d) => ({ ...d, createdAt: seconds(d.createdAt) })),
              events: s.events.map((e) => ({ ...e, createdAt: seconds(e.createdAt) })),
            })),
            failures: found.failures,
          });
        }
        case "UpdateService": {
          const name = String(input.service ?? "");
          model.updateService(region, cluster, name, {
            desiredCount: input.desiredCount as number | undefined,
            taskDefinition: input.taskDefinition as string | undefined,
          });
          const [service] = model.describeServices(region, cluster, [name]).services;
          return answer(200, operation, { service: { serviceArn: service.serviceArn, serviceName: name } });
        }
        case "ListTasks": {
          const arns = model.listTasks(
            region,
            cluster,
            String(input.serviceName ?? ""),
            input.desiredStatus as "RUNNING" | "STOPPED" | undefined,
          );
          const from = Number(input.nextToken ?? 0);
          const size = Math.min(Number(input.maxResults ?? LIST_TASKS_PAGE), LIST_TASKS_PAGE);
          return answer(200, operation, {
            taskArns: arns.slice(from, from + size),
            ...(from + size < arns.length && { nextToken: String(from + size) }),
          });
        }
        case "DescribeTasks": {
          const found = model.describeTasks(region, cluster, (input.tasks as string[]) ?? []);
          return answer(200, operation, {
            tasks: found.tasks.map(({ privateIp, ...t }) => ({
              ...t,
              attachments: eniAttachments(privateIp),
              createdAt: seconds(t.createdAt),
              startedAt: seconds(t.startedAt),
              stoppedAt: seconds(t.stoppedAt),
            })),
            failures: found.failures,
          });
        }
        case "DescribeTaskDefinition":
          return answer(200, operation, {
            taskDefinition: model.describeTaskDefinition(region, String(input.taskDefinition ?? "")),
          });
        default:
          return answer(
            400,
            operation,
            { message: `the simulation does not serve ${operation}` },
            "UnknownOperationException",
          );
      }
    } catch (err) {
      if (err instanceof FakeApiError) {
        return answer(err.status, operation, { message: err.message }, err.type);
      }
      throw err;
    }
  };
}
