// The stack outputs the runbook is written from: a `pulumi stack output --json` file, or the Automation API.
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as path from "path";
import { pulumiErrorLine } from "../errors";

/** Plain stack outputs: `pulumi stack output --json`. */
export type PlainOutputs = Record<string, unknown>;

/**
 * Reads a `pulumi stack output --json` file: a JSON object of output names to values. Automation API
 * `OutputMap`s (`{ name: { value, secret } }`) are accepted too and unwrapped.
 * @throws Error when the file cannot be read or is not a JSON object.
 */
export function readOutputsFile(file: string): PlainOutputs {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`cannot read stack outputs from ${file}: ${(err as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new Error(`${file} must hold a JSON object, as \`pulumi stack output --json\` prints`);
  }
  return Object.fromEntries(
    Object.entries(raw as Record<string, unknown>).map(([key, value]) => {
      const wrapped = value as { value?: unknown; secret?: unknown };
      const isOutputValue =
        typeof value === "object" &&
        value !== null &&
        "value" in wrapped &&
        typeof wrapped.secret === "boolean";
      return [key, isOutputValue ? wrapped.value : value];
    }),
  );
}

/** Options of {@link readStackOutputs}. */
export interface ReadStackOutputsOptions {
  /** Directory of the project's Pulumi.yaml. */
  readonly workDir: string;
  /** Directory holding `bin/pulumi`. @default `pulumi` on the PATH */
  readonly pulumiRoot?: string;
}

/**
 * Reads the current outputs of `stackNames` through the Automation API (a LocalWorkspace on the project,
 * `stack.outputs()`), in order. Needs the Pulumi CLI and its backend; changes nothing.
 * @throws Error naming the stack, with the first line of Pulumi's message.
 */
export async function readStackOutputs(
  stackNames: readonly string[],
  options: ReadStackOutputsOptions,
): Promise<PlainOutputs[]> {
  let pulumiCommand: PulumiCommand;
  try {
    pulumiCommand = await PulumiCommand.get({
      ...(options.pulumiRoot !== undefined && { root: path.resolve(options.pulumiRoot) }),
      skipVersionCheck: true,
    });
  } catch (err) {
    throw new Error(
      `the Pulumi CLI is not usable (${pulumiErrorLine(err)}): install it, pass --pulumi-root, or give the outputs with --outputs <file>`,
    );
  }
  const results: PlainOutputs[] = [];
  for (const stackName of stackNames) {
    try {
      const stack = await LocalWorkspace.selectStack(
        { stackName, workDir: options.workDir },
        { pulumiCommand },
      );
      const outputs = await stack.outputs();
      results.push(Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.value])));
    } catch (err) {
      throw new Error(`cannot read the outputs of stack ${stackName}: ${pulumiErrorLine(err)}`);
    }
  }
  return results;
}
