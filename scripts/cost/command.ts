import { Command } from "commander";
import * as path from "path";
import { BACKUP_PLAN_NAMES, BackupPlanArgs, backupPlanByName } from "@restorekit/backup-restore-dr";
import { DrError } from "../errors";
import { findProjectDir } from "../projectDir";
import { readDeployment } from "../deployment/model";
import { estimateCost } from "./estimate";
import { CostInputs, CostPlan } from "./inputs";
import { renderCostJson, renderCostText } from "./format";
import { costPlanFromDeployment, defaultCostPlan } from "./plan";
import { DEFAULT_PRICES_FILE, loadPriceBook } from "./prices";
import { compareWithSeedClaim, DEFAULT_EBS_GB_PER_INSTANCE, SEED_INPUTS } from "./seed";

/** Options of the `cost` command, as parsed. */
export interface CostOptions {
  /** GB of RDS storage backed up. @default 0 (500 with `seedExample`) */
  readonly dbGb?: number;
  /** GB of S3 replicated. @default 0 (1,024 with `seedExample`) */
  readonly s3Gb?: number;
  /** GB of EBS backed up. @default `instances` x 20 */
  readonly ebsGb?: number;
  /** EC2 instances backed up. @default 0 (5 with `seedExample`) */
  readonly instances?: number;
  /** GB of DynamoDB backed up. @default 0 */
  readonly dynamodbGb?: number;
  /** Percent of RDS, EBS and DynamoDB data changed per day. @default 2 */
  readonly dailyChangePct?: number;
  /** Percent of S3 data written per day. @default `dailyChangePct` */
  readonly s3DailyChangePct?: number;
  /** Average S3 object size in MB. @default 1 */
  readonly s3ObjectMb?: number;
  /** Price file. @default data/prices/aws-us-east-1-us-west-2-2026-11.json */
  readonly prices?: string;
  /** Backup plan instead of the prod stack's `backupPlan`. @default the stack's */
  readonly plan?: string;
  /** The seed example's sizes for every size not given, and the comparison with the guide's claim. @default false */
  readonly seedExample?: boolean;
  /** Print JSON instead of the table. @default false */
  readonly json?: boolean;
  /** Either stack of the pair (global `--stack`). @default the only dr stack */
  readonly stack?: string;
  /** Directory of Pulumi.yaml (global `--work-dir`). @default the nearest above the current directory */
  readonly workDir?: string;
}

/** Where the command writes. */
export interface CostIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
}

function sizeOption(name: string, min = 0, max = Number.POSITIVE_INFINITY) {
  return (text: string): number => {
    const value = Number(text);
    if (text.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
      throw new DrError(
        `${name} must be a number${max === Number.POSITIVE_INFINITY ? ` of at least ${min}` : ` from ${min} to ${max}`}, got ${JSON.stringify(text)}`,
      );
    }
    return value;
  };
}

/** The inputs from the options: given sizes, else the seed example's (with `seedExample`), else 0. */
export function costInputs(options: CostOptions): CostInputs {
  const seed = options.seedExample ? SEED_INPUTS : undefined;
  const instances = options.instances ?? seed?.instances ?? 0;
  const dailyChangePct = options.dailyChangePct ?? seed?.dailyChangePct ?? 2;
  const inputs: CostInputs = {
    dbGb: options.dbGb ?? seed?.dbGb ?? 0,
    s3Gb: options.s3Gb ?? seed?.s3Gb ?? 0,
    instances,
    ebsGb: options.ebsGb ?? instances * DEFAULT_EBS_GB_PER_INSTANCE,
    dynamodbGb: options.dynamodbGb ?? seed?.dynamodbGb ?? 0,
    dailyChangePct,
    s3DailyChangePct: options.s3DailyChangePct ?? dailyChangePct,
    s3ObjectMb: options.s3ObjectMb ?? seed?.s3ObjectMb ?? 1,
  };
  if (inputs.dbGb + inputs.s3Gb + inputs.ebsGb + inputs.dynamodbGb === 0) {
    throw new DrError(
      "give the sizes to estimate (--db-gb, --s3-gb, --instances / --ebs-gb, --dynamodb-gb) or --seed-example",
    );
  }
  return inputs;
}

/** The cost plan: the stacks' config in `workDir`, or the seed plan between us-east-1 and us-west-2 without one. */
export function resolveCostPlan(options: CostOptions, cwd: string, warn: (text: string) => void): CostPlan {
  const workDir = options.workDir !== undefined ? path.resolve(cwd, options.workDir) : findProjectDir(cwd);
  if (workDir === undefined) {
    const name = options.plan ?? "seed";
    const plan = namedPlan(name);
    const fallback = defaultCostPlan(name, plan);
    warn(
      `no Pulumi.yaml at or above ${cwd}: estimating the ${name} plan between ${fallback.primaryRegion} and ${fallback.drRegion}\n`,
    );
    return fallback;
  }
  let deployment;
  try {
    deployment = readDeployment(workDir, options.stack);
  } catch (err) {
    throw new DrError((err as Error).message);
  }
  const plan = costPlanFromDeployment(deployment);
  if (options.plan === undefined) return plan;
  return { ...plan, name: `${options.plan} (--plan)`, rules: namedPlan(options.plan).rules };
}

function namedPlan(name: string): BackupPlanArgs {
  const plan = backupPlanByName(name);
  if (!plan) throw new DrError(`--plan must be one of ${BACKUP_PLAN_NAMES.join(", ")}, got ${name}`);
  return plan;
}

/** Runs the estimate and writes it; returns the exit code (0). */
export function runCost(options: CostOptions, io: CostIo): number {
  const inputs = costInputs(options);
  const plan = resolveCostPlan(options, io.cwd, io.err);
  let prices;
  try {
    prices = loadPriceBook(
      options.prices !== undefined ? path.resolve(io.cwd, options.prices) : DEFAULT_PRICES_FILE,
    );
  } catch (err) {
    throw new DrError((err as Error).message);
  }
  for (const region of [plan.primaryRegion, plan.drRegion]) {
    if (!prices.regions.includes(region)) {
      io.err(
        `warning: the price file lists ${prices.regions.join(", ")}, not ${region}: pass --prices <file> for ${region}\n`,
      );
    }
  }
  let estimate;
  try {
    estimate = estimateCost(inputs, plan, prices);
  } catch (err) {
    throw new DrError((err as Error).message);
  }
  const comparison = options.seedExample ? compareWithSeedClaim(estimate, inputs, plan, prices) : undefined;
  io.out(options.json ? renderCostJson(estimate, comparison) : renderCostText(estimate, comparison));
  return 0;
}

/**
 * Adds the `cost` command to a commander program. It reads the global `--stack` and `--work-dir` options
 * when the program has them, and writes through the program's configured output.
 * @param program the root program (`dr`).
 * @param io where to write. @default the command's configured output, and `process.cwd()`
 */
export function registerCostCommand(program: Command, io?: Partial<CostIo>): Command {
  return program
    .command("cost")
    .description(
      "estimate the monthly DR overhead (backup storage, copies, S3 replica, idle dr stack) from sizes you give, with every line's arithmetic",
    )
    .option("--db-gb <gb>", "GB of RDS database storage backed up", sizeOption("--db-gb"))
    .option("--s3-gb <gb>", "GB of S3 data replicated to the DR region", sizeOption("--s3-gb"))
    .option("--instances <n>", "EC2 instances backed up (default 0)", sizeOption("--instances"))
    .option(
      "--ebs-gb <gb>",
      `GB of EBS volumes backed up, in total (default: instances x ${DEFAULT_EBS_GB_PER_INSTANCE})`,
      sizeOption("--ebs-gb"),
    )
    .option("--dynamodb-gb <gb>", "GB of DynamoDB tables backed up (default 0)", sizeOption("--dynamodb-gb"))
    .option(
      "--daily-change-pct <pct>",
      "percent of the RDS, EBS and DynamoDB data changed per day (default 2)",
      sizeOption("--daily-change-pct", 0, 100),
    )
    .option(
      "--s3-daily-change-pct <pct>",
      "percent of the S3 data written per day (default: --daily-change-pct)",
      sizeOption("--s3-daily-change-pct", 0, 100),
    )
    .option(
      "--s3-object-mb <mb>",
      "average S3 object size in MB (default 1)",
      sizeOption("--s3-object-mb", 0.001),
    )
    .option("--prices <file>", `price file (default: ${path.relative(process.cwd(), DEFAULT_PRICES_FILE)})`)
    .option(
      "--plan <name>",
      `backup plan instead of the prod stack's backupPlan: ${BACKUP_PLAN_NAMES.join(", ")}`,
    )
    .option(
      "--seed-example",
      "the guide's example (500 GB database, 1 TB S3, 5 instances) for sizes not given, compared with its $50-200/month",
    )
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nThe plan, regions and dr stack shape come from the stacks' config (--stack names either stack of the pair).\n" +
        "Prices come from a dated file compiled from AWS's public pricing pages; check them before relying on the figure.",
    )
    .action((_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<CostOptions & Record<string, unknown>>();
      const output = cmd.configureOutput();
      runCost(opts, {
        out: io?.out ?? ((text) => (output.writeOut ?? ((t: string) => process.stdout.write(t)))(text)),
        err: io?.err ?? ((text) => (output.writeErr ?? ((t: string) => process.stderr.write(t)))(text)),
        cwd: io?.cwd ?? process.cwd(),
      });
    });
}
