// How long the rehearsal's simulated restores take: the simulation's ground truth, per resource type and size.
import { ResourceType } from "../recovery/resources/types";
import { DrError } from "../errors";
import { sampleRestoreMinutes, seededRandom, trueRestoreMinutes } from "../simulation/restoreTruth";

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

/** The largest `--seed`: the seeded source takes a 32-bit unsigned integer. */
const MAX_SEED = 0xffffffff;

/** `--seed <n>`: a whole number from 0 to 4294967295, else an error naming the flag, the value and the rule. */
export function parseSeed(text: string): number {
  const seed = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(seed) || seed > MAX_SEED) {
    throw new DrError(`--seed '${text}' must be a whole number from 0 to ${MAX_SEED}`);
  }
  return seed;
}

/**
 * The estate with each resource's restore minutes drawn from the ground truth with its noise
 * (restoreTruth.ts sampleRestoreMinutes), one draw per resource in the estate's order from `seed`: the same
 * seed gives the same durations. Without a seed the rehearsal keeps the noiseless truth, so default runs
 * repeat exactly.
 */
export function withRestoreNoise<
  R extends {
    readonly resourceType: ResourceType;
    readonly sizeGiB?: number;
    readonly restoreMinutes: number;
  },
  E extends { readonly resources: readonly R[] },
>(estate: E, seed: number): E {
  const random = seededRandom(seed);
  return {
    ...estate,
    resources: estate.resources.map((resource) => ({
      ...resource,
      restoreMinutes: sampleRestoreMinutes(resource.resourceType, resource.sizeGiB ?? 0, random),
    })),
  };
}
