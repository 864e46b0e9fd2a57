// The Auto Scaling model's timing: what one observation of a stack's update records, and when servers serve.
import { expect } from "chai";
import { AutoScalingGroups } from "../../../scripts/simulation/autoScaling";

describe("simulation: Auto Scaling groups over time", () => {
  /** A clock that moves one millisecond each time it is read, as Date.now() can between two calls. */
  function tickingClock(start: number): () => number {
    let t = start;
    return () => t++;
  }

  it("one update that scales out and changes the launch template launches every new server on the new version", () => {
    let config = { held: true, restored: false };
    const now = tickingClock(1_000_000);
    const groups = new AutoScalingGroups(
      [
        {
          region: "us-east-1",
          name: "prod-app-asg",
          desiredCapacity: () => (config.held ? 0 : 3),
          launchTemplateVersion: () => (config.restored ? 2 : 1),
          instanceRefresh: { minHealthyPercentage: 50, instanceWarmupMs: 400 },
          launchMs: 400,
          drainMs: 400,
        },
      ],
      now,
    );
    config = { held: false, restored: true };
    groups.observe();
    const seen = now();
    // Every server that ever serves after the update runs version 2: none launched on version 1 first.
    for (let at = seen; at < seen + 5_000; at += 50) {
      const versions = groups
        .servingSlots("us-east-1", "prod-app-asg", at)
        .map((s) => s.launchTemplateVersion);
      expect(
        versions.filter((v) => v !== 2),
        `at +${at - seen} ms`,
      ).to.deep.equal([]);
    }
    expect(groups.servingSlots("us-east-1", "prod-app-asg", seen + 1_000)).to.have.length(3);
  });

  it("a new version alone is rolled by an instance refresh: old servers serve until their batch comes", () => {
    let restored = false;
    let t = 1_000_000;
    const groups = new AutoScalingGroups(
      [
        {
          region: "us-east-1",
          name: "prod-app-asg",
          desiredCapacity: 3,
          launchTemplateVersion: () => (restored ? 2 : 1),
          instanceRefresh: { minHealthyPercentage: 50, instanceWarmupMs: 400 },
          launchMs: 400,
        },
      ],
      () => t,
    );
    restored = true;
    groups.observe();
    const versions = (at: number) =>
      groups.servingSlots("us-east-1", "prod-app-asg", at).map((s) => s.launchTemplateVersion);
    // Batches of one (3 less 50 % rounded up), each a launch and a warm-up: 800 ms.
    expect(versions(t + 100)).to.deep.equal([1, 1]);
    expect(versions(t + 900)).to.deep.equal([2, 1]);
    expect(versions(t + 2_500)).to.deep.equal([2, 2, 2]);
    t += 2_500;
    expect(groups.refreshStatus(groups.refreshesOf("us-east-1", "prod-app-asg")[0], t)).to.equal(
      "Successful",
    );
  });
});
