/**
 * How fast calibration finds the truth: the forecast's error against the simulation's hidden ground truth,
 * per resource kind, after 0, 1, 2, 5, 10, 20 and 50 measured restores of each resource (averaged over
 * seeds). Prints figures; asserts nothing (test/scripts/recovery/resources/restoreTime.test.ts holds the
 * 20 % bound).
 */
import { RestoreEstimateArgs } from "../components/src/restoreTime";
import { calibrate, MeasuredRestore } from "../scripts/recovery/resources/restoreTime";
import { ResourceType, SUPPORTED_RESOURCE_TYPES } from "../scripts/recovery/resources/types";
import { sampleRestoreMinutes, seededRandom, trueRestoreMinutes } from "../scripts/simulation/restoreTruth";

const COUNTS = [0, 1, 2, 5, 10, 20, 50];
const SEEDS = 20;
const RESOURCES: RestoreEstimateArgs[] = SUPPORTED_RESOURCE_TYPES.flatMap((kind) => [
  { kind, name: `${kind}-small`, sizeGiB: 10 },
  { kind, name: `${kind}-large`, sizeGiB: 400 },
]);

/** Mean |calibrated / true - 1| per kind after `count` measurements of each resource, over the seeds. */
function meanErrors(count: number): Map<ResourceType, number> {
  const sums = new Map<ResourceType, number>();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const random = seededRandom(seed);
    const measured: MeasuredRestore[] = RESOURCES.flatMap((r) =>
      Array.from({ length: count }, () => ({
        kind: r.kind,
        name: r.name,
        sizeGiB: r.sizeGiB,
        minutes: sampleRestoreMinutes(r.kind, r.sizeGiB, random),
        source: "bench",
      })),
    );
    calibrate({ resources: RESOURCES }, measured, undefined).restores.forEach((r, i) => {
      const error = Math.abs(r.calibratedMinutes / trueRestoreMinutes(r.kind, RESOURCES[i].sizeGiB) - 1);
      sums.set(r.kind, (sums.get(r.kind) ?? 0) + error / (2 * SEEDS));
    });
  }
  return sums;
}

console.log(
  `RTO forecast error against the simulated truth (mean over ${SEEDS} seeds, 2 resources per kind)`,
);
console.log(["MEASURED".padEnd(9), ...SUPPORTED_RESOURCE_TYPES.map((k) => k.padStart(9))].join(" "));
for (const count of COUNTS) {
  const errors = meanErrors(count);
  console.log(
    [
      String(count).padEnd(9),
      ...SUPPORTED_RESOURCE_TYPES.map((k) => `${((errors.get(k) ?? 0) * 100).toFixed(1)} %`.padStart(9)),
    ].join(" "),
  );
}
