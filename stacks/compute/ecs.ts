// The application as an ECS service on Fargate: cluster, task definition, roles and service behind the load balancer.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { validation } from "@restorekit/backup-restore-dr";
import { Capacity, CONFIG_SCHEMA } from "../config";
import { HEALTH_SERVER_SOURCE } from "../userData";
import { EFS_RESTORE_DIRECTORY_PREFIX, mountedFileSystems } from "../dataVariables";
import * as zlib from "zlib";

/** The container's name in the task definition, and the one the load balancer forwards to. */
export const APP_CONTAINER_NAME = "app";

/**
 * Fargate's smallest task size: 0.25 vCPU, 512 MiB (ECS developer guide, "Amazon ECS task definition
 * parameters for Fargate", task CPU and memory: 256 CPU units take 512, 1024 or 2048 MiB).
 */
const TASK_CPU = "256";
const TASK_MEMORY = "512";

/**
 * Links each file system's application path to its data, in a container: its root as the task mounts it
 * (`APP_DATA_<NAME>_ROOT_PATH`), or for a restored one the single `aws-backup-restore_*` directory AWS
 * Backup restored into, off the root (AWS Backup developer guide, "Restore an Amazon EFS file system"). A
 * Fargate container cannot bind-mount (no CAP_SYS_ADMIN) and a task definition's EFS volume takes a fixed
 * root directory, while the recovery directory's name holds the restore's time: so a symbolic link, made
 * at start. POSIX sh (busybox's too). With no such directory the path is left absent, and the health
 * endpoint reports it.
 */
export const LINK_DATA_DIRECTORIES =
  'for n in $(echo "${APP_DATA_NAMES:-}" | tr , " "); do v=$(echo "$n" | tr a-z- A-Z_); ' +
  'eval "k=\\${APP_DATA_${v}_KIND:-} r=\\${APP_DATA_${v}_ROOT_PATH:-} m=\\${APP_DATA_${v}_MOUNT_PATH:-} x=\\${APP_DATA_${v}_RESTORED:-}"; ' +
  '[ "$k" = efs ] && [ -n "$r" ] && [ -n "$m" ] || continue; d=$r; ' +
  `if [ "$x" = true ]; then set -- "$r"/${EFS_RESTORE_DIRECTORY_PREFIX}*; d=; [ $# -eq 1 ] && [ -d "$1" ] && d=$1; fi; ` +
  '[ -n "$d" ] && mkdir -p "${m%/*}" && ln -sfn "$d" "$m"; done';

/**
 * The default image runs the default health endpoint (stacks/health_server.py), as the servers' user data
 * does on an AMI without the application: the file systems linked, the variables written to the file it
 * reads, the server decompressed by Python itself (any Python image has gzip and base64; a gzip'd source
 * keeps the variable well inside the 64 KiB a task definition may take), then started.
 */
const HEALTH_SERVER_COMMAND = [
  "sh",
  "-c",
  `${LINK_DATA_DIRECTORIES}; printenv | grep "^APP_" > /tmp/app.env; ` +
    'python3 -c \'import base64,gzip,os; open("/tmp/health_server.py", "wb").write(gzip.decompress(base64.b64decode(os.environ["DR_APP_HEALTH_SERVER"])))\' && ' +
    "exec python3 /tmp/health_server.py /tmp/app.env",
];

/** The task definition's volume of the file system `name`. */
function volumeName(name: string): string {
  return `efs-${name}`;
}

/** Arguments of {@link defineEcsService}. */
export interface EcsServiceArgs {
  readonly region: string;
  /** `primary` or `dr`: names the task family and the roles. */
  readonly role: "primary" | "dr";
  /** The service's desired count is the capacity's `desiredCapacity`: 0 in standby and while held. */
  readonly capacity: Capacity;
  /** The application's variables (`APP_*`), the same the servers' `/etc/dr-app/app.env` holds. */
  readonly variables: pulumi.Output<Record<string, string | undefined>>;
  /** The task role's statements: what the servers' instance role is granted (stacks/environment.ts). */
  readonly dataStatements: pulumi.Output<object[]>;
  readonly logGroup: aws.cloudwatch.LogGroup;
  /** The load balancer's target group; its target type must be `ip` (awsvpc tasks register by address). */
  readonly targetGroupArn: pulumi.Input<string>;
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly image: string;
  readonly appPort: number;
  /**
   * Let `pulumi up` wait for the service's steady state. A dr stack does not wait: the recovery CLI
   * checks health itself. @default true
   */
  readonly waitForSteadyState?: boolean;
  readonly tags: Record<string, string>;
  /**
   * What the service waits for: the file systems' mount targets, without which its tasks' EFS volumes
   * fail to mount. @default none
   */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** What {@link defineEcsService} creates. */
export interface EcsService {
  readonly cluster: aws.ecs.Cluster;
  readonly taskDefinition: aws.ecs.TaskDefinition;
  readonly service: aws.ecs.Service;
}

/** A role the ECS tasks assume (`ecs-tasks.amazonaws.com`, ECS developer guide, "Task IAM role"). */
function taskRole(
  name: string,
  namePrefix: string,
  description: string,
  tags: Record<string, string>,
): aws.iam.Role {
  return new aws.iam.Role(name, {
    namePrefix,
    description,
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    }),
    tags,
  });
}

/**
 * The application as an ECS service on Fargate behind the load balancer's target group: its task role
 * gets the servers' data statements, its container the servers' variables. Its desired count follows the
 * capacity (0 in standby), and a flip changes only the desired count and the task definition (a new
 * revision with the restored identifiers), both regional: no IAM, no Route 53. The rolling deployment
 * keeps half the tasks serving and starts up to double (minimumHealthyPercent 50, maximumPercent 200,
 * as the Auto Scaling group's instance refresh keeps 50%), and rolls back a deployment whose tasks
 * never turn healthy (the deployment circuit breaker).
 */
export function defineEcsService(name: string, args: EcsServiceArgs): EcsService {
  const { region, tags } = args;
  const partition = validation.partitionOf(region);
  const cluster = new aws.ecs.Cluster(`${name}-cluster`, { region, tags });
  // Pulls the image and writes the container's logs (ECS developer guide, "Task execution IAM role").
  const executionRole = taskRole(
    `${name}-task-execution-role`,
    `${name}-${args.role}-exec-`,
    `ECS task execution of the dr-app ${args.role} stack (${region})`,
    tags,
  );
  new aws.iam.RolePolicyAttachment(`${name}-task-execution`, {
    role: executionRole.name,
    policyArn: `arn:${partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy`,
  });
  const appRole = taskRole(
    `${name}-task-role`,
    `${name}-${args.role}-task-`,
    `Application tasks of the dr-app ${args.role} stack (${region})`,
    tags,
  );
  new aws.iam.RolePolicy(`${name}-task-data`, {
    role: appRole.id,
    policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: args.dataStatements }),
  });
  const defaultImage = args.image === CONFIG_SCHEMA.containerImage.default;
  const containerDefinitions = pulumi
    .all([args.variables, args.logGroup.name])
    .apply(([variables, logGroupName]) =>
      JSON.stringify([
        {
          name: APP_CONTAINER_NAME,
          image: args.image,
          essential: true,
          portMappings: [{ containerPort: args.appPort, protocol: "tcp" }],
          environment: [
            ...Object.entries(variables).map(([key, value]) => ({ name: key, value: value ?? "" })),
            ...(defaultImage
              ? [
                  {
                    name: "DR_APP_HEALTH_SERVER",
                    value: zlib.gzipSync(HEALTH_SERVER_SOURCE, { level: 9 }).toString("base64"),
                  },
                ]
              : []),
          ],
          ...(defaultImage && { command: HEALTH_SERVER_COMMAND }),
          mountPoints: mountedFileSystems(variables).map((fileSystem) => ({
            sourceVolume: volumeName(fileSystem.name),
            containerPath: fileSystem.rootPath,
            readOnly: false,
          })),
          logConfiguration: {
            logDriver: "awslogs",
            options: {
              "awslogs-group": logGroupName,
              "awslogs-region": region,
              "awslogs-stream-prefix": name,
            },
          },
        },
      ]),
    );
  const taskDefinition = new aws.ecs.TaskDefinition(`${name}-task`, {
    region,
    family: `${name}-${args.role}`,
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    cpu: TASK_CPU,
    memory: TASK_MEMORY,
    executionRoleArn: executionRole.arn,
    taskRoleArn: appRole.arn,
    runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
    containerDefinitions,
    // Fargate mounts EFS from platform version 1.4.0 (ECS developer guide, "Use Amazon EFS volumes with
    // Amazon ECS"): the root, over TLS; the container sees it at the file system's root path.
    volumes: args.variables.apply((variables) =>
      mountedFileSystems(variables).map((fileSystem) => ({
        name: volumeName(fileSystem.name),
        efsVolumeConfiguration: {
          fileSystemId: fileSystem.fileSystemId,
          rootDirectory: "/",
          transitEncryption: "ENABLED",
        },
      })),
    ),
    // Kept registered when a new revision replaces it: the deployment circuit breaker rolls back to the
    // previous revision, and a deregistered (INACTIVE) one cannot run new tasks nor be referenced by a
    // service update (ECS developer guide, "Deregistering an Amazon ECS task definition revision using the
    // console"; ECS API reference, DeregisterTaskDefinition). Old revisions stay ACTIVE, at no charge.
    skipDestroy: true,
    tags,
  });
  const service = new aws.ecs.Service(
    `${name}-service`,
    {
      region,
      cluster: cluster.arn,
      taskDefinition: taskDefinition.arn,
      desiredCount: args.capacity.desiredCapacity,
      launchType: "FARGATE",
      networkConfiguration: {
        subnets: args.subnetIds,
        securityGroups: [args.securityGroupId],
        assignPublicIp: false,
      },
      loadBalancers: [
        {
          targetGroupArn: args.targetGroupArn,
          containerName: APP_CONTAINER_NAME,
          containerPort: args.appPort,
        },
      ],
      deploymentMinimumHealthyPercent: 50,
      deploymentMaximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriodSeconds: 300,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      waitForSteadyState: args.waitForSteadyState !== false,
      tags,
    },
    { dependsOn: args.dependsOn },
  );
  return { cluster, taskDefinition, service };
}
