// The plan's RTO forecast section: the verdict against the objective, the arithmetic, each restore's times.
import { expect } from "chai";
import { forecastRto } from "@restorekit/backup-restore-dr";
import { renderRtoForecast } from "../../../scripts/plan/posture";

describe("plan: RTO forecast", () => {
  const forecast = (rtoMinutes: number | undefined) =>
    forecastRto({ resources: [{ kind: "Aurora", name: "orders", sizeGiB: 400 }] }, rtoMinutes);

  it("GIVEN a forecast beyond the objective THEN it says MISSES with the arithmetic", () => {
    expect(renderRtoForecast(forecast(60), 60)).to.deep.equal([
      "  RTO forecast: 61 min until the application answers in DR (MISSES the 60 min objective); full performance at 61 min",
      '    40 (Aurora "orders" usable: 30 (cluster restore, any size) + 10 (Aurora DB instance creation)) + 10 (flip) + 5 (servers\' boot) + 3 (health checks) + 3 (DNS) = 61 min',
      "    RESTORE        STARTS AT  USABLE AFTER  FULL PERFORMANCE AFTER",
      "    Aurora orders  0 min      40 min        40 min",
      "    The model's terms before calibration; `dr status` compares them with this deployment's measured restores.",
    ]);
  });

  it("GIVEN no objective THEN it says so; GIVEN no forecast THEN it says the option is unset", () => {
    expect(renderRtoForecast(forecast(undefined), undefined)[0]).to.equal(
      "  RTO forecast: 61 min until the application answers in DR (no objective); full performance at 61 min",
    );
    expect(renderRtoForecast(undefined, 480)).to.deep.equal([
      "  RTO: 480 min objective, no forecast (rtoForecast unset); a drill measures it (the recovery CLI's drill command).",
    ]);
  });
});
