// The one stack fake of the tests and the benches: a stack in memory (or in front of another) that records what the CLI does with it.
import type { RestoredData } from "../../stacks/drContract";
import { Clock } from "../../scripts/clock";
import { parseDrOutputs } from "../../scripts/recovery/core/stackHandle";
import { DR_OUTPUTS } from "../../scripts/simulation/fixtures";
import { DrOutputs, StackHandle, UpOutcome } from "../../scripts/dependencies";

/** One recorded call on the fake stack. */
export interface StackCall {
  readonly op: "outputs" | "getConfig" | "setConfig" | "removeConfig" | "up";
  readonly args?: unknown;
  readonly at: number;
}

/** Options of {@link FakeDrStack}. */
export interface FakeStackOptions {
  /** The stack's name, as `openStack` was asked for it. Default: `over`'s name, else "dr". */
  readonly name?: string;
  /** Outputs laid over {@link DR_OUTPUTS}; `mode` follows the config's `dr-app:mode` (default standby). */
  readonly outputs?: Record<string, unknown>;
  /**
   * The stack's whole raw outputs, from its config as it is now: replaces {@link DR_OUTPUTS}, `outputs` and
   * the mode from the config (e.g. a prod stack's outputs). Default: none.
   */
  readonly outputsOf?: (config: Readonly<Record<string, string>>) => Record<string, unknown>;
  /** The stack's config at the start. Default: empty. */
  readonly config?: Record<string, string>;
  /**
   * Virtual duration of each `up`: in order, the last one repeating; or a function of the update's number
   * (1-based) and the config it deploys. Default [0] in memory; with `over`, no wait of the fake's own.
   */
  readonly upMs?: readonly number[] | ((n: number, config: Readonly<Record<string, string>>) => number);
  /** Make the n-th `up` (1-based) fail. Default: none fails. */
  readonly failUp?: number;
  /** Virtual time `outputs()` takes (the Pulumi CLI starting, reading the backend). Default 0. */
  readonly outputsMs?: number;
  /**
   * Runs after each `up` that succeeded, before it returns: what the deployment does beside the stack
   * (its resources tagged, the application healthy a minute later). Default: nothing.
   */
  readonly onUp?: (stack: FakeDrStack) => void | Promise<void>;
  /**
   * A stack the fake stands in front of (e.g. the rehearsal's offline stack): its config, outputs and
   * updates are that stack's, the fake records the calls, adds `onUp`, `upMs` and `failUp`. Default: none,
   * the fake keeps config and outputs itself.
   */
  readonly over?: StackHandle;
}

/** A stack that records what the CLI does with it: in memory, or in front of another stack (`over`). */
export class FakeDrStack implements StackHandle {
  readonly name: string;
  readonly calls: StackCall[] = [];
  /** The config in memory (empty, unused, when the fake stands in front of another stack). */
  readonly config: Record<string, string>;
  private ups = 0;

  constructor(
    private readonly clock: Clock,
    private readonly options: FakeStackOptions = {},
  ) {
    this.name = options.name ?? options.over?.name ?? "dr";
    this.config = { ...(options.config ?? {}) };
  }

  private raw(): Record<string, unknown> {
    if (this.options.outputsOf) {
      return this.options.outputsOf(this.config);
    }
    return { ...DR_OUTPUTS, ...(this.options.outputs ?? {}), mode: this.config["dr-app:mode"] ?? "standby" };
  }

  async outputs(): Promise<DrOutputs> {
    this.calls.push({ op: "outputs", at: this.clock.now() });
    if (this.options.outputsMs) {
      await this.clock.sleep(this.options.outputsMs);
    }
    return this.options.over ? this.options.over.outputs() : parseDrOutputs(this.raw());
  }

  async getConfig(keys: readonly string[]): Promise<Record<string, string>> {
    this.calls.push({ op: "getConfig", args: keys, at: this.clock.now() });
    if (this.options.over) {
      return this.options.over.getConfig(keys);
    }
    return Object.fromEntries(keys.filter((k) => k in this.config).map((k) => [k, this.config[k]]));
  }

  async setConfig(values: Readonly<Record<string, string>>): Promise<void> {
    this.calls.push({ op: "setConfig", args: { ...values }, at: this.clock.now() });
    if (this.options.over) {
      return this.options.over.setConfig(values);
    }
    Object.assign(this.config, values);
  }

  async removeConfig(keys: readonly string[]): Promise<void> {
    if (this.options.over) {
      this.calls.push({ op: "removeConfig", args: [...keys], at: this.clock.now() });
      return this.options.over.removeConfig(keys);
    }
    if (keys.length === 0) {
      return;
    }
    this.calls.push({ op: "removeConfig", args: [...keys], at: this.clock.now() });
    for (const key of keys) {
      delete this.config[key];
    }
  }

  async up(onLine: (line: string) => void): Promise<UpOutcome> {
    this.ups++;
    const over = this.options.over;
    this.calls.push({ op: "up", args: over ? undefined : { ...this.config }, at: this.clock.now() });
    let outcome: UpOutcome;
    if (over) {
      await this.waitUp();
      this.failIfAsked();
      outcome = await over.up(onLine);
    } else {
      onLine(`Updating (${this.name}):`);
      await this.waitUp();
      this.failIfAsked();
      onLine("Resources: 3 updated, 40 unchanged");
      outcome = {
        result: "succeeded",
        resourceChanges: { update: 3, same: 40 },
        outputs: parseDrOutputs(this.raw()),
      };
    }
    await this.options.onUp?.(this);
    return outcome;
  }

  /** The recorded operations, e.g. ["outputs", "setConfig", "up"]. */
  ops(): string[] {
    return this.calls.map((c) => c.op);
  }

  /** Waits the n-th update's virtual duration (`upMs`). */
  private async waitUp(): Promise<void> {
    const upMs = this.options.upMs ?? (this.options.over ? undefined : [0]);
    if (upMs === undefined) {
      return;
    }
    const ms =
      typeof upMs === "function" ? upMs(this.ups, this.config) : upMs[Math.min(this.ups, upMs.length) - 1];
    await this.clock.sleep(ms);
  }

  private failIfAsked(): void {
    if (this.options.failUp === this.ups) {
      throw new Error("pulumi up failed: error: update failed");
    }
  }
}

/** A stack config's `restoredData` (the JSON string the CLI sets), parsed; {} when unset. */
export function restoredDataOf(config: Readonly<Record<string, string | undefined>>): RestoredData {
  const raw = config["dr-app:restoredData"];
  return raw === undefined ? {} : (JSON.parse(raw) as RestoredData);
}
