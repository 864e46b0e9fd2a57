import { DEFAULT_TIME_ZONE, parseAwsCron, worstCaseIntervalMinutes } from "./schedule";
import { BackupRestoreDRArgs } from "./backupRestoreDRArgs";
import { BackupRuleArgs, copyLifecycle, DEFAULT_COMPLETION_WINDOW_MINUTES, DEFAULT_SCHEDULE } from "./rule";
import { ValidationIssue } from "./validation/issue";

/** What the component does when the plan cannot meet the recovery point objective. */
export const ObjectiveEnforcement = {
  /** Fail the preview. */
  Error: "error",
  /** Log a warning and deploy. */
  Warn: "warn",
} as const;
/** What the component does when the plan cannot meet the recovery point objective. */
export type ObjectiveEnforcement = (typeof ObjectiveEnforcement)[keyof typeof ObjectiveEnforcement];

/** Recovery objectives the plan is checked against. */
export interface DrObjectivesArgs {
  /**
   * Recovery point objective, in minutes: the most data, measured in time, you accept to lose. Each
   * region's worst-case RPO (see `posture`) must not exceed it.
   * @default none: the worst case is computed and shown, not enforced
   */
  readonly rpoMinutes?: number;
  /**
   * Recovery time objective, in minutes: how long recovery may take. Carried into `posture` and checked
   * by the recovery CLI's drills, which measure it.
   * @default none
   */
  readonly rtoMinutes?: number;
  /**
   * Minutes a cross-region copy takes to land in the DR vault after its backup completes. AWS gives no
   * bound; it grows with the size of the recovery point. Measure yours with a drill.
   * @default 60
   */
  readonly copyLandingMinutes?: number;
  /**
   * `"error"` fails the preview when the plan cannot meet `rpoMinutes`; `"warn"` only logs a warning.
   * @default "error"
   */
  readonly enforcement?: ObjectiveEnforcement;
}

/** Default time for a copy to land in the DR vault. */
export const DEFAULT_COPY_LANDING_MINUTES = 60;

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
  readonly primary: RegionPosture;
  readonly dr: RegionPosture;
  /** Number of S3 buckets replicated to the DR region. */
  readonly replicatedBuckets: number;
  /** S3 replication's bound on the age of replicated objects: 15 with Replication Time Control. */
  readonly replicationRpoMinutes?: number;
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
    primary: regionPosture(args.primaryRegion, primaryRules, args),
    dr: regionPosture(args.drRegion, drRules, args),
    replicatedBuckets: replication?.buckets.length ?? 0,
    replicationRpoMinutes: replication?.replicationTimeControl ? 15 : undefined,
  };
}

/** The objectives' own values must make sense. */
export function checkObjectivesArgs(objectives: DrObjectivesArgs): ValidationIssue[] {
  return (["rpoMinutes", "rtoMinutes", "copyLandingMinutes"] as const).flatMap((key) => {
    const value = objectives[key];
    return value === undefined || (Number.isInteger(value) && value >= (key === "copyLandingMinutes" ? 0 : 1))
      ? []
      : [
          {
            field: `objectives.${key}`,
            value,
            rule: `must be a whole number of minutes${key === "copyLandingMinutes" ? "" : ", at least 1"}.`,
          },
        ];
  });
}

/** An issue for each region whose worst-case RPO exceeds `objectives.rpoMinutes`, showing the arithmetic. */
export function checkRpo(posture: DrPosture): ValidationIssue[] {
  const objective = posture.rpoMinutes;
  if (objective === undefined) return [];
  return (["primary", "dr"] as const).flatMap((which) => {
    const region = posture[which];
    if (region.meetsRpo) return [];
    return [
      {
        field: "objectives.rpoMinutes",
        value: objective,
        rule:
          region.worstCaseRpoMinutes === undefined
            ? `cannot be met in the ${which} region ${region.region}: ${region.rpoArithmetic}.`
            : `cannot be met in the ${which} region ${region.region}: worst case ${region.worstCaseRpoMinutes} min, by ${region.rpoArithmetic}.`,
      },
    ];
  });
}
