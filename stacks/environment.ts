// The environment both roles build: network, load balancer, servers, their data access and DNS name.
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { validation } from "@restorekit/backup-restore-dr";
import { Capacity, EnvironmentSettings } from "./config";
import { defineEcsService, EcsService } from "./compute/ecs";
import type { ComputeOutput } from "./drContract";
import { defineFailoverRecord, FailoverRecordArgs } from "./dnsFailover";
import {
  INTERFACE_ENDPOINT_SERVICES,
  defineEndpointSecurityGroup,
  ecsPullEndpoints,
  defineInterfaceEndpoint,
  defineServiceEndpoint,
  needsEc2Endpoint,
} from "./interfaceEndpoints";
import { renderUserData } from "./userData";

/** Where the application finds its data; each value lands in the servers' `/etc/dr-app/app.env`. */
export interface AppConnection {
  /** `host:port` of the database. @default unset: `APP_DB_ENDPOINT` is empty */
  readonly dbEndpoint?: pulumi.Input<string>;
  /** RDS instance identifier. @default unset */
  readonly dbInstanceId?: pulumi.Input<string>;
  /** DynamoDB table name. @default unset */
  readonly tableName?: pulumi.Input<string>;
  /** S3 bucket name. @default unset */
  readonly bucketName?: pulumi.Input<string>;
  /** EBS data volume id. @default unset */
  readonly volumeId?: pulumi.Input<string>;
  /**
   * The Secrets Manager secret (name or ARN, as GetSecretValue's SecretId takes either), in the servers'
   * region, whose value holds the database's `username` and `password` (stacks/databaseCredential.ts).
   * @default unset: the servers get no credential
   */
  readonly dbSecretId?: pulumi.Input<string>;
  /** The database engine (`postgres`, `mysql`, `mariadb`), when the secret does not say. @default unset */
  readonly dbEngine?: pulumi.Input<string>;
  /**
   * The data inventory's variables (stacks/dataVariables.ts: `APP_DATA_NAMES`, `APP_DATA_<NAME>_<ATTR>`),
   * written after the settings above. @default none
   */
  readonly dataVariables?: pulumi.Input<Record<string, string>>;
}

/**
 * The data the servers' instance role may use; every list may be empty. A dr stack passes name patterns
 * here, never the names of restored resources, so its policy is the same in standby and active.
 */
export interface DataAccess {
  /** Buckets the application reads and writes: ARNs or ARN patterns (`arn:aws:s3:::dr-*`). @default [] */
  readonly bucketArns?: pulumi.Input<pulumi.Input<string>[]>;
  /** DynamoDB tables the application reads and writes, with their indexes: ARNs or ARN patterns. @default [] */
  readonly tableArns?: pulumi.Input<string>[];
  /** KMS keys encrypting that data (replicas of SSE-KMS objects are under the DR key). @default [] */
  readonly kmsKeyArns?: pulumi.Input<string>[];
  /** Secrets Manager secrets the servers read (GetSecretValue): the database credential. @default [] */
  readonly secretArns?: pulumi.Input<string>[];
  /**
   * EFS file systems the servers mount, read and write (`elasticfilesystem:ClientMount`, `ClientWrite`):
   * ARNs or ARN patterns. @default []
   */
  readonly fileSystemArns?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Let a server attach EBS volumes of its region to itself (and only to a server of this stack): the
   * restored data volume, whose id the recovery CLI learns only when the restore finishes.
   * @default false
   */
  readonly attachVolumes?: boolean;
}

/** Arguments of {@link defineNetwork}. */
export interface NetworkArgs {
  /** `primary` or `dr`: a tag and an `APP_ROLE` for the servers. */
  readonly role: "primary" | "dr";
  /** Region of every regional resource. */
  readonly region: string;
  readonly settings: EnvironmentSettings;
  /** Port of the database, opened from the application servers to the database security group. */
  readonly dbPort: pulumi.Input<number>;
  /** Tags for every taggable resource. */
  readonly tags: Record<string, string>;
}

/** Arguments of {@link defineServers}. */
export interface ServersArgs {
  /** Auto Scaling group bounds: the configured capacity, or zero in standby. */
  readonly capacity: Capacity;
  readonly app: AppConnection;
  readonly dataAccess: DataAccess;
  /**
   * This stack's failover record of the public name, pointing at its load balancer.
   * @default unset: no record
   */
  readonly dns?: FailoverRecordArgs;
  /**
   * Let `pulumi up` wait for the Auto Scaling group to have its minimum of healthy instances. A dr
   * stack does not wait: the recovery CLI checks health itself, and the database may still be restoring.
   * @default true
   */
  readonly waitForCapacity?: boolean;
  /**
   * What the servers (launch template, or ECS service) wait for: the file systems' mount targets, without
   * which a mount fails at boot. @default none
   */
  readonly dependsOn?: pulumi.Resource[];
}

/** The network of one region: VPC, load balancer, security groups, DB subnet group. */
export interface Network {
  readonly args: NetworkArgs;
  readonly vpc: awsx.ec2.Vpc;
  readonly loadBalancer: awsx.lb.ApplicationLoadBalancer;
  readonly loadBalancerSecurityGroup: aws.ec2.SecurityGroup;
  readonly appSecurityGroup: aws.ec2.SecurityGroup;
  readonly dbSecurityGroup: aws.ec2.SecurityGroup;
  readonly dbSubnetGroup: aws.rds.SubnetGroup;
  /** The VPC's two availability zones. */
  readonly availabilityZones: pulumi.Output<string[]>;
  readonly loadBalancerDnsName: pulumi.Output<string>;
  /** `http://<load balancer>/<health check path>`: what the recovery CLI polls. */
  readonly healthCheckUrl: pulumi.Output<string>;
}

/** What runs the application (config `compute`): an Auto Scaling group, or an ECS service on Fargate. */
export type ComputeResources =
  | {
      readonly kind: "autoscaling";
      readonly launchTemplate: aws.ec2.LaunchTemplate;
      readonly autoScalingGroup: aws.autoscaling.Group;
    }
  | ({ readonly kind: "ecs" } & EcsService);

/** The application servers (or tasks) behind the load balancer, and the DNS name pointing at it. */
export interface Servers {
  /** The servers' CloudWatch Logs group (`/<project>/<stack>/<name>`, kept 30 days). */
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly compute: ComputeResources;
  /** The stack's `compute` output: what the recovery CLI scales, freezes and watches. */
  readonly computeOutput: pulumi.Output<ComputeOutput>;
  /** This stack's failover record of the public name, when DNS is configured. */
  readonly dnsRecord?: aws.route53.Record;
}

/** The environment both stacks run: network, load balancer, servers and the DB subnet group. */
export type Environment = Network & Servers;

/**
 * How long the load balancer waits for the health path (2-120 s, less than the interval: ELB user guide for
 * Application Load Balancers, "Health checks for your target groups"; the default, 5 s for an instance or
 * IP target, is shorter than a check of every inventoried resource): the default health endpoint answers
 * from its last result (stacks/health_server.py, CachedHealth), refreshed every 10 s.
 */
export const HEALTH_CHECK_TIMEOUT_SECONDS = 10;

/** Gateway endpoints cost nothing and let servers without a NAT gateway reach S3 and DynamoDB. */
const GATEWAY_ENDPOINT_SERVICES = ["s3", "dynamodb"] as const;

/** The tag every server of a stack carries (the Auto Scaling group propagates it): `Name=<name>-<role>`. */
function serverName(name: string, network: NetworkArgs): string {
  return `${name}-${network.role}`;
}

/** The statements of the servers' data policy; `pulumi.Output` only where prod's names are unknown. */
function dataStatements(
  name: string,
  network: NetworkArgs,
  access: DataAccess,
  logGroupArn: pulumi.Output<string>,
): pulumi.Output<object[]> {
  const partition = validation.partitionOf(network.region);
  const lists = pulumi.all([
    pulumi.output(access.bucketArns ?? []),
    pulumi.all(access.tableArns ?? []),
    pulumi.all(access.kmsKeyArns ?? []),
    logGroupArn,
    pulumi.all(access.secretArns ?? []),
    pulumi.output(access.fileSystemArns ?? []),
  ]);
  return lists.apply(([bucketArns, tableArns, keyArns, logsArn, secretArns, fileSystemArns]) => [
    {
      Sid: "WriteAppLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: [logsArn, `${logsArn}:*`],
    },
    ...(bucketArns.length > 0
      ? [
          { Sid: "ListAppBuckets", Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArns },
          {
            Sid: "UseAppObjects",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            Resource: bucketArns.map((arn) => `${arn}/*`),
          },
        ]
      : []),
    ...(tableArns.length > 0
      ? [
          {
            Sid: "UseAppTables",
            Effect: "Allow",
            Action: [
              "dynamodb:GetItem",
              "dynamodb:PutItem",
              "dynamodb:UpdateItem",
              "dynamodb:DeleteItem",
              "dynamodb:Query",
              "dynamodb:Scan",
              "dynamodb:BatchGetItem",
              "dynamodb:BatchWriteItem",
              "dynamodb:DescribeTable",
            ],
            Resource: [...tableArns, ...tableArns.map((arn) => `${arn}/index/*`)],
          },
        ]
      : []),
    ...(keyArns.length > 0
      ? [
          {
            Sid: "UseDataKeys",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: keyArns,
          },
        ]
      : []),
    ...(secretArns.some(Boolean)
      ? [
          // The secrets use the aws/secretsmanager key, whose key policy lets Secrets Manager decrypt for
          // any principal of the account allowed GetSecretValue: no kms:Decrypt grant needed.
          {
            Sid: "ReadDbCredential",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue"],
            Resource: secretArns.filter(Boolean),
          },
        ]
      : []),
    ...(fileSystemArns.length > 0
      ? [
          // A file system policy or IAM-authorized mount (`mount -o iam`) checks these; a plain NFS mount
          // needs the network only (EFS user guide, "Using IAM to control file system data access").
          {
            Sid: "UseAppFileSystems",
            Effect: "Allow",
            Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
            Resource: fileSystemArns,
          },
        ]
      : []),
    ...(access.attachVolumes
      ? [
          // AttachVolume is authorized on the volume and on the instance: any volume of the region, only
          // to this stack's servers. AWS Backup names no restored volume, so the grant cannot go by name.
          {
            Sid: "AttachDataVolume",
            Effect: "Allow",
            Action: ["ec2:AttachVolume", "ec2:DetachVolume"],
            Resource: `arn:${partition}:ec2:${network.region}:*:volume/*`,
          },
          {
            Sid: "AttachToOwnServers",
            Effect: "Allow",
            Action: ["ec2:AttachVolume", "ec2:DetachVolume"],
            Resource: `arn:${partition}:ec2:${network.region}:*:instance/*`,
            Condition: { StringEquals: { "ec2:ResourceTag/Name": serverName(name, network) } },
          },
          { Sid: "FindDataVolume", Effect: "Allow", Action: ["ec2:DescribeVolumes"], Resource: "*" },
        ]
      : []),
  ]);
}

function instanceRole(
  name: string,
  network: NetworkArgs,
  args: ServersArgs,
  logGroup: aws.cloudwatch.LogGroup,
): aws.iam.InstanceProfile {
  const role = new aws.iam.Role(`${name}-instance-role`, {
    namePrefix: `${name}-${network.role}-`,
    description: `Application servers of the dr-app ${network.role} stack (${network.region})`,
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    tags: network.tags,
  });
  new aws.iam.RolePolicyAttachment(`${name}-instance-ssm`, {
    role: role.name,
    policyArn: `arn:${validation.partitionOf(network.region)}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
  });
  new aws.iam.RolePolicy(`${name}-instance-data`, {
    role: role.id,
    policy: pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: dataStatements(name, network, args.dataAccess, logGroup.arn),
    }),
  });
  return new aws.iam.InstanceProfile(`${name}-instance-profile`, { role: role.name, tags: network.tags });
}

/**
 * The target group's health check cadence: a target is healthy after `healthyThreshold` consecutive checks
 * `interval` seconds apart (ELB user guide, "Health checks for Application Load Balancer target groups":
 * HealthCheckIntervalSeconds, HealthyThresholdCount). The RTO forecast's health term derives from it.
 */
export const TARGET_HEALTH_CHECK = { interval: 15, healthyThreshold: 2 } as const;

/**
 * Defines the network of one region: a VPC over two availability zones (awsx) with free S3 and
 * DynamoDB gateway endpoints, an internet-facing application load balancer (awsx), security groups
 * (load balancer -> servers -> database) and a DB subnet group for the database (prod's own, or the one
 * restored in DR).
 */
export function defineNetwork(name: string, args: NetworkArgs): Network {
  const { region, settings, tags } = args;
  const zones = settings.availabilityZones;
  const vpc = new awsx.ec2.Vpc(`${name}-vpc`, {
    region,
    cidrBlock: settings.vpcCidr,
    ...(zones.length > 0 ? { availabilityZoneNames: [...zones] } : { numberOfAvailabilityZones: 2 }),
    natGateways: { strategy: settings.natGateways },
    enableDnsHostnames: true,
    tags,
  });
  const availabilityZones =
    zones.length > 0
      ? pulumi.output([...zones])
      : aws
          .getAvailabilityZonesOutput({ region, state: "available" })
          .names.apply((names) => names.slice(0, 2));

  const routeTableIds = vpc.routeTables.apply((tables) => pulumi.all(tables.map((table) => table.id)));
  for (const service of GATEWAY_ENDPOINT_SERVICES) {
    new aws.ec2.VpcEndpoint(`${name}-${service}-endpoint`, {
      region,
      vpcId: vpc.vpcId,
      serviceName: `com.amazonaws.${region}.${service}`,
      vpcEndpointType: "Gateway",
      routeTableIds,
      tags,
    });
  }

  const loadBalancerSecurityGroup = new aws.ec2.SecurityGroup(`${name}-alb-sg`, {
    region,
    vpcId: vpc.vpcId,
    description: "Load balancer: HTTP from the internet, to the application servers",
    ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"], description: "HTTP" }],
    egress: [
      {
        protocol: "tcp",
        fromPort: settings.appPort,
        toPort: settings.appPort,
        cidrBlocks: [settings.vpcCidr],
        description: "To the application servers",
      },
    ],
    tags,
  });
  const appSecurityGroup = new aws.ec2.SecurityGroup(`${name}-sg`, {
    region,
    vpcId: vpc.vpcId,
    description: "Application servers: the application port from the load balancer",
    ingress: [
      {
        protocol: "tcp",
        fromPort: settings.appPort,
        toPort: settings.appPort,
        securityGroups: [loadBalancerSecurityGroup.id],
        description: "From the load balancer",
      },
    ],
    egress: [
      {
        protocol: "-1",
        fromPort: 0,
        toPort: 0,
        cidrBlocks: ["0.0.0.0/0"],
        description: "Database, S3, DynamoDB",
      },
    ],
    tags,
  });
  if (settings.interfaceEndpoints) {
    const placement = { region, vpc, appSecurityGroup, tags };
    const endpointSecurityGroup = defineEndpointSecurityGroup(
      `${name}-endpoints`,
      placement,
      "Interface endpoints: HTTPS from the application servers",
    );
    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      // The services' own names resolve to the endpoints, so the SSM agent needs no configuration.
      defineInterfaceEndpoint(`${name}-${service}-endpoint`, placement, service, endpointSecurityGroup.id);
    }
  }

  const dbSecurityGroup = new aws.ec2.SecurityGroup(`${name}-db-sg`, {
    region,
    vpcId: vpc.vpcId,
    description: "Database: its port from the application servers",
    ingress: [
      {
        protocol: "tcp",
        fromPort: args.dbPort,
        toPort: args.dbPort,
        securityGroups: [appSecurityGroup.id],
        description: "From the application servers",
      },
    ],
    tags,
  });

  const loadBalancer = new awsx.lb.ApplicationLoadBalancer(`${name}-alb`, {
    region,
    subnetIds: vpc.publicSubnetIds,
    securityGroups: [loadBalancerSecurityGroup.id],
    listener: { port: 80, protocol: "HTTP" },
    defaultTargetGroup: {
      port: settings.appPort,
      protocol: "HTTP",
      // Fargate tasks (awsvpc) register by IP address (ECS developer guide, "Use a load balancer").
      targetType: settings.compute === "ecs" ? "ip" : "instance",
      deregistrationDelay: 30,
      healthCheck: {
        path: settings.healthCheckPath,
        matcher: "200-399",
        ...TARGET_HEALTH_CHECK,
        timeout: HEALTH_CHECK_TIMEOUT_SECONDS,
      },
    },
    tags,
  });

  const dbSubnetGroup = new aws.rds.SubnetGroup(`${name}-db-subnets`, {
    region,
    description: `dr-app ${args.role}: private subnets for the database`,
    subnetIds: vpc.privateSubnetIds,
    tags,
  });

  const loadBalancerDnsName = loadBalancer.loadBalancer.dnsName;
  return {
    args,
    vpc,
    loadBalancer,
    loadBalancerSecurityGroup,
    appSecurityGroup,
    dbSecurityGroup,
    dbSubnetGroup,
    availabilityZones,
    loadBalancerDnsName,
    healthCheckUrl: pulumi.interpolate`http://${loadBalancerDnsName}${settings.healthCheckPath}`,
  };
}

/**
 * Defines the application servers of a network: a launch template whose user data tells the application
 * where its data is, an Auto Scaling group in the private subnets behind the load balancer, and, when
 * asked, this stack's failover record of the public name.
 */
export function defineServers(name: string, network: Network, args: ServersArgs): Servers {
  const { region, settings, tags } = network.args;
  // Created with the servers, in standby too: nothing the servers use is created when they start. Named,
  // not generated, so the user data that carries the name is known at preview.
  const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
    region,
    name: `/${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
    retentionInDays: 30,
    tags,
  });
  if (needsEc2Endpoint(settings, args.dataAccess.attachVolumes)) {
    // AttachVolume is an EC2 API call: without NAT, only this endpoint routes it (stacks/README.md).
    defineServiceEndpoint(
      name,
      { ...network.args, vpc: network.vpc, appSecurityGroup: network.appSecurityGroup },
      "ec2",
      "EC2 API endpoint: HTTPS from the application servers (volume attachment)",
    );
  }
  const app = args.app;
  const variables = pulumi
    .all([
      pulumi.all([
        app.dbEndpoint,
        app.dbInstanceId,
        app.tableName,
        app.bucketName,
        app.volumeId,
        logGroup.name,
        app.dbSecretId,
        app.dbEngine,
      ]),
      pulumi.output(app.dataVariables ?? {}),
    ])
    .apply(
      ([
        [dbEndpoint, dbInstanceId, tableName, bucketName, volumeId, logGroupName, dbSecretId, dbEngine],
        dataVariables,
      ]): Record<string, string | undefined> => ({
        APP_ROLE: network.args.role,
        APP_REGION: region,
        APP_PORT: String(settings.appPort),
        APP_HEALTH_PATH: settings.healthCheckPath,
        APP_DB_ENDPOINT: dbEndpoint,
        APP_DB_INSTANCE_ID: dbInstanceId,
        APP_TABLE_NAME: tableName,
        APP_BUCKET_NAME: bucketName,
        APP_DATA_VOLUME_ID: volumeId,
        APP_LOG_GROUP: logGroupName,
        APP_DB_SECRET_ID: dbSecretId,
        APP_DB_ENGINE: dbEngine,
        ...(dataVariables as Record<string, string>),
      }),
    );
  const dnsRecord = args.dns
    ? defineFailoverRecord(
        name,
        { dnsName: network.loadBalancerDnsName, zoneId: network.loadBalancer.loadBalancer.zoneId },
        args.dns,
      )
    : undefined;
  if (settings.compute === "ecs") {
    // In standby too: the tasks a flip starts pull their image and write their logs through these.
    for (const service of ecsPullEndpoints(settings)) {
      defineServiceEndpoint(
        name,
        { ...network.args, vpc: network.vpc, appSecurityGroup: network.appSecurityGroup },
        service,
        `${service} endpoint: HTTPS from the application tasks (image pull, logs)`,
      );
    }
    const ecs = defineEcsService(name, {
      region,
      role: network.args.role,
      capacity: args.capacity,
      variables,
      dataStatements: dataStatements(name, network.args, args.dataAccess, logGroup.arn),
      logGroup,
      targetGroupArn: network.loadBalancer.defaultTargetGroup.arn,
      subnetIds: network.vpc.privateSubnetIds,
      securityGroupId: network.appSecurityGroup.id,
      image: settings.containerImage,
      appPort: settings.appPort,
      waitForSteadyState: args.waitForCapacity,
      dependsOn: args.dependsOn,
      tags,
    });
    return {
      logGroup,
      compute: { kind: "ecs", ...ecs },
      computeOutput: pulumi
        .all([ecs.cluster.name, ecs.service.name, network.loadBalancer.defaultTargetGroup.arn])
        .apply(([clusterName, serviceName, targetGroupArn]) => ({
          kind: "ecs" as const,
          clusterName,
          serviceName,
          targetGroupArn,
        })),
      dnsRecord,
    };
  }
  const profile = instanceRole(name, network.args, args, logGroup);
  const userData = variables.apply((values) => Buffer.from(renderUserData(values)).toString("base64"));
  const launchTemplate = new aws.ec2.LaunchTemplate(
    `${name}-launch-template`,
    {
      region,
      description: `dr-app ${network.args.role} application servers`,
      imageId: settings.amiId,
      instanceType: settings.instanceType,
      vpcSecurityGroupIds: [network.appSecurityGroup.id],
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required" },
      userData,
      updateDefaultVersion: true,
      tagSpecifications: [{ resourceType: "instance", tags }],
      tags,
    },
    { dependsOn: args.dependsOn },
  );
  const autoScalingGroup = new aws.autoscaling.Group(`${name}-asg`, {
    region,
    vpcZoneIdentifiers: network.vpc.privateSubnetIds,
    minSize: args.capacity.minSize,
    desiredCapacity: args.capacity.desiredCapacity,
    maxSize: args.capacity.maxSize,
    launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
    targetGroupArns: [network.loadBalancer.defaultTargetGroup.arn],
    healthCheckType: "ELB",
    healthCheckGracePeriod: 300,
    // A new launch template version (new data locations) rolls the running servers.
    instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 50 } },
    ...(args.waitForCapacity === false && { waitForCapacityTimeout: "0" }),
    tags: Object.entries({ Name: serverName(name, network.args), ...tags }).map(([key, value]) => ({
      key,
      value,
      propagateAtLaunch: true,
    })),
  });

  return {
    logGroup,
    compute: { kind: "autoscaling", launchTemplate, autoScalingGroup },
    computeOutput: autoScalingGroup.name.apply((groupName) => ({ kind: "autoscaling" as const, groupName })),
    dnsRecord,
  };
}
