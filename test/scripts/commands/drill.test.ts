import { expect } from "chai";
import * as drill from "../../../scripts/commands/drill";
import { bindCommand } from "../../helpers/command";

describe("dr drill: its flags bound into RestoreCommandOptions", () => {
  it("GIVEN its own flags and the restore flags THEN each lands in its field, parsed", async () => {
    const { options } = await bindCommand(drill, [
      "drill",
      "--yes",
      "--flip",
      "--keep",
      "--cleanup",
      "--only",
      "EBS",
      "--health-timeout",
      "30",
      "--poll-max",
      "7.5",
    ]);
    expect(options).to.deep.include({
      yes: true,
      only: ["EBS"],
      healthTimeoutMs: 30_000,
      poll: { initialDelayMs: 2000, maxDelayMs: 7500 },
      flip: true,
      keep: true,
      cleanupOnly: true,
      skipPrimaryCheck: false,
    });
  });

  it("GIVEN no flag THEN a drill does not flip and deletes what it restored", async () => {
    const { options } = await bindCommand(drill, ["drill"]);
    expect(options).to.deep.include({ flip: false, keep: false, cleanupOnly: false, overlap: true });
  });

  it("GIVEN recover's --no-flip THEN it is not a drill flag (exit 2)", async () => {
    let error: unknown;
    await bindCommand(drill, ["drill", "--no-flip"]).catch((err: unknown) => (error = err));
    expect((error as { code?: string }).code).to.equal("commander.unknownOption");
  });
});
