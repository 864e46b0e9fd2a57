import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { Clock } from "../clock";
import { DrStack, DrStackOutputs, UpOutcome, parseDrOutputs } from "../drStack";
import { PlannedResource } from "../plan/engine";
import { PlanResult, evaluatePlan } from "../plan/evaluate";

/** Options of {@link OfflineDrStack}. */
export interface OfflineDrStackOptions {
  /** Directory of the project's Pulumi.yaml. */
  readonly projectDir: string;
  /** Stack whose `Pulumi.<stack>.yaml` is read. Default `dr`. */
  readonly stackName?: string;
  /**
   * The outputs a deployment would report where the offline evaluation can only say `<unknown>` or
   * `<prod:...>` (names and ids AWS assigns), by output name. Known outputs are kept as evaluated.
   */
  readonly deployed: Readonly<Record<string, unknown>>;
  /** Time of each successful `up`, for {@link OfflineDrStack.activeSince}. */
  readonly clock: Clock;
}

/** One resource `up` would change, and how. */
export interface ResourceChange {
  readonly op: "create" | "update" | "delete";
  readonly type: string;
  readonly name: string;
  /** Inputs that differ, with short before/after values. */
  readonly inputs: Array<{ key: string; before: string; after: string }>;
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

/** What changes between two evaluations of the same stack, as `pulumi up` would list it. */
export function resourceChanges(before: PlannedResource[], after: PlannedResource[]): ResourceChange[] {
  const id = (r: PlannedResource) => `${r.type}::${r.name}`;
  const old = new Map(before.filter((r) => r.custom).map((r) => [id(r), r]));
  const changes: ResourceChange[] = [];
  for (const resource of after.filter((r) => r.custom)) {
    const previous = old.get(id(resource));
    old.delete(id(resource));
    if (!previous) {
      changes.push({ op: "create", type: resource.type, name: resource.name, inputs: [] });
      continue;
    }
    const keys = [...new Set([...Object.keys(previous.inputs), ...Object.keys(resource.inputs)])].sort();
    const inputs = keys
      .filter((k) => JSON.stringify(previous.inputs[k]) !== JSON.stringify(resource.inputs[k]))
      .map((key) => ({
        key,
        before: shortValue(previous.inputs[key]),
        after: shortValue(resource.inputs[key]),
      }));
    if (inputs.length > 0) {
      changes.push({ op: "update", type: resource.type, name: resource.name, inputs });
    }
  }
  for (const resource of old.values()) {
    changes.push({ op: "delete", type: resource.type, name: resource.name, inputs: [] });
  }
  return changes;
}

const SIGN = { create: "+", update: "~", delete: "-" } as const;

/**
 * The dr stack for a rehearsal: no Pulumi CLI and no backend. Its config is the stack file plus what
 * the CLI sets, kept in memory; `up` evaluates the real program with that config on Pulumi's mock
 * engine, as `npm run plan` does, and prints what a real `pulumi up` would change against the last
 * applied evaluation. A program or config error fails the `up` as Pulumi would.
 */
export class OfflineDrStack implements DrStack {
  readonly name: string;
  private readonly set: Record<string, string> = {};
  private readonly removed = new Set<string>();
  private applied: PlanResult | undefined;
  private activeAt: number | undefined;

  constructor(private readonly options: OfflineDrStackOptions) {
    this.name = options.stackName ?? "dr";
  }

  /** Simulated time the last `up` made the stack active, or undefined while it is in standby. */
  get activeSince(): number | undefined {
    return this.activeAt;
  }

  async outputs(): Promise<DrStackOutputs> {
    this.applied ??= await this.evaluate();
    return this.deployedOutputs(this.applied);
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
    const changes = resourceChanges(before.resources, after.resources);
    for (const change of changes) {
      onLine(`  ${SIGN[change.op]} ${change.type} ${change.name} ${change.op}`);
      for (const input of change.inputs) {
        onLine(`      ${input.key}: ${input.before} => ${input.after}`);
      }
    }
    const count = (op: ResourceChange["op"]) => changes.filter((c) => c.op === op).length;
    const unchanged = after.resources.filter((r) => r.custom).length - count("create") - count("update");
    onLine(
      `Resources: ${count("create")} to create, ${count("update")} to update, ${count("delete")} to delete, ${unchanged} unchanged`,
    );
    this.applied = after;
    this.activeAt = after.mode === "active" ? this.options.clock.now() : undefined;
    const resourceChangesCount: Record<string, number> = { same: unchanged };
    for (const op of ["create", "update", "delete"] as const) {
      if (count(op) > 0) resourceChangesCount[op] = count(op);
    }
    return {
      result: "succeeded",
      resourceChanges: resourceChangesCount,
      outputs: this.deployedOutputs(after),
    };
  }

  private stackFileConfig(): Record<string, string> {
    const file = path.join(this.options.projectDir, `Pulumi.${this.name}.yaml`);
    const parsed = YAML.parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    return Object.fromEntries(
      Object.entries(parsed?.config ?? {}).map(([k, v]) => [
        k,
        typeof v === "string" ? v : JSON.stringify(v),
      ]),
    );
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
      configOverrides: { ...this.set },
    });
  }

  private deployedOutputs(result: PlanResult): DrStackOutputs {
    const raw = result.outputs ?? {};
    const deployed = Object.fromEntries(
      Object.entries(raw).map(([key, value]) => [
        key,
        containsPlaceholder(value) && key in this.options.deployed ? this.options.deployed[key] : value,
      ]),
    );
    return parseDrOutputs(deployed);
  }
}
