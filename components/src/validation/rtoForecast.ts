// The RTO forecast's checks: its resources and minutes, and the forecast against `objectives.rtoMinutes`.
import { DrPosture } from "../posture";
import { RESTORE_TIME_KINDS } from "../restoreTime";
import { RtoForecastArgs } from "../rtoForecast";
import { ValidationIssue } from "./issue";

function minutesIssue(field: string, value: number | undefined): ValidationIssue[] {
  return value === undefined || (Number.isFinite(value) && value >= 0)
    ? []
    : [{ field, value, rule: "must be a number of minutes, at least 0." }];
}

/**
 * The forecast's arguments: known kinds, a positive size, no volume initialization options (the recovery
 * uses neither), declared minutes not negative and full performance not before usable, names unique per
 * kind.
 */
export function checkRtoForecastArgs(forecast: RtoForecastArgs): ValidationIssue[] {
  const issues: ValidationIssue[] = [
    ...minutesIssue("rtoForecast.flipMinutes", forecast.flipMinutes),
    ...minutesIssue("rtoForecast.serverBootMinutes", forecast.serverBootMinutes),
    ...minutesIssue("rtoForecast.healthCheckMinutes", forecast.healthCheckMinutes),
    ...minutesIssue("rtoForecast.operatorSwitchMinutes", forecast.operatorSwitchMinutes),
    ...minutesIssue("rtoForecast.dnsMinutes", forecast.dnsMinutes),
  ];
  const seen = new Set<string>();
  forecast.resources.forEach((resource, index) => {
    const field = `rtoForecast.resources[${index}]`;
    if (!RESTORE_TIME_KINDS.includes(resource.kind)) {
      issues.push({
        field: `${field}.kind`,
        value: resource.kind,
        rule: `must be one of ${RESTORE_TIME_KINDS.join(", ")}.`,
      });
    }
    if (resource.name.trim() === "") {
      issues.push({ field: `${field}.name`, value: resource.name, rule: "must not be empty." });
    } else if (seen.has(`${resource.kind}/${resource.name}`)) {
      issues.push({
        field: `${field}.name`,
        value: resource.name,
        rule: `must be unique among the ${resource.kind} resources: the forecast names each restore.`,
      });
    }
    seen.add(`${resource.kind}/${resource.name}`);
    if (!(Number.isFinite(resource.sizeGiB) && resource.sizeGiB > 0)) {
      issues.push({
        field: `${field}.sizeGiB`,
        value: resource.sizeGiB,
        rule: "must be a number of GiB above 0.",
      });
    }
    if (resource.initializationRateMiBps !== undefined) {
      issues.push({
        field: `${field}.initializationRateMiBps`,
        value: resource.initializationRateMiBps,
        rule: "is not supported: the recovery restores EBS volumes without a provisioned initialization rate (AWS Backup's EBS restore metadata has none), so the forecast cannot count on one.",
      });
    }
    if (resource.fastSnapshotRestore !== undefined) {
      issues.push({
        field: `${field}.fastSnapshotRestore`,
        value: resource.fastSnapshotRestore,
        rule: "is not supported: nothing enables fast snapshot restore on the DR region's copies; it holds per snapshot per availability zone, after about 60 minutes per TiB of optimizing, while volume-creation credits last.",
      });
    }
    issues.push(
      ...minutesIssue(`${field}.usableMinutes`, resource.usableMinutes),
      ...minutesIssue(`${field}.fullPerformanceMinutes`, resource.fullPerformanceMinutes),
    );
    if (
      resource.usableMinutes !== undefined &&
      resource.fullPerformanceMinutes !== undefined &&
      resource.fullPerformanceMinutes < resource.usableMinutes
    ) {
      issues.push({
        field: `${field}.fullPerformanceMinutes`,
        value: resource.fullPerformanceMinutes,
        rule: `must be at least usableMinutes (${resource.usableMinutes}): a copy is usable before or when it performs fully.`,
      });
    }
  });
  return issues;
}

/** An issue when the RTO forecast exceeds `objectives.rtoMinutes`, showing the arithmetic. */
export function checkRto(posture: DrPosture): ValidationIssue[] {
  const forecast = posture.rtoForecast;
  if (posture.rtoMinutes === undefined || forecast === undefined || forecast.meetsRto) return [];
  return [
    {
      field: "objectives.rtoMinutes",
      value: posture.rtoMinutes,
      rule: `cannot be met: the recovery is forecast to take ${forecast.minutes} min, by ${forecast.arithmetic}.`,
    },
  ];
}
