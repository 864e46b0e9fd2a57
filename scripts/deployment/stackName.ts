// A --stack value as Pulumi reads it (stack, org/stack, org/project/stack), resolved to the project's stack file.
import * as fs from "fs";
import { didYouMean } from "../nearestName";
import { ProjectConfigError, ProjectFile } from "./projectConfig";

/** The parts of a stack name: `stack`, `org/stack` or `org/project/stack`. */
export interface StackName {
  readonly org?: string;
  readonly project?: string;
  /** The stack's own name: its settings are `Pulumi.<stack>.yaml`. */
  readonly stack: string;
}

/**
 * The parts of `name`, in the three forms Pulumi takes (https://www.pulumi.com/docs/iac/concepts/stacks/:
 * `stackName`, `orgName/stackName`, `orgName/projectName/stackName`).
 * @throws ProjectConfigError for another form.
 */
export function parseStackName(name: string): StackName {
  const parts = name.split("/");
  if (parts.length > 3 || parts.some((part) => part === "")) {
    throw new ProjectConfigError(
      `stack '${name}' is not a stack name: Pulumi takes <stack>, <org>/<stack> or <org>/<project>/<stack>`,
    );
  }
  const stack = parts[parts.length - 1];
  return parts.length === 3
    ? { org: parts[0], project: parts[1], stack }
    : parts.length === 2
      ? { org: parts[0], stack }
      : { stack };
}

/** The names of the stacks with a `Pulumi.<stack>.yaml` next to Pulumi.yaml, sorted. */
export function stackNames(project: ProjectFile): string[] {
  return fs
    .readdirSync(project.directory)
    .flatMap((entry) => /^Pulumi\.(.+)\.yaml$/.exec(entry)?.[1] ?? [])
    .sort();
}

/**
 * The stack `name` names in `project`, by its last part, whose `Pulumi.<stack>.yaml` is next to Pulumi.yaml:
 * what every command that reads a stack offline (plan, runbook, cost, rehearse) takes for `--stack`.
 * @param describe what the list of stacks says of each beside its name (`role dr`). @default nothing
 * @throws ProjectConfigError when `name` names another project (Pulumi: "projectName must match the project
 * specified by the Pulumi.yaml"), or no stack file is there: then it lists the stacks there and the nearest.
 */
export function resolveStackName(
  project: ProjectFile,
  name: string,
  describe?: (stack: string) => string,
): string {
  const parsed = parseStackName(name);
  if (parsed.project !== undefined && parsed.project !== project.name) {
    throw new ProjectConfigError(
      `stack '${name}' is in project '${parsed.project}', but ${project.file} in ${project.directory} is project '${project.name}': pass ${parsed.org}/${project.name}/${parsed.stack} or ${parsed.stack}`,
    );
  }
  const names = stackNames(project);
  if (names.includes(parsed.stack)) return parsed.stack;
  const found = names.map((stack) => (describe ? `${stack} (${describe(stack)})` : stack)).join(", ");
  throw new ProjectConfigError(
    `no stack named '${parsed.stack}' found: no Pulumi.${parsed.stack}.yaml in ${project.directory}; stacks found: ${
      found || "none"
    }${didYouMean(parsed.stack, names)}`,
  );
}
