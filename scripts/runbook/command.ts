// The runbook's entry point: its options and the run that writes the runbook from the stacks' config and outputs.
import * as fs from "fs";
import * as path from "path";
import { CommandContext, currentDir } from "../context";
import { findProjectDir } from "../projectDir";
import { DrError } from "../errors";
import { readDeployment } from "../deployment/model";
import { PlainOutputs, readOutputsFile, readStackOutputs } from "./outputs";
import { REPOSITORY_DIR } from "../repository";
import { CLI, renderRunbook } from "./render";

/** The command that regenerates the committed example, as the runbook's header names it. */
export const EXAMPLE_COMMAND =
  "npm run runbook -- --checkout /opt/restorekit-dr --out docs/runbook-example.md";

/** Options of the `runbook` command, bound from its flags and the global `--stack`, `--work-dir` and `--pulumi-root`. */
export interface RunbookOptions {
  /** Write the runbook to this file instead of standard output. @default standard output */
  readonly out?: string;
  /** Read both stacks' outputs through the Automation API (needs the Pulumi CLI). @default false */
  readonly fromStack?: boolean;
  /** The dr stack's `pulumi stack output --json`, saved to a file. @default none */
  readonly outputs?: string;
  /** The prod stack's `pulumi stack output --json`, saved to a file. @default none */
  readonly prodOutputs?: string;
  /** Either stack of the pair (`dr runbook`: the global `--stack`, default `dr`). @default the only dr stack */
  readonly stack?: string;
  /** Directory of Pulumi.yaml (global `--work-dir`). @default the nearest above the current directory */
  readonly workDir?: string;
  /**
   * Where the repository is checked out on the machine the runbook's commands run on (an absolute path):
   * they start the CLI from there. @default this checkout
   */
  readonly checkout?: string;
  /** Directory holding bin/pulumi (global `--pulumi-root`). @default pulumi on the PATH */
  readonly pulumiRoot?: string;
}

/**
 * Writes the runbook: config from the project's Pulumi.yaml and stack files, outputs from the stacks
 * (`--from-stack`), from files (`--outputs`, `--prod-outputs`) or none (placeholders).
 */
export async function runRunbook(ctx: CommandContext, options: RunbookOptions): Promise<number> {
  const cwd = currentDir(ctx.deps);
  const workDir = options.workDir !== undefined ? path.resolve(cwd, options.workDir) : findProjectDir(cwd);
  if (workDir === undefined) {
    throw new DrError(
      `no Pulumi.yaml at or above ${cwd}: pass --work-dir <directory of the Pulumi project>, or set DR_WORK_DIR to it`,
    );
  }
  if (options.checkout !== undefined && !path.isAbsolute(options.checkout)) {
    throw new DrError(
      `--checkout ${options.checkout}: not an absolute path; give where the repository is on the machine the runbook's commands run on, e.g. /opt/restorekit-dr`,
    );
  }
  if (options.fromStack && (options.outputs !== undefined || options.prodOutputs !== undefined)) {
    throw new DrError(
      "--from-stack reads the outputs from the stacks: drop --outputs / --prod-outputs, or --from-stack",
    );
  }
  let deployment;
  try {
    deployment = readDeployment(workDir, options.stack);
  } catch (err) {
    throw new DrError((err as Error).message);
  }
  let prodOutputs: PlainOutputs = {};
  let drOutputs: PlainOutputs = {};
  let outputsSource = "none read, config only";
  try {
    if (options.fromStack) {
      [prodOutputs, drOutputs] = await readStackOutputs([deployment.prod.stack, deployment.dr.stack], {
        workDir,
        ...(options.pulumiRoot !== undefined && { pulumiRoot: options.pulumiRoot }),
      });
      outputsSource = `read from stacks ${deployment.prod.stack} and ${deployment.dr.stack} with the Automation API`;
    } else if (options.outputs !== undefined || options.prodOutputs !== undefined) {
      const files: string[] = [];
      if (options.outputs !== undefined) {
        drOutputs = readOutputsFile(path.resolve(cwd, options.outputs));
        files.push(path.basename(options.outputs));
      }
      if (options.prodOutputs !== undefined) {
        prodOutputs = readOutputsFile(path.resolve(cwd, options.prodOutputs));
        files.push(path.basename(options.prodOutputs));
      }
      outputsSource = `read from ${files.join(" and ")}`;
    }
  } catch (err) {
    throw new DrError((err as Error).message);
  }
  const flags = [
    ...(options.checkout !== undefined ? [`--checkout ${options.checkout}`] : []),
    ...(options.out !== undefined ? [`--out ${options.out}`] : []),
  ];
  const regenerate = options.fromStack
    ? [`${CLI} runbook --from-stack`, ...flags].join(" ")
    : options.outputs !== undefined || options.prodOutputs !== undefined
      ? [`${CLI} runbook --outputs <dr outputs.json> --prod-outputs <prod outputs.json>`, ...flags].join(" ")
      : ["npm run runbook", ...(flags.length > 0 ? ["--", ...flags] : [])].join(" ");
  const text = renderRunbook({
    deployment,
    prodOutputs,
    drOutputs,
    outputsSource,
    regenerate,
    checkout: options.checkout ?? REPOSITORY_DIR,
    ...(path.resolve(workDir) !== REPOSITORY_DIR && { workDir: path.resolve(workDir) }),
  });
  if (options.out !== undefined) {
    const file = path.resolve(cwd, options.out);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    ctx.out.writeError(`wrote ${path.relative(cwd, file) || file}\n`);
  } else {
    ctx.out.write(text);
  }
  return 0;
}
