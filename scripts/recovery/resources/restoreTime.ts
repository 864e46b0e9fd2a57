// The restore-time model calibrated by measured restores: a factor per inventory entry, or per kind for one unmeasured.
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
  /**
   * The name the forecast gives the source resource: the data inventory's entry that claims the restore
   * (`claimed`), else AWS's name for it.
   */
  readonly name: string;
  /** Size of the restored data in GiB, when the measurement knows it (a restore job's backup size). */
  readonly sizeGiB?: number;
  /** Minutes from the restore's start until the copy was usable (the job's completion). */
  readonly minutes: number;
  /** Where it was measured: `restore testing` or the drill's report. */
  readonly source: string;
  /**
   * A data inventory entry claims the restore (core/inventory.ts entryClaiming, by the source ARN): `name` is
   * the entry's, and the measurement is of the forecast's resource of that name only, never of "the only
   * one of its kind". Default false: no entry claims it, its kind stands in.
   */
  readonly claimed?: boolean;
}

/**
 * How many measurements of its own a resource needs to be fitted on them alone; with fewer, its kind's
 * measurements fit it. One: against the simulation's truth (`npm run bench:rto`), a resource's single
 * restore, noise and all, forecasts it better than its kind's pool does at every count where a resource's
 * size changes its restore in a way the model does not know (the pool mixes a small and a large resource's
 * factors: about 98 % off for RDS after one restore each with three required, 23 % with one). Restore
 * testing's real noise is not published: a guess, for measurements to correct.
 */
const MIN_OWN_MEASUREMENTS = 1;

/**
 * The forecast's item for a resource named `name`: the one of that kind and name, else, unless `claimed`
 * (an inventory entry claims the restore and names it), the only one of its kind (a stack may name its
 * resources by role, `database`, where AWS gives them their own names).
 */
export function forecastItemFor<T extends { readonly kind: string; readonly name: string }>(
  items: readonly T[],
  kind: string,
  name: string,
  claimed = false,
): T | undefined {
  const named = items.find((item) => item.kind === kind && item.name === name);
  if (named || claimed) return named;
  const ofKind = items.filter((item) => item.kind === kind);
  return ofKind.length === 1 ? ofKind[0] : undefined;
}

/**
 * What a resource's calibrated minutes rest on: `entry`, its own measurements (at least
 * {@link MIN_OWN_MEASUREMENTS}); `kind`, every measurement of its kind (it has fewer of its own); `model`, the
 * model's minutes (nothing of its kind measured); `declared`, minutes the stack declares, kept as they are.
 */
export type CalibrationBasis = "entry" | "kind" | "model" | "declared";

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
  /** The factor applied: the geometric mean of measured over the model's across the basis' measurements. */
  readonly factor: number;
  /** Whether the factor was fitted on the resource's own measurements or on its kind's. */
  readonly basis: CalibrationBasis;
  /** How many measurements the factor rests on: its own (`entry`), its kind's (`kind`), else 0. */
  readonly basisMeasurements: number;
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

/** How the calibrated forecast's arithmetic names a resource's minutes. */
function basisText(r: CalibratedRestore): string {
  const times = `the model's ${r.modelMinutes} x ${r.factor.toFixed(2)}`;
  switch (r.basis) {
    case "entry":
      return `calibrated: ${times} from ${r.basisMeasurements} own measurement(s)`;
    case "kind":
      return `calibrated: ${times} from ${r.basisMeasurements} measurement(s) of its kind, ${r.measuredMinutes.length} own`;
    default:
      return `the model's: no ${r.kind} measured`;
  }
}

/**
 * Fits the model to measured restores, as the geometric mean of measured over predicted: per resource on
 * its own measurements where it has at least {@link MIN_OWN_MEASUREMENTS}, so two resources of one kind
 * keep their own factors; per kind (every measurement of the kind, those no resource claims included)
 * where it has fewer; the model's minutes where nothing of its kind was measured. Declared minutes stay
 * as declared. The calibrated forecast is the forecast of the calibrated minutes, against the same
 * objective.
 */
export function calibrate(
  args: RtoForecastArgs,
  measured: readonly MeasuredRestore[],
  rtoMinutes: number | undefined,
): Calibration {
  const logs = measured.flatMap((m) => {
    const resource = forecastItemFor(args.resources, m.kind, m.name, m.claimed);
    const value = logRatio(m, resource);
    return value === undefined ? [] : [{ m, resource, value }];
  });
  const restores: CalibratedRestore[] = args.resources.map((resource) => {
    const own = logs.filter((entry) => entry.resource === resource);
    const ofKind = logs.filter(({ m }) => m.kind === resource.kind);
    const basis: CalibrationBasis =
      resource.usableMinutes !== undefined
        ? "declared"
        : own.length >= MIN_OWN_MEASUREMENTS
          ? "entry"
          : ofKind.length > 0
            ? "kind"
            : "model";
    const fit = basis === "entry" ? own : basis === "kind" ? ofKind : [];
    const factor = Math.exp(geometricMeanLog(fit.map(({ value }) => value)));
    const model = estimateRestore(resource);
    return {
      kind: resource.kind,
      name: resource.name,
      modelMinutes: model.usableMinutes,
      calibratedMinutes: Math.round(model.usableMinutes * factor * 10) / 10,
      measuredMinutes: own.map(({ m }) => m.minutes),
      factor,
      basis,
      basisMeasurements: fit.length,
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
    (text, r) =>
      r.basis === "declared"
        ? text
        : text.replace(
            `${r.kind} "${r.name}" usable: ${r.calibratedMinutes} (declared)`,
            `${r.kind} "${r.name}" usable: ${r.calibratedMinutes} (${basisText(r)})`,
          ),
    calibrated.arithmetic,
  );
  return { restores, model: forecastRto(args, rtoMinutes), calibrated: { ...calibrated, arithmetic } };
}
