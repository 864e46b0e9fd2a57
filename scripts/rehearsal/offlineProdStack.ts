/** The prod stack for a failback rehearsal: the prod program on Pulumi's mock engine, and when its servers serve the failed-back data. */
import { Clock } from "../clock";
import { RehearsalEstate } from "./estate";
import { deployedOutputs } from "./deployedOutputs";
import { OfflineDrStack } from "./offlineStack";
import { RESTORED_CONFIG_KEYS } from "./rehearsedCompute";

/** Options of {@link offlineProdStack}. */
export interface OfflineProdStackOptions {
  /** Directory of the project's Pulumi.yaml. */
  readonly projectDir: string;
  /** Directory of the stack files, when not beside Pulumi.yaml (a built-in example's). Default: `projectDir`. */
  readonly configDir?: string;
  readonly estate: RehearsalEstate;
  /** The health check URL the rehearsal serves for prod's load balancer. */
  readonly healthUrl: string;
  readonly clock: Clock;
}

/**
 * The prod stack as `dr failback` uses it (outputs, config, `up`), offline like the dr stack: its
 * `Pulumi.<prod>.yaml` plus what the failback sets, evaluated on Pulumi's mock engine at each `up`,
 * with the names a deployment of the rehearsal's estate would report (its network, vault, restore role
 * and the rehearsal's health check).
 */
export function offlineProdStack(options: OfflineProdStackOptions): OfflineDrStack {
  const { estate } = options;
  const ownBucket = estate.resources.find((r) => r.resourceType === "S3")?.name;
  return new OfflineDrStack({
    projectDir: options.projectDir,
    configDir: options.configDir,
    stackName: estate.primaryStack,
    deployed: deployedOutputs(estate, estate.primaryStack, options.healthUrl, ownBucket),
    clock: options.clock,
  });
}

/**
 * The launch template version prod's servers launch with: 1 on prod's own data, 2 once an `up` pointed
 * them at restored data (the servers' user data names the data, so the template changes: stacks/environment.ts).
 */
export function prodLaunchTemplateVersion(prod: OfflineDrStack | undefined): number {
  return RESTORED_CONFIG_KEYS.some((key) => prod?.appliedConfig(key) !== undefined) ? 2 : 1;
}

/**
 * Whether prod's load balancer would answer its health check now: its last `up` pointed it at restored
 * data with servers to run, and `bootMs` have passed for them to be replaced and answer. Before the
 * failback's data update prod serves nothing the rehearsal checks.
 */
export function prodServesRestoredData(prod: OfflineDrStack, nowMs: number, bootMs: number): boolean {
  const since = prod.lastUpAt;
  return (
    since !== undefined &&
    RESTORED_CONFIG_KEYS.some((key) => prod.appliedConfig(key) !== undefined) &&
    prod.appliedCapacity() > 0 &&
    nowMs >= since + bootMs
  );
}
