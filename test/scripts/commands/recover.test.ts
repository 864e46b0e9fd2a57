import { expect } from "chai";
import * as recover from "../../../scripts/commands/recover";
import { bindCommand, runCommand } from "../../helpers/command";

describe("dr recover: its flags bound into RestoreCommandOptions", () => {
  it("GIVEN every flag THEN each lands in its field, parsed", async () => {
    const { options } = await bindCommand(recover, [
      "recover",
      "--yes",
      "--dry-run",
      "--as-of",
      "2026-04-12T09:30Z",
      "--only",
      "RDS",
      "--only",
      "arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
      "--metadata",
      "rds.DBInstanceClass=db.r6g.large",
      "--app-resource",
      "app-db",
      "--vault",
      "dr-vault",
      "--isolated-vault",
      "dr-isolated",
      "--from-isolated",
      "--iam-role-arn",
      "arn:aws:iam::111122223333:role/restore",
      "--health-url",
      "https://app.example.com/health",
      "--health-timeout",
      "90",
      "--rollout-timeout",
      "120",
      "--new-run",
      "--retry-failed",
      "--no-overlap",
      "--poll-initial",
      "1",
      "--poll-max",
      "5",
      "--skip-primary-check",
      "--no-flip",
    ]);
    expect(options).to.deep.equal({
      yes: true,
      dryRun: true,
      asOf: "2026-04-12T09:30Z",
      only: ["RDS", "arn:aws:dynamodb:us-east-1:111122223333:table/Orders"],
      metadata: ["rds.DBInstanceClass=db.r6g.large"],
      appResources: ["app-db"],
      newRun: true,
      retryFailed: true,
      vault: "dr-vault",
      isolatedVault: "dr-isolated",
      fromIsolated: true,
      iamRoleArn: "arn:aws:iam::111122223333:role/restore",
      healthUrl: "https://app.example.com/health",
      healthTimeoutMs: 90_000,
      rolloutTimeoutMs: 120_000,
      poll: { initialDelayMs: 1000, maxDelayMs: 5000 },
      flip: false,
      overlap: false,
      skipPrimaryCheck: true,
      keep: false,
      cleanupOnly: false,
    });
  });

  it("GIVEN no flag THEN the defaults: flip, overlap, 30-minute rollout wait, 10-minute health check, 2 s then up to 15 s polls", async () => {
    const { options } = await bindCommand(recover, ["recover"]);
    expect(options).to.deep.include({
      rolloutTimeoutMs: 1_800_000,
      yes: false,
      dryRun: false,
      only: [],
      metadata: [],
      appResources: [],
      healthTimeoutMs: 600_000,
      poll: { initialDelayMs: 2000, maxDelayMs: 15_000 },
      flip: true,
      overlap: true,
      skipPrimaryCheck: false,
      fromIsolated: false,
      isolatedVault: undefined,
    });
  });

  it("GIVEN a --rollout-timeout that is not a positive number THEN the error names the flag and the value, and nothing runs", async () => {
    let ran = false;
    let error: unknown;
    await runCommand(recover, ["recover", "--rollout-timeout", "0"], {}, async () => {
      ran = true;
      return 0;
    }).catch((err: unknown) => (error = err));
    expect(ran).to.equal(false);
    expect((error as Error).message).to.equal("--rollout-timeout '0' must be a positive number of seconds");
  });
});
