// The rehearsal's dr stack: config in memory, `up` evaluating the real program on the mock engine.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { DR_MODES } from "../../stacks/config";
import { Clock } from "../clock";
import { parseDrOutputs } from "../recovery/core/stackHandle";
import { PlannedResource } from "../plan/engine";
import { PlanResult, evaluatePlan } from "../plan/evaluate";
import { FlipChange, controlPlanes, diffFlip } from "../plan/flipChanges";
import { DrOutputs, StackHandle, UpOutcome } from "../dependencies";

/** Options of {@link OfflineDrStack}. */
export interface OfflineDrStackOptions {
  /** Directory of the project's Pulumi.yaml. */
  readonly projectDir: string;
  /**
   * Directory of the stack files (`Pulumi.<stack>.yaml`), when not beside Pulumi.yaml: a built-in example's
   * (`dr rehearse --example service`: docs/examples/service). Default: `projectDir`.
   */
  readonly configDir?: string;
  /** Stack whose `Pulumi.<stack>.yaml` is read. Default `dr`. */
  readonly stackName?: string;
  /**
   * The outputs a deployment would report where the offline evaluation can only say `<unknown>` or
   * `<prod:...>` (names and ids AWS assigns), by output name, or a function of the evaluated resources and
   * outputs giving them. Known outputs are kept as evaluated.
   */
  readonly deployed:
    | Readonly<Record<string, unknown>>
    | ((
        planned: readonly PlannedResource[],
        evaluated: Readonly<Record<string, unknown>>,
      ) => Readonly<Record<string, unknown>>);
  /** Time of each successful `up`, for {@link OfflineDrStack.activeSince}. */
  readonly clock: Clock;
  /**
   * The primary stack's outputs as deployed in the rehearsal (its replica buckets), for the program's
   * StackReference, so the program and the CLI see the same names. Default: the offline placeholders.
   */
  readonly primaryOutputs?: Readonly<Record<string, unknown>>;
}

const isPlaceholder = (value: unknown) => typeof value === "string" && /^<[^>]+>$/.test(value);

function containsPlaceholder(value: unknown): boolean {
  if (isPlaceholder(value)) return true;
  if (Array.isArray(value)) return value.some(containsPlaceholder);
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).some(([k, v]) => isPlaceholder(k) || containsPlaceholder(v));
  }
  return false;
}

function shortValue(value: unknown): string {
  if (value === undefined) return "(none)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 60 ? `(${text.length} characters)` : text;
}

const SIGN = { added: "+", changed: "~", removed: "-" } as const;
const VERB = { added: "create", changed: "update", removed: "delete" } as const;

/**
 * The dr stack for a rehearsal: no Pulumi CLI and no backend. Its config is the stack file plus what
 * the CLI sets, kept in memory; `up` evaluates the real program with that config on Pulumi's mock
 * engine, as `npm run plan` does, and prints what a real `pulumi up` would change against the last
 * applied evaluation. A program or config error fails the `up` as Pulumi would.
 */
export class OfflineDrStack implements StackHandle {
  readonly name: string;
  private readonly set: Record<string, string> = {};
  private readonly removed = new Set<string>();
  private appliedValues: Record<string, string> = {};
  private applied: PlanResult | undefined;
  private activeAt: number | undefined;
  private upAt: number | undefined;

  constructor(private readonly options: OfflineDrStackOptions) {
    this.name = options.stackName ?? "dr";
  }

  /** Simulated time the last `up` made the stack active, or undefined while it is in standby. */
  get activeSince(): number | undefined {
    return this.activeAt;
  }

  /** Simulated time of the last successful `up`, or undefined before the first. */
  get lastUpAt(): number | undefined {
    return this.upAt;
  }

  /**
   * The desired capacity of the application's Auto Scaling group, or the desired count of its ECS service,
   * as deployed (last `up`, else the first evaluation; 0 before either or when the program has neither):
   * what the simulated group or service follows.
   */
  appliedCapacity(): number {
    const group = this.appliedResource("aws:autoscaling/group:Group");
    const service = this.appliedResource("aws:ecs/service:Service");
    const desired = group ? group.inputs.desiredCapacity : service?.inputs.desiredCount;
    return typeof desired === "number" ? desired : 0;
  }

  /**
   * The application's ECS task definition as deployed (its family and container definitions), or undefined
   * before an evaluation or when the program runs no ECS service.
   */
  appliedTaskDefinition(): { readonly family: string; readonly containerDefinitions: string } | undefined {
    const definition = this.appliedResource("aws:ecs/taskDefinition:TaskDefinition");
    const { family, containerDefinitions } = definition?.inputs ?? {};
    return typeof family === "string"
      ? { family, containerDefinitions: JSON.stringify(containerDefinitions ?? "") }
      : undefined;
  }

  private appliedResource(type: string): PlannedResource | undefined {
    return this.applied?.resources.find((r) => r.type === type);
  }

  /** Config values as of the last `up` (the stack file with what the CLI set then). */
  appliedConfig(key: string): string | undefined {
    return this.appliedValues[key];
  }

  async outputs(): Promise<DrOutputs> {
    this.applied ??= await this.evaluate();
    return this.deployedOutputs(this.applied);
  }

  /** The resources as deployed (last `up`, else the first evaluation). */
  async planned(): Promise<readonly PlannedResource[]> {
    this.applied ??= await this.evaluate();
    return this.applied.resources;
  }

  async getConfig(keys: readonly string[]): Promise<Record<string, string>> {
    const all = this.currentConfig();
    return Object.fromEntries(keys.filter((k) => all[k] !== undefined).map((k) => [k, all[k]]));
  }

  async setConfig(values: Readonly<Record<string, string>>): Promise<void> {
    for (const [key, value] of Object.entries(values)) {
      this.set[key] = value;
      this.removed.delete(key);
    }
  }

  async removeConfig(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      delete this.set[key];
      this.removed.add(key);
    }
  }

  async up(onLine: (line: string) => void): Promise<UpOutcome> {
    const before = this.applied ?? (await this.evaluate());
    onLine(`Updating (${this.name}) on Pulumi's mock engine: a rehearsal, nothing is deployed`);
    const after = await this.evaluate();
    const errors = after.diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0) {
      for (const error of errors) {
        onLine(`error: ${error.message.split("\n")[0]}`);
      }
      throw new Error(`pulumi up failed: ${errors[0].message.split("\n")[0]}`);
    }
    const region = after.region ?? "";
    const changes = diffFlip(before.resources, after.resources, region);
    const inputsOf = (list: PlannedResource[], type: string, name: string) =>
      list.find((r) => r.type === type && r.name === name)?.inputs ?? {};
    for (const change of changes) {
      onLine(`  ${SIGN[change.kind]} ${change.type} ${change.name} ${VERB[change.kind]}`);
      if (change.kind === "changed") {
        const old = inputsOf(before.resources, change.type, change.name);
        const updated = inputsOf(after.resources, change.type, change.name);
        for (const key of change.keys) {
          onLine(`      ${key}: ${shortValue(old[key])} => ${shortValue(updated[key])}`);
        }
      }
    }
    const count = (kind: FlipChange["kind"]) => changes.filter((c) => c.kind === kind).length;
    const unchanged = after.resources.length - count("added") - count("changed");
    onLine(
      `Resources: ${count("added")} to create, ${count("changed")} to update, ${count("removed")} to delete, ${unchanged} unchanged`,
    );
    const planes = controlPlanes(changes, region);
    onLine(
      `Control planes called: ${planes.inRegion.join(", ") || "none"}; outside ${region}: ${planes.outside.join(", ") || "none"}`,
    );
    this.applied = after;
    this.appliedValues = this.currentConfig();
    this.upAt = this.options.clock.now();
    this.activeAt = after.mode === DR_MODES.active ? this.upAt : undefined;
    const resourceChanges: Record<string, number> = { same: unchanged };
    for (const kind of ["added", "changed", "removed"] as const) {
      if (count(kind) > 0) resourceChanges[VERB[kind]] = count(kind);
    }
    return {
      result: "succeeded",
      resourceChanges,
      outputs: this.deployedOutputs(after),
    };
  }

  private stackFileConfig(): Record<string, string> {
    const file = this.stackFile();
    const parsed = YAML.parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    return Object.fromEntries(
      Object.entries(parsed?.config ?? {}).map(([k, v]) => [
        k,
        typeof v === "string" ? v : JSON.stringify(v),
      ]),
    );
  }

  /** The stack's settings file: `Pulumi.<stack>.yaml` in the config directory. */
  private stackFile(): string {
    return path.join(this.options.configDir ?? this.options.projectDir, `Pulumi.${this.name}.yaml`);
  }

  private currentConfig(): Record<string, string> {
    const file = this.stackFileConfig();
    for (const key of this.removed) delete file[key];
    return { ...file, ...this.set };
  }

  private evaluate(): Promise<PlanResult> {
    return evaluatePlan({
      projectDir: this.options.projectDir,
      stack: this.name,
      ...(this.options.configDir && { configFile: this.stackFile() }),
      configOverrides: { ...this.set },
      // The CLI sets its values with `config set-all --plaintext`: strings, JSON ones (restoredData) too.
      plaintextConfig: true,
      primaryOutputs: this.options.primaryOutputs,
    });
  }

  private deployedOutputs(result: PlanResult): DrOutputs {
    const raw = result.outputs ?? {};
    const known =
      typeof this.options.deployed === "function"
        ? this.options.deployed(result.resources, raw)
        : this.options.deployed;
    const deployed = Object.fromEntries(
      Object.entries(raw).map(([key, value]) => [
        key,
        containsPlaceholder(value) && key in known ? known[key] : value,
      ]),
    );
    return parseDrOutputs(deployed);
  }
}
