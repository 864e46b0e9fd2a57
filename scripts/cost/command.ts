// The cost estimate's entry point: its options, their sizes and plan, and the run that prints the estimate.
import * as path from "path";
import { BACKUP_PLAN_NAMES, BackupPlanArgs, backupPlanByName } from "@restorekit/backup-restore-dr";
import { CommandContext, currentDir } from "../context";
import { DrError } from "../errors";
import { findProjectDir } from "../projectDir";
import { readDeployment } from "../deployment/model";
import { estimateCost } from "./estimate";
import { CostEntry, CostInputs, CostPlan } from "./inputs";
import { renderCostJson, renderCostText } from "./format";
import { costPlanFromDeployment, defaultCostPlan } from "./plan";
import { costEntries } from "./entries";
import type { PrimarySettings } from "../../stacks/config";
import { DEFAULT_PRICES_FILE, loadPriceBook } from "./prices";
import { compareWithSeedClaim, DEFAULT_EBS_GB_PER_INSTANCE, SEED_INPUTS } from "./seed";

/** Options of the `cost` command, bound from its flags and the global `--stack` and `--work-dir`. */
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
  /** Either stack of the pair (`dr cost`: the global `--stack`, default `dr`). @default the only dr stack */
  readonly stack?: string;
  /** Directory of Pulumi.yaml (global `--work-dir`). @default the nearest above the current directory */
  readonly workDir?: string;
  /**
   * The settings file of the stack `stack` names, read instead of `Pulumi.<stack>.yaml` (as `dr plan
   * --config-file` reads it: docs/examples/service/Pulumi.prod.yaml). @default `Pulumi.<stack>.yaml`
   */
  readonly configFile?: string;
}

/** The parser of a size flag `name`: a number from `min` to `max`, else a DrError naming the flag. */
export function sizeOption(name: string, min = 0, max = Number.POSITIVE_INFINITY) {
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

/**
 * The inputs from the options: given sizes, else the seed example's (with `seedExample`), else 0. With the
 * prod stack's settings (`prod`), one entry per inventory entry (entries.ts): sized by what it declares, a
 * given size flag sharing its kind's total among them; the kinds' sizes are then the entries' totals.
 */
export function costInputs(options: CostOptions, prod?: PrimarySettings): CostInputs {
  const seed = options.seedExample ? SEED_INPUTS : undefined;
  const instances = options.instances ?? seed?.instances ?? 0;
  const dailyChangePct = options.dailyChangePct ?? seed?.dailyChangePct ?? 2;
  const flags = {
    dbGb: options.dbGb ?? seed?.dbGb,
    s3Gb: options.s3Gb ?? seed?.s3Gb,
    ebsGb:
      options.ebsGb ??
      (options.instances !== undefined || seed ? instances * DEFAULT_EBS_GB_PER_INSTANCE : undefined),
    dynamodbGb: options.dynamodbGb ?? seed?.dynamodbGb,
  };
  const entries = prod ? costEntries(prod, flags) : undefined;
  const total = (kind: string, flag: number | undefined, only = (_: CostEntry) => true) =>
    entries
      ? entries.filter((e) => e.kind === kind && only(e)).reduce((sum, e) => sum + e.gb, 0)
      : (flag ?? 0);
  const inputs: CostInputs = {
    dbGb: total("rds", flags.dbGb),
    s3Gb: total("s3", flags.s3Gb, (e) => e.replicated === true),
    instances,
    ebsGb: total("ebs", flags.ebsGb),
    dynamodbGb: total("dynamodb", flags.dynamodbGb),
    dailyChangePct,
    s3DailyChangePct: options.s3DailyChangePct ?? dailyChangePct,
    s3ObjectMb: options.s3ObjectMb ?? seed?.s3ObjectMb ?? 1,
    ...(entries && { entries }),
  };
  if (inputs.dbGb + inputs.s3Gb + inputs.ebsGb + inputs.dynamodbGb === 0) {
    throw new DrError(
      "give the sizes to estimate (--db-gb, --s3-gb, --instances / --ebs-gb, --dynamodb-gb) or --seed-example",
    );
  }
  return inputs;
}

/**
 * The cost plan: the stacks' config in `workDir` (the stack `--stack` names read from `configFile` when
 * given), with prod's settings, or the seed plan between us-east-1 and us-west-2 without one.
 */
export function resolveCostPlan(
  options: CostOptions,
  cwd: string,
  warn: (text: string) => void,
): { plan: CostPlan; prod?: PrimarySettings } {
  const workDir = options.workDir !== undefined ? path.resolve(cwd, options.workDir) : findProjectDir(cwd);
  if (workDir === undefined) {
    const name = options.plan ?? "seed";
    const plan = namedPlan(name);
    const fallback = defaultCostPlan(name, plan);
    warn(
      `no Pulumi.yaml at or above ${cwd}: estimating the ${name} plan between ${fallback.primaryRegion} and ${fallback.drRegion}\n`,
    );
    return { plan: fallback };
  }
  let deployment;
  try {
    deployment = readDeployment(
      workDir,
      options.stack,
      options.configFile !== undefined ? path.resolve(cwd, options.configFile) : undefined,
    );
  } catch (err) {
    throw new DrError((err as Error).message);
  }
  const plan = costPlanFromDeployment(deployment);
  if (options.plan === undefined) return { plan, prod: deployment.prod };
  return {
    plan: { ...plan, name: `${options.plan} (--plan)`, rules: namedPlan(options.plan).rules },
    prod: deployment.prod,
  };
}

function namedPlan(name: string): BackupPlanArgs {
  const plan = backupPlanByName(name);
  if (!plan) throw new DrError(`--plan must be one of ${BACKUP_PLAN_NAMES.join(", ")}, got ${name}`);
  return plan;
}

/** Runs the estimate and writes it; returns the exit code (0). */
export function runCost(ctx: CommandContext, options: CostOptions): number {
  const { out } = ctx;
  const cwd = currentDir(ctx.deps);
  const { plan, prod } = resolveCostPlan(options, cwd, (text) => out.writeError(text));
  const inputs = costInputs(options, prod);
  let prices;
  try {
    prices = loadPriceBook(
      options.prices !== undefined ? path.resolve(cwd, options.prices) : DEFAULT_PRICES_FILE,
    );
  } catch (err) {
    throw new DrError((err as Error).message);
  }
  for (const region of [plan.primaryRegion, plan.drRegion]) {
    if (!prices.regions.includes(region)) {
      out.writeError(
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
  out.write(options.json ? renderCostJson(estimate, comparison) : renderCostText(estimate, comparison));
  return 0;
}
