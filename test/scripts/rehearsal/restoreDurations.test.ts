// dr rehearse --seed: restore durations drawn from the ground truth with its noise, repeatably; none by default.
import { expect } from "chai";
import { parseSeed, restoreMinutes, withRestoreNoise } from "../../../scripts/rehearsal/restoreDurations";
import type { RehearsalEstate } from "../../../scripts/rehearsal/estate";

/** An estate with a database and a table: only what the durations read is filled in. */
const ESTATE = {
  resources: [
    { resourceType: "RDS", name: "app-db", sizeGiB: 20, restoreMinutes: restoreMinutes("RDS", 20) },
    { resourceType: "DynamoDB", name: "app-table", restoreMinutes: restoreMinutes("DynamoDB") },
  ],
} as unknown as RehearsalEstate;

describe("rehearsal restore durations with a seed", () => {
  it("draws the same noisy durations for the same seed, others for another, none equal to the noiseless truth", () => {
    const minutes = (seed: number) => withRestoreNoise(ESTATE, seed).resources.map((r) => r.restoreMinutes);
    expect(minutes(7)).to.deep.equal(minutes(7));
    expect(minutes(7)).not.to.deep.equal(minutes(8));
    const truth = ESTATE.resources.map((r) => r.restoreMinutes);
    minutes(7).forEach((value, index) => {
      expect(value).not.to.equal(truth[index]);
      // Log-normal noise of sigma 0.25: a draw beyond 4 sigma (x2.7) would be a broken sampler.
      expect(value / truth[index]).to.be.within(Math.exp(-1), Math.exp(1));
    });
  });

  it("leaves the estate's other fields and the resources' order as they are", () => {
    const noisy = withRestoreNoise(ESTATE, 1);
    expect(noisy.resources.map((r) => [r.resourceType, r.name, r.sizeGiB])).to.deep.equal([
      ["RDS", "app-db", 20],
      ["DynamoDB", "app-table", undefined],
    ]);
  });

  it("takes a whole number from 0 to 4294967295 and refuses anything else, naming flag, value and rule", () => {
    expect(parseSeed("0")).to.equal(0);
    expect(parseSeed("4294967295")).to.equal(4294967295);
    for (const bad of ["-1", "1.5", "abc", "", "4294967296"]) {
      expect(() => parseSeed(bad), bad).to.throw(
        `--seed '${bad}' must be a whole number from 0 to 4294967295`,
      );
    }
  });
});
