// Calibration of the restore-time model: measured restores from the simulation's hidden truth pull the forecast to it.
import { expect } from "chai";
import { RestoreEstimateArgs } from "@restorekit/backup-restore-dr";
import { calibrate, MeasuredRestore } from "../../../../scripts/recovery/resources/restoreTime";
import { SUPPORTED_RESOURCE_TYPES } from "../../../../scripts/recovery/resources/types";
import {
  sampleRestoreMinutes,
  seededRandom,
  trueRestoreMinutes,
} from "../../../../scripts/simulation/restoreTruth";

/** Two resources of every kind, of sizes far apart. */
const RESOURCES: RestoreEstimateArgs[] = SUPPORTED_RESOURCE_TYPES.flatMap((kind) => [
  { kind, name: `${kind.toLowerCase()}-small`, sizeGiB: 10 },
  { kind, name: `${kind.toLowerCase()}-large`, sizeGiB: 400 },
]);

function measure(count: number, seed: number): MeasuredRestore[] {
  const random = seededRandom(seed);
  return RESOURCES.flatMap((resource) =>
    Array.from({ length: count }, () => ({
      kind: resource.kind,
      name: resource.name,
      sizeGiB: resource.sizeGiB,
      minutes: sampleRestoreMinutes(resource.kind, resource.sizeGiB, random),
      source: "restore testing",
    })),
  );
}

/** |calibrated / true - 1| per resource. */
function errors(measurements: MeasuredRestore[]): Record<string, number> {
  const calibration = calibrate({ resources: RESOURCES }, measurements, undefined);
  return Object.fromEntries(
    calibration.restores.map((r, index) => [
      r.name,
      Math.abs(r.calibratedMinutes / trueRestoreMinutes(r.kind, RESOURCES[index].sizeGiB) - 1),
    ]),
  );
}

describe("restore-time calibration", () => {
  it("GIVEN no measurement THEN the forecast is the model's, and the model misses the truth by more than 20 % somewhere", () => {
    const before = errors([]);
    expect(Object.values(before).some((error) => error > 0.2)).to.equal(true);
    const calibration = calibrate({ resources: RESOURCES }, [], 60);
    expect(calibration.calibrated.minutes).to.equal(calibration.model.minutes);
    expect(calibration.restores.every((r) => r.factor === 1)).to.equal(true);
  });

  it("GIVEN 20 measured restores of each resource THEN every kind's forecast is within 20 % of the truth", () => {
    for (const seed of [1, 2, 3]) {
      const after = errors(measure(20, seed));
      const beyond = Object.entries(after).filter(([, error]) => error > 0.2);
      expect(beyond, `seed ${seed}`).to.deep.equal([]);
    }
  });

  it("pools a kind's measurements for a resource measured once: its factor moves toward the kind's", () => {
    const resources: RestoreEstimateArgs[] = [
      { kind: "RDS", name: "measured", sizeGiB: 100 },
      { kind: "RDS", name: "new", sizeGiB: 100 },
    ];
    // The model says 15 min for RDS at any size; three restores of "measured" took 30.
    const measured = [1, 2, 3].map(() => ({
      kind: "RDS" as const,
      name: "measured",
      minutes: 30,
      source: "drill",
    }));
    const calibration = calibrate({ resources }, measured, 40);
    expect(calibration.restores.map((r) => [r.name, r.calibratedMinutes, r.measuredMinutes])).to.deep.equal([
      ["measured", 30, [30, 30, 30]],
      ["new", 30, []],
    ]);
    expect(calibration.model.meetsRto).to.equal(true);
    expect(calibration.calibrated.meetsRto).to.equal(false);
    expect(calibration.calibrated.arithmetic).to.equal(
      "30 (RDS \"measured\" usable: 30 (calibrated: the model's 15 x 2.00 from 3 own measurement(s))) + 10 (flip) + 5 (servers' boot) + 3 (health checks) + 3 (DNS) = 51 min",
    );
  });

  it("GIVEN two tables of one kind and different sizes THEN each measured one is fitted on its own measurements, an unmeasured one on its kind's", () => {
    const resources: RestoreEstimateArgs[] = [
      { kind: "DynamoDB", name: "orders", sizeGiB: 10 },
      { kind: "DynamoDB", name: "ledger", sizeGiB: 400 },
      { kind: "DynamoDB", name: "archive", sizeGiB: 100 },
    ];
    // The truth is 20 min for orders (the model's 15) and 215 for ledger (the model's 405): no one factor fits both.
    const restores = (name: string, sizeGiB: number, count: number): MeasuredRestore[] =>
      Array.from({ length: count }, () => ({
        kind: "DynamoDB" as const,
        name,
        claimed: true,
        minutes: trueRestoreMinutes("DynamoDB", sizeGiB),
        source: "restore testing",
      }));
    const calibration = calibrate(
      { resources },
      [...restores("orders", 10, 1), ...restores("ledger", 400, 3)],
      undefined,
    );
    // The archive, never measured, takes its kind's four: the geometric mean of 20/15 once and 215/405 thrice.
    const pooled = Math.exp((Math.log(20 / 15) + 3 * Math.log(215 / 405)) / 4);
    expect(
      calibration.restores.map((r) => [r.name, r.basis, r.basisMeasurements, r.calibratedMinutes]),
    ).to.deep.equal([
      ["orders", "entry", 1, 20],
      ["ledger", "entry", 3, 215],
      ["archive", "kind", 4, Math.round(105 * pooled * 10) / 10],
    ]);
    expect(calibration.calibrated.arithmetic).to.contain(
      'DynamoDB "ledger" usable: 215 (calibrated: the model\'s 405 x 0.53 from 3 own measurement(s))',
    );
    expect(calibrate({ resources }, [], undefined).restores.map((r) => r.basis)).to.deep.equal([
      "model",
      "model",
      "model",
    ]);
  });

  it("GIVEN a resource fitted on its kind THEN the calibrated arithmetic says so", () => {
    const calibration = calibrate(
      {
        resources: [
          { kind: "DynamoDB", name: "measured", sizeGiB: 10 },
          { kind: "DynamoDB", name: "new", sizeGiB: 100 },
        ],
      },
      [{ kind: "DynamoDB", name: "measured", claimed: true, minutes: 30, source: "drill" }],
      undefined,
    );
    expect(calibration.calibrated.arithmetic).to.equal(
      "210 (DynamoDB \"new\" usable: 210 (calibrated: the model's 105 x 2.00 from 1 measurement(s) of its kind, 0 own)) + 10 (flip) + 5 (servers' boot) + 3 (health checks) + 3 (DNS) = 231 min",
    );
  });

  it("GIVEN a measurement an inventory entry claims THEN it measures that entry only, never the only one of its kind", () => {
    const calibration = calibrate(
      { resources: [{ kind: "RDS", name: "database", sizeGiB: 20 }] },
      [1, 2, 3].map(() => ({
        kind: "RDS" as const,
        name: "reporting",
        claimed: true,
        minutes: 60,
        source: "restore testing",
      })),
      undefined,
    );
    expect(calibration.restores[0]).to.deep.include({ measuredMinutes: [], basis: "model", factor: 1 });
  });

  it("keeps declared minutes and ignores measurements it cannot size", () => {
    const calibration = calibrate(
      { resources: [{ kind: "EBS", name: "v", sizeGiB: 10, usableMinutes: 7 }] },
      [
        { kind: "EBS", name: "v", minutes: 70, source: "drill" },
        { kind: "EFS", name: "unknown", minutes: 70, source: "drill" },
      ],
      undefined,
    );
    expect(calibration.restores[0]).to.deep.include({
      modelMinutes: 7,
      calibratedMinutes: 7,
      factor: 1,
      basis: "declared",
    });
  });
});
