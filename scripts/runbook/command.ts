import { Command } from "commander";
import * as fs from "fs";
import * as path from "path";
import { findProjectDir } from "../projectDir";
import { DrError } from "../errors";
import { readDeployment } from "../deployment/model";
import { PlainOutputs, readOutputsFile, readStackOutputs } from "./outputs";
import { renderRunbook } from "./render";

/** The command that regenerates the committed example, as the runbook's header names it. */
export const EXAMPLE_COMMAND = "npm run runbook -- --out docs/runbook-example.md";

/** Options of the `runbook` command, as parsed. */
export interface RunbookOptions {
  /** Write the runbook to this file instead of standard output. @default standard output */
  readonly out?: string;
  /** Read both stacks' outputs through the Automation API (needs the Pulumi CLI). @default false */
  readonly fromStack?: boolean;
  /** The dr stack's `pulumi stack output --json`, saved to a file. @default none */
  readonly outputs?: string;
  /** The prod stack's `pulumi stack output --json`, saved to a file. @default none */
  readonly prodOutputs?: string;
  /** Either stack of the pair (global `--stack`). @default the only dr stack */
  readonly stack?: string;
  /** Directory of Pulumi.yaml (global `--work-dir`). @default the nearest above the current directory */
  readonly workDir?: string;
  /** Directory holding bin/pulumi (global `--pulumi-root`). @default pulumi on the PATH */
  readonly pulumiRoot?: string;
}

/** Where the command writes, and what it reads stack outputs with (replaceable in tests). */
export interface RunbookIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
  readonly readStackOutputs: typeof readStackOutputs;
}

/**
 * Writes the runbook: config from the project's Pulumi.yaml and stack files, outputs from the stacks
 * (`--from-stack`), from files (`--outputs`, `--prod-outputs`) or none (placeholders).
 */
export async function runRunbook(options: RunbookOptions, io: RunbookIo): Promise<number> {
  const workDir =
    options.workDir !== undefined ? path.resolve(io.cwd, options.workDir) : findProjectDir(io.cwd);
  if (workDir === undefined) {
    throw new DrError(
      `no Pulumi.yaml at or above ${io.cwd}: pass --work-dir <directory of the Pulumi project>`,
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
      [prodOutputs, drOutputs] = await io.readStackOutputs([deployment.prod.stack, deployment.dr.stack], {
        workDir,
        ...(options.pulumiRoot !== undefined && { pulumiRoot: options.pulumiRoot }),
      });
      outputsSource = `read from stacks ${deployment.prod.stack} and ${deployment.dr.stack} with the Automation API`;
    } else if (options.outputs !== undefined || options.prodOutputs !== undefined) {
      const files: string[] = [];
      if (options.outputs !== undefined) {
        drOutputs = readOutputsFile(path.resolve(io.cwd, options.outputs));
        files.push(path.basename(options.outputs));
      }
      if (options.prodOutputs !== undefined) {
        prodOutputs = readOutputsFile(path.resolve(io.cwd, options.prodOutputs));
        files.push(path.basename(options.prodOutputs));
      }
      outputsSource = `read from ${files.join(" and ")}`;
    }
  } catch (err) {
    throw new DrError((err as Error).message);
  }
  const regenerate = options.fromStack
    ? `npx dr runbook --from-stack${options.out ? ` --out ${options.out}` : ""}`
    : options.outputs !== undefined || options.prodOutputs !== undefined
      ? "npx dr runbook --outputs <dr outputs.json> --prod-outputs <prod outputs.json>"
      : options.out !== undefined
        ? `npm run runbook -- --out ${options.out}`
        : "npm run runbook";
  const text = renderRunbook({ deployment, prodOutputs, drOutputs, outputsSource, regenerate });
  if (options.out !== undefined) {
    const file = path.resolve(io.cwd, options.out);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    io.err(`wrote ${path.relative(io.cwd, file) || file}\n`);
  } else {
    io.out(text);
  }
  return 0;
}

/**
 * Adds the `runbook` command to a commander program. It reads the global `--stack`, `--work-dir` and
 * `--pulumi-root` options when the program has them, and writes through the program's configured output.
 * @param program the root program (`dr`).
 * @param io where to write and how to read stack outputs. @default the command's output, `process.cwd()`
 *   and the Automation API
 */
export function registerRunbookCommand(program: Command, io?: Partial<RunbookIo>): Command {
  return program
    .command("runbook")
    .description(
      "write the operator runbook (Markdown) from this deployment's config and stack outputs: commands, timings, checks, rollback, fail-back, drills",
    )
    .option("--out <file>", "write to this file (default: standard output)")
    .option("--from-stack", "read both stacks' outputs through the Automation API (needs the Pulumi CLI)")
    .option("--outputs <file>", "the dr stack's outputs: `pulumi stack output --json --stack dr > file`")
    .option("--prod-outputs <file>", "the prod stack's outputs, likewise")
    .addHelpText(
      "after",
      "\nWithout --from-stack or --outputs, values only the stacks know (vault names, URLs) are written as\n" +
        "`pulumi stack output` look-ups marked PLACEHOLDER. --stack names either stack of the pair.",
    )
    .action(async (_opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals<RunbookOptions & Record<string, unknown>>();
      const output = cmd.configureOutput();
      await runRunbook(opts, {
        out: io?.out ?? ((text) => (output.writeOut ?? ((t: string) => process.stdout.write(t)))(text)),
        err: io?.err ?? ((text) => (output.writeErr ?? ((t: string) => process.stderr.write(t)))(text)),
        cwd: io?.cwd ?? process.cwd(),
        readStackOutputs: io?.readStackOutputs ?? readStackOutputs,
      });
    });
}
