// The failback's test setup: a harness whose dr stack serves from a finished recovery, a prod stack beside it, and that recovery's journal.
import * as fs from "fs";
import * as path from "path";
import { RunJournal } from "../../scripts/recovery/core/journal";
import { ACCOUNT, PROD_OUTPUTS } from "../../scripts/simulation/fixtures";
import { SimPoint } from "../../scripts/simulation/recoveryPoints";
import { FailbackAws, FailbackAwsOptions } from "./failbackAws";
import { FakeDrStack, FakeStackOptions } from "./fakeStack";
import { Harness, HarnessOptions } from "./harness";
import { StackHandle } from "../../scripts/dependencies";
import { SimOptions } from "./sdkBackup";

export { PROD_OUTPUTS };

/** The recovery run a failback brings back: what it restored from which prod resource. */
export const RECOVERY_RUN = "20260410t080000a1";
export const RECOVERY_STARTED = "2026-04-10T08:00:00.000Z";

/** The restored resources of {@link RECOVERY_RUN}, in the DR region. */
export const RESTORED = {
  db: `dr-${RECOVERY_RUN}-app-db`,
  table: `dr-${RECOVERY_RUN}-Orders`,
  volume: "vol-0restored1234567",
  replica: "app-data-replica-us-west-2",
};

/** The dr stack's config while it serves from the recovery's resources: its restoredData, as a recovery sets it. */
export const ACTIVE_DR_CONFIG: Record<string, string> = {
  "dr-app:mode": "active",
  "dr-app:restoredData": JSON.stringify({
    db: {
      kind: "rds",
      id: RESTORED.db,
      endpoint: `${RESTORED.db}.c0abcdefgh.us-west-2.rds.amazonaws.com:5432`,
    },
    table: { kind: "dynamodb", id: RESTORED.table },
    volume: { kind: "ebs", id: RESTORED.volume },
    bucket: { kind: "s3", id: RESTORED.replica },
  }),
  "dr-app:drActiveDesiredCapacity": "3",
};

/** The same, as a CLI before `restoredData` left it: the five single-valued keys. */
export const LEGACY_ACTIVE_DR_CONFIG: Record<string, string> = {
  "dr-app:mode": "active",
  "dr-app:restoredDbInstanceId": RESTORED.db,
  "dr-app:restoredDbEndpoint": `${RESTORED.db}.c0abcdefgh.us-west-2.rds.amazonaws.com:5432`,
  "dr-app:restoredTableName": RESTORED.table,
  "dr-app:restoredVolumeId": RESTORED.volume,
  "dr-app:restoredBucketName": RESTORED.replica,
  "dr-app:drActiveDesiredCapacity": "3",
};

const prodArn = {
  db: `arn:aws:rds:us-east-1:${ACCOUNT}:db:app-db`,
  table: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders`,
  volume: `arn:aws:ec2:us-east-1:${ACCOUNT}:volume/vol-0data`,
};

/** The finished recovery journal of {@link RECOVERY_RUN}. */
export function recoveryJournal(): RunJournal {
  const job = (point: string, created: string, id: string) => ({
    recoveryPointArn: point,
    attempt: 1,
    idempotencyToken: `token-${point}`,
    intentAt: RECOVERY_STARTED,
    restoreJobId: `restore-${id}`,
    startedAt: RECOVERY_STARTED,
    status: "COMPLETED" as const,
    completedAt: "2026-04-10T08:40:00.000Z",
    createdResourceArn: created,
    resourceId: id,
  });
  const plan = (point: string, type: "RDS" | "DynamoDB" | "EBS", resourceArn: string, name: string) => ({
    recoveryPointArn: point,
    resourceArn,
    resourceType: type,
    resourceName: name,
    recoveryPointCreatedAt: "2026-04-10T07:00:00.000Z",
    iamRoleArn: `arn:aws:iam::${ACCOUNT}:role/dr-app-backup-restore`,
    metadata: {},
    notes: [],
  });
  const rp = (n: number) => `arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:rp-${n}`;
  return {
    version: 1,
    kind: "recover",
    runId: RECOVERY_RUN,
    startedAt: RECOVERY_STARTED,
    state: "finished",
    finishedAt: "2026-04-10T08:45:00.000Z",
    outcome: "success",
    stackName: "dr",
    region: "us-west-2",
    vaultName: "dr-vault",
    plan: [
      plan(rp(1), "RDS", prodArn.db, "app-db"),
      plan(rp(2), "DynamoDB", prodArn.table, "Orders"),
      plan(rp(3), "EBS", prodArn.volume, "vol-0data"),
    ],
    skipped: [],
    jobs: {
      [rp(1)]: job(rp(1), `arn:aws:rds:us-west-2:${ACCOUNT}:db:${RESTORED.db}`, RESTORED.db),
      [rp(2)]: job(rp(2), `arn:aws:dynamodb:us-west-2:${ACCOUNT}:table/${RESTORED.table}`, RESTORED.table),
      [rp(3)]: job(rp(3), `arn:aws:ec2:us-west-2:${ACCOUNT}:volume/${RESTORED.volume}`, RESTORED.volume),
    },
    flips: [],
    resumedAt: [],
  };
}

/** What a failback scenario changes of the Backup model's jobs, see {@link failbackModel}. */
export interface FailbackModelOptions {
  /** How long each backup and copy job takes. Default 5 minutes. */
  readonly jobMs?: number;
  /** The n-th copy job started (1-based, across the scenario) ends FAILED. Default none. */
  readonly failCopy?: number;
}

/**
 * The Backup model's options of the failback scenarios, where they differ from the model's defaults
 * (scripts/simulation/backupDefaults.ts): backup and copy jobs of `jobMs` (default 5 minutes) whose
 * copies restore in 3 minutes, ids numbered across both kinds (`backup-job-001`, `copy-job-002`, a backup
 * plan's `plan-job-003`), listed in pages of 2 (the harness's other listings answer whole), and the
 * `failCopy`-th copy job failing.
 */
export function failbackModel(
  options: FailbackModelOptions = {},
): Pick<SimOptions, "jobScript" | "jobsPageSize"> {
  const jobMs = options.jobMs ?? 5 * 60_000;
  let jobs = 0;
  let copies = 0;
  return {
    jobsPageSize: 2,
    jobScript: {
      backupMs: jobMs,
      copyMs: jobMs,
      restoreMs: 3 * 60_000,
      jobId: ({ kind, backupPlanId }) =>
        `${backupPlanId ? "plan" : kind}-job-${String(++jobs).padStart(3, "0")}`,
      copyOutcome: () => (++copies === options.failCopy ? { state: "FAILED" } : undefined),
    },
  };
}

/** Options of {@link failbackHarness}. */
export interface FailbackHarnessOptions extends Partial<HarnessOptions> {
  readonly drConfig?: Record<string, string>;
  readonly prodOutputs?: Record<string, unknown>;
  readonly prodConfig?: Record<string, string>;
  readonly drStack?: FakeStackOptions;
  /** Write the recovery journal into the state directory. Default true. */
  readonly recovery?: RunJournal | false;
  readonly points?: SimPoint[];
}

/** A harness whose dr stack is active on {@link RECOVERY_RUN}'s resources, with a prod stack beside it. */
export function failbackHarness(options: FailbackHarnessOptions = {}): {
  h: Harness;
  dr: () => FakeDrStack;
  prod: () => FakeDrStack;
  /** The simulated vaults' points, which completed copies join. */
  points: SimPoint[];
} {
  let dr: FakeDrStack | undefined;
  let prod: FakeDrStack | undefined;
  const points = options.points ?? [];
  const h: Harness = new Harness({
    points,
    primaryUp: true,
    ...options,
    // One array serves both vaults: completed copies join it, and the failback restores
    // them in the primary region from the primary vault.
    sim: {
      primary: { region: PROD_OUTPUTS.region, vaultName: PROD_OUTPUTS.primaryVaultName, points },
      ...failbackModel(),
      ...options.sim,
    },
    openStack: async ({ stackName }): Promise<StackHandle> => {
      if (stackName === "prod") {
        prod ??= new FakeDrStack(h.clock, {
          name: "prod",
          outputs: { ...PROD_OUTPUTS, ...(options.prodOutputs ?? {}) },
          config: { "dr-app:role": "primary", ...(options.prodConfig ?? {}) },
        });
        return prod;
      }
      dr ??= new FakeDrStack(h.clock, {
        ...(options.drStack ?? {}),
        config: options.drConfig ?? ACTIVE_DR_CONFIG,
      });
      return dr;
    },
  });
  if (options.recovery !== false) {
    fs.mkdirSync(h.stateDir, { recursive: true });
    fs.writeFileSync(
      path.join(h.stateDir, "recover.json"),
      JSON.stringify(options.recovery ?? recoveryJournal(), null, 2),
    );
  }
  const need = (stack: FakeDrStack | undefined) => {
    if (!stack) {
      throw new Error("the stack was never opened");
    }
    return stack;
  };
  return { h, dr: () => need(dr), prod: () => need(prod), points };
}

/**
 * The failback's AWS for a world {@link failbackHarness} made: the dr stack's servers follow its config, and
 * the recovery the failback brings back started at {@link RECOVERY_STARTED}.
 */
export function failbackAwsOf(
  made: ReturnType<typeof failbackHarness>,
  options: FailbackAwsOptions = {},
): FailbackAws {
  return new FailbackAws(made.h, made.points, () => made.dr().config, Date.parse(RECOVERY_STARTED), options);
}
