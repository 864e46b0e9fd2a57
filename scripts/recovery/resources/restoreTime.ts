// The restore-time model calibrated by measured restores: a factor per resource, pooled per kind.
import {
  estimateRestore,
  forecastRto,
  RestoreEstimateArgs,
  RtoForecast,
  RtoForecastArgs,
} from "@restorekit/backup-restore-dr";
import { ResourceType } from "./types";

/** One restore whose duration was measured: by restore testing's restore jobs or by a drill. */
export interface MeasuredRestore {
  readonly kind: ResourceType;
  /** The source resource's name, as the forecast names it. */
  readonly name: string;
  /** Size of the restored data in GiB, when the measurement knows it (a restore job's backup size). */
  readonly sizeGiB?: number;
  /** Minutes from the restore's start until the copy was usable (the job's completion). */
  readonly minutes: number;
  /** Where it was measured: `restore testing` or the drill's report. */
  readonly source: string;
  /**
   * Match the forecast's resource by kind and name only, never as "the only one of its kind": restore
   * testing's measurements, named by prod's resource. Default false.
   */
  readonly exactName?: boolean;
}

/** How many of the kind's pooled measurements a resource's own measurements must outweigh: shrinkage. */
const PRIOR_WEIGHT = 2;

/**
 * The forecast's item for a resource AWS names `name`: the one of that kind and name, else, unless
 * `exactName`, the only one of its kind (a stack may name its resources by role, `database`, where AWS
 * gives them their own names).
 */
export function forecastItemFor<T extends { readonly kind: string; readonly name: string }>(
  items: readonly T[],
  kind: string,
  name: string,
  exactName = false,
): T | undefined {
  const named = items.find((item) => item.kind === kind && item.name === name);
  if (named || exactName) return named;
  const ofKind = items.filter((item) => item.kind === kind);
  return ofKind.length === 1 ? ofKind[0] : undefined;
}

/** One resource's forecast before and after calibration, and what was measured. */
export interface CalibratedRestore {
  readonly kind: ResourceType;
  readonly name: string;
  /** The model's minutes until usable, before calibration. */
  readonly modelMinutes: number;
  /** Minutes until usable after calibration. */
  readonly calibratedMinutes: number;
  /** The measurements of this resource, in minutes. */
  readonly measuredMinutes: number[];
  /** The factor applied: measured over the model's, per resource, pulled towards its kind's. */
  readonly factor: number;
}

/** The forecast calibrated by measurements, beside the model's. */
export interface Calibration {
  readonly restores: CalibratedRestore[];
  /** The model's forecast, before calibration. */
  readonly model: RtoForecast;
  /** The forecast with each resource's calibrated minutes. */
  readonly calibrated: RtoForecast;
}

function geometricMeanLog(logs: number[]): number {
  return logs.length === 0 ? 0 : logs.reduce((a, b) => a + b, 0) / logs.length;
}

/** log(measured / the model's) of one measurement, sized as measured or as the forecast declares the resource. */
function logRatio(
  measurement: MeasuredRestore,
  declared: RestoreEstimateArgs | undefined,
): number | undefined {
  const sizeGiB = measurement.sizeGiB ?? declared?.sizeGiB;
  if (sizeGiB === undefined || sizeGiB <= 0 || measurement.minutes <= 0) return undefined;
  const predicted = estimateRestore({
    kind: measurement.kind,
    name: measurement.name,
    sizeGiB,
  }).usableMinutes;
  return Math.log(measurement.minutes / predicted);
}

/**
 * Fits the model to measured restores: each kind's factor is the geometric mean of measured over
 * predicted across its measurements; a resource's factor is its own measurements' geometric mean, pulled
 * towards its kind's with the weight of {@link PRIOR_WEIGHT} measurements (few measurements of one resource
 * say little; many say all). Declared minutes stay as declared. The calibrated forecast is the forecast of
 * the calibrated minutes, against the same objective.
 */
export function calibrate(
  args: RtoForecastArgs,
  measured: readonly MeasuredRestore[],
  rtoMinutes: number | undefined,
): Calibration {
  const logs = measured.flatMap((m) => {
    const resource = forecastItemFor(args.resources, m.kind, m.name, m.exactName);
    const value = logRatio(m, resource);
    return value === undefined ? [] : [{ m, resource, value }];
  });
  const kindLog = (kind: string) =>
    geometricMeanLog(logs.filter(({ m }) => m.kind === kind).map(({ value }) => value));
  const restores: CalibratedRestore[] = args.resources.map((resource) => {
    const own = logs.filter((entry) => entry.resource === resource);
    const pooled = logs.some(({ m }) => m.kind === resource.kind) ? kindLog(resource.kind) : 0;
    const log =
      (own.reduce((sum, { value }) => sum + value, 0) + PRIOR_WEIGHT * pooled) / (own.length + PRIOR_WEIGHT);
    const factor = resource.usableMinutes === undefined ? Math.exp(log) : 1;
    const model = estimateRestore(resource);
    return {
      kind: resource.kind,
      name: resource.name,
      modelMinutes: model.usableMinutes,
      calibratedMinutes: Math.round(model.usableMinutes * factor * 10) / 10,
      measuredMinutes: own.map(({ m }) => m.minutes),
      factor,
    };
  });
  const calibratedArgs: RtoForecastArgs = {
    ...args,
    resources: args.resources.map((resource, index) => {
      const model = estimateRestore(resource);
      const usableMinutes = restores[index].calibratedMinutes;
      return {
        ...resource,
        usableMinutes,
        fullPerformanceMinutes:
          Math.round((usableMinutes + model.fullPerformanceMinutes - model.usableMinutes) * 10) / 10,
      };
    }),
  };
  const calibrated = forecastRto(calibratedArgs, rtoMinutes);
  // The forecast calls every minute it was given "declared": say which were calibrated, and from what.
  const arithmetic = restores.reduce(
    (text, r, index) =>
      args.resources[index].usableMinutes !== undefined
        ? text
        : text.replace(
            `${r.kind} "${r.name}" usable: ${r.calibratedMinutes} (declared)`,
            `${r.kind} "${r.name}" usable: ${r.calibratedMinutes} (calibrated: the model's ${r.modelMinutes} x ${r.factor.toFixed(2)} from ${r.measuredMinutes.length} own measurement(s))`,
          ),
    calibrated.arithmetic,
  );
  return { restores, model: forecastRto(args, rtoMinutes), calibrated: { ...calibrated, arithmetic } };
}
