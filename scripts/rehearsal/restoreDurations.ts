// How long the rehearsal's simulated restores take: the simulation's ground truth, per resource type and size.
import { ResourceType } from "../recovery/resources/types";
import { trueRestoreMinutes } from "../simulation/restoreTruth";

/** Simulated minutes of a job per resource type: a fixed part plus a part per GiB of the stated size. */
export type DurationModel = Readonly<Record<ResourceType, { fixedMinutes: number; minutesPerGiB: number }>>;

/** The minutes `model` gives a resource of this type and size (no size: the fixed part only). */
export function modelledMinutes(model: DurationModel, type: ResourceType, sizeGiB?: number): number {
  return model[type].fixedMinutes + model[type].minutesPerGiB * (sizeGiB ?? 0);
}

/**
 * Minutes the rehearsal's restore of a resource of this type and size takes (simulated time): the
 * simulation's hidden ground truth (scripts/simulation/restoreTruth.ts), never the forecast's model, so a
 * rehearsal measures something the forecast has to be calibrated against.
 */
export function restoreMinutes(type: ResourceType, sizeGiB?: number): number {
  return trueRestoreMinutes(type, sizeGiB ?? 0);
}
