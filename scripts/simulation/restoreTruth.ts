// The simulation's hidden ground truth of restore durations: other shapes than the forecast's model, with noise.
import { ResourceType } from "../recovery/resources/types";

/**
 * The true minutes until usable per kind and size, deliberately unlike the forecast's model
 * (components/src/restoreTime.ts) so that calibration has something to find: a fixed part (AWS Backup
 * picking up the job, the service provisioning the resource) plus a part that grows with the size, linearly
 * for most kinds and slowly, with the square root, for Aurora (AWS calls its restores non-linear: a "larger
 * data set takes only a little longer", Aurora knowledge center, snapshot restore options). Orders of
 * magnitude for small resources, invented for the simulation: no AWS figure is behind any number here,
 * and nothing outside the simulation and the rehearsal may read it. Unsized kinds (a table, a bucket: a
 * program states no size) take their fixed part.
 */
const TRUTH: { readonly [K in ResourceType]: (sizeGiB: number) => number } = {
  RDS: (size) => 20 + 0.25 * size,
  Aurora: (size) => 30 + 0.5 * Math.sqrt(size),
  EC2: () => 10,
  EBS: (size) => 5 + 0.1 * size,
  DynamoDB: (size) => 15 + 0.5 * size,
  EFS: (size) => 15 + 0.2 * size,
  S3: (size) => 30 + 0.5 * size,
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
