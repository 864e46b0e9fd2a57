// The stack handle on the Automation API (openDrStack), the outputs reader and the config keys the CLI sets.
import { LocalWorkspace, PulumiCommand, Stack, StackNotFoundError } from "@pulumi/pulumi/automation";
import * as path from "path";
import { CONFIG_NAMESPACE, LEGACY_ENTRY_NAMES, RESTORED_KEYS } from "../../../stacks/config";
import type { RtoForecast } from "@restorekit/backup-restore-dr";
import type {
  ComputeOutput,
  DataInventoryEntry,
  EfsThroughput,
  RestoredSettings,
} from "../../../stacks/drContract";
import { DATA_KINDS } from "../resources/registry";
import { DrError, pulumiErrorLine } from "../../errors";
import { hasProjectFile } from "../../projectDir";
import { DrOutputs, OpenStackOptions, StackHandle, UpOutcome } from "../../dependencies";

/** Fully qualified config keys the recovery CLI sets on the dr stack (docs/CONTRACTS.md). */
export const DR_CONFIG_KEYS = Object.fromEntries(
  (["mode", ...RESTORED_KEYS] as const).map((key) => [key, `${CONFIG_NAMESPACE}:${key}`]),
) as { readonly [K in "mode" | (typeof RESTORED_KEYS)[number]]: `${typeof CONFIG_NAMESPACE}:${K}` };

/**
 * The structured config value naming what a recovery (dr) or a failback (prod) restored, per logical name
 * of the data inventory (stacks/drContract.ts `RestoredData`), set as one JSON string.
 */
export const RESTORED_DATA_KEY = `${CONFIG_NAMESPACE}:restoredData`;

/**
 * The five single-valued keys `restoredData` replaced: the stacks still read them for one release, so the CLI
 * removes them in the update that sets `restoredData`.
 */
export const LEGACY_RESTORED_KEYS: readonly string[] = RESTORED_KEYS.map((key) => DR_CONFIG_KEYS[key]);

/**
 * The single-valued keys that named a restored resource, each with the default example's entry it wires: what
 * a stack set before `restoredData` points the application at (the endpoint key names no resource of its own).
 */
export const LEGACY_DATA_KEYS: ReadonlyArray<readonly [key: string, entryName: string]> = [
  [DR_CONFIG_KEYS.restoredDbInstanceId, LEGACY_ENTRY_NAMES.db],
  [DR_CONFIG_KEYS.restoredTableName, LEGACY_ENTRY_NAMES.table],
  [DR_CONFIG_KEYS.restoredVolumeId, LEGACY_ENTRY_NAMES.volume],
  [DR_CONFIG_KEYS.restoredBucketName, LEGACY_ENTRY_NAMES.bucket],
];

/** The config keys the CLI manages on the dr stack: what a drill's flip saves and puts back. */
export const MANAGED_CONFIG_KEYS: readonly string[] = [...Object.values(DR_CONFIG_KEYS), RESTORED_DATA_KEY];

/** The stack's `dataInventory` output: its well-formed entries, [] when absent (a stack before it existed). */
function inventoryOf(value: unknown): DataInventoryEntry[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== "object" || item === null) return [];
    const e = item as Record<string, unknown>;
    const kind = DATA_KINDS.find((k) => k === e.kind);
    return typeof e.name === "string" &&
      kind &&
      typeof e.sourceArn === "string" &&
      typeof e.sourceId === "string"
      ? [
          {
            name: e.name,
            kind,
            sourceArn: e.sourceArn,
            sourceId: e.sourceId,
            ...(throughputOf(e.throughput) && { throughput: throughputOf(e.throughput) }),
          },
        ]
      : [];
  });
}

/** An EFS entry's `throughput`, when well formed (a mode EFS knows; an amount with `provisioned` only). */
function throughputOf(value: unknown): EfsThroughput | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { mode, provisionedMibps } = value as Record<string, unknown>;
  if (mode !== "bursting" && mode !== "elastic" && mode !== "provisioned") return undefined;
  if (mode !== "provisioned") return { mode };
  return typeof provisionedMibps === "number" && provisionedMibps > 0
    ? { mode, provisionedMibps }
    : undefined;
}

/** The prod stack's key that holds its servers at zero (stacks/config/schema.ts `holdServers`). */
export const HOLD_KEY = `${CONFIG_NAMESPACE}:holdServers`;

/** Reads the contract's outputs from a plain `stack output --json` object, ignoring anything else. */
export function parseDrOutputs(raw: Record<string, unknown>): DrOutputs {
  const str = (key: string) =>
    typeof raw[key] === "string" && raw[key] !== "" ? (raw[key] as string) : undefined;
  const num = (key: string) => {
    const value = typeof raw[key] === "string" ? Number(raw[key]) : raw[key];
    return typeof value === "number" && Number.isFinite(value) ? value : undefined;
  };
  const list = (key: string) =>
    Array.isArray(raw[key]) ? (raw[key] as unknown[]).filter((v): v is string => typeof v === "string") : [];
  const map = (key: string) => {
    const value = raw[key];
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return {};
    }
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).filter(
        (e): e is [string, string] => typeof e[1] === "string",
      ),
    );
  };
  return {
    role: str("role"),
    mode: str("mode"),
    region: str("region"),
    primaryRegion: str("primaryRegion"),
    drVaultName: str("drVaultName"),
    primaryVaultName: str("primaryVaultName"),
    isolatedVaultName: str("isolatedVaultName"),
    isolatedVaultArn: str("isolatedVaultArn"),
    restoreTestingPlanArn: str("restoreTestingPlanArn"),
    backupRoleArn: str("backupRoleArn"),
    vpcId: str("vpcId"),
    privateSubnetIds: list("privateSubnetIds"),
    publicSubnetIds: list("publicSubnetIds"),
    availabilityZones: list("availabilityZones"),
    appSecurityGroupId: str("appSecurityGroupId"),
    dbSecurityGroupId: str("dbSecurityGroupId"),
    dbSubnetGroupName: str("dbSubnetGroupName"),
    loadBalancerDnsName: str("loadBalancerDnsName"),
    healthCheckUrl: str("healthCheckUrl"),
    compute: computeOf(raw.compute),
    rpoMinutes: num("rpoMinutes"),
    rtoMinutes: num("rtoMinutes"),
    rtoForecast: rtoForecastOf(raw.rtoForecast),
    replicaBuckets: map("replicaBuckets"),
    dbCredentialSecretArn: str("dbCredentialSecretArn"),
    dbCredentialSecretArns: map("dbCredentialSecretArns"),
    restoredSettings: restoredSettingsOf(raw.restoredSettings),
    primaryAppData: map("primaryAppData"),
    dataInventory: inventoryOf(raw.dataInventory),
  };
}

/** A stack's `compute` output (stacks/drContract.ts `ComputeOutput`), or undefined when absent or malformed. */
export function computeOf(value: unknown): ComputeOutput | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const raw = value as Record<string, unknown>;
  const text = (key: string) =>
    typeof raw[key] === "string" && raw[key] !== "" ? (raw[key] as string) : undefined;
  const groupName = text("groupName");
  const clusterName = text("clusterName");
  const serviceName = text("serviceName");
  if (raw.kind === "autoscaling" && groupName) return { kind: "autoscaling", groupName };
  const targetGroupArn = text("targetGroupArn");
  if (raw.kind === "ecs" && clusterName && serviceName) {
    return { kind: "ecs", clusterName, serviceName, ...(targetGroupArn && { targetGroupArn }) };
  }
  return undefined;
}

/**
 * The dr stack's `rtoForecast` output, or undefined when it is absent or lacks the inputs a calibration
 * computes it again from.
 */
function rtoForecastOf(value: unknown): RtoForecast | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const forecast = value as Partial<RtoForecast>;
  return typeof forecast.minutes === "number" && Array.isArray(forecast.inputs?.resources)
    ? (forecast as RtoForecast)
    : undefined;
}

/** The dr stack's `restoredSettings` output, or undefined when it is absent or has no selection tags. */
function restoredSettingsOf(value: unknown): RestoredSettings | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const raw = value as Record<string, unknown>;
  const tags = raw.selectionTags;
  if (typeof tags !== "object" || tags === null || Array.isArray(tags)) return undefined;
  const selectionTags = Object.fromEntries(
    Object.entries(tags).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
  const text = (key: string) =>
    typeof raw[key] === "string" && raw[key] !== "" ? (raw[key] as string) : undefined;
  const backupWindow = text("backupWindow");
  const maintenanceWindow = text("maintenanceWindow");
  return {
    selectionTags,
    ...(backupWindow && { backupWindow }),
    ...(maintenanceWindow && { maintenanceWindow }),
  };
}

/**
 * Selects the dr stack through the Automation API: a LocalWorkspace on the project's own
 * Pulumi.yaml (no inline program: `up` runs this repository's program, exactly as an operator's
 * `pulumi up -s dr` would). Never creates the stack: a missing dr stack is an error to fix first.
 */
export async function openDrStack(options: OpenStackOptions): Promise<StackHandle> {
  const stackName = options.stackName ?? "dr";
  const workDir = path.resolve(options.workDir);
  if (!hasProjectFile(workDir)) {
    throw new DrError(`no Pulumi.yaml in ${workDir}: pass --work-dir <directory of the dr-app project>`);
  }
  let pulumiCommand: PulumiCommand;
  try {
    pulumiCommand = await PulumiCommand.get({
      ...(options.pulumiRoot ? { root: path.resolve(options.pulumiRoot) } : {}),
      skipVersionCheck: options.skipVersionCheck ?? false,
    });
  } catch (err) {
    throw new DrError(
      `Pulumi CLI not usable (${pulumiErrorLine(err)}): install it (https://www.pulumi.com/docs/install/) or pass --pulumi-root <directory with bin/pulumi>`,
    );
  }
  let stack: Stack;
  try {
    stack = await LocalWorkspace.selectStack(
      { stackName, workDir },
      { pulumiCommand, ...(options.envVars ? { envVars: options.envVars } : {}) },
    );
  } catch (err) {
    if (err instanceof StackNotFoundError) {
      throw new DrError(
        `dr stack '${stackName}' not found for the project in ${workDir}: deploy it first (pulumi up -s ${stackName}) or pass --stack <name>`,
      );
    }
    throw new DrError(`cannot select the dr stack '${stackName}': ${pulumiErrorLine(err)}`);
  }
  return new AutomationStack(stack);
}

class AutomationStack implements StackHandle {
  constructor(private readonly stack: Stack) {}

  get name(): string {
    return this.stack.name;
  }

  async outputs(): Promise<DrOutputs> {
    const outputs = await this.stack.outputs();
    return parseDrOutputs(Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value])));
  }

  async getConfig(keys: readonly string[]): Promise<Record<string, string>> {
    const all = await this.stack.getAllConfig();
    const result: Record<string, string> = {};
    for (const key of keys) {
      if (all[key] !== undefined) {
        result[key] = all[key].value;
      }
    }
    return result;
  }

  async setConfig(values: Readonly<Record<string, string>>): Promise<void> {
    await this.stack.setAllConfig(
      Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v, secret: false }])),
    );
  }

  async removeConfig(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) {
      await this.stack.removeAllConfig([...keys]);
    }
  }

  async up(onLine: (line: string) => void): Promise<UpOutcome> {
    const lines = new LineSplitter(onLine);
    try {
      const result = await this.stack.up({ onOutput: (chunk) => lines.push(chunk) });
      lines.flush();
      return {
        result: result.summary.result,
        resourceChanges: { ...(result.summary.resourceChanges ?? {}) } as Record<string, number>,
        outputs: parseDrOutputs(
          Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value])),
        ),
      };
    } catch (err) {
      lines.flush();
      throw new Error(`pulumi up failed: ${pulumiErrorLine(err)}`);
    }
  }
}

/** Turns streamed chunks into whole lines. */
class LineSplitter {
  private buffer = "";

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    let newline = this.buffer.indexOf("\n");
    while (newline >= 0) {
      this.onLine(this.buffer.slice(0, newline).replace(/\r$/, ""));
      this.buffer = this.buffer.slice(newline + 1);
      newline = this.buffer.indexOf("\n");
    }
  }

  flush(): void {
    if (this.buffer.length > 0) {
      this.onLine(this.buffer);
      this.buffer = "";
    }
  }
}
