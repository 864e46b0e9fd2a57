import * as path from "path";
import {
  BACKUP_PLAN_NAMES,
  BackupPlanArgs,
  backupPlanByName,
  computePosture,
  DrPosture,
  VaultLockArgs,
} from "@restorekit/backup-restore-dr";
import { ProjectConfig, StackView } from "./projectConfig";

/** The prod and dr stacks of one deployment. */
export interface StackPair {
  readonly prod: StackView;
  readonly dr: StackView;
}

function roleOf(view: StackView): string {
  return view.string("role", "primary");
}

function lastSegment(stackRef: string): string {
  return stackRef.split("/").pop() ?? stackRef;
}

/**
 * Finds the prod/dr pair among the project's stack files. `stackName` may name either side: a dr stack's
 * prod is its `primaryStack`; a prod stack's dr is the dr stack whose `primaryStack` names it (or the only
 * dr stack).
 * @param stackName a stack of the pair. @default the only stack with `role: dr`
 * @throws Error naming the stacks found when the pair cannot be made.
 */
export function resolveStackPair(project: ProjectConfig, stackName?: string): StackPair {
  const views = Object.values(project.stacks).map((stack) => new StackView(project, stack));
  const known = views.map((v) => `${v.name} (role ${roleOf(v)})`).join(", ") || "none";
  const byName = (name: string) => views.find((v) => v.name === name);
  const drStacks = views.filter((v) => roleOf(v) === "dr");
  let start: StackView | undefined;
  if (stackName !== undefined) {
    start = byName(stackName);
    if (start === undefined) {
      throw new Error(`no Pulumi.${stackName}.yaml in ${project.dir}; stacks found: ${known}`);
    }
  } else if (drStacks.length === 1) {
    start = drStacks[0];
  } else {
    throw new Error(
      `cannot tell which dr stack to use in ${project.dir} (stacks found: ${known}): pass --stack <name>`,
    );
  }
  if (roleOf(start) === "dr") {
    const prodName = lastSegment(start.string("primaryStack", "prod"));
    const prod = byName(prodName);
    if (prod === undefined) {
      throw new Error(
        `the dr stack ${start.name} names ${prodName} as its primaryStack, but there is no Pulumi.${prodName}.yaml in ${project.dir}`,
      );
    }
    return { prod, dr: start };
  }
  const linked = drStacks.filter((v) => lastSegment(v.string("primaryStack", "prod")) === start.name);
  const dr = linked.length === 1 ? linked[0] : drStacks.length === 1 ? drStacks[0] : undefined;
  if (dr === undefined) {
    throw new Error(
      `no dr stack names ${start.name} as its primaryStack in ${project.dir} (stacks found: ${known})`,
    );
  }
  return { prod: start, dr };
}

/** Everything the runbook and the cost estimate take from the stacks' config. */
export interface DeploymentView {
  readonly project: string;
  readonly workDir: string;
  /** The files read, relative to `workDir`. */
  readonly files: readonly string[];
  readonly prod: { readonly name: string; readonly region: string };
  readonly dr: {
    readonly name: string;
    readonly region: string;
    readonly mode: string;
    readonly natGateways: string;
    /** `interfaceEndpoints` of the dr stack: Session Manager and logs endpoints. */
    readonly interfaceEndpoints: boolean;
    readonly availabilityZones: readonly string[];
    readonly activeCapacity: {
      readonly minSize: number;
      readonly desiredCapacity: number;
      readonly maxSize: number;
    };
  };
  readonly primaryRegion: string;
  readonly drRegion: string;
  /** Value of `backupPlan`, e.g. `seed`. */
  readonly planName: string;
  readonly plan: BackupPlanArgs;
  readonly posture: DrPosture;
  readonly objectives: {
    readonly rpoMinutes: number;
    readonly rtoMinutes: number;
    readonly copyLandingMinutes: number;
  };
  readonly replication: {
    readonly appBucket: boolean;
    readonly extraBuckets: readonly string[];
    readonly replicationTimeControl: boolean;
    readonly storageClass: string;
  };
  /** The public DNS name and its zone, when configured. */
  readonly dns?: { readonly zoneId: string; readonly domainName: string };
  readonly healthCheckPath: string;
  readonly db: {
    readonly engine: string;
    readonly instanceClass: string;
    readonly allocatedStorage: number;
    readonly multiAz: boolean;
    /** The database created in the instance (`dbName`). */
    readonly name: string;
    /** Its master user (`dbUsername`). */
    readonly username: string;
  };
  readonly volumeSizeGiB: number;
  /** `none`, `governance` or `compliance`. */
  readonly vaultLock: string;
  readonly retainData: boolean;
  /** Whether the prod stack sets `dbPassword` (else RDS keeps it in Secrets Manager of the primary region). */
  readonly dbPasswordSet: boolean;
}

/**
 * Derives the deployment from the pair's config, with the project's defaults, exactly as the stacks read
 * it: regions, plan (and its posture from the component's `computePosture`), objectives, replication, DNS
 * and the dr stack's standby shape.
 * @throws Error when `backupPlan` names a plan the stacks do not know.
 */
export function describeDeployment(project: ProjectConfig, pair: StackPair): DeploymentView {
  const { prod, dr } = pair;
  const primaryRegion = prod.string("primaryRegion", "us-east-1");
  const drRegion = prod.string("drRegion", "us-west-2");
  const planName = prod.string("backupPlan", "seed");
  const plan = backupPlanByName(planName);
  if (plan === undefined) {
    throw new Error(
      `${prod.stack.file}: dr-app:backupPlan is ${JSON.stringify(planName)}; known plans: ${BACKUP_PLAN_NAMES.join(", ")}`,
    );
  }
  const objectives = {
    rpoMinutes: prod.integer("rpoMinutes", 1800),
    rtoMinutes: prod.integer("rtoMinutes", 480),
    copyLandingMinutes: prod.integer("copyLandingMinutes", 60),
  };
  const replication = {
    appBucket: prod.boolean("replicateAppBucket", true),
    extraBuckets: prod.list("replicatedBuckets"),
    replicationTimeControl: prod.boolean("replicationTimeControl", false),
    storageClass: prod.string("replicaStorageClass", "STANDARD"),
  };
  const sources = [...(replication.appBucket ? ["application bucket"] : []), ...replication.extraBuckets];
  const vaultLock = prod.string("vaultLock", "none");
  const lock: VaultLockArgs | undefined =
    vaultLock === "none"
      ? undefined
      : {
          minRetentionDays: prod.integer("vaultLockMinRetentionDays", 1),
          maxRetentionDays: prod.integer("vaultLockMaxRetentionDays", 365),
          ...(vaultLock === "compliance" && {
            changeableForDays: prod.integer("vaultLockChangeableForDays", 3),
          }),
        };
  const posture = computePosture({
    primaryRegion,
    drRegion,
    plan,
    selection: { tags: { backup: "true" } },
    ...(sources.length > 0 && {
      replication: {
        buckets: sources.map((sourceBucket) => ({ sourceBucket })),
        replicationTimeControl: replication.replicationTimeControl,
      },
    }),
    objectives: { ...objectives, enforcement: "warn" },
    ...(lock && { vaults: { lock } }),
  });
  const zoneId = prod.string("route53ZoneId");
  const domainName = prod.string("domainName");
  return {
    project: project.project,
    workDir: project.dir,
    files: ["Pulumi.yaml", path.basename(prod.stack.file), path.basename(dr.stack.file)],
    prod: { name: prod.name, region: prod.string("aws:region", primaryRegion) },
    dr: {
      name: dr.name,
      region: dr.string("aws:region", drRegion),
      mode: dr.string("mode", "standby"),
      natGateways: dr.string("natGateways", "None"),
      interfaceEndpoints: dr.boolean("interfaceEndpoints", false),
      availabilityZones: dr.list("availabilityZones"),
      activeCapacity: {
        minSize: dr.integer("drActiveMinSize", 2),
        desiredCapacity: dr.integer("drActiveDesiredCapacity", 3),
        maxSize: dr.integer("drActiveMaxSize", 10),
      },
    },
    primaryRegion,
    drRegion,
    planName,
    plan,
    posture,
    objectives,
    replication,
    ...(zoneId !== "" && domainName !== "" && { dns: { zoneId, domainName } }),
    healthCheckPath: dr.string("healthCheckPath", "/health"),
    db: {
      engine: prod.string("dbEngine", "postgres"),
      instanceClass: prod.string("dbInstanceClass", "db.t3.medium"),
      allocatedStorage: prod.integer("dbAllocatedStorage", 20),
      multiAz: prod.boolean("dbMultiAz", false),
      name: prod.string("dbName", "app"),
      username: prod.string("dbUsername", "appadmin"),
    },
    volumeSizeGiB: prod.integer("volumeSizeGiB", 20),
    vaultLock,
    retainData: prod.boolean("retainData", true),
    dbPasswordSet: prod.string("dbPassword") !== "",
  };
}
