// The plan's entry point: its options and the run that evaluates the program offline and prints the plan.
import type { CommandContext } from "../context";
import { ExitCode } from "../errors";

/** The plan's options, bound from `dr plan`'s flags (`npm run plan` runs `dr plan`). */
export interface PlanCommandOptions {
  /** The stack whose `Pulumi.<stack>.yaml` is read (the global `--stack`, which the plan needs given). */
  readonly stack: string;
  /** `dr-app:mode` for this plan. @default the stack's own `mode` */
  readonly mode?: "standby" | "active";
  /** Print JSON for machines, and nothing else on stdout. @default false */
  readonly json: boolean;
  /** Further config, as `pulumi preview --config`. @default none */
  readonly config: Record<string, string>;
  /** Plan with config keys Pulumi.yaml does not declare (a warning, not an error). @default false */
  readonly allowUnknownConfig: boolean;
  /** Directory of Pulumi.yaml (the global `--work-dir`). @default the nearest above the current directory */
  readonly projectDir: string;
  /**
   * The stack's settings file, read instead of `Pulumi.<stack>.yaml` (e.g. the second example's
   * docs/examples/service/Pulumi.prod.yaml). @default `Pulumi.<stack>.yaml` next to Pulumi.yaml
   */
  readonly configFile?: string;
}

/**
 * Runs the plan and returns the exit code: 0 when the program evaluated, 1 when it did not, 2 for a config
 * error (found before the program runs: nothing was evaluated). With `json`, stdout holds only the JSON.
 */
export async function runPlan(ctx: CommandContext, options: PlanCommandOptions): Promise<number> {
  // The program, the Pulumi SDK and the component load only when a plan runs.
  const { evaluatePlan } = await import("./evaluate");
  const { renderJson, renderText } = await import("./render");
  const { loadPriceBook } = await import("../cost/prices");
  const result = await evaluatePlan({
    projectDir: options.projectDir,
    stack: options.stack,
    mode: options.mode,
    configOverrides: options.config,
    allowUnknownConfig: options.allowUnknownConfig,
    configFile: options.configFile,
  });
  // The price file `dr cost` reads by default, for the monthly cost of what bills by the hour.
  const prices = loadPriceBook();
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const code =
    errors.length === 0
      ? ExitCode.ok
      : errors.some((d) => d.phase === "config")
        ? ExitCode.usage
        : ExitCode.partial;
  const { out } = ctx;
  if (options.json) {
    out.write(renderJson(result, prices));
    out.writeError(errors.map((d) => `error: ${d.message}\n`).join(""));
  } else if (code === ExitCode.ok) {
    out.write(renderText(result, prices));
  } else {
    out.writeError(renderText(result, prices));
  }
  return code;
}
