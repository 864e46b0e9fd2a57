import { expect } from "chai";
import * as failback from "../../../scripts/commands/failback";
import { bindCommand } from "../../helpers/command";

describe("dr failback: its flags bound into FailbackOptions", () => {
  it("GIVEN every flag THEN each lands in its field, parsed", async () => {
    const { options } = await bindCommand(failback, [
      "failback",
      "--yes",
      "--dry-run",
      "--drill",
      "--keep",
      "--skip-pre-copy",
      "--prod-stack",
      "org/dr-app/prod",
      "--recovery-journal",
      "journals/recover.json",
      "--iam-role-arn",
      "arn:aws:iam::111122223333:role/backup",
      "--health-url",
      "https://app.example.com/health",
      "--health-timeout",
      "60",
      "--freeze-timeout",
      "120",
      "--rollout-timeout",
      "900",
      "--traffic-timeout",
      "300",
      "--poll-initial",
      "0.5",
      "--poll-max",
      "4",
    ]);
    expect(options).to.deep.equal({
      yes: true,
      dryRun: true,
      drill: true,
      keep: true,
      skipPreCopy: true,
      prodStack: "org/dr-app/prod",
      recoveryJournal: "journals/recover.json",
      iamRoleArn: "arn:aws:iam::111122223333:role/backup",
      healthUrl: "https://app.example.com/health",
      healthTimeoutMs: 60_000,
      freezeTimeoutMs: 120_000,
      rolloutTimeoutMs: 900_000,
      trafficTimeoutMs: 300_000,
      poll: { initialDelayMs: 500, maxDelayMs: 4000 },
    });
  });

  it("GIVEN no flag THEN the defaults: prod, 10 / 10 / 30 / 10 minutes, 2 s then up to 15 s polls", async () => {
    const { options } = await bindCommand(failback, ["failback"]);
    expect(options).to.deep.equal({
      yes: false,
      dryRun: false,
      drill: false,
      keep: false,
      skipPreCopy: false,
      prodStack: "prod",
      recoveryJournal: undefined,
      iamRoleArn: undefined,
      healthUrl: undefined,
      healthTimeoutMs: 600_000,
      freezeTimeoutMs: 600_000,
      rolloutTimeoutMs: 1_800_000,
      trafficTimeoutMs: 600_000,
      poll: { initialDelayMs: 2000, maxDelayMs: 15_000 },
    });
  });

  it("GIVEN a timeout that is not a number THEN refuses before anything runs", async () => {
    let error: unknown;
    await bindCommand(failback, ["failback", "--freeze-timeout", "soon"]).catch(
      (err: unknown) => (error = err),
    );
    expect((error as Error).message).to.equal("--freeze-timeout 'soon' must be a positive number of seconds");
  });
});
