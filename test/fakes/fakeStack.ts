import { Clock } from "../../scripts/clock";
import { parseDrOutputs } from "../../scripts/recovery/core/stackHandle";
import { DR_OUTPUTS } from "../../scripts/simulation/fixtures";
import { DrOutputs, StackHandle, UpOutcome } from "../../scripts/dependencies";

/** One recorded call on the fake dr stack. */
export interface StackCall {
  readonly op: "outputs" | "getConfig" | "setConfig" | "removeConfig" | "up";
  readonly args?: unknown;
  readonly at: number;
}

/** Options of {@link FakeDrStack}. */
export interface FakeStackOptions {
  readonly outputs?: Record<string, unknown>;
  readonly config?: Record<string, string>;
  /** Virtual duration of each `up`, in order; the last one repeats. Default [0]. */
  readonly upMs?: number[];
  /** Make the n-th `up` (1-based) fail. */
  readonly failUp?: number;
  /** Virtual time `outputs()` takes (the Pulumi CLI starting, reading the backend). Default 0. */
  readonly outputsMs?: number;
}

/** An in-memory dr stack that records what the CLI does with it. */
export class FakeDrStack implements StackHandle {
  readonly name = "dr";
  readonly calls: StackCall[] = [];
  readonly config: Record<string, string>;
  private ups = 0;

  constructor(
    private readonly clock: Clock,
    private readonly options: FakeStackOptions = {},
  ) {
    this.config = { ...(options.config ?? {}) };
  }

  private raw(): Record<string, unknown> {
    return { ...DR_OUTPUTS, ...(this.options.outputs ?? {}), mode: this.config["dr-app:mode"] ?? "standby" };
  }

  async outputs(): Promise<DrOutputs> {
    this.calls.push({ op: "outputs", at: this.clock.now() });
    if (this.options.outputsMs) {
      await this.clock.sleep(this.options.outputsMs);
    }
    return parseDrOutputs(this.raw());
  }

  async getConfig(keys: readonly string[]): Promise<Record<string, string>> {
    this.calls.push({ op: "getConfig", args: keys, at: this.clock.now() });
    return Object.fromEntries(keys.filter((k) => k in this.config).map((k) => [k, this.config[k]]));
  }

  async setConfig(values: Readonly<Record<string, string>>): Promise<void> {
    this.calls.push({ op: "setConfig", args: { ...values }, at: this.clock.now() });
    Object.assign(this.config, values);
  }

  async removeConfig(keys: readonly string[]): Promise<void> {
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
    this.calls.push({ op: "up", args: { ...this.config }, at: this.clock.now() });
    onLine("Updating (dr):");
    const durations = this.options.upMs ?? [0];
    await this.clock.sleep(durations[Math.min(this.ups, durations.length) - 1]);
    if (this.options.failUp === this.ups) {
      throw new Error("pulumi up failed: error: update failed");
    }
    onLine("Resources: 3 updated, 40 unchanged");
    return {
      result: "succeeded",
      resourceChanges: { update: 3, same: 40 },
      outputs: parseDrOutputs(this.raw()),
    };
  }

  /** The recorded operations, e.g. ["outputs", "setConfig", "up"]. */
  ops(): string[] {
    return this.calls.map((c) => c.op);
  }
}
