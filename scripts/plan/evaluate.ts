// `evaluatePlan`: one stack's program run offline on the mock engine, with prod's outputs as placeholders.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { DrPosture } from "@restorekit/backup-restore-dr";
import {
  CONFIG_SCHEMA,
  configSource,
  DR_MODES,
  DrMode,
  PrimarySettings,
  readSettings,
  RESTORED_KEYS,
  StackConfigError,
  StackSettings,
} from "../../stacks/config";
import { FAILOVER_SWITCH, failoverAlarmName } from "../../stacks/dnsFailover";
import { DB_PORTS } from "../../stacks/primary";
import { defineStack } from "../../stacks/program";
import { protectionArgs, replicatedBuckets } from "../../stacks/protection";
import { restoredDataPlan } from "../../stacks/restoredDataProtection";
import {
  displayValue,
  EngineRecording,
  installPlanEngine,
  PlannedInvoke,
  PlannedResource,
  SECRET,
  StackReferenceFixture,
  UNKNOWN,
} from "./engine";
import { readStack, settingsOf } from "../deployment/model";
import { DestroyTable } from "./lastCopy";
import { AWS_MANAGED_KEY_SOURCE, notIsolatedEntries } from "../../stacks/config/isolation";
import { measuredDestroyTable } from "./measuredDestroy";
import { resolveStackName } from "../deployment/stackName";
import { diffFlip, FlipChange } from "./flipChanges";
import {
  loadProject,
  ProjectConfigError,
  ProjectFile,
  resolveStackConfig,
  ResolvedConfig,
} from "../deployment/projectConfig";

/** Options of {@link evaluatePlan}. */
export interface PlanOptions {
  /** Directory holding Pulumi.yaml and the stack files. */
  readonly projectDir: string;
  /** Stack name: `Pulumi.<stack>.yaml` is read. */
  readonly stack: string;
  /**
   * The stack's settings file, read instead of `Pulumi.<stack>.yaml` (`dr plan --config-file`); a dr
   * stack's prod settings are then looked for beside it first. @default `Pulumi.<stack>.yaml` next to Pulumi.yaml
   */
  readonly configFile?: string;
  /** Sets `dr-app:mode`, as `pulumi config set mode <mode>` would. @default the stack's own */
  readonly mode?: DrMode;
  /** Further `key=value` config, as `pulumi preview --config`. @default none */
  readonly configOverrides?: Readonly<Record<string, string>>;
  /** Plan with `configOverrides` keys Pulumi.yaml does not declare (a warning) instead of failing. @default false */
  readonly allowUnknownConfig?: boolean;
  /**
   * `configOverrides` are plain strings, as `pulumi config set-all --plaintext` stores them, even when they
   * read as JSON (the recovery CLI's `restoredData`); false reads a JSON override as structured. @default false
   */
  readonly plaintextConfig?: boolean;
  /**
   * Changes the settings after they are read and validated, before the program defines the stack (the
   * benchmark uses it to size the program). @default none
   */
  readonly adjustSettings?: (settings: StackSettings) => StackSettings;
  /**
   * A dr stack's primary stack outputs as a deployment reports them (a rehearsal's names), over the offline
   * placeholders its StackReference otherwise gives. @default the placeholders only
   */
  readonly primaryOutputs?: Readonly<Record<string, unknown>>;
}

/** An error as `pulumi preview` would report it. */
export interface PlanDiagnostic {
  readonly severity: "error" | "warning";
  /** `config`: found before the program runs; `program`: raised by it. */
  readonly phase: "config" | "program";
  readonly message: string;
}

/** What evaluating a stack offline produced. */
export interface PlanResult {
  readonly project: string;
  readonly stack: string;
  /** The stack file read, relative to the project directory. */
  readonly stackFile?: string;
  readonly role?: string;
  readonly mode?: string;
  readonly region?: string;
  /** The program's config: fully qualified key -> value (secrets shown as [secret]) and its source. */
  readonly config: Record<string, { value: string; source: string }>;
  readonly resources: PlannedResource[];
  readonly invokes: PlannedInvoke[];
  readonly stackReferences: EngineRecording["stackReferences"];
  /** Stack outputs, unknowns as <unknown>. */
  readonly outputs?: Record<string, unknown>;
  /** The prod stack's DR posture, from BackupRestoreDR. */
  readonly posture?: DrPosture;
  /** The prod stack's "who can destroy the last copy" table. */
  readonly lastCopy?: DestroyTable;
  readonly diagnostics: PlanDiagnostic[];
  /** Milliseconds the program took on the mock engine, from the first line to the last registration. */
  readonly evaluationMs?: number;
  /**
   * A dr stack in active mode: what differs from the same stack in standby without restored identifiers,
   * i.e. what the recovery CLI's flip changes.
   */
  readonly flip?: FlipChange[];
}

interface OutputInternals {
  isKnown: Promise<boolean>;
  promise(withUnknowns: boolean): Promise<unknown>;
}

/**
 * The value of an output as the plan shows it. `isKnown` and `promise(true)` are how Pulumi's own runtime
 * reads stack outputs in a preview; the public `apply` never runs on an unknown value. A key whose value is
 * undefined is left out, as Pulumi leaves it out of the stack's outputs (its Node SDK treats "properties with
 * undefined values as if they do not exist": sdk/nodejs/runtime/rpc.ts, serializeFilteredProperties and
 * serializeProperty), e.g. `restoreTestingPlanArn` without restore testing.
 */
async function resolveForDisplay(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    const output = value as unknown as OutputInternals;
    const [known, secret, inner] = await Promise.all([
      output.isKnown,
      pulumi.isSecret(value),
      output.promise(true),
    ]);
    if (secret) return SECRET;
    if (!known && inner === undefined) return UNKNOWN;
    return resolveForDisplay(inner);
  }
  if (Array.isArray(value)) return Promise.all(value.map(resolveForDisplay));
  if (typeof value === "object" && value !== null && !pulumi.isUnknown(value)) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([key, inner]) => [key, await resolveForDisplay(inner)] as const),
    );
    return Object.fromEntries(entries.filter(([, shown]) => shown !== undefined));
  }
  return displayValue(value);
}

/**
 * The settings of the prod stack a dr stack names: its stack file's, when it is here and validates; else
 * a primary stack with the project's defaults in the dr stack's regions. `note` says which.
 */
function primarySettingsFor(
  project: ProjectFile,
  drConfig: ResolvedConfig,
  localName: string,
  configFile?: string,
): { settings: PrimarySettings; note: string } {
  let problem = `no Pulumi.${localName}.yaml here`;
  // A dr config file kept elsewhere (--config-file) has its prod stack's beside it.
  const beside = configFile && path.join(path.dirname(configFile), `Pulumi.${localName}.yaml`);
  const file =
    beside && fs.existsSync(beside) ? beside : path.join(project.directory, `Pulumi.${localName}.yaml`);
  if (fs.existsSync(file)) {
    try {
      const { settings } = readStack(project, localName, file);
      if (settings.role === "primary") {
        return {
          settings,
          note: `names and ARNs from a deployment; numbers from ${path.relative(project.directory, file)}`,
        };
      }
      problem = `Pulumi.${localName}.yaml has role ${settings.role}`;
    } catch (err) {
      if (!(err instanceof ProjectConfigError)) throw err;
      problem = err.message.split("\n")[0];
    }
  }
  const value = (key: string) => drConfig.values[`${project.name}:${key}`];
  // The isolated vault's bounds have no default (prod must choose them); the dr stack reads none of them,
  // so AWS's widest stand in to read the rest of prod's defaults.
  const unreadBounds = {
    [`${project.name}:isolationMinRetentionDays`]: "7",
    [`${project.name}:isolationMaxRetentionDays`]: "36500",
  };
  const regions = {
    "aws:region": value("primaryRegion"),
    [`${project.name}:primaryRegion`]: value("primaryRegion"),
    [`${project.name}:drRegion`]: value("drRegion"),
    ...unreadBounds,
  };
  const identity = { project: project.name, stack: localName };
  let settings: StackSettings;
  try {
    settings = readSettings(configSource(regions), identity);
  } catch (err) {
    // The dr stack's own regions are invalid: its program reports that, before it reads this reference.
    if (!(err instanceof StackConfigError)) throw err;
    settings = readSettings(
      configSource({ "aws:region": CONFIG_SCHEMA.primaryRegion.default, ...unreadBounds }),
      identity,
    );
  }
  if (settings.role !== "primary") throw new Error("a stack with the default role is primary");
  return { settings, note: `${problem}, project defaults used` };
}

/** The prod stack's outputs a dr stack reads, as placeholders: only a deployment knows names and ARNs. */
export function primaryPlaceholderOutputs(
  project: ProjectFile,
  drConfig: ResolvedConfig,
  configFile?: string,
): StackReferenceFixture {
  const primaryStack = drConfig.values[`${project.name}:primaryStack`] ?? "prod";
  const localName = primaryStack.split("/").pop() ?? primaryStack;
  const { settings: prod, note } = primarySettingsFor(project, drConfig, localName, configFile);
  const placeholder = (key: string) => `<${localName}:${key}>`;
  const appBucket = placeholder("appBucketName");
  const sources = replicatedBuckets(prod, appBucket).map((bucket) => bucket.sourceBucket as string);
  const replicaBuckets = Object.fromEntries(
    sources.map((source, index) => [source, placeholder(`replicaBucketNames[${index}]`)]),
  );
  const domainName = prod.environment.dns?.domainName ?? "";
  return {
    note: `from ${primaryStack} stack (offline placeholder: ${note})`,
    outputs: {
      role: "primary",
      region: prod.primaryRegion,
      drRegion: prod.drRegion,
      primaryVaultName: placeholder("primaryVaultName"),
      primaryVaultArn: placeholder("primaryVaultArn"),
      drVaultName: placeholder("drVaultName"),
      drVaultArn: placeholder("drVaultArn"),
      drKeyArn: placeholder("drKeyArn"),
      ...((prod.isolation.enabled ?? false) && {
        isolatedVaultName: placeholder("isolatedVaultName"),
        isolatedVaultArn: placeholder("isolatedVaultArn"),
      }),
      backupRoleArn: placeholder("backupRoleArn"),
      planId: placeholder("planId"),
      appBucketName: appBucket,
      replicaBuckets,
      replicaBucketArns: Object.values(replicaBuckets).map((name) => `arn:aws:s3:::${name}`),
      dbPort: DB_PORTS[prod.database.engine],
      rpoMinutes: prod.objectives.rpoMinutes,
      rtoMinutes: prod.objectives.rtoMinutes,
      failoverSwitch: {
        region: prod.drRegion,
        namespace: FAILOVER_SWITCH.namespace,
        metricName: FAILOVER_SWITCH.metricName,
        dimensions: { [FAILOVER_SWITCH.dimension]: domainName },
        alarmName: failoverAlarmName(domainName),
        primaryHealthCheckId: placeholder("failoverSwitch.primaryHealthCheckId"),
        drHealthCheckId: placeholder("failoverSwitch.drHealthCheckId"),
      },
      restoredDataPlan: restoredDataPlan(protectionArgs(prod, appBucket)),
      // The part of prod's posture the dr stack reads (prod's own plan shows the forecast in full).
      posture: { rtoForecast: placeholder("posture.rtoForecast") },
      appData: placeholder("appData"),
    },
  };
}

/** The primary stack's outputs for a dr stack's StackReference: the placeholders, under what a deployment knows. */
function primaryReference(
  project: ProjectFile,
  drConfig: ResolvedConfig,
  deployed: Readonly<Record<string, unknown>> | undefined,
  configFile: string | undefined,
): StackReferenceFixture {
  const placeholders = primaryPlaceholderOutputs(project, drConfig, configFile);
  return deployed ? { ...placeholders, outputs: { ...placeholders.outputs, ...deployed } } : placeholders;
}

/** Keys shown as [secret] even when given in plain text (e.g. with --config). */
const SENSITIVE_KEY = /password|secret|token/i;

const RUNTIME_LOG = /^(warning|error): \[runtime\] /;

/** Routes the runtime's console logging (there is no engine to log to) into diagnostics while the program runs. */
function captureRuntimeLogs(diagnostics: PlanDiagnostic[]): () => void {
  const original = { warn: console.warn, error: console.error, log: console.log };
  const capture =
    (fallback: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      const text = args.map(String).join(" ");
      const match = RUNTIME_LOG.exec(text);
      if (match) {
        diagnostics.push({
          severity: match[1] as "warning" | "error",
          phase: "program",
          message: text.slice(match[0].length),
        });
      } else {
        fallback(...args);
      }
    };
  console.warn = capture(original.warn);
  console.error = capture(original.error);
  return () => Object.assign(console, original);
}

/** How `pulumi preview` words an exception escaping the program. */
export function programErrorMessage(err: unknown, main: string): string {
  if (pulumi.RunError.isInstance(err as Error)) {
    return (err as Error).message;
  }
  const error = err instanceof Error ? err : new Error(String(err));
  return `Running program '${main}' failed with an unhandled exception:\n${error.name}: ${error.message}`;
}

function dedupe(diagnostics: PlanDiagnostic[]): PlanDiagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.severity}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The plan of a stack whose config is wrong: nothing evaluated, each problem a config error. */
function configFailure(project: string, stack: string, problems: readonly string[]): PlanResult {
  return {
    project,
    stack,
    config: {},
    resources: [],
    invokes: [],
    stackReferences: [],
    diagnostics: problems.map((message) => ({ severity: "error", phase: "config", message })),
  };
}

/**
 * Evaluates the real `dr-app` program for one stack on Pulumi's mock engine, with the config
 * `pulumi preview` would give it, and reports what it would create. Needs no credentials and no Pulumi
 * CLI: nothing leaves the process. Config errors and program errors come back as diagnostics.
 */
export async function evaluatePlan(options: PlanOptions): Promise<PlanResult> {
  const diagnostics: PlanDiagnostic[] = [];
  let project: ProjectFile;
  let config: ResolvedConfig;
  try {
    project = loadProject(options.projectDir);
    config = resolveStackConfig(
      project,
      options.configFile ? options.stack.split("/").pop()! : resolveStackName(project, options.stack),
      { ...options.configOverrides, ...(options.mode && { mode: options.mode }) },
      {
        allowUnknownOverrides: options.allowUnknownConfig,
        plaintextOverrides: options.plaintextConfig,
        stackFile: options.configFile,
      },
    );
  } catch (err) {
    if (!(err instanceof ProjectConfigError)) throw err;
    return configFailure("dr-app", options.stack, [err.message]);
  }
  const key = (name: string) => config.values[`${project.name}:${name}`];
  diagnostics.push(
    ...config.warnings.map((message) => ({
      severity: "warning" as const,
      phase: "config" as const,
      message,
    })),
  );
  // The program's own reading of its config, before it creates anything: a value its rules reject is bad
  // config (exit 2, as `dr plan --help` says), every problem at once; what the component rejects later is
  // the program failing (exit 1).
  let settings: StackSettings;
  try {
    settings = settingsOf(project, config);
  } catch (err) {
    if (!(err instanceof StackConfigError)) throw err;
    return configFailure(project.name, config.stack, err.problems);
  }
  if (options.adjustSettings) settings = options.adjustSettings(settings);

  const primaryStack = key("primaryStack") ?? "prod";
  const recording = installPlanEngine({
    project: project.name,
    stack: config.stack,
    stackReferences:
      key("role") === "dr"
        ? { [primaryStack]: primaryReference(project, config, options.primaryOutputs, options.configFile) }
        : {},
  });
  pulumi.runtime.setAllConfig({ ...config.values }, [...config.secretKeys]);

  const main = project.main ?? ".";
  const restoreConsole = captureRuntimeLogs(diagnostics);
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on("unhandledRejection", onRejection);
  const started = process.hrtime.bigint();
  let outputs: Record<string, unknown> | undefined;
  let posture: DrPosture | undefined;
  let evaluationMs: number | undefined;
  try {
    const stackOutputs = defineStack(settings);
    outputs = (await resolveForDisplay(stackOutputs)) as Record<string, unknown>;
    await pulumi.runtime.disconnect();
    evaluationMs = Number(process.hrtime.bigint() - started) / 1e6;
    const rawPosture = outputs.posture;
    posture = typeof rawPosture === "object" && rawPosture !== null ? (rawPosture as DrPosture) : undefined;
  } catch (err) {
    diagnostics.push({ severity: "error", phase: "program", message: programErrorMessage(err, main) });
  } finally {
    restoreConsole();
    // Let rejections already queued surface before listening stops.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onRejection);
  }
  for (const reason of rejections) {
    diagnostics.push({ severity: "error", phase: "program", message: programErrorMessage(reason, main) });
  }

  const failed = diagnostics.some((d) => d.severity === "error");
  const lastCopy =
    !failed && posture !== undefined && settings.role === "primary"
      ? await planDestroyTable(project.name, config, settings, posture)
      : undefined;
  const flip =
    !failed && key("role") === "dr" && key("mode") === DR_MODES.active
      ? await flipFromStandby(options, recording.resources, config.values["aws:region"] ?? "")
      : undefined;
  const secret = new Set(config.secretKeys);
  const masked = (name: string, value: string) =>
    secret.has(name) || (SENSITIVE_KEY.test(name) && value !== "");
  return {
    project: project.name,
    stack: config.stack,
    stackFile: path.relative(project.directory, config.stackFile),
    role: key("role"),
    mode: key("role") === "dr" ? key("mode") : undefined,
    region: config.values["aws:region"],
    config: Object.fromEntries(
      Object.entries(config.values)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, value]) => [
          name,
          { value: masked(name, value) ? SECRET : value, source: config.sources[name] },
        ]),
    ),
    resources: recording.resources,
    invokes: recording.invokes,
    stackReferences: recording.stackReferences,
    outputs: failed ? undefined : outputs,
    posture,
    ...(lastCopy && { lastCopy }),
    diagnostics: dedupe(diagnostics),
    evaluationMs,
    flip,
  };
}

/**
 * Evaluates the stack as it is before a flip, in standby without restored identifiers (the recovery CLI
 * sets them with the mode), and diffs it against the active `resources`.
 */
async function flipFromStandby(
  options: PlanOptions,
  resources: PlannedResource[],
  region: string,
): Promise<FlipChange[] | undefined> {
  const unset = Object.fromEntries(RESTORED_KEYS.map((name) => [name, ""]));
  const standby = await evaluatePlan({
    ...options,
    mode: DR_MODES.standby,
    configOverrides: { ...options.configOverrides, ...unset },
  });
  if (standby.diagnostics.some((d) => d.severity === "error")) return undefined;
  return diffFlip(standby.resources, resources, region);
}

/**
 * The prod stack's destroy table at plan time. In a preview the key, bucket and role policies are unknown
 * (they name ARNs only a deployment knows), so the program runs once more with placeholder names, ids and
 * ARNs resolved (the engine's `resolved` option), and iam-simulate evaluates the policies it generates then.
 */
async function planDestroyTable(
  project: string,
  config: ResolvedConfig,
  settings: PrimarySettings,
  posture: DrPosture,
): Promise<DestroyTable> {
  const recording = installPlanEngine({ project, stack: config.stack, resolved: true });
  pulumi.runtime.setAllConfig({ ...config.values }, [...config.secretKeys]);
  // This run's logs repeat the first run's: not reported twice.
  const restoreConsole = captureRuntimeLogs([]);
  try {
    await resolveForDisplay(defineStack(settings));
    await pulumi.runtime.disconnect();
  } finally {
    restoreConsole();
  }
  const notIsolated = notIsolatedEntries(
    settings.data,
    settings.isolation,
    settings.customerManagedDataKey,
  ).map(({ name, kind, key }) => `${name} (${kind}): AWS managed key ${key}; ${AWS_MANAGED_KEY_SOURCE}`);
  return measuredDestroyTable(recording.resources, settings, posture.isolated !== undefined, notIsolated);
}
