// The stack tests' fixtures: a stack's config, prod's outputs as dr reads them, the program on mocks.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { BackupPlanPresets, forecastRto } from "@restorekit/backup-restore-dr";
import { loadProject, resolveStackConfig } from "../../scripts/deployment/projectConfig";
import { Inputs, MOCK_ACCOUNT, Registration, settled, useMockEngine } from "../helpers/mockEngine";
import { projectCopy } from "../helpers/projectCopy";
import { program, StackOutputs } from "../../stacks/program";
import { RestoredDataPlan } from "../../stacks/restoredDataProtection";
import { CONFIG_SCHEMA } from "../../stacks/config";

/** The repository root, where Pulumi.yaml and the stack files are. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/**
 * `data` for a stack on ECS (`compute: ecs`): the default example's inventory without its EBS volume, which
 * ECS tasks cannot be given (stacks/config/read.ts).
 */
export const ECS_DATA = JSON.stringify(
  (CONFIG_SCHEMA.data.default as readonly { kind: string }[]).filter((entry) => entry.kind !== "ebs"),
);

/** The config `pulumi preview -s <stack>` gives the program: stack file, then overrides, then defaults. */
export function stackConfig(stack: string, overrides: Record<string, string> = {}): Record<string, string> {
  return { ...resolveStackConfig(loadProject(PROJECT_DIR), stack, overrides).values };
}

/** What the prod stack would have exported, as the dr stack's StackReference sees it. */
export const PROD_OUTPUTS = {
  role: "primary",
  region: "us-east-1",
  drRegion: "us-west-2",
  primaryVaultName: "app-primary-vault-a1b2c3d",
  primaryVaultArn: `arn:aws:backup:us-east-1:${MOCK_ACCOUNT}:backup-vault:app-primary-vault-a1b2c3d`,
  drVaultName: "app-dr-vault-a1b2c3d",
  drVaultArn: `arn:aws:backup:us-west-2:${MOCK_ACCOUNT}:backup-vault:app-dr-vault-a1b2c3d`,
  isolatedVaultName: "app-isolated-vault-a1b2c3d",
  isolatedVaultArn: `arn:aws:backup:us-west-2:${MOCK_ACCOUNT}:backup-vault:app-isolated-vault-a1b2c3d`,
  drKeyArn: `arn:aws:kms:us-west-2:${MOCK_ACCOUNT}:key/app-dr-key`,
  backupRoleArn: `arn:aws:iam::${MOCK_ACCOUNT}:role/app-backup-20261123000000000000000001`,
  planId: "app-plan-id",
  appBucketName: "app-bucket-20261123",
  replicaBuckets: { "app-bucket-20261123": "app-replica-0-20261123" },
  replicaBucketArns: ["arn:aws:s3:::app-replica-0-20261123"],
  dbPort: 5432,
  rpoMinutes: 1800,
  rtoMinutes: 480,
  // Only the part the dr stack passes on: the RTO forecast and what it was computed from.
  posture: {
    rtoForecast: forecastRto({ resources: [{ kind: "RDS", name: "database", sizeGiB: 20 }] }, 480),
  },
  failoverSwitch: {
    region: "us-west-2",
    namespace: "DrApp/Failover",
    metricName: "ServeFromDr",
    dimensions: { DomainName: "api.example.com" },
    alarmName: "ServeFromDr-api.example.com",
    primaryHealthCheckId: "app-serve-primary-id",
    drHealthCheckId: "app-serve-dr-id",
  },
  // The default example's inventory, as prod exports it.
  dataInventory: [
    {
      name: "db",
      kind: "rds",
      sourceArn: `arn:aws:rds:us-east-1:${MOCK_ACCOUNT}:db:app-db-a1b2c3d`,
      sourceId: "app-db-a1b2c3d",
    },
    {
      name: "table",
      kind: "dynamodb",
      sourceArn: `arn:aws:dynamodb:us-east-1:${MOCK_ACCOUNT}:table/app-table-a1b2c3d`,
      sourceId: "app-table-a1b2c3d",
    },
    {
      name: "volume",
      kind: "ebs",
      sourceArn: `arn:aws:ec2:us-east-1:${MOCK_ACCOUNT}:volume/vol-0prod`,
      sourceId: "vol-0prod",
    },
    {
      name: "bucket",
      kind: "s3",
      sourceArn: "arn:aws:s3:::app-bucket-20261123",
      sourceId: "app-bucket-20261123",
    },
  ],
  // What prod's servers use: after a failback, its `fb-` copies (stacks/failedBack.ts appData).
  appData: {
    dbEndpoint: "fb-20261201t090000a7-app-db.abc123.us-east-1.rds.amazonaws.com:5432",
    dbInstanceId: "fb-20261201t090000a7-app-db",
    tableName: "fb-20261201t090000a7-app-table",
    bucketName: "app-bucket-20261123",
    volumeId: "vol-0failedback",
  },
  restoredDataPlan: {
    rules: BackupPlanPresets.seed().rules,
    selectionTags: { backup: "true" },
    copyLandingMinutes: 60,
    databaseWindows: { backupWindow: "00:10-00:40", maintenanceWindow: "sun:02:10-sun:02:40" },
  } satisfies RestoredDataPlan,
};

/**
 * Outputs the mock engine gives awsx's remote components (opaque under mocks: only their inputs are
 * recorded) and the prod StackReference.
 */
export function stackMockOutputs(registration: Registration): Record<string, unknown> | undefined {
  return stackMockOutputsWith(PROD_OUTPUTS)(registration);
}

/** {@link stackMockOutputs}, with the prod stack's outputs the StackReference answers. */
export function stackMockOutputsWith(
  prodOutputs: Record<string, unknown>,
): (registration: Registration) => Record<string, unknown> | undefined {
  return (registration) => mockOutputs(registration, prodOutputs);
}

function mockOutputs(
  registration: Registration,
  prodOutputs: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const region = (registration.inputs.region as string | undefined) ?? "us-east-1";
  switch (registration.type) {
    case "awsx:ec2:Vpc":
      return {
        vpcId: `vpc-${region}`,
        privateSubnetIds: [`subnet-${region}-private-1`, `subnet-${region}-private-2`],
        publicSubnetIds: [`subnet-${region}-public-1`, `subnet-${region}-public-2`],
        routeTables: [{ id: `rtb-${region}-1` }, { id: `rtb-${region}-2` }],
      };
    case "awsx:lb:ApplicationLoadBalancer":
      return {
        loadBalancer: {
          arn: `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT}:loadbalancer/app/app-alb/1`,
          dnsName: `app-alb-1.${region}.elb.amazonaws.com`,
          zoneId: "Z35SXDOTRQ7X7K",
        },
        defaultTargetGroup: {
          arn: `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT}:targetgroup/app-tg/1`,
        },
      };
    case "pulumi:pulumi:StackReference":
      return { outputs: prodOutputs, secretOutputNames: [] };
    case "aws:rds/instance:Instance":
      return {
        endpoint: `${registration.name}.abc123.${region}.rds.amazonaws.com:5432`,
        identifier: `${registration.name}-a1b2c3d`,
        // RDS creates the managed secret with the instance, in the instance's region.
        ...(registration.inputs.manageMasterUserPassword === true && {
          masterUserSecrets: [
            { secretArn: `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT}:secret:rds!db-0123-AbCdEf` },
          ],
        }),
      };
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return { latestVersion: 1 };
    default:
      return undefined;
  }
}

/** An evaluated stack: everything registered, and the stack outputs resolved. */
export interface EvaluatedStack {
  readonly registrations: Registration[];
  readonly outputs: Record<string, unknown>;
  readonly warnings: string[];
}

async function resolve(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    return new Promise((done) => value.apply((inner) => done(resolve(inner))));
  }
  if (Array.isArray(value)) return Promise.all(value.map(resolve));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolve(v)])),
    );
  }
  return value;
}

/**
 * Runs the real program for `stack` on the mock engine, with the stack file's config and `overrides`;
 * `calls` answers invokes before the defaults do.
 */
export async function evaluateStack(
  stack: string,
  overrides: Record<string, string> = {},
  stackName = stack,
  calls?: (token: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined,
): Promise<EvaluatedStack> {
  return evaluateConfig(stackConfig(stack, overrides), stackName, stackMockOutputs, calls);
}

/** The config of a built-in example's stack file (docs/examples/<example>/Pulumi.<stack>.yaml), with `overrides`. */
export function exampleConfig(
  example: string,
  stack: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const dir = projectCopy({
    files: {
      [`Pulumi.${stack}.yaml`]: fs.readFileSync(
        path.join(PROJECT_DIR, "docs", "examples", example, `Pulumi.${stack}.yaml`),
        "utf8",
      ),
    },
  });
  try {
    return { ...resolveStackConfig(loadProject(dir), stack, overrides).values };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the real program on the mock engine with this config, the StackReference answered by `outputs`. */
export async function evaluateConfig(
  config: Record<string, string>,
  stackName: string,
  outputs: (registration: Registration) => Record<string, unknown> | undefined = stackMockOutputs,
  calls?: (token: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined,
): Promise<EvaluatedStack> {
  const registrations = useMockEngine({
    stack: stackName,
    config,
    outputs,
    calls: (token, inputs) =>
      calls?.(token, inputs) ??
      (token === "aws:index/getAvailabilityZones:getAvailabilityZones"
        ? { names: ["zone-a", "zone-b", "zone-c"] }
        : undefined),
  });
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(" "));
  try {
    const outputs: StackOutputs = program();
    const resolved = (await resolve(outputs)) as Record<string, unknown>;
    await settled(registrations);
    return { registrations, outputs: resolved, warnings };
  } finally {
    console.warn = warn;
  }
}

/** The inputs of the one registration of `type` named `name`. */
export function inputsOf(registrations: Registration[], type: string, name: string): Inputs {
  const found = registrations.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
  }
  return found[0].inputs;
}

/** Resource types that hold data: none may exist in a dr stack, whatever its mode. */
export const DATA_TYPES = [
  "aws:rds/instance:Instance",
  "aws:rds/cluster:Cluster",
  "aws:dynamodb/table:Table",
  "aws:ebs/volume:Volume",
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketV2:BucketV2",
  "aws:backup/vault:Vault",
  "aws:kms/key:Key",
  "aws:efs/fileSystem:FileSystem",
];

/** The user data script of a launch template, decoded. */
export function userDataOf(inputs: Inputs): string {
  return Buffer.from(String(inputs.userData), "base64").toString("utf8");
}
