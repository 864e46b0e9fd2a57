/** The plan's posture sections: prod's DR posture, the data either side uses, the dr side, the flip. */
import type { DrPosture, RegionPosture, RtoForecast } from "@restorekit/backup-restore-dr";
import { RESTORED_KEYS } from "../../stacks/config";
import type { RestoredDataProtection } from "../../stacks/restoredDataProtection";
import { unitUsd } from "../cost/amounts";
import { PriceBook } from "../cost/prices";
import { DATA_KINDS } from "../cost/vaultStorage";
import { alignColumns } from "../output";
import { compact, shortType } from "./display";
import { PlanResult } from "./evaluate";
import { controlPlanes, FlipChange, outsideFlipScope } from "./flipChanges";

function minutes(value: number | undefined): string {
  return value === undefined ? "unbounded" : `${value} min`;
}

function lock(region: RegionPosture): string {
  const l = region.lock;
  if (!l) return "none";
  const bounds = [
    l.minRetentionDays !== undefined ? `min ${l.minRetentionDays} d` : undefined,
    l.maxRetentionDays !== undefined ? `max ${l.maxRetentionDays} d` : undefined,
    l.changeableForDays !== undefined ? `immutable after ${l.changeableForDays} d` : undefined,
  ].filter((part) => part !== undefined);
  return `${l.mode}${bounds.length ? ` (${bounds.join(", ")})` : ""}`;
}

/**
 * The DR posture BackupRestoreDR computed for the prod stack: worst-case RPO per region against the
 * objective (with its arithmetic), retention, cold storage, copies to DR, Vault Lock and S3 replication.
 */
export function renderPosture(posture: DrPosture): string[] {
  const meets = (region: RegionPosture) =>
    region.meetsRpo === undefined ? "no objective" : region.meetsRpo ? "yes" : "NO";
  const objective = (value: number | undefined) => (value === undefined ? "none" : `${value} min`);
  const regions = [
    ["primary", posture.primary],
    ["dr", posture.dr],
  ] as const;
  return [
    "DR posture (from BackupRestoreDR):",
    `  Objectives: RPO ${objective(posture.rpoMinutes)}, RTO ${objective(posture.rtoMinutes)}`,
    ...alignColumns([
      ["REGION", "SIDE", "WORST-CASE RPO", "MEETS RPO", "LONGEST RETENTION", "COLD AFTER", "VAULT LOCK"],
      ...regions.map(([side, region]) => [
        region.region,
        side,
        minutes(region.worstCaseRpoMinutes),
        meets(region),
        region.longestRetentionDays === undefined ? "-" : `${region.longestRetentionDays} d`,
        region.coldStorageAfterDays === undefined ? "never" : `${region.coldStorageAfterDays} d`,
        lock(region),
      ]),
    ]),
    "  Worst case, term by term:",
    ...regions.map(([, region]) => `    ${region.region}: ${region.rpoArithmetic}`),
    `  Rules storing in ${posture.primary.region}: ${posture.primary.rules.join(", ") || "none"}`,
    `  Copies to ${posture.dr.region}: ${posture.dr.rules.length > 0 ? posture.dr.rules.join(", ") : "none: no rule copies to DR"}`,
    `  S3 replication: ${posture.replicatedBuckets} bucket(s) to ${posture.dr.region}, ${
      posture.replicationRpoMinutes === undefined
        ? "no time bound (Replication Time Control off)"
        : `within ${posture.replicationRpoMinutes} min (Replication Time Control)`
    }`,
    ...renderRtoForecast(posture.rtoForecast, posture.rtoMinutes),
  ];
}

/**
 * The RTO forecast against the objective: the critical path term by term, then each restore's start, time
 * until usable and until full performance.
 */
export function renderRtoForecast(
  forecast: RtoForecast | undefined,
  rtoMinutes: number | undefined,
): string[] {
  const objective = rtoMinutes === undefined ? "no" : `${rtoMinutes} min`;
  if (forecast === undefined) {
    return [
      `  RTO: ${objective} objective, no forecast (rtoForecast unset); a drill measures it (the recovery CLI's drill command).`,
    ];
  }
  const verdict =
    forecast.meetsRto === undefined
      ? "no objective"
      : `${forecast.meetsRto ? "meets" : "MISSES"} the ${objective} objective`;
  return [
    `  RTO forecast: ${forecast.minutes} min until the application answers in DR (${verdict}); full performance at ${forecast.fullPerformanceMinutes} min`,
    `    ${forecast.arithmetic}`,
    ...alignColumns(
      [
        ["RESTORE", "STARTS AT", "USABLE AFTER", "FULL PERFORMANCE AFTER"],
        ...forecast.restores.map((r) => [
          `${r.kind} ${r.name}`,
          `${r.startMinutes} min`,
          `${r.usableMinutes} min`,
          `${r.fullPerformanceMinutes} min`,
        ]),
      ],
      { indent: "    " },
    ),
    "    The model's terms before calibration; `dr status` compares them with this deployment's measured restores.",
  ];
}

/**
 * The isolated copy: the logically air-gapped vault, its compliance lock (AWS's, which no principal of the
 * account can lift), whose copies it holds, and what its storage costs a GB-month at `prices`.
 */
export function renderIsolatedCopy(posture: DrPosture, prices: PriceBook): string[] {
  const isolated = posture.isolated;
  if (isolated === undefined) {
    return ["  Isolated copy: none (isolation false): every copy is in this account's own vaults"];
  }
  const perGb = DATA_KINDS.map((kind) => {
    const price = prices.prices[kind.isolatedPrice];
    return `${kind.label} ${unitUsd(price.usd)}/${price.unit}`;
  }).join(", ");
  return [
    `  Isolated copy: logically air-gapped vault in ${isolated.region}, compliance lock set by AWS (min ${isolated.minRetentionDays} d, max ${isolated.maxRetentionDays} d): no one in this account can delete a copy before its retention ends`,
    `    Receives a second copy from: ${isolated.rules.join(", ")}`,
    `    Storage at the prices of ${prices.asOf} (unverified for this vault type): ${perGb}, plus each copy's cross-region transfer (dr cost: the estimate for your data)`,
  ];
}

/** The prod side's data: its own resources, or what a failback restored (the same keys as the dr stack's). */
export function renderFailedBack(result: PlanResult): string {
  const set = RESTORED_KEYS.flatMap((name) => {
    const value = result.config[`${result.project}:${name}`]?.value ?? "";
    return value === "" ? [] : [`${name}=${value}`];
  });
  return set.length > 0
    ? `  Failed-back data the servers use (the rest is prod's own; the pre-disaster resources stay): ${set.join(" ")}`
    : "  Data the servers use: prod's own (no failed-back identifiers set)";
}

/** The dr stack's plan for restored data: what it selects, where it stores and copies, how often, from when. */
function renderRestoredDataProtection(protection: RestoredDataProtection | undefined): string[] {
  if (protection === undefined || typeof protection !== "object") return [];
  const tags = Object.entries(protection.selectionTags)
    .map(([key, value]) => `${key}=${value}`)
    .join(" or ");
  const within = (region: RegionPosture) =>
    region.worstCaseRpoMinutes === undefined ? "unbounded" : `within ${region.worstCaseRpoMinutes} min`;
  return [
    `  Restored data protection (exists in standby; selects nothing until a recovery restores tagged resources):`,
    `    Selects resources in ${protection.local.region} tagged ${tags} (prod's data: ${protection.resourceTypes.join(", ")})`,
    `    Stores in ${compact(protection.vaultName)}: ${protection.local.rules.join(", ")}; first recovery point ${within(
      protection.local,
    )} of a restore (${protection.local.rpoArithmetic})`,
    `    Copies to ${compact(protection.copyVaultArn)}: ${protection.copies.rules.join(", ") || "none"}; ${within(
      protection.copies,
    )} once ${protection.copies.region} answers (${protection.copies.rpoArithmetic})`,
    `    While ${protection.copies.region} is down: ${protection.copiesWhilePrimaryDown}`,
  ];
}

/** The dr side's posture: mode, capacity, what it reads from prod, the restored data it is pointed at. */
export function renderDrPosture(result: PlanResult): string[] {
  const outputs = result.outputs ?? {};
  const capacity = (outputs.capacity ?? {}) as Record<string, unknown>;
  const config = (name: string) => result.config[`${result.project}:${name}`]?.value ?? "";
  const primary = config("primaryStack");
  return [
    `DR posture: mode ${result.mode}, capacity ${compact(capacity.minSize)}/${compact(capacity.desiredCapacity)}/${compact(
      capacity.maxSize,
    )} (min/desired/max); RPO ${compact(outputs.rpoMinutes)} min and RTO ${compact(outputs.rtoMinutes)} min from ${primary}.`,
    `  Prod's backups, copies and replication live in the ${primary} stack: \`npm run plan -- --stack ${primary}\` shows them.`,
    ...renderRestoredDataProtection(outputs.restoredDataProtection as RestoredDataProtection | undefined),
    `  Restored data: ${RESTORED_KEYS.map((name) => `${name}=${config(name) || "(unset)"}`).join(" ")}`,
    `  Application bucket: ${compact(outputs.appBucketName)}; DNS: ${
      outputs.dnsName !== undefined
        ? `${compact(outputs.dnsName)}'s SECONDARY record -> this load balancer, answered while the failover switch is 1`
        : "no public name configured"
    }`,
  ];
}

/** What a flip from standby changes and the control planes it calls: the dr stack's static stability. */
export function renderFlip(changes: readonly FlipChange[], region: string): string[] {
  const { inRegion, outside } = controlPlanes(changes, region);
  const beyond = outsideFlipScope(changes);
  return [
    "Flip from standby (this config with dr-app:mode standby and no restored identifiers) changes:",
    ...(changes.length > 0
      ? changes.map((change) => `  ~ ${shortType(change.type)} ${change.name}: ${change.keys.join(", ")}`)
      : ["  nothing"]),
    `  Control planes called: ${inRegion.join(", ") || "none"}; outside ${region}: ${outside.join(", ") || "none"}.`,
    ...(beyond.length > 0
      ? [
          "  Not statically stable: a flip must change only the Auto Scaling group and the launch template, but",
          ...beyond.map((sentence) => `    ${sentence}`),
        ]
      : []),
  ];
}
