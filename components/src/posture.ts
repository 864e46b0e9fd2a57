// The deployment's DR posture from its arguments: worst-case RPO per region, RTO forecast, retention, copies, lock.
import { BackupRestoreDRArgs } from "./backupRestoreDRArgs";
import { isolationEnabled, isolationRetentionBounds } from "./isolatedVault";
import { DEFAULT_COPY_LANDING_MINUTES } from "./objectives";
import { forecastRto, RtoForecast } from "./rtoForecast";
import { BackupRuleArgs, copyLifecycle, DEFAULT_COMPLETION_WINDOW_MINUTES, DEFAULT_SCHEDULE } from "./rule";
import { DEFAULT_TIME_ZONE, parseAwsCron, worstCaseIntervalMinutes } from "./schedule";

/** How one rule bounds the age of the newest recovery point in a region. */
export interface RuleRpo {
  /** The rule's name. */
  readonly rule: string;
  /** Worst-case age of the newest recovery point, in minutes; undefined when unbounded (schedule ends). */
  readonly minutes?: number;
  /** The sum, term by term: `1440 (...) + 180 (...) = 1620 min`. */
  readonly arithmetic: string;
}

/** How a vault lock can be removed. */
export const VaultLockMode = {
  /** Removable by sufficiently privileged users. */
  Governance: "governance",
  /** Immutable once its `changeableForDays` have passed. */
  Compliance: "compliance",
} as const;
/** How a vault lock can be removed. */
export type VaultLockMode = (typeof VaultLockMode)[keyof typeof VaultLockMode];

/** The lock on a vault, as deployed. */
export interface LockPosture {
  /** `governance` (removable by privileged users) or `compliance` (immutable after `changeableForDays`). */
  readonly mode: VaultLockMode;
  readonly minRetentionDays?: number;
  readonly maxRetentionDays?: number;
  readonly changeableForDays?: number;
}

/** What protects the data in one region. */
export interface RegionPosture {
  /** The AWS region. */
  readonly region: string;
  /** Worst-case age, in minutes, of the newest recovery point in this region's vault; unset when unbounded. */
  readonly worstCaseRpoMinutes?: number;
  /** How the worst case is reached, with the rule that gives it. */
  readonly rpoArithmetic: string;
  /** Whether the worst case meets `objectives.rpoMinutes`; unset without an objective. */
  readonly meetsRpo?: boolean;
  /** Longest retention of the recovery points in this vault, in days. */
  readonly longestRetentionDays?: number;
  /** Earliest move to cold storage of any rule or copy here, in days; unset when nothing goes cold. */
  readonly coldStorageAfterDays?: number;
  /** Rules whose recovery points land in this vault. */
  readonly rules: string[];
  /** The vault's lock; unset when unlocked. */
  readonly lock?: LockPosture;
}

/** The deployment's DR posture: objectives, and what each region holds. */
export interface DrPosture {
  /** The RPO objective, in minutes, if set. */
  readonly rpoMinutes?: number;
  /** The RTO objective, in minutes, if set. */
  readonly rtoMinutes?: number;
  /** The RTO forecast with its arithmetic, when `rtoForecast` describes what a recovery restores. */
  readonly rtoForecast?: RtoForecast;
  readonly primary: RegionPosture;
  readonly dr: RegionPosture;
  /** Number of S3 buckets replicated to the DR region. */
  readonly replicatedBuckets: number;
  /** S3 replication's bound on the age of replicated objects: 15 with Replication Time Control. */
  readonly replicationRpoMinutes?: number;
  /** The isolated copy (a logically air-gapped vault), when `isolation` is on. */
  readonly isolated?: IsolatedPosture;
}

/** The logically air-gapped vault: where it is, its compliance lock's bounds, and whose copies it holds. */
export interface IsolatedPosture {
  /** Region of the vault: the DR region. */
  readonly region: string;
  /** Shortest retention of a copy: no one can delete it sooner (AWS's compliance lock). */
  readonly minRetentionDays: number;
  /** Longest retention of a copy. */
  readonly maxRetentionDays: number;
  /** Names of the rules whose copies it receives (those with `copyToDr`). */
  readonly rules: string[];
}

/** How `rule` bounds the newest recovery point's age in the primary region, or in DR when `copyLanding` is given. */
export function ruleRpo(rule: BackupRuleArgs, copyLanding?: { minutes: number; region: string }): RuleRpo {
  const schedule = rule.schedule ?? DEFAULT_SCHEDULE;
  const timeZone = rule.scheduleTimezone ?? DEFAULT_TIME_ZONE;
  const gap = worstCaseIntervalMinutes(parseAwsCron(schedule), { timeZone });
  const completion = rule.completionWindowMinutes ?? DEFAULT_COMPLETION_WINDOW_MINUTES;
  if (!Number.isFinite(gap)) {
    return {
      rule: rule.name,
      arithmetic: `${schedule} stops running, so the newest recovery point ages without bound`,
    };
  }
  const terms: [number, string][] = [
    [gap, `longest gap between runs of ${schedule} in ${timeZone}`],
    [completion, "completion window"],
    ...(copyLanding
      ? [[copyLanding.minutes, `copy landing in ${copyLanding.region}`] as [number, string]]
      : []),
  ];
  const minutes = terms.reduce((sum, [value]) => sum + value, 0);
  return {
    rule: rule.name,
    minutes,
    arithmetic: `${terms.map(([value, what]) => `${value} (${what})`).join(" + ")} = ${minutes} min`,
  };
}

/** The rule giving the best (smallest) worst case; unbounded rules lose to any bounded one. */
function best(candidates: RuleRpo[]): RuleRpo | undefined {
  return candidates.reduce<RuleRpo | undefined>((winner, candidate) => {
    if (winner === undefined) return candidate;
    if (candidate.minutes === undefined) return winner;
    return winner.minutes === undefined || candidate.minutes < winner.minutes ? candidate : winner;
  }, undefined);
}

function regionPosture(
  region: string,
  rules: { rule: BackupRuleArgs; rpo: RuleRpo; deleteAfterDays: number; coldAfterDays?: number }[],
  args: BackupRestoreDRArgs,
): RegionPosture {
  const winner = best(rules.map((r) => r.rpo));
  const objective = args.objectives?.rpoMinutes;
  const lock = args.vaults?.lock;
  const colds = rules.flatMap((r) => (r.coldAfterDays === undefined ? [] : [r.coldAfterDays]));
  return {
    region,
    worstCaseRpoMinutes: winner?.minutes,
    rpoArithmetic: winner
      ? `rule "${winner.rule}": ${winner.arithmetic}`
      : "no rule stores recovery points here",
    meetsRpo:
      objective === undefined ? undefined : winner?.minutes !== undefined && winner.minutes <= objective,
    longestRetentionDays: rules.length > 0 ? Math.max(...rules.map((r) => r.deleteAfterDays)) : undefined,
    coldStorageAfterDays: colds.length > 0 ? Math.min(...colds) : undefined,
    rules: rules.map((r) => r.rule.name),
    lock: lock && {
      mode: lock.changeableForDays === undefined ? "governance" : "compliance",
      minRetentionDays: lock.minRetentionDays,
      maxRetentionDays: lock.maxRetentionDays,
      changeableForDays: lock.changeableForDays,
    },
  };
}

/** Computes the posture of a valid set of arguments: worst-case RPO per region, retention, copies, lock. */
export function computePosture(args: BackupRestoreDRArgs): DrPosture {
  const landing = {
    minutes: args.objectives?.copyLandingMinutes ?? DEFAULT_COPY_LANDING_MINUTES,
    region: args.drRegion,
  };
  const primaryRules = args.plan.rules.map((rule) => ({
    rule,
    rpo: ruleRpo(rule),
    deleteAfterDays: rule.lifecycle.deleteAfterDays,
    coldAfterDays: rule.lifecycle.moveToColdStorageAfterDays,
  }));
  const drRules = args.plan.rules.flatMap((rule) => {
    const copy = copyLifecycle(rule);
    return copy
      ? [
          {
            rule,
            rpo: ruleRpo(rule, landing),
            deleteAfterDays: copy.deleteAfterDays,
            coldAfterDays: copy.moveToColdStorageAfterDays,
          },
        ]
      : [];
  });
  const replication = args.replication;
  return {
    rpoMinutes: args.objectives?.rpoMinutes,
    rtoMinutes: args.objectives?.rtoMinutes,
    rtoForecast: args.rtoForecast && forecastRto(args.rtoForecast, args.objectives?.rtoMinutes),
    primary: regionPosture(args.primaryRegion, primaryRules, args),
    dr: regionPosture(args.drRegion, drRules, args),
    replicatedBuckets: replication?.buckets.length ?? 0,
    replicationRpoMinutes: replication?.replicationTimeControl ? 15 : undefined,
    ...(isolationEnabled(args.isolation) && {
      isolated: {
        region: args.drRegion,
        ...isolationRetentionBounds(args.isolation, args.plan.rules),
        rules: drRules.map(({ rule }) => rule.name),
      },
    }),
  };
}
