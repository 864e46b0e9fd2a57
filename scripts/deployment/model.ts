// A deployment read offline: its stacks' files, resolved config and validated settings, prod and dr paired.
import * as path from "path";
import { BackupRestoreDRArgs, computePosture, DrPosture } from "@restorekit/backup-restore-dr";
import {
  configSource,
  CONFIG_NAMESPACE,
  DrSettings,
  PrimarySettings,
  readSettings,
  StackConfigError,
  StackSettings,
} from "../../stacks/config";
import { protectionArgs } from "../../stacks/protection";
import {
  loadProject,
  ProjectConfigError,
  ProjectFile,
  resolveStackConfig,
  ResolvedConfig,
} from "./projectConfig";
import { resolveStackName, stackNames } from "./stackName";

/**
 * The settings the program derives from a stack's resolved config: the same pure readSettings the
 * program runs, with the project's name and the stack's.
 * @throws StackConfigError listing every problem, as `pulumi preview` reports them.
 */
export function settingsOf(project: ProjectFile, config: ResolvedConfig): StackSettings {
  return readSettings(configSource(config.values), { project: project.name, stack: config.stack });
}

/** One stack of the project, read offline: its stack file, resolved config and validated settings. */
export interface StackModel<S extends StackSettings = StackSettings> {
  readonly name: string;
  /** The stack file, relative to the project directory. */
  readonly file: string;
  readonly config: ResolvedConfig;
  readonly settings: S;
}

/**
 * Reads `Pulumi.<stack>.yaml` (or `stackFile`) with the project's defaults and validates it as the program does.
 * @throws ProjectConfigError naming the stack file, then each problem (key, value and rule).
 */
export function readStack(project: ProjectFile, stack: string, stackFile?: string): StackModel {
  const config = resolveStackConfig(project, stack, {}, { stackFile });
  const file = path.relative(project.directory, config.stackFile);
  try {
    return { name: stack, file, config, settings: settingsOf(project, config) };
  } catch (err) {
    if (!(err instanceof StackConfigError)) throw err;
    throw new ProjectConfigError(`${file}: ${err.problems.join(`\n${file}: `)}`);
  }
}

/** The prod and dr stacks of one deployment. */
export interface StackPair {
  readonly prod: StackModel<PrimarySettings>;
  readonly dr: StackModel<DrSettings>;
}

/** The local stack name of a `primaryStack` reference (`org/project/stack` or `stack`). */
function localName(stackRef: string): string {
  return stackRef.split("/").pop() ?? stackRef;
}

/**
 * Finds the prod/dr pair among the project's stack files. `stackName` may name either side: a dr stack's
 * prod is its `primaryStack`; a prod stack's dr is the one dr stack whose `primaryStack` names it. Every
 * stack file read is validated as the program validates it.
 * @param stackName a stack of the pair. @default the only stack with `role: dr`
 * @param stackFile the settings file of that stack, read instead of its `Pulumi.<stack>.yaml`. @default none
 * @throws ProjectConfigError naming the stacks found when the pair cannot be made, or a stack file's problems.
 */
export function resolveStackPair(project: ProjectFile, stackName?: string, stackFile?: string): StackPair {
  const byName = new Map(stackNames(project).map((name) => [name, readStack(project, name)]));
  if (stackFile !== undefined && stackName !== undefined) {
    // The named stack's settings from another file (`--config-file`), as `dr plan` reads them.
    const name = resolveStackName(project, stackName, (n) => `role ${byName.get(n)?.settings.role}`);
    byName.set(name, readStack(project, name, stackFile));
  }
  const stacks = [...byName.values()];
  const roleOf = (name: string) => `role ${byName.get(name)?.settings.role}`;
  const known = stacks.map((s) => `${s.name} (${roleOf(s.name)})`).join(", ") || "none";
  const isDr = (s: StackModel): s is StackModel<DrSettings> => s.settings.role === "dr";
  const isPrimary = (s: StackModel): s is StackModel<PrimarySettings> => s.settings.role === "primary";
  const drStacks = stacks.filter(isDr);
  // A name --stack gives is resolved (or refused, naming the stacks); without one, the only dr stack.
  const start =
    stackName !== undefined
      ? byName.get(resolveStackName(project, stackName, roleOf))
      : drStacks.length === 1
        ? drStacks[0]
        : undefined;
  if (start === undefined) {
    throw new ProjectConfigError(
      `cannot tell which dr stack to use in ${project.directory} (stacks found: ${known}): pass --stack <name>`,
    );
  }
  if (isDr(start)) {
    const prodName = localName(start.settings.primaryStack);
    const prod = stacks.find((s) => s.name === prodName);
    if (prod === undefined || !isPrimary(prod)) {
      throw new ProjectConfigError(
        `the dr stack ${start.name} names ${prodName} as its ${CONFIG_NAMESPACE}:primaryStack, but ${
          prod === undefined
            ? `there is no Pulumi.${prodName}.yaml in ${project.directory}`
            : `${prodName} has role dr`
        }`,
      );
    }
    return { prod, dr: start };
  }
  const prod = start as StackModel<PrimarySettings>;
  const linked = drStacks.filter((s) => localName(s.settings.primaryStack) === prod.name);
  if (linked.length !== 1) {
    throw new ProjectConfigError(
      linked.length === 0
        ? `no dr stack names ${prod.name} as its ${CONFIG_NAMESPACE}:primaryStack in ${project.directory} (stacks found: ${known})`
        : `the dr stacks ${linked.map((s) => s.name).join(" and ")} all name ${prod.name} as their ${CONFIG_NAMESPACE}:primaryStack: pass --stack <dr stack>`,
    );
  }
  return { prod, dr: linked[0] };
}

/**
 * The dr stack `stackName` names (`dr`, `org/dr`, `org/dr-app/dr`), read and validated: for a command that
 * acts on a dr stack offline (`dr rehearse`), checked before anything starts.
 * @param purpose why a dr stack is needed, for the error. @default "this needs a dr stack (role: dr)"
 * @throws ProjectConfigError when there is no such stack (naming those there), or its role is not dr: then
 * naming the stack, its role and the dr stack to pass instead.
 */
export function readDrStack(
  project: ProjectFile,
  stackName: string,
  purpose = "this needs a dr stack (role: dr)",
): StackModel<DrSettings> {
  const stack = readStack(project, resolveStackName(project, stackName));
  if (stack.settings.role === "dr") return stack as StackModel<DrSettings>;
  let fix: string;
  try {
    fix = `pass --stack ${resolveStackPair(project, stack.name).dr.name}, the dr stack that recovers ${stack.name}`;
  } catch (err) {
    if (!(err instanceof ProjectConfigError)) throw err;
    fix = `pass the dr stack with --stack (a stack file with ${CONFIG_NAMESPACE}:role: dr; ${err.message})`;
  }
  throw new ProjectConfigError(
    `stack '${stack.name}' has role ${stack.settings.role} (${stack.file}): ${purpose}; ${fix}`,
  );
}

/** What the application bucket is called offline: its name is generated at deployment unless configured. */
export const APP_BUCKET_LABEL = "application bucket";

/** One deployment as the offline tools (plan, runbook, cost) see it: exactly what the stacks deploy. */
export interface Deployment {
  /** Project name (`name:` in Pulumi.yaml). */
  readonly project: string;
  /** Directory of Pulumi.yaml. */
  readonly workDir: string;
  /** The files read, relative to `workDir`. */
  readonly files: readonly string[];
  /** The prod stack's settings, as its program reads them. */
  readonly prod: PrimarySettings;
  /** The dr stack's settings, as its program reads them. */
  readonly dr: DrSettings;
  /** The arguments prod gives BackupRestoreDR (the application bucket named by its configured name or a label). */
  readonly protection: BackupRestoreDRArgs;
  /** The component's posture of those arguments: what prod's `posture` output will be. */
  readonly posture: DrPosture;
}

/**
 * Reads the deployment of the project in `workDir`: Pulumi.yaml, the pair's stack files, their settings
 * and BackupRestoreDR's arguments, all validated as `pulumi preview` would.
 * @param stackName either stack of the pair. @default the only stack with `role: dr`
 * @param stackFile the settings file of the stack `stackName` names, instead of its `Pulumi.<stack>.yaml`. @default none
 * @throws ProjectConfigError naming the file, the key, the value and the rule.
 */
export function readDeployment(workDir: string, stackName?: string, stackFile?: string): Deployment {
  const project = loadProject(workDir);
  const pair = resolveStackPair(project, stackName, stackFile);
  const prod = pair.prod.settings;
  const protection = protectionArgs(prod, prod.appBucketName ?? APP_BUCKET_LABEL);
  return {
    project: project.name,
    workDir: project.directory,
    files: [project.file, pair.prod.file, pair.dr.file],
    prod,
    dr: pair.dr.settings,
    protection,
    posture: computePosture(protection),
  };
}
