/** The plan's rules as the vaults store them: how often each runs, and which lifecycle each vault applies. */
import {
  BackupRuleArgs,
  copyLifecycle,
  DEFAULT_HORIZON_START,
  DEFAULT_SCHEDULE,
  DEFAULT_TIME_ZONE,
  LifecycleArgs,
  parseAwsCron,
} from "@restorekit/backup-restore-dr";
import { CostPlan } from "./inputs";

const DAYS_PER_YEAR = 365;

/**
 * Average runs per day of a rule's schedule over the year from {@link DEFAULT_HORIZON_START}, in the rule's
 * time zone (24 for hourly, 1 for daily, 1/7 for weekly).
 */
export function runsPerDay(rule: BackupRuleArgs): number {
  const schedule = parseAwsCron(rule.schedule ?? DEFAULT_SCHEDULE);
  const from = DEFAULT_HORIZON_START;
  const to = new Date(from.getTime() + DAYS_PER_YEAR * 86_400_000);
  const runs = schedule.runsBetween(from, to, rule.scheduleTimezone ?? DEFAULT_TIME_ZONE).length;
  return runs / DAYS_PER_YEAR;
}

/** A rule as one vault stores its recovery points: under which lifecycle, how many a day. */
export interface StorageRule {
  readonly rule: BackupRuleArgs;
  readonly lifecycle: LifecycleArgs;
  readonly perDay: number;
}

/** Every rule, as the primary vault stores it (the rule's own lifecycle). */
export function primaryStorageRules(plan: CostPlan): StorageRule[] {
  return plan.rules.map((rule) => ({ rule, lifecycle: rule.lifecycle, perDay: runsPerDay(rule) }));
}

/**
 * The rules that copy to DR, as the logically air-gapped vault stores their second copies: the copy's
 * retention, all of it warm (the component asks for no cold storage there); none without the isolated copy.
 */
export function isolatedStorageRules(plan: CostPlan): StorageRule[] {
  return plan.isolatedCopy
    ? drStorageRules(plan).map((stored) => ({
        ...stored,
        lifecycle: { deleteAfterDays: stored.lifecycle.deleteAfterDays },
      }))
    : [];
}

/** The rules that copy to DR, as the DR vault stores their copies (the copy's lifecycle). */
export function drStorageRules(plan: CostPlan): StorageRule[] {
  return plan.rules.flatMap((rule) => {
    const copy = copyLifecycle(rule);
    return copy ? [{ rule, lifecycle: copy, perDay: runsPerDay(rule) }] : [];
  });
}
