// `dr cost`: its flags, bound into CostOptions, and the run that estimates the monthly DR overhead.
import * as path from "path";
import type { Command } from "commander";
import { BACKUP_PLAN_NAMES } from "@restorekit/backup-restore-dr";
import { CostOptions, runCost as estimateAndPrint, sizeOption } from "../cost/command";
import { DEFAULT_PRICES_FILE } from "../cost/prices";
import { DEFAULT_EBS_GB_PER_INSTANCE } from "../cost/seed";
import type { CommandContext } from "../context";
import { CommandWiring, RunCommand, runWith } from "./command";
import { givenWorkDir } from "../projectDir";

/** The estimate, written through the context's output. */
const runCost: RunCommand<CostOptions> = async (ctx, options) => estimateAndPrint(ctx, options);

/**
 * The options of `cmd`, a command registered by {@link register}: its flags, the global `--stack`, and the
 * global `--work-dir` or `$DR_WORK_DIR` as given (without either the project is looked for above the current directory).
 */
export function bindCostOptions(cmd: Command, ctx: CommandContext): CostOptions {
  const o = cmd.opts<Omit<CostOptions, "stack" | "workDir">>();
  return {
    dbGb: o.dbGb,
    s3Gb: o.s3Gb,
    ebsGb: o.ebsGb,
    instances: o.instances,
    dynamodbGb: o.dynamodbGb,
    dailyChangePct: o.dailyChangePct,
    s3DailyChangePct: o.s3DailyChangePct,
    s3ObjectMb: o.s3ObjectMb,
    prices: o.prices,
    plan: o.plan,
    seedExample: o.seedExample,
    json: o.json,
    configFile: o.configFile,
    stack: ctx.global.stack,
    workDir: givenWorkDir(cmd.optsWithGlobals<{ workDir?: string }>().workDir, ctx.deps.env),
  };
}

/** Registers `dr cost [--db-gb <gb>] [--s3-gb <gb>] [--instances <n>] ... [--seed-example] [--json]`. */
export function register(
  program: Command,
  wiring: CommandWiring,
  run: RunCommand<CostOptions> = runCost,
): Command {
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
    .option(
      "--config-file <path>",
      "the settings file of the stack --stack names, instead of its Pulumi.<stack>.yaml (as dr plan reads it)",
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
    .action(runWith(wiring, bindCostOptions, run));
}
