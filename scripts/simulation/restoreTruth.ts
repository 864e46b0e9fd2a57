// The simulation's hidden ground truth of restore durations: other shapes than the forecast's model, with noise.
import { ResourceType } from "../recovery/resources/types";

/**
 * The true minutes until usable per kind and size, deliberately unlike the forecast's linear model
 * (components/src/restoreTime.ts) so that calibration has something to find: Aurora grows with the square
 * root of its size (AWS calls its restores non-linear), RDS and EBS are faster or slower than the model's
 * guesses by a constant, DynamoDB grows sub-linearly. Invented for the simulation: no AWS figure is behind
 * any number here, and nothing outside the simulation may read it.
 */
const TRUTH: { readonly [K in ResourceType]: (sizeGiB: number) => number } = {
  RDS: (size) => 22 + 0.02 * size,
  Aurora: (size) => 30 + 6 * Math.sqrt(size),
  EC2: (size) => 7 + 0.01 * size,
  EBS: (size) => 3 + 0.005 * size,
  DynamoDB: (size) => 8 + 2.5 * Math.pow(size, 0.8),
  EFS: (size) => 10 + 0.6 * size,
  S3: (size) => 12 + 1.5 * size,
};

/** The true minutes, without noise, a restore of this kind and size takes. */
export function trueRestoreMinutes(kind: ResourceType, sizeGiB: number): number {
  return TRUTH[kind](sizeGiB);
}

/**
 * A seeded pseudo-random source in [0, 1) (mulberry32): the same seed gives the same durations, so a
 * test's measurements repeat.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How far one restore strays from the truth: log-normal, about ±25 % (one standard deviation). */
const NOISE_SIGMA = 0.25;

/** One noisy draw of a restore's minutes from the truth (Box-Muller on two uniform draws). */
export function sampleRestoreMinutes(kind: ResourceType, sizeGiB: number, random: () => number): number {
  const u = Math.max(random(), 1e-12);
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return trueRestoreMinutes(kind, sizeGiB) * Math.exp(NOISE_SIGMA * normal);
}
