// The objectives' checks: their own values, and each region's worst-case RPO against `rpoMinutes`.
import { DrObjectivesArgs } from "../objectives";
import { DrPosture } from "../posture";
import { ValidationIssue } from "./issue";

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
