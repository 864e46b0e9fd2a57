// The RTO forecast: each kind's restore time, the critical path with quota waves, its checks and enforcement.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import {
  BackupRestoreDR,
  computePosture,
  estimateRestore,
  forecastRto,
  RtoForecastArgs,
  validation,
} from "@restorekit/backup-restore-dr";
import { seedArgs } from "../helpers/componentArgs";
import { settled, useMockEngine, valueOf } from "../helpers/mockEngine";

const forecast: RtoForecastArgs = {
  resources: [
    { kind: "RDS", name: "app-db", sizeGiB: 20 },
    { kind: "EBS", name: "data", sizeGiB: 100 },
    { kind: "DynamoDB", name: "orders", sizeGiB: 30 },
  ],
};

describe("restore-time model", () => {
  it("makes an RDS instance usable before its data is loaded, and fully performing after the load", () => {
    expect(estimateRestore({ kind: "RDS", name: "db", sizeGiB: 30 })).to.deep.equal({
      kind: "RDS",
      name: "db",
      usableMinutes: 15,
      // 30 GiB * 1024 / 50 MiB/s / 60 = 10.24 -> 10.3
      fullPerformanceMinutes: 25.3,
      arithmetic: "15 (setup; data loads after)",
    });
  });

  it("restores an Aurora cluster in a time independent of its size, then creates its DB instance", () => {
    const estimate = estimateRestore({ kind: "Aurora", name: "c", sizeGiB: 100 });
    expect(estimate.usableMinutes).to.equal(40);
    expect(estimate.fullPerformanceMinutes).to.equal(40);
    expect(estimate.arithmetic).to.equal("30 (cluster restore, any size) + 10 (Aurora DB instance creation)");
    expect(estimateRestore({ kind: "Aurora", name: "c", sizeGiB: 10_000 }).usableMinutes).to.equal(40);
  });

  it("initializes an EBS volume lazily at the default rate after it is usable", () => {
    // 300 GiB * 1024 / 50 MiB/s / 60 = 102.4 min after the 5 min setup.
    expect(estimateRestore({ kind: "EBS", name: "v", sizeGiB: 300 })).to.deep.include({
      usableMinutes: 5,
      fullPerformanceMinutes: 5 + 102.4,
    });
  });

  it("takes declared minutes over the model's", () => {
    expect(
      estimateRestore({
        kind: "DynamoDB",
        name: "t",
        sizeGiB: 1,
        usableMinutes: 42,
        fullPerformanceMinutes: 50,
      }),
    ).to.deep.include({ usableMinutes: 42, fullPerformanceMinutes: 50, arithmetic: "42 (declared)" });
  });
});

describe("RTO forecast", () => {
  it("adds the restore usable last, the flip, boot, health and DNS, term by term", () => {
    const result = forecastRto(forecast, 480);
    expect(result.arithmetic).to.equal(
      '35 (DynamoDB "orders" usable: 5 (setup) + 30 (30 GiB at 1 GiB/min)) + 10 (flip) + 5 (servers\' boot) + 3 (health checks) + 3 (DNS) = 56 min',
    );
    expect(result.minutes).to.equal(56);
    expect(result.meetsRto).to.equal(true);
    // The EBS volume loads 100 GiB at 50 MiB/s after its 5 min setup: 39.2 min.
    expect(result.fullPerformanceMinutes).to.equal(56);
    expect(result.restores.map((r) => [r.name, r.usableMinutes, r.fullPerformanceMinutes])).to.deep.equal([
      ["app-db", 15, 21.9],
      ["data", 5, 39.2],
      ["orders", 35, 35],
    ]);
  });

  it("separates the time to healthy servers from the operator's switch and DNS after them", () => {
    const result = forecastRto({ ...forecast, healthCheckMinutes: 0.5, operatorSwitchMinutes: 5 }, 480);
    expect(result.arithmetic).to.equal(
      "35 (DynamoDB \"orders\" usable: 5 (setup) + 30 (30 GiB at 1 GiB/min)) + 10 (flip) + 5 (servers' boot) + 0.5 (health checks) + 5 (operator's switch) + 3 (DNS) = 58.5 min",
    );
    expect(result.healthyMinutes).to.equal(50.5);
    expect(result.trafficMinutes).to.equal(8);
    // Without a switch thrown by hand, the term is left out of the arithmetic.
    expect(forecastRto(forecast, 480)).to.deep.include({ healthyMinutes: 53, trafficMinutes: 3 });
    expect(
      validation.checkRtoForecastArgs({ ...forecast, operatorSwitchMinutes: -2 }).map(validation.formatIssue),
    ).to.deep.equal(["rtoForecast.operatorSwitchMinutes (-2) must be a number of minutes, at least 0."]);
  });

  it("restores DynamoDB tables beyond the 50-restore quota in a second wave", () => {
    const tables = Array.from({ length: 51 }, (_, i) => ({
      kind: "DynamoDB" as const,
      name: `t${i}`,
      sizeGiB: 5,
    }));
    const result = forecastRto(
      { resources: tables, flipMinutes: 0, serverBootMinutes: 0, healthCheckMinutes: 0, dnsMinutes: 0 },
      undefined,
    );
    expect(result.restores[49].startMinutes).to.equal(0);
    expect(result.restores[50].startMinutes).to.equal(10);
    expect(result.minutes).to.equal(20);
    expect(result.arithmetic).to.equal(
      '20 (DynamoDB "t50" usable: 10 (waiting for the DynamoDB quota) + 5 (setup) + 5 (5 GiB at 1 GiB/min)) + 0 (flip) + 0 (servers\' boot) + 0 (health checks) + 0 (DNS) = 20 min',
    );
    expect(result.meetsRto).to.equal(undefined);
  });

  it("reaches the posture with the objective's verdict", () => {
    const posture = computePosture(seedArgs({ objectives: { rtoMinutes: 30 }, rtoForecast: forecast }));
    expect(posture.rtoForecast?.minutes).to.equal(56);
    expect(posture.rtoForecast?.meetsRto).to.equal(false);
    expect(computePosture(seedArgs()).rtoForecast).to.equal(undefined);
  });

  it("GIVEN a forecast beyond the RTO THEN construction fails with the arithmetic and registers nothing", async () => {
    const registrations = useMockEngine();
    expect(
      () => new BackupRestoreDR("app", seedArgs({ objectives: { rtoMinutes: 30 }, rtoForecast: forecast })),
    ).to.throw(
      validation.BackupRestoreDRValidationError,
      'BackupRestoreDR "app": objectives.rtoMinutes (30) cannot be met: the recovery is forecast to take 56 min, by 35 (DynamoDB "orders" usable: 5 (setup) + 30 (30 GiB at 1 GiB/min)) + 10 (flip) + 5 (servers\' boot) + 3 (health checks) + 3 (DNS) = 56 min.',
    );
    await settled(registrations);
    expect(registrations).to.deep.equal([]);
  });

  it("GIVEN enforcement warn THEN it builds and logs the forecast's miss as a warning", async () => {
    const registrations = useMockEngine();
    const warnings: string[] = [];
    const original = pulumi.log.warn;
    pulumi.log.warn = (message: string) => {
      warnings.push(message);
      return Promise.resolve();
    };
    try {
      const component = new BackupRestoreDR(
        "app",
        seedArgs({ objectives: { rtoMinutes: 30, enforcement: "warn" }, rtoForecast: forecast }),
      );
      const posture = await valueOf(component.posture);
      await settled(registrations);
      expect(posture.rtoForecast?.meetsRto).to.equal(false);
    } finally {
      pulumi.log.warn = original;
    }
    expect(registrations.length).to.be.greaterThan(5);
    expect(warnings).to.deep.equal([
      'objectives.rtoMinutes (30) cannot be met: the recovery is forecast to take 56 min, by 35 (DynamoDB "orders" usable: 5 (setup) + 30 (30 GiB at 1 GiB/min)) + 10 (flip) + 5 (servers\' boot) + 3 (health checks) + 3 (DNS) = 56 min.',
    ]);
  });

  it("rejects forecast arguments AWS or the model cannot take, naming field, value and rule", () => {
    useMockEngine();
    const bad: RtoForecastArgs = {
      resources: [
        { kind: "RDS", name: "db", sizeGiB: 0, initializationRateMiBps: 200, fastSnapshotRestore: true },
        { kind: "EBS", name: "v", sizeGiB: 10, fastSnapshotRestore: false },
        { kind: "EBS", name: "v", sizeGiB: 10, usableMinutes: 10, fullPerformanceMinutes: 5 },
        { kind: "Redshift" as never, name: " ", sizeGiB: 1 },
      ],
      flipMinutes: -1,
    };
    expect(() => new BackupRestoreDR("app", seedArgs({ rtoForecast: bad })))
      .to.throw(validation.BackupRestoreDRValidationError)
      .with.property("issues")
      .that.satisfies((issues: validation.ValidationIssue[]) => {
        expect(issues.map(validation.formatIssue)).to.deep.equal([
          'rtoForecast.resources[3].kind ("Redshift") must be one of "RDS", "Aurora", "EC2", "EBS", "DynamoDB", "EFS", "S3".',
        ]);
        return true;
      });
    expect(
      validation
        .checkRtoForecastArgs({ ...bad, resources: bad.resources.slice(0, 3) })
        .map(validation.formatIssue),
    ).to.deep.equal([
      "rtoForecast.flipMinutes (-1) must be a number of minutes, at least 0.",
      "rtoForecast.resources[0].sizeGiB (0) must be a number of GiB above 0.",
      "rtoForecast.resources[0].initializationRateMiBps (200) is not supported: the recovery restores EBS volumes without a provisioned initialization rate (AWS Backup's EBS restore metadata has none), so the forecast cannot count on one.",
      "rtoForecast.resources[0].fastSnapshotRestore (true) is not supported: nothing enables fast snapshot restore on the DR region's copies; it holds per snapshot per availability zone, after about 60 minutes per TiB of optimizing, while volume-creation credits last.",
      "rtoForecast.resources[1].fastSnapshotRestore (false) is not supported: nothing enables fast snapshot restore on the DR region's copies; it holds per snapshot per availability zone, after about 60 minutes per TiB of optimizing, while volume-creation credits last.",
      'rtoForecast.resources[2].name ("v") must be unique among the EBS resources: the forecast names each restore.',
      "rtoForecast.resources[2].fullPerformanceMinutes (5) must be at least usableMinutes (10): a copy is usable before or when it performs fully.",
    ]);
    expect(
      validation
        .checkRtoForecastArgs({ resources: [{ kind: "S3", name: "", sizeGiB: 1 }] })
        .map(validation.formatIssue),
    ).to.deep.equal(['rtoForecast.resources[0].name ("") must not be empty.']);
  });
});
